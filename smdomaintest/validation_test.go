package smdomaintest_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	smithy "github.com/aws/smithy-go"
)

// TestValidationThroughSDK sends, through the SDK, requests that break one
// rule of the model each, and checks the ValidationException names the
// field as the service does. Required members are checked by the SDK
// before sending, so TestValidationRaw covers them.
func TestValidationThroughSDK(t *testing.T) {
	long := strings.Repeat("a", 64)
	sgs := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = "sg-0abc123" + string(rune('0'+i))
		}
		return out
	}
	tests := []struct {
		rule, field string
		edit        func(*sagemaker.CreateDomainInput)
	}{
		{"pattern", "domainName", func(in *sagemaker.CreateDomainInput) { in.DomainName = aws.String("bad name") }},
		{"pattern", "defaultUserSettings.executionRole", func(in *sagemaker.CreateDomainInput) {
			in.DefaultUserSettings.ExecutionRole = aws.String("not-a-role")
		}},
		{"pattern", "subnetIds.2.member", func(in *sagemaker.CreateDomainInput) {
			in.VpcId, in.SubnetIds = aws.String("vpc-0abc"), []string{"subnet-0abc", "subnet_bad"}
		}},
		{"length", "domainName", func(in *sagemaker.CreateDomainInput) { in.DomainName = aws.String(long) }},
		{"length", "kmsKeyId", func(in *sagemaker.CreateDomainInput) { in.KmsKeyId = aws.String(strings.Repeat("k", 2049)) }},
		{"count", "defaultUserSettings.securityGroups", func(in *sagemaker.CreateDomainInput) {
			in.DefaultUserSettings.SecurityGroups = sgs(6)
		}},
		{"count", "domainSettings.securityGroupIds", func(in *sagemaker.CreateDomainInput) {
			in.DomainSettings = &types.DomainSettings{SecurityGroupIds: sgs(4)}
		}},
		{"count", "tags", func(in *sagemaker.CreateDomainInput) {
			for i := range 51 {
				in.Tags = append(in.Tags, tag("k"+strings.Repeat("x", i), "v"))
			}
		}},
		{"enum", "authMode", func(in *sagemaker.CreateDomainInput) { in.AuthMode = "Kerberos" }},
		{"enum", "appNetworkAccessType", func(in *sagemaker.CreateDomainInput) { in.AppNetworkAccessType = "Everywhere" }},
		{"enum", "defaultUserSettings.studioWebPortal", func(in *sagemaker.CreateDomainInput) {
			in.DefaultUserSettings.StudioWebPortal = "MAYBE"
		}},
		{"range", "defaultSpaceSettings.customPosixUserConfig.gid", func(in *sagemaker.CreateDomainInput) {
			in.DefaultSpaceSettings = &types.DefaultSpaceSettings{CustomPosixUserConfig: &types.CustomPosixUserConfig{Gid: aws.Int64(5), Uid: aws.Int64(20000)}}
		}},
		{"range", "defaultUserSettings.customPosixUserConfig.uid", func(in *sagemaker.CreateDomainInput) {
			in.DefaultUserSettings.CustomPosixUserConfig = &types.CustomPosixUserConfig{Gid: aws.Int64(2000), Uid: aws.Int64(1)}
		}},
		{"cross-field", "VpcOnly", func(in *sagemaker.CreateDomainInput) { in.AppNetworkAccessType = types.AppNetworkAccessTypeVpcOnly }},
		{"cross-field", "SubnetIds", func(in *sagemaker.CreateDomainInput) { in.VpcId = aws.String("vpc-0abc") }},
		{"cross-field", "SecurityGroups", func(in *sagemaker.CreateDomainInput) {
			in.AppNetworkAccessType = types.AppNetworkAccessTypeVpcOnly
			in.VpcId, in.SubnetIds = aws.String("vpc-0abc"), []string{"subnet-0abc"}
		}},
		{"cross-field", "aws:", func(in *sagemaker.CreateDomainInput) { in.Tags = []types.Tag{tag("aws:owner", "me")} }},
	}
	srv, c, _ := newTest(t)
	for _, tt := range tests {
		t.Run(tt.rule+"/"+tt.field, func(t *testing.T) {
			in := minimalCreate("valid")
			tt.edit(in)
			_, err := c.CreateDomain(context.Background(), in)
			var ae smithy.APIError
			if !errorsAs(err, &ae) || ae.ErrorCode() != "ValidationException" {
				t.Fatalf("CreateDomain: %v, want ValidationException", err)
			}
			if !strings.Contains(ae.ErrorMessage(), tt.field) {
				t.Errorf("message %q does not name %s", ae.ErrorMessage(), tt.field)
			}
		})
	}
	if ids := srv.DomainIDs(); len(ids) != 0 {
		t.Errorf("invalid creates left domains %v", ids)
	}
}

