package model

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestValidateInput(t *testing.T) {
	type want struct {
		Path, ServicePath string
		Rule              Rule
	}
	tests := []struct {
		name string
		doc  map[string]any
		want []want
	}{
		{"valid", map[string]any{"DomainName": "ml", "AuthMode": "IAM", "DefaultUserSettings": map[string]any{}}, nil},
		{"required", map[string]any{"AuthMode": "IAM"}, []want{
			{"DefaultUserSettings", "defaultUserSettings", RuleRequired},
			{"DomainName", "domainName", RuleRequired},
		}},
		{"pattern and enum", map[string]any{"DomainName": "bad name", "AuthMode": "iam", "DefaultUserSettings": map[string]any{}}, []want{
			{"AuthMode", "authMode", RuleEnum},
			{"DomainName", "domainName", RulePattern},
		}},
		{"length", map[string]any{"DomainName": "ml", "AuthMode": "IAM", "DefaultUserSettings": map[string]any{"ExecutionRole": "arn:aws:iam::1:r"}}, []want{
			{"DefaultUserSettings.ExecutionRole", "defaultUserSettings.executionRole", RuleLength},
			{"DefaultUserSettings.ExecutionRole", "defaultUserSettings.executionRole", RulePattern},
		}},
		{"count and element", map[string]any{"DomainName": "ml", "AuthMode": "IAM", "DefaultUserSettings": map[string]any{
			"SecurityGroups": []any{"sg-1", "sg 2", "sg-3", "sg-4", "sg-5", "sg-6"}}}, []want{
			{"DefaultUserSettings.SecurityGroups", "defaultUserSettings.securityGroups", RuleCount},
			{"DefaultUserSettings.SecurityGroups[1]", "defaultUserSettings.securityGroups.2.member", RulePattern},
		}},
		{"range", map[string]any{"DomainName": "ml", "AuthMode": "IAM", "DefaultUserSettings": map[string]any{
			"CodeEditorAppSettings": map[string]any{"AppLifecycleManagement": map[string]any{"IdleSettings": map[string]any{
				"IdleTimeoutInMinutes": json.Number("59")}}}}}, []want{
			{"DefaultUserSettings.CodeEditorAppSettings.AppLifecycleManagement.IdleSettings.IdleTimeoutInMinutes",
				"defaultUserSettings.codeEditorAppSettings.appLifecycleManagement.idleSettings.idleTimeoutInMinutes", RuleRange},
		}},
		{"type and unknown", map[string]any{"DomainName": json.Number("1"), "AuthMode": "IAM", "DefaultUserSettings": map[string]any{}, "Extra": true}, []want{
			{"DomainName", "domainName", RuleType},
			{"Extra", "extra", RuleType},
		}},
		{"null member and unknown member", map[string]any{"DomainName": "ml", "AuthMode": "IAM", "DefaultUserSettings": map[string]any{
			"ExecutionRole": nil, "Extra": "x"}}, []want{
			{"DefaultUserSettings.Extra", "defaultUserSettings.extra", RuleType},
		}},
		{"union in a list", map[string]any{"DomainName": "ml", "AuthMode": "IAM", "DefaultUserSettings": map[string]any{
			"CustomFileSystemConfigs": []any{
				map[string]any{"EFSFileSystemConfig": map[string]any{"FileSystemId": "fs-0123456789abcdef0"}},
				map[string]any{"EFSFileSystemConfig": map[string]any{}, "S3FileSystemConfig": map[string]any{}},
			}}}, []want{
			{"DefaultUserSettings.CustomFileSystemConfigs[1].EFSFileSystemConfig.FileSystemId",
				"defaultUserSettings.customFileSystemConfigs.2.member.eFSFileSystemConfig.fileSystemId", RuleRequired},
			{"DefaultUserSettings.CustomFileSystemConfigs[1].S3FileSystemConfig.S3Uri",
				"defaultUserSettings.customFileSystemConfigs.2.member.s3FileSystemConfig.s3Uri", RuleRequired},
			{"DefaultUserSettings.CustomFileSystemConfigs[1]", "defaultUserSettings.customFileSystemConfigs.2.member", RuleType},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []want
			for _, p := range ValidateInput("CreateDomain", tt.doc) {
				got = append(got, want{p.Path, p.ServicePath, p.Rule})
				if p.Constraint == "" {
					t.Errorf("%s: no constraint text", p.Path)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEveryPatternCompiles(t *testing.T) {
	n := 0
	for name, s := range shapes {
		if s.Pattern != "" {
			if patterns()[s.Pattern] == nil {
				t.Errorf("%s: pattern not compiled", name)
			}
			n++
		}
	}
	if n == 0 {
		t.Fatal("no patterns in the table")
	}
}

func TestUnknownOperation(t *testing.T) {
	if got := ValidateInput("NoSuchOperation", map[string]any{}); len(got) != 1 || got[0].Rule != RuleType {
		t.Errorf("unknown operation: %v", got)
	}
}
