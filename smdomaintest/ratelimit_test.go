package smdomaintest_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/finegrained/smdomain/smdomaintest"
	"github.com/google/go-cmp/cmp"
)

// outcomes makes n calls with call, each one attempt, and returns the
// error code of each ("" for success).
func outcomes(n int, call func() error) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = apiCode(call())
	}
	return out
}

// codes returns n copies of code.
func codes(n int, code string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = code
	}
	return out
}

// listDomains is one ListDomains call of one attempt.
func listDomains(c *sagemaker.Client) func() error {
	return func() error {
		_, err := c.ListDomains(context.Background(), &sagemaker.ListDomainsInput{}, noRetry)
		return err
	}
}

// TestRateLimitBurstThenRate makes calls in one virtual instant and after
// whole intervals, through the SDK: the bucket lets burst calls through at
// once, then one a 1/rate seconds, and never holds more than burst.
func TestRateLimitBurstThenRate(t *testing.T) {
	const rate, burst = 2.0, 3
	srv, c, clock := newTest(t, smdomaintest.WithRateLimit(rate, burst))
	interval := time.Duration(float64(time.Second) / rate)
	list := listDomains(c)

	want := append(codes(burst, ""), codes(4, "ThrottlingException")...)
	if diff := cmp.Diff(want, outcomes(burst+4, list)); diff != "" {
		t.Errorf("%d calls in one instant (-want +got):\n%s", burst+4, diff)
	}
	clock.Advance(interval - time.Nanosecond)
	if got := apiCode(list()); got != "ThrottlingException" {
		t.Errorf("a nanosecond short of an interval: %q, want ThrottlingException", got)
	}
	clock.Advance(time.Nanosecond)
	if diff := cmp.Diff([]string{"", "ThrottlingException"}, outcomes(2, list)); diff != "" {
		t.Errorf("after one interval (-want +got):\n%s", diff)
	}
	clock.Advance(time.Hour) // far longer than it takes to fill the bucket
	want = append(codes(burst, ""), "ThrottlingException")
	if diff := cmp.Diff(want, outcomes(burst+1, list)); diff != "" {
		t.Errorf("after an hour (-want +got):\n%s", diff)
	}

	refused := 0
	for i, s := range summarize(srv.Calls()) {
		if s.Fault == "" {
			continue
		}
		refused++
		if s != (callSummary{"ListDomains", http.StatusBadRequest, "ratelimit"}) {
			t.Errorf("call %d logged as %+v, want ListDomains 400 ratelimit", i, s)
		}
	}
	if want := 4 + 1 + 1 + 1; refused != want {
		t.Errorf("%d calls logged as refused, want %d", refused, want)
	}
}

// TestRateLimitFractionalRate: a rate that is not a whole number of
// tokens a second, below one and above, refills at 1/rate seconds rounded
// down to the nanosecond.
func TestRateLimitFractionalRate(t *testing.T) {
	for _, rate := range []float64{0.5, 3, 7.5} {
		_, c, clock := newTest(t, smdomaintest.WithRateLimit(rate, 1))
		interval := time.Duration(float64(time.Second) / rate)
		list := listDomains(c)
		for i := range 5 {
			if diff := cmp.Diff([]string{"", "ThrottlingException"}, outcomes(2, list)); diff != "" {
				t.Errorf("rate %v, interval %d (-want +got):\n%s", rate, i, diff)
			}
			clock.Advance(interval)
		}
	}
}

// TestRateLimitPerOperation: each operation has its own bucket, STS's
// GetCallerIdentity included; an operation's own limit replaces the
// common one whatever the order of the options, and a limit of rate 0
// exempts the operation.
func TestRateLimitPerOperation(t *testing.T) {
	srv, c, _ := newTest(t,
		smdomaintest.WithOperationRateLimit("ListUserProfiles", 1, 3),
		smdomaintest.WithRateLimit(1, 1),
		smdomaintest.WithOperationRateLimit("ListSpaces", 0, 0),
	)
	ctx := context.Background()
	id := sts.NewFromConfig(srv.AWSConfig(), func(o *sts.Options) { o.RetryMaxAttempts = 1 })
	calls := map[string]func() error{
		"ListDomains": listDomains(c),
		"ListApps": func() error {
			_, err := c.ListApps(ctx, &sagemaker.ListAppsInput{}, noRetry)
			return err
		},
		"ListUserProfiles": func() error {
			_, err := c.ListUserProfiles(ctx, &sagemaker.ListUserProfilesInput{}, noRetry)
			return err
		},
		"ListSpaces": func() error {
			_, err := c.ListSpaces(ctx, &sagemaker.ListSpacesInput{}, noRetry)
			return err
		},
		"GetCallerIdentity": func() error {
			_, err := id.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			return err
		},
	}
	want := map[string][]string{
		"ListDomains":       {"", "ThrottlingException", "ThrottlingException", "ThrottlingException"},
		"ListApps":          {"", "ThrottlingException", "ThrottlingException", "ThrottlingException"},
		"ListUserProfiles":  {"", "", "", "ThrottlingException"},
		"ListSpaces":        {"", "", "", ""},
		"GetCallerIdentity": {"", "Throttling", "Throttling", "Throttling"},
	}
	got := map[string][]string{}
	// Interleaved, so that one operation's calls cannot drain another's
	// bucket unseen.
	for range 4 {
		for op, call := range calls {
			got[op] = append(got[op], apiCode(call()))
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("4 calls of each operation in one instant (-want +got):\n%s", diff)
	}
}

// TestRateLimitRefusalChangesNothing: a refused CreateDomain creates no
// domain and takes no token, and its answer is the service's.
func TestRateLimitRefusalChangesNothing(t *testing.T) {
	srv, c, clock := newTest(t, smdomaintest.WithOperationRateLimit("CreateDomain", 1, 1))
	ctx := context.Background()
	if _, err := c.CreateDomain(ctx, minimalCreate("first"), noRetry); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := c.CreateDomain(ctx, minimalCreate("refused"), noRetry); apiCode(err) != "ThrottlingException" {
			t.Fatalf("CreateDomain over the limit: %v, want ThrottlingException", err)
		}
	}
	if n := len(srv.DomainIDs()); n != 1 {
		t.Errorf("%d domains after refused creates, want 1", n)
	}
	clock.Advance(time.Second) // one token, the refused calls took none
	if _, err := c.CreateDomain(ctx, minimalCreate("second"), noRetry); err != nil {
		t.Errorf("CreateDomain a second later: %v", err)
	}

	raw := smdomaintest.NewEmulator(smdomaintest.WithClock(clock), smdomaintest.WithRateLimit(1, 1))
	fuzzServe(raw, "SageMaker.ListDomains", jsonType, []byte(`{}`))
	w := fuzzServe(raw, "SageMaker.ListDomains", jsonType, []byte(`{}`))
	if got, want := w.Body.String(), `{"Message":"Rate exceeded","__type":"ThrottlingException"}`; w.Code != http.StatusBadRequest || got != want {
		t.Errorf("refusal: HTTP %d %s, want 400 %s", w.Code, got, want)
	}
}

