package smdomain_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/aws/smithy-go"

	"github.com/finegrained/smdomain"
	"github.com/finegrained/smdomain/smdomaintest"
)

// TestEnsureReportsRejectedUpdate: when the service rejects UpdateDomain,
// Ensure returns the service's error (reachable with errors.As) and no
// Result, and the next Plan still shows the change, so no caller can take a
// rejected update for a success.
func TestEnsureReportsRejectedUpdate(t *testing.T) {
	clock := smdomaintest.NewFakeClock(time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC))
	srv := smdomaintest.NewServer(smdomaintest.WithClock(clock))
	t.Cleanup(srv.Close)
	client := smdomain.NewFromConfig(srv.AWSConfig(), smdomain.WithClock(clock))
	ctx := context.Background()
	opts := []smdomain.Option{
		smdomain.WithVPC("vpc-0abc1234def567890", "subnet-0abc1234def567890"),
		smdomain.WithExecutionRole("arn:aws:iam::123456789012:role/SageMakerExecutionRole"),
		smdomain.WithSecurityGroups("sg-0abc1234def567890"),
	}
	spec, err := smdomain.NewSpec("rejected", opts...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Ensure(ctx, spec); err != nil {
		t.Fatal(err)
	}
	changed, err := smdomain.NewSpec("rejected", append(opts, smdomain.WithAppNetworkAccessType(types.AppNetworkAccessTypeVpcOnly))...)
	if err != nil {
		t.Fatal(err)
	}

	srv.Fail("UpdateDomain", 100)
	res, err := client.Ensure(ctx, changed)
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("Ensure = %v, %v; want the service's error", res, err)
	}
	if res != nil {
		t.Errorf("Ensure returned a Result with its error: %+v", res)
	}
	plan, err := client.Plan(ctx, changed)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Action != smdomain.PlanUpdate {
		t.Errorf("plan after the rejected update: %q, want update", plan.Action)
	}
}
