package smdomaintest_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/finegrained/smdomain/smdomaintest"
	"github.com/google/go-cmp/cmp"
)

// post is rawRequest, returning the status once the answer is read.
func post(t *testing.T, method, url, op string, body io.Reader, auth string) int {
	t.Helper()
	resp := rawRequest(t, method, url, op, body, auth)
	defer resp.Body.Close()
	if _, err := bufCopy(io.Discard, resp); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode
}

// TestCallLogIsBounded floods the emulator with large requests, from
// several clients at once, and checks that the log keeps the newest
// calls only, each with its full size but a bounded body and field list.
func TestCallLogIsBounded(t *testing.T) {
	const (
		capacity = 50
		limit    = 1024
		clients  = 4
		each     = 20
	)
	srv, _, _ := newTest(t, smdomaintest.WithCallLogCapacity(capacity), smdomaintest.WithCallBodyLimit(limit))
	auth := fakeAuth("us-east-1", "sagemaker")
	// A 32 KiB value, and 1,000 top-level members: both answered
	// SerializationException, both logged.
	long := `{"DomainId":"d-000000000000","Junk":"` + strings.Repeat("x", 32<<10) + `"}`
	var wide strings.Builder
	wide.WriteString(`{"DomainId":"d-000000000000"`)
	for i := range 1000 {
		fmt.Fprintf(&wide, `,"Member%05d":1`, i)
	}
	wide.WriteString("}")
	sizes := map[int]bool{len(long): true, len(wide.String()): true}

	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			for i := range each {
				body := long
				if (c+i)%2 == 0 {
					body = wide.String()
				}
				if got := post(t, http.MethodPost, srv.URL, "DescribeDomain", strings.NewReader(body), auth); got != 400 {
					t.Errorf("flood: HTTP %d, want 400", got)
				}
			}
		})
	}
	wg.Wait()
	// Then ten small ones, in order: the newest calls.
	var want []string
	for i := range 10 {
		body := fmt.Sprintf(`{"DomainId":"d-00000000000%d"}`, i)
		want = append(want, body)
		post(t, http.MethodPost, srv.URL, "DescribeDomain", strings.NewReader(body), auth)
	}

	calls := srv.Calls()
	if len(calls) != capacity {
		t.Fatalf("%d calls kept after %d, want %d", len(calls), clients*each+10, capacity)
	}
	var newest []string
	for i, c := range calls {
		fieldBytes := 0
		for _, f := range c.Fields {
			fieldBytes += len(f)
		}
		if len(c.Body) > limit || fieldBytes > limit {
			t.Errorf("call %d keeps %d body bytes and %d bytes of field names, want at most %d", i, len(c.Body), fieldBytes, limit)
		}
		if i < capacity-10 {
			if !sizes[c.RequestBytes] || len(c.Body) != limit {
				t.Errorf("flood call %d: RequestBytes %d, body %d bytes; want a flood size and %d bytes", i, c.RequestBytes, len(c.Body), limit)
			}
			continue
		}
		if c.RequestBytes != len(c.Body) {
			t.Errorf("small call %d: RequestBytes %d, body %d bytes", i, c.RequestBytes, len(c.Body))
		}
		newest = append(newest, string(c.Body))
	}
	if diff := cmp.Diff(want, newest); diff != "" {
		t.Errorf("newest calls (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"DomainId"}, calls[capacity-1].Fields); diff != "" {
		t.Errorf("fields of a small call (-want +got):\n%s", diff)
	}
}

// TestRefusedRequestsAreNotLogged sends requests that are refused before
// they reach an operation: none is logged. An authenticated request for an
// operation the emulator does not serve is.
func TestRefusedRequestsAreNotLogged(t *testing.T) {
	srv, _, _ := newTest(t, smdomaintest.WithMaxBodyBytes(1<<10))
	sm, sts := fakeAuth("us-east-1", "sagemaker"), fakeAuth("us-east-1", "sts")
	identity := "Action=GetCallerIdentity&Version=2011-06-15"
	large := `{"NextToken":"` + strings.Repeat("x", 2<<10) + `"}`
	tests := []struct {
		name             string
		method, op, auth string
		body             io.Reader
		status           int
	}{
		{"no Authorization", http.MethodPost, "ListDomains", "", strings.NewReader("{}"), 400},
		{"not SigV4", http.MethodPost, "ListDomains", "Bearer abc", strings.NewReader("{}"), 400},
		{"scoped to STS", http.MethodPost, "ListDomains", sts, strings.NewReader("{}"), 403},
		{"GET", http.MethodGet, "ListDomains", sm, http.NoBody, 405},
		{"body too large", http.MethodPost, "ListDomains", sm, strings.NewReader(large), 413},
		{"body too large, chunked", http.MethodPost, "ListDomains", sm, struct{ io.Reader }{strings.NewReader(large)}, 413},
		{"STS without Authorization", http.MethodPost, "", "", strings.NewReader(identity), 403},
		{"STS scoped to SageMaker", http.MethodPost, "", sm, strings.NewReader(identity), 403},
		{"STS body too large", http.MethodPost, "", sts, strings.NewReader(identity + "&x=" + strings.Repeat("x", 2<<10)), 413},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := post(t, tt.method, srv.URL, tt.op, tt.body, tt.auth); got != tt.status {
				t.Errorf("HTTP %d, want %d", got, tt.status)
			}
			if calls := srv.Calls(); len(calls) != 0 {
				t.Errorf("logged: %+v", summarize(calls))
			}
		})
	}
	post(t, http.MethodPost, srv.URL, "ListNotebookInstances", strings.NewReader("{}"), sm)
	if diff := cmp.Diff([]callSummary{{"ListNotebookInstances", 400, ""}}, summarize(srv.Calls())); diff != "" {
		t.Errorf("call log (-want +got):\n%s", diff)
	}
}
