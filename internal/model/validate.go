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
	v.check(shape, doc, "", "")
	return v.problems
}

type validator struct {
	problems []Problem
}

func (v *validator) add(path, spath string, rule Rule, value any, constraint string) {
	v.problems = append(v.problems, Problem{Path: path, ServicePath: spath, Rule: rule, Value: value, Constraint: constraint})
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

func (v *validator) check(shapeName string, doc any, path, spath string) {
	s := shapes[shapeName]
	if s == nil || doc == nil {
		return
	}
	switch s.Type {
	case "structure", "union":
		m, ok := doc.(map[string]any)
		if !ok {
			v.add(path, spath, RuleType, doc, "Member must be an object")
			return
		}
		for _, mem := range s.Members {
			p, sp := joinPath(path, mem.Name), joinPath(spath, lowerFirst(mem.Name))
			val, present := m[mem.Name]
			if !present || val == nil {
				if mem.Required {
					v.add(p, sp, RuleRequired, nil, "Member must not be null")
				}
				continue
			}
			v.check(mem.Shape, val, p, sp)
		}
		for _, k := range slices.Sorted(maps.Keys(m)) {
			if _, ok := s.Member(k); !ok {
				v.add(joinPath(path, k), joinPath(spath, lowerFirst(k)), RuleType, nil, "Member is not a member of "+shapeName)
			}
		}
		if s.Type == "union" && len(m) != 1 {
			v.add(path, spath, RuleType, nil, "Member must have exactly one member set")
		}
	case "list":
		l, ok := doc.([]any)
		if !ok {
			v.add(path, spath, RuleType, doc, "Member must be a list")
			return
		}
		v.count(s, len(l), path, spath)
		for i, e := range l {
			v.check(s.Elem, e, fmt.Sprintf("%s[%d]", path, i), fmt.Sprintf("%s.%d.member", spath, i+1))
		}
	case "map":
		m, ok := doc.(map[string]any)
		if !ok {
			v.add(path, spath, RuleType, doc, "Member must be a map")
			return
		}
		v.count(s, len(m), path, spath)
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			v.check(s.Key, k, path+"{key}", spath+".key")
			v.check(s.Elem, m[k], joinPath(path, k), joinPath(spath, k))
		}
	case "string":
		str, ok := doc.(string)
		if !ok {
			v.add(path, spath, RuleType, doc, "Member must be a string")
			return
		}
		if len(s.Enum) > 0 {
			if !slices.Contains(s.Enum, str) {
				v.add(path, spath, RuleEnum, str, "Member must satisfy enum value set: ["+strings.Join(s.Enum, ", ")+"]")
			}
			return
		}
		n := int64(utf8.RuneCountInString(str))
		if s.Min != nil && n < *s.Min {
			v.add(path, spath, RuleLength, str, fmt.Sprintf("Member must have length greater than or equal to %d", *s.Min))
		}
		if s.Max != nil && n > *s.Max {
			v.add(path, spath, RuleLength, str, fmt.Sprintf("Member must have length less than or equal to %d", *s.Max))
		}
		if s.Pattern != "" && !patterns()[s.Pattern].MatchString(str) {
			v.add(path, spath, RulePattern, str, "Member must satisfy regular expression pattern: "+s.Pattern)
		}
	case "integer", "long", "double", "float":
		num, ok := doc.(json.Number)
		if !ok {
			v.add(path, spath, RuleType, doc, "Member must be a number")
			return
		}
		f, err := strconv.ParseFloat(string(num), 64)
		if err != nil {
			v.add(path, spath, RuleType, num, "Member must be a number")
			return
		}
		if s.Type == "integer" || s.Type == "long" {
			if _, err := strconv.ParseInt(string(num), 10, 64); err != nil {
				v.add(path, spath, RuleType, num, "Member must be an integer")
				return
			}
		}
		if s.Min != nil && f < float64(*s.Min) {
			v.add(path, spath, RuleRange, num, fmt.Sprintf("Member must have value greater than or equal to %d", *s.Min))
		}
		if s.Max != nil && f > float64(*s.Max) {
			v.add(path, spath, RuleRange, num, fmt.Sprintf("Member must have value less than or equal to %d", *s.Max))
		}
	case "boolean":
		if _, ok := doc.(bool); !ok {
			v.add(path, spath, RuleType, doc, "Member must be a boolean")
		}
	case "timestamp":
		if _, ok := doc.(json.Number); !ok {
			v.add(path, spath, RuleType, doc, "Member must be a timestamp in epoch seconds")
		}
	}
}

func (v *validator) count(s *Shape, n int, path, spath string) {
	if s.Min != nil && int64(n) < *s.Min {
		v.add(path, spath, RuleCount, n, fmt.Sprintf("Member must have length greater than or equal to %d", *s.Min))
	}
	if s.Max != nil && int64(n) > *s.Max {
		v.add(path, spath, RuleCount, n, fmt.Sprintf("Member must have length less than or equal to %d", *s.Max))
	}
}
