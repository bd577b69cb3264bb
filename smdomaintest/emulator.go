package smdomaintest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// Emulator holds the state of one emulated account (domains with their
// user profiles, spaces and apps, tags, faults waiting to happen and the
// call log) and serves SageMaker and STS requests as an http.Handler. It is safe for concurrent use.
//
// Serve it with NewServer in tests, or on an http.Server from
// NewHTTPServer (or any other) to serve other clients, as the smdomain
// CLI's emulator command does.
type Emulator struct {
	opts options

	mu          sync.Mutex
	seq         int64              // creation counter, orders every listing
	domains     map[string]*domain // by domain ID
	domainOrder byCreation[sagemaker.DescribeDomainOutput]
	live        map[string]int            // domains not Deleting, by region: what the quota counts
	profiles    map[childKey]*userProfile // by profileKey
	spaces      map[childKey]*space
	families    map[string]*family // by domain ID: what lives in each domain
	all         lists              // every user profile, space and app (Deleted ones included)
	byARN       map[string]any     // every resource by ARN; for an app's, the newest app
	tags        map[string][]types.Tag
	faults      map[fault]map[string]int
	buckets     map[string]*bucket // by operation, for the operations with a rate limit
	calls       ring[Call]
	retention   map[string]types.RetentionType

	presigned      map[string]PresignedURL // by token
	presignedOrder ring[string]            // their tokens, to forget the oldest
	idc            *identityCenter         // IAM Identity Center, made on first use (identitycenter.go)
}

var _ http.Handler = (*Emulator)(nil)

// NewEmulator returns an Emulator with no domains. See Option for the
// defaults.
func NewEmulator(opts ...Option) *Emulator {
	return &Emulator{
		opts:      newOptions(opts),
		domains:   map[string]*domain{},
		live:      map[string]int{},
		profiles:  map[childKey]*userProfile{},
		spaces:    map[childKey]*space{},
		families:  map[string]*family{},
		byARN:     map[string]any{},
		tags:      map[string][]types.Tag{},
		faults:    map[fault]map[string]int{},
		buckets:   map[string]*bucket{},
		retention: map[string]types.RetentionType{},
		presigned: map[string]PresignedURL{},
	}
}

// fault is a kind of injected failure.
type fault string

const (
	faultThrottle fault = "throttle"
	faultFail     fault = "fail"
	faultCut      fault = "cut"
	faultLose     fault = "lose"
	// faultRateLimit is not armed: it is the rate limit's refusal of a
	// call (WithRateLimit).
	faultRateLimit fault = "ratelimit"
)

// faultOrder is the order in which pending faults of one operation are
// met when several kinds are armed at once.
var faultOrder = [...]fault{faultCut, faultThrottle, faultFail, faultLose}

func (e *Emulator) arm(f fault, op string, n int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	m := e.faults[f]
	if m == nil {
		m = map[string]int{}
		e.faults[f] = m
	}
	m[op] = max(n, 0)
}

// Throttle makes the next n calls of op (an operation name such as
// "CreateDomain" or "GetCallerIdentity") answer HTTP 400
// ThrottlingException (Throttling for STS) without doing anything. n
// replaces any count still pending; 0 disarms. Under a rate limit
// (WithRateLimit), this and the other faults are met by the next calls
// the limit admits: a call it refuses leaves them armed.
func (e *Emulator) Throttle(op string, n int) { e.arm(faultThrottle, op, n) }

// Fail makes the next n calls of op answer HTTP 500 InternalFailure without
// doing anything.
func (e *Emulator) Fail(op string, n int) { e.arm(faultFail, op, n) }

// CutConnection makes the next n calls of op close the connection after the
// request is read and before anything is done: the client sees a
// connection error and nothing changed.
func (e *Emulator) CutConnection(op string, n int) { e.arm(faultCut, op, n) }

// LoseResponse makes the next n calls of op be carried out and committed,
// and then close the connection without a response: the client cannot
// tell whether the call took effect. This is what makes a retried
// CreateDomain, which has no client token, create a second domain.
func (e *Emulator) LoseResponse(op string, n int) { e.arm(faultLose, op, n) }

// takeFault returns the fault a call of op at now meets: faultRateLimit
// when op's rate limit refuses it, else the first pending fault of op,
// which it consumes. It is called with the lock held, and only for
// operations the emulator serves.
func (e *Emulator) takeFault(op string, now time.Time) fault {
	if !e.admit(op, now) {
		return faultRateLimit
	}
	for _, f := range faultOrder {
		if m := e.faults[f]; m[op] > 0 {
			m[op]--
			return f
		}
	}
	return ""
}

