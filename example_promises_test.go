package smdomain_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	smithy "github.com/aws/smithy-go"

	"github.com/finegrained/smdomain"
	"github.com/finegrained/smdomain/smdomaintest"
)

// stuckPages is a SageMaker client whose ListDomains answers every page
// with the same NextToken, as a service stuck in a loop would.
type stuckPages struct{ smdomain.API }

func (s stuckPages) ListDomains(ctx context.Context, in *sagemaker.ListDomainsInput, opts ...func(*sagemaker.Options)) (*sagemaker.ListDomainsOutput, error) {
	out, err := s.API.ListDomains(ctx, &sagemaker.ListDomainsInput{MaxResults: in.MaxResults}, opts...)
	if err == nil {
		out.NextToken = aws.String("same-again")
	}
	return out, err
}

// A listing whose NextToken comes back a second time would never end:
// the read stops at the repeat.
func ExampleErrRepeatedNextToken() {
	srv := smdomaintest.NewServer()
	defer srv.Close()
	client := smdomain.New(stuckPages{sagemaker.NewFromConfig(srv.AWSConfig())})

	_, err := client.Get(context.Background(), smdomain.ByName("ml-platform"))
	fmt.Println(errors.Is(err, smdomain.ErrRepeatedNextToken))
	// Output:
	// true
}

// A wait that runs out says what it waited for, and for which domain.
func ExampleWaitTimeoutError() {
	clock := smdomaintest.NewFakeClock(exampleStart)
	srv := smdomaintest.NewServer(smdomaintest.WithClock(clock), smdomaintest.WithCreateDelay(20*time.Minute))
	defer srv.Close()
	client := smdomain.NewFromConfig(srv.AWSConfig(), smdomain.WithClock(clock), smdomain.WithMaxWait(10*time.Minute))
	spec, err := smdomain.NewSpec("ml-platform", smdomain.WithExecutionRole(role))
	if err != nil {
		fmt.Println(err)
		return
	}

	_, err = client.Ensure(context.Background(), spec)
	var timeout *smdomain.WaitTimeoutError
	if errors.As(err, &timeout) {
		fmt.Println(timeout.Kind, timeout.Target, timeout.Status, timeout.Waited)
		fmt.Println("the new domain:", timeout.DomainID == srv.DomainIDs()[0])
	}
	// Output:
	// domain InService Pending 10m0s
	// the new domain: true
}

// Every CreateDomain answered with a 500, whose outcome is unknown: Ensure
// sends it as often as WithWriteAttempts allows, looking the name up
// between attempts, and then says how often it tried. (A throttled answer
// is not an unknown outcome: it slows the Client down and is sent again.)
func ExampleWithWriteAttempts() {
	clock := smdomaintest.NewFakeClock(exampleStart)
	srv := smdomaintest.NewServer(smdomaintest.WithClock(clock))
	defer srv.Close()
	srv.Fail("CreateDomain", 100)
	client := smdomain.NewFromConfig(srv.AWSConfig(), smdomain.WithClock(clock), smdomain.WithWriteAttempts(2))
	spec, err := smdomain.NewSpec("ml-platform", smdomain.WithExecutionRole(role))
	if err != nil {
		fmt.Println(err)
		return
	}

	_, err = client.Ensure(context.Background(), spec)
	var attempts *smdomain.WriteAttemptsError
	if errors.As(err, &attempts) {
		fmt.Println(attempts.Operation, attempts.Attempts, "of", smdomain.DefaultWriteAttempts, "by default")
	}
	fmt.Println("domains:", len(srv.DomainIDs()))
	// Output:
	// CreateDomain 2 of 4 by default
	// domains: 0
}

// WriteAttemptsError wraps the last attempt's error, so the SDK's typed
// errors stay reachable.
func ExampleWriteAttemptsError() {
	clock := smdomaintest.NewFakeClock(exampleStart)
	srv := smdomaintest.NewServer(smdomaintest.WithClock(clock))
	defer srv.Close()
	srv.Fail("CreateDomain", 100)
	client := smdomain.NewFromConfig(srv.AWSConfig(), smdomain.WithClock(clock), smdomain.WithWriteAttempts(1))
	spec, err := smdomain.NewSpec("ml-platform", smdomain.WithExecutionRole(role))
	if err != nil {
		fmt.Println(err)
		return
	}

	_, err = client.Ensure(context.Background(), spec)
	var api smithy.APIError
	if errors.As(err, &api) {
		fmt.Println(api.ErrorCode())
	}
	before, _, _ := strings.Cut(err.Error(), ";") // the rest has the request's random ID
	fmt.Println(before)
	// Output:
	// InternalFailure
	// CreateDomain of domain "ml-platform": 1 attempt, none with a known outcome
}

