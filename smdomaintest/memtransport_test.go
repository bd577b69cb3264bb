package smdomaintest_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/finegrained/smdomain/smdomaintest"
)

// newInMemory returns an emulator on a fake clock, configured by opts,
// and a SageMaker client that reaches it in memory.
func newInMemory(t *testing.T, opts ...smdomaintest.Option) (*smdomaintest.Emulator, *sagemaker.Client, *smdomaintest.FakeClock) {
	t.Helper()
	clock := smdomaintest.NewFakeClock(epoch0)
	e := smdomaintest.NewEmulator(append([]smdomaintest.Option{smdomaintest.WithClock(clock)}, opts...)...)
	return e, sagemaker.NewFromConfig(e.InMemoryAWSConfig()), clock
}

func TestInMemoryCreateAndDescribe(t *testing.T) {
	e, c, _ := newInMemory(t)
	created := mustCreate(t, c, minimalCreate("in-memory"))
	got := mustDescribe(t, c, aws.ToString(created.DomainId))
	if aws.ToString(got.DomainName) != "in-memory" || got.Status != types.DomainStatusInService ||
		aws.ToString(got.DomainArn) != aws.ToString(created.DomainArn) {
		t.Errorf("DescribeDomain = name %q, status %q, ARN %q; want in-memory, InService, %q",
			aws.ToString(got.DomainName), got.Status, aws.ToString(got.DomainArn), aws.ToString(created.DomainArn))
	}
	if want := "https://" + aws.ToString(created.DomainId) + ".studio." + smdomaintest.Region + ".sagemaker.aws"; aws.ToString(got.Url) != want {
		t.Errorf("Url = %q, want %q", aws.ToString(got.Url), want)
	}
	id, err := sts.NewFromConfig(e.InMemoryAWSConfig()).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil || aws.ToString(id.Account) != smdomaintest.DefaultAccount {
		t.Errorf("GetCallerIdentity = %v, %v; want account %s", id, err, smdomaintest.DefaultAccount)
	}
	calls := e.Calls()
	if len(calls) != 3 {
		t.Fatalf("%d calls logged, want 3", len(calls))
	}
	for i, op := range []string{"CreateDomain", "DescribeDomain", "GetCallerIdentity"} {
		if calls[i].Operation != op || calls[i].StatusCode != http.StatusOK || calls[i].RequestBytes == 0 {
			t.Errorf("call %d = %s, HTTP %d, %d bytes; want %s, 200, a body", i, calls[i].Operation, calls[i].StatusCode, calls[i].RequestBytes, op)
		}
	}
}

func TestInMemoryThrottled(t *testing.T) {
	e, c, _ := newInMemory(t)
	e.Throttle("ListDomains", 5)
	_, err := c.ListDomains(context.Background(), &sagemaker.ListDomainsInput{})
	if apiCode(err) != "ThrottlingException" {
		t.Errorf("ListDomains = %v, want ThrottlingException", err)
	}
	if n := len(e.Calls()); n != 3 {
		t.Errorf("%d calls logged, want the SDK's 3 attempts", n)
	}
}

