package smdomain_test

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/finegrained/smdomain"
)

// TestMemberWatchSharesLooks onboards 150 users, each Pending for 5 s
// (scaleSettle), with the Client's default concurrency of 4: the waits
// share their looks (one listing sees them all), and a member waiting
// gives its place to the next write, so the cohort takes about as long as
// its writes, not 150/4 times a member's settling.
func TestMemberWatchSharesLooks(t *testing.T) {
	const n = 150
	s := newScaleEnv(t)
	spec := mustSpec(t, "scale", seedOptions(scaleProfiles(t, n, false)...)...)
	s.em.ResetCalls()
	start := s.clk.Now()
	res, err := s.newClient().Ensure(context.Background(), spec)
	if err != nil {
		t.Fatalf("Ensure: %v", err)
	}
	if got := countActions(res.Members, smdomain.ActionCreated); got != n {
		t.Fatalf("%d created, want %d", got, n)
	}
	ph := phases(s.em.Calls())
	looks := 0
	for _, op := range []string{"DescribeUserProfile", "ListUserProfiles"} {
		if ph[op] != nil {
			looks += ph[op].taken
		}
	}
	t.Logf("%d looks for %d members, in %v of virtual time", looks, n, s.clk.Now().Sub(start))
	// A look of its own for each member would be at least 150, and 450
	// with the schedule's polls at 0, 2 and 6 s.
	if looks > n/3 {
		t.Errorf("%d DescribeUserProfile and ListUserProfiles calls for %d members, want at most %d", looks, n, n/3)
	}
	// 150 writes of 100 ms, 4 at a time, take under 4 s; the last member
	// settles 5 s later and is seen within a round or two of 2 s. Holding
	// their places while Pending, members would take 150/4 × 5 s.
	if took := s.clk.Now().Sub(start); took > 20*time.Second {
		t.Errorf("the cohort took %v of virtual time, want under 20 s", took)
	}
}

// TestMemberWatchFailureDuringWait: a profile that fails while it is
// waited for is a *StatusError with the service's FailureReason (which
// only its Describe call reports: the listing that saw it has none).
func TestMemberWatchFailureDuringWait(t *testing.T) {
	s := newScaleEnv(t)
	spec := mustSpec(t, "scale", seedOptions(scaleProfiles(t, 3, false)...)...)
	done := make(chan error, 1)
	go func() {
		_, err := s.newClient().Ensure(context.Background(), spec)
		done <- err
	}()
	// The profiles exist 1 s in (the domain's lookup and the plan's reads
	// take under a second at 100 ms each); they settle at 5 s.
	if err := s.clk.Sleep(context.Background(), 3*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := s.em.SetUserProfileStatus(s.id, "user-001", "Failed", "role not assumable"); err != nil {
		t.Fatal(err)
	}
	err := <-done
	var se *smdomain.StatusError
	if !errors.As(err, &se) {
		t.Fatalf("Ensure: %v, want a *StatusError", err)
	}
	want := smdomain.StatusError{DomainID: s.id, Kind: "user profile", Name: "user-001", Status: "Failed", FailureReason: "role not assumable"}
	if diff := cmp.Diff(want, *se); diff != "" {
		t.Errorf("StatusError (-want +got):\n%s", diff)
	}
}

// TestMemberWatchCancelLeavesNothing cancels an Ensure while its members
// are Pending: it returns the context's error, and the watch's goroutine
// ends with the last waiter.
func TestMemberWatchCancelLeavesNothing(t *testing.T) {
	s := newScaleEnv(t)
	spec := mustSpec(t, "scale", seedOptions(scaleProfiles(t, 8, false)...)...)
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := s.newClient().Ensure(ctx, spec)
		done <- err
	}()
	if err := s.clk.Sleep(context.Background(), 3*time.Second); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Ensure: %v, want context.Canceled", err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines, %d before the Ensure:\n%s", n, before, buf[:runtime.Stack(buf, true)])
	}
}
