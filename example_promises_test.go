package smdomain_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"

	"github.com/finegrained/smdomain"
	"github.com/finegrained/smdomain/smdomaintest"
)

// stuckPages is a SageMaker client whose ListDomains answers every page
// with the same NextToken, as a service stuck in a loop would.
type stuckPages struct{ smdomain.API }

func (s stuckPages) ListDomains(ctx context.Context, in *sagemaker.ListDomainsInput, opts ...func(*sagemaker.Options)) (*sagemaker.ListDomainsOutput, error) {
	out, err := s.API.ListDomains(ctx, &sagemaker.ListDomainsInput{MaxResults: in.MaxResults}, opts...)
	if err == nil {
		out.NextToken = aws.String("same-again")
	}
	return out, err
}

// A listing whose NextToken comes back a second time would never end:
// the read stops at the repeat.
func ExampleErrRepeatedNextToken() {
	srv := smdomaintest.NewServer()
	defer srv.Close()
	client := smdomain.New(stuckPages{sagemaker.NewFromConfig(srv.AWSConfig())})

	_, err := client.Get(context.Background(), "ml-platform")
	fmt.Println(errors.Is(err, smdomain.ErrRepeatedNextToken))
	// Output:
	// true
}
