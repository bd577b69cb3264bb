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

func TestCreateDomainReportsServerDefaults(t *testing.T) {
	_, c, _ := newTest(t)
	created := mustCreate(t, c, minimalCreate("my-sagemaker-domain"))
	id := aws.ToString(created.DomainId)
	for _, check := range []struct {
		what, value string
		re          *regexp.Regexp
	}{
		{"DomainId", id, regexp.MustCompile(`^d-[a-z0-9]{12}$`)},
		{"DomainArn", aws.ToString(created.DomainArn), regexp.MustCompile(`^arn:aws:sagemaker:us-east-1:123456789012:domain/` + id + `$`)},
		{"Url", aws.ToString(created.Url), regexp.MustCompile(`^https://` + id + `\.studio\.us-east-1\.sagemaker\.aws$`)},
	} {
		if !check.re.MatchString(check.value) {
			t.Errorf("%s = %q, want match for %s", check.what, check.value, check.re)
		}
	}

	got := mustDescribe(t, c, id)
	if !regexp.MustCompile(`^fs-[0-9a-f]{17}$`).MatchString(aws.ToString(got.HomeEfsFileSystemId)) {
		t.Errorf("HomeEfsFileSystemId = %q, want fs-<17 hex>", aws.ToString(got.HomeEfsFileSystemId))
	}
	want := &sagemaker.DescribeDomainOutput{
		DomainId:             created.DomainId,
		DomainArn:            created.DomainArn,
		Url:                  created.Url,
		DomainName:           aws.String("my-sagemaker-domain"),
		AuthMode:             types.AuthModeIam,
		Status:               types.DomainStatusInService,
		CreationTime:         aws.Time(epoch0),
		LastModifiedTime:     aws.Time(epoch0),
		AppNetworkAccessType: types.AppNetworkAccessTypePublicInternetOnly,
		TagPropagation:       types.TagPropagationDisabled,
		HomeEfsFileSystemId:  got.HomeEfsFileSystemId,
		DefaultUserSettings: &types.UserSettings{
			ExecutionRole:     aws.String(role),
			StudioWebPortal:   types.StudioWebPortalEnabled,
			DefaultLandingUri: aws.String("studio::"),
		},
		DefaultSpaceSettings: &types.DefaultSpaceSettings{ExecutionRole: aws.String(role)},
		DomainSettings: &types.DomainSettings{
			ExecutionRoleIdentityConfig: types.ExecutionRoleIdentityConfigDisabled,
			DockerSettings:              &types.DockerSettings{EnableDockerAccess: types.FeatureStatusDisabled},
		},
	}
	if diff := cmp.Diff(want, got, sdkCmp); diff != "" {
		t.Errorf("DescribeDomain (-want +got):\n%s", diff)
	}
}

func TestCreateDomainKeepsWhatItIsSent(t *testing.T) {
	_, c, _ := newTest(t)
	in := &sagemaker.CreateDomainInput{
		DomainName:           aws.String("vpc-domain"),
		AuthMode:             types.AuthModeSso,
		AppNetworkAccessType: types.AppNetworkAccessTypeVpcOnly,
		VpcId:                aws.String("vpc-0abc1234"),
		SubnetIds:            []string{"subnet-0abc1234", "subnet-0def5678"},
		KmsKeyId:             aws.String("arn:aws:kms:us-east-1:123456789012:key/abcd"),
		TagPropagation:       types.TagPropagationEnabled,
		DefaultUserSettings: &types.UserSettings{
			ExecutionRole:     aws.String(role),
			SecurityGroups:    []string{"sg-0abc1234"},
			StudioWebPortal:   types.StudioWebPortalDisabled,
			DefaultLandingUri: aws.String("app:JupyterServer:"),
		},
		DefaultSpaceSettings: &types.DefaultSpaceSettings{SecurityGroups: []string{"sg-0abc1234"}},
		DomainSettings: &types.DomainSettings{
			ExecutionRoleIdentityConfig: types.ExecutionRoleIdentityConfigUserProfileName,
			SecurityGroupIds:            []string{"sg-0def5678"},
		},
		HomeEfsFileSystemCreation: types.HomeEfsFileSystemCreationDisabled,
		Tags:                      []types.Tag{{Key: aws.String("Project"), Value: aws.String("MachineLearning")}},
	}
	created := mustCreate(t, c, in)
	got := mustDescribe(t, c, aws.ToString(created.DomainId))

	if got.HomeEfsFileSystemId != nil {
		t.Errorf("HomeEfsFileSystemId = %q with HomeEfsFileSystemCreation Disabled, want none", *got.HomeEfsFileSystemId)
	}
	if !regexp.MustCompile(`^sg-[0-9a-f]{17}$`).MatchString(aws.ToString(got.SecurityGroupIdForDomainBoundary)) {
		t.Errorf("SecurityGroupIdForDomainBoundary = %q, want sg-<17 hex>", aws.ToString(got.SecurityGroupIdForDomainBoundary))
	}
	if !regexp.MustCompile(`^ins-[0-9a-f]{16}$`).MatchString(aws.ToString(got.SingleSignOnManagedApplicationInstanceId)) {
		t.Errorf("SingleSignOnManagedApplicationInstanceId = %q", aws.ToString(got.SingleSignOnManagedApplicationInstanceId))
	}
	want := &sagemaker.DescribeDomainOutput{
		DomainId:                  created.DomainId,
		DomainArn:                 created.DomainArn,
		Url:                       created.Url,
		DomainName:                in.DomainName,
		AuthMode:                  in.AuthMode,
		Status:                    types.DomainStatusInService,
		CreationTime:              aws.Time(epoch0),
		LastModifiedTime:          aws.Time(epoch0),
		AppNetworkAccessType:      in.AppNetworkAccessType,
		VpcId:                     in.VpcId,
		SubnetIds:                 in.SubnetIds,
		KmsKeyId:                  in.KmsKeyId,
		TagPropagation:            in.TagPropagation,
		HomeEfsFileSystemCreation: in.HomeEfsFileSystemCreation,
		DefaultUserSettings:       in.DefaultUserSettings,
		DefaultSpaceSettings:      in.DefaultSpaceSettings,
		DomainSettings: &types.DomainSettings{
			ExecutionRoleIdentityConfig: types.ExecutionRoleIdentityConfigUserProfileName,
			SecurityGroupIds:            []string{"sg-0def5678"},
			DockerSettings:              &types.DockerSettings{EnableDockerAccess: types.FeatureStatusDisabled},
		},
		SecurityGroupIdForDomainBoundary:         got.SecurityGroupIdForDomainBoundary,
		SingleSignOnManagedApplicationInstanceId: got.SingleSignOnManagedApplicationInstanceId,
		SingleSignOnApplicationArn:               got.SingleSignOnApplicationArn,
	}
	if diff := cmp.Diff(want, got, sdkCmp); diff != "" {
		t.Errorf("DescribeDomain (-want +got):\n%s", diff)
	}

	// Tags are on the ARN, not in DescribeDomain.
	tags, err := c.ListTags(context.Background(), &sagemaker.ListTagsInput{ResourceArn: created.DomainArn})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(in.Tags, tags.Tags, sdkCmp); diff != "" {
		t.Errorf("ListTags (-want +got):\n%s", diff)
	}
}

