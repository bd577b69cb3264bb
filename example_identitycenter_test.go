package smdomain_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	idstypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"

	"github.com/finegrained/smdomain"
	"github.com/finegrained/smdomain/smdomaintest"
)

// exampleSSOTeam is an SSO domain whose user profiles belong to the
// Identity Center users named.
func exampleSSOTeam(users []string, extra ...smdomain.Option) (*smdomain.Spec, error) {
	var profiles []*smdomain.UserProfileSpec
	for _, u := range users {
		p, err := smdomain.NewUserProfileSpec(u, smdomain.WithSSOUser("UserName", u))
		if err != nil {
			return nil, err
		}
		profiles = append(profiles, p)
	}
	return smdomain.NewSpec("sso-ml", append([]smdomain.Option{
		smdomain.WithAuthMode(types.AuthModeSso),
		smdomain.WithExecutionRole(role),
		smdomain.WithUserProfiles(profiles...),
	}, extra...)...)
}

// exampleIDCClient is exampleClient with Identity Center: the emulator's
// identity store has alice and bob, and NewFromConfig builds the SSO Admin
// and Identity Store clients.
func exampleIDCClient() (*smdomaintest.Server, *smdomain.Client) {
	clock := smdomaintest.NewFakeClock(exampleStart)
	srv := smdomaintest.NewServer(smdomaintest.WithClock(clock), smdomaintest.WithCreateDelay(5*time.Minute),
		smdomaintest.WithUserProfileDelay(time.Minute))
	srv.AddIdentityCenterUser("alice")
	srv.AddIdentityCenterUser("bob")
	srv.AddIdentityCenterGroup("fraud team")
	return srv, smdomain.NewFromConfig(srv.AWSConfig(), smdomain.WithClock(clock),
		smdomain.WithIdentityCenter(nil, nil, srv.IdentityStoreID()))
}

// printAssignments prints the Identity Center changes, without the
// principals' IDs, which differ from run to run.
func printAssignments(changes []smdomain.Change) {
	for _, ch := range changes {
		if strings.HasPrefix(ch.Path, "Assignments.") {
			mark := "+"
			if ch.To == nil {
				mark = "-"
			}
			fmt.Println(mark, ch.Path)
		}
	}
}

