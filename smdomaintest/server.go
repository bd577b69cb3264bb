package smdomaintest

import (
	"context"
	"net/http"
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

// NewServer starts a Server with a new Emulator configured by opts, its
// http.Server configured as NewHTTPServer configures one. The caller must
// Close it.
func NewServer(opts ...Option) *Server {
	e := NewEmulator(opts...)
	srv := httptest.NewUnstartedServer(e)
	configure(srv.Config, e)
	srv.Start()
	return &Server{URL: srv.URL, Emulator: e, srv: srv}
}

// The limits NewHTTPServer sets on the server, beyond the emulator's own
// body read timeout and maximum body size.
const (
	// ServerReadHeaderTimeout is how long a client may take to send a
	// request's headers.
	ServerReadHeaderTimeout = 10 * time.Second
	// ServerIdleTimeout is how long a keep-alive connection may wait for
	// its next request.
	ServerIdleTimeout = 2 * time.Minute
	// ServerMaxHeaderBytes bounds the size of a request's headers.
	ServerMaxHeaderBytes = 64 << 10
)

// NewHTTPServer returns an http.Server that serves e on addr (for
// ListenAndServe; Serve ignores it) with limits that keep slow, idle or
// oversized clients from holding connections for ever: ReadHeaderTimeout
// ServerReadHeaderTimeout, IdleTimeout ServerIdleTimeout, MaxHeaderBytes
// ServerMaxHeaderBytes, and WriteTimeout the emulator's body read timeout
// plus ServerReadHeaderTimeout, so that an answer a client does not read
// cannot hold its connection either. The body read timeout and maximum
// body size are the emulator's own (WithBodyReadTimeout,
// WithMaxBodyBytes): they hold on any server, this one or another.
func NewHTTPServer(addr string, e *Emulator) *http.Server {
	srv := &http.Server{Addr: addr, Handler: e}
	configure(srv, e)
	return srv
}

// configure sets on srv the limits NewHTTPServer documents.
func configure(srv *http.Server, e *Emulator) {
	srv.ReadHeaderTimeout = ServerReadHeaderTimeout
	srv.IdleTimeout = ServerIdleTimeout
	srv.MaxHeaderBytes = ServerMaxHeaderBytes
	srv.WriteTimeout = e.opts.bodyReadTimeout + ServerReadHeaderTimeout
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
// sagemaker.NewFromConfig, sts.NewFromConfig, ssoadmin.NewFromConfig and
// identitystore.NewFromConfig all accept it: they share its BaseEndpoint.
func (s *Server) AWSConfig() aws.Config {
	return awsConfig(s.URL, s.srv.Client())
}

// awsConfig returns the aws.Config of AWSConfig and InMemoryAWSConfig,
// pointed at endpoint through client.
func awsConfig(endpoint string, client aws.HTTPClient) aws.Config {
	return aws.Config{
		Region:       Region,
		BaseEndpoint: aws.String(endpoint),
		HTTPClient:   client,
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
