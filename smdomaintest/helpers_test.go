package smdomaintest_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/finegrained/smdomain/smdomaintest"
)

var epoch0 = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

const role = "arn:aws:iam::123456789012:role/SageMakerExecutionRole"

// newTest starts a server on a fake clock and returns it with a SageMaker
// client pointed at it.
func newTest(t *testing.T, opts ...smdomaintest.Option) (*smdomaintest.Server, *sagemaker.Client, *smdomaintest.FakeClock) {
	t.Helper()
	clock := smdomaintest.NewFakeClock(epoch0)
	srv := smdomaintest.NewServer(append([]smdomaintest.Option{smdomaintest.WithClock(clock)}, opts...)...)
	t.Cleanup(srv.Close)
	return srv, sagemaker.NewFromConfig(srv.AWSConfig()), clock
}

func minimalCreate(name string) *sagemaker.CreateDomainInput {
	return &sagemaker.CreateDomainInput{
		DomainName:          aws.String(name),
		AuthMode:            types.AuthModeIam,
		DefaultUserSettings: &types.UserSettings{ExecutionRole: aws.String(role)},
	}
}

func mustCreate(t *testing.T, c *sagemaker.Client, in *sagemaker.CreateDomainInput) *sagemaker.CreateDomainOutput {
	t.Helper()
	out, err := c.CreateDomain(context.Background(), in)
	if err != nil {
		t.Fatalf("CreateDomain: %v", err)
	}
	return out
}

func mustDescribe(t *testing.T, c *sagemaker.Client, id string) *sagemaker.DescribeDomainOutput {
	t.Helper()
	out, err := c.DescribeDomain(context.Background(), &sagemaker.DescribeDomainInput{DomainId: aws.String(id)})
	if err != nil {
		t.Fatalf("DescribeDomain %s: %v", id, err)
	}
	return out
}
