package model

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Rule is the kind of constraint a value breaks.
type Rule string

// The rules the service model expresses.
const (
	RuleRequired Rule = "required" // a required member is missing
	RuleLength   Rule = "length"   // a string is too short or too long
	RulePattern  Rule = "pattern"  // a string does not match the member's pattern
	RuleCount    Rule = "count"    // a list or map has too few or too many entries
	RuleEnum     Rule = "enum"     // a string is not one of the allowed values
	RuleRange    Rule = "range"    // a number is below its minimum or above its maximum
	RuleType     Rule = "type"     // a value has the wrong JSON type, or a member is unknown
)

// Problem is one constraint that a document breaks.
type Problem struct {
	// Path is the dotted path of the value, member names as in the model and
	// list indexes in brackets: DefaultUserSettings.SecurityGroups[5].
	Path string
	// ServicePath is the path as the service writes it in a
	// ValidationException: defaultUserSettings.securityGroups.6.member.
	ServicePath string
	Rule        Rule
	// Value is the offending value: a string, a json.Number, or for count
	// problems the number of entries. Nil for required problems.
	Value any
	// Constraint is the service's wording: "Member must have length less
	// than or equal to 63".
	Constraint string
}

// ValidateInput checks doc, the generic JSON form of op's input, against
// the model. It returns every problem found, in a stable order.
func ValidateInput(op string, doc any) []Problem {
	o, ok := operations[op]
	if !ok || o.Input == "" {
		return []Problem{{Rule: RuleType, Constraint: "unknown operation " + op}}
	}
	return Validate(o.Input, doc)
}

// Validate checks doc against the named shape.
func Validate(shape string, doc any) []Problem {
	var v validator
	v.check(shape, doc)
	return v.problems
}

// validator walks a document, keeping the steps from the document to the
// value being checked; a Problem's paths are only spelled out from them
// when a problem is found.
type validator struct {
	problems []Problem
	at       []step
}

// step is how a value is reached from the value that holds it.
type step struct {
	kind  stepKind
	name  string // the member name or map key (stepMember, stepEntry)
	index int    // the list index (stepElem)
}

type stepKind uint8

const (
	stepMember stepKind = iota // a structure or union member: A.Name, service a.name
	stepElem                   // a list element: A[0], service a.1.member
	stepKey                    // a map's key: A{key}, service a.key
	stepEntry                  // a map's value: A.key, service a.key
)

// enter and leave move the walk one step down and back up.
func (v *validator) enter(s step) { v.at = append(v.at, s) }
func (v *validator) leave()       { v.at = v.at[:len(v.at)-1] }

// add records a problem with the value being checked.
func (v *validator) add(rule Rule, value any, constraint string) {
	var path, spath string
	for _, s := range v.at {
		switch s.kind {
		case stepMember:
			path, spath = joinPath(path, s.name), joinPath(spath, lowerFirst(s.name))
		case stepElem:
			path, spath = fmt.Sprintf("%s[%d]", path, s.index), fmt.Sprintf("%s.%d.member", spath, s.index+1)
		case stepKey:
			path, spath = path+"{key}", spath+".key"
		case stepEntry:
			path, spath = joinPath(path, s.name), joinPath(spath, s.name)
		}
	}
	v.problems = append(v.problems, Problem{Path: path, ServicePath: spath, Rule: rule, Value: value, Constraint: constraint})
}

// addAt records a problem with the value one step down from the one being
// checked.
func (v *validator) addAt(s step, rule Rule, value any, constraint string) {
	v.enter(s)
	v.add(rule, value, constraint)
	v.leave()
}

