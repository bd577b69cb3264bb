package smdomaintest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	smithy "github.com/aws/smithy-go"
	"github.com/finegrained/smdomain/smdomaintest"
)

// A test creates a domain with the real SDK client and moves virtual time
// past the creation delay.
func ExampleNewServer() {
	clock := smdomaintest.NewFakeClock(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	srv := smdomaintest.NewServer(
		smdomaintest.WithClock(clock),
		smdomaintest.WithCreateDelay(10*time.Minute),
	)
	defer srv.Close()

	ctx := context.Background()
	client := sagemaker.NewFromConfig(srv.AWSConfig())
	created, err := client.CreateDomain(ctx, &sagemaker.CreateDomainInput{
		DomainName: aws.String("my-sagemaker-domain"),
		AuthMode:   types.AuthModeIam,
		DefaultUserSettings: &types.UserSettings{
			ExecutionRole: aws.String("arn:aws:iam::123456789012:role/SageMakerExecutionRole"),
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	status := func() string {
		out, err := client.DescribeDomain(ctx, &sagemaker.DescribeDomainInput{DomainId: created.DomainId})
		if err != nil {
			return err.Error()
		}
		return string(out.Status)
	}
	fmt.Println(status())
	clock.Advance(10 * time.Minute)
	fmt.Println(status())
	fmt.Println(len(srv.DomainIDs()), "domain")
	// Output:
	// Pending
	// InService
	// 1 domain
}

// Faults are armed per operation. Here the SDK's own retryer absorbs two
// throttled calls, and the call log shows what happened on the wire.
func ExampleEmulator_Throttle() {
	srv := smdomaintest.NewServer()
	defer srv.Close()
	client := sagemaker.NewFromConfig(srv.AWSConfig())

	srv.Throttle("ListDomains", 2)
	if _, err := client.ListDomains(context.Background(), &sagemaker.ListDomainsInput{}); err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range srv.Calls() {
		fmt.Println(c.Operation, c.StatusCode, c.Fault)
	}
	// Output:
	// ListDomains 400 throttle
	// ListDomains 400 throttle
	// ListDomains 200
}

// A CreateDomain whose response is lost has still created the domain: a
// caller that simply retries creates a second one.
func ExampleEmulator_LoseResponse() {
	srv := smdomaintest.NewServer()
	defer srv.Close()
	client := sagemaker.NewFromConfig(srv.AWSConfig())

	srv.LoseResponse("CreateDomain", 1)
	_, err := client.CreateDomain(context.Background(), &sagemaker.CreateDomainInput{
		DomainName:          aws.String("lost"),
		AuthMode:            types.AuthModeIam,
		DefaultUserSettings: &types.UserSettings{},
	}, func(o *sagemaker.Options) { o.RetryMaxAttempts = 1 })
	fmt.Println("error:", err != nil)
	fmt.Println("domains:", len(srv.DomainIDs()))
	// Output:
	// error: true
	// domains: 1
}

// A domain can be sent to a failed status to test how a client reports it.
func ExampleEmulator_SetDomainStatus() {
	srv := smdomaintest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	client := sagemaker.NewFromConfig(srv.AWSConfig())
	created, err := client.CreateDomain(ctx, &sagemaker.CreateDomainInput{
		DomainName:          aws.String("doomed"),
		AuthMode:            types.AuthModeIam,
		DefaultUserSettings: &types.UserSettings{},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := srv.SetDomainStatus(*created.DomainId, "Failed", "Subnet subnet-0abc has no free addresses"); err != nil {
		fmt.Println(err)
		return
	}
	out, err := client.DescribeDomain(ctx, &sagemaker.DescribeDomainInput{DomainId: created.DomainId})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(out.Status, aws.ToString(out.FailureReason))
	// Output:
	// Failed Subnet subnet-0abc has no free addresses
}

// The STS client reaches the same server through the same aws.Config.
func ExampleServer_AWSConfig() {
	srv := smdomaintest.NewServer(smdomaintest.WithAccount("111122223333"))
	defer srv.Close()
	out, err := sts.NewFromConfig(srv.AWSConfig()).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(aws.ToString(out.Account), aws.ToString(out.Arn))
	// Output:
	// 111122223333 arn:aws:iam::111122223333:user/smdomaintest
}

// An Emulator is an http.Handler and can be served by any server.
func ExampleNewEmulator() {
	e := smdomaintest.NewEmulator(smdomaintest.WithAccount("111122223333"))
	hs := httptest.NewServer(e)
	defer hs.Close()

	cfg := aws.Config{
		Region:       "eu-west-1",
		BaseEndpoint: aws.String(hs.URL),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKID", SecretAccessKey: "secret"}, nil
		}),
	}
	out, err := sagemaker.NewFromConfig(cfg).CreateDomain(context.Background(), &sagemaker.CreateDomainInput{
		DomainName:          aws.String("served"),
		AuthMode:            types.AuthModeIam,
		DefaultUserSettings: &types.UserSettings{},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(aws.ToString(out.DomainArn) == "arn:aws:sagemaker:eu-west-1:111122223333:domain/"+aws.ToString(out.DomainId))
	// Output:
	// true
}

// FakeClock.Sleep moves virtual time at once, so a waiter that shares the
// clock waits ten minutes in no real time.
func ExampleFakeClock() {
	clock := smdomaintest.NewFakeClock(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	start := time.Now()
	if err := clock.Sleep(context.Background(), 10*time.Minute); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(clock.Now().Format(time.TimeOnly), time.Since(start) < time.Second)
	// Output:
	// 00:10:00 true
}

// Every operation gets a token bucket: here 2 calls at once, then one a
// second. Virtual time refills it, so the test takes no real time.
func ExampleWithRateLimit() {
	clock := smdomaintest.NewFakeClock(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	srv := smdomaintest.NewServer(smdomaintest.WithClock(clock), smdomaintest.WithRateLimit(1, 2))
	defer srv.Close()

	ctx := context.Background()
	client := sagemaker.NewFromConfig(srv.AWSConfig(), func(o *sagemaker.Options) { o.RetryMaxAttempts = 1 })
	list := func() {
		_, err := client.ListDomains(ctx, &sagemaker.ListDomainsInput{})
		if ae := (smithy.APIError)(nil); errors.As(err, &ae) {
			fmt.Println(ae.ErrorCode())
		} else {
			fmt.Println("ok", err)
		}
	}
	list()
	list()
	list()
	clock.Advance(time.Second)
	list()
	for _, c := range srv.Calls() {
		fmt.Printf("%s %d %q\n", c.Operation, c.StatusCode, c.Fault)
	}
	// Output:
	// ok <nil>
	// ok <nil>
	// ThrottlingException
	// ok <nil>
	// ListDomains 200 ""
	// ListDomains 200 ""
	// ListDomains 400 "ratelimit"
	// ListDomains 200 ""
}
