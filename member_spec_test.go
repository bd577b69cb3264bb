package smdomain

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/google/go-cmp/cmp"
)

// teamJSON is the team file as JSON: a domain with two users with their
// own roles, a shared project space and a private space.
const teamJSON = `{
  "DomainName": "fraud-ml",
  "AuthMode": "IAM",
  "DefaultUserSettings": {"ExecutionRole": "arn:aws:iam::123456789012:role/SageMakerExecutionRole"},
  "UserProfiles": [
    {"UserProfileName": "alice", "UserSettings": {"ExecutionRole": "arn:aws:iam::123456789012:role/alice-fraud-data"},
     "Tags": [{"Key": "team", "Value": "fraud"}]},
    {"UserProfileName": "bob", "UserSettings": {"ExecutionRole": "arn:aws:iam::123456789012:role/bob-churn-data"}}
  ],
  "Spaces": [
    {"SpaceName": "fraud-detection", "SpaceSharingSettings": {"SharingType": "Shared"},
     "OwnershipSettings": {"OwnerUserProfileName": "alice"}},
    {"SpaceName": "alice-scratch", "SpaceSharingSettings": {"SharingType": "Private"},
     "OwnershipSettings": {"OwnerUserProfileName": "alice"}, "SpaceSettings": {"AppType": "JupyterLab"}}
  ]
}`

func TestLoadSpecJSONMembers(t *testing.T) {
	s := mustSpec(t)(LoadSpecJSON(strings.NewReader(teamJSON)))
	var names []string
	for _, m := range s.members() {
		names = append(names, string(m.Kind())+" "+m.Name())
	}
	want := []string{"user profile alice", "user profile bob", "space alice-scratch", "space fraud-detection"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("members (-want +got):\n%s", diff)
	}
	alice := s.userProfiles[0]
	if got := *alice.CreateUserProfileInput().UserSettings.ExecutionRole; got != "arn:aws:iam::123456789012:role/alice-fraud-data" {
		t.Errorf("alice's role %q", got)
	}
	if diff := cmp.Diff(map[string]string{"team": "fraud"}, alice.Tags()); diff != "" {
		t.Errorf("alice's tags (-want +got):\n%s", diff)
	}
	if s.userProfiles[1].Tags() != nil {
		t.Errorf("bob's tags are managed, want unmanaged")
	}
	checkSpecRoundTrip(t, s)
	data, err := s.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	back := mustSpec(t)(LoadSpecJSON(bytes.NewReader(data)))
	before, _ := s.spaces[1].MarshalJSON()
	after, _ := back.spaces[1].MarshalJSON()
	if diff := cmp.Diff(string(before), string(after)); diff != "" {
		t.Errorf("space changed on a round trip (-before +after):\n%s", diff)
	}
}

