package smdomain_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/finegrained/smdomain"
	"github.com/finegrained/smdomain/smdomaintest"
)

// A domain with a user profile and a running app cannot be deleted: the
// service refuses, and Delete says why, having deleted nothing. With
// WithCascade it deletes the app, then the user profile, then the domain.
func ExampleDomainInUseError() {
	clock := smdomaintest.NewFakeClock(exampleStart)
	srv := smdomaintest.NewServer(smdomaintest.WithClock(clock))
	defer srv.Close()
	client := smdomain.NewFromConfig(srv.AWSConfig(), smdomain.WithClock(clock))
	spec, err := smdomain.NewSpec("team-a", smdomain.WithExecutionRole(role))
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
	// A user signs in and starts Studio.
	sm := sagemaker.NewFromConfig(srv.AWSConfig())
	id := aws.String(res.Domain.ID)
	if _, err := sm.CreateUserProfile(ctx, &sagemaker.CreateUserProfileInput{DomainId: id, UserProfileName: aws.String("alice")}); err != nil {
		fmt.Println(err)
		return
	}
	if _, err := sm.CreateApp(ctx, &sagemaker.CreateAppInput{DomainId: id, UserProfileName: aws.String("alice"),
		AppType: types.AppTypeJupyterServer, AppName: aws.String("default")}); err != nil {
		fmt.Println(err)
		return
	}

	_, err = client.Delete(ctx, smdomain.ByName("team-a"))
	var inUse *smdomain.DomainInUseError
	if errors.As(err, &inUse) {
		fmt.Println("refused; user profiles:", inUse.UserProfiles, "apps:", inUse.Apps)
	}

	res, err = client.Delete(ctx, smdomain.ByName("team-a"), smdomain.WithCascade())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range res.Changes {
		fmt.Println("deleted", c.Path)
	}
	fmt.Println(res.Action, "domains left:", len(srv.DomainIDs()))
	// Output:
	// refused; user profiles: [alice] apps: [alice/JupyterServer/default]
	// deleted Apps.alice/JupyterServer/default
	// deleted UserProfiles.alice
	// deleted domains left: 0
}
