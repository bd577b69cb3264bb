package smdomain

import (
	"maps"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/finegrained/smdomain/internal/wire"
)

// Spec is a validated description of a SageMaker domain: what Plan compares
// and Ensure converges to. Build one with NewSpec, LoadSpecJSON or
// SpecFromCreateDomainInput; each checks every field and returns every
// problem at once. A Spec is immutable (values are copied in and out) and
// safe to share between goroutines.
//
// A field the spec leaves unset is not managed: the domain's own value, or
// the server's default, stands.
type Spec struct {
	input        *sagemaker.CreateDomainInput // everything but Tags; never shared outside
	tags         map[string]string            // nil: tags are not managed
	domainID     string
	userProfiles []*UserProfileSpec // in the order declared
	spaces       []*SpaceSpec
	prune        bool
	ssoGroups    []string // WithSSOGroups (identitycenter.go)
}

// NewSpec returns the spec of the domain called name, with the options
// applied in order (see Option for how they combine). AuthMode is IAM
// unless WithAuthMode says otherwise; nothing else has a default: what no
// option sets is left to the service.
//
// NewSpec checks every field against the service model's lengths,
// patterns, counts, enums and ranges, and the cross-field rules the API
// documents (see FieldError). If anything is wrong it returns a
// *ValidationError listing every problem, and no Spec. It does no I/O.
func NewSpec(name string, opts ...Option) (*Spec, error) {
	return fromInput(&sagemaker.CreateDomainInput{
		DomainName: aws.String(name),
		AuthMode:   types.AuthModeIam,
	}, opts)
}

// fromInput applies opts on top of in, which it takes over, and validates
// the result. A tag an option sets replaces the value of the same key in
// in.Tags or joins the list.
func fromInput(in *sagemaker.CreateDomainInput, opts []Option) (*Spec, error) {
	b := &specBuilder{input: in}
	for _, o := range opts {
		if o != nil {
			o.applyDomain(b)
		}
	}
	if b.tags != nil {
		in.Tags = mergeTags(in.Tags, b.tags)
	}
	var problems []FieldError
	if b.domainIDSet {
		problems = validateDomainID(b.domainID)
	}
	spec, err := newSpec(in, b.domainID, problems, b)
	return spec, err
}

// mergeTags sets each key of set in a copy of list, keeping list's order
// and appending new keys sorted.
func mergeTags(list []types.Tag, set map[string]string) []types.Tag {
	out := append([]types.Tag{}, list...)
	for _, k := range slices.Sorted(maps.Keys(set)) {
		i := slices.IndexFunc(out, func(t types.Tag) bool { return aws.ToString(t.Key) == k })
		if i >= 0 {
			out[i].Value = aws.String(set[k])
		} else {
			out = append(out, types.Tag{Key: aws.String(k), Value: aws.String(set[k])})
		}
	}
	return out
}

// SpecFromCreateDomainInput returns the spec of the domain that in would
// create, copying in. in.Tags, in the order given, become the spec's tags:
// nil leaves tags unmanaged, a non-nil (even empty) list manages them; a
// key given twice is a RuleConflict problem. Nothing is defaulted (a
// missing AuthMode is a problem). opts apply on top of in as they do in
// NewSpec (WithDomainID, say, pins the domain). It checks the result as
// NewSpec does and returns a *ValidationError listing every problem;
// problems on tags name their index in in.Tags. A nil in is an empty
// request.
func SpecFromCreateDomainInput(in *sagemaker.CreateDomainInput, opts ...Option) (*Spec, error) {
	own := wire.Clone(in)
	if own == nil {
		own = &sagemaker.CreateDomainInput{}
	}
	return fromInput(own, opts)
}

// newSpec validates in (which it takes ownership of; Tags in the caller's
// order) and builds the Spec. problems are found earlier, e.g. on the
// pinned ID.
func newSpec(in *sagemaker.CreateDomainInput, domainID string, problems []FieldError, b *specBuilder) (*Spec, error) {
	problems = append(problems, validateInput(in)...)
	problems = append(problems, membersProblems(in.AuthMode, b.userProfiles, b.spaces, b.prune)...)
	problems = append(problems, ssoGroupProblems(in.AuthMode, b.ssoGroups)...)
	if len(problems) > 0 {
		return nil, &ValidationError{Problems: problems}
	}
	tags := tagMap(in.Tags)
	in.Tags = nil
	return &Spec{input: in, tags: tags, domainID: domainID,
		userProfiles: b.userProfiles, spaces: b.spaces, prune: b.prune, ssoGroups: b.ssoGroups}, nil
}

// Name returns the domain name.
func (s *Spec) Name() string {
	if s == nil || s.input == nil || s.input.DomainName == nil {
		return ""
	}
	return *s.input.DomainName
}

// DomainID returns the pinned domain ID (WithDomainID), or "".
func (s *Spec) DomainID() string {
	if s == nil {
		return ""
	}
	return s.domainID
}

// Tags returns a copy of the spec's tags; nil when tags are not managed.
func (s *Spec) Tags() map[string]string {
	if s == nil {
		return nil
	}
	return maps.Clone(s.tags)
}

// CreateDomainInput returns the CreateDomain request the spec describes, a
// fresh copy on every call; Tags are sorted by key, nil when tags are not
// managed and empty (not nil) when the spec manages an empty set.
func (s *Spec) CreateDomainInput() *sagemaker.CreateDomainInput {
	if s == nil || s.input == nil {
		return &sagemaker.CreateDomainInput{}
	}
	in := wire.Clone(s.input)
	in.Tags = sortedTags(s.tags)
	return in
}

func sortedTags(m map[string]string) []types.Tag {
	if m == nil {
		return nil
	}
	keys := slices.Sorted(maps.Keys(m))
	out := make([]types.Tag, 0, len(keys))
	for _, k := range keys {
		out = append(out, types.Tag{Key: aws.String(k), Value: aws.String(m[k])})
	}
	return out
}
