package main

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/google/go-cmp/cmp"

	"github.com/finegrained/smdomain/smdomaintest"
)

// ssoBob is bob's element of ssoTeamJSON's UserProfiles, with the comma
// before it, so that a test can take him out.
const ssoBob = `,
    {"UserProfileName": "bob", "SingleSignOnUserIdentifier": "UserName", "SingleSignOnUserValue": "bob@example.com"}`

// ssoTeamJSON is the README's sso-team.json: an SSO domain whose user
// profiles belong to the Identity Center users alice@example.com and
// bob@example.com.
const ssoTeamJSON = `{
  "DomainName": "sso-ml",
  "AuthMode": "SSO",
  "DefaultUserSettings": {"ExecutionRole": "arn:aws:iam::123456789012:role/SageMakerExecutionRole"},
  "UserProfiles": [
    {"UserProfileName": "alice", "SingleSignOnUserIdentifier": "UserName", "SingleSignOnUserValue": "alice@example.com"}` + ssoBob + `
  ]
}`

// assignments returns the Identity Center assignments of the SSO domain
// id's application, as "TYPE/principal ID", sorted.
func (c *cli) assignments(id string) []string {
	c.t.Helper()
	out, err := sagemaker.NewFromConfig(c.srv.AWSConfig()).DescribeDomain(context.Background(), &sagemaker.DescribeDomainInput{DomainId: aws.String(id)})
	if err != nil {
		c.t.Fatal(err)
	}
	var have []string
	for _, a := range c.srv.ApplicationAssignments(aws.ToString(out.SingleSignOnApplicationArn)) {
		have = append(have, string(a.PrincipalType)+"/"+aws.ToString(a.PrincipalId))
	}
	slices.Sort(have)
	return have
}

// TestCLIIdentityCenter: with --identity-store-id, plan lists the
// assignments an SSO team file needs, apply makes them once, a second
// apply makes no assignment write, and apply --prune unassigns the user it
// offboards and no one else.
func TestCLIIdentityCenter(t *testing.T) {
	c := newCLI(t)
	alice := c.srv.AddIdentityCenterUser("alice@example.com")
	bob := c.srv.AddIdentityCenterUser("bob@example.com")
	team := c.srv.AddIdentityCenterGroup("fraud team")
	idc := []string{"--identity-store-id", c.srv.IdentityStoreID(), "--sso-group", "fraud team"}
	file := c.writeFile("sso-team.json", ssoTeamJSON)

	got := c.run("", append([]string{"plan", "-f", file}, idc...)...)
	want(t, "plan", got, 2, []string{
		`domain "sso-ml" in 123456789012/us-east-1: create`,
		`  + Assignments.GROUP.fraud team: "` + team + `"`,
		`  + Assignments.USER.alice@example.com: "` + alice + `"`,
		`  + Assignments.USER.bob@example.com: "` + bob + `"`,
	}, nil)
	if w := c.writes(); len(w) != 0 {
		t.Fatalf("plan wrote: %v", w)
	}

	got = c.run("", append([]string{"apply", "-f", file}, idc...)...)
	want(t, "apply", got, 0, []string{
		"\nuser profile \"alice\" created\nuser profile \"bob\" created\n" +
			"assigned group \"fraud team\" to the domain's Identity Center application\n" +
			"assigned user \"alice@example.com\" to the domain's Identity Center application\n" +
			"assigned user \"bob@example.com\" to the domain's Identity Center application\n",
	}, nil)
	id := c.srv.DomainIDs()[0]
	if diff := cmp.Diff(slices.Sorted(slices.Values([]string{"GROUP/" + team, "USER/" + alice, "USER/" + bob})), slices.Sorted(slices.Values(c.assignments(id)))); diff != "" {
		t.Errorf("assignments after apply (-want +got):\n%s", diff)
	}

	want(t, "plan again", c.run("", append([]string{"plan", "-f", file}, idc...)...), 0, []string{": no-op\n"}, nil)
	c.srv.ResetCalls()
	got = c.run("", append([]string{"apply", "-f", file}, idc...)...)
	want(t, "apply again", got, 0, []string{`domain "sso-ml" unchanged`}, nil)
	if w := c.writes(); len(w) != 0 {
		t.Errorf("second apply wrote: %v", w)
	}
	if strings.Contains(got.stdout, "assigned") {
		t.Errorf("second apply reports an assignment:\n%s", got.stdout)
	}
	if !slices.ContainsFunc(c.srv.Calls(), func(call smdomaintest.Call) bool { return call.Operation == "ListApplicationAssignments" }) {
		t.Error("second apply did not read the application's assignments")
	}

	// bob leaves: his profile goes, and his assignment with it; -o json
	// lists the unassignment among the Changes.
	withoutBob := strings.Replace(ssoTeamJSON, ssoBob, "", 1)
	c.srv.ResetCalls()
	got = c.run(withoutBob, append([]string{"apply", "-f", "-", "--prune", "-o", "json"}, idc...)...)
	doc := jsonDoc(t, "apply --prune -o json", got)
	var unassigned []any
	for _, ch := range doc["Changes"].([]any) {
		if strings.HasPrefix(ch.(map[string]any)["Path"].(string), "Assignments.") {
			unassigned = append(unassigned, ch)
		}
	}
	wantChanges := []any{map[string]any{"Path": "Assignments.USER.bob@example.com", "From": bob, "ForcesReplacement": false}}
	if diff := cmp.Diff(wantChanges, unassigned); diff != "" {
		t.Errorf("apply --prune -o json Changes (-want +got):\n%s", diff)
	}
	if w := c.writes(); !slices.Equal(w, []string{"DeleteUserProfile", "DeleteApplicationAssignment"}) {
		t.Errorf("apply --prune writes: %v, want DeleteUserProfile, DeleteApplicationAssignment", w)
	}
	if diff := cmp.Diff([]string{"GROUP/" + team, "USER/" + alice}, slices.Sorted(slices.Values(c.assignments(id)))); diff != "" {
		t.Errorf("assignments after apply --prune (-want +got):\n%s", diff)
	}
}

// TestCLIIdentityCenterUnknownUser: a user or group the identity store
// does not have stops plan and apply before anything is written, naming
// every one; --sso-group without --identity-store-id is a usage error.
func TestCLIIdentityCenterUnknownUser(t *testing.T) {
	c := newCLI(t)
	c.srv.AddIdentityCenterUser("alice@example.com")
	store := c.srv.IdentityStoreID()
	for _, cmd := range []string{"plan", "apply"} {
		got := c.run(ssoTeamJSON, cmd, "-f", "-", "--identity-store-id", store, "--sso-group", "nobody")
		want(t, cmd, got, 1, nil, []string{
			"smdomain " + cmd + `: identity store ` + store + ` has no user "bob@example.com" and no group "nobody"` + "\n",
			"nothing was changed"})
		if got.stdout != "" {
			t.Errorf("%s: stdout %q, want nothing", cmd, got.stdout)
		}
		noGoOptions(t, cmd, got)
	}
	if w := c.writes(); len(w) != 0 {
		t.Errorf("wrote %v", w)
	}
	if ids := c.srv.DomainIDs(); len(ids) != 0 {
		t.Errorf("domains: %v, want none", ids)
	}

	c.srv.ResetCalls()
	got := c.run(ssoTeamJSON, "apply", "-f", "-", "--sso-group", "fraud team")
	want(t, "--sso-group alone", got, 1, nil, []string{"--sso-group needs --identity-store-id"})
	if calls := c.srv.Calls(); len(calls) != 0 {
		t.Errorf("--sso-group alone: the emulator was called %d times, want 0", len(calls))
	}
}