// An SSO team file, applied with Identity Center: each user is assigned to
// the domain's application once the profiles are InService, so everyone
// can open Studio. Offboarding bob with WithPrune removes his assignment.
func ExampleWithIdentityCenter() {
	srv, client := exampleIDCClient()
	defer srv.Close()
	ctx := context.Background()
	spec, _ := exampleSSOTeam([]string{"alice", "bob"}) // valid: see ExampleWithSSOUser
	plan, err := client.Plan(ctx, spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("plan:", plan.Action)
	printAssignments(plan.Changes)
	res, err := client.Ensure(ctx, spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("ensure:", res.Action, "-", len(srv.ApplicationAssignments(*res.Domain.Description.SingleSignOnApplicationArn)), "assignments")
	if res, err = client.Ensure(ctx, spec); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("again:", res.Action)

	spec, _ = exampleSSOTeam([]string{"alice"}, smdomain.WithPrune())
	if res, err = client.Ensure(ctx, spec); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("prune:", res.Action)
	printAssignments(res.Changes)
	// Output:
	// plan: create
	// + Assignments.USER.alice
	// + Assignments.USER.bob
	// ensure: created - 2 assignments
	// again: unchanged
	// prune: updated
	// - Assignments.USER.bob
}

// Groups are assigned as users are, by display name.
func ExampleWithSSOGroups() {
	srv, client := exampleIDCClient()
	defer srv.Close()
	spec, err := exampleSSOTeam([]string{"alice"}, smdomain.WithSSOGroups("fraud team"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(spec.SSOGroups())
	res, err := client.Ensure(context.Background(), spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	printAssignments(res.Changes)
	// Output:
	// [fraud team]
	// + Assignments.GROUP.fraud team
	// + Assignments.USER.alice
}

// The groups a spec names, in the order given.
func ExampleSpec_SSOGroups() {
	spec, err := smdomain.NewSpec("sso-ml", smdomain.WithAuthMode(types.AuthModeSso), smdomain.WithExecutionRole(role),
		smdomain.WithSSOGroups("data scientists", "fraud team"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(spec.SSOGroups())
	_, err = smdomain.NewSpec("iam-ml", smdomain.WithExecutionRole(role), smdomain.WithSSOGroups("fraud team"))
	fmt.Println(err)
	// Output:
	// [data scientists fraud team]
	// invalid domain spec: SSOGroups: conflict: can be set only in a domain whose AuthMode is SSO
}

// A user the identity store does not have stops Ensure before anything is
// written, naming every such user and group at once.
func ExamplePrincipalNotFoundError() {
	srv, client := exampleIDCClient()
	defer srv.Close()
	spec, err := exampleSSOTeam([]string{"alice", "carol"}, smdomain.WithSSOGroups("nobody"))
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = client.Ensure(context.Background(), spec)
	var missing *smdomain.PrincipalNotFoundError
	if errors.As(err, &missing) {
		fmt.Println("users:", missing.Users, "groups:", missing.Groups)
	}
	fmt.Println("domains created:", len(srv.DomainIDs()))
	// Output:
	// users: [carol] groups: [nobody]
	// domains created: 0
}

// loggedSSOAdmin is an SSOAdminAPI that reports each assignment it makes
// before passing it on: the interface is small so that wrappers like this
// one, or test doubles, are easy to write.
type loggedSSOAdmin struct{ smdomain.SSOAdminAPI }

func (l loggedSSOAdmin) CreateApplicationAssignment(ctx context.Context, in *ssoadmin.CreateApplicationAssignmentInput, optFns ...func(*ssoadmin.Options)) (*ssoadmin.CreateApplicationAssignmentOutput, error) {
	fmt.Println("assigning a", in.PrincipalType)
	return l.SSOAdminAPI.CreateApplicationAssignment(ctx, in, optFns...)
}

// countedIdentityStore is an IdentityStoreAPI that counts the users it
// looks up.
type countedIdentityStore struct {
	smdomain.IdentityStoreAPI
	users *int
}

func (c countedIdentityStore) GetUserId(ctx context.Context, in *identitystore.GetUserIdInput, optFns ...func(*identitystore.Options)) (*identitystore.GetUserIdOutput, error) {
	*c.users++
	return c.IdentityStoreAPI.GetUserId(ctx, in, optFns...)
}

// New takes the Identity Center clients as WithIdentityCenter gives them:
// here SDK clients wrapped to report what they do.
func ExampleSSOAdminAPI() {
	clock := smdomaintest.NewFakeClock(exampleStart)
	srv := smdomaintest.NewServer(smdomaintest.WithClock(clock))
	defer srv.Close()
	srv.AddIdentityCenterUser("alice")
	cfg := srv.AWSConfig()
	lookups := 0
	client := smdomain.New(sagemaker.NewFromConfig(cfg), smdomain.WithClock(clock),
		smdomain.WithIdentityCenter(loggedSSOAdmin{ssoadmin.NewFromConfig(cfg)},
			countedIdentityStore{identitystore.NewFromConfig(cfg), &lookups}, srv.IdentityStoreID()))
	spec, err := exampleSSOTeam([]string{"alice"})
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := client.Ensure(context.Background(), spec); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("users looked up:", lookups)
	// Output:
	// assigning a USER
	// users looked up: 1
}

// An IdentityStoreAPI can be a test double: this one knows one user and
// answers as the service does for anyone else.
func ExampleIdentityStoreAPI() {
	clock := smdomaintest.NewFakeClock(exampleStart)
	srv := smdomaintest.NewServer(smdomaintest.WithClock(clock))
	defer srv.Close()
	cfg := srv.AWSConfig()
	client := smdomain.NewFromConfig(cfg, smdomain.WithClock(clock),
		smdomain.WithIdentityCenter(nil, oneUser{"alice", "1234567890-a1b2c3d4-0000-4000-8000-000000000001"}, "d-1234567890"))
	spec, _ := exampleSSOTeam([]string{"alice", "bob"})
	_, err := client.Plan(context.Background(), spec)
	fmt.Println(err)
	// Output:
	// identity store d-1234567890 has no user "bob"
}

// oneUser is an IdentityStoreAPI that knows one user.
type oneUser struct{ name, id string }

func (u oneUser) GetUserId(_ context.Context, in *identitystore.GetUserIdInput, _ ...func(*identitystore.Options)) (*identitystore.GetUserIdOutput, error) {
	attr := in.AlternateIdentifier.(*idstypes.AlternateIdentifierMemberUniqueAttribute).Value
	raw, err := attr.AttributeValue.MarshalSmithyDocument()
	if err != nil {
		return nil, err
	}
	var name string
	if err := json.Unmarshal(raw, &name); err != nil {
		return nil, err
	}
	if name != u.name {
		return nil, &idstypes.ResourceNotFoundException{Message: aws.String("user not found")}
	}
	return &identitystore.GetUserIdOutput{IdentityStoreId: in.IdentityStoreId, UserId: aws.String(u.id)}, nil
}

func (oneUser) GetGroupId(context.Context, *identitystore.GetGroupIdInput, ...func(*identitystore.Options)) (*identitystore.GetGroupIdOutput, error) {
	return nil, &idstypes.ResourceNotFoundException{Message: aws.String("group not found")}
}
