package smdomain

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/aws/smithy-go"
)

// TestCreatedDomainIDFromARN covers moto's CreateDomain answer, which has
// the DomainArn and no DomainId. TestConformance/moto runs it for real.
func TestCreatedDomainIDFromARN(t *testing.T) {
	tests := []struct {
		out  sagemaker.CreateDomainOutput
		want string
	}{
		{sagemaker.CreateDomainOutput{DomainId: aws.String("d-abc123def456"), DomainArn: aws.String("arn:aws:sagemaker:us-east-1:123456789012:domain/d-other")}, "d-abc123def456"},
		{sagemaker.CreateDomainOutput{DomainArn: aws.String("arn:aws:sagemaker:us-east-1:123456789012:domain/d-ml-platform")}, "d-ml-platform"},
		{sagemaker.CreateDomainOutput{DomainArn: aws.String("arn:aws-cn:sagemaker:cn-north-1:123456789012:domain/d-abc")}, "d-abc"},
		{sagemaker.CreateDomainOutput{}, ""},
	}
	for _, tt := range tests {
		if got := createdDomainID(&tt.out); got != tt.want {
			t.Errorf("createdDomainID(%s, %s) = %q, want %q", aws.ToString(tt.out.DomainId), aws.ToString(tt.out.DomainArn), got, tt.want)
		}
	}
}

// TestNotFoundAnswers: the service's ResourceNotFound and moto's
// ValidationException "Could not find ..." mean the resource is absent;
// other ValidationExceptions do not.
func TestNotFoundAnswers(t *testing.T) {
	wrap := func(err error) error {
		return &smithy.OperationError{ServiceID: "SageMaker", OperationName: "DescribeDomain", Err: fmt.Errorf("api error: %w", err)}
	}
	tests := []struct {
		err  error
		want bool
	}{
		{wrap(&types.ResourceNotFound{Message: aws.String("Cannot find Domain d-abc")}), true},
		{wrap(&smithy.GenericAPIError{Code: "ValidationException", Message: "Could not find domain 'd-abc'."}), true},
		{wrap(&smithy.GenericAPIError{Code: "ValidationException", Message: "1 validation error detected"}), false},
		{wrap(&smithy.GenericAPIError{Code: "AccessDeniedException", Message: "Could not find domain 'd-abc'."}), false},
		{wrap(&types.ResourceInUse{Message: aws.String("in use")}), false},
		{nil, false},
	}
	for _, tt := range tests {
		if got := notFound(tt.err); got != tt.want {
			t.Errorf("notFound(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}
