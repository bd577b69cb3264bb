package smdomain_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/finegrained/smdomain"
	"github.com/finegrained/smdomain/smdomaintest"
)

// exampleTeam is a domain with its people and projects: alice and bob each
// run as their own role, fraud-detection is the project's shared space and
// alice-scratch is alice's private space.
func exampleTeam(aliceRole string, extra ...smdomain.Option) (*smdomain.Spec, error) {
	return exampleTeamOf(aliceRole, true, extra...)
}

// exampleTeamOf is exampleTeam, with bob or without him.
func exampleTeamOf(aliceRole string, withBob bool, extra ...smdomain.Option) (*smdomain.Spec, error) {
	alice, err := smdomain.NewUserProfileSpec("alice",
		smdomain.WithExecutionRole(aliceRole),
		smdomain.WithTags(map[string]string{"team": "fraud"}))
	if err != nil {
		return nil, err
	}
	bob, err := smdomain.NewUserProfileSpec("bob",
		smdomain.WithExecutionRole("arn:aws:iam::123456789012:role/bob-churn-data"))
	if err != nil {
		return nil, err
	}
	project, err := smdomain.NewSpaceSpec("fraud-detection",
		smdomain.WithSpaceSharing(types.SharingTypeShared),
		smdomain.WithSpaceOwner("alice"),
		smdomain.WithSpaceDisplayName("Fraud detection"))
	if err != nil {
		return nil, err
	}
	scratch, err := smdomain.NewSpaceSpec("alice-scratch",
		smdomain.WithSpaceSharing(types.SharingTypePrivate),
		smdomain.WithSpaceOwner("alice"),
		smdomain.WithSpaceSettings(&types.SpaceSettings{AppType: types.AppTypeJupyterLab}))
	if err != nil {
		return nil, err
	}
	if withBob {
		extra = append(extra, smdomain.WithUserProfiles(bob))
	}
	return smdomain.NewSpec("fraud-ml", append([]smdomain.Option{
		smdomain.WithExecutionRole(role),
		smdomain.WithUserProfiles(alice),
		smdomain.WithSpaces(project, scratch),
	}, extra...)...)
}

func exampleClient() (*smdomaintest.Server, *smdomain.Client) {
	clock := smdomaintest.NewFakeClock(exampleStart)
	srv := smdomaintest.NewServer(smdomaintest.WithClock(clock), smdomaintest.WithCreateDelay(5*time.Minute),
		smdomaintest.WithUserProfileDelay(time.Minute))
	return srv, smdomain.NewFromConfig(srv.AWSConfig(), smdomain.WithClock(clock))
}

