package smdomaintest_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/finegrained/smdomain/smdomaintest"
	"github.com/google/go-cmp/cmp"
)

func noRetry(o *sagemaker.Options) { o.RetryMaxAttempts = 1 }

// TestErrorsDecodeIntoSDKTypes checks that every error the emulator
// answers reaches the caller as the SDK's typed error or as a
// smithy.APIError with the right code.
func TestErrorsDecodeIntoSDKTypes(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		opts   []smdomaintest.Option
		call   func(srv *smdomaintest.Server, c *sagemaker.Client) error
		code   string
		status int
		typed  func(error) bool // nil: a smithy.APIError is all the SDK offers
	}{
		{
			name: "ResourceNotFound",
			call: func(_ *smdomaintest.Server, c *sagemaker.Client) error {
				_, err := c.DescribeDomain(ctx, &sagemaker.DescribeDomainInput{DomainId: aws.String("d-000000000000")})
				return err
			},
			code: "ResourceNotFound", status: 400,
			typed: func(err error) bool { var e *types.ResourceNotFound; return errors.As(err, &e) },
		},
		{
			name: "ResourceInUse",
			opts: []smdomaintest.Option{smdomaintest.WithCreateDelay(1)},
			call: func(_ *smdomaintest.Server, c *sagemaker.Client) error {
				id := mustCreate(t, c, minimalCreate("busy")).DomainId
				_, err := c.DeleteDomain(ctx, &sagemaker.DeleteDomainInput{DomainId: id})
				return err
			},
			code: "ResourceInUse", status: 400,
			typed: func(err error) bool { var e *types.ResourceInUse; return errors.As(err, &e) },
		},
		{
			name: "ResourceLimitExceeded",
			opts: []smdomaintest.Option{smdomaintest.WithDomainQuota(1)},
			call: func(_ *smdomaintest.Server, c *sagemaker.Client) error {
				mustCreate(t, c, minimalCreate("first"))
				_, err := c.CreateDomain(ctx, minimalCreate("second"))
				return err
			},
			code: "ResourceLimitExceeded", status: 400,
			typed: func(err error) bool { var e *types.ResourceLimitExceeded; return errors.As(err, &e) },
		},
		{
			name: "ValidationException",
			call: func(_ *smdomaintest.Server, c *sagemaker.Client) error {
				_, err := c.CreateDomain(ctx, minimalCreate("bad name"))
				return err
			},
			code: "ValidationException", status: 400,
		},
		{
			name: "ThrottlingException",
			call: func(srv *smdomaintest.Server, c *sagemaker.Client) error {
				srv.Throttle("ListDomains", 1)
				_, err := c.ListDomains(ctx, &sagemaker.ListDomainsInput{}, noRetry)
				return err
			},
			code: "ThrottlingException", status: 400,
		},
		{
			name: "InternalFailure",
			call: func(srv *smdomaintest.Server, c *sagemaker.Client) error {
				srv.Fail("ListDomains", 1)
				_, err := c.ListDomains(ctx, &sagemaker.ListDomainsInput{}, noRetry)
				return err
			},
			code: "InternalFailure", status: 500,
		},
		{
			name: "UnknownOperationException",
			call: func(_ *smdomaintest.Server, c *sagemaker.Client) error {
				_, err := c.ListNotebookInstances(ctx, &sagemaker.ListNotebookInstancesInput{})
				return err
			},
			code: "UnknownOperationException", status: 400,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, c, _ := newTest(t, tt.opts...)
			err := tt.call(srv, c)
			if got := apiCode(err); got != tt.code {
				t.Fatalf("code %q (%v), want %q", got, err, tt.code)
			}
			if tt.typed != nil && !tt.typed(err) {
				t.Errorf("%T does not match the SDK's typed error", err)
			}
			calls := srv.Calls()
			if got := calls[len(calls)-1].StatusCode; got != tt.status {
				t.Errorf("HTTP status %d, want %d", got, tt.status)
			}
		})
	}
}

func TestSTSGetCallerIdentity(t *testing.T) {
	tests := []struct {
		name    string
		opts    []smdomaintest.Option
		want    []string // Account, Arn, UserId
		wantErr string
	}{
		{"defaults", nil, []string{"123456789012", "arn:aws:iam::123456789012:user/smdomaintest", "AIDASMDOMAINTEST0EXAMPLE"}, ""},
		{"account", []smdomaintest.Option{smdomaintest.WithAccount("210987654321")},
			[]string{"210987654321", "arn:aws:iam::210987654321:user/smdomaintest", "AIDASMDOMAINTEST0EXAMPLE"}, ""},
		{"assumed role", []smdomaintest.Option{smdomaintest.WithCallerARN("arn:aws:sts::123456789012:assumed-role/Admin/alice")},
			[]string{"123456789012", "arn:aws:sts::123456789012:assumed-role/Admin/alice", "AROASMDOMAINTEST0EXAMPLE:alice"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _, _ := newTest(t, tt.opts...)
			out, err := sts.NewFromConfig(srv.AWSConfig()).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
			if err != nil {
				t.Fatal(err)
			}
			got := []string{aws.ToString(out.Account), aws.ToString(out.Arn), aws.ToString(out.UserId)}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("identity (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSTSErrors(t *testing.T) {
	srv, _, _ := newTest(t)
	c := sts.NewFromConfig(srv.AWSConfig(), func(o *sts.Options) { o.RetryMaxAttempts = 1 })
	ctx := context.Background()
	srv.Throttle("GetCallerIdentity", 1)
	_, err := c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if got := apiCode(err); got != "Throttling" {
		t.Errorf("throttled: code %q (%v), want Throttling", got, err)
	}
	srv.Fail("GetCallerIdentity", 1)
	_, err = c.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if got := apiCode(err); got != "InternalFailure" {
		t.Errorf("failed: code %q (%v), want InternalFailure", got, err)
	}
}

func TestRequestsWithoutSigV4AreRefused(t *testing.T) {
	srv, _, _ := newTest(t)
	tests := []struct {
		name, auth string
		status     int
		code       string
	}{
		{"missing", "", 400, "MissingAuthenticationTokenException"},
		{"not SigV4", "Bearer abc", 400, "IncompleteSignatureException"},
		{"no credential scope", "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=abc", 400, "IncompleteSignatureException"},
		{"scoped to another service", fakeAuth("us-east-1", "s3"), 403, "InvalidSignatureException"},
		{"well formed", fakeAuth("us-east-1", "sagemaker"), 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := rawCall(t, srv.URL, "ListDomains", "{}", tt.auth)
			code, _ := body["__type"].(string)
			if diff := cmp.Diff([]any{tt.status, tt.code}, []any{status, code}); diff != "" {
				t.Errorf("status, __type (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSTSWithoutSigV4IsRefused(t *testing.T) {
	srv, _, _ := newTest(t)
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader("Action=GetCallerIdentity&Version=2011-06-15"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf strings.Builder
	if _, err := bufCopy(&buf, resp); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(buf.String(), "<Code>MissingAuthenticationToken</Code>") {
		t.Errorf("got %d %s, want 403 with code MissingAuthenticationToken", resp.StatusCode, buf.String())
	}
}
