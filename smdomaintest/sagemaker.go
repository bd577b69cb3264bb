package smdomaintest

import (
	"bytes"
	"net/http"
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
	case "CreatePresignedDomainUrl":
		return (*Emulator).createPresignedDomainURL
	}
	return nil
}

// serveSageMaker answers an authenticated awsJson1_1 request, whose
// credential scope is sc.
func (e *Emulator) serveSageMaker(r *http.Request, sc scope, body []byte) served {
	op, h := jsonOperation(r.Header.Get("X-Amz-Target")) // SageMaker or Identity Center
	s := served{op: op}
	doc := map[string]any{}
	docErr := (*apiError)(nil)
	if len(bytes.TrimSpace(body)) > 0 {
		parsed, err := wire.Parse(body)
		m, isObject := parsed.(map[string]any)
		switch {
		case err != nil:
			docErr = errorf(400, "SerializationException", "Request body is not valid JSON: %v", err)
		case !isObject:
			docErr = errorf(400, "SerializationException", "Request body must be a JSON object")
		default:
			doc = m
			s.fields = sortedKeys(m)
		}
	}
	if h == nil {
		s.resp = jsonError(errorf(400, "com.amazon.coral.service#UnknownOperationException", "Unknown operation %s", r.Header.Get("X-Amz-Target")))
		return s
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	// The operation takes effect, and its timestamps (CreationTime, ...)
	// are read, once it holds the state: a request that waited for the
	// lock must not commit with a time earlier than what others did
	// meanwhile, which on a fake clock can be minutes.
	now := e.opts.clock.Now()
	s.fault = e.takeFault(op, now)
	if s.fault == faultCut {
		return s
	}
	if err := faultError(s.fault, "ThrottlingException"); err != nil {
		s.resp = jsonError(err)
		return s
	}
	if docErr != nil {
		s.resp = jsonError(docErr)
		return s
	}
	out, apiErr := h(e, &request{region: sc.region, partition: partition(sc.region), now: now, doc: doc})
	if apiErr != nil {
		s.resp = jsonError(apiErr)
		return s
	}
	b, err := wire.Marshal(out)
	if err != nil {
		s.resp = jsonError(errorf(500, "InternalFailure", "encode response: %v", err))
		return s
	}
	s.resp = response{status: http.StatusOK, contentType: jsonContentType, body: b, requestID: requestID()}
	return s
}
