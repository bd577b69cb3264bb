package smdomain_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/finegrained/smdomain"
	"github.com/finegrained/smdomain/smdomaintest"
)

// Small examples, one per exported name of the member and Studio URL API
// that the larger examples do not show by name.

// studioExample ensures an IAM domain with alice and a lab space, makes a
// Studio URL for her with opts, and prints what the emulator issued.
func studioExample(opts ...smdomain.StudioURLOption) {
	srv, client := exampleClient()
	defer srv.Close()
	ctx := context.Background()
	alice, _ := smdomain.NewUserProfileSpec("alice")
	lab, _ := smdomain.NewSpaceSpec("lab", smdomain.WithSpaceSharing(types.SharingTypeShared))
	spec, _ := smdomain.NewSpec("ml", smdomain.WithExecutionRole(role), smdomain.WithUserProfiles(alice), smdomain.WithSpaces(lab))
	if _, err := client.Ensure(ctx, spec); err != nil {
		fmt.Println(err)
		return
	}
	link, err := client.StudioURL(ctx, smdomain.ByName("ml"), "alice", opts...)
	if err != nil {
		fmt.Println(err)
		return
	}
	u, _ := url.Parse(link)
	got, _ := srv.PresignedURL(u.Query().Get("token"))
	fmt.Printf("url valid %s, session %s, space %q, landing %q\n", got.Expires.Sub(got.Created), got.SessionDuration, got.SpaceName, got.LandingURI)
}

func ExampleWithURLLifetime() {
	studioExample(smdomain.WithURLLifetime(30 * time.Second))
	// Output:
	// url valid 30s, session 1h0m0s, space "", landing ""
}

func ExampleWithSessionDuration() {
	studioExample(smdomain.WithSessionDuration(8 * time.Hour))
	// Output:
	// url valid 5m0s, session 8h0m0s, space "", landing ""
}

func ExampleWithStudioSpace() {
	studioExample(smdomain.WithStudioSpace("lab"))
	// Output:
	// url valid 5m0s, session 1h0m0s, space "lab", landing ""
}

func ExampleWithLandingURI() {
	studioExample(smdomain.WithLandingURI("app:JupyterLab:"))
	// Output:
	// url valid 5m0s, session 1h0m0s, space "", landing "app:JupyterLab:"
}

// StudioURLOption values combine; bounds are checked before any call.
func ExampleStudioURLOption() {
	opts := []smdomain.StudioURLOption{smdomain.WithURLLifetime(time.Minute), smdomain.WithSessionDuration(2 * time.Hour)}
	studioExample(opts...)
	studioExample(smdomain.WithURLLifetime(time.Hour))
	// Output:
	// url valid 1m0s, session 2h0m0s, space "", landing ""
	// invalid Studio URL request: ExpiresInSeconds "3600": range: must be at most 300
}

// An SSO domain's users sign in through IAM Identity Center: no presigned
// URL for them.
func ExampleAuthModeError() {
	clock := smdomaintest.NewFakeClock(exampleStart)
	srv := smdomaintest.NewServer(smdomaintest.WithClock(clock))
	defer srv.Close()
	client := smdomain.NewFromConfig(srv.AWSConfig(), smdomain.WithClock(clock))
	ctx := context.Background()
	carol, _ := smdomain.NewUserProfileSpec("carol", smdomain.WithSSOUser("UserName", "carol@example.com"))
	spec, _ := smdomain.NewSpec("sso-ml", smdomain.WithAuthMode(types.AuthModeSso), smdomain.WithExecutionRole(role),
		smdomain.WithUserProfiles(carol))
	if _, err := client.Ensure(ctx, spec); err != nil {
		fmt.Println(err)
		return
	}
	_, err := client.StudioURL(ctx, smdomain.ByName("sso-ml"), "carol")
	var am *smdomain.AuthModeError
	fmt.Println(errors.As(err, &am), am.AuthMode)
	// Output:
	// true SSO
}

// ByName finds the domain with ListDomains; a DomainRef prints as
// messages name it.
func ExampleByName() {
	fmt.Println(smdomain.ByName("ml-platform"), smdomain.ByID("d-abc123def456"))
	// Output:
	// "ml-platform" d-abc123def456
}

// A DomainRef is what the calls on an existing domain take.
func ExampleDomainRef() {
	refs := []smdomain.DomainRef{smdomain.ByName("ml"), smdomain.ByID("d-0123456789ab")}
	for _, r := range refs {
		fmt.Println(r.String())
	}
	// Output:
	// "ml"
	// d-0123456789ab
}

