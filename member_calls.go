package smdomain

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
)

// This file is the one-member-at-a-time API (a self-service portal's):
// PlanMember, EnsureMember and RemoveMember, and the DomainRef they and
// Get, AuditDomain and Export name an existing domain with.

// DomainRef names an existing domain, by name or by ID; build one with
// ByName or ByID.
type DomainRef struct {
	name, id string
}

// ByName refers to the domain called name (found with ListDomains; two
// domains with the name is an *AmbiguousNameError).
func ByName(name string) DomainRef { return DomainRef{name: name} }

// ByID refers to the domain with the ID.
func ByID(id string) DomainRef { return DomainRef{id: id} }

// lockKey is what a Client serialises work on the domain by: its name,
// as Ensure locks it, or its ID.
func (d DomainRef) lockKey() string {
	if d.id != "" {
		return d.id
	}
	return d.name
}

// String names the domain as messages do.
func (d DomainRef) String() string {
	if d.id != "" {
		return d.id
	}
	return quote(d.name)
}

func quote(s string) string { return fmt.Sprintf("%q", s) }

// resolve finds the domain d names, as lookup does. With WithOwner it
// refuses, before any call, a bad owner value, and then a domain the
// Client does not own.
func (c *Client) resolve(ctx context.Context, d DomainRef) (*sagemaker.DescribeDomainOutput, error) {
	if err := c.checkOwnerValue(); err != nil {
		return nil, err
	}
	out, err := c.lookup(ctx, d)
	if err != nil {
		return nil, err
	}
	if err := c.checkOwnerOf(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// lookup finds the domain d names; an error wrapping ErrNotFound when
// there is none.
func (c *Client) lookup(ctx context.Context, d DomainRef) (*sagemaker.DescribeDomainOutput, error) {
	var out *sagemaker.DescribeDomainOutput
	var err error
	if d.id != "" {
		out, err = c.describe(ctx, d.id)
	} else {
		out, err = c.findByName(ctx, d.name)
	}
	if err != nil {
		return nil, err
	}
	if out == nil {
		return nil, fmt.Errorf("domain %s: %w", d, ErrNotFound)
	}
	return out, nil
}

// memberContext checks m against the live domain before anything is
// written: the SSO pair against its AuthMode, a space's owner against its
// user profiles.
func (c *Client) memberContext(ctx context.Context, domain *sagemaker.DescribeDomainOutput, m Member) error {
	if !validMember(m) {
		return &ValidationError{Problems: []FieldError{{Rule: RuleRequired,
			Detail: "the member must be built by NewUserProfileSpec or NewSpaceSpec"}}}
	}
	id := aws.ToString(domain.DomainId)
	switch m := m.(type) {
	case *UserProfileSpec:
		if p := ssoProblems(domain.AuthMode, m.input.SingleSignOnUserIdentifier != nil, "UserProfiles["+m.Name()+"]"); p != nil {
			return &ValidationError{Problems: p}
		}
	case *SpaceSpec:
		if owner := m.Owner(); owner != "" {
			out, err := userProfileKind.describe(ctx, c.api, id, owner)
			if err != nil {
				return fmt.Errorf("describe user profile %q in domain %s: %w", owner, id, err)
			}
			if out == nil {
				return &ValidationError{Problems: []FieldError{{Field: "Spaces[" + m.Name() + "].OwnershipSettings.OwnerUserProfileName",
					Rule: RuleConflict, Value: owner, Detail: "names a user profile the domain does not have"}}}
			}
		}
	}
	return nil
}

// validMember reports whether m was built by a constructor.
func validMember(m Member) bool {
	switch m := m.(type) {
	case *UserProfileSpec:
		return m != nil && m.input != nil
	case *SpaceSpec:
		return m != nil && m.input != nil
	}
	return false
}

// PlanMember reports what EnsureMember would do for one user profile or
// space of an existing domain, without restating the domain. It only
// reads: the domain (ListDomains for ByName, DescribeDomain), the member's
// Describe call and, when the member's tags are managed, ListTags.
func (c *Client) PlanMember(ctx context.Context, domain DomainRef, m Member) (*MemberPlan, error) {
	s, _, err := c.memberStep(ctx, domain, m)
	if err != nil {
		return nil, err
	}
	mp := s.memberPlan()
	return &mp, nil
}

func (c *Client) memberStep(ctx context.Context, domain DomainRef, m Member) (*step, *sagemaker.DescribeDomainOutput, error) {
	live, err := c.resolve(ctx, domain)
	if err != nil {
		return nil, nil, err
	}
	if err := c.memberContext(ctx, live, m); err != nil {
		return nil, nil, err
	}
	s, err := c.planMember(ctx, aws.ToString(live.DomainId), m, liveMember{name: m.Name()})
	return s, live, err
}

// EnsureMember creates or updates one user profile or space of an
// existing domain and waits until it is InService, as Ensure does for the
// members a spec declares, without restating the domain: a self-service
// portal onboards users one by one with it. The domain itself is never
// written. A change to a create-only field is a *ReplacementRequiredError
// and nothing is written; an SSO pair that does not fit the domain's
// AuthMode, or a space whose owner the domain does not have, is a
// *ValidationError before any write.
func (c *Client) EnsureMember(ctx context.Context, domain DomainRef, m Member) (*MemberResult, error) {
	if err := c.checkWaitOptions(); err != nil {
		return nil, err
	}
	ctx, deadline := c.budget(ctx)
	s, live, err := c.memberStep(ctx, domain, m)
	if err != nil {
		return nil, err
	}
	if s.plan.action == PlanReplaceRequired {
		return nil, &ReplacementRequiredError{DomainID: aws.ToString(live.DomainId), Changes: replacements(s.memberPlan().Changes)}
	}
	mr, err := c.carryOut(ctx, live, s, deadline)
	if err != nil {
		return nil, err
	}
	return &mr, nil
}

// RemoveMember offboards one user profile or space of an existing domain
// and waits until it is gone: for a user profile its apps, then the spaces
// it owns (and their apps), then the profile, and with it the user's
// access to their home directory; for a space its apps, then the space.
// A member that does not exist is ActionUnchanged, not an error. The
// Result's Changes list what was deleted, in order. Throttles and 5xx
// answers are tried again within WithMaxWait; an offboarding that stops
// part way returns the Result of what it deleted together with a
// *CascadeError that lists it too.
func (c *Client) RemoveMember(ctx context.Context, domain DomainRef, kind MemberKind, name string) (*MemberResult, error) {
	if kind != KindUserProfile && kind != KindSpace {
		return nil, &ValidationError{Problems: []FieldError{{Rule: RuleEnum, Value: string(kind),
			Detail: "the kind must be KindUserProfile or KindSpace"}}}
	}
	if err := c.checkWaitOptions(); err != nil {
		return nil, err
	}
	ctx, deadline := c.budget(ctx)
	live, err := c.resolve(ctx, domain)
	if err != nil {
		return nil, err
	}
	id := aws.ToString(live.DomainId)
	lm, err := c.listMembers(ctx, id)
	if err != nil {
		return nil, err
	}
	steps, err := c.planOffboarding(ctx, id, lm, func(k *memberKind, n string) bool {
		return k.member == kind && k.key(n) == k.key(name)
	})
	if err != nil {
		return nil, err
	}
	if len(steps) == 0 {
		return &MemberResult{Kind: kind, Name: name, Action: ActionUnchanged}, nil
	}
	results, err := c.offboard(ctx, live, steps, deadline)
	mr := &MemberResult{Kind: kind, Name: steps[0].name, Action: ActionUnchanged}
	if len(results) > 0 {
		mr = &results[0]
	}
	return mr, err
}
