package smdomaintest_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/finegrained/smdomain/smdomaintest"
)

// fuzzAuthorization is a SigV4 Authorization header of the shape the SDK
// sends; the emulator reads its scope and does not check the signature.
func fuzzAuthorization(service string) string {
	return "AWS4-HMAC-SHA256 Credential=AKIDFUZZ/20261101/us-east-1/" + service +
		"/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" + strings.Repeat("0f", 32)
}

// fuzzServe sends one request straight to the handler.
func fuzzServe(e *smdomaintest.Emulator, target, contentType string, body []byte) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	r.Header.Set("Content-Type", contentType)
	if target != "" {
		r.Header.Set("X-Amz-Target", target)
		r.Header.Set("Authorization", fuzzAuthorization("sagemaker"))
	} else {
		r.Header.Set("Authorization", fuzzAuthorization("sts"))
	}
	w := httptest.NewRecorder()
	e.ServeHTTP(w, r)
	return w
}

// checkJSONAnswer checks a SageMaker answer: a JSON object, and for an
// error the service's {"__type", "Message"} shape.
func checkJSONAnswer(t *testing.T, what string, w *httptest.ResponseRecorder) {
	t.Helper()
	if w.Code >= 500 || w.Code < 200 || (w.Code >= 300 && w.Code < 400) {
		t.Fatalf("%s: HTTP %d, want 2xx or 4xx: %s", what, w.Code, w.Body)
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/x-amz-json-1.1" {
		t.Fatalf("%s: Content-Type %q", what, ct)
	}
	var doc map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatalf("%s: HTTP %d answer is not a JSON object: %v: %q", what, w.Code, err, w.Body)
	}
	if w.Code >= 400 {
		code, _ := doc["__type"].(string)
		if _, ok := doc["Message"].(string); code == "" || !ok {
			t.Fatalf("%s: HTTP %d error not in the service's shape: %s", what, w.Code, w.Body)
		}
	}
}

// checkXMLAnswer checks an STS answer: a GetCallerIdentityResponse, or for
// an error an ErrorResponse with a Code.
func checkXMLAnswer(t *testing.T, w *httptest.ResponseRecorder) {
	t.Helper()
	if w.Code >= 500 || w.Code < 200 || (w.Code >= 300 && w.Code < 400) {
		t.Fatalf("STS: HTTP %d, want 2xx or 4xx: %s", w.Code, w.Body)
	}
	var doc struct {
		XMLName xml.Name
		Code    string `xml:"Error>Code"`
		Account string `xml:"GetCallerIdentityResult>Account"`
	}
	if err := xml.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatalf("STS: HTTP %d answer is not XML: %v: %q", w.Code, err, w.Body)
	}
	switch {
	case w.Code >= 400 && (doc.XMLName.Local != "ErrorResponse" || doc.Code == ""):
		t.Fatalf("STS: HTTP %d error not in the service's shape: %s", w.Code, w.Body)
	case w.Code < 300 && (doc.XMLName.Local != "GetCallerIdentityResponse" || doc.Account == ""):
		t.Fatalf("STS: HTTP %d success without an account: %s", w.Code, w.Body)
	}
}

