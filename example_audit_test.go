package smdomain_test

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/finegrained/smdomain"
	"github.com/finegrained/smdomain/smdomaintest"
)

// The seed domain has a VPC but lets apps reach the internet, uses an AWS
// managed key and leaves users' calls unattributed. Audit says so before
// anything is applied.
func ExampleSpec_Audit() {
	spec, err := smdomain.NewSpec("ml-platform",
		smdomain.WithVPC("vpc-0abc1234def567890", "subnet-0abc1234def567890"),
		smdomain.WithExecutionRole(role),
		smdomain.WithSecurityGroups("sg-0abc1234def567890"),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range spec.Audit() {
		fmt.Println(f.Severity, f.ID, f.Path)
	}

	hardened, err := smdomain.NewSpec("ml-platform",
		smdomain.WithVPC("vpc-0abc1234def567890", "subnet-0abc1234def567890"),
		smdomain.WithExecutionRole(role),
		smdomain.WithSecurityGroups("sg-0abc1234def567890"),
		smdomain.WithAppNetworkAccessType(types.AppNetworkAccessTypeVpcOnly),
		smdomain.WithSourceIdentity(),
		smdomain.WithKMSKey("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
		smdomain.WithAuthMode(types.AuthModeSso),
		smdomain.WithTags(map[string]string{"team": "ml"}),
		smdomain.WithDefaultUserSettings(&types.UserSettings{
			StudioWebPortalSettings: &types.StudioWebPortalSettings{ExecutionRoleSessionNameMode: types.ExecutionRoleSessionNameModeUserIdentity},
			JupyterLabAppSettings: &types.JupyterLabAppSettings{AppLifecycleManagement: &types.AppLifecycleManagement{
				IdleSettings: &types.IdleSettings{LifecycleManagement: types.LifecycleManagementEnabled}}},
		}),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("hardened:", len(hardened.Audit()), "findings")
	// Output:
	// high network-egress AppNetworkAccessType
	// medium kms-key KmsKeyId
	// medium source-identity DomainSettings.ExecutionRoleIdentityConfig
	// low idle-shutdown DefaultUserSettings.JupyterLabAppSettings.AppLifecycleManagement.IdleSettings.LifecycleManagement
	// low session-name DefaultUserSettings.StudioWebPortalSettings.ExecutionRoleSessionNameMode
	// low sso-auth AuthMode
	// low untagged Tags
	// hardened: 0 findings
}

// AuditDomain judges a live domain by what DescribeDomain reports,
// including the values the service filled in.
func ExampleClient_AuditDomain() {
	clock := smdomaintest.NewFakeClock(exampleStart)
	srv := smdomaintest.NewServer(smdomaintest.WithClock(clock))
	defer srv.Close()
	client := smdomain.NewFromConfig(srv.AWSConfig(), smdomain.WithClock(clock))
	spec, err := smdomain.NewSpec("research", smdomain.WithExecutionRole(role), smdomain.WithSourceIdentity())
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	if _, err := client.Ensure(ctx, spec); err != nil {
		fmt.Println(err)
		return
	}
	findings, err := client.AuditDomain(ctx, smdomain.ByName("research"))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range findings {
		if f.Severity != smdomain.SeverityLow {
			fmt.Printf("%s %s %v\n  %s: %s\n", f.Severity, f.ID, f.References, f.Path, f.Detail)
		}
	}
	// Output:
	// high network-egress [prowler:sagemaker_domain_vpc_only_enabled aws-config:SAGEMAKER_DOMAIN_IN_VPC]
	//   AppNetworkAccessType: PublicInternetOnly, so the apps' traffic other than to the home EFS volume goes to the internet through a VPC that SageMaker manages, outside your VPC's security groups, routes and endpoint policies; keep it in your VPC with WithAppNetworkAccessType(types.AppNetworkAccessTypeVpcOnly).
	// medium kms-key [prowler:sagemaker_domain_encrypted_with_cmk checkov:CKV_AWS_187]
	//   KmsKeyId: unset, so the home EFS volume and the apps' EBS volumes are encrypted with an AWS managed key, whose key policy the team cannot change, rather than a customer managed key; set WithKMSKey(keyARN) when the domain is created (the key cannot change afterwards).
}