// checkAt checks the value one step down from the one being checked.
func (v *validator) checkAt(s step, shapeName string, doc any) {
	v.enter(s)
	v.check(shapeName, doc)
	v.leave()
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return strings.ToLower(string(r)) + s[n:]
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// patterns holds each model pattern compiled once, anchored so that it
// matches the whole value as the service does.
var patterns = sync.OnceValue(func() map[string]*regexp.Regexp {
	out := map[string]*regexp.Regexp{}
	for _, s := range shapes {
		if s.Pattern != "" {
			if _, ok := out[s.Pattern]; !ok {
				out[s.Pattern] = regexp.MustCompile(`^(?:` + s.Pattern + `)$`)
			}
		}
	}
	return out
})

func (v *validator) check(shapeName string, doc any) {
	s := shapes[shapeName]
	if s == nil || doc == nil {
		return
	}
	switch s.Type {
	case "structure", "union":
		m, ok := doc.(map[string]any)
		if !ok {
			v.add(RuleType, doc, "Member must be an object")
			return
		}
		known := 0 // the members m has, set or null
		for _, mem := range s.Members {
			val, present := m[mem.Name]
			if present {
				known++
			}
			at := step{kind: stepMember, name: mem.Name}
			if !present || val == nil {
				if mem.Required {
					v.addAt(at, RuleRequired, nil, "Member must not be null")
				}
				continue
			}
			v.checkAt(at, mem.Shape, val)
		}
		if known < len(m) {
			for _, k := range slices.Sorted(maps.Keys(m)) {
				if _, ok := s.Member(k); !ok {
					v.addAt(step{kind: stepMember, name: k}, RuleType, nil, "Member is not a member of "+shapeName)
				}
			}
		}
		if s.Type == "union" && len(m) != 1 {
			v.add(RuleType, nil, "Member must have exactly one member set")
		}
	case "list":
		l, ok := doc.([]any)
		if !ok {
			v.add(RuleType, doc, "Member must be a list")
			return
		}
		v.count(s, len(l))
		for i, e := range l {
			v.checkAt(step{kind: stepElem, index: i}, s.Elem, e)
		}
	case "map":
		m, ok := doc.(map[string]any)
		if !ok {
			v.add(RuleType, doc, "Member must be a map")
			return
		}
		v.count(s, len(m))
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			v.checkAt(step{kind: stepKey}, s.Key, k)
			v.checkAt(step{kind: stepEntry, name: k}, s.Elem, m[k])
		}
	case "string":
		str, ok := doc.(string)
		if !ok {
			v.add(RuleType, doc, "Member must be a string")
			return
		}
		if len(s.Enum) > 0 {
			if !slices.Contains(s.Enum, str) {
				v.add(RuleEnum, str, "Member must satisfy enum value set: ["+strings.Join(s.Enum, ", ")+"]")
			}
			return
		}
		n := int64(utf8.RuneCountInString(str))
		if s.Min != nil && n < *s.Min {
			v.add(RuleLength, str, fmt.Sprintf("Member must have length greater than or equal to %d", *s.Min))
		}
		if s.Max != nil && n > *s.Max {
			v.add(RuleLength, str, fmt.Sprintf("Member must have length less than or equal to %d", *s.Max))
		}
		if s.Pattern != "" && !patterns()[s.Pattern].MatchString(str) {
			v.add(RulePattern, str, "Member must satisfy regular expression pattern: "+s.Pattern)
		}
	case "integer", "long", "double", "float":
		num, ok := doc.(json.Number)
		if !ok {
			v.add(RuleType, doc, "Member must be a number")
			return
		}
		f, err := strconv.ParseFloat(string(num), 64)
		if err != nil {
			v.add(RuleType, num, "Member must be a number")
			return
		}
		if s.Type == "integer" || s.Type == "long" {
			if _, err := strconv.ParseInt(string(num), 10, 64); err != nil {
				v.add(RuleType, num, "Member must be an integer")
				return
			}
		}
		if s.Min != nil && f < float64(*s.Min) {
			v.add(RuleRange, num, fmt.Sprintf("Member must have value greater than or equal to %d", *s.Min))
		}
		if s.Max != nil && f > float64(*s.Max) {
			v.add(RuleRange, num, fmt.Sprintf("Member must have value less than or equal to %d", *s.Max))
		}
	case "boolean":
		if _, ok := doc.(bool); !ok {
			v.add(RuleType, doc, "Member must be a boolean")
		}
	case "timestamp":
		if _, ok := doc.(json.Number); !ok {
			v.add(RuleType, doc, "Member must be a timestamp in epoch seconds")
		}
	}
}

func (v *validator) count(s *Shape, n int) {
	if s.Min != nil && int64(n) < *s.Min {
		v.add(RuleCount, n, fmt.Sprintf("Member must have length greater than or equal to %d", *s.Min))
	}
	if s.Max != nil && int64(n) > *s.Max {
		v.add(RuleCount, n, fmt.Sprintf("Member must have length less than or equal to %d", *s.Max))
	}
}
