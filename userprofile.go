package smdomain

import (
	"maps"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"

	"github.com/finegrained/smdomain/internal/wire"
)

// UserProfileSpec is a validated description of one user profile of a
// domain: the CreateUserProfile request without DomainId, and its tags.
// Build one with NewUserProfileSpec and declare it with WithUserProfiles,
// or converge it on its own with Client.EnsureMember. It is immutable and
// safe to share.
//
// A field the spec leaves unset is not managed: a UserSettings field it
// does not set follows the domain's DefaultUserSettings. UserSettings
// change in place with one UpdateUserProfile carrying only the changed
// fields; the name and the SSO pair are create-only, and a change to them
// is refused with *ReplacementRequiredError (deleting a profile deletes
// the user's access to their home directory).
type UserProfileSpec struct {
	memberSpec[sagemaker.CreateUserProfileInput]
}

// UserProfileOption sets one part of a user profile spec; pass options to
// NewUserProfileSpec. WithExecutionRole, WithSecurityGroups,
// WithUserSettings, WithTags and WithSSOUser are user profile options.
// They apply in order, later ones winning field by field as Option
// describes; a nil UserProfileOption is ignored.
type UserProfileOption interface {
	applyUserProfile(*userProfileBuilder)
}

type userProfileBuilder struct {
	input *sagemaker.CreateUserProfileInput
	tags  map[string]string
}

type userProfileOption func(*userProfileBuilder)

func (f userProfileOption) applyUserProfile(b *userProfileBuilder) { f(b) }

// WithSSOUser sets the IAM Identity Center user the profile belongs to
// (SingleSignOnUserIdentifier, which the service allows only as
// "UserName", and SingleSignOnUserValue, the user's name in the identity
// store). Required in a domain whose AuthMode is SSO and refused in an IAM
// domain. Create-only: a change forces replacement.
func WithSSOUser(identifier, value string) UserProfileOption {
	return userProfileOption(func(b *userProfileBuilder) {
		b.input.SingleSignOnUserIdentifier = aws.String(identifier)
		b.input.SingleSignOnUserValue = aws.String(value)
	})
}

// NewUserProfileSpec returns the spec of the user profile called name,
// with the options applied in order. It checks every field against the
// service model's rules for CreateUserProfile (name pattern and length,
// role ARN patterns, counts, enums, tags) and returns a *ValidationError
// listing every problem, and no spec. Rules that depend on the domain (the
// SSO pair, name uniqueness) are checked by NewSpec and Client.EnsureMember.
// It does no I/O.
func NewUserProfileSpec(name string, opts ...UserProfileOption) (*UserProfileSpec, error) {
	b := &userProfileBuilder{input: &sagemaker.CreateUserProfileInput{UserProfileName: aws.String(name)}}
	for _, o := range opts {
		if o != nil {
			o.applyUserProfile(b)
		}
	}
	b.input.Tags = sortedTags(b.tags)
	return newUserProfileSpec(b.input, "")
}

// newUserProfileSpec validates in (which it takes over; Tags in the
// caller's order) and builds the spec; prefix goes before every problem's
// field.
func newUserProfileSpec(in *sagemaker.CreateUserProfileInput, prefix string) (*UserProfileSpec, error) {
	if problems := memberProblems("CreateUserProfile", in, in.Tags, prefix); len(problems) > 0 {
		return nil, &ValidationError{Problems: problems, What: memberSpecName(prefix, KindUserProfile)}
	}
	return &UserProfileSpec{takeTags(in)}, nil
}

// Kind returns KindUserProfile.
func (s *UserProfileSpec) Kind() MemberKind { return KindUserProfile }

// Name returns the user profile's name.
func (s *UserProfileSpec) Name() string {
	if s == nil || s.input == nil {
		return ""
	}
	return aws.ToString(s.input.UserProfileName)
}

// Tags returns a copy of the profile's tags; nil when they are not managed.
func (s *UserProfileSpec) Tags() map[string]string {
	if s == nil {
		return nil
	}
	return maps.Clone(s.tags)
}

// CreateUserProfileInput returns the CreateUserProfile request the spec
// describes, without DomainId, a fresh copy on every call; Tags sorted by
// key, nil when tags are not managed.
func (s *UserProfileSpec) CreateUserProfileInput() *sagemaker.CreateUserProfileInput {
	if s == nil || s.input == nil {
		return &sagemaker.CreateUserProfileInput{}
	}
	return s.request()
}

// MarshalJSON writes the spec as `aws sagemaker create-user-profile
// --cli-input-json` takes it, without DomainId: unset fields left out,
// object keys sorted, Tags sorted by key. It is the form of one element of
// the "UserProfiles" array LoadSpecJSON reads.
func (s *UserProfileSpec) MarshalJSON() ([]byte, error) {
	return wire.Marshal(s.CreateUserProfileInput())
}

func (s *UserProfileSpec) memberKind() *memberKind { return userProfileKind }
