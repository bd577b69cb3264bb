// Package docpath reads and edits generic JSON documents (the form
// internal/wire encodes to: map[string]any, []any, string, bool,
// json.Number) by path. The root package diffs and builds requests with
// it; smdomaintest merges updates and renders problems with it.
//
// A path is given either as segments (["DefaultUserSettings",
// "SecurityGroups"]) or as the dotted text a *wire.FieldError or a
// model.Problem carries ("DefaultUserSettings.SecurityGroups[2]").
package docpath

import (
	"strconv"
	"strings"

	"github.com/finegrained/smdomain/internal/model"
)

// Lookup returns the value at the member path in doc, or nil when any
// step is missing or not an object.
func Lookup(doc any, path []string) any {
	cur := doc
	for _, k := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[k]
	}
	return cur
}

// Set stores v at the member path in doc, making the objects on the way.
// An empty path changes nothing.
func Set(doc map[string]any, path []string, v any) {
	if len(path) == 0 {
		return
	}
	for _, k := range path[:len(path)-1] {
		next, ok := doc[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			doc[k] = next
		}
		doc = next
	}
	doc[path[len(path)-1]] = v
}

// step is one step of a dotted path: a member name, or a list index.
type step struct {
	key   string
	index int // -1 for a member
}

// parse splits "A.B[2].C" into its steps; false when it is malformed.
func parse(path string) ([]step, bool) {
	if path == "" {
		return nil, false
	}
	var steps []step
	for _, part := range strings.Split(path, ".") {
		name, rest, _ := strings.Cut(part, "[")
		if name != "" {
			steps = append(steps, step{key: name, index: -1})
		}
		for rest != "" {
			num, after, ok := strings.Cut(rest, "]")
			i, err := strconv.Atoi(num)
			if !ok || err != nil || i < 0 {
				return nil, false
			}
			steps = append(steps, step{index: i})
			rest = strings.TrimPrefix(after, "[")
		}
	}
	return steps, len(steps) > 0
}

// Find returns the value at a dotted path such as
// "DefaultUserSettings.SecurityGroups[2]", and whether it is there.
func Find(doc any, path string) (any, bool) {
	steps, ok := parse(path)
	if !ok {
		return nil, false
	}
	cur := doc
	for _, st := range steps {
		switch c := cur.(type) {
		case map[string]any:
			if st.index >= 0 {
				return nil, false
			}
			if cur, ok = c[st.key]; !ok {
				return nil, false
			}
		case []any:
			if st.index < 0 || st.index >= len(c) {
				return nil, false
			}
			cur = c[st.index]
		default:
			return nil, false
		}
	}
	return cur, true
}

// Remove deletes the member at a dotted path from doc, or sets the list
// element there to null, and reports whether the path was there.
func Remove(doc any, path string) bool {
	steps, ok := parse(path)
	if !ok {
		return false
	}
	parent, ok := Find(doc, joinSteps(steps[:len(steps)-1]))
	if len(steps) == 1 {
		parent, ok = doc, true
	}
	if !ok {
		return false
	}
	last := steps[len(steps)-1]
	switch c := parent.(type) {
	case map[string]any:
		if _, present := c[last.key]; last.index >= 0 || !present {
			return false
		}
		delete(c, last.key)
		return true
	case []any:
		if last.index < 0 || last.index >= len(c) {
			return false
		}
		c[last.index] = nil
		return true
	}
	return false
}

func joinSteps(steps []step) string {
	var b strings.Builder
	for _, st := range steps {
		if st.index >= 0 {
			b.WriteString("[" + strconv.Itoa(st.index) + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(st.key)
	}
	return b.String()
}

// Prune returns the part of live that desired describes: for every object
// desired has, only the members it has and live has too. Lists and
// scalars are kept whole; live is not changed.
func Prune(desired, live any) any {
	dm, ok := desired.(map[string]any)
	if !ok {
		return live
	}
	lm, _ := live.(map[string]any)
	out := make(map[string]any, len(dm))
	for k, dv := range dm {
		if lv, present := lm[k]; present {
			out[k] = Prune(dv, lv)
		}
	}
	return out
}

// Merge returns dst with src merged in, guided by the model shape of both:
// the members of a structure merge one by one, recursively; lists, maps,
// unions and scalars in src replace dst's. Neither argument is changed.
func Merge(shape string, dst, src any) any {
	s := model.Lookup(shape)
	dm, dok := dst.(map[string]any)
	sm, sok := src.(map[string]any)
	if s == nil || s.Type != "structure" || !dok || !sok {
		return src
	}
	out := make(map[string]any, len(dm)+len(sm))
	for k, v := range dm {
		out[k] = v
	}
	for k, v := range sm {
		if mem, ok := s.Member(k); ok {
			out[k] = Merge(mem.Shape, dm[k], v)
		} else {
			out[k] = v
		}
	}
	return out
}

// Fit returns the part of doc that the model shape has: for a structure,
// the members the shape has, each fitted to its own shape; for a list or
// a map, every element fitted; anything else as it is. It turns a
// description (a Describe output) into the request that would make it.
func Fit(shape string, doc any) any {
	s := model.Lookup(shape)
	if s == nil {
		return doc
	}
	switch v := doc.(type) {
	case map[string]any:
		if s.Type == "map" {
			out := make(map[string]any, len(v))
			for k, e := range v {
				out[k] = Fit(s.Elem, e)
			}
			return out
		}
		out := map[string]any{}
		for k, e := range v {
			if m, ok := s.Member(k); ok {
				out[k] = Fit(m.Shape, e)
			}
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = Fit(s.Elem, e)
		}
		return out
	}
	return doc
}
