package smdomaintest

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// InMemoryURL is the endpoint of the aws.Config InMemoryAWSConfig returns.
// Its host is in the .invalid domain, which never resolves: a request
// that reaches the network instead of the in-memory transport fails.
const InMemoryURL = "http://smdomaintest.invalid"

// ErrConnectionClosed is what the in-memory transport answers in place of
// a response when the emulator closes the connection instead of
// answering: a call that met CutConnection or LoseResponse. It wraps
// io.EOF, as net/http's error for a server that closed a connection
// without a response does, and the SDK takes it for a connection error
// (retried by its retryer, with no API error code), as it does over TCP.
var ErrConnectionClosed = fmt.Errorf("smdomaintest: connection closed without a response: %w", io.EOF)

// InMemoryAWSConfig returns an aws.Config like Server.AWSConfig's (the
// same static credentials, region Region and retryer) whose HTTP client
// serves each request by calling e.ServeHTTP in the calling goroutine: no
// server, no connection and no goroutine of its own. Everything on the
// client's side runs as over TCP: the SDK's serializers, endpoint
// resolution, SigV4 signing, retryer and error decoding. Its BaseEndpoint
// is InMemoryURL.
//
// The transport hands the handler a server-side copy of the request (the
// client's body to read, Host and RequestURI set, the context the
// client's) and gives the client what the handler wrote: status, the
// header as it stood when the status was written, and the body. A context
// that is done before or while the request is served makes the call fail
// with the context's error, as over TCP. A connection the emulator closes
// (CutConnection, LoseResponse) fails the call with ErrConnectionClosed.
// The body read timeout (WithBodyReadTimeout) does not apply, having no
// connection to time out; the body size limit does.
//
// This is the transport to use with a VirtualClock: the clock moves when
// every goroutine is blocked, and a request on its way over TCP leaves
// every goroutine blocked on the network, where a request served in
// memory keeps its goroutine busy until the handler is done (or sleeps on
// the clock, with WithLatency).
func (e *Emulator) InMemoryAWSConfig() aws.Config {
	return awsConfig(InMemoryURL, &http.Client{Transport: inMemoryTransport{e}})
}

// inMemoryTransport is an http.RoundTripper that serves each request with
// h in the calling goroutine.
type inMemoryTransport struct {
	h http.Handler
}

// RoundTrip serves req with the handler and returns what it wrote.
func (t inMemoryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		defer req.Body.Close() // a RoundTripper closes the body, even on errors
	}
	ctx := req.Context()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	w := &recorder{header: http.Header{}}
	if !serve(t.h, w, serverRequest(req)) {
		return nil, ErrConnectionClosed
	}
	if err := ctx.Err(); err != nil {
		return nil, err // the client gave up while the handler ran
	}
	return w.response(req), nil
}

// serve calls h and reports whether it answered. A handler that aborts
// its response with http.ErrAbortHandler, as dropConnection does when it
// cannot take the connection over, did not: net/http's server would
// close the connection. Any other panic goes on.
func serve(h http.Handler, w http.ResponseWriter, r *http.Request) (answered bool) {
	defer func() {
		if v := recover(); v != nil {
			if v != http.ErrAbortHandler {
				panic(v)
			}
		}
	}()
	h.ServeHTTP(w, r)
	return true
}

// serverRequest returns req as a server receives it: the path and query
// in RequestURI and URL, the host in Host, the body as sent (http.NoBody
// when none) and its length -1 when the client does not know it.
func serverRequest(req *http.Request) *http.Request {
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	body, length := req.Body, req.ContentLength
	switch {
	case body == nil || body == http.NoBody:
		body, length = http.NoBody, 0
	case length == 0:
		length = -1 // a client's 0 with a body means unknown
	}
	r := &http.Request{
		Method:        req.Method,
		URL:           &url.URL{Path: req.URL.Path, RawPath: req.URL.RawPath, RawQuery: req.URL.RawQuery},
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        req.Header.Clone(),
		Body:          io.NopCloser(body), // the transport closes it
		ContentLength: length,
		Host:          host,
		RemoteAddr:    "smdomaintest-in-memory:0",
		RequestURI:    req.URL.RequestURI(),
	}
	if r.Header == nil {
		r.Header = http.Header{}
	}
	return r.WithContext(req.Context())
}

// recorder is the http.ResponseWriter of the in-memory transport.
type recorder struct {
	header  http.Header // what the handler sets
	sent    http.Header // header as it was when the status was written
	status  int
	body    bytes.Buffer
	written bool
}

// Header returns the header the handler sets before it writes.
func (w *recorder) Header() http.Header { return w.header }

// WriteHeader records the status, once, and the header as it is now.
func (w *recorder) WriteHeader(status int) {
	if w.written {
		return
	}
	w.written, w.status, w.sent = true, status, w.header.Clone()
}

// Write records b as part of the body, writing status 200 first if no
// status was written.
func (w *recorder) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.body.Write(b)
}

// response returns what the handler wrote as the client's answer to req.
func (w *recorder) response(req *http.Request) *http.Response {
	w.WriteHeader(http.StatusOK) // a handler that wrote nothing answered 200
	return &http.Response{
		Status:        fmt.Sprintf("%d %s", w.status, http.StatusText(w.status)),
		StatusCode:    w.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        w.sent,
		Body:          io.NopCloser(bytes.NewReader(w.body.Bytes())),
		ContentLength: int64(w.body.Len()),
		Close:         strings.EqualFold(w.sent.Get("Connection"), "close"),
		Request:       req,
	}
}
