package main

import (
	"context"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/google/go-cmp/cmp"
)

// teamBob is bob's element of teamJSON's UserProfiles, with the comma
// before it, so that a test can take him out.
const teamBob = `,
    {"UserProfileName": "bob", "UserSettings": {"ExecutionRole": "arn:aws:iam::123456789012:role/bob-churn-data"}}`

// teamJSON is the README's team.json: a domain, two users with their own roles, the
// project's shared space and alice's private space.
const teamJSON = `{
  "DomainName": "fraud-ml",
  "AuthMode": "IAM",
  "DefaultUserSettings": {"ExecutionRole": "arn:aws:iam::123456789012:role/SageMakerExecutionRole"},
  "UserProfiles": [
    {"UserProfileName": "alice", "UserSettings": {"ExecutionRole": "arn:aws:iam::123456789012:role/alice-fraud-data"},
     "Tags": [{"Key": "team", "Value": "fraud"}]}` + teamBob + `
  ],
  "Spaces": [
    {"SpaceName": "fraud-detection", "SpaceSharingSettings": {"SharingType": "Shared"},
     "OwnershipSettings": {"OwnerUserProfileName": "alice"}},
    {"SpaceName": "alice-scratch", "SpaceSharingSettings": {"SharingType": "Private"},
     "OwnershipSettings": {"OwnerUserProfileName": "alice"}, "SpaceSettings": {"AppType": "JupyterLab"}}
  ]
}`

// changeLines are the change lines of plan's text output.
var changeLines = regexp.MustCompile(`(?m)^ +[-+~!] `)

// TestCLITeamFile: plan and apply a team file; plan -o json lists the
// members; a second apply writes nothing; a changed role is one change in
// the plan and one UpdateUserProfile carrying only that field.
func TestCLITeamFile(t *testing.T) {
	c := newCLI(t)
	file := c.writeFile("team.json", teamJSON)

	got := c.run("", "plan", "-f", file)
	want(t, "plan", got, 2, []string{
		`domain "fraud-ml" in 123456789012/us-east-1: create`,
		`  user profile "alice": create`,
		`  + UserProfiles.alice.UserSettings: {"ExecutionRole":"arn:aws:iam::123456789012:role/alice-fraud-data"}`,
		`  + UserProfiles.alice.Tags.team: "fraud"`,
		`  user profile "bob": create`,
		`  space "fraud-detection": create`,
		`  + Spaces.alice-scratch.SpaceSharingSettings: {"SharingType":"Private"}`,
	}, nil)
	if w := c.writes(); len(w) != 0 {
		t.Fatalf("plan wrote: %v", w)
	}

	got = c.run("", "apply", "-f", file)
	want(t, "apply", got, 0, []string{
		"domain \"fraud-ml\" created: d-",
		"\nuser profile \"alice\" created\nuser profile \"bob\" created\nspace \"alice-scratch\" created\nspace \"fraud-detection\" created\n",
	}, []string{`smdomain apply: waiting for user profile "alice" in d-`, `waiting for space "fraud-detection" in d-`,
		"smdomain apply: user profiles: 2 of 2", "smdomain apply: spaces: 2 of 2"})
	writes := c.writes()
	slices.Sort(writes)
	if diff := cmp.Diff([]string{"CreateDomain", "CreateSpace", "CreateSpace", "CreateUserProfile", "CreateUserProfile"}, writes); diff != "" {
		t.Errorf("apply's writes (-want +got):\n%s", diff)
	}

	got = c.run("", "plan", "-f", file, "-o", "json")
	want(t, "plan -o json", got, 0, nil, nil)
	var plan struct {
		Action  string
		Members []struct{ Kind, Name, Action string }
	}
	if err := json.Unmarshal([]byte(got.stdout), &plan); err != nil {
		t.Fatalf("plan -o json: %v\n%s", err, got.stdout)
	}
	wantMembers := []struct{ Kind, Name, Action string }{
		{"user profile", "alice", "no-op"}, {"user profile", "bob", "no-op"},
		{"space", "alice-scratch", "no-op"}, {"space", "fraud-detection", "no-op"},
	}
	if diff := cmp.Diff(wantMembers, plan.Members); plan.Action != "no-op" || diff != "" {
		t.Errorf("plan -o json: action %q, members (-want +got):\n%s", plan.Action, diff)
	}

	c.srv.ResetCalls()
	got = c.run("", "apply", "-f", file)
	want(t, "apply again", got, 0, []string{
		`domain "fraud-ml" unchanged`,
		"\nuser profile \"alice\" unchanged\nuser profile \"bob\" unchanged\nspace \"alice-scratch\" unchanged\nspace \"fraud-detection\" unchanged\n",
	}, nil)
	if w := c.writes(); len(w) != 0 {
		t.Errorf("second apply wrote: %v", w)
	}

	changed := strings.Replace(teamJSON, "alice-fraud-data", "alice-fraud-and-churn", 1)
	got = c.run(changed, "plan", "-f", "-")
	want(t, "plan role change", got, 2, []string{
		"update, 1 change\n",
		`  ~ UserProfiles.alice.UserSettings.ExecutionRole: "arn:aws:iam::123456789012:role/alice-fraud-data" -> "arn:aws:iam::123456789012:role/alice-fraud-and-churn"`,
	}, nil)
	if n := len(changeLines.FindAllString(got.stdout, -1)); n != 1 {
		t.Errorf("plan role change lists %d changes, want 1:\n%s", n, got.stdout)
	}

	c.srv.ResetCalls()
	got = c.run(changed, "apply", "-f", "-")
	want(t, "apply role change", got, 0, []string{"\nuser profile \"alice\" updated\nuser profile \"bob\" unchanged\n"}, nil)
	if w := c.writes(); !slices.Equal(w, []string{"UpdateUserProfile"}) {
		t.Fatalf("role change writes: %v, want one UpdateUserProfile", w)
	}
	for _, call := range c.srv.Calls() {
		if call.Operation != "UpdateUserProfile" {
			continue
		}
		var body map[string]any
		if err := json.Unmarshal(call.Body, &body); err != nil {
			t.Fatal(err)
		}
		wantBody := map[string]any{"DomainId": c.srv.DomainIDs()[0], "UserProfileName": "alice",
			"UserSettings": map[string]any{"ExecutionRole": "arn:aws:iam::123456789012:role/alice-fraud-and-churn"}}
		if diff := cmp.Diff(wantBody, body); diff != "" {
			t.Errorf("UpdateUserProfile carried (-want +got):\n%s", diff)
		}
	}
}

