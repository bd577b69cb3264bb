package smdomain

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker"

	"github.com/finegrained/smdomain/internal/docpath"
	"github.com/finegrained/smdomain/internal/model"
	"github.com/finegrained/smdomain/internal/wire"
)

// maxSpecJSON bounds what LoadSpecJSON reads; a CreateDomain request is a
// few kilobytes, a team file with hundreds of members a few hundred.
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
// The document may also declare the domain's members: "UserProfiles" and
// "Spaces", arrays whose elements are what `aws sagemaker
// create-user-profile --cli-input-json` and `create-space --cli-input-json`
// take, without DomainId (the enclosing domain's; giving it is a problem).
// They are declared as WithUserProfiles and WithSpaces declare them, and
// the options' members are added after the document's.
//
// A document that is not JSON (the error gives the line and column), or is
// larger than 4 MiB, is an error that is not a *ValidationError. A member
// given twice in one object, at any depth (RuleConflict on its path, e.g.
// DefaultUserSettings.ExecutionRole), and data after the document
// (RuleType, empty Field) are a *ValidationError listing those problems
// alone, as which of two values was meant is unknown. Everything else wrong
// (an unknown member or a value of the wrong JSON type, reported as
// RuleType naming the field; any rule NewSpec, NewUserProfileSpec or
// NewSpaceSpec checks; a duplicate tag key) is one *ValidationError that
// lists every problem found. A member's
// problems are on "UserProfiles[<name>]." or "Spaces[<name>]." followed by
// the field ("UserProfiles[alice].UserSettings.ExecutionRole"), or
// "UserProfiles[<index>]" while it has no name.
func LoadSpecJSON(r io.Reader, opts ...Option) (*Spec, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxSpecJSON+1))
	if err != nil {
		return nil, fmt.Errorf("read spec JSON: %w", err)
	}
	if len(data) > maxSpecJSON {
		return nil, fmt.Errorf("read spec JSON: larger than %d bytes", maxSpecJSON)
	}
	parsed, err := wire.Parse(data)
	var docErr *wire.DocumentError
	if errors.As(err, &docErr) {
		return nil, &ValidationError{Problems: documentProblems(docErr)}
	}
	if err != nil {
		return nil, fmt.Errorf("parse spec JSON: %w", err)
	}
	doc, ok := parsed.(map[string]any)
	if !ok {
		return nil, &ValidationError{Problems: []FieldError{{
			Rule: RuleType, Detail: "the document must be a JSON object (the CreateDomain request)",
		}}}
	}
	memberOpts, memberProblems := loadMembers(doc)
	in, problems := loadInput[sagemaker.CreateDomainInput]("CreateDomain", doc, "", crossFieldProblems)
	if len(memberProblems) > 0 {
		if in != nil {
			problems = validateInput(in) // what NewSpec would find in the domain
		}
		problems = append(problems, memberProblems...)
	}
	if len(problems) > 0 {
		return nil, &ValidationError{Problems: problems}
	}
	return fromInput(in, append(memberOpts, opts...))
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

// loadMembers takes the "UserProfiles" and "Spaces" arrays out of doc and
// turns them into the options that declare them, with every problem found.
func loadMembers(doc map[string]any) ([]Option, []FieldError) {
	var opts []Option
	var problems []FieldError
	var profiles []*UserProfileSpec
	var spaces []*SpaceSpec
	problems = append(problems, loadArray(doc, userProfileKind, loadMember("CreateUserProfile", newUserProfileSpec, &profiles))...)
	problems = append(problems, loadArray(doc, spaceKind, loadMember("CreateSpace", newSpaceSpec, &spaces))...)
	if profiles != nil {
		opts = append(opts, WithUserProfiles(profiles...))
	}
	if spaces != nil {
		opts = append(opts, WithSpaces(spaces...))
	}
	return opts, problems
}

// loadArray takes the array named after k out of doc and calls load for
// each element with the prefix its problems go under.
func loadArray(doc map[string]any, k *memberKind, load func(elem map[string]any, prefix string) []FieldError) []FieldError {
	v, present := doc[k.plural]
	if !present {
		return nil
	}
	delete(doc, k.plural)
	if v == nil {
		return nil
	}
	list, ok := v.([]any)
	if !ok {
		return []FieldError{{Field: k.plural, Rule: RuleType, Detail: "must be a JSON array of " + k.noun + " requests"}}
	}
	var problems []FieldError
	for i, e := range list {
		elem, ok := e.(map[string]any)
		index := fmt.Sprintf("%s[%d]", k.plural, i)
		if !ok {
			problems = append(problems, FieldError{Field: index, Rule: RuleType,
				Detail: "must be a JSON object: what create-" + strings.ReplaceAll(k.noun, " ", "-") + " --cli-input-json takes"})
			continue
		}
		prefix := index + "."
		if name, ok := elem[k.nameMember].(string); ok && name != "" {
			prefix = k.plural + "[" + name + "]."
		}
		if _, has := elem["DomainId"]; has {
			problems = append(problems, FieldError{Field: prefix + "DomainId", Rule: RuleType,
				Detail: "is not allowed: a member belongs to the enclosing domain"})
			delete(elem, "DomainId")
		}
		problems = append(problems, load(elem, prefix)...)
	}
	return problems
}

