package smdomaintest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// maxBodyBytes bounds a request body; the service's own limit is higher,
// but no domain request comes near it.
const maxBodyBytes = 10 << 20

// Emulator holds the state of one emulated account (domains with their
// user profiles, spaces and apps, tags, faults waiting to happen and the
// call log) and serves SageMaker and STS requests as an http.Handler. It is safe for concurrent use.
//
// Serve it with NewServer in tests, or mount it on any http.Server (the
// smdomain CLI's emulator command does).
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
	calls       []Call
	retention   map[string]types.RetentionType
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
		retention: map[string]types.RetentionType{},
	}
}

// Call is one request the emulator received, as the call log records it.
type Call struct {
	// Operation is the operation's name without its service prefix:
	// "CreateDomain", "GetCallerIdentity". Empty if the request named none.
	Operation string
	// Time is when the request arrived, on the emulator's clock.
	Time time.Time
	// RequestBytes is the size of the request body.
	RequestBytes int
	// Fields are the top-level members present in a SageMaker request body,
	// sorted: what an UpdateDomain carried, for payload budgets. Nil for STS.
	Fields []string
	// StatusCode is the HTTP status answered, or that would have been
	// answered when the response was lost; 0 when the connection was cut
	// before anything was done.
	StatusCode int
	// Fault is the injected fault the call met: "throttle", "fail", "cut",
	// "lose", or "" for none.
	Fault string
	// Body is a copy of the request body.
	Body []byte
}

// Calls returns a copy of the call log, oldest first.
func (e *Emulator) Calls() []Call {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]Call, len(e.calls))
	for i, c := range e.calls {
		c.Fields = slices.Clone(c.Fields)
		c.Body = slices.Clone(c.Body)
		out[i] = c
	}
	return out
}

// ResetCalls empties the call log.
func (e *Emulator) ResetCalls() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.calls = nil
}

// fault is a kind of injected failure.
type fault string

const (
	faultThrottle fault = "throttle"
	faultFail     fault = "fail"
	faultCut      fault = "cut"
	faultLose     fault = "lose"
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
// replaces any count still pending; 0 disarms.
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

// takeFault consumes and returns the first pending fault of op.
func (e *Emulator) takeFault(op string) fault {
	for _, f := range faultOrder {
		if m := e.faults[f]; m[op] > 0 {
			m[op]--
			return f
		}
	}
	return ""
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

// ServeHTTP answers one SageMaker (awsJson1_1, X-Amz-Target SageMaker.<Op>)
// or STS (awsQuery, form-encoded Action) request.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		http.Error(w, "request body too large or unreadable", http.StatusRequestEntityTooLarge)
		return
	}
	now := e.opts.clock.Now()
	var (
		resp response
		call = Call{Time: now, RequestBytes: len(body), Body: body}
		f    fault
	)
	if isQuery(r) {
		resp, call.Operation, f = e.serveSTS(r, body, now)
	} else {
		resp, call.Operation, call.Fields, f = e.serveSageMaker(r, body, now)
	}
	call.Fault = string(f)
	call.StatusCode = resp.status
	if f == faultCut {
		call.StatusCode = 0
	}
	e.mu.Lock()
	e.calls = append(e.calls, call)
	e.mu.Unlock()

	if f == faultCut || f == faultLose {
		dropConnection(w)
		return
	}
	h := w.Header()
	h.Set("Content-Type", resp.contentType)
	h.Set("Content-Length", fmt.Sprint(len(resp.body)))
	h.Set("x-amzn-RequestId", resp.requestID)
	w.WriteHeader(resp.status)
	_, _ = w.Write(resp.body)
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
		// The connection cannot be taken over (HTTP/2, or a wrapping
		// writer). http.ErrAbortHandler is net/http's documented way to
		// abort a response: the server recovers it, logs nothing and
		// resets the stream. It never escapes the server.
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