func TestValidationMessageListsEveryProblem(t *testing.T) {
	_, c, _ := newTest(t)
	in := minimalCreate("bad name")
	in.AuthMode = "Kerberos"
	in.DefaultUserSettings.SecurityGroups = []string{"1", "2", "3", "4", "5", "6"}
	_, err := c.CreateDomain(context.Background(), in)
	var ae smithy.APIError
	if !errorsAs(err, &ae) || ae.ErrorCode() != "ValidationException" {
		t.Fatalf("CreateDomain: %v, want ValidationException", err)
	}
	for _, field := range []string{"'domainName'", "'authMode'", "'defaultUserSettings.securityGroups'", "'bad name'", "'Kerberos'", "'[1, 2, 3, 4, 5, 6]'"} {
		if !strings.Contains(ae.ErrorMessage(), field) {
			t.Errorf("message %q does not name %s", ae.ErrorMessage(), field)
		}
	}
}

// TestValidationRaw sends bodies the SDK would not: missing required
// members, wrong JSON types and unknown members.
func TestValidationRaw(t *testing.T) {
	srv, _, _ := newTest(t)
	auth := fakeAuth("us-east-1", "sagemaker")
	tests := []struct {
		op, body, code, field string
	}{
		{"CreateDomain", `{"AuthMode":"IAM","DefaultUserSettings":{}}`, "ValidationException", "domainName"},
		{"CreateDomain", `{"DomainName":"x","DefaultUserSettings":{}}`, "ValidationException", "authMode"},
		{"DescribeDomain", `{}`, "ValidationException", "domainId"},
		{"DeleteTags", `{"ResourceArn":"arn:aws:sagemaker:us-east-1:123456789012:domain/d-x"}`, "ValidationException", "tagKeys"},
		{"CreateDomain", `{"DomainName":"x","AuthMode":"IAM","DefaultUserSettings":{},"DefaultSpaceSettings":{"CustomPosixUserConfig":{"Gid":2000}}}`,
			"ValidationException", "defaultSpaceSettings.customPosixUserConfig.uid"},
		{"CreateDomain", `{"DomainName":5,"AuthMode":"IAM","DefaultUserSettings":{}}`, "SerializationException", "domainName"},
		{"CreateDomain", `{"DomainName":"x","AuthMode":"IAM","DefaultUserSettings":{},"Colour":"blue"}`, "SerializationException", "colour"},
		{"UpdateDomain", `{"DomainId":"d-abc","DomainSettings":{}}`, "SerializationException", "domainSettings"},
		{"ListDomains", `{"MaxResults":"ten"}`, "SerializationException", "maxResults"},
		{"ListDomains", `[]`, "SerializationException", ""},
		{"ListDomains", `{`, "SerializationException", ""},
	}
	for _, tt := range tests {
		t.Run(tt.op+" "+tt.body, func(t *testing.T) {
			status, out := rawCall(t, srv.URL, tt.op, tt.body, auth)
			code, _ := out["__type"].(string)
			msg, _ := out["Message"].(string)
			if status != 400 || code != tt.code {
				t.Fatalf("got %d %s (%s), want 400 %s", status, code, msg, tt.code)
			}
			if !strings.Contains(msg, "'"+tt.field+"'") && tt.field != "" {
				t.Errorf("message %q does not name '%s'", msg, tt.field)
			}
		})
	}
}