func TestLoadSpecJSONMemberProblems(t *testing.T) {
	const head = `{"DomainName":"d","AuthMode":"IAM","DefaultUserSettings":{"ExecutionRole":"` + testRole + `"},`
	tests := []struct {
		name string
		doc  string
		want []FieldError // Field and Rule only
	}{
		{"DomainId given", head + `"UserProfiles":[{"UserProfileName":"a","DomainId":"d-abc"}]}`,
			[]FieldError{{Field: "UserProfiles[a].DomainId", Rule: RuleType}}},
		{"unknown member", head + `"UserProfiles":[{"UserProfileName":"a","Nickname":"x"}]}`,
			[]FieldError{{Field: "UserProfiles[a].Nickname", Rule: RuleType}}},
		{"bad role and name", head + `"UserProfiles":[{"UserProfileName":"-a","UserSettings":{"ExecutionRole":"role"}}]}`,
			[]FieldError{{Field: "UserProfiles[-a].UserProfileName", Rule: RulePattern}, {Field: "UserProfiles[-a].UserSettings.ExecutionRole", Rule: RuleLength}, {Field: "UserProfiles[-a].UserSettings.ExecutionRole", Rule: RulePattern}}},
		{"not an array", head + `"Spaces":{"SpaceName":"s"}}`, []FieldError{{Field: "Spaces", Rule: RuleType}}},
		{"not an object", head + `"Spaces":[1]}`, []FieldError{{Field: "Spaces[0]", Rule: RuleType}}},
		{"private space without owner or app type", head + `"Spaces":[{"SpaceName":"p","SpaceSharingSettings":{"SharingType":"Private"}}]}`,
			[]FieldError{{Field: "Spaces[p].OwnershipSettings.OwnerUserProfileName", Rule: RuleRequired}, {Field: "Spaces[p].SpaceSettings.AppType", Rule: RuleRequired}}},
		{"names equal without case", head + `"UserProfiles":[{"UserProfileName":"alice"},{"UserProfileName":"Alice"}]}`,
			[]FieldError{{Field: "UserProfiles[Alice]", Rule: RuleConflict}}},
		{"SSO pair in an IAM domain", head + `"UserProfiles":[{"UserProfileName":"a","SingleSignOnUserIdentifier":"UserName","SingleSignOnUserValue":"a@example.com"}]}`,
			[]FieldError{{Field: "UserProfiles[a].SingleSignOnUserValue", Rule: RuleConflict}}},
		{"member tag reserved", head + `"Spaces":[{"SpaceName":"s","Tags":[{"Key":"aws:x","Value":"1"}]}]}`,
			[]FieldError{{Field: "Spaces[s].Tags[0].Key", Rule: RulePattern}}},
		{"domain and member problems together", `{"DomainName":"d","AuthMode":"IAM","UserProfiles":[{"UserProfileName":"a b"}]}`,
			[]FieldError{{Field: "DefaultUserSettings", Rule: RuleRequired}, {Field: "DefaultUserSettings.ExecutionRole", Rule: RuleRequired}, {Field: "UserProfiles[a b].UserProfileName", Rule: RulePattern}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadSpecJSON(strings.NewReader(tt.doc))
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("LoadSpecJSON: %v, want *ValidationError", err)
			}
			var got []FieldError
			for _, p := range ve.Problems {
				got = append(got, FieldError{Field: p.Field, Rule: p.Rule})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s\nall: %v", diff, err)
			}
		})
	}
}

