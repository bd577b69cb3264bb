package smdomaintest_test

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/document"
	idstypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"

	"github.com/finegrained/smdomain/smdomaintest"
)

// Users seeded into the emulator's identity store are found by the
// Identity Store client, by user name.
func ExampleEmulator_AddIdentityCenterUser() {
	srv := smdomaintest.NewServer()
	defer srv.Close()
	alice := srv.AddIdentityCenterUser("alice")
	ids := identitystore.NewFromConfig(srv.AWSConfig())
	out, err := ids.GetUserId(context.Background(), &identitystore.GetUserIdInput{
		IdentityStoreId: aws.String(srv.IdentityStoreID()),
		AlternateIdentifier: &idstypes.AlternateIdentifierMemberUniqueAttribute{Value: idstypes.UniqueAttribute{
			AttributePath: aws.String("userName"), AttributeValue: document.NewLazyDocument("alice")}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(aws.ToString(out.UserId) == alice)
	// Output:
	// true
}

// An SSO domain's Identity Center application takes assignments through
// the SSO Admin client; ApplicationAssignments reads them back.
func ExampleEmulator_ApplicationAssignments() {
	srv := smdomaintest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	cfg := srv.AWSConfig()
	domain, err := sagemaker.NewFromConfig(cfg).CreateDomain(ctx, &sagemaker.CreateDomainInput{
		DomainName: aws.String("sso-team"), AuthMode: types.AuthModeSso, DefaultUserSettings: &types.UserSettings{}})
	if err != nil {
		fmt.Println(err)
		return
	}
	d, err := sagemaker.NewFromConfig(cfg).DescribeDomain(ctx, &sagemaker.DescribeDomainInput{DomainId: domain.DomainId})
	if err != nil {
		fmt.Println(err)
		return
	}
	team := srv.AddIdentityCenterGroup("fraud team")
	if _, err := ssoadmin.NewFromConfig(cfg).CreateApplicationAssignment(ctx, &ssoadmin.CreateApplicationAssignmentInput{
		ApplicationArn: d.SingleSignOnApplicationArn, PrincipalId: aws.String(team), PrincipalType: ssotypes.PrincipalTypeGroup}); err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range srv.ApplicationAssignments(aws.ToString(d.SingleSignOnApplicationArn)) {
		fmt.Println(a.PrincipalType, aws.ToString(a.PrincipalId) == team)
	}
	// Output:
	// GROUP true
}

// The emulator has one identity store; its ID is what GetUserId and
// GetGroupId name, and what smdomain.WithIdentityCenter takes.
func ExampleEmulator_IdentityStoreID() {
	srv := smdomaintest.NewServer()
	defer srv.Close()
	id := srv.IdentityStoreID()
	fmt.Println(id[:2], len(id), id == srv.IdentityStoreID())
	// Output:
	// d- 12 true
}
