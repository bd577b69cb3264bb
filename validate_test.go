package smdomain

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/google/go-cmp/cmp"
)

const (
	testRole  = "arn:aws:iam::123456789012:role/SageMakerExecutionRole"
	testRole2 = "arn:aws:iam::123456789012:role/Other"
)

// seedInput is the seed program's domain as a CreateDomain request.
func seedInput() *sagemaker.CreateDomainInput {
	return &sagemaker.CreateDomainInput{
		DomainName: aws.String("my-sagemaker-domain"),
		AuthMode:   types.AuthModeIam,
		DefaultUserSettings: &types.UserSettings{
			ExecutionRole:  aws.String(testRole),
			SecurityGroups: []string{"sg-0123456789abcdef0"},
		},
		VpcId:     aws.String("vpc-0123456789abcdef0"),
		SubnetIds: []string{"subnet-0123456789abcdef0"},
		Tags: []types.Tag{
			{Key: aws.String("Environment"), Value: aws.String("Development")},
			{Key: aws.String("Project"), Value: aws.String("MachineLearning")},
		},
	}
}

// problem is what a test matches a FieldError on.
type problem struct {
	Field string
	Rule  Rule
}

func problemsOf(t *testing.T, err error) []problem {
	t.Helper()
	if err == nil {
		return nil
	}
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error is %T, want *ValidationError: %v", err, err)
	}
	out := make([]problem, 0, len(ve.Problems))
	for _, p := range ve.Problems {
		out = append(out, problem{p.Field, p.Rule})
	}
	return out
}

func sortedProblems(ps []problem) []problem {
	ps = slices.Clone(ps)
	slices.SortFunc(ps, func(a, b problem) int {
		if c := strings.Compare(a.Field, b.Field); c != 0 {
			return c
		}
		return strings.Compare(string(a.Rule), string(b.Rule))
	})
	return ps
}

func repeat(n int, f func(i int) string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = f(i)
	}
	return out
}

// validateCase changes a valid request (seedInput) and lists the problems
// that makes.
type validateCase struct {
	name   string
	mutate func(in *sagemaker.CreateDomainInput)
	want   []problem
}

