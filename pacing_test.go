package smdomain_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/finegrained/smdomain"
	"github.com/finegrained/smdomain/smdomaintest"
)

// newLimitedEnv is newInstantEnv with the emulator's rate limits.
func newLimitedEnv(t testing.TB, limits ...smdomaintest.Option) *env {
	t.Helper()
	clk := smdomaintest.NewFakeClock(benchEpoch)
	srv := smdomaintest.NewServer(append([]smdomaintest.Option{smdomaintest.WithClock(clk), smdomaintest.WithDomainQuota(0)}, limits...)...)
	t.Cleanup(srv.Close)
	return &env{srv: srv, clk: clk, client: smdomain.NewFromConfig(srv.AWSConfig(), smdomain.WithClock(clk))}
}

// accepted counts op's calls that were not throttled, and those that were.
func (e *env) accepted(op string) (ok, throttled int) {
	return acceptedIn(e.srv.Calls(), op)
}

// acceptedIn is accepted over a call log.
func acceptedIn(calls []smdomaintest.Call, op string) (ok, throttled int) {
	for _, c := range calls {
		if c.Operation != op {
			continue
		}
		if c.Fault == "ratelimit" || c.Fault == "throttle" {
			throttled++
		} else {
			ok++
		}
	}
	return ok, throttled
}

// TestPacingThrottledCohortConverges onboards 40 users against a service
// that takes 2 CreateUserProfile a second: the throttles slow the Client
// down and fail nothing; every profile is created with one accepted
// CreateUserProfile; the Client reports what it learnt.
func TestPacingThrottledCohortConverges(t *testing.T) {
	e := newLimitedEnv(t, smdomaintest.WithOperationRateLimit("CreateUserProfile", 2, 1))
	spec := cohort(t, "paced", 40, userRole)
	var last smdomain.Progress
	var log bytes.Buffer
	c := e.newClient(smdomain.WithConcurrency(8), smdomain.WithLogger(slog.New(slog.NewTextHandler(&log, nil))),
		smdomain.WithProgress(func(p smdomain.Progress) {
			if p.Doing == "user profiles" {
				last = p
			}
		}))
	res, err := c.Ensure(context.Background(), spec)
	if err != nil {
		t.Fatalf("Ensure: %v", err)
	}
	if n := len(res.Members); n != 60 {
		t.Errorf("%d members in the result, want 40 profiles and 20 spaces", n)
	}
	ok, throttled := e.accepted("CreateUserProfile")
	if ok != 40 {
		t.Errorf("%d CreateUserProfile accepted, want exactly one for each of the 40", ok)
	}
	if throttled == 0 {
		t.Fatalf("no CreateUserProfile was throttled: the test does not test pacing")
	}
	var pace smdomain.PaceStats
	for _, s := range c.Pace() {
		if s.Operation == "CreateUserProfile" {
			pace = s
		}
	}
	if pace.Accepted != 40 || pace.Throttled != throttled || pace.Rate <= 0 || pace.Rate > 2.5 {
		t.Errorf("Pace: %+v, want 40 accepted, %d throttled and a rate near 2/s", pace, throttled)
	}
	if last.Done != 40 || last.Total != 40 || last.Rate <= 0 {
		t.Errorf("last progress %+v, want 40 of 40 at some rate", last)
	}
	for _, want := range []string{`msg=progress doing="user profiles" done=4 total=40`, `msg=progress doing="user profiles" done=40 total=40`} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("the log lacks %q:\n%s", want, log.String())
		}
	}
	if again := mustEnsure(t, e.newClient(), spec); again.Action != smdomain.ActionUnchanged {
		t.Errorf("second Ensure: %q, want unchanged", again.Action)
	}
}

// TestPacingLearnsOnlyFromThrottles: a Client that is never throttled
// counts its calls and paces none of them.
func TestPacingLearnsOnlyFromThrottles(t *testing.T) {
	e := newInstantEnv(t)
	mustEnsure(t, e.client, cohort(t, "unpaced", 10, userRole))
	stats := e.client.Pace()
	if len(stats) == 0 {
		t.Fatal("Pace reports no operation after an Ensure")
	}
	for _, s := range stats {
		if s.Rate != 0 || s.Throttled != 0 || s.Accepted == 0 {
			t.Errorf("%+v, want calls counted and no pace without a throttle", s)
		}
	}
	if ok, _ := e.accepted("CreateUserProfile"); stats[0].Operation != "CreateDomain" || ok != 10 {
		t.Errorf("Pace %+v; %d CreateUserProfile: want operations in name order and 10 profiles", stats, ok)
	}
}