// FuzzEmulatorRequest feeds arbitrary bodies to the emulator's handler,
// with a well-formed SigV4 header, under any X-Amz-Target (an empty target
// sends the body to STS as a form). The emulator holds one domain with a
// user profile "alice" and a shared JupyterLab space "lab"; "$ID" and
// "$ARN" in a body stand for the domain's ID and ARN, so that the fuzzer
// can reach the paths of existing resources. Every answer must be 2xx or 4xx
// in the service's error shape, never a panic or a 5xx; and after the
// request the emulator must still describe and list its domains.
func FuzzEmulatorRequest(f *testing.F) {
	seeds := []struct{ target, body string }{
		{"SageMaker.CreateDomain", `{"DomainName":"fuzz","AuthMode":"IAM","DefaultUserSettings":{"ExecutionRole":"arn:aws:iam::123456789012:role/R"}}`},
		{"SageMaker.CreateDomain", `{"DomainName":"fuzz","AuthMode":"IAM","DefaultUserSettings":{"ExecutionRole":"arn:aws:iam::123456789012:role/R","SecurityGroups":["sg-0abc"]},"VpcId":"vpc-1","SubnetIds":["subnet-1"],"AppNetworkAccessType":"VpcOnly","Tags":[{"Key":"k","Value":"v"}]}`},
		{"SageMaker.CreateDomain", `{"DomainName":"bad name","AuthMode":"NOPE","Tags":[{"Key":"aws:x","Value":"v"},{"Key":"aws:x"}]}`},
		{"SageMaker.DescribeDomain", `{"DomainId":"$ID"}`},
		{"SageMaker.DescribeDomain", `{"DomainId":"d-000000000000"}`},
		{"SageMaker.UpdateDomain", `{"DomainId":"$ID","DefaultUserSettings":{"SecurityGroups":["sg-1","sg-2"]},"DomainSettingsForUpdate":{"SecurityGroupIds":["sg-3"],"RStudioServerProDomainSettingsForUpdate":{"DomainExecutionRoleArn":"arn:aws:iam::123456789012:role/R"}}}`},
		{"SageMaker.UpdateDomain", `{"DomainId":"$ID","VpcId":"vpc-2","SubnetIds":["subnet-2"],"HomeEfsFileSystemCreation":"Disabled"}`},
		{"SageMaker.DeleteDomain", `{"DomainId":"$ID","RetentionPolicy":{"HomeEfsFileSystem":"Delete"}}`},
		{"SageMaker.ListDomains", `{"MaxResults":1}`},
		{"SageMaker.ListDomains", `{"NextToken":"not-a-token","MaxResults":1000}`},
		{"SageMaker.AddTags", `{"ResourceArn":"$ARN","Tags":[{"Key":"a","Value":"b"}]}`},
		{"SageMaker.DeleteTags", `{"ResourceArn":"$ARN","TagKeys":["a","b"]}`},
		{"SageMaker.ListTags", `{"ResourceArn":"$ARN","MaxResults":50,"NextToken":"x"}`},
		{"SageMaker.ListTags", `{"ResourceArn":"arn:aws:sagemaker:us-east-1:123456789012:domain/d-nothere"}`},
		{"SageMaker.CreateUserProfile", `{"DomainId":"$ID","UserProfileName":"alice","UserSettings":{"ExecutionRole":"arn:aws:iam::123456789012:role/R","CustomFileSystemConfigs":[{"EFSFileSystemConfig":{"FileSystemId":"fs-0abc"}}]},"Tags":[{"Key":"k","Value":"v"}]}`},
		{"SageMaker.CreateUserProfile", `{"DomainId":"$ID","UserProfileName":"bad_name","SingleSignOnUserIdentifier":"UserName"}`},
		{"SageMaker.DescribeUserProfile", `{"DomainId":"$ID","UserProfileName":"alice"}`},
		{"SageMaker.DeleteUserProfile", `{"DomainId":"$ID","UserProfileName":"alice"}`},
		{"SageMaker.ListUserProfiles", `{"DomainIdEquals":"$ID","MaxResults":1,"SortOrder":"Descending","UserProfileNameContains":"a"}`},
		{"SageMaker.CreateSpace", `{"DomainId":"$ID","SpaceName":"lab","OwnershipSettings":{"OwnerUserProfileName":"nobody"},"SpaceSettings":{"CustomFileSystems":[{"EFSFileSystem":{"FileSystemId":"fs-0abc"}},{"S3FileSystem":{},"EFSFileSystem":{}}]}}`},
		{"SageMaker.CreateSpace", `{"DomainId":"$ID","SpaceName":"lab","SpaceSettings":{"AppType":"JupyterLab","SpaceStorageSettings":{"EbsStorageSettings":{"EbsVolumeSizeInGb":5}}}}`},
		{"SageMaker.DescribeSpace", `{"DomainId":"$ID","SpaceName":"lab"}`},
		{"SageMaker.DeleteSpace", `{"DomainId":"$ID","SpaceName":"lab"}`},
		{"SageMaker.ListSpaces", `{"NextToken":"x","SpaceNameContains":"l"}`},
		{"SageMaker.UpdateUserProfile", `{"DomainId":"$ID","UserProfileName":"ALICE","UserSettings":{"SecurityGroups":["sg-1"],"JupyterServerAppSettings":{"DefaultResourceSpec":{"InstanceType":"system"}},"StudioWebPortal":"DISABLED"}}`},
		{"SageMaker.UpdateUserProfile", `{"DomainId":"$ID","UserProfileName":"alice","Tags":[{"Key":"k"}],"SingleSignOnUserValue":"x","UserSettings":{"SecurityGroups":["1","2","3","4","5","6"]}}`},
		{"SageMaker.UpdateUserProfile", `{"DomainId":"$ID","UserProfileName":"nobody","UserSettings":null}`},
		{"SageMaker.UpdateSpace", `{"DomainId":"$ID","SpaceName":"lab","SpaceDisplayName":"Lab","SpaceSettings":{"JupyterLabAppSettings":{"DefaultResourceSpec":{"InstanceType":"ml.t3.large"},"CodeRepositories":[{"RepositoryUrl":"https://example.com/a.git"}]},"SpaceStorageSettings":{"EbsStorageSettings":{"EbsVolumeSizeInGb":50}}}}`},
		{"SageMaker.UpdateSpace", `{"DomainId":"$ID","SpaceName":"lab","SpaceSettings":{"AppType":"CodeEditor","JupyterServerAppSettings":{"CodeRepositories":[]}}}`},
		{"SageMaker.UpdateSpace", `{"DomainId":"$ID","SpaceName":"Lab","OwnershipSettings":{"OwnerUserProfileName":"alice"},"SpaceSharingSettings":{"SharingType":"Private"}}`},
		{"SageMaker.CreateSpace", `{"DomainId":"$ID","SpaceName":"mine","OwnershipSettings":{"OwnerUserProfileName":"ALICE"},"SpaceSharingSettings":{"SharingType":"Private"},"SpaceSettings":{"AppType":"CodeEditor"}}`},
		{"SageMaker.CreateSpace", `{"DomainId":"$ID","SpaceName":"mine","SpaceSharingSettings":{"SharingType":"Private"}}`},
		{"SageMaker.CreateApp", `{"DomainId":"$ID","UserProfileName":"alice","SpaceName":"lab","AppType":"JupyterLab","AppName":"default"}`},
		{"SageMaker.CreateApp", `{"DomainId":"$ID","SpaceName":"lab","AppType":"Emacs","AppName":"default","ResourceSpec":{"InstanceType":"system"}}`},
		{"SageMaker.DescribeApp", `{"DomainId":"$ID","UserProfileName":"alice","AppType":"JupyterServer","AppName":"default"}`},
		{"SageMaker.DeleteApp", `{"DomainId":"$ID","SpaceName":"lab","AppType":"JupyterLab","AppName":"default"}`},
		{"SageMaker.ListApps", `{"DomainIdEquals":"$ID","UserProfileNameEquals":"alice","SpaceNameEquals":"lab","MaxResults":100}`},
		{"SageMaker.CreatePresignedDomainUrl", `{"DomainId":"$ID","UserProfileName":"ALICE","SpaceName":"lab","LandingUri":"studio::","ExpiresInSeconds":5,"SessionExpirationDurationInSeconds":43200}`},
		{"SageMaker.CreatePresignedDomainUrl", `{"DomainId":"$ID","UserProfileName":"bob","ExpiresInSeconds":301,"SessionExpirationDurationInSeconds":1799}`},
		{"SageMaker.DescribeDomain", ``},
		{"SageMaker.DescribeDomain", `{`},
		{"SageMaker.DescribeDomain", `[]`},
		{"SageMaker.DescribeDomain", `null`},
		{"SageMaker.DescribeDomain", `{"DomainId":5}`},
		{"SageMaker.CreateDomain", `{"DomainName":"x","AuthMode":"IAM","DefaultUserSettings":{"ExecutionRole":{"a":[1e999]}}}`},
		{"SageMaker.CreateDomain", `{"Tags":[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]}`},
		{"SageMaker.ListDomains", `{"MaxResults":-9223372036854775809}`},
		{"SageMaker.ListDomains", "{\"MaxResults\":1.5,\"\xff\":\"\\ud800\"}"},
		{"SageMaker.Unknown", `{}`},
		{"Other.DescribeDomain", `{}`},
		{"", "Action=GetCallerIdentity&Version=2011-06-15"},
		{"", "Action=GetCallerIdentity&Version=2099-01-01"},
		{"", "Action=AssumeRole"},
		{"", "%zz"},
	}
	for _, s := range seeds {
		f.Add(s.target, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, target string, body []byte) {
		if strings.ContainsAny(target, "\r\n\x00") || len(target) > 256 {
			t.Skip() // not a header value an HTTP client can send
		}
		e := smdomaintest.NewEmulator(smdomaintest.WithClock(smdomaintest.NewFakeClock(epoch0)))
		created := fuzzServe(e, "SageMaker.CreateDomain", "application/x-amz-json-1.1",
			[]byte(`{"DomainName":"held","AuthMode":"IAM","DefaultUserSettings":{"ExecutionRole":"`+role+`"}}`))
		var out struct{ DomainArn string }
		if err := json.Unmarshal(created.Body.Bytes(), &out); err != nil || created.Code != http.StatusOK {
			t.Fatalf("setup CreateDomain: HTTP %d %s", created.Code, created.Body)
		}
		arn := out.DomainArn
		id := arn[strings.LastIndex(arn, "/")+1:]
		for _, setup := range []struct{ target, body string }{
			{"SageMaker.CreateUserProfile", `{"DomainId":"` + id + `","UserProfileName":"alice"}`},
			{"SageMaker.CreateSpace", `{"DomainId":"` + id + `","SpaceName":"lab","SpaceSettings":{"AppType":"JupyterLab"}}`},
		} {
			if w := fuzzServe(e, setup.target, "application/x-amz-json-1.1", []byte(setup.body)); w.Code != http.StatusOK {
				t.Fatalf("setup %s: HTTP %d %s", setup.target, w.Code, w.Body)
			}
		}
		body = bytes.ReplaceAll(bytes.ReplaceAll(body, []byte("$ID"), []byte(id)), []byte("$ARN"), []byte(arn))

		if target == "" {
			checkXMLAnswer(t, fuzzServe(e, "", "application/x-www-form-urlencoded; charset=utf-8", body))
		} else {
			checkJSONAnswer(t, target, fuzzServe(e, target, "application/x-amz-json-1.1", body))
		}

		// The emulator still answers for its state.
		checkJSONAnswer(t, "DescribeDomain after", fuzzServe(e, "SageMaker.DescribeDomain", "application/x-amz-json-1.1",
			[]byte(`{"DomainId":"`+id+`"}`)))
		list := fuzzServe(e, "SageMaker.ListDomains", "application/x-amz-json-1.1", []byte(`{"MaxResults":100}`))
		checkJSONAnswer(t, "ListDomains after", list)
		if list.Code != http.StatusOK {
			t.Fatalf("ListDomains after: HTTP %d %s", list.Code, list.Body)
		}
		tags := fuzzServe(e, "SageMaker.ListTags", "application/x-amz-json-1.1", []byte(`{"ResourceArn":"`+arn+`"}`))
		checkJSONAnswer(t, "ListTags after", tags)
	})
}