// rawInMemory sends a request through the in-memory transport's HTTP
// client, without the SDK, and returns the response with its body read.
func rawInMemory(t *testing.T, e *smdomaintest.Emulator, method, target, body, auth string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, smdomaintest.InMemoryURL+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", target)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := e.InMemoryAWSConfig().HTTPClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// TestInMemoryRawHTTP checks what the transport carries: the request's
// method, headers and body, and the response's status, headers and body.
func TestInMemoryRawHTTP(t *testing.T) {
	e, _, _ := newInMemory(t, smdomaintest.WithMaxBodyBytes(64))
	auth := fakeAuth(smdomaintest.Region, "sagemaker")

	resp, body := rawInMemory(t, e, http.MethodPost, "SageMaker.ListDomains", `{"MaxResults":5}`, auth)
	var list struct{ Domains []any }
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &list) != nil || list.Domains == nil {
		t.Errorf("ListDomains: HTTP %d %s, want 200 with a Domains list", resp.StatusCode, body)
	}
	if got := resp.Header.Get("Content-Type"); got != jsonType {
		t.Errorf("Content-Type = %q, want %q", got, jsonType)
	}
	if resp.Header.Get("X-Amzn-Requestid") == "" || resp.ContentLength != int64(len(body)) {
		t.Errorf("request ID %q, Content-Length %d for %d bytes", resp.Header.Get("X-Amzn-Requestid"), resp.ContentLength, len(body))
	}
	if calls := e.Calls(); len(calls) != 1 || string(calls[0].Body) != `{"MaxResults":5}` {
		t.Errorf("call log = %+v, want the one ListDomains with its body", calls)
	}

	resp, body = rawInMemory(t, e, http.MethodPost, "SageMaker.ListDomains", `{}`, "")
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "MissingAuthenticationTokenException") {
		t.Errorf("unauthenticated: HTTP %d %s, want 400 MissingAuthenticationTokenException", resp.StatusCode, body)
	}
	if resp, _ = rawInMemory(t, e, http.MethodGet, "SageMaker.ListDomains", "", auth); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: HTTP %d, want 405", resp.StatusCode)
	}
	resp, _ = rawInMemory(t, e, http.MethodPost, "SageMaker.ListDomains", `{"MaxResults":5,"NextToken":"`+strings.Repeat("x", 100)+`"}`, auth)
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !resp.Close {
		t.Errorf("oversized body: HTTP %d, Close %v; want 413 and the connection closed", resp.StatusCode, resp.Close)
	}
}

func TestInMemoryContextDone(t *testing.T) {
	e, c, _ := newInMemory(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.ListDomains(ctx, &sagemaker.ListDomainsInput{}); !errors.Is(err, context.Canceled) {
		t.Errorf("ListDomains with a canceled context = %v, want context.Canceled", err)
	}
	if n := len(e.Calls()); n != 0 {
		t.Errorf("%d calls logged, want none", n)
	}
}

// TestInMemoryCanceledDuringLatency cancels a call while its answer is
// delayed: the call has taken effect, and fails with the context's error
// when it is canceled, not when the latency is over.
func TestInMemoryCanceledDuringLatency(t *testing.T) {
	clock := smdomaintest.NewVirtualClock(epoch0)
	e := smdomaintest.NewEmulator(smdomaintest.WithClock(clock), smdomaintest.WithLatency(time.Hour))
	c := sagemaker.NewFromConfig(e.InMemoryAWSConfig())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	var err error
	var failedAt time.Time
	wg.Go(func() {
		_, err = c.CreateDomain(ctx, minimalCreate("slow"), noRetry)
		failedAt = clock.Now()
	})
	wg.Go(func() {
		_ = clock.Sleep(context.Background(), time.Second)
		cancel()
	})
	wg.Wait()
	if !errors.Is(err, context.Canceled) {
		t.Errorf("CreateDomain = %v, want context.Canceled", err)
	}
	if want := epoch0.Add(time.Second); !failedAt.Equal(want) {
		t.Errorf("CreateDomain failed at %v, want %v", failedAt, want)
	}
	if n := len(e.DomainIDs()); n != 1 {
		t.Errorf("%d domains, want the one created before the answer was due", n)
	}
}

// TestLatencyOverlaps sends 4 requests at once to an emulator with 100ms
// of latency on a VirtualClock: all are answered 100ms in, not 400ms, and
// each was carried out (and logged) when it arrived.
func TestLatencyOverlaps(t *testing.T) {
	clock := smdomaintest.NewVirtualClock(epoch0)
	const latency = 100 * time.Millisecond
	e := smdomaintest.NewEmulator(smdomaintest.WithClock(clock), smdomaintest.WithLatency(latency))
	c := sagemaker.NewFromConfig(e.InMemoryAWSConfig())
	id := aws.ToString(mustCreate(t, c, minimalCreate("latent")).DomainId)
	start := clock.Now()
	if want := epoch0.Add(latency); !start.Equal(want) {
		t.Errorf("CreateDomain answered at %v, want %v", start, want)
	}
	e.ResetCalls()
	var wg sync.WaitGroup
	answered := make([]time.Time, 4)
	for i := range answered {
		wg.Go(func() {
			mustDescribe(t, c, id)
			answered[i] = clock.Now()
		})
	}
	wg.Wait()
	for i, at := range answered {
		if want := start.Add(latency); !at.Equal(want) {
			t.Errorf("request %d answered at %v, want %v", i, at.Sub(start), latency)
		}
	}
	for _, call := range e.Calls() {
		if !call.Time.Equal(start) {
			t.Errorf("%s logged at %v, want %v: on arrival", call.Operation, call.Time, start)
		}
	}
}

// TestLatencyRateLimitOnArrival checks that a request takes its token when
// it arrives, not when it is answered: of two requests at once under a
// limit of one, one is refused, and both answers take the latency.
func TestLatencyRateLimitOnArrival(t *testing.T) {
	clock := smdomaintest.NewVirtualClock(epoch0)
	e := smdomaintest.NewEmulator(smdomaintest.WithClock(clock), smdomaintest.WithLatency(100*time.Millisecond),
		smdomaintest.WithOperationRateLimit("ListDomains", 1, 1))
	c := sagemaker.NewFromConfig(e.InMemoryAWSConfig())
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Go(func() { _, errs[i] = c.ListDomains(context.Background(), &sagemaker.ListDomainsInput{}, noRetry) })
	}
	wg.Wait()
	throttled := 0
	for _, err := range errs {
		switch {
		case apiCode(err) == "ThrottlingException":
			throttled++
		case err != nil:
			t.Errorf("ListDomains: %v", err)
		}
	}
	if throttled != 1 {
		t.Errorf("%d of 2 concurrent calls throttled, want 1 (%v)", throttled, errs)
	}
	if got, want := clock.Now(), epoch0.Add(100*time.Millisecond); !got.Equal(want) {
		t.Errorf("both answered by %v, want %v", got, want)
	}
}