// faultError returns the error a call that met f is answered with, code
// throttleCode for a throttled one; nil when f answers nothing (cut) or
// the operation's own answer (lose, none).
func faultError(f fault, throttleCode string) *apiError {
	switch f {
	case faultThrottle, faultRateLimit:
		return errorf(400, throttleCode, "Rate exceeded")
	case faultFail:
		return errorf(500, "InternalFailure", "We encountered an internal error. Please try again.")
	}
	return nil
}

// response is what a request is answered with, before it is written.
type response struct {
	status      int
	contentType string
	body        []byte
	requestID   string
}

// scope is what the emulator reads from a request's SigV4 credential scope.
type scope struct {
	accessKey string
	region    string
	service   string
}

// credentialRE matches the Credential element of a SigV4 Authorization
// header: AKID/yyyymmdd/region/service/aws4_request.
var credentialRE = regexp.MustCompile(`Credential=([^/,\s]+)/(\d{8})/([a-z0-9-]+)/([a-z0-9-]+)/aws4_request`)

// parseAuthorization reads the credential scope of a SigV4 Authorization
// header. It does not verify the signature.
func parseAuthorization(h string) (scope, string) {
	if h == "" {
		return scope{}, "missing"
	}
	if !strings.HasPrefix(h, "AWS4-HMAC-SHA256 ") {
		return scope{}, "incomplete"
	}
	m := credentialRE.FindStringSubmatch(h)
	if m == nil || !strings.Contains(h, "SignedHeaders=") || !strings.Contains(h, "Signature=") {
		return scope{}, "incomplete"
	}
	return scope{accessKey: m[1], region: m[3], service: m[4]}, ""
}

// partition returns the AWS partition a region belongs to.
func partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}

// served is what a request was answered with, and what the call log
// records of it.
type served struct {
	resp   response
	op     string
	fields []string // the top-level members of a SageMaker body
	fault  fault
}

// ServeHTTP answers one SageMaker (awsJson1_1, X-Amz-Target SageMaker.<Op>)
// or STS (awsQuery, form-encoded Action) request.
//
// A request that is not authenticated (see authenticate) is answered
// before its body is read, and is not logged. Any other is carried out
// and logged at once, and answered (or its connection closed) after the
// latency (WithLatency), waited on the clock with no lock held; if the
// request's context is done first, it is not answered. The body is read within the
// body read timeout (WithBodyReadTimeout) on the wall clock, and at most
// the maximum body size (WithMaxBodyBytes): a client too slow gets 408
// Request Timeout, a body too large 413 Request Entity Too Large, and
// neither is logged.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	query := isQuery(r)
	sc, refusal := authenticate(r, query)
	if refusal != nil {
		render := jsonError
		if query {
			render = stsError
		}
		write(w, render(refusal))
		return
	}
	body, err := e.readBody(w, r)
	if err != nil {
		status := http.StatusRequestTimeout
		if errors.As(err, new(*http.MaxBytesError)) {
			status = http.StatusRequestEntityTooLarge
		}
		// The rest of the body is not read: the connection cannot carry
		// another request.
		w.Header().Set("Connection", "close")
		http.Error(w, http.StatusText(status), status)
		return
	}
	now := e.opts.clock.Now()
	var s served
	if query {
		s = e.serveSTS(body, now)
	} else {
		s = e.serveSageMaker(r, sc, body)
	}
	call := newCall(now, body, s.fields, e.opts.callBodyLimit)
	call.Operation, call.Fault, call.StatusCode = s.op, string(s.fault), s.resp.status
	if s.fault == faultCut {
		call.StatusCode = 0
	}
	e.mu.Lock()
	e.calls.add(call, e.opts.callLogCapacity)
	e.mu.Unlock()

	if e.opts.latency > 0 && e.opts.clock.Sleep(r.Context(), e.opts.latency) != nil {
		return // the client is gone: no one to answer
	}
	if s.fault == faultCut || s.fault == faultLose {
		dropConnection(w)
		return
	}
	write(w, s.resp)
}

// write sends resp.
func write(w http.ResponseWriter, resp response) {
	h := w.Header()
	h.Set("Content-Type", resp.contentType)
	h.Set("Content-Length", fmt.Sprint(len(resp.body)))
	h.Set("x-amzn-RequestId", resp.requestID)
	w.WriteHeader(resp.status)
	_, _ = w.Write(resp.body)
}