// List returns DomainSummary values.
func ExampleDomainSummary() {
	srv, client := exampleClient()
	defer srv.Close()
	ctx := context.Background()
	spec, _ := smdomain.NewSpec("ml", smdomain.WithExecutionRole(role))
	res, err := client.Ensure(ctx, spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	all, _ := client.List(ctx)
	for _, d := range all {
		fmt.Println(d.Name, mask(d.ID, res.Domain.ID), d.Status, mask(d.URL, res.Domain.ID))
	}
	// Output:
	// ml d-xxxxxxxxxxxx InService https://d-xxxxxxxxxxxx.studio.us-east-1.sagemaker.aws
}

// MemberKind tells the two kinds of member apart.
func ExampleMemberKind() {
	fmt.Println(smdomain.KindUserProfile, "|", smdomain.KindSpace)
	// Output:
	// user profile | space
}

// MemberResult says what Ensure did to one member.
func ExampleMemberResult() {
	srv, client := exampleClient()
	defer srv.Close()
	alice, _ := smdomain.NewUserProfileSpec("alice", smdomain.WithTags(map[string]string{"team": "fraud"}))
	spec, _ := smdomain.NewSpec("ml", smdomain.WithExecutionRole(role), smdomain.WithUserProfiles(alice))
	res, err := client.Ensure(context.Background(), spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range res.Members {
		fmt.Println(m.Kind, m.Name, m.Action)
		for _, ch := range m.Changes {
			fmt.Println(" ", ch.Path)
		}
	}
	// Output:
	// user profile alice created
	//   UserProfiles.alice.UserProfileName
	//   UserProfiles.alice.Tags.team
}

// UserProfileOption is what NewUserProfileSpec takes; WithSSOUser is one
// of its own, and the shared options are too.
func ExampleUserProfileOption() {
	opts := []smdomain.UserProfileOption{
		smdomain.WithSSOUser("UserName", "alice@example.com"),
		smdomain.WithExecutionRole("arn:aws:iam::123456789012:role/alice"),
	}
	p, err := smdomain.NewUserProfileSpec("alice", opts...)
	fmt.Println(err, *p.CreateUserProfileInput().SingleSignOnUserValue)
	// Output:
	// <nil> alice@example.com
}

// SpaceOption is what NewSpaceSpec takes.
func ExampleSpaceOption() {
	opts := []smdomain.SpaceOption{smdomain.WithSpaceSharing(types.SharingTypeShared), smdomain.WithTags(map[string]string{"project": "x"})}
	s, err := smdomain.NewSpaceSpec("project-x", opts...)
	fmt.Println(err, s.Tags())
	// Output:
	// <nil> map[project:x]
}

// TagsOption serves every kind of spec.
func ExampleTagsOption() {
	var tags smdomain.TagsOption = smdomain.WithTags(map[string]string{"cost-center": "ml"})
	d, _ := smdomain.NewSpec("ml", smdomain.WithExecutionRole(role), tags)
	s, _ := smdomain.NewSpaceSpec("lab", tags)
	fmt.Println(d.Tags(), s.Tags())
	// Output:
	// map[cost-center:ml] map[cost-center:ml]
}

// A private space's owner is a user profile of the domain.
func ExampleWithSpaceOwner() {
	s, _ := smdomain.NewSpaceSpec("alice-lab", smdomain.WithSpaceOwner("alice"),
		smdomain.WithSpaceSharing(types.SharingTypePrivate),
		smdomain.WithSpaceSettings(&types.SpaceSettings{AppType: types.AppTypeJupyterLab}))
	fmt.Println(s.Owner())
	// Output:
	// alice
}

// The display name changes in place.
func ExampleWithSpaceDisplayName() {
	s, _ := smdomain.NewSpaceSpec("fraud", smdomain.WithSpaceDisplayName("Fraud detection"))
	fmt.Println(*s.CreateSpaceInput().SpaceDisplayName)
	// Output:
	// Fraud detection
}

// A user profile's own security groups apply to their private spaces.
func ExampleWithSecurityGroups() {
	p, _ := smdomain.NewUserProfileSpec("alice", smdomain.WithSecurityGroups("sg-0abc1234def567890"))
	fmt.Println(p.CreateUserProfileInput().UserSettings.SecurityGroups)
	// Output:
	// [sg-0abc1234def567890]
}
