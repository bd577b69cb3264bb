package smdomain_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/finegrained/smdomain"
	"github.com/google/go-cmp/cmp"
)

// liveTags returns the tags on arn but the create token, which every
// domain Ensure creates carries (create_recovery_test.go checks it).
func liveTags(t *testing.T, e *env, arn string) map[string]string {
	t.Helper()
	out, err := e.sm.ListTags(context.Background(), &sagemaker.ListTagsInput{ResourceArn: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	tags := map[string]string{}
	for _, tag := range out.Tags {
		tags[*tag.Key] = *tag.Value
	}
	delete(tags, smdomain.CreateTokenTagKey)
	return tags
}

func TestOwnerTagsWhatItCreates(t *testing.T) {
	e := newEnv(t)
	teamA := e.newClient(smdomain.WithOwner("team-a"))
	spec := mustSpec(t, "owned", seedOptions()...)
	p, err := teamA.Plan(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	if last := p.Changes[len(p.Changes)-1]; last.Path != "Tags.smdomain:owner" || last.To != "team-a" {
		t.Errorf("create plan does not show the owner tag: %s", p)
	}
	res := mustEnsure(t, teamA, spec)
	want := map[string]string{"Environment": "Development", "Project": "MachineLearning", smdomain.OwnerTagKey: "team-a"}
	if diff := cmp.Diff(want, liveTags(t, e, res.Domain.ARN)); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
	// The owner's next Ensure is a no-op: the owner tag is not a change,
	// though the spec's tags are authoritative and do not list it.
	e.srv.ResetCalls()
	if again := mustEnsure(t, teamA, spec); again.Action != smdomain.ActionUnchanged {
		t.Errorf("owner's second Ensure: %q %v", again.Action, again.Changes)
	}
	// A change of the spec's tags leaves the owner tag alone.
	retag := mustSpec(t, "owned", seedOptions(smdomain.WithTags(map[string]string{"Project": "Other"}))...)
	mustEnsure(t, teamA, retag)
	if got := liveTags(t, e, res.Domain.ARN)[smdomain.OwnerTagKey]; got != "team-a" {
		t.Errorf("owner tag after a tag change: %q", got)
	}
}

func TestOwnerRefusesOthersDomains(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	spec := mustSpec(t, "theirs", seedOptions()...)
	mustEnsure(t, e.newClient(smdomain.WithOwner("team-a")), spec)
	mustEnsure(t, e.client, mustSpec(t, "untagged", seedOptions()...)) // made without an owner

	teamB := e.newClient(smdomain.WithOwner("team-b"))
	changed := mustSpec(t, "theirs", seedOptions(smdomain.WithSecurityGroups("sg-0fff1234def567890"))...)
	tests := []struct {
		name  string
		call  func() error
		owner string
	}{
		{"plan another owner's", func() error { _, err := teamB.Plan(ctx, changed); return err }, "team-a"},
		{"ensure another owner's", func() error { _, err := teamB.Ensure(ctx, changed); return err }, "team-a"},
		{"delete another owner's", func() error {
			_, err := teamB.Delete(ctx, smdomain.ByName("theirs"), smdomain.WithCascade())
			return err
		}, "team-a"},
		{"ensure an untagged one", func() error {
			_, err := teamB.Ensure(ctx, mustSpec(t, "untagged", seedOptions(smdomain.WithSecurityGroups("sg-0fff1234def567890"))...))
			return err
		}, ""},
		{"delete an untagged one", func() error { _, err := teamB.Delete(ctx, smdomain.ByName("untagged")); return err }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.srv.ResetCalls()
			err := tt.call()
			var noe *smdomain.NotOwnedError
			if !errors.As(err, &noe) || noe.Owner != tt.owner || noe.Want != "team-b" {
				t.Fatalf("%v, want *NotOwnedError{Owner: %q, Want: team-b}", err, tt.owner)
			}
			if w := e.writes(); len(w) != 0 {
				t.Errorf("wrote %v", w)
			}
		})
	}
	if ids := e.srv.DomainIDs(); len(ids) != 2 {
		t.Errorf("domains = %v, want both kept", ids)
	}
	// The owner itself may delete its domain.
	if res, err := e.newClient(smdomain.WithOwner("team-a")).Delete(ctx, smdomain.ByName("theirs")); err != nil || res.Action != smdomain.ActionDeleted {
		t.Errorf("owner's Delete: %v %v", res, err)
	}
}

// With WithOwner the owner tag joins the spec's tags; 50 spec tags plus
// the owner's are more than the service allows, so Plan and Ensure must
// refuse before any call rather than plan a create the service rejects.
func TestOwnerTagOverTagLimit(t *testing.T) {
	e := newEnv(t, smdomain.WithOwner("team-a"))
	tags := map[string]string{}
	for i := range 50 {
		tags[fmt.Sprintf("k%02d", i)] = "v"
	}
	spec := mustSpec(t, "ot", smdomain.WithExecutionRole(testRole), smdomain.WithTags(tags))
	var ve *smdomain.ValidationError
	if p, err := e.client.Plan(context.Background(), spec); !errors.As(err, &ve) {
		t.Errorf("Plan: %v, %v; want *ValidationError", p, err)
	}
	if _, err := e.client.Ensure(context.Background(), spec); !errors.As(err, &ve) {
		t.Errorf("Ensure: %v; want *ValidationError", err)
	}
	if ops := e.ops(); len(ops) != 0 {
		t.Errorf("calls: %v, want none", ops)
	}
}

// TestSpecRefusesReservedTagKeys refuses, in every kind of spec, the tag
// keys the Client sets itself: a spec that sets the owner tag could give
// a domain away, or orphan it.
func TestSpecRefusesReservedTagKeys(t *testing.T) {
	for _, key := range []string{smdomain.OwnerTagKey, smdomain.CreateTokenTagKey} {
		t.Run(key, func(t *testing.T) {
			tags := map[string]string{key: "team-b"}
			_, domainErr := smdomain.NewSpec("given-away", seedOptions(smdomain.WithTags(tags))...)
			_, jsonErr := smdomain.LoadSpecJSON(strings.NewReader(`{"DomainName": "given-away", "AuthMode": "IAM",
				"DefaultUserSettings": {"ExecutionRole": "` + testRole + `"},
				"Tags": [{"Key": "Project", "Value": "p"}, {"Key": "` + key + `", "Value": "team-b"}]}`))
			_, profileErr := smdomain.NewUserProfileSpec("alice", smdomain.WithTags(tags))
			for _, tt := range []struct {
				call  string
				err   error
				field string
			}{
				{"NewSpec", domainErr, "Tags[2].Key"}, // in key order, after Environment and Project
				{"LoadSpecJSON", jsonErr, "Tags[1].Key"},
				{"NewUserProfileSpec", profileErr, "Tags[0].Key"},
			} {
				var ve *smdomain.ValidationError
				if !errors.As(tt.err, &ve) || !ve.Has(tt.field, smdomain.RuleConflict) {
					t.Errorf("%s with tag %s: %v, want a *ValidationError with a conflict on %s", tt.call, key, tt.err, tt.field)
				}
			}
		})
	}
}

// TestOwnerValueCheckedBeforeAnyCall refuses a WithOwner value that is no
// valid tag value, or empty, before any call of any entry point.
func TestOwnerValueCheckedBeforeAnyCall(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	id := mustEnsure(t, e.client, mustSpec(t, "owned", seedOptions()...)).Domain.ID
	alice := mustProfile(t, "alice")
	for _, owner := range []string{"", strings.Repeat("x", 257), "team\ta", "team<a>"} {
		c := e.newClient(smdomain.WithOwner(owner))
		for _, tt := range []struct {
			name string
			call func() error
		}{
			{"Plan", func() error { _, err := c.Plan(ctx, mustSpec(t, "owned", seedOptions()...)); return err }},
			{"Ensure", func() error { _, err := c.Ensure(ctx, mustSpec(t, "owned", seedOptions()...)); return err }},
			{"Delete", func() error { _, err := c.Delete(ctx, smdomain.ByName("owned")); return err }},
			{"PlanMember", func() error { _, err := c.PlanMember(ctx, smdomain.ByID(id), alice); return err }},
			{"EnsureMember", func() error { _, err := c.EnsureMember(ctx, smdomain.ByID(id), alice); return err }},
			{"RemoveMember", func() error {
				_, err := c.RemoveMember(ctx, smdomain.ByName("owned"), smdomain.KindUserProfile, "alice")
				return err
			}},
		} {
			e.srv.ResetCalls()
			err := tt.call()
			var ve *smdomain.ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) == 0 || ve.Problems[0].Field != "WithOwner" {
				t.Errorf("%s WithOwner(%q): %v, want a *ValidationError on WithOwner", tt.name, owner, err)
			}
			if ops := e.ops(); len(ops) != 0 {
				t.Errorf("%s WithOwner(%q) called %v", tt.name, owner, ops)
			}
		}
	}
	if ids := e.srv.DomainIDs(); len(ids) != 1 {
		t.Errorf("domains %v, want the one kept", ids)
	}
}

// TestCascadeRechecksOwnership hands the domain to another owner after
// the cascade's first delete: the cascade must stop before its next
// destructive call, typed, and say what it had deleted.
func TestCascadeRechecksOwnership(t *testing.T) {
	e, id := newPopulatedEnv(t)
	d, err := e.client.Get(context.Background(), smdomain.ByName("busy"))
	if err != nil {
		t.Fatal(err)
	}
	e.srv.SetTags(d.ARN, map[string]string{smdomain.OwnerTagKey: "team-a"})
	api := newHookedAPI(e.sm, map[string]func(int){"DeleteApp": func(n int) {
		if n == 1 { // the first DeleteApp was checked and goes; the domain changes hands meanwhile
			e.srv.SetTags(d.ARN, map[string]string{smdomain.OwnerTagKey: "team-b"})
		}
	}})
	c := smdomain.New(api, smdomain.WithClock(e.clk), smdomain.WithOwner("team-a"))
	e.srv.ResetCalls()
	res, err := c.Delete(context.Background(), smdomain.ByName("busy"), smdomain.WithCascade())
	var noe *smdomain.NotOwnedError
	if !errors.As(err, &noe) || noe.Owner != "team-b" || noe.DomainID != id {
		t.Fatalf("Delete: %v, want *NotOwnedError naming team-b", err)
	}
	var ce *smdomain.CascadeError
	if !errors.As(err, &ce) {
		t.Fatalf("Delete: %v, want a *CascadeError", err)
	}
	want := []smdomain.Change{{Path: "Apps.alice/JupyterServer/default", From: "InService"}}
	if diff := cmp.Diff(want, ce.Deleted); diff != "" {
		t.Errorf("CascadeError.Deleted (-want +got):\n%s", diff)
	}
	if res == nil || cmp.Diff(want, res.Changes) != "" {
		t.Errorf("Result %+v, want its Changes to list what was deleted", res)
	}
	if got := e.count("DeleteApp") + e.count("DeleteSpace") + e.count("DeleteUserProfile") + e.count("DeleteDomain"); got != 1 {
		t.Errorf("destructive calls %v, want the one DeleteApp made before the handover", e.ops())
	}
	// It stops at the first check after the handover, not at the deadline:
	// the lookup's ListTags, the one before the first delete, the one
	// that saw team-b.
	if n := e.count("ListTags"); n != 3 {
		t.Errorf("%d ListTags, want 3: %v", n, e.ops())
	}
	if errors.Is(err, smdomain.ErrWaitTimeout) {
		t.Errorf("Delete: %v, want it stopped at once, not timed out", err)
	}
}
