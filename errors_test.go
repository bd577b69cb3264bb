package smdomain_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/finegrained/smdomain"
)

// TestErrorMessages checks that each error type's message carries what a
// person needs to act on it: the domain, the fields, the reason.
func TestErrorMessages(t *testing.T) {
	tests := []struct {
		err  error
		want []string
	}{
		{&smdomain.ValidationError{Problems: []smdomain.FieldError{
			{Field: "DomainName", Value: "bad name", Rule: smdomain.RulePattern, Detail: "letters, digits and hyphens"},
			{Field: "DefaultUserSettings.SecurityGroups", Rule: smdomain.RuleCount, Detail: "at most 5"},
		}}, []string{"2 problems", "DomainName", "bad name", "pattern", "DefaultUserSettings.SecurityGroups", "count", "at most 5"}},
		{&smdomain.ReplacementRequiredError{DomainID: "d-abc", Changes: []smdomain.Change{{Path: "AuthMode"}, {Path: "KmsKeyId"}}},
			[]string{"d-abc", "AuthMode", "KmsKeyId", "nothing was changed"}},
		{&smdomain.StatusError{DomainID: "d-abc", Status: "Failed", FailureReason: "subnet not found"},
			[]string{"d-abc", "Failed", "subnet not found"}},
		{&smdomain.AmbiguousNameError{Name: "ml", DomainIDs: []string{"d-one", "d-two"}},
			[]string{`"ml"`, "d-one", "d-two", "by its ID"}},
		{&smdomain.RoleAccountError{Field: "DefaultUserSettings.ExecutionRole", Role: "arn:aws:iam::210987654321:role/R",
			RoleAccount: "210987654321", RolePartition: "aws", CallerAccount: "123456789012", CallerPartition: "aws"},
			[]string{"DefaultUserSettings.ExecutionRole", "210987654321", "123456789012", "WithCrossAccountRoles"}},
		{&smdomain.RoleAccountError{Field: "DefaultUserSettings.ExecutionRole", Role: "arn:aws-cn:iam::123456789012:role/R",
			RoleAccount: "123456789012", RolePartition: "aws-cn", CallerAccount: "123456789012", CallerPartition: "aws"},
			[]string{"partition aws-cn", "aws"}},
		{&smdomain.DomainInUseError{DomainID: "d-abc", UserProfiles: []string{"a", "b"}, Apps: []string{"a/JupyterServer/default"}},
			[]string{"d-abc", "2 user profiles", "1 app", "WithCascade", "nothing was deleted"}},
		{&smdomain.NotOwnedError{DomainID: "d-abc", Owner: "team-a", Want: "team-b"},
			[]string{"d-abc", `"team-a"`, `"team-b"`, smdomain.OwnerTagKey}},
		{&smdomain.NotOwnedError{DomainID: "d-abc", Want: "team-b"},
			[]string{"d-abc", "has no " + smdomain.OwnerTagKey + " tag"}},
		{&smdomain.WaitTimeoutError{DomainID: "d-abc", Kind: "domain", Target: "InService", Status: "Pending", Waited: 30 * time.Minute, Polls: 126},
			[]string{"d-abc", "InService", "30m0s", "126 polls", "Pending"}},
		{&smdomain.WaitTimeoutError{DomainID: "d-abc", Kind: "user profile", Name: "alice", Target: "deleted", Waited: time.Minute},
			[]string{`user profile "alice" in domain d-abc`, "deleted", "1m0s"}},
		{&smdomain.WriteAttemptsError{Operation: "CreateDomain", Kind: "domain", Name: "ml", Attempts: 4, Err: errors.New("throttled")},
			[]string{"CreateDomain", `domain "ml"`, "4 attempts", "throttled"}},
		{&smdomain.WriteAttemptsError{Operation: "UpdateUserProfile", DomainID: "d-abc", Kind: "user profile", Name: "alice", Attempts: 1, Err: errors.New("cut")},
			[]string{"UpdateUserProfile", `user profile "alice" in domain d-abc`, "1 attempt,", "cut"}},
		{&smdomain.HomeEFSRetainedError{DomainID: "d-abc", FileSystemID: "fs-0123"},
			[]string{"d-abc", "fs-0123", "retained", "WithDeleteHomeEFS"}},
		{&smdomain.CascadeError{DomainID: "d-abc", Deleted: []smdomain.Change{{Path: "Apps.a/JupyterServer/default"}}, Err: errors.New("owner changed")},
			[]string{"d-abc", "1 of its", "owner changed"}},
	}
	for _, tt := range tests {
		msg := tt.err.Error()
		for _, w := range tt.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%T message %q lacks %q", tt.err, msg, w)
			}
		}
	}
}
