package smdomaintest

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/finegrained/smdomain/internal/docpath"
	"github.com/finegrained/smdomain/internal/model"
	"github.com/finegrained/smdomain/internal/wire"
)

// checkInput validates doc, the generic JSON body of op, against the
// service model, and decodes it into in. Wrong JSON types and unknown
// members answer SerializationException; constraint problems (required,
// length, pattern, count, enum, range) answer ValidationException listing
// every problem in the service's wording.
func checkInput(op string, doc map[string]any, in any) *apiError {
	var constraints []model.Problem
	for _, p := range model.ValidateInput(op, doc) {
		if p.Rule == model.RuleType {
			return serializationError(p)
		}
		constraints = append(constraints, p)
	}
	if len(constraints) > 0 {
		return validationError(doc, constraints)
	}
	if err := wire.Decode(doc, in); err != nil {
		return errorf(400, "SerializationException", "%v", err)
	}
	return nil
}

func serializationError(p model.Problem) *apiError {
	if p.Value == nil {
		return errorf(400, "SerializationException", "Unexpected member at '%s': %s", p.ServicePath, p.Constraint)
	}
	return errorf(400, "SerializationException", "Value at '%s' cannot be deserialized: %s", p.ServicePath, p.Constraint)
}

// validationError renders problems as the service does:
//
//	2 validation errors detected: Value 'x' at 'domainName' failed to
//	satisfy constraint: Member must ...; Value null at 'authMode' ...
func validationError(doc any, problems []model.Problem) *apiError {
	parts := make([]string, len(problems))
	for i, p := range problems {
		parts[i] = fmt.Sprintf("Value %s at '%s' failed to satisfy constraint: %s", renderValue(doc, p), p.ServicePath, p.Constraint)
	}
	noun := "error"
	if len(problems) > 1 {
		noun = "errors"
	}
	return errorf(400, "ValidationException", "%d validation %s detected: %s", len(problems), noun, strings.Join(parts, "; "))
}

// crossFieldError is a ValidationException for a rule that spans fields.
func crossFieldError(format string, args ...any) *apiError {
	return errorf(400, "ValidationException", format, args...)
}

func renderValue(doc any, p model.Problem) string {
	if p.Rule == model.RuleRequired || p.Value == nil {
		return "null"
	}
	if p.Rule == model.RuleCount {
		if v, ok := docpath.Find(doc, p.Path); ok {
			return "'" + renderPlain(v) + "'"
		}
	}
	return "'" + renderPlain(p.Value) + "'"
}

// renderPlain writes a generic JSON value the way the service prints
// values in messages: strings bare, lists as [a, b], objects as {K=V}.
func renderPlain(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return string(x)
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = renderPlain(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		keys := sortedKeys(x)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + "=" + renderPlain(x[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprint(v)
}