func TestDuplicateNamesAllowed(t *testing.T) {
	srv, c, _ := newTest(t)
	a := mustCreate(t, c, minimalCreate("same"))
	b := mustCreate(t, c, minimalCreate("same"))
	if *a.DomainId == *b.DomainId {
		t.Fatalf("two creates returned one ID %s", *a.DomainId)
	}
	if n := len(srv.DomainIDs()); n != 2 {
		t.Errorf("DomainIDs has %d domains, want 2", n)
	}
}

func TestRegionAndPartitionFromCredentialScope(t *testing.T) {
	srv, c, _ := newTest(t)
	tests := []struct {
		region, partition string
	}{
		{"eu-west-1", "aws"},
		{"cn-north-1", "aws-cn"},
		{"us-gov-west-1", "aws-us-gov"},
	}
	for _, tt := range tests {
		t.Run(tt.region, func(t *testing.T) {
			rc := sagemaker.NewFromConfig(srv.AWSConfig(), func(o *sagemaker.Options) { o.Region = tt.region })
			out := mustCreate(t, rc, minimalCreate("regional"))
			want := "arn:" + tt.partition + ":sagemaker:" + tt.region + ":123456789012:domain/" + *out.DomainId
			if diff := cmp.Diff(want, aws.ToString(out.DomainArn)); diff != "" {
				t.Errorf("DomainArn (-want +got):\n%s", diff)
			}
			// The domain lives in its region only.
			_, err := c.DescribeDomain(context.Background(), &sagemaker.DescribeDomainInput{DomainId: out.DomainId})
			var nf *types.ResourceNotFound
			if !errorsAs(err, &nf) {
				t.Errorf("DescribeDomain from us-east-1 of a %s domain: %v, want ResourceNotFound", tt.region, err)
			}
		})
	}
}

func TestDeleteRecordsRetentionPolicy(t *testing.T) {
	srv, c, _ := newTest(t)
	ctx := context.Background()
	tests := []struct {
		name   string
		policy *types.RetentionPolicy
		want   types.RetentionType
	}{
		{"retain", &types.RetentionPolicy{HomeEfsFileSystem: types.RetentionTypeRetain}, types.RetentionTypeRetain},
		{"delete", &types.RetentionPolicy{HomeEfsFileSystem: types.RetentionTypeDelete}, types.RetentionTypeDelete},
		{"none sent", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := mustCreate(t, c, minimalCreate(tt.name[:4])).DomainId
			if _, ok := srv.RetentionPolicy(*id); ok {
				t.Fatal("RetentionPolicy reported before any DeleteDomain")
			}
			if _, err := c.DeleteDomain(ctx, &sagemaker.DeleteDomainInput{DomainId: id, RetentionPolicy: tt.policy}); err != nil {
				t.Fatal(err)
			}
			got, ok := srv.RetentionPolicy(*id)
			if !ok || got != tt.want {
				t.Errorf("RetentionPolicy = %q, %v; want %q, true", got, ok, tt.want)
			}
			calls := srv.Calls()
			last := calls[len(calls)-1]
			wantFields := []string{"DomainId"}
			if tt.policy != nil {
				wantFields = []string{"DomainId", "RetentionPolicy"}
			}
			if diff := cmp.Diff(wantFields, last.Fields); diff != "" {
				t.Errorf("DeleteDomain fields (-want +got):\n%s", diff)
			}
		})
	}
}