// TestSetRateLimit changes the limits of a running emulator: from the
// option's limit to none, to a new one with full buckets, one
// operation's own, and back.
func TestSetRateLimit(t *testing.T) {
	e, c, clock := newInMemory(t, smdomaintest.WithRateLimit(1, 1))
	id := sts.NewFromConfig(e.InMemoryAWSConfig(), func(o *sts.Options) { o.RetryMaxAttempts = 1 })
	// calls makes n ListDomains (or GetCallerIdentity) calls and returns
	// how many were throttled.
	calls := func(op string, n int) int {
		t.Helper()
		throttled := 0
		for range n {
			var err error
			if op == "ListDomains" {
				_, err = c.ListDomains(context.Background(), &sagemaker.ListDomainsInput{}, noRetry)
			} else {
				_, err = id.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
			}
			switch code := apiCode(err); {
			case code == "ThrottlingException" || code == "Throttling":
				throttled++
			case err != nil:
				t.Fatalf("%s: %v", op, err)
			}
		}
		return throttled
	}
	check := func(step, op string, n, want int) {
		t.Helper()
		if got := calls(op, n); got != want {
			t.Errorf("%s: %d of %d %s calls throttled, want %d", step, got, n, op, want)
		}
	}
	check("WithRateLimit(1, 1)", "ListDomains", 2, 1)
	e.SetRateLimit(0, 0)
	check("SetRateLimit(0, 0)", "ListDomains", 5, 0)
	e.SetRateLimit(1, 2)
	check("SetRateLimit(1, 2)", "ListDomains", 3, 1)
	check("SetRateLimit(1, 2)", "GetCallerIdentity", 3, 1)
	e.SetOperationRateLimit("ListDomains", 0, 0)
	check("ListDomains exempt", "ListDomains", 5, 0)
	check("ListDomains exempt, GetCallerIdentity's bucket untouched", "GetCallerIdentity", 1, 1)
	e.SetRateLimit(1, 2)
	check("SetRateLimit again: buckets full", "GetCallerIdentity", 3, 1)
	check("SetRateLimit again: ListDomains still exempt", "ListDomains", 5, 0)
	e.SetOperationRateLimit("ListDomains", 1, 1)
	check("ListDomains' own limit", "ListDomains", 2, 1)
	clock.Advance(time.Second)
	check("a second later", "ListDomains", 2, 1)
}