// TestPacingCascadeUnderLimit deletes a domain with 12 users, a space and
// an app each, while DeleteApp, DeleteSpace and DeleteUserProfile are
// limited to 1 a second: nothing fails, each resident is deleted with one
// accepted call.
func TestPacingCascadeUnderLimit(t *testing.T) {
	e := newLimitedEnv(t,
		smdomaintest.WithOperationRateLimit("DeleteApp", 1, 1),
		smdomaintest.WithOperationRateLimit("DeleteSpace", 1, 1),
		smdomaintest.WithOperationRateLimit("DeleteUserProfile", 1, 1))
	spec := cohort(t, "cascade", 12, userRole)
	id := mustEnsure(t, e.client, spec).Domain.ID
	for i := range 12 {
		mustCreateApp(t, e, id, fmt.Sprintf("user-%03d", i))
	}
	var doing []string
	c := e.newClient(smdomain.WithProgress(func(p smdomain.Progress) {
		if p.Done == p.Total {
			doing = append(doing, fmt.Sprintf("%s %d", p.Doing, p.Total))
		}
	}))
	if _, err := c.Delete(context.Background(), smdomain.ByID(id), smdomain.WithCascade()); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	for op, want := range map[string]int{"DeleteApp": 12, "DeleteSpace": 6, "DeleteUserProfile": 12} {
		if ok, _ := e.accepted(op); ok != want {
			t.Errorf("%s accepted %d times, want %d", op, ok, want)
		}
	}
	want := fmt.Sprint([]string{"deleting apps 12", "deleting spaces 6", "deleting user profiles 12"})
	if got := fmt.Sprint(doing); got != want {
		t.Errorf("finished batches %s, want %s", got, want)
	}
}

// mustCreateApp starts the user's JupyterServer app through the SDK.
func mustCreateApp(t testing.TB, e *env, domainID, user string) {
	t.Helper()
	sm := sagemaker.NewFromConfig(e.srv.AWSConfig())
	if _, err := sm.CreateApp(context.Background(), &sagemaker.CreateAppInput{DomainId: aws.String(domainID),
		UserProfileName: aws.String(user), AppType: types.AppTypeJupyterServer, AppName: aws.String("default")}); err != nil {
		t.Fatal(err)
	}
}

// TestPacingHoldsTheLimit is BenchmarkScale at a smaller scale, as a test:
// 100 users onboarded, then their domain cascade-deleted with a private
// space and 2 apps each, against a limit of 5 calls a second on every
// operation (a burst of 5), 100 ms of latency and the Client's defaults,
// in virtual time. Nothing fails, every write goes at 90 % of the limit or
// more, and the calls taken stay at their floor.
func TestPacingHoldsTheLimit(t *testing.T) {
	const n, limit = 100, 5.0
	ctx := context.Background()
	s := newScaleEnv(t)
	spec := mustSpec(t, "scale", seedOptions(scaleProfiles(t, n, true)...)...)
	onboard := mustSpec(t, "scale", seedOptions(scaleProfiles(t, n, false)...)...)
	s.em.SetRateLimit(limit, int(limit))

	s.em.ResetCalls()
	start := s.clk.Now()
	if _, err := s.newClient().Ensure(ctx, onboard); err != nil {
		t.Fatalf("onboard: %v", err)
	}
	r := measureScale(t, s, limit, n, []string{"CreateUserProfile"}, start)
	t.Logf("onboard: %+v", r)
	// Per member its CreateUserProfile and the DescribeUserProfile that
	// sees it InService; then 6 reads for the Ensure (lookup, tags,
	// caller, the listings).
	if r.lowest < 90 || r.callsPer > 2+6.0/n {
		t.Errorf("onboard: %.1f %% of the limit and %.3f calls a member, want >= 90 %% and <= %.3f", r.lowest, r.callsPer, 2+6.0/n)
	}

	s.em.SetRateLimit(0, 0)
	mustEnsure(t, s.client, spec)
	s.startApps(t, n)
	s.em.SetRateLimit(limit, int(limit))
	s.em.ResetCalls()
	start = s.clk.Now()
	res, err := s.newClient().Delete(ctx, smdomain.ByID(s.id), smdomain.WithCascade())
	if err != nil {
		t.Fatalf("cascade: %v", err)
	}
	if len(res.Changes) != 4*n {
		t.Errorf("%d residents deleted, want %d", len(res.Changes), 4*n)
	}
	r = measureScale(t, s, limit, n, []string{"DeleteApp", "DeleteSpace", "DeleteUserProfile"}, start)
	t.Logf("cascade: %+v", r)
	if r.lowest < 90 {
		t.Errorf("cascade: %v of the limit, want each >= 90 %%", r.percent)
	}
}

// TestPacingHonoursCancellation cancels an Ensure while its writes wait
// their turn at a slow pace (the service takes one CreateUserProfile in 20
// seconds): it returns the context's error at once, not at its next turn.
func TestPacingHonoursCancellation(t *testing.T) {
	s := newScaleEnv(t)
	s.em.SetOperationRateLimit("CreateUserProfile", 0.05, 1)
	spec := mustSpec(t, "scale", seedOptions(scaleProfiles(t, 10, false)...)...)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := s.newClient().Ensure(ctx, spec)
		done <- err
	}()
	if err := s.clk.Sleep(context.Background(), time.Minute); err != nil {
		t.Fatal(err)
	}
	at := s.clk.Now()
	cancel()
	err := <-done
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Ensure: %v, want context.Canceled", err)
	}
	if waited := s.clk.Now().Sub(at); waited > time.Second {
		t.Errorf("Ensure returned %v after the cancel, want at once", waited)
	}
	if ok, _ := acceptedIn(s.em.Calls(), "CreateUserProfile"); ok >= 10 {
		t.Errorf("%d profiles created in a minute at one in 20 s", ok)
	}
}
