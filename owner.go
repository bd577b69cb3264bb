package smdomain

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker"

	"github.com/finegrained/smdomain/internal/model"
)

// OwnerTagKey is the tag with which a Client given WithOwner marks the
// domains it creates. Ensure never removes it, even when the spec's tags
// are authoritative.
const OwnerTagKey = "smdomain:owner"

// WithOwner makes the Client tag every domain it creates with OwnerTagKey =
// owner, and refuse, with *NotOwnedError and before any write, to plan,
// update or delete a domain whose tag is missing or names another owner.
// So one team's tooling never takes over, or deletes, a domain made by
// hand or by another team's. To adopt an existing domain, tag it by hand.
// The owner tag counts toward the service's 50 tags: Plan and Ensure refuse
// a spec whose tags leave no room for it with a *ValidationError.
// The owner must be a valid tag value (at most 256 letters, digits, spaces
// and _.:/=+-@) and not empty: every call of a Client with another owner
// returns a *ValidationError on field "WithOwner" before any request.
// Default: no owner, and no check.
func WithOwner(owner string) ClientOption {
	return func(o *clientOptions) { o.owner, o.ownerSet = owner, true }
}

// checkOwner refuses a domain the Client's owner did not create, given its
// tags. Without WithOwner everything passes.
func (c *Client) checkOwner(live *sagemaker.DescribeDomainOutput, tags map[string]string) error {
	if c.opts.owner == "" || tags[OwnerTagKey] == c.opts.owner {
		return nil
	}
	return &NotOwnedError{DomainID: deref(live.DomainId), Owner: tags[OwnerTagKey], Want: c.opts.owner}
}

// checkOwnerOf lists the domain's tags and checks them; without WithOwner
// it makes no call.
func (c *Client) checkOwnerOf(ctx context.Context, live *sagemaker.DescribeDomainOutput) error {
	if c.opts.owner == "" {
		return nil
	}
	tags, err := c.listTags(ctx, deref(live.DomainArn))
	if err != nil {
		return err
	}
	return c.checkOwner(live, tags)
}

// ownedInput adds the owner tag to a CreateDomain request.
func (c *Client) ownedInput(in *sagemaker.CreateDomainInput) *sagemaker.CreateDomainInput {
	if c.opts.owner == "" {
		return in
	}
	in.Tags = mergeTags(in.Tags, map[string]string{OwnerTagKey: c.opts.owner})
	return in
}

// checkOwnerTags refuses, before any call, a bad WithOwner value and a
// spec whose tags leave no room for the owner tag within the service's
// limit on a domain's tags.
func (c *Client) checkOwnerTags(spec *Spec) error {
	if err := c.checkOwnerValue(); err != nil {
		return err
	}
	if c.opts.owner == "" {
		return nil
	}
	n := len(spec.tags)
	if _, ok := spec.tags[OwnerTagKey]; !ok {
		n++
	}
	if limit := *model.Lookup("TagList").Max; int64(n) > limit {
		return &ValidationError{Problems: []FieldError{{Field: "Tags", Rule: RuleCount,
			Detail: fmt.Sprintf("has %d entries with the owner tag (WithOwner); at most %d allowed", n, limit)}}}
	}
	return nil
}

// checkOwnerValue refuses, before any call, a WithOwner value that is no
// valid tag value (the model's TagValue), or empty.
func (c *Client) checkOwnerValue() error {
	if !c.opts.ownerSet {
		return nil
	}
	if c.opts.owner == "" {
		return &ValidationError{Problems: []FieldError{{Field: "WithOwner", Rule: RuleRequired,
			Detail: "the owner must not be empty (leave WithOwner out for no owner)"}}}
	}
	var problems []FieldError
	for _, p := range model.Validate("TagValue", c.opts.owner) {
		p.Path = "WithOwner"
		problems = append(problems, fromModel(p))
	}
	if len(problems) > 0 {
		return &ValidationError{Problems: problems}
	}
	return nil
}
