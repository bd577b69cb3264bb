package smdomaintest_test

import (
	"context"
	"encoding/json"
	"errors"
	"go/token"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	smithy "github.com/aws/smithy-go"
	"github.com/finegrained/smdomain/smdomaintest"
	"github.com/google/go-cmp/cmp"
)

var epoch0 = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

const role = "arn:aws:iam::123456789012:role/SageMakerExecutionRole"

// newTest starts a server on a fake clock and returns it with a SageMaker
// client pointed at it.
func newTest(t *testing.T, opts ...smdomaintest.Option) (*smdomaintest.Server, *sagemaker.Client, *smdomaintest.FakeClock) {
	t.Helper()
	clock := smdomaintest.NewFakeClock(epoch0)
	srv := smdomaintest.NewServer(append([]smdomaintest.Option{smdomaintest.WithClock(clock)}, opts...)...)
	t.Cleanup(srv.Close)
	return srv, sagemaker.NewFromConfig(srv.AWSConfig()), clock
}

// transports are the two ways a client reaches a Server's emulator.
var transports = []struct {
	name   string
	config func(*smdomaintest.Server) aws.Config
}{
	{"tcp", (*smdomaintest.Server).AWSConfig},
	{"in-memory", (*smdomaintest.Server).InMemoryAWSConfig},
}

func minimalCreate(name string) *sagemaker.CreateDomainInput {
	return &sagemaker.CreateDomainInput{
		DomainName:          aws.String(name),
		AuthMode:            types.AuthModeIam,
		DefaultUserSettings: &types.UserSettings{ExecutionRole: aws.String(role)},
	}
}

func mustCreate(t *testing.T, c *sagemaker.Client, in *sagemaker.CreateDomainInput) *sagemaker.CreateDomainOutput {
	t.Helper()
	out, err := c.CreateDomain(context.Background(), in)
	if err != nil {
		t.Fatalf("CreateDomain: %v", err)
	}
	return out
}

func mustDescribe(t *testing.T, c *sagemaker.Client, id string) *sagemaker.DescribeDomainOutput {
	t.Helper()
	out, err := c.DescribeDomain(context.Background(), &sagemaker.DescribeDomainInput{DomainId: aws.String(id)})
	if err != nil {
		t.Fatalf("DescribeDomain %s: %v", id, err)
	}
	return out
}

// sdkCmp compares SDK structs: unexported fields and ResultMetadata are
// ignored.
var sdkCmp = cmp.FilterPath(func(p cmp.Path) bool {
	sf, ok := p.Last().(cmp.StructField)
	return ok && (!token.IsExported(sf.Name()) || sf.Name() == "ResultMetadata")
}, cmp.Ignore())

// fakeAuth is a well-formed SigV4 Authorization header for raw requests.
func fakeAuth(region, service string) string {
	return "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250102/" + region + "/" + service +
		"/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0123abcd"
}

// rawRequest sends body to url without the SDK, as a SageMaker request of
// op or, when op is "", an STS one, with the Authorization header auth
// (none when ""). A body whose length the client cannot know is sent
// chunked. The caller closes the response's body.
func rawRequest(t *testing.T, method, url, op string, body io.Reader, auth string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, url+"/", body)
	if err != nil {
		t.Fatal(err)
	}
	if op == "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	} else {
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		req.Header.Set("X-Amz-Target", "SageMaker."+op)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, op, err)
	}
	return resp
}

// rawCall posts body to a SageMaker operation without the SDK and returns
// the status and the decoded JSON answer.
func rawCall(t *testing.T, url, op, body, auth string) (int, map[string]any) {
	t.Helper()
	resp := rawRequest(t, http.MethodPost, url, op, strings.NewReader(body), auth)
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("decode %s answer: %v", op, err)
	}
	return resp.StatusCode, out
}

// apiCode returns the error code of a smithy.APIError, or "".
func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func errorsAs(err error, target any) bool { return err != nil && errors.As(err, target) }

func bufCopy(w io.Writer, resp *http.Response) (int64, error) { return io.Copy(w, resp.Body) }
