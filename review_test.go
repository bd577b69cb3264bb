package smdomain_test

import (
	"context"
	"testing"

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
