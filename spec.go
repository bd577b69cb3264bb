package smdomain

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/finegrained/smdomain/internal/docpath"
	"github.com/finegrained/smdomain/internal/model"
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
	input    *sagemaker.CreateDomainInput // everything but Tags; never shared outside
	tags     map[string]string            // nil: tags are not managed
	domainID string
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
			o(b)
		}
	}
	if b.tags != nil {
		in.Tags = mergeTags(in.Tags, b.tags)
	}
	var problems []FieldError
	if b.domainIDSet {
		problems = validateDomainID(b.domainID)
	}
	return newSpec(in, b.domainID, problems)
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

// maxSpecJSON bounds what LoadSpecJSON reads; a CreateDomain request is a
// few kilobytes.
const maxSpecJSON = 4 << 20

// LoadSpecJSON reads a spec from the JSON that `aws sagemaker create-domain
// --cli-input-json` takes: the CreateDomain request, member names as in the
// API (DomainName, AuthMode, DefaultUserSettings, DomainSettings,
// DefaultSpaceSettings, SubnetIds, VpcId, KmsKeyId, AppNetworkAccessType,
// AppSecurityGroupManagement, TagPropagation, HomeEfsFileSystemCreation,
// Tags as [{"Key": ..., "Value": ...}], ...), matched case-sensitively.
// Absent and null members are unset; nothing is defaulted. opts apply on
// top of the document as they do in NewSpec: WithDomainID pins the domain,
// and any other option overrides what the document says.
//
// A document that is not JSON (the error gives the line and column), or is
// larger than 4 MiB, is an error that is not a *ValidationError. A member
// given twice in one object, at any depth (RuleConflict on its path, e.g.
// DefaultUserSettings.ExecutionRole), and data after the document
// (RuleType, empty Field) are a *ValidationError listing those problems
// alone, as which of two values was meant is unknown. Everything else wrong
// (an unknown member or a value of the wrong JSON type, reported as
// RuleType naming the field; any rule NewSpec checks; a duplicate tag key)
// is one *ValidationError that lists every problem found.
func LoadSpecJSON(r io.Reader, opts ...Option) (*Spec, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxSpecJSON+1))
	if err != nil {
		return nil, fmt.Errorf("read spec JSON: %w", err)
	}
	if len(data) > maxSpecJSON {
		return nil, fmt.Errorf("read spec JSON: larger than %d bytes", maxSpecJSON)
	}
	doc, err := wire.Parse(data)
	var docErr *wire.DocumentError
	if errors.As(err, &docErr) {
		return nil, &ValidationError{Problems: documentProblems(docErr)}
	}
	if err != nil {
		return nil, fmt.Errorf("parse spec JSON: %w", err)
	}
	if _, ok := doc.(map[string]any); !ok {
		return nil, &ValidationError{Problems: []FieldError{{
			Rule: RuleType, Detail: "the document must be a JSON object (the CreateDomain request)",
		}}}
	}
	in, decodeProblems := decodeLenient(doc)
	if len(decodeProblems) == 0 {
		return fromInput(in, opts)
	}
	// The document does not fit the request. Report every problem the
	// model finds in it, the decoder's where the model missed them, and the
	// cross-field rules on what could be decoded.
	doc, _ = wire.Parse(data) // decodeLenient cut the bad parts out
	var problems []FieldError
	for _, p := range model.ValidateInput("CreateDomain", doc) {
		problems = append(problems, fromModel(p))
	}
	for _, p := range decodeProblems {
		if !hasField(problems, p.Field) && !hasFieldUnder(decodeProblems, p.Field) {
			problems = append(problems, p)
		}
	}
	if in != nil {
		for _, p := range crossFieldProblems(in) {
			if !hasField(decodeProblems, p.Field) { // already reported as cut out
				problems = append(problems, p)
			}
		}
	}
	return nil, &ValidationError{Problems: problems}
}

// documentProblems are the problems of well-formed JSON that is not one
// document: a member given twice is a RuleConflict, data after the
// document a RuleType.
func documentProblems(e *wire.DocumentError) []FieldError {
	problems := make([]FieldError, 0, len(e.Problems))
	for _, p := range e.Problems {
		rule := RuleType
		if errors.Is(p, wire.ErrDuplicateKey) {
			rule = RuleConflict
		}
		problems = append(problems, FieldError{Field: p.Path, Rule: rule, Detail: p.Detail})
	}
	return problems
}

// decodeLenient decodes doc into a request, cutting out each part the
// strict decoder refuses (an unknown member, a value of the wrong type) and
// trying again, so that one bad member does not hide the problems of the
// rest. It changes doc. It returns the request (nil if nothing could be
// decoded) and a RuleType problem for each part cut out.
func decodeLenient(doc any) (*sagemaker.CreateDomainInput, []FieldError) {
	var problems []FieldError
	for range 100 {
		in := new(sagemaker.CreateDomainInput)
		err := wire.Decode(doc, in)
		if err == nil {
			return in, problems
		}
		var fe *wire.FieldError
		if !errors.As(err, &fe) {
			return nil, append(problems, FieldError{Rule: RuleType, Detail: err.Error()})
		}
		problems = append(problems, FieldError{Field: fe.Path, Rule: RuleType, Detail: fe.Detail})
		if !docpath.Remove(doc, fe.Path) {
			return nil, problems
		}
	}
	return nil, problems
}

// hasFieldUnder reports whether a problem is on a field inside field: a
// problem on a union emptied by cutting out its bad member is not news.
func hasFieldUnder(problems []FieldError, field string) bool {
	for _, p := range problems {
		if rest, ok := strings.CutPrefix(p.Field, field); ok && (strings.HasPrefix(rest, ".") || strings.HasPrefix(rest, "[")) {
			return true
		}
	}
	return false
}

func hasField(problems []FieldError, field string) bool {
	for _, p := range problems {
		if p.Field == field {
			return true
		}
	}
	return false
}

// newSpec validates in (which it takes ownership of; Tags in the caller's
// order) and builds the Spec. problems are found earlier, e.g. on the
// pinned ID.
func newSpec(in *sagemaker.CreateDomainInput, domainID string, problems []FieldError) (*Spec, error) {
	problems = append(problems, validateInput(in)...)
	if len(problems) > 0 {
		return nil, &ValidationError{Problems: problems}
	}
	tags := tagMap(in.Tags)
	in.Tags = nil
	return &Spec{input: in, tags: tags, domainID: domainID}, nil
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

// MarshalJSON writes the spec in the form LoadSpecJSON reads and `aws
// sagemaker create-domain --cli-input-json` takes: the CreateDomain
// request, unset fields left out, object keys sorted, Tags as
// [{"Key","Value"}] sorted by key. The pinned domain ID (WithDomainID) is
// not part of it. It returns an error only if encoding/json does.
func (s *Spec) MarshalJSON() ([]byte, error) {
	return wire.Marshal(s.CreateDomainInput())
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
