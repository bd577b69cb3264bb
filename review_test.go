package smdomain_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/finegrained/smdomain"
)

const reviewRStudioRole = "arn:aws:iam::123456789012:role/RStudioDomainRole"

// A change to one member of the RStudio domain settings is sent in
// RStudioServerProDomainSettingsForUpdate, whose DomainExecutionRoleArn the
// model requires: the update must carry it alongside.
func TestReviewUpdateRStudioResourceSpec(t *testing.T) {
	e := newEnv(t)
	rs := func(instance types.AppInstanceType) smdomain.Option {
		return smdomain.WithDomainSettings(&types.DomainSettings{
			RStudioServerProDomainSettings: &types.RStudioServerProDomainSettings{
				DomainExecutionRoleArn: aws.String(reviewRStudioRole),
				DefaultResourceSpec:    &types.ResourceSpec{InstanceType: instance},
			},
		})
	}
	mustEnsure(t, e.client, mustSpec(t, "rs", smdomain.WithExecutionRole(testRole), rs(types.AppInstanceTypeSystem)))
	spec := mustSpec(t, "rs", smdomain.WithExecutionRole(testRole), rs(types.AppInstanceTypeMlT3Medium))
	res, err := e.client.Ensure(context.Background(), spec)
	if err != nil {
		t.Fatalf("Ensure with a changed RStudio DefaultResourceSpec: %v", err)
	}
	if res.Action != smdomain.ActionUpdated {
		t.Fatalf("action %q, want updated", res.Action)
	}
	p, err := e.client.Plan(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	if p.Action != smdomain.PlanNoOp {
		t.Fatalf("plan after update:\n%s", p)
	}
}

// A domain created without HomeEfsFileSystemCreation has a home EFS volume
// (Enabled is the service's default); asking for Disabled needs a new
// domain, so Plan must say replace-required and Ensure must write nothing.
func TestReviewHomeEFSDisabledOnDefaultDomainForcesReplacement(t *testing.T) {
	e := newEnv(t)
	mustEnsure(t, e.client, mustSpec(t, "efs", smdomain.WithExecutionRole(testRole)))
	spec := mustSpec(t, "efs", smdomain.WithExecutionRole(testRole),
		smdomain.WithHomeEFSCreation(types.HomeEfsFileSystemCreationDisabled))
	p, err := e.client.Plan(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	if p.Action != smdomain.PlanReplaceRequired {
		t.Errorf("plan:\n%s want replace-required", p)
	}
	e.srv.ResetCalls()
	_, err = e.client.Ensure(context.Background(), spec)
	var rr *smdomain.ReplacementRequiredError
	if !errors.As(err, &rr) {
		t.Errorf("Ensure: %v, want *ReplacementRequiredError", err)
	}
	if w := e.writes(); len(w) != 0 {
		t.Errorf("Delete writes: %v, want none", w)
	}
}

// Ensure on an Update_Failed domain whose settings already match but whose
// tags differ must not report success with the domain still Update_Failed
// (the same Ensure with matching tags is a *StatusError).
func TestReviewUpdateFailedTagOnlyChange(t *testing.T) {
	e := newEnv(t)
	res := mustEnsure(t, e.client, mustSpec(t, "uf", seedOptions()...))
	if err := e.srv.SetDomainStatus(res.Domain.ID, "Update_Failed", "subnet gone"); err != nil {
		t.Fatal(err)
	}
	spec := mustSpec(t, "uf", seedOptions(smdomain.WithTags(map[string]string{"Project": "Other"}))...)
	res, err := e.client.Ensure(context.Background(), spec)
	if err == nil {
		t.Fatalf("Ensure: action %q, domain status %q, nil error; want *StatusError", res.Action, res.Domain.Status)
	}
	var se *smdomain.StatusError
	if !errors.As(err, &se) || se.Status != "Update_Failed" {
		t.Fatalf("Ensure: %v, want *StatusError Update_Failed", err)
	}
}

// With WithOwner the owner tag joins the spec's tags; 50 spec tags plus
// the owner's are more than the service allows, so Plan and Ensure must
// refuse before any call rather than plan a create the service rejects.
func TestReviewOwnerTagOverTagLimit(t *testing.T) {
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

// A domain with 50 tags (the most a resource may carry) and a spec of 50
// tags that swaps one key: the target is valid, so Ensure must reach it
// (the removed tag must go before the new one is added).
func TestReviewTagSwapAtTagLimit(t *testing.T) {
	e := newEnv(t)
	tags := func(from int) map[string]string {
		m := map[string]string{}
		for i := from; i < from+50; i++ {
			m[fmt.Sprintf("k%02d", i)] = "v"
		}
		return m
	}
	// Made elsewhere: Ensure would not create a domain of 50 tags, since
	// its create token takes one of them (TestCreateTagsLeaveRoomForToken).
	if _, err := e.sm.CreateDomain(context.Background(),
		mustSpec(t, "tl", smdomain.WithExecutionRole(testRole), smdomain.WithTags(tags(0))).CreateDomainInput()); err != nil {
		t.Fatal(err)
	}
	spec := mustSpec(t, "tl", smdomain.WithExecutionRole(testRole), smdomain.WithTags(tags(1)))
	res, err := e.client.Ensure(context.Background(), spec)
	if err != nil {
		t.Fatalf("Ensure: %v", err)
	}
	if res.Action != smdomain.ActionUpdated {
		t.Errorf("action %q, want updated", res.Action)
	}
	p, err := e.client.Plan(context.Background(), spec)
	if err != nil || p.Action != smdomain.PlanNoOp {
		t.Fatalf("plan after Ensure: %v\n%s", err, p)
	}
}

// Waiter options that every wait refuses (MaxDelay below MinDelay) must be
// refused before Ensure or Delete writes, not after CreateDomain.
func TestReviewBadWaitOptionsRefusedBeforeWrite(t *testing.T) {
	e := newEnv(t, smdomain.WithWaitOptions(func(o *smdomain.DomainInServiceWaiterOptions) { o.MaxDelay = time.Second }))
	if _, err := e.client.Ensure(context.Background(), mustSpec(t, "w", smdomain.WithExecutionRole(testRole))); err == nil {
		t.Error("Ensure: nil error, want the MinDelay/MaxDelay error")
	}
	if w := e.writes(); len(w) != 0 {
		t.Errorf("Ensure writes: %v, want none", w)
	}
	mustEnsure(t, e.newClient(), mustSpec(t, "w", smdomain.WithExecutionRole(testRole)))
	e.srv.ResetCalls()
	if _, err := e.client.Delete(context.Background(), "w"); err == nil {
		t.Error("Delete: nil error, want the MinDelay/MaxDelay error")
	}
	if w := e.writes(); len(w) != 0 {
		t.Errorf("Delete writes: %v, want none", w)
	}
}
