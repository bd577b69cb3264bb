package smdomaintest_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/finegrained/smdomain/smdomaintest"
)

func TestSmoke(t *testing.T) {
	srv, c, clock := newTest(t, smdomaintest.WithCreateDelay(time.Minute))
	ctx := context.Background()
	out := mustCreate(t, c, minimalCreate("a"))
	t.Logf("%s %s %s", *out.DomainId, *out.DomainArn, *out.Url)
	d := mustDescribe(t, c, *out.DomainId)
	if d.Status != types.DomainStatusPending {
		t.Fatalf("status %s", d.Status)
	}
	clock.Advance(time.Minute)
	d = mustDescribe(t, c, *out.DomainId)
	if d.Status != types.DomainStatusInService {
		t.Fatalf("status %s", d.Status)
	}
	l, err := c.ListDomains(ctx, &sagemaker.ListDomainsInput{})
	if err != nil || len(l.Domains) != 1 {
		t.Fatalf("list %v %v", l, err)
	}
	id, err := sts.NewFromConfig(srv.AWSConfig()).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	t.Log(aws.ToString(id.Arn), aws.ToString(id.Account), aws.ToString(id.UserId))
	t.Logf("%+v", srv.Calls())
}
