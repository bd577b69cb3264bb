package smdomain_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/finegrained/smdomain"
	"github.com/finegrained/smdomain/smdomaintest"
)

// The examples run against smdomaintest on a fake clock: the emulated domain
// takes minutes to become InService, and the client waits on the same clock,
// so no real time passes. Domain IDs are random; the examples print them
// masked.

// role is the examples' execution role, in the emulator's account.
const role = "arn:aws:iam::123456789012:role/SageMakerExecutionRole"

// mask replaces a random domain ID in s with d-xxxxxxxxxxxx.
func mask(s, id string) string {
	if id == "" {
		return s
	}
	return strings.ReplaceAll(s, id, "d-xxxxxxxxxxxx")
}

// exampleStart is when the examples' fake clocks start.
var exampleStart = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)

// Plan is read-only: here no domain has the name yet, so the plan is to
// create one with every field the spec sets.
func ExampleClient_Plan() {
	clock := smdomaintest.NewFakeClock(exampleStart)
	srv := smdomaintest.NewServer(smdomaintest.WithClock(clock))
	defer srv.Close()
	client := smdomain.NewFromConfig(srv.AWSConfig(), smdomain.WithClock(clock))

	spec, err := smdomain.NewSpec("ml-platform",
		smdomain.WithAuthMode(types.AuthModeIam),
		smdomain.WithVPC("vpc-0abc1234def567890", "subnet-0abc1234def567890"),
		smdomain.WithExecutionRole(role),
		smdomain.WithSecurityGroups("sg-0abc1234def567890"),
		smdomain.WithTags(map[string]string{"Environment": "Development", "Project": "MachineLearning"}),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	plan, err := client.Plan(context.Background(), spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(plan)
	fmt.Println("domains created by Plan:", len(srv.DomainIDs()))
	// Output:
	// domain "ml-platform" in 123456789012/us-east-1: create
	//   + AuthMode: "IAM"
	//   + DefaultUserSettings: {"ExecutionRole":"arn:aws:iam::123456789012:role/SageMakerExecutionRole","SecurityGroups":["sg-0abc1234def567890"]}
	//   + DomainName: "ml-platform"
	//   + SubnetIds: ["subnet-0abc1234def567890"]
	//   + VpcId: "vpc-0abc1234def567890"
	//   + Tags.Environment: "Development"
	//   + Tags.Project: "MachineLearning"
	// domains created by Plan: 0
}

// Ensure creates the domain and waits until it is InService (five minutes
// here, on the fake clock). A second Ensure with the same spec finds nothing
// to do and makes no write call.
func ExampleClient_Ensure() {
	clock := smdomaintest.NewFakeClock(exampleStart)
	srv := smdomaintest.NewServer(smdomaintest.WithClock(clock), smdomaintest.WithCreateDelay(5*time.Minute))
	defer srv.Close()
	client := smdomain.NewFromConfig(srv.AWSConfig(), smdomain.WithClock(clock))

	spec, err := smdomain.NewSpec("ml-platform",
		smdomain.WithAuthMode(types.AuthModeIam),
		smdomain.WithVPC("vpc-0abc1234def567890", "subnet-0abc1234def567890"),
		smdomain.WithExecutionRole(role),
		smdomain.WithSecurityGroups("sg-0abc1234def567890"),
		smdomain.WithTags(map[string]string{"Environment": "Development", "Project": "MachineLearning"}),
	)
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
	d := res.Domain
	fmt.Println(res.Action, d.Name, d.Status)
	fmt.Println("Studio:", mask(d.URL, d.ID))
	fmt.Println("home EFS:", strings.HasPrefix(d.HomeEFSFileSystemID, "fs-"))

	srv.ResetCalls()
	res, err = client.Ensure(ctx, spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Action, res.Domain.Name, res.Domain.Status)
	for _, c := range srv.Calls() {
		fmt.Println("  called", c.Operation)
	}
	// Output:
	// created ml-platform InService
	// Studio: https://d-xxxxxxxxxxxx.studio.us-east-1.sagemaker.aws
	// home EFS: true
	// unchanged ml-platform InService
	//   called ListDomains
	//   called DescribeDomain
	//   called ListTags
}

// An in-place update: the spec changes the users' security groups and keeps
// all traffic inside the VPC. The plan shows both changes; Ensure sends one
// UpdateDomain with only those fields and waits for the domain to leave
// Updating.
func ExampleClient_Ensure_update() {
	clock := smdomaintest.NewFakeClock(exampleStart)
	srv := smdomaintest.NewServer(smdomaintest.WithClock(clock),
		smdomaintest.WithCreateDelay(5*time.Minute), smdomaintest.WithUpdateDelay(2*time.Minute))
	defer srv.Close()
	client := smdomain.NewFromConfig(srv.AWSConfig(), smdomain.WithClock(clock))
	spec, err := smdomain.NewSpec("ml-platform",
		smdomain.WithVPC("vpc-0abc1234def567890", "subnet-0abc1234def567890"),
		smdomain.WithExecutionRole(role),
		smdomain.WithSecurityGroups("sg-0abc1234def567890"),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	if _, err := client.Ensure(ctx, spec); err != nil {
		fmt.Println(err)
		return
	}

	changed, err := smdomain.NewSpec("ml-platform",
		smdomain.WithVPC("vpc-0abc1234def567890", "subnet-0abc1234def567890"),
		smdomain.WithExecutionRole(role),
		smdomain.WithSecurityGroups("sg-0abc1234def567890", "sg-0fed9876cba543210"),
		smdomain.WithAppNetworkAccessType(types.AppNetworkAccessTypeVpcOnly),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	plan, err := client.Plan(ctx, changed)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(mask(plan.String(), plan.DomainID))

	srv.ResetCalls()
	res, err := client.Ensure(ctx, changed)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Action, res.Domain.Status, res.Domain.AppNetworkAccessType)
	for _, c := range srv.Calls() {
		if c.Operation == "UpdateDomain" {
			fmt.Println("UpdateDomain carried", c.Fields)
		}
	}
	// Output:
	// domain "ml-platform" (d-xxxxxxxxxxxx) in 123456789012/us-east-1: update, 2 changes
	//   ~ AppNetworkAccessType: "PublicInternetOnly" -> "VpcOnly"
	//   ~ DefaultUserSettings.SecurityGroups: ["sg-0abc1234def567890"] -> ["sg-0abc1234def567890","sg-0fed9876cba543210"]
	// updated InService VpcOnly
	// UpdateDomain carried [AppNetworkAccessType DefaultUserSettings DomainId SubnetIds]
}

// Get reads a domain by name. A name no domain has is ErrNotFound.
func ExampleClient_Get() {
	clock := smdomaintest.NewFakeClock(exampleStart)
	srv := smdomaintest.NewServer(smdomaintest.WithClock(clock))
	defer srv.Close()
	client := smdomain.NewFromConfig(srv.AWSConfig(), smdomain.WithClock(clock))
	spec, err := smdomain.NewSpec("ml-platform",
		smdomain.WithVPC("vpc-0abc1234def567890", "subnet-0abc1234def567890"),
		smdomain.WithExecutionRole(role),
		smdomain.WithSecurityGroups("sg-0abc1234def567890"),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	if _, err := client.Ensure(ctx, spec); err != nil {
		fmt.Println(err)
		return
	}

	d, err := client.Get(ctx, smdomain.ByName("ml-platform"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.Name, d.Status, d.AuthMode, d.AppNetworkAccessType)
	fmt.Println(d.VPCID, d.SubnetIDs)
	fmt.Println(mask(d.ARN, d.ID))

	_, err = client.Get(ctx, smdomain.ByName("no-such-domain"))
	fmt.Println(errors.Is(err, smdomain.ErrNotFound))
	// Output:
	// ml-platform InService IAM PublicInternetOnly
	// vpc-0abc1234def567890 [subnet-0abc1234def567890]
	// arn:aws:sagemaker:us-east-1:123456789012:domain/d-xxxxxxxxxxxx
	// true
}

// Delete waits until the domain is gone. The home EFS volume, with every
// user's home directory, is retained unless WithDeleteHomeEFS is given.
// Deleting a domain that does not exist is not an error.
func ExampleClient_Delete() {
	clock := smdomaintest.NewFakeClock(exampleStart)
	srv := smdomaintest.NewServer(smdomaintest.WithClock(clock), smdomaintest.WithDeleteDelay(3*time.Minute))
	defer srv.Close()
	client := smdomain.NewFromConfig(srv.AWSConfig(), smdomain.WithClock(clock))
	spec, err := smdomain.NewSpec("ml-platform",
		smdomain.WithVPC("vpc-0abc1234def567890", "subnet-0abc1234def567890"),
		smdomain.WithExecutionRole(role),
		smdomain.WithSecurityGroups("sg-0abc1234def567890"),
	)
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

	res, err := client.Delete(ctx, smdomain.ByName("ml-platform"), smdomain.WithDeleteHomeEFS())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Action)
	policy, _ := srv.RetentionPolicy(created.Domain.ID)
	fmt.Println("home EFS:", policy)

	res, err = client.Delete(ctx, smdomain.ByName("ml-platform"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("again:", res.Action)
	// Output:
	// deleted
	// home EFS: Delete
	// again: unchanged
}

// New takes any implementation of API: here the SDK's own clients, built
// from the emulator's aws.Config, with the STS client that lets the Client
// check execution roles against the caller's account.
func ExampleNew() {
	clock := smdomaintest.NewFakeClock(exampleStart)
	srv := smdomaintest.NewServer(smdomaintest.WithClock(clock))
	defer srv.Close()
	cfg := srv.AWSConfig()

	client := smdomain.New(sagemaker.NewFromConfig(cfg),
		smdomain.WithSTS(sts.NewFromConfig(cfg)),
		smdomain.WithClock(clock),
		smdomain.WithMaxWait(45*time.Minute),
	)
	spec, err := smdomain.NewSpec("ml-platform",
		smdomain.WithVPC("vpc-0abc1234def567890", "subnet-0abc1234def567890"),
		smdomain.WithExecutionRole(role),
		smdomain.WithSecurityGroups("sg-0abc1234def567890"),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	plan, err := client.Plan(context.Background(), spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(plan.Action, plan.Account, plan.Region)
	// Output:
	// create 123456789012 us-east-1
}

// NewFromConfig builds the SageMaker and STS clients from one aws.Config.
// WithWaitOptions reports every poll of a wait; a fixed Jitter makes the
// schedule reproducible.
func ExampleNewFromConfig() {
	clock := smdomaintest.NewFakeClock(exampleStart)
	srv := smdomaintest.NewServer(smdomaintest.WithClock(clock), smdomaintest.WithCreateDelay(30*time.Second))
	defer srv.Close()

	client := smdomain.NewFromConfig(srv.AWSConfig(),
		smdomain.WithClock(clock),
		smdomain.WithWaitOptions(func(o *smdomain.DomainInServiceWaiterOptions) {
			o.Jitter = func() float64 { return 0.5 }
			o.Progress = func(p smdomain.WaitProgress) {
				fmt.Printf("poll %d: %s after %s\n", p.Attempt, p.Status, p.Elapsed.Round(time.Second))
			}
		}),
	)
	spec, err := smdomain.NewSpec("ml-platform",
		smdomain.WithVPC("vpc-0abc1234def567890", "subnet-0abc1234def567890"),
		smdomain.WithExecutionRole(role),
		smdomain.WithSecurityGroups("sg-0abc1234def567890"),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := client.Ensure(context.Background(), spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Action, res.Domain.Status)
	// Output:
	// poll 1: Pending after 0s
	// poll 2: Pending after 2s
	// poll 3: Pending after 6s
	// poll 4: Pending after 14s
	// poll 5: Pending after 24s
	// poll 6: InService after 34s
	// created InService
}

// Every problem in a spec comes back at once, as data: match a problem with
// Has or by ranging over Problems, not by the error's text. Nothing is sent
// to AWS for an invalid spec.
func ExampleValidationError() {
	_, err := smdomain.NewSpec("ml platform", // spaces are not allowed
		smdomain.WithAppNetworkAccessType(types.AppNetworkAccessTypeVpcOnly), // needs a VPC and security groups
		smdomain.WithSecurityGroups("sg-1", "sg-2", "sg-3", "sg-4", "sg-5", "sg-6"),
		smdomain.WithTags(map[string]string{"aws:owner": "me"}),
	)
	var verr *smdomain.ValidationError
	if errors.As(err, &verr) {
		for _, p := range verr.Problems {
			fmt.Printf("%s (%s): %s\n", p.Field, p.Rule, p.Detail)
		}
		fmt.Println("too many security groups:", verr.Has("DefaultUserSettings.SecurityGroups", smdomain.RuleCount))
	}
	// Output:
	// DefaultUserSettings.SecurityGroups (count): has 6 entries; at most 5 allowed
	// DomainName (pattern): must match the pattern [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}
	// DefaultUserSettings.ExecutionRole (required): is required: the IAM role users' apps run as (WithExecutionRole)
	// VpcId (conflict): is required when AppNetworkAccessType is VpcOnly
	// SubnetIds (conflict): at least one subnet is required when AppNetworkAccessType is VpcOnly
	// Tags[0].Key (pattern): must not begin with "aws:", which is reserved for AWS
	// too many security groups: true
}

// A change UpdateDomain cannot make (here the auth mode and the KMS key)
// needs a new domain, and a new domain loses the users' home directories.
// Ensure refuses and writes nothing; the plan says the same beforehand.
func ExampleReplacementRequiredError() {
	clock := smdomaintest.NewFakeClock(exampleStart)
	srv := smdomaintest.NewServer(smdomaintest.WithClock(clock))
	defer srv.Close()
	client := smdomain.NewFromConfig(srv.AWSConfig(), smdomain.WithClock(clock))
	ctx := context.Background()
	spec, err := smdomain.NewSpec("ml-platform", smdomain.WithExecutionRole(role))
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := client.Ensure(ctx, spec); err != nil {
		fmt.Println(err)
		return
	}

	replaced, err := smdomain.NewSpec("ml-platform",
		smdomain.WithExecutionRole(role),
		smdomain.WithAuthMode(types.AuthModeSso),
		smdomain.WithKMSKey("alias/ml-platform"),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	srv.ResetCalls()
	_, err = client.Ensure(ctx, replaced)
	var rerr *smdomain.ReplacementRequiredError
	if errors.As(err, &rerr) {
		for _, c := range rerr.Changes {
			fmt.Println("needs a new domain:", c.Path)
		}
	}
	writes := 0
	for _, c := range srv.Calls() {
		switch c.Operation {
		case "CreateDomain", "UpdateDomain", "DeleteDomain", "AddTags", "DeleteTags":
			writes++
		}
	}
	fmt.Println("write calls:", writes)
	// Output:
	// needs a new domain: AuthMode
	// needs a new domain: KmsKeyId
	// write calls: 0
}

// A domain the service marked Failed cannot be fixed by waiting or updating:
// Ensure returns a *StatusError carrying the service's reason.
func ExampleStatusError() {
	clock := smdomaintest.NewFakeClock(exampleStart)
	srv := smdomaintest.NewServer(smdomaintest.WithClock(clock))
	defer srv.Close()
	client := smdomain.NewFromConfig(srv.AWSConfig(), smdomain.WithClock(clock))
	ctx := context.Background()
	spec, err := smdomain.NewSpec("ml-platform", smdomain.WithExecutionRole(role))
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := client.Ensure(ctx, spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	// The emulator's fault injection plays the service's part.
	if err := srv.SetDomainStatus(res.Domain.ID, "Failed", "The subnet has no free IP addresses."); err != nil {
		fmt.Println(err)
		return
	}

	_, err = client.Ensure(ctx, spec)
	var serr *smdomain.StatusError
	if errors.As(err, &serr) {
		fmt.Println(serr.Status+":", serr.FailureReason)
	}
	// Output:
	// Failed: The subnet has no free IP addresses.
}

// AWS does not promise that domain names are unique. When two domains share
// a name, smdomain refuses to guess: pin the one you mean with WithDomainID.
func ExampleAmbiguousNameError() {
	clock := smdomaintest.NewFakeClock(exampleStart)
	srv := smdomaintest.NewServer(smdomaintest.WithClock(clock))
	defer srv.Close()
	ctx := context.Background()
	sm := sagemaker.NewFromConfig(srv.AWSConfig())
	var ids []string
	for range 2 { // two domains called "shared", made behind smdomain's back
		out, err := sm.CreateDomain(ctx, &sagemaker.CreateDomainInput{
			DomainName:          aws.String("shared"),
			AuthMode:            types.AuthModeIam,
			DefaultUserSettings: &types.UserSettings{ExecutionRole: aws.String("arn:aws:iam::123456789012:role/SageMakerExecutionRole")},
		})
		if err != nil {
			fmt.Println(err)
			return
		}
		ids = append(ids, aws.ToString(out.DomainId))
	}
	client := smdomain.NewFromConfig(srv.AWSConfig(), smdomain.WithClock(clock))

	_, err := client.Get(ctx, smdomain.ByName("shared"))
	var aerr *smdomain.AmbiguousNameError
	if errors.As(err, &aerr) {
		fmt.Println(aerr.Name, "is the name of", len(aerr.DomainIDs), "domains")
	}

	spec, err := smdomain.NewSpec("shared",
		smdomain.WithExecutionRole(role),
		smdomain.WithDomainID(ids[1]),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	plan, err := client.Plan(ctx, spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("pinned:", plan.Action, plan.DomainID == ids[1])
	// Output:
	// shared is the name of 2 domains
	// pinned: no-op true
}

// An execution role from another account is refused before anything is
// written, unless the Client allows it with WithCrossAccountRoles.
func ExampleRoleAccountError() {
	clock := smdomaintest.NewFakeClock(exampleStart)
	srv := smdomaintest.NewServer(smdomaintest.WithClock(clock))
	defer srv.Close()
	client := smdomain.NewFromConfig(srv.AWSConfig(), smdomain.WithClock(clock))

	spec, err := smdomain.NewSpec("ml-platform",
		smdomain.WithExecutionRole("arn:aws:iam::210987654321:role/SageMakerExecutionRole"))
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = client.Ensure(context.Background(), spec)
	var rerr *smdomain.RoleAccountError
	if errors.As(err, &rerr) {
		fmt.Println(rerr.Field, "is in account", rerr.RoleAccount, "not", rerr.CallerAccount)
	}
	fmt.Println("domains:", len(srv.DomainIDs()))
	// Output:
	// DefaultUserSettings.ExecutionRole is in account 210987654321 not 123456789012
	// domains: 0
}

// A wait that runs out is a *WaitTimeoutError, which matches
// ErrWaitTimeout and names the domain, even one this Ensure has just
// created. The domain is left as it is; a later Ensure picks up where this
// one stopped.
func ExampleClient_Ensure_waitTimeout() {
	clock := smdomaintest.NewFakeClock(exampleStart)
	srv := smdomaintest.NewServer(smdomaintest.WithClock(clock), smdomaintest.WithCreateDelay(20*time.Minute))
	defer srv.Close()
	client := smdomain.NewFromConfig(srv.AWSConfig(), smdomain.WithClock(clock), smdomain.WithMaxWait(10*time.Minute))
	ctx := context.Background()
	spec, err := smdomain.NewSpec("ml-platform", smdomain.WithExecutionRole(role))
	if err != nil {
		fmt.Println(err)
		return
	}

	_, err = client.Ensure(ctx, spec)
	fmt.Println("timed out:", errors.Is(err, smdomain.ErrWaitTimeout))
	var timeout *smdomain.WaitTimeoutError
	if errors.As(err, &timeout) {
		fmt.Println("domain:", timeout.DomainID == srv.DomainIDs()[0], timeout.Status)
	}

	res, err := client.Ensure(ctx, spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Action, res.Domain.Status)
	// Output:
	// timed out: true
	// domain: true Pending
	// unchanged InService
}

// Against a real account, the configuration comes from the usual places:
// AWS_REGION, AWS_PROFILE and the other AWS_* variables, the shared config
// and credentials files, SSO, or an instance or task role. This example is
// compiled but not run, since it needs an account.
func Example_awsAccount() {
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion("us-east-1"))
	if err != nil {
		fmt.Println(err)
		return
	}
	client := smdomain.NewFromConfig(cfg, smdomain.WithMaxWait(45*time.Minute))

	spec, err := smdomain.NewSpec("my-sagemaker-domain",
		smdomain.WithAuthMode(types.AuthModeIam),
		smdomain.WithVPC("vpc-0abc1234def567890", "subnet-0abc1234def567890", "subnet-0def1234abc567890"),
		smdomain.WithExecutionRole("arn:aws:iam::123456789012:role/SageMakerExecutionRole"),
		smdomain.WithSecurityGroups("sg-0abc1234def567890"),
		smdomain.WithTags(map[string]string{"Environment": "Development", "Project": "MachineLearning"}),
	)
	if err != nil {
		fmt.Println(err) // every problem at once; nothing was sent
		return
	}
	plan, err := client.Plan(ctx, spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(plan)
	res, err := client.Ensure(ctx, spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Action, res.Domain.ID, res.Domain.URL)
}