// Two Clients that share nothing, as two processes would, ensure one new
// name at the same moment. One domain is left: each CreateDomain carried
// its own create token, and the creator whose domain came second deleted
// it and went on with the first.
func ExampleCreateTokenTagKey() {
	clock := smdomaintest.NewFakeClock(exampleStart)
	srv := smdomaintest.NewServer(smdomaintest.WithClock(clock),
		smdomaintest.WithCreateDelay(5*time.Minute), smdomaintest.WithDeleteDelay(3*time.Minute))
	defer srv.Close()
	spec, err := smdomain.NewSpec("ml-platform", smdomain.WithExecutionRole(role))
	if err != nil {
		fmt.Println(err)
		return
	}

	actions := make([]string, 2)
	var wg sync.WaitGroup
	for i := range actions {
		client := smdomain.NewFromConfig(srv.AWSConfig(), smdomain.WithClock(clock))
		wg.Go(func() {
			res, err := client.Ensure(context.Background(), spec)
			if err != nil {
				actions[i] = err.Error()
				return
			}
			actions[i] = string(res.Action)
		})
	}
	wg.Wait()
	slices.Sort(actions)
	fmt.Println(actions, "domains:", len(srv.DomainIDs()))

	d, err := smdomain.NewFromConfig(srv.AWSConfig()).Get(context.Background(), smdomain.ByName("ml-platform"))
	if err != nil {
		fmt.Println(err)
		return
	}
	tags, err := sagemaker.NewFromConfig(srv.AWSConfig()).ListTags(context.Background(),
		&sagemaker.ListTagsInput{ResourceArn: aws.String(d.ARN)})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, tag := range tags.Tags {
		if aws.ToString(tag.Key) == smdomain.CreateTokenTagKey {
			fmt.Println(smdomain.CreateTokenTagKey, "has", len(aws.ToString(tag.Value)), "hexadecimal digits")
		}
	}
	// Output:
	// [created unchanged] domains: 1
	// smdomain:create-token has 16 hexadecimal digits
}

// Someone else's DeleteDomain, which retains the home EFS volume, is under
// way when Delete is asked to delete the volume: Delete waits until the
// domain is gone and says that the volume stays.
func ExampleHomeEFSRetainedError() {
	clock := smdomaintest.NewFakeClock(exampleStart)
	srv := smdomaintest.NewServer(smdomaintest.WithClock(clock), smdomaintest.WithDeleteDelay(3*time.Minute))
	defer srv.Close()
	client := smdomain.NewFromConfig(srv.AWSConfig(), smdomain.WithClock(clock))
	spec, err := smdomain.NewSpec("ml-platform", smdomain.WithExecutionRole(role))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	created, err := client.Ensure(ctx, spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	// Another pipeline deletes the domain, keeping the volume.
	if _, err := sagemaker.NewFromConfig(srv.AWSConfig()).DeleteDomain(ctx, &sagemaker.DeleteDomainInput{
		DomainId: aws.String(created.Domain.ID)}); err != nil {
		fmt.Println(err)
		return
	}

	res, err := client.Delete(ctx, smdomain.ByName("ml-platform"), smdomain.WithDeleteHomeEFS())
	var retained *smdomain.HomeEFSRetainedError
	if errors.As(err, &retained) {
		fmt.Println("retained:", retained.FileSystemID == created.Domain.HomeEFSFileSystemID)
	}
	fmt.Println(res.Action, res.RetainedHomeEFSFileSystemID == created.Domain.HomeEFSFileSystemID)
	// Output:
	// retained: true
	// deleted true
}

// A cascade that cannot finish (here every DeleteUserProfile is
// throttled, and the wait runs out) says what it deleted before it
// stopped, and why it stopped.
func ExampleCascadeError() {
	clock := smdomaintest.NewFakeClock(exampleStart)
	srv := smdomaintest.NewServer(smdomaintest.WithClock(clock))
	defer srv.Close()
	client := smdomain.NewFromConfig(srv.AWSConfig(), smdomain.WithClock(clock), smdomain.WithMaxWait(5*time.Minute))
	alice, err := smdomain.NewUserProfileSpec("alice")
	if err != nil {
		fmt.Println(err)
		return
	}
	spec, err := smdomain.NewSpec("team-a", smdomain.WithExecutionRole(role), smdomain.WithUserProfiles(alice))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	res, err := client.Ensure(ctx, spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := sagemaker.NewFromConfig(srv.AWSConfig()).CreateApp(ctx, &sagemaker.CreateAppInput{
		DomainId: aws.String(res.Domain.ID), UserProfileName: aws.String("alice"),
		AppType: types.AppTypeJupyterServer, AppName: aws.String("default")}); err != nil {
		fmt.Println(err)
		return
	}
	srv.Throttle("DeleteUserProfile", 1000)

	_, err = client.Delete(ctx, smdomain.ByName("team-a"), smdomain.WithCascade())
	var stopped *smdomain.CascadeError
	if errors.As(err, &stopped) {
		for _, c := range stopped.Deleted {
			fmt.Println("deleted", c.Path)
		}
		fmt.Println("out of time:", errors.Is(err, smdomain.ErrWaitTimeout))
	}
	fmt.Println("domains left:", len(srv.DomainIDs()))
	// Output:
	// deleted Apps.alice/JupyterServer/default
	// out of time: true
	// domains left: 1
}
