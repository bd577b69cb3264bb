package smdomain

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/finegrained/smdomain/smdomaintest"
)

// TestOutcomeUnknown classifies real SDK errors from the emulator: only a
// write that may have been carried out is "unknown".
func TestOutcomeUnknown(t *testing.T) {
	srv := smdomaintest.NewServer()
	defer srv.Close()
	sm := sagemaker.NewFromConfig(srv.AWSConfig())
	ctx := context.Background()
	noRetry := func(o *sagemaker.Options) { o.RetryMaxAttempts = 1 }
	valid := &sagemaker.CreateDomainInput{DomainName: aws.String("x"), AuthMode: types.AuthModeIam,
		DefaultUserSettings: &types.UserSettings{ExecutionRole: aws.String("arn:aws:iam::123456789012:role/R")}}
	tests := []struct {
		name string
		arm  func()
		in   *sagemaker.CreateDomainInput
		want bool
	}{
		{"refused by the SDK before sending", func() {}, &sagemaker.CreateDomainInput{}, false},
		{"refused by the service (4xx)", func() {}, &sagemaker.CreateDomainInput{DomainName: aws.String("bad name"),
			AuthMode: types.AuthModeIam, DefaultUserSettings: &types.UserSettings{}}, false},
		{"throttled", func() { srv.Throttle("CreateDomain", 1) }, valid, true},
		{"5xx", func() { srv.Fail("CreateDomain", 1) }, valid, true},
		{"connection cut", func() { srv.CutConnection("CreateDomain", 1) }, valid, true},
		{"response lost", func() { srv.LoseResponse("CreateDomain", 1) }, valid, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.arm()
			_, err := sm.CreateDomain(ctx, tt.in, noRetry)
			if err == nil {
				t.Fatal("CreateDomain succeeded; the case needs an error")
			}
			if got := outcomeUnknown(ctx, err); got != tt.want {
				t.Errorf("outcomeUnknown(%v) = %v, want %v", err, got, tt.want)
			}
		})
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if outcomeUnknown(cancelled, errors.New("anything")) {
		t.Error("a cancelled caller's error counted as unknown")
	}
}