// validateCases has every rule kind on top-level and nested fields, and
// every cross-field rule, each on the seed request.
func validateCases() []validateCase {
	long := func(n int) string { return strings.Repeat("a", n) }
	rstudio := func(in *sagemaker.CreateDomainInput) {
		in.DomainSettings = &types.DomainSettings{RStudioServerProDomainSettings: &types.RStudioServerProDomainSettings{
			DomainExecutionRoleArn: aws.String(testRole2),
		}}
	}
	return []validateCase{
		{"seed is valid", func(*sagemaker.CreateDomainInput) {}, nil},

		// Top-level fields.
		{"DomainName required", func(in *sagemaker.CreateDomainInput) { in.DomainName = nil },
			[]problem{{"DomainName", RuleRequired}}},
		{"DomainName too long", func(in *sagemaker.CreateDomainInput) { in.DomainName = aws.String(long(64)) },
			[]problem{{"DomainName", RuleLength}, {"DomainName", RulePattern}}},
		{"DomainName pattern", func(in *sagemaker.CreateDomainInput) { in.DomainName = aws.String("-domain") },
			[]problem{{"DomainName", RulePattern}}},
		{"AuthMode required", func(in *sagemaker.CreateDomainInput) { in.AuthMode = "" },
			[]problem{{"AuthMode", RuleRequired}}},
		{"AuthMode enum", func(in *sagemaker.CreateDomainInput) { in.AuthMode = "iam" },
			[]problem{{"AuthMode", RuleEnum}}},
		{"DefaultUserSettings required", func(in *sagemaker.CreateDomainInput) { in.DefaultUserSettings = nil },
			[]problem{{"DefaultUserSettings", RuleRequired}, {"DefaultUserSettings.ExecutionRole", RuleRequired}}},
		{"SubnetIds count min", func(in *sagemaker.CreateDomainInput) { in.SubnetIds = []string{} },
			[]problem{{"SubnetIds", RuleCount}}},
		{"SubnetIds count max", func(in *sagemaker.CreateDomainInput) {
			in.SubnetIds = repeat(17, func(i int) string { return fmt.Sprintf("subnet-%d", i) })
		}, []problem{{"SubnetIds", RuleCount}}},
		{"SubnetIds element pattern and length", func(in *sagemaker.CreateDomainInput) {
			in.SubnetIds = []string{"subnet-1", "subnet_2", long(33)}
		}, []problem{{"SubnetIds[1]", RulePattern}, {"SubnetIds[2]", RuleLength}}},
		{"VpcId length", func(in *sagemaker.CreateDomainInput) { in.VpcId = aws.String(long(33)) },
			[]problem{{"VpcId", RuleLength}}},
		{"VpcId pattern", func(in *sagemaker.CreateDomainInput) { in.VpcId = aws.String("") },
			[]problem{{"VpcId", RulePattern}}},
		{"KmsKeyId length", func(in *sagemaker.CreateDomainInput) { in.KmsKeyId = aws.String(long(2049)) },
			[]problem{{"KmsKeyId", RuleLength}}},
		{"KmsKeyId pattern", func(in *sagemaker.CreateDomainInput) { in.KmsKeyId = aws.String("key id") },
			[]problem{{"KmsKeyId", RulePattern}}},
		{"HomeEfsFileSystemKmsKeyId pattern", func(in *sagemaker.CreateDomainInput) {
			//lint:ignore SA1019 the deprecated field is still validated
			in.HomeEfsFileSystemKmsKeyId = aws.String("key?")
		}, []problem{{"HomeEfsFileSystemKmsKeyId", RulePattern}}},
		{"AppNetworkAccessType enum", func(in *sagemaker.CreateDomainInput) { in.AppNetworkAccessType = "VPCOnly" },
			[]problem{{"AppNetworkAccessType", RuleEnum}}},
		{"AppSecurityGroupManagement enum", func(in *sagemaker.CreateDomainInput) { in.AppSecurityGroupManagement = "Me" },
			[]problem{{"AppSecurityGroupManagement", RuleEnum}}},
		{"HomeEfsFileSystemCreation enum", func(in *sagemaker.CreateDomainInput) { in.HomeEfsFileSystemCreation = "On" },
			[]problem{{"HomeEfsFileSystemCreation", RuleEnum}}},
		{"TagPropagation enum", func(in *sagemaker.CreateDomainInput) { in.TagPropagation = "Enabled" },
			[]problem{{"TagPropagation", RuleEnum}}},
		{"Tags count", func(in *sagemaker.CreateDomainInput) {
			in.Tags = nil
			for i := range 51 {
				in.Tags = append(in.Tags, types.Tag{Key: aws.String(fmt.Sprintf("k%d", i)), Value: aws.String("v")})
			}
		}, []problem{{"Tags", RuleCount}}},
		{"tag key and value required", func(in *sagemaker.CreateDomainInput) { in.Tags = []types.Tag{{}} },
			[]problem{{"Tags[0].Key", RuleRequired}, {"Tags[0].Value", RuleRequired}}},
		{"tag key length", func(in *sagemaker.CreateDomainInput) {
			in.Tags = []types.Tag{
				{Key: aws.String(""), Value: aws.String("v")},
				{Key: aws.String(long(129)), Value: aws.String("v")},
				{Key: aws.String(long(128)), Value: aws.String("")},
			}
		}, []problem{{"Tags[0].Key", RuleLength}, {"Tags[1].Key", RuleLength}}},
		{"tag value length", func(in *sagemaker.CreateDomainInput) {
			in.Tags = []types.Tag{{Key: aws.String("k"), Value: aws.String(long(257))}}
		}, []problem{{"Tags[0].Value", RuleLength}}},
		{"tag pattern", func(in *sagemaker.CreateDomainInput) {
			in.Tags = []types.Tag{{Key: aws.String("a!"), Value: aws.String("ok")}, {Key: aws.String("b"), Value: aws.String("{x}")}}
		}, []problem{{"Tags[0].Key", RulePattern}, {"Tags[1].Value", RulePattern}}},
		{"tag key aws: prefix", func(in *sagemaker.CreateDomainInput) {
			in.Tags = []types.Tag{{Key: aws.String("AWS:cloudformation:stack"), Value: aws.String("v")}}
		}, []problem{{"Tags[0].Key", RulePattern}}},
		{"duplicate tag key", func(in *sagemaker.CreateDomainInput) {
			in.Tags = append(in.Tags, types.Tag{Key: aws.String("Environment"), Value: aws.String("Production")})
		}, []problem{{"Tags[2].Key", RuleConflict}}},

		// Nested fields.
		{"ExecutionRole required", func(in *sagemaker.CreateDomainInput) { in.DefaultUserSettings.ExecutionRole = nil },
			[]problem{{"DefaultUserSettings.ExecutionRole", RuleRequired}}},
		{"ExecutionRole length and pattern", func(in *sagemaker.CreateDomainInput) {
			in.DefaultUserSettings.ExecutionRole = aws.String("SageMakerRole")
		}, []problem{{"DefaultUserSettings.ExecutionRole", RuleLength}, {"DefaultUserSettings.ExecutionRole", RulePattern}}},
		{"user security groups count", func(in *sagemaker.CreateDomainInput) {
			in.DefaultUserSettings.SecurityGroups = repeat(6, func(i int) string { return fmt.Sprintf("sg-%d", i) })
		}, []problem{{"DefaultUserSettings.SecurityGroups", RuleCount}}},
		{"user security group pattern", func(in *sagemaker.CreateDomainInput) {
			in.DefaultUserSettings.SecurityGroups = []string{"sg-1", "sg-2", "sg-3", "sg-4", "sg 5"}
		}, []problem{{"DefaultUserSettings.SecurityGroups[4]", RulePattern}}},
		{"SharingSettings enum", func(in *sagemaker.CreateDomainInput) {
			in.DefaultUserSettings.SharingSettings = &types.SharingSettings{NotebookOutputOption: "Yes"}
		}, []problem{{"DefaultUserSettings.SharingSettings.NotebookOutputOption", RuleEnum}}},
		{"posix user range and required", func(in *sagemaker.CreateDomainInput) {
			in.DefaultUserSettings.CustomPosixUserConfig = &types.CustomPosixUserConfig{Uid: aws.Int64(5)}
		}, []problem{
			{"DefaultUserSettings.CustomPosixUserConfig.Gid", RuleRequired},
			{"DefaultUserSettings.CustomPosixUserConfig.Uid", RuleRange},
		}},
		{"code repository required and pattern", func(in *sagemaker.CreateDomainInput) {
			in.DefaultUserSettings.JupyterLabAppSettings = &types.JupyterLabAppSettings{CodeRepositories: []types.CodeRepository{
				{}, {RepositoryUrl: aws.String("http://example.com/x/y")},
			}}
		}, []problem{
			{"DefaultUserSettings.JupyterLabAppSettings.CodeRepositories[0].RepositoryUrl", RuleRequired},
			{"DefaultUserSettings.JupyterLabAppSettings.CodeRepositories[1].RepositoryUrl", RulePattern},
		}},
		{"idle timeout range", func(in *sagemaker.CreateDomainInput) {
			in.DefaultUserSettings.JupyterLabAppSettings = &types.JupyterLabAppSettings{AppLifecycleManagement: &types.AppLifecycleManagement{
				IdleSettings: &types.IdleSettings{IdleTimeoutInMinutes: aws.Int32(525601)},
			}}
		}, []problem{{"DefaultUserSettings.JupyterLabAppSettings.AppLifecycleManagement.IdleSettings.IdleTimeoutInMinutes", RuleRange}}},
		{"custom file system union member", func(in *sagemaker.CreateDomainInput) {
			in.DefaultUserSettings.CustomFileSystemConfigs = []types.CustomFileSystemConfig{
				&types.CustomFileSystemConfigMemberEFSFileSystemConfig{Value: types.EFSFileSystemConfig{FileSystemId: aws.String("fs-1")}},
			}
		}, []problem{
			{"DefaultUserSettings.CustomFileSystemConfigs[0].EFSFileSystemConfig.FileSystemId", RuleLength},
			{"DefaultUserSettings.CustomFileSystemConfigs[0].EFSFileSystemConfig.FileSystemId", RulePattern},
		}},
		{"instance type enum", func(in *sagemaker.CreateDomainInput) {
			in.DefaultUserSettings.KernelGatewayAppSettings = &types.KernelGatewayAppSettings{
				DefaultResourceSpec: &types.ResourceSpec{InstanceType: "ml.huge"},
			}
		}, []problem{{"DefaultUserSettings.KernelGatewayAppSettings.DefaultResourceSpec.InstanceType", RuleEnum}}},
		{"secret ARN pattern", func(in *sagemaker.CreateDomainInput) {
			in.DefaultUserSettings.CanvasAppSettings = &types.CanvasAppSettings{
				IdentityProviderOAuthSettings: []types.IdentityProviderOAuthSetting{{SecretArn: aws.String("s3cr3t")}},
			}
		}, []problem{{"DefaultUserSettings.CanvasAppSettings.IdentityProviderOAuthSettings[0].SecretArn", RulePattern}}},
		{"domain security groups count", func(in *sagemaker.CreateDomainInput) {
			in.DomainSettings = &types.DomainSettings{SecurityGroupIds: []string{"sg-1", "sg-2", "sg-3", "sg-4"}}
		}, []problem{{"DomainSettings.SecurityGroupIds", RuleCount}}},
		{"domain settings enum", func(in *sagemaker.CreateDomainInput) {
			in.DomainSettings = &types.DomainSettings{ExecutionRoleIdentityConfig: "USER_NAME"}
		}, []problem{{"DomainSettings.ExecutionRoleIdentityConfig", RuleEnum}}},
		{"RStudio role required", func(in *sagemaker.CreateDomainInput) {
			in.DomainSettings = &types.DomainSettings{RStudioServerProDomainSettings: &types.RStudioServerProDomainSettings{}}
		}, []problem{{"DomainSettings.RStudioServerProDomainSettings.DomainExecutionRoleArn", RuleRequired}}},
		{"docker trusted account length", func(in *sagemaker.CreateDomainInput) {
			in.DomainSettings = &types.DomainSettings{DockerSettings: &types.DockerSettings{VpcOnlyTrustedAccounts: []string{"1234"}}}
		}, []problem{{"DomainSettings.DockerSettings.VpcOnlyTrustedAccounts[0]", RuleLength}}},
		{"space security groups count", func(in *sagemaker.CreateDomainInput) {
			in.DefaultSpaceSettings = &types.DefaultSpaceSettings{SecurityGroups: repeat(6, func(i int) string { return fmt.Sprint("sg-", i) })}
		}, []problem{{"DefaultSpaceSettings.SecurityGroups", RuleCount}}},
		{"space EBS size range", func(in *sagemaker.CreateDomainInput) {
			in.DefaultSpaceSettings = &types.DefaultSpaceSettings{SpaceStorageSettings: &types.DefaultSpaceStorageSettings{
				DefaultEbsStorageSettings: &types.DefaultEbsStorageSettings{DefaultEbsVolumeSizeInGb: aws.Int32(4), MaximumEbsVolumeSizeInGb: aws.Int32(16385)},
			}}
		}, []problem{
			{"DefaultSpaceSettings.SpaceStorageSettings.DefaultEbsStorageSettings.DefaultEbsVolumeSizeInGb", RuleRange},
			{"DefaultSpaceSettings.SpaceStorageSettings.DefaultEbsStorageSettings.MaximumEbsVolumeSizeInGb", RuleRange},
		}},
		{"space execution role pattern", func(in *sagemaker.CreateDomainInput) {
			in.DefaultSpaceSettings = &types.DefaultSpaceSettings{ExecutionRole: aws.String("arn:aws:iam::123:role/too-short-account")}
		}, []problem{{"DefaultSpaceSettings.ExecutionRole", RulePattern}}},

		// Cross-field rules.
		{"VPC without subnets", func(in *sagemaker.CreateDomainInput) { in.SubnetIds = nil },
			[]problem{{"SubnetIds", RuleConflict}}},
		{"subnets without VPC", func(in *sagemaker.CreateDomainInput) { in.VpcId = nil },
			[]problem{{"VpcId", RuleConflict}}},
		{"VpcOnly with VPC, subnets and a security group", func(in *sagemaker.CreateDomainInput) {
			in.AppNetworkAccessType = types.AppNetworkAccessTypeVpcOnly
		}, nil},
		{"VpcOnly needs VPC, subnets and a security group", func(in *sagemaker.CreateDomainInput) {
			in.AppNetworkAccessType = types.AppNetworkAccessTypeVpcOnly
			in.VpcId, in.SubnetIds, in.DefaultUserSettings.SecurityGroups = nil, nil, nil
		}, []problem{{"DefaultUserSettings.SecurityGroups", RuleConflict}, {"SubnetIds", RuleConflict}, {"VpcId", RuleConflict}}},
		{"VpcOnly with an empty security group list", func(in *sagemaker.CreateDomainInput) {
			in.AppNetworkAccessType = types.AppNetworkAccessTypeVpcOnly
			in.DefaultUserSettings.SecurityGroups = []string{}
		}, []problem{{"DefaultUserSettings.SecurityGroups", RuleConflict}}},
		{"VpcOnly RStudio needs AppSecurityGroupManagement", func(in *sagemaker.CreateDomainInput) {
			in.AppNetworkAccessType = types.AppNetworkAccessTypeVpcOnly
			rstudio(in)
		}, []problem{{"AppSecurityGroupManagement", RuleConflict}}},
		{"VpcOnly RStudio with Service", func(in *sagemaker.CreateDomainInput) {
			in.AppNetworkAccessType = types.AppNetworkAccessTypeVpcOnly
			in.AppSecurityGroupManagement = types.AppSecurityGroupManagementService
			rstudio(in)
		}, nil},
		{"RStudio with Customer", func(in *sagemaker.CreateDomainInput) {
			in.AppSecurityGroupManagement = types.AppSecurityGroupManagementCustomer
			rstudio(in)
		}, []problem{{"AppSecurityGroupManagement", RuleConflict}}},
		{"public RStudio needs no AppSecurityGroupManagement", rstudio, nil},
	}
}

