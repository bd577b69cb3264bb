package smdomain_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/finegrained/smdomain"
)

// strictSpecJSON is a valid create-domain document; the tests below break
// it in one way each.
const strictSpecJSON = `{
  "DomainName": "ml-platform",
  "AuthMode": "IAM",
  "VpcId": "vpc-0abc1234def567890",
  "SubnetIds": ["subnet-0abc1234def567890"],
  "DefaultUserSettings": {
    "ExecutionRole": "arn:aws:iam::123456789012:role/SageMakerExecutionRole"
  }
}`

// strictProblems loads doc and returns its validation problems, failing
// the test if doc is not refused with a *ValidationError.
func strictProblems(t *testing.T, doc string) []smdomain.FieldError {
	t.Helper()
	s, err := smdomain.LoadSpecJSON(strings.NewReader(doc))
	var ve *smdomain.ValidationError
	if s != nil || !errors.As(err, &ve) {
		t.Fatalf("LoadSpecJSON = %v, %v; want a *ValidationError", s, err)
	}
	return ve.Problems
}

func TestLoadSpecJSONStrictValid(t *testing.T) {
	if _, err := smdomain.LoadSpecJSON(strings.NewReader(strictSpecJSON + "\n\n")); err != nil {
		t.Fatalf("LoadSpecJSON(valid document, trailing white space) = %v", err)
	}
}

// A member given twice, at the top or nested, is a RuleConflict on its
// path that says where both are; which value was meant is not guessed, so
// no other problem is reported with it.
func TestLoadSpecJSONDuplicateMembers(t *testing.T) {
	for _, tc := range []struct {
		name, doc, field, detail string
	}{
		{"DomainName twice", strings.Replace(strictSpecJSON, `"AuthMode"`, `"DomainName": "other", "AuthMode"`, 1),
			"DomainName", "at line 2, column 3, line 3, column 3"},
		{"a second ExecutionRole", strings.Replace(strictSpecJSON, `"ExecutionRole": `,
			`"ExecutionRole": "arn:aws:iam::999999999999:role/Other",`+"\n    "+`"ExecutionRole": `, 1),
			"DefaultUserSettings.ExecutionRole", "at line 7, column 5, line 8, column 5"},
		{"a tag's Key twice", strings.Replace(strictSpecJSON, `"AuthMode"`, `"Tags": [{"Key": "a", "Key": "b", "Value": "v"}], "AuthMode"`, 1),
			"Tags[0].Key", "at line 3, column 13, line 3, column 25"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			problems := strictProblems(t, tc.doc)
			if len(problems) != 1 {
				t.Fatalf("problems = %v, want one", problems)
			}
			p := problems[0]
			if p.Field != tc.field || p.Rule != smdomain.RuleConflict || !strings.Contains(p.Detail, tc.detail) || p.Value != "" {
				t.Errorf("problem = %+v, want a RuleConflict on %s, detail with %q, no value", p, tc.field, tc.detail)
			}
		})
	}
}

// Data after the document, a second document included, is a RuleType on
// the whole document, with the line and column where it begins.
func TestLoadSpecJSONTrailingData(t *testing.T) {
	for _, tc := range []struct{ name, tail, detail string }{
		{"a second document", "\n" + `{"DomainName": "other"}`, "line 10, column 1"},
		{"a stray brace", "}", "line 9, column 2"},
		{"garbage", " x", "line 9, column 3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			problems := strictProblems(t, strictSpecJSON+tc.tail)
			if len(problems) != 1 || problems[0].Field != "" || problems[0].Rule != smdomain.RuleType ||
				!strings.Contains(problems[0].Detail, "data after the JSON value at "+tc.detail) {
				t.Errorf("problems = %+v, want one RuleType on the document at %s", problems, tc.detail)
			}
		})
	}
}

// Both kinds come together, in the order of the text.
func TestLoadSpecJSONDuplicateAndTrailing(t *testing.T) {
	doc := strings.Replace(strictSpecJSON, `"AuthMode"`, `"AuthMode": "SSO", "AuthMode"`, 1) + "{}"
	problems := strictProblems(t, doc)
	if len(problems) != 2 || !(problems[0].Field == "AuthMode" && problems[0].Rule == smdomain.RuleConflict) ||
		!(problems[1].Field == "" && problems[1].Rule == smdomain.RuleType) {
		t.Errorf("problems = %+v, want AuthMode's conflict, then the trailing data", problems)
	}
}

// Text that is not JSON stays an error that is not a *ValidationError, and
// says the line and column.
func TestLoadSpecJSONSyntaxPosition(t *testing.T) {
	doc := strings.Replace(strictSpecJSON, `"AuthMode": "IAM",`, `"AuthMode" "IAM",`, 1)
	_, err := smdomain.LoadSpecJSON(strings.NewReader(doc))
	var ve *smdomain.ValidationError
	if err == nil || errors.As(err, &ve) || !strings.Contains(err.Error(), "line 3, column 14") {
		t.Errorf("LoadSpecJSON = %v, want a parse error at line 3, column 14", err)
	}
}