func TestNewSpecMemberProblems(t *testing.T) {
	alice := mustProfile(t, "alice")
	sso := mustProfile(t, "carol", WithSSOUser("UserName", "carol@example.com"))
	orphan := mustSpaceSpec(t, "orphan", WithSpaceOwner("dave"))
	tests := []struct {
		name string
		opts []Option
		want []FieldError
	}{
		{"nil member", []Option{WithUserProfiles(nil)}, []FieldError{{Field: "UserProfiles[0]", Rule: RuleRequired}}},
		{"twice", []Option{WithUserProfiles(alice), WithUserProfiles(mustProfile(t, "ALICE"))},
			[]FieldError{{Field: "UserProfiles[ALICE]", Rule: RuleConflict}}},
		{"SSO user in an IAM domain", []Option{WithUserProfiles(sso)}, []FieldError{{Field: "UserProfiles[carol].SingleSignOnUserValue", Rule: RuleConflict}}},
		{"no SSO user in an SSO domain", []Option{WithAuthMode(types.AuthModeSso), WithUserProfiles(alice)},
			[]FieldError{{Field: "UserProfiles[alice].SingleSignOnUserValue", Rule: RuleRequired}}},
		{"prune with an undeclared owner", []Option{WithPrune(), WithSpaces(orphan)},
			[]FieldError{{Field: "Spaces[orphan].OwnershipSettings.OwnerUserProfileName", Rule: RuleConflict}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewSpec("d", append(seedOptions(), tt.opts...)...)
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("NewSpec: %v, want *ValidationError", err)
			}
			var got []FieldError
			for _, p := range ve.Problems {
				got = append(got, FieldError{Field: p.Field, Rule: p.Rule})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
	if _, err := NewSpec("d", append(seedOptions(), WithSpaces(orphan))...); err != nil {
		t.Errorf("without prune an undeclared owner may exist in the domain: %v", err)
	}
}

func TestSharedOptionsTypes(t *testing.T) {
	// WithExecutionRole, WithSecurityGroups, WithUserSettings and WithTags
	// serve both kinds; domain-only options are no UserProfileOption, so
	// passing one to NewUserProfileSpec does not compile.
	var _ UserProfileOption = WithExecutionRole(testRole)
	var _ UserProfileOption = WithSecurityGroups("sg-1")
	var _ UserProfileOption = WithUserSettings(nil)
	var _ UserProfileOption = WithTags(nil)
	var _ SpaceOption = WithTags(nil)
	for name, o := range map[string]Option{"WithVPC": WithVPC("vpc-1", "subnet-1"), "WithKMSKey": WithKMSKey("k"),
		"WithAuthMode": WithAuthMode(types.AuthModeIam), "WithUserProfiles": WithUserProfiles(), "WithPrune": WithPrune()} {
		if _, ok := o.(UserProfileOption); ok {
			t.Errorf("%s is a UserProfileOption", name)
		}
		if _, ok := o.(SpaceOption); ok {
			t.Errorf("%s is a SpaceOption", name)
		}
	}
}

func TestNewUserProfileSpecSetsProfileSettings(t *testing.T) {
	p := mustProfile(t, "alice", WithExecutionRole(testRole), WithSecurityGroups("sg-1", "sg-2"),
		WithUserSettings(&types.UserSettings{DefaultLandingUri: strPtr("studio::")}), WithTags(map[string]string{"k": "v"}))
	in := p.CreateUserProfileInput()
	us := in.UserSettings
	if *us.ExecutionRole != testRole || len(us.SecurityGroups) != 2 || *us.DefaultLandingUri != "studio::" {
		t.Errorf("UserSettings %+v", us)
	}
	if in.DomainId != nil || len(in.Tags) != 1 {
		t.Errorf("DomainId %v, Tags %v", in.DomainId, in.Tags)
	}
	_, err := NewUserProfileSpec("a_b", WithExecutionRole("not-a-role"))
	var ve *ValidationError
	if !errors.As(err, &ve) || !ve.Has("UserProfileName", RulePattern) || !ve.Has("UserSettings.ExecutionRole", RulePattern) {
		t.Errorf("NewUserProfileSpec with a bad name and role: %v", err)
	}
}

func mustProfile(t *testing.T, name string, opts ...UserProfileOption) *UserProfileSpec {
	t.Helper()
	p, err := NewUserProfileSpec(name, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func mustSpaceSpec(t *testing.T, name string, opts ...SpaceOption) *SpaceSpec {
	t.Helper()
	s, err := NewSpaceSpec(name, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func strPtr(s string) *string { return &s }

func TestValidationProblemsInOneOrder(t *testing.T) {
	const doc = `{"DomainName":"d","AuthMode":"IAM","Zeta":1,"Alpha":2,"Mu":3,"DefaultUserSettings":{"ExecutionRole":"r","Q":1,"B":2},
		"UserProfiles":[{"UserProfileName":"a","Y":1,"C":2}],"Spaces":[{"SpaceName":"s","K":1,"D":2}]}`
	var first []FieldError
	for i := range 30 {
		_, err := LoadSpecJSON(strings.NewReader(doc))
		var ve *ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("LoadSpecJSON: %v", err)
		}
		if i == 0 {
			first = ve.Problems
			continue
		}
		if diff := cmp.Diff(first, ve.Problems); diff != "" {
			t.Fatalf("run %d gave the problems in another order (-first +now):\n%s", i, diff)
		}
	}
}
