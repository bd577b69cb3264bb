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

func (r *repeatingTokens) ListDomains(ctx context.Context, in *sagemaker.ListDomainsInput, opts ...func(*sagemaker.Options)) (*sagemaker.ListDomainsOutput, error) {
	cp := *in
	again := r.page("ListDomains", &cp.NextToken)
	out, err := r.API.ListDomains(ctx, &cp, opts...)
	if err == nil && again {
		out.NextToken = aws.String(againToken)
	}
	return out, err
}

func (r *repeatingTokens) ListTags(ctx context.Context, in *sagemaker.ListTagsInput, opts ...func(*sagemaker.Options)) (*sagemaker.ListTagsOutput, error) {
	cp := *in
	again := r.page("ListTags", &cp.NextToken)
	out, err := r.API.ListTags(ctx, &cp, opts...)
	if err == nil && again {
		out.NextToken = aws.String(againToken)
	}
	return out, err
}

func (r *repeatingTokens) ListUserProfiles(ctx context.Context, in *sagemaker.ListUserProfilesInput, opts ...func(*sagemaker.Options)) (*sagemaker.ListUserProfilesOutput, error) {
	cp := *in
	again := r.page("ListUserProfiles", &cp.NextToken)
	out, err := r.API.ListUserProfiles(ctx, &cp, opts...)
	if err == nil && again {
		out.NextToken = aws.String(againToken)
	}
	return out, err
}

func (r *repeatingTokens) ListSpaces(ctx context.Context, in *sagemaker.ListSpacesInput, opts ...func(*sagemaker.Options)) (*sagemaker.ListSpacesOutput, error) {
	cp := *in
	again := r.page("ListSpaces", &cp.NextToken)
	out, err := r.API.ListSpaces(ctx, &cp, opts...)
	if err == nil && again {
		out.NextToken = aws.String(againToken)
	}
	return out, err
}

func (r *repeatingTokens) ListApps(ctx context.Context, in *sagemaker.ListAppsInput, opts ...func(*sagemaker.Options)) (*sagemaker.ListAppsOutput, error) {
	cp := *in
	again := r.page("ListApps", &cp.NextToken)
	out, err := r.API.ListApps(ctx, &cp, opts...)
	if err == nil && again {
		out.NextToken = aws.String(againToken)
	}
	return out, err
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
