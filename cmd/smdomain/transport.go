package main

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
)

// defaultHTTPTimeout is the aws CLI's default for --cli-connect-timeout and
// --cli-read-timeout.
const defaultHTTPTimeout = 60 * time.Second

// newHTTPClient returns the HTTP client of every AWS client a command
// builds: SageMaker, STS, SSO Admin and Identity Store, and those the SDK
// builds from the same configuration to get credentials (assume-role STS,
// SSO, the instance metadata service). A connection must be made within connect and must deliver data at least
// every read (0: no limit). Unless allowInsecure, every request passes
// checkPlainHTTP before anything is dialed.
//
// It stays an *awshttp.BuildableClient, which the SDK needs for a custom
// CA bundle (AWS_CA_BUNDLE). The check sits in the transport's Proxy
// function, which http.Transport calls for every request before it looks
// for a connection; the SDK's clients replace DialContext when they
// configure a BuildableClient, but keep Proxy.
func newHTTPClient(connect, read time.Duration, allowInsecure bool) *awshttp.BuildableClient {
	c := awshttp.NewBuildableClient().
		WithDialerOptions(func(d *net.Dialer) { d.Timeout = connect }).
		WithReadTimeout(read)
	if allowInsecure {
		return c
	}
	return c.WithTransportOptions(func(tr *http.Transport) {
		proxy := tr.Proxy
		tr.Proxy = func(req *http.Request) (*url.URL, error) {
			if err := checkPlainHTTP(req.URL); err != nil {
				return nil, err
			}
			if proxy == nil {
				return nil, nil
			}
			return proxy(req)
		}
	})
}

// insecureEndpointError is the refusal of a plain-http request to a host
// that is not loopback. Nothing of the request was sent.
type insecureEndpointError struct {
	endpoint string // scheme and host only: a query may hold a signature
}

// RetryableError tells the SDK's retryer not to try again: the answer
// would not change.
func (e *insecureEndpointError) RetryableError() bool { return false }

func (e *insecureEndpointError) Error() string {
	return fmt.Sprintf("refused to send a request to %s: plain http to a host that is not loopback would carry credentials and data in clear (nothing was sent); "+
		"use https, or pass --allow-insecure-endpoint. Endpoints come from --endpoint-url, AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE> "+
		"and endpoint_url in the shared config file", e.endpoint)
}

// checkPlainHTTP refuses a plain-http u whose host is not loopback.
// SigV4 does not send the secret key, but it does send the access key ID,
// the session token and every request and response in clear.
//
// The instance metadata service's addresses, which the SDK reaches over
// plain http for an EC2 instance's credentials and which never leave the
// host, are allowed too.
func checkPlainHTTP(u *url.URL) error {
	if u.Scheme != "http" || plainHTTPHost(u.Hostname()) {
		return nil
	}
	return &insecureEndpointError{endpoint: u.Scheme + "://" + u.Host}
}

// metadataHosts are the instance metadata service's IPv4 and IPv6
// addresses. (The ECS and EKS container credential endpoints are not here:
// the SDK reaches them with a client of its own.)
var metadataHosts = []net.IP{net.ParseIP("169.254.169.254"), net.ParseIP("fd00:ec2::254")}

// plainHTTPHost reports whether plain http to host is allowed: loopback
// by its literal form (a 127.0.0.0/8 or ::1 address, or "localhost"; no
// name is looked up), or one of metadataHosts.
func plainHTTPHost(host string) bool {
	if loopbackHost(host) {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && slices.ContainsFunc(metadataHosts, ip.Equal)
}

// loopbackHost reports whether host is "localhost" or a loopback address.
func loopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// seconds is a flag of whole seconds, as the aws CLI's --cli-connect-timeout
// and --cli-read-timeout take; 0 means no limit.
type seconds time.Duration

func (s *seconds) String() string {
	return strconv.FormatInt(int64(time.Duration(*s)/time.Second), 10)
}

func (s *seconds) Set(v string) error {
	n, err := strconv.ParseUint(v, 10, 31)
	if err != nil {
		return errors.New("want a whole number of seconds (0: no limit)")
	}
	*s = seconds(time.Duration(n) * time.Second)
	return nil
}
