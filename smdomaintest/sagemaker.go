package smdomaintest

import (
	"net/http"
	"strings"
	"time"

	"github.com/finegrained/smdomain/internal/wire"
)

// request is what a SageMaker operation handler is given.
type request struct {
	region    string
	partition string
	now       time.Time
	doc       map[string]any
}

// handler carries out one operation with the emulator's lock held and
// returns the output struct to encode.
type handler func(e *Emulator, req *request) (any, *apiError)

// lookupHandler returns the handler of a SageMaker operation, or nil.
func lookupHandler(op string) handler {
	switch op {
	case "CreateDomain":
		return (*Emulator).createDomain
	case "DescribeDomain":
		return (*Emulator).describeDomain
	case "UpdateDomain":
		return (*Emulator).updateDomain
	case "DeleteDomain":
		return (*Emulator).deleteDomain
	case "ListDomains":
		return (*Emulator).listDomains
	case "AddTags":
		return (*Emulator).addTags
	case "DeleteTags":
		return (*Emulator).deleteTags
	case "ListTags":
		return (*Emulator).listTags
	case "CreateUserProfile":
		return (*Emulator).createUserProfile
	case "DescribeUserProfile":
		return (*Emulator).describeUserProfile
	case "UpdateUserProfile":
		return (*Emulator).updateUserProfile
	case "DeleteUserProfile":
		return (*Emulator).deleteUserProfile
	case "ListUserProfiles":
		return (*Emulator).listUserProfiles
	case "CreateSpace":
		return (*Emulator).createSpace
	case "DescribeSpace":
		return (*Emulator).describeSpace
	case "UpdateSpace":
		return (*Emulator).updateSpace
	case "DeleteSpace":
		return (*Emulator).deleteSpace
	case "ListSpaces":
		return (*Emulator).listSpaces
	case "CreateApp":
		return (*Emulator).createApp
	case "DescribeApp":
		return (*Emulator).describeApp
	case "DeleteApp":
		return (*Emulator).deleteApp
	case "ListApps":
		return (*Emulator).listApps
	}
	return nil
}

// serveSageMaker answers an awsJson1_1 request.
func (e *Emulator) serveSageMaker(r *http.Request, body []byte, now time.Time) (response, string, []string, fault) {
	target := r.Header.Get("X-Amz-Target")
	op, isSageMaker := strings.CutPrefix(target, "SageMaker.")
	if !isSageMaker {
		op = target
	}
	var fields []string
	doc := map[string]any{}
	docErr := (*apiError)(nil)
	if len(strings.TrimSpace(string(body))) > 0 {
		parsed, err := wire.Parse(body)
		m, isObject := parsed.(map[string]any)
		switch {
		case err != nil:
			docErr = errorf(400, "SerializationException", "Request body is not valid JSON: %v", err)
		case !isObject:
			docErr = errorf(400, "SerializationException", "Request body must be a JSON object")
		default:
			doc = m
			fields = sortedKeys(m)
		}
	}

	if r.Method != http.MethodPost {
		return jsonError(errorf(http.StatusMethodNotAllowed, "UnknownOperationException", "Only POST is supported")), op, fields, ""
	}
	sc, problem := parseAuthorization(r.Header.Get("Authorization"))
	switch {
	case problem == "missing":
		return jsonError(errorf(400, "MissingAuthenticationTokenException", "Missing Authentication Token")), op, fields, ""
	case problem != "":
		return jsonError(errorf(400, "IncompleteSignatureException", "Authorization header requires a SigV4 Credential, SignedHeaders and Signature")), op, fields, ""
	case sc.service != "sagemaker":
		return jsonError(errorf(http.StatusForbidden, "InvalidSignatureException", "Credential should be scoped to correct service: 'sagemaker'.")), op, fields, ""
	}
	h := lookupHandler(op)
	if !isSageMaker || h == nil {
		return jsonError(errorf(400, "com.amazon.coral.service#UnknownOperationException", "Unknown operation %s", target)), op, fields, ""
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	// The operation takes effect, and its timestamps (CreationTime, ...)
	// are read, once it holds the state: a request that waited for the
	// lock must not commit with a time earlier than what others did
	// meanwhile, which on a fake clock can be minutes.
	now = e.opts.clock.Now()
	e.settle(now)
	f := e.takeFault(op)
	switch f {
	case faultCut:
		return response{}, op, fields, f
	case faultThrottle:
		return jsonError(errorf(400, "ThrottlingException", "Rate exceeded")), op, fields, f
	case faultFail:
		return jsonError(errorf(500, "InternalFailure", "We encountered an internal error. Please try again.")), op, fields, f
	}
	if docErr != nil {
		return jsonError(docErr), op, fields, f
	}
	out, apiErr := h(e, &request{region: sc.region, partition: partition(sc.region), now: now, doc: doc})
	if apiErr != nil {
		return jsonError(apiErr), op, fields, f
	}
	b, err := wire.Marshal(out)
	if err != nil {
		return jsonError(errorf(500, "InternalFailure", "encode response: %v", err)), op, fields, f
	}
	return response{status: http.StatusOK, contentType: jsonContentType, body: b, requestID: requestID()}, op, fields, f
}
