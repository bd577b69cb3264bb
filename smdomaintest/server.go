package smdomaintest

import (
	"context"
	"net/http/httptest"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
)

// Region is the region Server.AWSConfig configures.
const Region = "us-east-1"

// Server is an Emulator served over HTTP on a loopback port, in the manner
// of httptest.Server. Its embedded Emulator gives access to the state,
// fault injection and the call log.
type Server struct {
	// URL is the base URL of the server, http://127.0.0.1:port.
	URL string
	*Emulator

	srv *httptest.Server
}

// NewServer starts a Server with a new Emulator configured by opts. The
// caller must Close it.
func NewServer(opts ...Option) *Server {
	e := NewEmulator(opts...)
	srv := httptest.NewServer(e)
	return &Server{URL: srv.URL, Emulator: e, srv: srv}
}

// Close shuts the server down, closing its clients' connections, and
// waits for requests in flight to finish.
func (s *Server) Close() {
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// AWSConfig returns an aws.Config that points SDK clients at the server:
// static credentials, region us-east-1, BaseEndpoint the server's URL, an
// HTTP client bound to the server, and the SDK's standard retryer with no
// backoff delay and no client-side retry quota (ratelimit.None), so that
// fault-injection tests run fast. MaxAttempts is the SDK's default, 3.
//
// Both sagemaker.NewFromConfig and sts.NewFromConfig accept it.
func (s *Server) AWSConfig() aws.Config {
	return aws.Config{
		Region:       Region,
		BaseEndpoint: aws.String(s.URL),
		HTTPClient:   s.srv.Client(),
		Credentials: aws.NewCredentialsCache(aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{
				AccessKeyID:     "AKIASMDOMAINTEST0000",
				SecretAccessKey: "smdomaintest-secret-access-key",
				Source:          "smdomaintest",
			}, nil
		})),
		Retryer: func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
				o.RateLimiter = ratelimit.None
			})
		},
	}
}
