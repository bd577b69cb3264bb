package smdomain_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/finegrained/smdomain"
)

// The seed program's domain: IAM auth, a default execution role, one
// security group, a VPC with one subnet, and two tags. Its JSON form is
// what `aws sagemaker create-domain --cli-input-json` takes.
func ExampleNewSpec() {
	spec, err := smdomain.NewSpec("my-sagemaker-domain",
		smdomain.WithAuthMode(types.AuthModeIam),
		smdomain.WithVPC("vpc-0123456789abcdef0", "subnet-0123456789abcdef0"),
		smdomain.WithExecutionRole("arn:aws:iam::123456789012:role/SageMakerExecutionRole"),
		smdomain.WithSecurityGroups("sg-0123456789abcdef0"),
		smdomain.WithTags(map[string]string{"Environment": "Development", "Project": "MachineLearning"}),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	out, _ := json.MarshalIndent(spec, "", "  ")
	fmt.Println(string(out))
	// Output:
	// {
	//   "AuthMode": "IAM",
	//   "DefaultUserSettings": {
	//     "ExecutionRole": "arn:aws:iam::123456789012:role/SageMakerExecutionRole",
	//     "SecurityGroups": [
	//       "sg-0123456789abcdef0"
	//     ]
	//   },
	//   "DomainName": "my-sagemaker-domain",
	//   "SubnetIds": [
	//     "subnet-0123456789abcdef0"
	//   ],
	//   "Tags": [
	//     {
	//       "Key": "Environment",
	//       "Value": "Development"
	//     },
	//     {
	//       "Key": "Project",
	//       "Value": "MachineLearning"
	//     }
	//   ],
	//   "VpcId": "vpc-0123456789abcdef0"
	// }
}

// Fine-grained access: traffic stays in the VPC, the home volume is
// encrypted with the platform's key, and every call carries the user's
// name as sts:SourceIdentity. The SDK's own structs reach every other
// setting; options apply in order, field by field.
func ExampleNewSpec_fineGrained() {
	spec, err := smdomain.NewSpec("ml-platform",
		smdomain.WithVPC("vpc-0123456789abcdef0", "subnet-0123456789abcdef0", "subnet-0fedcba9876543210"),
		smdomain.WithExecutionRole("arn:aws:iam::123456789012:role/SageMakerExecutionRole"),
		smdomain.WithSecurityGroups("sg-0123456789abcdef0"),
		smdomain.WithAppNetworkAccessType(types.AppNetworkAccessTypeVpcOnly),
		smdomain.WithKMSKey("alias/sagemaker-domain"),
		smdomain.WithSourceIdentity(),
		smdomain.WithDefaultUserSettings(&types.UserSettings{
			StudioWebPortal: types.StudioWebPortalEnabled,
		}),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	in := spec.CreateDomainInput()
	fmt.Println(in.AppNetworkAccessType, *in.KmsKeyId, in.DomainSettings.ExecutionRoleIdentityConfig)
	fmt.Println(*in.DefaultUserSettings.ExecutionRole, in.DefaultUserSettings.StudioWebPortal)
	fmt.Println(spec.Tags() == nil) // tags not managed
	// Output:
	// VpcOnly alias/sagemaker-domain USER_PROFILE_NAME
	// arn:aws:iam::123456789012:role/SageMakerExecutionRole ENABLED
	// true
}

// LoadSpecJSON reads the CreateDomain request JSON, as the aws CLI takes
// it; every problem in it comes back in one *ValidationError.
func ExampleLoadSpecJSON() {
	spec, err := smdomain.LoadSpecJSON(strings.NewReader(`{
	  "DomainName": "my-sagemaker-domain",
	  "AuthMode": "IAM",
	  "DefaultUserSettings": {"ExecutionRole": "arn:aws:iam::123456789012:role/SageMakerExecutionRole"},
	  "VpcId": "vpc-0123456789abcdef0",
	  "SubnetIds": ["subnet-0123456789abcdef0"],
	  "Tags": [{"Key": "Project", "Value": "MachineLearning"}]
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(spec.Name(), spec.Tags())

	_, err = smdomain.LoadSpecJSON(strings.NewReader(`{
	  "DomainName": "my_domain",
	  "AuthMode": "IAM",
	  "DefaultUserSettings": {"ExecutionRoleArn": "arn:aws:iam::123456789012:role/SageMakerExecutionRole"}
	}`))
	fmt.Println(err)
	// Output:
	// my-sagemaker-domain map[Project:MachineLearning]
	// invalid domain spec: 3 problems:
	//   - DefaultUserSettings.ExecutionRoleArn: type: unknown field: not a member of UserSettings (names are case-sensitive)
	//   - DomainName "my_domain": pattern: must match the pattern [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}
	//   - DefaultUserSettings.ExecutionRole: required: is required: the IAM role users' apps run as (WithExecutionRole)
}

// A CreateDomain request built for the SDK becomes a spec, checked like
// any other; CreateDomainInput gives the request back.
func ExampleSpecFromCreateDomainInput() {
	spec, err := smdomain.SpecFromCreateDomainInput(&sagemaker.CreateDomainInput{
		DomainName: aws.String("analytics"),
		AuthMode:   types.AuthModeSso,
		DefaultUserSettings: &types.UserSettings{
			ExecutionRole: aws.String("arn:aws:iam::123456789012:role/AnalyticsRole"),
		},
		Tags: []types.Tag{{Key: aws.String("CostCenter"), Value: aws.String("1234")}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	in := spec.CreateDomainInput()
	fmt.Println(spec.Name(), in.AuthMode, *in.DefaultUserSettings.ExecutionRole, spec.Tags())

	_, err = smdomain.SpecFromCreateDomainInput(&sagemaker.CreateDomainInput{DomainName: aws.String("no_underscores")})
	var ve *smdomain.ValidationError
	if errors.As(err, &ve) {
		for _, p := range ve.Problems {
			fmt.Println(p.Field, p.Rule)
		}
	}
	// Output:
	// analytics SSO arn:aws:iam::123456789012:role/AnalyticsRole map[CostCenter:1234]
	// AuthMode required
	// DefaultUserSettings required
	// DomainName pattern
	// DefaultUserSettings.ExecutionRole required
}
