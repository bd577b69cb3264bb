package smdomain_test

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/finegrained/smdomain"
	"github.com/finegrained/smdomain/smdomaintest"
)

// The same option sets a domain's default and a user's own setting.
func ExampleWithExecutionRole() {
	domain, _ := smdomain.NewSpec("ml", smdomain.WithExecutionRole(role))
	alice, _ := smdomain.NewUserProfileSpec("alice",
		smdomain.WithExecutionRole("arn:aws:iam::123456789012:role/alice"))
	fmt.Println(*domain.CreateDomainInput().DefaultUserSettings.ExecutionRole)
	fmt.Println(*alice.CreateUserProfileInput().UserSettings.ExecutionRole)
	// Output:
	// arn:aws:iam::123456789012:role/SageMakerExecutionRole
	// arn:aws:iam::123456789012:role/alice
}

// WithUserSettings reaches every user setting; it merges with the narrow
// options.
func ExampleWithUserSettings() {
	p, _ := smdomain.NewUserProfileSpec("alice",
		smdomain.WithUserSettings(&types.UserSettings{
			StudioWebPortal:   types.StudioWebPortalEnabled,
			DefaultLandingUri: aws.String("studio::"),
		}),
		smdomain.WithSecurityGroups("sg-0abc1234def567890"))
	out, _ := p.MarshalJSON()
	fmt.Println(string(out))
	// Output:
	// {"UserProfileName":"alice","UserSettings":{"DefaultLandingUri":"studio::","SecurityGroups":["sg-0abc1234def567890"],"StudioWebPortal":"ENABLED"}}
}

// Tags work on every kind of spec.
func ExampleWithTags() {
	p, _ := smdomain.NewUserProfileSpec("alice", smdomain.WithTags(map[string]string{"team": "fraud"}))
	s, _ := smdomain.NewSpaceSpec("fraud", smdomain.WithTags(map[string]string{"project": "fraud"}))
	fmt.Println(p.Tags(), s.Tags())
	// Output:
	// map[team:fraud] map[project:fraud]
}

// A shared space with a display name, and a private space of alice's.
func ExampleWithSpaceSharing() {
	shared, _ := smdomain.NewSpaceSpec("fraud-detection",
		smdomain.WithSpaceSharing(types.SharingTypeShared),
		smdomain.WithSpaceDisplayName("Fraud detection"))
	private, _ := smdomain.NewSpaceSpec("alice-scratch",
		smdomain.WithSpaceSharing(types.SharingTypePrivate),
		smdomain.WithSpaceOwner("alice"),
		smdomain.WithSpaceSettings(&types.SpaceSettings{AppType: types.AppTypeCodeEditor}))
	for _, s := range []*smdomain.SpaceSpec{shared, private} {
		out, _ := s.MarshalJSON()
		fmt.Println(string(out))
	}
	// Output:
	// {"SpaceDisplayName":"Fraud detection","SpaceName":"fraud-detection","SpaceSharingSettings":{"SharingType":"Shared"}}
	// {"OwnershipSettings":{"OwnerUserProfileName":"alice"},"SpaceName":"alice-scratch","SpaceSettings":{"AppType":"CodeEditor"},"SpaceSharingSettings":{"SharingType":"Private"}}
}

// WithSpaceSettings merges: a later call adds to what an earlier one set.
func ExampleWithSpaceSettings() {
	s, _ := smdomain.NewSpaceSpec("lab",
		smdomain.WithSpaceSettings(&types.SpaceSettings{AppType: types.AppTypeJupyterLab}),
		smdomain.WithSpaceSettings(&types.SpaceSettings{SpaceStorageSettings: &types.SpaceStorageSettings{
			EbsStorageSettings: &types.EbsStorageSettings{EbsVolumeSizeInGb: aws.Int32(50)}}}),
		smdomain.WithSpaceOwner("alice"), smdomain.WithSpaceDisplayName("Alice's lab"))
	in := s.CreateSpaceInput()
	fmt.Println(in.SpaceSettings.AppType, *in.SpaceSettings.SpaceStorageSettings.EbsStorageSettings.EbsVolumeSizeInGb,
		*in.SpaceDisplayName, s.Owner())
	// Output:
	// JupyterLab 50 Alice's lab alice
}

