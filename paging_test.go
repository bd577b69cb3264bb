package smdomain_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"

	"github.com/finegrained/smdomain"
)

// repeatingTokens is the real *sagemaker.Client, except that one list
// operation answers every page with the same NextToken, which leads back
// to the first page, as a service stuck in a loop would. After loopPages
// pages it lets the listing end, so that a reader that does not notice
// stops too, and the test can say how many pages it read.
type repeatingTokens struct {
	smdomain.API
	op    string
	mu    sync.Mutex
	pages int
}

const (
	againToken = "smdomaintest-again"
	loopPages  = 100
)

// page counts a call of op and turns the repeated token back into the
// first page's; it reports whether the answer must repeat the token.
func (r *repeatingTokens) page(op string, token **string) bool {
	if op != r.op {
		return false
	}
	if aws.ToString(*token) == againToken {
		*token = nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pages++
	return r.pages < loopPages
}

// loopPage calls one page of op, turning the repeated token back into the
// first page's and answering with it again; tok and next reach the
// input's and the output's NextToken.
func loopPage[In, Out any](r *repeatingTokens, op string, in *In, tok func(*In) **string,
	call func(*In) (*Out, error), next func(*Out) **string) (*Out, error) {
	cp := *in
	again := r.page(op, tok(&cp))
	out, err := call(&cp)
	if err == nil && again {
		*next(out) = aws.String(againToken)
	}
	return out, err
}

func (r *repeatingTokens) ListDomains(ctx context.Context, in *sagemaker.ListDomainsInput, opts ...func(*sagemaker.Options)) (*sagemaker.ListDomainsOutput, error) {
	return loopPage(r, "ListDomains", in, func(i *sagemaker.ListDomainsInput) **string { return &i.NextToken },
		func(i *sagemaker.ListDomainsInput) (*sagemaker.ListDomainsOutput, error) {
			return r.API.ListDomains(ctx, i, opts...)
		},
		func(o *sagemaker.ListDomainsOutput) **string { return &o.NextToken })
}

func (r *repeatingTokens) ListTags(ctx context.Context, in *sagemaker.ListTagsInput, opts ...func(*sagemaker.Options)) (*sagemaker.ListTagsOutput, error) {
	return loopPage(r, "ListTags", in, func(i *sagemaker.ListTagsInput) **string { return &i.NextToken },
		func(i *sagemaker.ListTagsInput) (*sagemaker.ListTagsOutput, error) {
			return r.API.ListTags(ctx, i, opts...)
		},
		func(o *sagemaker.ListTagsOutput) **string { return &o.NextToken })
}

func (r *repeatingTokens) ListUserProfiles(ctx context.Context, in *sagemaker.ListUserProfilesInput, opts ...func(*sagemaker.Options)) (*sagemaker.ListUserProfilesOutput, error) {
	return loopPage(r, "ListUserProfiles", in, func(i *sagemaker.ListUserProfilesInput) **string { return &i.NextToken },
		func(i *sagemaker.ListUserProfilesInput) (*sagemaker.ListUserProfilesOutput, error) {
			return r.API.ListUserProfiles(ctx, i, opts...)
		},
		func(o *sagemaker.ListUserProfilesOutput) **string { return &o.NextToken })
}

func (r *repeatingTokens) ListSpaces(ctx context.Context, in *sagemaker.ListSpacesInput, opts ...func(*sagemaker.Options)) (*sagemaker.ListSpacesOutput, error) {
	return loopPage(r, "ListSpaces", in, func(i *sagemaker.ListSpacesInput) **string { return &i.NextToken },
		func(i *sagemaker.ListSpacesInput) (*sagemaker.ListSpacesOutput, error) {
			return r.API.ListSpaces(ctx, i, opts...)
		},
		func(o *sagemaker.ListSpacesOutput) **string { return &o.NextToken })
}

func (r *repeatingTokens) ListApps(ctx context.Context, in *sagemaker.ListAppsInput, opts ...func(*sagemaker.Options)) (*sagemaker.ListAppsOutput, error) {
	return loopPage(r, "ListApps", in, func(i *sagemaker.ListAppsInput) **string { return &i.NextToken },
		func(i *sagemaker.ListAppsInput) (*sagemaker.ListAppsOutput, error) {
			return r.API.ListApps(ctx, i, opts...)
		},
		func(o *sagemaker.ListAppsOutput) **string { return &o.NextToken })
}

// TestPagingEndsOnRepeatedToken makes each list operation repeat its
// NextToken and checks that the read that pages through it stops at the
// repeat, with an error matching ErrRepeatedNextToken, instead of paging
// until the context ends.
func TestPagingEndsOnRepeatedToken(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	tm := team{name: "paged"}
	mustEnsure(t, e.client, tm.spec(t))
	for _, tt := range []struct {
		op   string
		read func(c *smdomain.Client) error
	}{
		{"ListDomains", func(c *smdomain.Client) error { _, err := c.Get(ctx, smdomain.ByName("paged")); return err }},
		{"ListTags", func(c *smdomain.Client) error {
			_, err := c.Plan(ctx, mustSpec(t, "paged", seedOptions()...))
			return err
		}},
		{"ListUserProfiles", func(c *smdomain.Client) error { _, err := c.Plan(ctx, tm.spec(t)); return err }},
		{"ListSpaces", func(c *smdomain.Client) error { _, err := c.Plan(ctx, tm.spec(t)); return err }},
		{"ListApps", func(c *smdomain.Client) error {
			_, err := c.RemoveMember(ctx, smdomain.ByName("paged"), smdomain.KindUserProfile, "bob")
			return err
		}},
	} {
		t.Run(tt.op, func(t *testing.T) {
			api := &repeatingTokens{API: e.sm, op: tt.op}
			err := tt.read(smdomain.New(api, smdomain.WithClock(e.clk)))
			if !errors.Is(err, smdomain.ErrRepeatedNextToken) {
				t.Errorf("%s repeating its NextToken: %v after %d pages, want ErrRepeatedNextToken", tt.op, err, api.pages)
			}
			if api.pages > 2 {
				t.Errorf("%s read %d pages, want the repeat noticed at the second", tt.op, api.pages)
			}
		})
	}
}
