package smdomain

import (
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"maps"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/finegrained/smdomain/internal/wire"
)

// Spec is a validated description of a SageMaker domain: what Plan compares
// and Ensure converges to. Build one with NewSpec, LoadSpecJSON or
// SpecFromCreateDomainInput. A Spec is immutable and safe to share between
// goroutines.
//
// A field the spec leaves unset is not managed: the domain's own value, or
// the server's default, stands.
type Spec struct {
	input    *sagemaker.CreateDomainInput // everything but Tags; never shared outside
	tags     map[string]string            // nil: tags are not managed
	domainID string
}

// Name returns the domain name.
func (s *Spec) Name() string {
	if s.input.DomainName == nil {
		return ""
	}
	return *s.input.DomainName
}

// DomainID returns the pinned domain ID (WithDomainID), or "".
func (s *Spec) DomainID() string { return s.domainID }

// Tags returns a copy of the spec's tags; nil when tags are not managed.
func (s *Spec) Tags() map[string]string { return maps.Clone(s.tags) }

// CreateDomainInput returns the CreateDomain request the spec describes, a
// fresh copy on every call; Tags are sorted by key.
func (s *Spec) CreateDomainInput() *sagemaker.CreateDomainInput {
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