// TestValidateInput runs validateCases and checks that exactly the
// expected problems come back.
func TestValidateInput(t *testing.T) {
	for _, tc := range validateCases() {
		t.Run(tc.name, func(t *testing.T) {
			in := seedInput()
			tc.mutate(in)
			s, err := SpecFromCreateDomainInput(in)
			got := problemsOf(t, err)
			if diff := cmp.Diff(sortedProblems(tc.want), sortedProblems(got)); diff != "" {
				t.Errorf("problems (-want +got):\n%s\nerror: %v", diff, err)
			}
			if (err == nil) != (s != nil) {
				t.Errorf("got spec %v with error %v; want exactly one", s, err)
			}
			var ve *ValidationError
			if errors.As(err, &ve) {
				for _, p := range tc.want {
					if !ve.Has(p.Field, p.Rule) {
						t.Errorf("Has(%q, %q) = false", p.Field, p.Rule)
					}
				}
			}
		})
	}
}

// TestValidateAllAtOnce checks that one error carries every problem.
func TestValidateAllAtOnce(t *testing.T) {
	_, err := NewSpec("-bad",
		WithAuthMode("LDAP"),
		WithVPC("vpc_1"),
		WithSecurityGroups("1", "2", "3", "4", "5", "6"),
		WithDomainSecurityGroups("1", "2", "3", "4"),
		WithKMSKey("not a key"),
		WithAppNetworkAccessType(types.AppNetworkAccessTypeVpcOnly),
		WithTags(map[string]string{"aws:owner": "me"}),
		WithDomainID("domain-1"),
	)
	want := []problem{
		{"AuthMode", RuleEnum},
		{"DefaultUserSettings.ExecutionRole", RuleRequired},
		{"DefaultUserSettings.SecurityGroups", RuleCount},
		{"DomainId", RulePattern},
		{"DomainName", RulePattern},
		{"DomainSettings.SecurityGroupIds", RuleCount},
		{"KmsKeyId", RulePattern},
		{"SubnetIds", RuleConflict},
		{"Tags[0].Key", RulePattern},
		{"VpcId", RulePattern},
	}
	if diff := cmp.Diff(want, sortedProblems(problemsOf(t, err))); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

// TestValidateFieldErrorValue checks which values are shown, cut or redacted.
func TestValidateFieldErrorValue(t *testing.T) {
	longRole := "arn:aws:iam::123456789012:role/" + strings.Repeat("r", 100) + " x"
	tests := []struct {
		name   string
		mutate func(in *sagemaker.CreateDomainInput)
		field  string
		want   string
	}{
		{"plain", func(in *sagemaker.CreateDomainInput) { in.VpcId = aws.String("vpc_1") }, "VpcId", "vpc_1"},
		{"KMS key", func(in *sagemaker.CreateDomainInput) { in.KmsKeyId = aws.String("alias/my key") },
			"KmsKeyId", "[redacted: 12 characters]"},
		{"nested KMS key", func(in *sagemaker.CreateDomainInput) {
			in.DefaultUserSettings.SharingSettings = &types.SharingSettings{S3KmsKeyId: aws.String("k k")}
		}, "DefaultUserSettings.SharingSettings.S3KmsKeyId", "[redacted: 3 characters]"},
		{"secret", func(in *sagemaker.CreateDomainInput) {
			in.DefaultUserSettings.CanvasAppSettings = &types.CanvasAppSettings{
				IdentityProviderOAuthSettings: []types.IdentityProviderOAuthSetting{{SecretArn: aws.String("hunter2")}},
			}
		}, "DefaultUserSettings.CanvasAppSettings.IdentityProviderOAuthSettings[0].SecretArn", "[redacted: 7 characters]"},
		{"URL", func(in *sagemaker.CreateDomainInput) {
			in.DefaultUserSettings.JupyterServerAppSettings = &types.JupyterServerAppSettings{CodeRepositories: []types.CodeRepository{
				{RepositoryUrl: aws.String("https://user:token@host")},
			}}
		}, "DefaultUserSettings.JupyterServerAppSettings.CodeRepositories[0].RepositoryUrl", "[redacted: 23 characters]"},
		{"long value", func(in *sagemaker.CreateDomainInput) { in.DefaultUserSettings.ExecutionRole = aws.String(longRole) },
			"DefaultUserSettings.ExecutionRole", longRole[:64] + "...[133 characters]"},
		{"number", func(in *sagemaker.CreateDomainInput) {
			in.DefaultUserSettings.CustomPosixUserConfig = &types.CustomPosixUserConfig{Uid: aws.Int64(5), Gid: aws.Int64(2000)}
		}, "DefaultUserSettings.CustomPosixUserConfig.Uid", "5"},
		{"missing", func(in *sagemaker.CreateDomainInput) { in.DomainName = nil }, "DomainName", ""},
		{"enum shown", func(in *sagemaker.CreateDomainInput) { in.AppSecurityGroupManagement = "Nobody" },
			"AppSecurityGroupManagement", "Nobody"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := seedInput()
			tc.mutate(in)
			_, err := SpecFromCreateDomainInput(in)
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err = %v, want *ValidationError", err)
			}
			for _, p := range ve.Problems {
				if p.Field == tc.field {
					if p.Value != tc.want {
						t.Errorf("Value = %q, want %q", p.Value, tc.want)
					}
					if p.Detail == "" {
						t.Error("Detail is empty")
					}
					return
				}
			}
			t.Fatalf("no problem on %s in %v", tc.field, err)
		})
	}
}

func TestValidateSensitiveName(t *testing.T) {
	tests := map[string]bool{
		"KmsKeyId": true, "S3KmsKeyId": true, "HomeEfsFileSystemKmsKeyId": true, "SecretArn": true,
		"RepositoryUrl": true, "RStudioConnectUrl": true, "S3Uri": true, "DefaultLandingUri": true,
		"NextToken": true, "URL": true,
		"AppSecurityGroupManagement": false, "SecurityGroups": false, "ExecutionRole": false,
		"DomainName": false, "Key": false, "Urls": true, "Urlish": false,
	}
	for name, want := range tests {
		if got := sensitiveName(name); got != want {
			t.Errorf("sensitiveName(%q) = %v, want %v", name, got, want)
		}
	}
}