// ByName and ByID name an existing domain for the one-member calls.
func ExampleByID() {
	srv, client := exampleClient()
	defer srv.Close()
	ctx := context.Background()
	spec, _ := smdomain.NewSpec("portal-ml", smdomain.WithExecutionRole(role))
	res, err := client.Ensure(ctx, spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	erin, _ := smdomain.NewUserProfileSpec("erin")
	for _, ref := range []smdomain.DomainRef{smdomain.ByName("portal-ml"), smdomain.ByID(res.Domain.ID), smdomain.ByName("nope")} {
		plan, err := client.PlanMember(ctx, ref, erin)
		if err != nil {
			fmt.Println(mask(err.Error(), res.Domain.ID))
			continue
		}
		fmt.Println(mask(ref.String(), res.Domain.ID), plan.Action)
	}
	// Output:
	// "portal-ml" create
	// d-xxxxxxxxxxxx create
	// domain "nope": domain not found
}

// PlanMember shows one member's changes; RemoveMember offboards a user and
// lists what went, in order.
func ExampleClient_RemoveMember() {
	srv, client := exampleClient()
	defer srv.Close()
	ctx := context.Background()
	spec, _ := exampleTeam("arn:aws:iam::123456789012:role/alice-fraud-data")
	if _, err := client.Ensure(ctx, spec); err != nil {
		fmt.Println(err)
		return
	}
	moved, _ := smdomain.NewUserProfileSpec("alice",
		smdomain.WithExecutionRole("arn:aws:iam::123456789012:role/alice-churn-data"),
		smdomain.WithTags(map[string]string{"team": "churn"}))
	plan, err := client.PlanMember(ctx, smdomain.ByName("fraud-ml"), moved)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(plan.Kind, plan.Name, plan.Action)
	for _, ch := range plan.Changes {
		fmt.Printf("  %s: %v -> %v\n", ch.Path, ch.From, ch.To)
	}
	res, err := client.RemoveMember(ctx, smdomain.ByName("fraud-ml"), smdomain.KindUserProfile, "alice")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Kind, res.Name, res.Action)
	for _, ch := range res.Changes {
		fmt.Println("  deleted", ch.Path)
	}
	// Output:
	// user profile alice update
	//   UserProfiles.alice.UserSettings.ExecutionRole: arn:aws:iam::123456789012:role/alice-fraud-data -> arn:aws:iam::123456789012:role/alice-churn-data
	//   UserProfiles.alice.Tags.team: fraud -> churn
	// user profile alice deleted
	//   deleted Spaces.alice-scratch
	//   deleted Spaces.fraud-detection
	//   deleted UserProfiles.alice
}