// TestRateLimitBeforeFaults: the rate limit is met first. A call it
// refuses leaves an armed fault armed; a call it admits takes a token
// even when an armed fault then fails it.
func TestRateLimitBeforeFaults(t *testing.T) {
	srv, c, clock := newTest(t, smdomaintest.WithRateLimit(1, 1))
	list := listDomains(c)
	got := []string{apiCode(list())}
	srv.Fail("ListDomains", 1)
	got = append(got, apiCode(list())) // refused: the failure stays armed
	clock.Advance(time.Second)
	got = append(got, outcomes(2, list)...) // the failure, which took the token; refused
	clock.Advance(time.Second)
	got = append(got, apiCode(list()))
	if diff := cmp.Diff([]string{"", "ThrottlingException", "InternalFailure", "ThrottlingException", ""}, got); diff != "" {
		t.Errorf("outcomes (-want +got):\n%s", diff)
	}
	want := []callSummary{
		{"ListDomains", 200, ""}, {"ListDomains", 400, "ratelimit"},
		{"ListDomains", 500, "fail"}, {"ListDomains", 400, "ratelimit"},
		{"ListDomains", 200, ""},
	}
	if diff := cmp.Diff(want, summarize(srv.Calls())); diff != "" {
		t.Errorf("call log (-want +got):\n%s", diff)
	}
}

// TestRateLimitPacedClient: a client that sleeps on the shared fake clock
// for an interval whenever it is throttled gets every call through, and
// the virtual time it takes is what the rate allows, in no real time.
func TestRateLimitPacedClient(t *testing.T) {
	const rate, burst, calls = 5.0, 2, 50
	_, c, clock := newTest(t, smdomaintest.WithRateLimit(rate, burst))
	interval := time.Duration(float64(time.Second) / rate)
	start := clock.Now()
	ctx := context.Background()
	throttled := 0
	for range calls {
		for {
			_, err := c.ListDomains(ctx, &sagemaker.ListDomainsInput{MaxResults: aws.Int32(1)}, noRetry)
			if err == nil {
				break
			}
			if apiCode(err) != "ThrottlingException" {
				t.Fatal(err)
			}
			throttled++
			if err := clock.Sleep(ctx, interval); err != nil {
				t.Fatal(err)
			}
		}
	}
	if got, want := clock.Now().Sub(start), time.Duration(calls-burst)*interval; got != want {
		t.Errorf("%d calls took %v of virtual time, want %v", calls, got, want)
	}
	if throttled != calls-burst {
		t.Errorf("%d throttled, want %d", throttled, calls-burst)
	}
}

// TestRateLimitCostFlat: the limiter keeps no history, so a refused call
// costs the same allocations on average over its first thousand calls as
// over a thousand calls after ten thousand more. (The call log keeps one
// call, so that its growth is not counted; averaging over a thousand
// hides the allocations sync.Pool makes now and then.)
func TestRateLimitCostFlat(t *testing.T) {
	e := smdomaintest.NewEmulator(smdomaintest.WithClock(smdomaintest.NewFakeClock(epoch0)),
		smdomaintest.WithRateLimit(1, 1), smdomaintest.WithCallLogCapacity(1))
	body := []byte(`{}`)
	serve := func() { fuzzServe(e, "SageMaker.ListDomains", jsonType, body) }
	early := testing.AllocsPerRun(1000, serve)
	for range 10000 {
		serve()
	}
	if late := testing.AllocsPerRun(1000, serve); late != early {
		t.Errorf("a refused call allocates %v times after 10,000 calls, %v at first", late, early)
	}
}

// TestRateLimitConcurrent: calls racing in one virtual instant get
// exactly burst tokens between them.
func TestRateLimitConcurrent(t *testing.T) {
	const burst, calls = 5, 40
	_, c, _ := newTest(t, smdomaintest.WithRateLimit(1, burst))
	results := make(chan string, calls)
	var wg sync.WaitGroup
	for range calls {
		wg.Go(func() { results <- apiCode(listDomains(c)()) })
	}
	wg.Wait()
	close(results)
	got := map[string]int{}
	for code := range results {
		got[code]++
	}
	if diff := cmp.Diff(map[string]int{"": burst, "ThrottlingException": calls - burst}, got); diff != "" {
		t.Errorf("outcomes of %d racing calls (-want +got):\n%s", calls, diff)
	}
}
