package smdomain

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/finegrained/smdomain/internal/docpath"
	"github.com/finegrained/smdomain/internal/wire"
)

// DomainSummary is a domain as ListDomains reports it.
type DomainSummary struct {
	ID, ARN, Name, Status, URL string
}

// List returns every domain in the account and region, sorted by name and
// then ID, reading every page of ListDomains.
func (c *Client) List(ctx context.Context) ([]DomainSummary, error) {
	var out []DomainSummary
	p := sagemaker.NewListDomainsPaginator(c.api, &sagemaker.ListDomainsInput{MaxResults: aws.Int32(100)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list domains: %w", err)
		}
		for _, d := range page.Domains {
			out = append(out, DomainSummary{ID: aws.ToString(d.DomainId), ARN: aws.ToString(d.DomainArn),
				Name: aws.ToString(d.DomainName), Status: string(d.Status), URL: aws.ToString(d.Url)})
		}
	}
	slices.SortFunc(out, func(a, b DomainSummary) int {
		return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.ID, b.ID))
	})
	return out, nil
}

// Export reads a live domain, its tags, and its user profiles and spaces
// with theirs, and returns the spec that describes them as they are: the
// domain's description cut to what CreateDomain takes, each member's cut
// to what CreateUserProfile or CreateSpace takes, tags managed (but for
// keys beginning with "aws:" and the owner tag, which are AWS's and
// smdomain's own). Planned against the same domain, the spec is a no-op;
// its MarshalJSON is a team file that `smdomain plan -f` reads back so.
// Values the service filled in are part of it, as they are part of the
// domain: edit what you mean to manage. The spec pins the domain's ID.
//
// It reads DescribeDomain (and ListDomains for ByName), ListTags for the
// domain and for each member, ListUserProfiles, ListSpaces and each
// member's Describe call. With WithOwner, a domain the Client does not own
// is a *NotOwnedError.
func (c *Client) Export(ctx context.Context, domain DomainRef) (*Spec, error) {
	live, err := c.resolve(ctx, domain)
	if err != nil {
		return nil, err
	}
	id := aws.ToString(live.DomainId)
	in := new(sagemaker.CreateDomainInput)
	if err := wire.Decode(docpath.Fit("CreateDomainRequest", encodeMap(live)), in); err != nil {
		return nil, fmt.Errorf("export domain %s: %w", id, err)
	}
	if in.Tags, err = c.exportTags(ctx, aws.ToString(live.DomainArn)); err != nil {
		return nil, err
	}
	lm, err := c.listMembers(ctx, id)
	if err != nil {
		return nil, err
	}
	var profiles []*UserProfileSpec
	var spaces []*SpaceSpec
	for _, step := range []struct {
		k    *memberKind
		live map[string]liveMember
		load func(map[string]any, string) []FieldError
	}{
		{userProfileKind, lm.profiles, loadMember("CreateUserProfile", newUserProfileSpec, &profiles)},
		{spaceKind, lm.spaces, loadMember("CreateSpace", newSpaceSpec, &spaces)},
	} {
		for _, key := range sortedKeys(step.live) {
			doc, err := c.exportMember(ctx, step.k, id, step.live[key].name)
			if err != nil {
				return nil, err
			}
			if problems := step.load(doc, ""); len(problems) > 0 {
				return nil, fmt.Errorf("export %s %q of domain %s: %w", step.k.noun, step.live[key].name, id, &ValidationError{Problems: problems})
			}
		}
	}
	opts := []Option{WithDomainID(id), WithUserProfiles(profiles...), WithSpaces(spaces...)}
	spec, err := SpecFromCreateDomainInput(in, opts...)
	if err != nil {
		return nil, fmt.Errorf("export domain %s: %w", id, err)
	}
	return spec, nil
}

// exportTags lists the tags on arn that a spec may manage.
func (c *Client) exportTags(ctx context.Context, arn string) ([]types.Tag, error) {
	tags, err := c.listTags(ctx, arn)
	if err != nil {
		return nil, err
	}
	maps.DeleteFunc(tags, func(k, _ string) bool { return reservedTag(k) })
	return sortedTags(tags), nil
}

// exportMember describes one member and returns its Create input, as
// JSON without DomainId, with the tags it may manage.
func (c *Client) exportMember(ctx context.Context, k *memberKind, domainID, name string) (map[string]any, error) {
	live, err := (&memberResource{c: c, k: k, domainID: domainID, name: name}).find(ctx)
	if err != nil || live == nil {
		return nil, err
	}
	doc := docpath.Fit(k.createShape, live.doc).(map[string]any)
	delete(doc, "DomainId")
	tags, err := c.exportTags(ctx, live.arn)
	if err != nil {
		return nil, err
	}
	doc["Tags"] = wire.Encode(tags)
	return doc, nil
}