// TestCLIPrune: a user the file no longer declares is left alone without
// --prune; with it, plan says what the user loses and apply deletes their
// app, then their profile, and nothing else.
func TestCLIPrune(t *testing.T) {
	c := newCLI(t)
	want(t, "apply", c.run(teamJSON, "apply", "-f", "-"), 0, nil, nil)
	id := c.srv.DomainIDs()[0]
	// bob opens Studio: an app runs as him.
	sm := sagemaker.NewFromConfig(c.srv.AWSConfig())
	ctx := context.Background()
	if _, err := sm.CreateApp(ctx, &sagemaker.CreateAppInput{DomainId: aws.String(id), UserProfileName: aws.String("bob"),
		AppType: types.AppTypeJupyterServer, AppName: aws.String("default")}); err != nil {
		t.Fatal(err)
	}
	withoutBob := strings.Replace(teamJSON, teamBob, "", 1)

	got := c.run(withoutBob, "plan", "-f", "-")
	want(t, "plan without --prune", got, 0, []string{": no-op\n"}, nil)
	if strings.Contains(got.stdout, "bob") {
		t.Errorf("plan without --prune speaks of bob:\n%s", got.stdout)
	}

	got = c.run(withoutBob, "plan", "--prune", "-f", "-")
	want(t, "plan --prune", got, 2, []string{
		`  user profile "bob": offboard: `, "the user loses access to their home directory",
		"  - Apps.bob/JupyterServer/default: ", "  - UserProfiles.bob: ",
	}, nil)
	if strings.Contains(got.stdout, `"alice": `) || strings.Contains(got.stdout, `space "`) {
		t.Errorf("plan --prune changes a declared member:\n%s", got.stdout)
	}

	c.srv.ResetCalls()
	got = c.run(withoutBob, "apply", "--prune", "-f", "-")
	want(t, "apply --prune", got, 0, []string{
		"\nuser profile \"alice\" unchanged\n",
		"\nuser profile \"bob\" deleted\n  deleted Apps.bob/JupyterServer/default\n  deleted UserProfiles.bob\n",
	}, nil)
	if w := c.writes(); !slices.Equal(w, []string{"DeleteApp", "DeleteUserProfile"}) {
		t.Errorf("apply --prune writes: %v, want DeleteApp, DeleteUserProfile", w)
	}
	out, err := sm.ListUserProfiles(ctx, &sagemaker.ListUserProfilesInput{DomainIdEquals: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range out.UserProfiles {
		names = append(names, aws.ToString(p.UserProfileName))
	}
	if !slices.Equal(names, []string{"alice"}) {
		t.Errorf("user profiles after apply --prune: %v, want alice", names)
	}

	c.srv.ResetCalls()
	want(t, "apply --prune again", c.run(withoutBob, "apply", "--prune", "-f", "-"), 0, []string{`domain "fraud-ml" unchanged`}, nil)
	if w := c.writes(); len(w) != 0 {
		t.Errorf("second apply --prune wrote: %v", w)
	}
}

// TestCLIApplyMemberFails: when a member fails, apply still says what it
// did to the others, then the error naming the member, and exits 1.
func TestCLIApplyMemberFails(t *testing.T) {
	c := newCLI(t)
	want(t, "apply", c.run(teamJSON, "apply", "-f", "-"), 0, nil, nil)
	if err := c.srv.SetUserProfileStatus(c.srv.DomainIDs()[0], "bob", "Failed", "the user's volume could not be mounted"); err != nil {
		t.Fatal(err)
	}
	got := c.run(strings.Replace(teamJSON, "alice-fraud-data", "alice-fraud-and-churn", 1), "apply", "-f", "-")
	want(t, "apply with bob Failed", got, 1, []string{`domain "fraud-ml" updated: d-`, "\nuser profile \"alice\" updated\n"},
		[]string{`smdomain apply: user profile "bob"`, "Failed: the user's volume could not be mounted"})
	if strings.Contains(got.stdout, `"bob" `) {
		t.Errorf("apply reports bob as done:\n%s", got.stdout)
	}

	// With -o json, the document says the same, and the error follows it.
	got = c.run(strings.Replace(teamJSON, "alice-fraud-data", "alice-fraud-data-2", 1), "apply", "-f", "-", "-o", "json")
	want(t, "apply -o json with bob Failed", got, 1, nil, []string{`smdomain apply: user profile "bob"`})
	doc := jsonDoc(t, "apply -o json with bob Failed", got)
	var done []string
	for _, m := range doc["Members"].([]any) {
		done = append(done, m.(map[string]any)["Name"].(string)+" "+m.(map[string]any)["Action"].(string))
	}
	if doc["Action"] != "updated" || !slices.Contains(done, "alice updated") || slices.ContainsFunc(done, func(s string) bool { return strings.HasPrefix(s, "bob ") }) {
		t.Errorf("apply -o json with bob Failed: %v, members %q", doc, done)
	}
}
