package smdomaintest_test

import (
	"context"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/google/go-cmp/cmp"
)

func TestUpdateDomainMergesOnlyWhatIsSent(t *testing.T) {
	srv, c, _ := newTest(t)
	ctx := context.Background()
	in := minimalCreate("merge")
	in.VpcId = aws.String("vpc-0abc1234")
	in.SubnetIds = []string{"subnet-0abc1234"}
	in.DefaultUserSettings.SecurityGroups = []string{"sg-0aaa", "sg-0bbb"}
	in.DefaultUserSettings.JupyterServerAppSettings = &types.JupyterServerAppSettings{
		DefaultResourceSpec: &types.ResourceSpec{InstanceType: types.AppInstanceTypeSystem},
	}
	in.DomainSettings = &types.DomainSettings{
		SecurityGroupIds: []string{"sg-0ccc"},
		RStudioServerProDomainSettings: &types.RStudioServerProDomainSettings{
			DomainExecutionRoleArn: aws.String(role),
			RStudioConnectUrl:      aws.String("https://connect.example.com"),
		},
	}
	id := mustCreate(t, c, in).DomainId
	before := mustDescribe(t, c, *id)

	srv.ResetCalls()
	_, err := c.UpdateDomain(ctx, &sagemaker.UpdateDomainInput{
		DomainId: id,
		DefaultUserSettings: &types.UserSettings{
			SecurityGroups: []string{"sg-0ddd"},
			JupyterServerAppSettings: &types.JupyterServerAppSettings{
				LifecycleConfigArns: []string{"arn:aws:sagemaker:us-east-1:123456789012:studio-lifecycle-config/lc"},
			},
		},
		DomainSettingsForUpdate: &types.DomainSettingsForUpdate{
			ExecutionRoleIdentityConfig: types.ExecutionRoleIdentityConfigUserProfileName,
			RStudioServerProDomainSettingsForUpdate: &types.RStudioServerProDomainSettingsForUpdate{
				DomainExecutionRoleArn:   aws.String(role + "2"),
				RStudioPackageManagerUrl: aws.String("https://rspm.example.com"),
			},
		},
		SubnetIds: []string{"subnet-0def5678", "subnet-0abc1234"},
	})
	if err != nil {
		t.Fatal(err)
	}
	after := mustDescribe(t, c, *id)

	want := *before
	want.Status = types.DomainStatusInService
	want.DefaultUserSettings = &types.UserSettings{
		ExecutionRole:     aws.String(role),
		SecurityGroups:    []string{"sg-0ddd"},
		StudioWebPortal:   types.StudioWebPortalEnabled,
		DefaultLandingUri: aws.String("studio::"),
		JupyterServerAppSettings: &types.JupyterServerAppSettings{
			DefaultResourceSpec: &types.ResourceSpec{InstanceType: types.AppInstanceTypeSystem},
			LifecycleConfigArns: []string{"arn:aws:sagemaker:us-east-1:123456789012:studio-lifecycle-config/lc"},
		},
	}
	want.DomainSettings = &types.DomainSettings{
		SecurityGroupIds:            []string{"sg-0ccc"},
		ExecutionRoleIdentityConfig: types.ExecutionRoleIdentityConfigUserProfileName,
		DockerSettings:              &types.DockerSettings{EnableDockerAccess: types.FeatureStatusDisabled},
		RStudioServerProDomainSettings: &types.RStudioServerProDomainSettings{
			DomainExecutionRoleArn:   aws.String(role + "2"),
			RStudioConnectUrl:        aws.String("https://connect.example.com"),
			RStudioPackageManagerUrl: aws.String("https://rspm.example.com"),
		},
	}
	want.SubnetIds = []string{"subnet-0def5678", "subnet-0abc1234"}
	if diff := cmp.Diff(&want, after, sdkCmp); diff != "" {
		t.Errorf("DescribeDomain after update (-want +got):\n%s", diff)
	}

	calls := srv.Calls()
	if len(calls) == 0 || calls[0].Operation != "UpdateDomain" {
		t.Fatalf("call log %+v does not start with UpdateDomain", calls)
	}
	if diff := cmp.Diff([]string{"DefaultUserSettings", "DomainId", "DomainSettingsForUpdate", "SubnetIds"}, calls[0].Fields); diff != "" {
		t.Errorf("UpdateDomain fields (-want +got):\n%s", diff)
	}
}

func TestUpdateDomainVPCAndEFSRules(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		create   func(*sagemaker.CreateDomainInput)
		update   sagemaker.UpdateDomainInput
		wantCode string
	}{
		{
			name:   "add VPC to a domain without one",
			update: sagemaker.UpdateDomainInput{VpcId: aws.String("vpc-0abc1234"), SubnetIds: []string{"subnet-0abc1234"}},
		},
		{
			name:     "VPC without subnets",
			update:   sagemaker.UpdateDomainInput{VpcId: aws.String("vpc-0abc1234")},
			wantCode: "ValidationException",
		},
		{
			name: "change an existing VPC",
			create: func(in *sagemaker.CreateDomainInput) {
				in.VpcId, in.SubnetIds = aws.String("vpc-0abc1234"), []string{"subnet-0abc1234"}
			},
			update:   sagemaker.UpdateDomainInput{VpcId: aws.String("vpc-0def5678")},
			wantCode: "ValidationException",
		},
		{
			name:     "home EFS Enabled to Disabled",
			update:   sagemaker.UpdateDomainInput{HomeEfsFileSystemCreation: types.HomeEfsFileSystemCreationDisabled},
			wantCode: "ValidationException",
		},
		{
			name: "home EFS Disabled to Enabled",
			create: func(in *sagemaker.CreateDomainInput) {
				in.HomeEfsFileSystemCreation = types.HomeEfsFileSystemCreationDisabled
			},
			update: sagemaker.UpdateDomainInput{HomeEfsFileSystemCreation: types.HomeEfsFileSystemCreationEnabled},
		},
		{
			name:     "VpcOnly without a VPC",
			update:   sagemaker.UpdateDomainInput{AppNetworkAccessType: types.AppNetworkAccessTypeVpcOnly},
			wantCode: "ValidationException",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, c, _ := newTest(t)
			in := minimalCreate("rules")
			if tt.create != nil {
				tt.create(in)
			}
			id := mustCreate(t, c, in).DomainId
			up := tt.update
			up.DomainId = id
			_, err := c.UpdateDomain(ctx, &up)
			if got := apiCode(err); got != tt.wantCode {
				t.Fatalf("UpdateDomain: code %q (%v), want %q", got, err, tt.wantCode)
			}
			if err != nil {
				return
			}
			d := mustDescribe(t, c, *id)
			if up.VpcId != nil && !regexp.MustCompile(`^sg-[0-9a-f]{17}$`).MatchString(aws.ToString(d.SecurityGroupIdForDomainBoundary)) {
				t.Errorf("no boundary security group after adding a VPC: %q", aws.ToString(d.SecurityGroupIdForDomainBoundary))
			}
			if up.HomeEfsFileSystemCreation == types.HomeEfsFileSystemCreationEnabled && d.HomeEfsFileSystemId == nil {
				t.Error("no HomeEfsFileSystemId after enabling it")
			}
		})
	}
}
