package smdomain

import (
	"maps"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/finegrained/smdomain/internal/wire"
)

// SpaceSpec is a validated description of one space of a domain: the
// CreateSpace request without DomainId, and its tags. A shared space is a
// project's: every user of the domain can open it, and its apps run as the
// domain's DefaultSpaceSettings.ExecutionRole. A private space belongs to
// one user profile and runs as that user's role. Build one with
// NewSpaceSpec and declare it with WithSpaces, or converge it on its own
// with Client.EnsureMember. It is immutable and safe to share.
//
// SpaceSettings (but for AppType) and SpaceDisplayName change in place
// with one UpdateSpace carrying only the changed fields; the owner, the
// sharing type and SpaceSettings.AppType are create-only, and a change to
// them is refused with *ReplacementRequiredError.
type SpaceSpec struct {
	memberSpec[sagemaker.CreateSpaceInput]
}

// SpaceOption sets one part of a space spec; pass options to NewSpaceSpec.
// WithSpaceOwner, WithSpaceSharing, WithSpaceSettings,
// WithSpaceDisplayName and WithTags are space options. A nil SpaceOption
// is ignored.
type SpaceOption interface {
	applySpace(*spaceBuilder)
}

type spaceBuilder struct {
	input *sagemaker.CreateSpaceInput
	tags  map[string]string
}

type spaceOption func(*spaceBuilder)

func (f spaceOption) applySpace(b *spaceBuilder) { f(b) }

// WithSpaceOwner sets the user profile that owns the space
// (OwnershipSettings.OwnerUserProfileName). A private space needs one.
// Create-only. Default: unset.
func WithSpaceOwner(userProfileName string) SpaceOption {
	return spaceOption(func(b *spaceBuilder) {
		b.input.OwnershipSettings = &types.OwnershipSettings{OwnerUserProfileName: aws.String(userProfileName)}
	})
}

// WithSpaceSharing sets whether the space is types.SharingTypeShared (a
// project's, open to every user of the domain) or types.SharingTypePrivate
// (its owner's only) (SpaceSharingSettings.SharingType). Create-only.
// Default: unset, and the service's default stands.
func WithSpaceSharing(t types.SharingType) SpaceOption {
	return spaceOption(func(b *spaceBuilder) {
		b.input.SpaceSharingSettings = &types.SpaceSharingSettings{SharingType: t}
	})
}

// WithSpaceSettings merges s into the space's SpaceSettings (AppType,
// storage, the JupyterLab or Code Editor settings, ...), deep-copied when
// the option is made and merged as Option describes. A private space needs
// SpaceSettings with its AppType. AppType is create-only; the rest changes
// in place. A nil s changes nothing. Default: unset.
func WithSpaceSettings(s *types.SpaceSettings) SpaceOption {
	own := wire.Clone(s)
	return spaceOption(func(b *spaceBuilder) {
		if own == nil {
			return
		}
		if b.input.SpaceSettings == nil {
			b.input.SpaceSettings = &types.SpaceSettings{}
		}
		mergeValue(b.input.SpaceSettings, wire.Clone(own))
	})
}

// WithSpaceDisplayName sets the name Studio shows for the space
// (SpaceDisplayName). Changes in place. Default: unset.
func WithSpaceDisplayName(name string) SpaceOption {
	return spaceOption(func(b *spaceBuilder) { b.input.SpaceDisplayName = aws.String(name) })
}

// NewSpaceSpec returns the spec of the space called name, with the options
// applied in order. It checks every field against the service model's
// rules for CreateSpace and that a private space has an owner and
// SpaceSettings with an AppType, and returns a *ValidationError listing
// every problem, and no spec. Whether the owner exists is checked by
// NewSpec and Client.EnsureMember. It does no I/O.
func NewSpaceSpec(name string, opts ...SpaceOption) (*SpaceSpec, error) {
	b := &spaceBuilder{input: &sagemaker.CreateSpaceInput{SpaceName: aws.String(name)}}
	for _, o := range opts {
		if o != nil {
			o.applySpace(b)
		}
	}
	b.input.Tags = sortedTags(b.tags)
	return newSpaceSpec(b.input, "")
}

// newSpaceSpec validates in (which it takes over) and builds the spec;
// prefix goes before every problem's field.
func newSpaceSpec(in *sagemaker.CreateSpaceInput, prefix string) (*SpaceSpec, error) {
	problems := memberProblems("CreateSpace", in, in.Tags, prefix)
	if private(in) {
		if in.OwnershipSettings == nil || in.OwnershipSettings.OwnerUserProfileName == nil {
			problems = append(problems, FieldError{Field: prefix + "OwnershipSettings.OwnerUserProfileName", Rule: RuleRequired,
				Detail: "is required for a private space: the user profile it belongs to (WithSpaceOwner)"})
		}
		if in.SpaceSettings == nil || in.SpaceSettings.AppType == "" {
			problems = append(problems, FieldError{Field: prefix + "SpaceSettings.AppType", Rule: RuleRequired,
				Detail: "is required for a private space: the kind of app it runs (WithSpaceSettings)"})
		}
	}
	if len(problems) > 0 {
		return nil, &ValidationError{Problems: problems, What: memberSpecName(prefix, KindSpace)}
	}
	return &SpaceSpec{takeTags(in)}, nil
}

// private reports whether a space is declared private.
func private(in *sagemaker.CreateSpaceInput) bool {
	return in.SpaceSharingSettings != nil && in.SpaceSharingSettings.SharingType == types.SharingTypePrivate
}

// Kind returns KindSpace.
func (s *SpaceSpec) Kind() MemberKind { return KindSpace }

// Name returns the space's name.
func (s *SpaceSpec) Name() string {
	if s == nil || s.input == nil {
		return ""
	}
	return aws.ToString(s.input.SpaceName)
}

// Owner returns the name of the user profile that owns the space; "" when
// it has none.
func (s *SpaceSpec) Owner() string {
	if s == nil || s.input == nil || s.input.OwnershipSettings == nil {
		return ""
	}
	return aws.ToString(s.input.OwnershipSettings.OwnerUserProfileName)
}

// Tags returns a copy of the space's tags; nil when they are not managed.
func (s *SpaceSpec) Tags() map[string]string {
	if s == nil {
		return nil
	}
	return maps.Clone(s.tags)
}

// CreateSpaceInput returns the CreateSpace request the spec describes,
// without DomainId, a fresh copy on every call; Tags sorted by key, nil
// when tags are not managed.
func (s *SpaceSpec) CreateSpaceInput() *sagemaker.CreateSpaceInput {
	if s == nil || s.input == nil {
		return &sagemaker.CreateSpaceInput{}
	}
	return s.request()
}

// MarshalJSON writes the spec as `aws sagemaker create-space
// --cli-input-json` takes it, without DomainId: unset fields left out,
// object keys sorted, Tags sorted by key. It is the form of one element of
// the "Spaces" array LoadSpecJSON reads.
func (s *SpaceSpec) MarshalJSON() ([]byte, error) {
	return wire.Marshal(s.CreateSpaceInput())
}

func (s *SpaceSpec) memberKind() *memberKind { return spaceKind }