// WithConcurrency bounds how many members Ensure writes at once.
func ExampleWithConcurrency() {
	clock := smdomaintest.NewFakeClock(exampleStart)
	srv := smdomaintest.NewServer(smdomaintest.WithClock(clock))
	defer srv.Close()
	client := smdomain.NewFromConfig(srv.AWSConfig(), smdomain.WithClock(clock), smdomain.WithConcurrency(1))
	var profiles []*smdomain.UserProfileSpec
	for _, name := range []string{"carol", "alice", "bob"} {
		p, _ := smdomain.NewUserProfileSpec(name)
		profiles = append(profiles, p)
	}
	spec, _ := smdomain.NewSpec("serial-ml", smdomain.WithExecutionRole(role), smdomain.WithUserProfiles(profiles...))
	res, err := client.Ensure(context.Background(), spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range srv.Calls() {
		if c.Operation == "CreateUserProfile" {
			fmt.Println(c.Operation)
		}
	}
	fmt.Println(len(res.Members), "members")
	// Output:
	// CreateUserProfile
	// CreateUserProfile
	// CreateUserProfile
	// 3 members
}

// A UserProfileSpec is the CreateUserProfile request without DomainId.
func ExampleUserProfileSpec() {
	p, _ := smdomain.NewUserProfileSpec("alice", smdomain.WithExecutionRole(role))
	in := p.CreateUserProfileInput()
	fmt.Println(p.Kind(), p.Name(), in.DomainId == nil, p.Tags() == nil)
	// Output:
	// user profile alice true true
}

// A SpaceSpec is the CreateSpace request without DomainId.
func ExampleSpaceSpec() {
	s, _ := smdomain.NewSpaceSpec("fraud-detection", smdomain.WithSpaceSharing(types.SharingTypeShared))
	fmt.Println(s.Kind(), s.Name(), s.CreateSpaceInput().SpaceSharingSettings.SharingType)
	// Output:
	// space fraud-detection Shared
}

// UserSettingsOption and TagsOption are the option types that serve more
// than one kind of spec.
func ExampleUserSettingsOption() {
	var role smdomain.UserSettingsOption = smdomain.WithExecutionRole("arn:aws:iam::123456789012:role/alice")
	var tags smdomain.TagsOption = smdomain.WithTags(map[string]string{"team": "fraud"})
	domain, err1 := smdomain.NewSpec("ml", role, tags)
	alice, err2 := smdomain.NewUserProfileSpec("alice", role, tags)
	space, err3 := smdomain.NewSpaceSpec("lab", tags)
	fmt.Println(err1, err2, err3, domain.Tags(), alice.Tags(), space.Tags())
	// Output:
	// <nil> <nil> <nil> map[team:fraud] map[team:fraud] map[team:fraud]
}

// A Member is either kind of member spec.
func ExampleMember() {
	p, _ := smdomain.NewUserProfileSpec("alice")
	s, _ := smdomain.NewSpaceSpec("lab")
	for _, m := range []smdomain.Member{p, s} {
		fmt.Println(m.Kind() == smdomain.KindUserProfile, m.Kind(), m.Name())
	}
	// Output:
	// true user profile alice
	// false space lab
}

// Plan.Members says what Ensure would do to each member; Result.Members
// what it did.
func ExampleMemberPlan() {
	srv, client := exampleClient()
	defer srv.Close()
	spec, _ := exampleTeam("arn:aws:iam::123456789012:role/alice-fraud-data")
	plan, err := client.Plan(context.Background(), spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range plan.Members {
		fmt.Println(m.Kind, m.Name, m.Action, len(m.Changes), "fields")
	}
	// Output:
	// user profile alice create 3 fields
	// user profile bob create 2 fields
	// space alice-scratch create 4 fields
	// space fraud-detection create 4 fields
}

// WaiterOptions is the one options type of every waiter: the schedule and
// progress callback given to WithWaitOptions serve the waits for the
// domain and for its members alike.
func ExampleWaiterOptions() {
	clock := smdomaintest.NewFakeClock(exampleStart)
	srv := smdomaintest.NewServer(smdomaintest.WithClock(clock), smdomaintest.WithUserProfileDelay(time.Minute))
	defer srv.Close()
	client := smdomain.NewFromConfig(srv.AWSConfig(), smdomain.WithClock(clock),
		smdomain.WithWaitOptions(func(o *smdomain.WaiterOptions[*sagemaker.DescribeDomainInput, *sagemaker.DescribeDomainOutput]) {
			o.MinDelay, o.MaxDelay = 5*time.Second, 20*time.Second
			o.Jitter = func() float64 { return 0.5 }
			o.Progress = func(p smdomain.WaitProgress) {
				fmt.Printf("%s %q poll %d: %s\n", p.Kind, p.Name, p.Attempt, p.Status)
			}
		}))
	alice, _ := smdomain.NewUserProfileSpec("alice")
	spec, _ := smdomain.NewSpec("ml", smdomain.WithExecutionRole(role), smdomain.WithUserProfiles(alice))
	if _, err := client.Ensure(context.Background(), spec); err != nil {
		fmt.Println(err)
	}
	// Output:
	// domain "" poll 1: InService
	// user profile "alice" poll 1: Pending
	// user profile "alice" poll 2: Pending
	// user profile "alice" poll 3: Pending
	// user profile "alice" poll 4: Pending
	// user profile "alice" poll 5: Pending
	// user profile "alice" poll 6: InService
}

// List reads every page of ListDomains.
func ExampleClient_List() {
	srv, client := exampleClient()
	defer srv.Close()
	ctx := context.Background()
	for _, name := range []string{"ml-b", "ml-a"} {
		spec, _ := smdomain.NewSpec(name, smdomain.WithExecutionRole(role))
		if _, err := client.Ensure(ctx, spec); err != nil {
			fmt.Println(err)
			return
		}
	}
	domains, err := client.List(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range domains {
		fmt.Println(d.Name, d.Status)
	}
	// Output:
	// ml-a InService
	// ml-b InService
}

// Export turns a live domain with its members into the spec that plans as
// a no-op: the way to adopt a domain made by hand.
func ExampleClient_Export() {
	srv, client := exampleClient()
	defer srv.Close()
	ctx := context.Background()
	spec, _ := exampleTeam("arn:aws:iam::123456789012:role/alice-fraud-data")
	if _, err := client.Ensure(ctx, spec); err != nil {
		fmt.Println(err)
		return
	}
	exported, err := client.Export(ctx, smdomain.ByName("fraud-ml"))
	if err != nil {
		fmt.Println(err)
		return
	}
	plan, err := client.Plan(ctx, exported)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(exported.Name(), plan.Action, len(plan.Members), "members")
	// Output:
	// fraud-ml no-op 4 members
}

// StudioURL signs a user of an IAM domain in to Studio with tight
// defaults: the URL works for 5 minutes and opens a 1-hour session.
func ExampleClient_StudioURL() {
	srv, client := exampleClient()
	defer srv.Close()
	ctx := context.Background()
	spec, _ := exampleTeam("arn:aws:iam::123456789012:role/alice-fraud-data")
	res, err := client.Ensure(ctx, spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	link, err := client.StudioURL(ctx, smdomain.ByName("fraud-ml"), "alice", smdomain.WithStudioSpace("alice-scratch"))
	if err != nil {
		fmt.Println(err)
		return
	}
	u, _ := url.Parse(link)
	issued, _ := srv.PresignedURL(u.Query().Get("token"))
	fmt.Println(mask(u.Host, res.Domain.ID), issued.UserProfileName, issued.SpaceName,
		issued.Expires.Sub(issued.Created), issued.SessionDuration)
	// Output:
	// d-xxxxxxxxxxxx.studio.us-east-1.sagemaker.aws alice alice-scratch 5m0s 1h0m0s
}
