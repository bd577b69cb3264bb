package smdomain_test

import (
	"context"
	"errors"
	"fmt"
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
		{"delete another owner's", func() error { _, err := teamB.Delete(ctx, "theirs", smdomain.WithCascade()); return err }, "team-a"},
		{"ensure an untagged one", func() error {
			_, err := teamB.Ensure(ctx, mustSpec(t, "untagged", seedOptions(smdomain.WithSecurityGroups("sg-0fff1234def567890"))...))
			return err
		}, ""},
		{"delete an untagged one", func() error { _, err := teamB.Delete(ctx, "untagged"); return err }, ""},
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
	if res, err := e.newClient(smdomain.WithOwner("team-a")).Delete(ctx, "theirs"); err != nil || res.Action != smdomain.ActionDeleted {
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
