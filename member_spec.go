package smdomain

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/finegrained/smdomain/internal/model"
	"github.com/finegrained/smdomain/internal/wire"
)

// Member is a user profile or space spec: a *UserProfileSpec or a
// *SpaceSpec. EnsureMember, PlanMember and the domain options WithUserProfiles
// and WithSpaces take them.
type Member interface {
	// Kind says whether the member is a user profile or a space.
	Kind() MemberKind
	// Name is the member's name.
	Name() string
	memberKind() *memberKind
	// memberDoc is the JSON form of the member's Create input, without
	// DomainId and Tags.
	memberDoc() map[string]any
	memberTags() map[string]string
}

// memberProblems checks a member's Create input (in JSON form, without
// DomainId) against the model's rules for op, and its tags; every field is
// prefixed with prefix ("" for a member spec on its own,
// "UserProfiles[alice]." inside a domain's).
func memberProblems(op string, in any, tags []types.Tag, prefix string) []FieldError {
	var out []FieldError
	for _, p := range model.ValidateInput(op, wire.Encode(in)) {
		if p.Path == "DomainId" {
			continue // the enclosing domain's
		}
		p.Path = prefix + p.Path
		out = append(out, fromModel(p))
	}
	return append(out, tagProblems(tags, prefix)...)
}

// memberName folds a user profile name the way the service compares
// them: without case.
func memberName(name string) string { return strings.ToLower(name) }

// key is how the service tells members of the kind apart: user profile
// names without case, space names exactly.
func (k *memberKind) key(name string) string {
	if k.member == KindUserProfile {
		return memberName(name)
	}
	return name
}

// memberSpec is what the two member specs hold: the Create input without
// DomainId and Tags, never shared outside, and the managed tags (nil:
// tags are not managed).
type memberSpec[In any] struct {
	input *In
	tags  map[string]string
}

func (s *memberSpec[In]) memberDoc() map[string]any     { return encodeMap(s.input) }
func (s *memberSpec[In]) memberTags() map[string]string { return s.tags }

// request returns a fresh copy of the Create input with the tags as its
// Tags, sorted by key (nil when they are not managed).
func (s *memberSpec[In]) request() *In {
	in := wire.Clone(s.input)
	reflect.ValueOf(in).Elem().FieldByName("Tags").Set(reflect.ValueOf(sortedTags(s.tags)))
	return in
}

// takeTags moves the Tags of a validated input into the spec's map.
func takeTags[In any](in *In) memberSpec[In] {
	f := reflect.ValueOf(in).Elem().FieldByName("Tags")
	tags := tagMap(f.Interface().([]types.Tag))
	f.SetZero()
	return memberSpec[In]{input: in, tags: tags}
}

// membersProblems checks the members a domain spec declares against each
// other and against the domain's auth mode: no nil member, names unique
// without regard to case, the SSO pair given exactly when the domain is
// SSO, and with prune every space's owner declared (an undeclared owner
// would be offboarded).
func membersProblems(auth types.AuthMode, profiles []*UserProfileSpec, spaces []*SpaceSpec, prune bool) []FieldError {
	var out []FieldError
	declared := map[string]bool{}
	for i, p := range profiles {
		field := fmt.Sprintf("UserProfiles[%d]", i)
		if p == nil || p.input == nil {
			out = append(out, FieldError{Field: field, Rule: RuleRequired, Detail: "is nil; build user profiles with NewUserProfileSpec"})
			continue
		}
		field = "UserProfiles[" + p.Name() + "]"
		if declared[memberName(p.Name())] {
			out = append(out, FieldError{Field: field, Rule: RuleConflict, Value: p.Name(),
				Detail: "is declared twice (the service compares user profile names without case)"})
		}
		declared[memberName(p.Name())] = true
		out = append(out, ssoProblems(auth, p.input.SingleSignOnUserIdentifier != nil, field)...)
	}
	seen := map[string]bool{}
	for i, s := range spaces {
		field := fmt.Sprintf("Spaces[%d]", i)
		if s == nil || s.input == nil {
			out = append(out, FieldError{Field: field, Rule: RuleRequired, Detail: "is nil; build spaces with NewSpaceSpec"})
			continue
		}
		field = "Spaces[" + s.Name() + "]"
		if seen[s.Name()] {
			out = append(out, FieldError{Field: field, Rule: RuleConflict, Value: s.Name(), Detail: "is declared twice"})
		}
		seen[s.Name()] = true
		if owner := s.Owner(); prune && owner != "" && !declared[memberName(owner)] {
			out = append(out, FieldError{Field: field + ".OwnershipSettings.OwnerUserProfileName", Rule: RuleConflict, Value: owner,
				Detail: "names a user profile the spec does not declare, which WithPrune would offboard with its spaces"})
		}
	}
	return out
}

// ssoProblems checks that a user profile has the SSO pair exactly when its
// domain's AuthMode is SSO; field names the profile.
func ssoProblems(auth types.AuthMode, hasSSO bool, field string) []FieldError {
	switch {
	case auth == types.AuthModeSso && !hasSSO:
		return []FieldError{{Field: field + ".SingleSignOnUserValue", Rule: RuleRequired,
			Detail: "is required in a domain whose AuthMode is SSO: the Identity Center user name (WithSSOUser)"}}
	case auth != types.AuthModeSso && hasSSO:
		return []FieldError{{Field: field + ".SingleSignOnUserValue", Rule: RuleConflict,
			Detail: "can be set only in a domain whose AuthMode is SSO"}}
	}
	return nil
}

// memberSpecName is the What of a member's *ValidationError: the member
// spec's when it is checked on its own (no prefix), the domain spec's ("")
// when its problems are part of a domain spec's.
func memberSpecName(prefix string, k MemberKind) string {
	if prefix != "" {
		return ""
	}
	return string(k) + " spec"
}
