package wire

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseKeepsNumbers(t *testing.T) {
	doc, err := Parse([]byte(`{"n": 12345678901234567890, "l": [1.5, {"m": -2}]}`))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"n": json.Number("12345678901234567890"),
		"l": []any{json.Number("1.5"), map[string]any{"m": json.Number("-2")}},
	}
	if diff := cmp.Diff(want, doc); diff != "" {
		t.Errorf("Parse (-want +got):\n%s", diff)
	}
}

// A key given twice, at any depth, is a problem naming its path and where
// both occurrences are; equal keys in different objects are not.
func TestParseDuplicateKeys(t *testing.T) {
	text := `{
  "DomainName": "ml",
  "DefaultUserSettings": {
    "ExecutionRole": "arn:aws:iam::123456789012:role/A",
    "ExecutionRole": "arn:aws:iam::999999999999:role/B"
  },
  "Tags": [{"Key": "a", "Value": "1"}, {"Key": "b", "Key": "c", "Key": "d"}],
  "DomainName": "other"
}`
	_, err := Parse([]byte(text))
	var de *DocumentError
	if !errors.As(err, &de) {
		t.Fatalf("Parse = %v, want a *DocumentError", err)
	}
	want := []FieldError{
		{Path: "DefaultUserSettings.ExecutionRole", Detail: "key given more than once: at line 4, column 5, line 5, column 5", Err: ErrDuplicateKey},
		{Path: "Tags[1].Key", Detail: "key given more than once: at line 7, column 41, line 7, column 53, line 7, column 65", Err: ErrDuplicateKey},
		{Path: "DomainName", Detail: "key given more than once: at line 2, column 3, line 8, column 3", Err: ErrDuplicateKey},
	}
	var got []FieldError
	for _, p := range de.Problems {
		got = append(got, *p)
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if !errors.Is(err, ErrDuplicateKey) || errors.Is(err, ErrTrailingData) {
		t.Errorf("errors.Is(%v): duplicate %v, trailing %v; want true, false", err, errors.Is(err, ErrDuplicateKey), errors.Is(err, ErrTrailingData))
	}
}

// Anything but white space after the value is a document problem, also
// when it is a stray closing brace or a second document.
func TestParseTrailingData(t *testing.T) {
	for _, tc := range []struct{ text, detail string }{
		{"{\"a\": 1}\n{\"b\": 2}", "data after the JSON value at line 2, column 1"},
		{`{"a": 1}}`, "data after the JSON value at line 1, column 9"},
		{`{"a": 1} ,`, "data after the JSON value at line 1, column 10"},
		{`{"a": 1} garbage`, "data after the JSON value at line 1, column 10"},
		{"[] \t\r\n x", "data after the JSON value at line 2, column 2"},
	} {
		_, err := Parse([]byte(tc.text))
		var de *DocumentError
		if !errors.As(err, &de) || len(de.Problems) != 1 || de.Problems[0].Path != "" || de.Problems[0].Detail != tc.detail ||
			!errors.Is(err, ErrTrailingData) {
			t.Errorf("Parse(%q) = %v, want one trailing-data problem %q", tc.text, err, tc.detail)
		}
	}
	for _, ok := range []string{"{}", "{} \n\t\r\n", " [1] "} {
		if _, err := Parse([]byte(ok)); err != nil {
			t.Errorf("Parse(%q) = %v, want no error", ok, err)
		}
	}
}

// Both kinds of problem are reported together, in the order of the text.
func TestParseDuplicateAndTrailing(t *testing.T) {
	_, err := Parse([]byte(`{"a": 1, "a": 2} {}`))
	var de *DocumentError
	if !errors.As(err, &de) || len(de.Problems) != 2 || de.Problems[0].Path != "a" || de.Problems[1].Err != ErrTrailingData {
		t.Fatalf("Parse = %v, want a duplicate and trailing data", err)
	}
	if got := err.Error(); got != "a: key given more than once: at line 1, column 2, line 1, column 10; data after the JSON value at line 1, column 18" {
		t.Errorf("Error() = %q", got)
	}
}

// Text that is not JSON is a *SyntaxError with the line and column of the
// problem, counted in characters.
func TestParseSyntaxPosition(t *testing.T) {
	for _, tc := range []struct {
		text         string
		line, column int
		msg          string
	}{
		{"{\n  \"DomainName\": \"ml\",\n  \"AuthMode\" \"IAM\"\n}", 3, 14, "after object key"},
		{`{"a": 1,}`, 1, 9, "looking for beginning of object key"},
		{"{\"é\": \"ü\" x}", 1, 11, "after object key:value pair"},
		{"{\n", 2, 1, "unexpected end of JSON input"},
		{"[1, 2", 1, 6, "unexpected end of JSON input"},
		{"", 1, 1, "no JSON value"},
		{"  \n ", 2, 2, "no JSON value"},
	} {
		_, err := Parse([]byte(tc.text))
		var se *SyntaxError
		if !errors.As(err, &se) || se.Line != tc.line || se.Column != tc.column || !strings.Contains(se.Msg, tc.msg) {
			t.Errorf("Parse(%q) = %#v, want a SyntaxError at line %d, column %d about %q", tc.text, err, tc.line, tc.column, tc.msg)
			continue
		}
		if want := fmt.Sprintf("line %d, column %d: ", tc.line, tc.column); !strings.HasPrefix(err.Error(), want) {
			t.Errorf("Error() = %q, want it to begin %q", err, want)
		}
	}
}

// Nesting deeper than encoding/json allows is refused, not a stack overflow.
func TestParseDepth(t *testing.T) {
	deep := strings.Repeat("[", maxDepth+1) + strings.Repeat("]", maxDepth+1)
	var se *SyntaxError
	if _, err := Parse([]byte(deep)); !errors.As(err, &se) || !strings.Contains(se.Msg, "nested") {
		t.Errorf("Parse(%d nested arrays) = %v, want a SyntaxError about nesting", maxDepth+1, err)
	}
	ok := strings.Repeat("[", maxDepth) + strings.Repeat("]", maxDepth)
	if _, err := Parse([]byte(ok)); err != nil {
		t.Errorf("Parse(%d nested arrays) = %v", maxDepth, err)
	}
}
