package smdomain_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/google/go-cmp/cmp"

	"github.com/finegrained/smdomain"
)

func TestListSortedByNameThenID(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, name := range []string{"zeta", "alpha", "mid"} {
		mustEnsure(t, e.newClient(), mustSpec(t, name, seedOptions()...))
	}
	// A second domain with a name already taken, made behind smdomain's back.
	in := mustSpec(t, "alpha", seedOptions()...).CreateDomainInput()
	if _, err := e.sm.CreateDomain(ctx, in); err != nil {
		t.Fatal(err)
	}
	got, err := e.client.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for i, d := range got {
		names = append(names, d.Name)
		if d.ID == "" || d.ARN == "" || d.URL == "" || d.Status == "" {
			t.Errorf("summary %d incomplete: %+v", i, d)
		}
		if i > 0 && d.Name == got[i-1].Name && d.ID < got[i-1].ID {
			t.Errorf("two alphas out of ID order: %s before %s", got[i-1].ID, d.ID)
		}
	}
	if diff := cmp.Diff([]string{"alpha", "alpha", "mid", "zeta"}, names); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
}

func TestExportPlansAsNoOp(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	res := mustEnsure(t, e.client, team{}.spec(t))
	// Someone adds a user by hand, and AWS a tag of its own.
	if _, err := e.sm.CreateUserProfile(ctx, &sagemaker.CreateUserProfileInput{DomainId: aws.String(res.Domain.ID),
		UserProfileName: aws.String("carol")}); err != nil {
		t.Fatal(err)
	}
	e.clk.Advance(createDelay)
	e.srv.SetTags(res.Domain.ARN, map[string]string{"Environment": "Development", "Project": "MachineLearning", "aws:cloudformation:stack-name": "x"})

	spec, err := e.client.Export(ctx, smdomain.ByName("fraud-ml"))
	if err != nil {
		t.Fatal(err)
	}
	if spec.DomainID() != res.Domain.ID {
		t.Errorf("exported spec pins %q, want %s", spec.DomainID(), res.Domain.ID)
	}
	if _, ok := spec.Tags()["aws:cloudformation:stack-name"]; ok {
		t.Error("the aws: tag is in the exported spec")
	}
	data, err := spec.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	back, err := smdomain.LoadSpecJSON(bytes.NewReader(data), smdomain.WithPrune(), smdomain.WithDomainID(res.Domain.ID))
	if err != nil {
		t.Fatalf("LoadSpecJSON(Export): %v\n%s", err, data)
	}
	e.srv.ResetCalls()
	plan, err := e.newClient().Plan(ctx, back)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Action != smdomain.PlanNoOp {
		t.Errorf("exported spec plans as %s, want no-op:\n%s", plan.Action, plan)
	}
	var members []string
	for _, m := range plan.Members {
		members = append(members, string(m.Kind)+" "+m.Name+" "+string(m.Action))
	}
	want := []string{"user profile alice no-op", "user profile bob no-op", "user profile carol no-op",
		"space alice-scratch no-op", "space fraud-detection no-op"}
	if diff := cmp.Diff(want, members); diff != "" {
		t.Errorf("members (-want +got):\n%s", diff)
	}
}