// A domain declared with its users and projects: Ensure creates the
// domain, then the user profiles, then the spaces, and waits for each. A
// changed role is then one UpdateUserProfile carrying only that field.
func ExampleWithUserProfiles() {
	srv, client := exampleClient()
	defer srv.Close()
	ctx := context.Background()
	spec, err := exampleTeam("arn:aws:iam::123456789012:role/alice-fraud-data")
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := client.Ensure(ctx, spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("domain", res.Action)
	for _, m := range res.Members {
		fmt.Println(m.Kind, m.Name, m.Action)
	}

	changed, _ := exampleTeam("arn:aws:iam::123456789012:role/alice-fraud-and-churn")
	srv.ResetCalls()
	res, err = client.Ensure(ctx, changed)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("domain", res.Action)
	for _, ch := range res.Changes {
		fmt.Println("  changed", ch.Path)
	}
	for _, c := range srv.Calls() {
		if strings.HasPrefix(c.Operation, "Update") || strings.HasPrefix(c.Operation, "Create") {
			fmt.Println("  called", c.Operation, c.Fields)
		}
	}
	// Output:
	// domain created
	// user profile alice created
	// user profile bob created
	// space alice-scratch created
	// space fraud-detection created
	// domain updated
	//   changed UserProfiles.alice.UserSettings.ExecutionRole
	//   called UpdateUserProfile [DomainId UserProfileName UserSettings]
}

// A change to a create-only member field (here the project space's
// sharing type) is refused before anything is written.
func ExampleWithSpaces() {
	srv, client := exampleClient()
	defer srv.Close()
	ctx := context.Background()
	spec, _ := exampleTeam("arn:aws:iam::123456789012:role/alice-fraud-data")
	if _, err := client.Ensure(ctx, spec); err != nil {
		fmt.Println(err)
		return
	}
	private, err := smdomain.NewSpaceSpec("fraud-detection",
		smdomain.WithSpaceSharing(types.SharingTypePrivate),
		smdomain.WithSpaceOwner("alice"),
		smdomain.WithSpaceSettings(&types.SpaceSettings{AppType: types.AppTypeJupyterLab}))
	if err != nil {
		fmt.Println(err)
		return
	}
	changed, _ := smdomain.NewSpec("fraud-ml", smdomain.WithExecutionRole(role), smdomain.WithSpaces(private))
	plan, err := client.Plan(ctx, changed)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(plan.Action)
	for _, ch := range plan.Replacements() {
		fmt.Println("  cannot change", ch.Path)
	}
	// Output:
	// replace-required
	//   cannot change Spaces.fraud-detection.SpaceSettings.AppType
	//   cannot change Spaces.fraud-detection.SpaceSharingSettings.SharingType
}

// WithPrune offboards the members the spec no longer declares: here bob,
// who has left. The plan says what he loses; Ensure deletes his apps, the
// spaces he owns, then his profile, and leaves the rest alone.
func ExampleWithPrune() {
	srv, client := exampleClient()
	defer srv.Close()
	ctx := context.Background()
	spec, _ := exampleTeam("arn:aws:iam::123456789012:role/alice-fraud-data")
	if _, err := client.Ensure(ctx, spec); err != nil {
		fmt.Println(err)
		return
	}
	withoutBob, _ := exampleTeamOf("arn:aws:iam::123456789012:role/alice-fraud-data", false, smdomain.WithPrune())
	plan, err := client.Plan(ctx, withoutBob)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range plan.Members {
		if m.Action == smdomain.PlanDelete {
			fmt.Printf("%s %s: %v\n", m.Kind, m.Name, m.Changes[len(m.Changes)-1].Path)
		}
	}
	res, err := client.Ensure(ctx, withoutBob)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range res.Members {
		if m.Action != smdomain.ActionUnchanged {
			fmt.Println(m.Kind, m.Name, m.Action)
		}
	}
	// Output:
	// user profile bob: UserProfiles.bob
	// user profile bob deleted
}

// NewUserProfileSpec checks everything it can without the domain and
// reports every problem at once.
func ExampleNewUserProfileSpec() {
	_, err := smdomain.NewUserProfileSpec("alice smith",
		smdomain.WithExecutionRole("alice-role"),
		smdomain.WithSecurityGroups("sg-1", "sg-2", "sg-3", "sg-4", "sg-5", "sg-6"))
	fmt.Println(err)
	p, _ := smdomain.NewUserProfileSpec("alice", smdomain.WithExecutionRole(role),
		smdomain.WithUserSettings(&types.UserSettings{DefaultLandingUri: aws.String("studio::")}))
	out, _ := p.MarshalJSON()
	fmt.Println(string(out))
	// Output:
	// invalid user profile spec: 4 problems:
	//   - UserProfileName "alice smith": pattern: must match the pattern [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}
	//   - UserSettings.ExecutionRole "alice-role": length: must be at least 20 characters long
	//   - UserSettings.ExecutionRole "alice-role": pattern: must match the pattern arn:aws[a-z\-]*:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+
	//   - UserSettings.SecurityGroups: count: has 6 entries; at most 5 allowed
	// {"UserProfileName":"alice","UserSettings":{"DefaultLandingUri":"studio::","ExecutionRole":"arn:aws:iam::123456789012:role/SageMakerExecutionRole"}}
}

// In an SSO domain every user profile names its Identity Center user.
func ExampleWithSSOUser() {
	carol, _ := smdomain.NewUserProfileSpec("carol", smdomain.WithSSOUser("UserName", "carol@example.com"))
	dave, _ := smdomain.NewUserProfileSpec("dave")
	_, err := smdomain.NewSpec("sso-ml", smdomain.WithAuthMode(types.AuthModeSso), smdomain.WithExecutionRole(role),
		smdomain.WithUserProfiles(carol, dave))
	fmt.Println(err)
	// Output:
	// invalid domain spec: UserProfiles[dave].SingleSignOnUserValue: required: is required in a domain whose AuthMode is SSO: the Identity Center user name (WithSSOUser)
}

// A private space needs its owner and the kind of app it runs.
func ExampleNewSpaceSpec() {
	_, err := smdomain.NewSpaceSpec("scratch", smdomain.WithSpaceSharing(types.SharingTypePrivate))
	fmt.Println(err)
	s, _ := smdomain.NewSpaceSpec("scratch", smdomain.WithSpaceSharing(types.SharingTypePrivate),
		smdomain.WithSpaceOwner("alice"), smdomain.WithSpaceSettings(&types.SpaceSettings{AppType: types.AppTypeCodeEditor}))
	fmt.Println(s.Kind(), s.Name(), "owned by", s.Owner())
	// Output:
	// invalid space spec: 2 problems:
	//   - OwnershipSettings.OwnerUserProfileName: required: is required for a private space: the user profile it belongs to (WithSpaceOwner)
	//   - SpaceSettings.AppType: required: is required for a private space: the kind of app it runs (WithSpaceSettings)
	// space scratch owned by alice
}

// A self-service portal onboards, changes and offboards one user at a time
// in an existing domain, without restating the domain.
func ExampleClient_EnsureMember() {
	srv, client := exampleClient()
	defer srv.Close()
	ctx := context.Background()
	domain, _ := smdomain.NewSpec("portal-ml", smdomain.WithExecutionRole(role))
	if _, err := client.Ensure(ctx, domain); err != nil {
		fmt.Println(err)
		return
	}
	erin, _ := smdomain.NewUserProfileSpec("erin", smdomain.WithExecutionRole("arn:aws:iam::123456789012:role/erin"))
	plan, err := client.PlanMember(ctx, smdomain.ByName("portal-ml"), erin)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("plan:", plan.Action)
	res, err := client.EnsureMember(ctx, smdomain.ByName("portal-ml"), erin)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Kind, res.Name, res.Action)
	res, err = client.RemoveMember(ctx, smdomain.ByName("portal-ml"), smdomain.KindUserProfile, "erin")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Kind, res.Name, res.Action)
	// Output:
	// plan: create
	// user profile erin created
	// user profile erin deleted
}