// loadMember is loadArray's callback for one kind of member: it decodes
// an element as op's input, builds the member spec and keeps it.
func loadMember[T, S any](op string, build func(*T, string) (S, error), keep *[]S) func(map[string]any, string) []FieldError {
	return func(elem map[string]any, prefix string) []FieldError {
		in, problems := loadInput[T](op, elem, prefix, nil)
		if len(problems) > 0 {
			return problems
		}
		spec, err := build(in, prefix)
		if err != nil {
			return validationProblems(err)
		}
		*keep = append(*keep, spec)
		return nil
	}
}

// validationProblems returns the problems of a *ValidationError.
func validationProblems(err error) []FieldError {
	var ve *ValidationError
	if errors.As(err, &ve) {
		return ve.Problems
	}
	return []FieldError{{Rule: RuleType, Detail: err.Error()}}
}

// loadInput decodes doc, the JSON form of op's input, into a T. When it
// does not fit, it reports every problem the model finds in it, the
// decoder's where the model missed them, and cross's on what could be
// decoded; every field is prefixed with prefix. A nil cross checks nothing
// more. The problems of a member's input exclude its missing DomainId.
func loadInput[T any](op string, doc map[string]any, prefix string, cross func(*T) []FieldError) (*T, []FieldError) {
	pristine := copyDoc(doc)
	in, decodeProblems := decodeLenient[T](doc)
	if len(decodeProblems) == 0 {
		return in, nil
	}
	var problems []FieldError
	for _, p := range model.ValidateInput(op, pristine) {
		if p.Path == "DomainId" && prefix != "" {
			continue
		}
		p.Path = prefix + p.Path
		problems = append(problems, fromModel(p))
	}
	for _, p := range decodeProblems {
		p.Field = prefix + p.Field
		if !hasField(problems, p.Field) && !hasFieldUnder(decodeProblems, strings.TrimPrefix(p.Field, prefix)) {
			problems = append(problems, p)
		}
	}
	if in != nil && cross != nil {
		for _, p := range cross(in) {
			if !hasField(decodeProblems, p.Field) { // already reported as cut out
				problems = append(problems, p)
			}
		}
	}
	return nil, problems
}

// copyDoc deep-copies a generic JSON document.
func copyDoc(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = copyDoc(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = copyDoc(e)
		}
		return out
	}
	return v
}

// decodeLenient decodes doc into a T, cutting out each part the strict
// decoder refuses (an unknown member, a value of the wrong type) and trying
// again, so that one bad member does not hide the problems of the rest. It
// changes doc. It returns the request (nil if nothing could be decoded)
// and a RuleType problem for each part cut out.
func decodeLenient[T any](doc any) (*T, []FieldError) {
	var problems []FieldError
	for range 100 {
		in := new(T)
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

// MarshalJSON writes the spec in the form LoadSpecJSON reads and `aws
// sagemaker create-domain --cli-input-json` takes: the CreateDomain
// request, unset fields left out, object keys sorted, Tags as
// [{"Key","Value"}] sorted by key; then, when the spec declares members,
// "UserProfiles" and "Spaces" in the order declared, each element as its
// MarshalJSON writes it. The pinned domain ID (WithDomainID) and WithPrune
// are not part of it. It returns an error only if encoding/json does.
func (s *Spec) MarshalJSON() ([]byte, error) {
	doc := encodeMap(s.CreateDomainInput())
	if s != nil && len(s.userProfiles) > 0 {
		list := make([]any, len(s.userProfiles))
		for i, p := range s.userProfiles {
			list[i] = wire.Encode(p.CreateUserProfileInput())
		}
		doc[userProfileKind.plural] = list
	}
	if s != nil && len(s.spaces) > 0 {
		list := make([]any, len(s.spaces))
		for i, sp := range s.spaces {
			list[i] = wire.Encode(sp.CreateSpaceInput())
		}
		doc[spaceKind.plural] = list
	}
	return json.Marshal(doc)
}
