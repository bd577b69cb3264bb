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

// serveSTS answers an authenticated awsQuery request that arrived at now.
// Only GetCallerIdentity is known; a request for anything else meets no
// fault and no rate limit.
func (e *Emulator) serveSTS(body []byte, now time.Time) served {
	form, err := formValues(body)
	if err != nil {
		return served{resp: stsError(errorf(400, "MalformedQueryString", "The query string is not well formed"))}
	}
	s := served{op: form.Get("Action")}
	if v := form.Get("Version"); s.op != "GetCallerIdentity" || v != "2011-06-15" {
		s.resp = stsError(errorf(400, "InvalidAction", "Could not find operation %s for version %s", s.op, v))
		return s
	}
	e.mu.Lock()
	s.fault = e.takeFault(s.op, now)
	e.mu.Unlock()
	if s.fault == faultCut {
		return s
	}
	if err := faultError(s.fault, "Throttling"); err != nil {
		s.resp = stsError(err)
		return s
	}
	var out stsIdentityResponse
	out.Xmlns = stsNamespace
	out.Result.Arn = e.opts.callerARN
	out.Result.Account = e.opts.account
	out.Result.UserID = userID(e.opts.callerARN)
	out.RequestID = requestID()
	s.resp = xmlResponse(http.StatusOK, out, out.RequestID)
	return s
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