// authenticate reads the SigV4 credential scope of a SageMaker request
// (query false) or an STS one, or returns the error that refuses it: a
// SageMaker request that is not a POST, a missing or malformed
// Authorization header, or a scope for another service. The signature is
// not verified.
func authenticate(r *http.Request, query bool) (scope, *apiError) {
	sc, problem := parseAuthorization(r.Header.Get("Authorization"))
	switch {
	case !query && r.Method != http.MethodPost:
		return sc, errorf(http.StatusMethodNotAllowed, "UnknownOperationException", "Only POST is supported")
	case problem == "missing" && query:
		return sc, errorf(http.StatusForbidden, "MissingAuthenticationToken", "Request is missing Authentication Token")
	case problem == "missing":
		return sc, errorf(400, "MissingAuthenticationTokenException", "Missing Authentication Token")
	case problem != "" && query:
		return sc, errorf(400, "IncompleteSignature", "Authorization header requires a SigV4 Credential, SignedHeaders and Signature")
	case problem != "":
		return sc, errorf(400, "IncompleteSignatureException", "Authorization header requires a SigV4 Credential, SignedHeaders and Signature")
	case query && sc.service != "sts":
		return sc, errorf(http.StatusForbidden, "SignatureDoesNotMatch", "Credential should be scoped to correct service: 'sts'.")
	case !query && sc.service != wantService(r):
		return sc, errorf(http.StatusForbidden, "InvalidSignatureException", "Credential should be scoped to correct service: '%s'.", wantService(r))
	}
	return sc, nil
}

// readBody reads r's body within the body read timeout and the maximum
// body size; a body declared larger is refused unread. The deadline is set
// on the connection (where the ResponseWriter allows it;
// httptest.ResponseRecorder does not) and cleared once the body is read,
// since net/http goes on reading the connection in the background while
// the handler runs. After an error it stays: the server, which reads what
// is left of a body before it closes the connection, then gives up when
// it runs out.
func (e *Emulator) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	rc := http.NewResponseController(w)
	deadline := rc.SetReadDeadline(time.Now().Add(e.opts.bodyReadTimeout)) == nil
	if r.ContentLength > e.opts.maxBodyBytes {
		return nil, &http.MaxBytesError{Limit: e.opts.maxBodyBytes} // refused unread
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, e.opts.maxBodyBytes))
	if err == nil && deadline {
		_ = rc.SetReadDeadline(time.Time{})
	}
	return body, err
}

// isQuery reports whether r is an awsQuery (STS) request rather than an
// awsJson one: it carries no X-Amz-Target and a form body.
func isQuery(r *http.Request) bool {
	if r.Header.Get("X-Amz-Target") != "" {
		return false
	}
	ct := r.Header.Get("Content-Type")
	return strings.HasPrefix(ct, "application/x-www-form-urlencoded")
}

// dropConnection closes the client's connection without writing a
// response.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// The connection cannot be taken over (HTTP/2, a wrapping
		// writer, or the in-memory transport). http.ErrAbortHandler is
		// net/http's documented way to abort a response: the server
		// recovers it, logs nothing and resets the stream, and the
		// in-memory transport recovers it and fails the call with
		// ErrConnectionClosed. It never escapes either.
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// requestID returns a random ID in the form of the service's request IDs.
func requestID() string {
	b := make([]byte, 16)
	for i := range b {
		b[i] = byte(rand.UintN(256))
	}
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// apiError is an error the emulator answers with.
type apiError struct {
	status  int
	code    string
	message string
}

func (e *apiError) Error() string { return e.code + ": " + e.message }

func errorf(status int, code, format string, args ...any) *apiError {
	return &apiError{status: status, code: code, message: fmt.Sprintf(format, args...)}
}

func jsonError(err *apiError) response {
	b, _ := json.Marshal(map[string]string{"__type": err.code, "Message": err.message})
	return response{status: err.status, contentType: jsonContentType, body: b, requestID: requestID()}
}

const jsonContentType = "application/x-amz-json-1.1"

// sortedKeys returns the keys of a JSON object, sorted.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// formValues parses an awsQuery body.
func formValues(body []byte) (url.Values, error) {
	return url.ParseQuery(string(bytes.TrimSpace(body)))
}
