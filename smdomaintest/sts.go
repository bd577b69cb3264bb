package smdomaintest

import (
	"encoding/xml"
	"net/http"
	"strings"
	"time"
)

const stsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"

type stsIdentityResponse struct {
	XMLName xml.Name `xml:"GetCallerIdentityResponse"`
	Xmlns   string   `xml:"xmlns,attr"`
	Result  struct {
		Arn     string `xml:"Arn"`
		UserID  string `xml:"UserId"`
		Account string `xml:"Account"`
	} `xml:"GetCallerIdentityResult"`
	RequestID string `xml:"ResponseMetadata>RequestId"`
}

type stsErrorResponse struct {
	XMLName xml.Name `xml:"ErrorResponse"`
	Xmlns   string   `xml:"xmlns,attr"`
	Error   struct {
		Type    string `xml:"Type"`
		Code    string `xml:"Code"`
		Message string `xml:"Message"`
	} `xml:"Error"`
	RequestID string `xml:"RequestId"`
}

func stsError(err *apiError) response {
	var out stsErrorResponse
	out.Xmlns = stsNamespace
	out.Error.Type = "Sender"
	if err.status >= 500 {
		out.Error.Type = "Receiver"
	}
	out.Error.Code = err.code
	out.Error.Message = err.message
	out.RequestID = requestID()
	return xmlResponse(err.status, out, out.RequestID)
}

func xmlResponse(status int, v any, id string) response {
	b, err := xml.Marshal(v)
	if err != nil {
		return response{status: http.StatusInternalServerError, contentType: "text/xml", requestID: id}
	}
	return response{status: status, contentType: "text/xml", body: append([]byte(xml.Header), b...), requestID: id}
}

// serveSTS answers an awsQuery request. Only GetCallerIdentity is known.
func (e *Emulator) serveSTS(r *http.Request, body []byte, now time.Time) (response, string, fault) {
	form, err := formValues(body)
	if err != nil {
		return stsError(errorf(400, "MalformedQueryString", "The query string is not well formed")), "", ""
	}
	op := form.Get("Action")
	if _, problem := parseAuthorization(r.Header.Get("Authorization")); problem != "" {
		if problem == "missing" {
			return stsError(errorf(http.StatusForbidden, "MissingAuthenticationToken", "Request is missing Authentication Token")), op, ""
		}
		return stsError(errorf(400, "IncompleteSignature", "Authorization header requires a SigV4 Credential, SignedHeaders and Signature")), op, ""
	}
	sc, _ := parseAuthorization(r.Header.Get("Authorization"))
	if sc.service != "sts" {
		return stsError(errorf(http.StatusForbidden, "SignatureDoesNotMatch", "Credential should be scoped to correct service: 'sts'.")), op, ""
	}

	e.mu.Lock()
	f := e.takeFault(op)
	e.mu.Unlock()
	switch f {
	case faultCut:
		return response{}, op, f
	case faultThrottle:
		return stsError(errorf(400, "Throttling", "Rate exceeded")), op, f
	case faultFail:
		return stsError(errorf(500, "InternalFailure", "injected failure")), op, f
	}

	if op != "GetCallerIdentity" {
		return stsError(errorf(400, "InvalidAction", "Could not find operation %s for version %s", op, form.Get("Version"))), op, f
	}
	if v := form.Get("Version"); v != "2011-06-15" {
		return stsError(errorf(400, "InvalidAction", "Could not find operation %s for version %s", op, v)), op, f
	}
	var out stsIdentityResponse
	out.Xmlns = stsNamespace
	out.Result.Arn = e.opts.callerARN
	out.Result.Account = e.opts.account
	out.Result.UserID = userID(e.opts.callerARN)
	out.RequestID = requestID()
	return xmlResponse(http.StatusOK, out, out.RequestID), op, f
}

// userID makes up the unique ID GetCallerIdentity reports for arn: an
// AIDA... ID for users, AROA...:<session> for assumed roles.
func userID(arn string) string {
	if i := strings.Index(arn, ":assumed-role/"); i >= 0 {
		rest := arn[i+len(":assumed-role/"):]
		session := rest[strings.LastIndex(rest, "/")+1:]
		return "AROASMDOMAINTEST0EXAMPLE:" + session
	}
	return "AIDASMDOMAINTEST0EXAMPLE"
}
