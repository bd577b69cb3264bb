package smdomaintest_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/finegrained/smdomain/smdomaintest"
)

// A domain with a user profile cannot be deleted: the profile goes first,
// and it takes the user profile delay to go.
func ExampleServer_userProfiles() {
	clock := smdomaintest.NewFakeClock(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	srv := smdomaintest.NewServer(
		smdomaintest.WithClock(clock),
		smdomaintest.WithUserProfileDelay(time.Minute),
	)
	defer srv.Close()
	ctx := context.Background()
	client := sagemaker.NewFromConfig(srv.AWSConfig())

	domain, err := client.CreateDomain(ctx, &sagemaker.CreateDomainInput{
		DomainName:          aws.String("team"),
		AuthMode:            types.AuthModeIam,
		DefaultUserSettings: &types.UserSettings{},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	profile := &sagemaker.CreateUserProfileInput{
		DomainId:        domain.DomainId,
		UserProfileName: aws.String("alice"),
		UserSettings: &types.UserSettings{
			ExecutionRole: aws.String("arn:aws:iam::123456789012:role/Alice"),
		},
	}
	if _, err := client.CreateUserProfile(ctx, profile); err != nil {
		fmt.Println(err)
		return
	}
	status := func() string {
		out, err := client.DescribeUserProfile(ctx, &sagemaker.DescribeUserProfileInput{
			DomainId: domain.DomainId, UserProfileName: aws.String("alice"),
		})
		var notFound *types.ResourceNotFound
		if errors.As(err, &notFound) {
			return "gone"
		}
		if err != nil {
			return err.Error()
		}
		return string(out.Status)
	}
	fmt.Println("alice:", status())
	clock.Advance(time.Minute)
	fmt.Println("alice:", status())

	var inUse *types.ResourceInUse
	_, err = client.DeleteDomain(ctx, &sagemaker.DeleteDomainInput{DomainId: domain.DomainId})
	fmt.Println("delete domain refused:", errors.As(err, &inUse))

	if _, err := client.DeleteUserProfile(ctx, &sagemaker.DeleteUserProfileInput{
		DomainId: domain.DomainId, UserProfileName: aws.String("alice"),
	}); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("alice:", status())
	clock.Advance(time.Minute)
	fmt.Println("alice:", status())
	_, err = client.DeleteDomain(ctx, &sagemaker.DeleteDomainInput{DomainId: domain.DomainId})
	fmt.Println("delete domain:", err)
	// Output:
	// alice: Pending
	// alice: InService
	// delete domain refused: true
	// alice: Deleting
	// alice: gone
	// delete domain: <nil>
}
