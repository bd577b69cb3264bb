package smdomain_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/aws/smithy-go"
	"github.com/finegrained/smdomain"
	"github.com/finegrained/smdomain/internal/backoff"
	"github.com/finegrained/smdomain/smdomaintest"
	"github.com/google/go-cmp/cmp"
)

// waitEnv is an emulator on a fake clock with a real SDK client pointed at
// it, and one domain created at the current virtual time.
type waitEnv struct {
	srv     *smdomaintest.Server
	clk     *smdomaintest.FakeClock
	sm      *sagemaker.Client
	id      string
	created time.Time
	in      *sagemaker.DescribeDomainInput
}

func newWaitEnv(t testing.TB, opts ...smdomaintest.Option) *waitEnv {
	t.Helper()
	clk := smdomaintest.NewFakeClock(time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC))
	srv := smdomaintest.NewServer(append([]smdomaintest.Option{smdomaintest.WithClock(clk)}, opts...)...)
	t.Cleanup(srv.Close)
	sm := sagemaker.NewFromConfig(srv.AWSConfig())
	created := clk.Now()
	out, err := sm.CreateDomain(context.Background(), &sagemaker.CreateDomainInput{
		DomainName:          aws.String("waiter-test"),
		AuthMode:            types.AuthModeIam,
		DefaultUserSettings: &types.UserSettings{ExecutionRole: aws.String(testRole)},
	})
	if err != nil {
		t.Fatalf("CreateDomain: %v", err)
	}
	id := aws.ToString(out.DomainId)
	return &waitEnv{srv: srv, clk: clk, sm: sm, id: id, created: created,
		in: &sagemaker.DescribeDomainInput{DomainId: aws.String(id)}}
}

// polls returns the virtual times, relative to the domain's creation, of
// the DescribeDomain calls the emulator received.
func (e *waitEnv) polls() []time.Duration {
	var out []time.Duration
	for _, c := range e.srv.Calls() {
		if c.Operation == "DescribeDomain" {
			out = append(out, c.Time.Sub(e.created))
		}
	}
	return out
}

// inService returns waiter options that use the env's clock.
func (e *waitEnv) inService(more ...func(*smdomain.DomainInServiceWaiterOptions)) []func(*smdomain.DomainInServiceWaiterOptions) {
	return append([]func(*smdomain.DomainInServiceWaiterOptions){
		func(o *smdomain.DomainInServiceWaiterOptions) { o.Clock = e.clk },
	}, more...)
}

func (e *waitEnv) deleted(more ...func(*smdomain.DomainDeletedWaiterOptions)) []func(*smdomain.DomainDeletedWaiterOptions) {
	return append([]func(*smdomain.DomainDeletedWaiterOptions){
		func(o *smdomain.DomainDeletedWaiterOptions) { o.Clock = e.clk },
	}, more...)
}

func fixedJitter(r float64) func(*smdomain.DomainInServiceWaiterOptions) {
	return func(o *smdomain.DomainInServiceWaiterOptions) { o.Jitter = func() float64 { return r } }
}

// terraformPolls returns how many polls Terraform's domain waiter makes for
// a transition of t (first poll at once, then 0.2 s doubling to a 10 s cap,
// counting the poll that sees the change) and how late that poll is.
func terraformPolls(t time.Duration) (polls int, late time.Duration) {
	at, gap := time.Duration(0), 200*time.Millisecond
	polls = 1
	for at < t {
		at += gap
		polls++
		gap = min(2*gap, 10*time.Second)
	}
	return polls, at - t
}

var transitions = []time.Duration{30 * time.Second, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 20 * time.Minute}

// TestWaiterDefaultScheduleFigures waits with the default delays through
// transitions of 30 s to 20 min, and checks that the change is seen within
// 10 s and with no more polls than Terraform's schedule makes. The jitter
// is pinned at its shortest (most polls), at its longest, and left random.
// The shortest-jitter figures are the ones DefaultWaitMinDelay documents.
func TestWaiterDefaultScheduleFigures(t *testing.T) {
	documented := map[time.Duration]int{ // polls with the shortest jitter
		30 * time.Second: 6, 2 * time.Minute: 15, 5 * time.Minute: 34, 10 * time.Minute: 64, 20 * time.Minute: 126,
	}
	jitters := []struct {
		name string
		opt  func(*smdomain.DomainInServiceWaiterOptions)
	}{
		{"shortest", fixedJitter(0)},
		{"longest", fixedJitter(0.999999)},
		{"random", func(*smdomain.DomainInServiceWaiterOptions) {}},
	}
	for _, transition := range transitions {
		tfPolls, tfLate := terraformPolls(transition)
		for _, j := range jitters {
			t.Run(fmt.Sprintf("%v/%s", transition, j.name), func(t *testing.T) {
				e := newWaitEnv(t, smdomaintest.WithCreateDelay(transition))
				w := smdomain.NewDomainInServiceWaiter(e.sm, e.inService(j.opt)...)
				out, err := w.WaitForOutput(context.Background(), e.in, time.Hour)
				if err != nil {
					t.Fatalf("WaitForOutput: %v", err)
				}
				if out.Status != types.DomainStatusInService {
					t.Errorf("Status = %s, want InService", out.Status)
				}
				polls := len(e.polls())
				late := e.clk.Now().Sub(e.created.Add(transition))
				t.Logf("transition %v: %d polls, seen %v late (Terraform: %d polls, %v late)", transition, polls, late, tfPolls, tfLate)
				if late < 0 || late > 10*time.Second {
					t.Errorf("InService seen %v after it happened, want within 10s", late)
				}
				if polls > tfPolls {
					t.Errorf("%d polls, more than Terraform's %d", polls, tfPolls)
				}
				if want := documented[transition]; j.name == "shortest" && polls != want {
					t.Errorf("%d polls, documented %d", polls, want)
				}
			})
		}
	}
}

// TestWaiterDefaultsNoMorePollsThanTerraform checks the default schedule
// against Terraform's for every transition from 30 s to 20 min in 100 ms
// steps, with the shortest jitter throughout (each delay at its shortest
// makes every poll as early as it can be, hence the most polls), and that
// no gap between polls exceeds 10 s. Pure arithmetic over internal/backoff.
func TestWaiterDefaultsNoMorePollsThanTerraform(t *testing.T) {
	var times []time.Duration // poll times of the default schedule, shortest jitter
	at := time.Duration(0)
	for attempt := 1; at < 21*time.Minute; attempt++ {
		times = append(times, at)
		d := backoff.Delay(attempt, smdomain.DefaultWaitMinDelay, smdomain.DefaultWaitMaxDelay, time.Hour, 0)
		if d > 10*time.Second || d < smdomain.DefaultWaitMinDelay {
			t.Fatalf("delay %v after attempt %d, want within [%v, 10s]", d, attempt, smdomain.DefaultWaitMinDelay)
		}
		at += d
	}
	for tr := 30 * time.Second; tr <= 20*time.Minute; tr += 100 * time.Millisecond {
		polls := 1
		for polls < len(times) && times[polls-1] < tr {
			polls++
		}
		if tf, _ := terraformPolls(tr); polls > tf {
			t.Fatalf("transition %v: %d polls, Terraform %d", tr, polls, tf)
		}
	}
}

func TestWaiterProgressOncePerPoll(t *testing.T) {
	e := newWaitEnv(t, smdomaintest.WithCreateDelay(time.Minute))
	var got []smdomain.WaitProgress
	w := smdomain.NewDomainInServiceWaiter(e.sm, e.inService(func(o *smdomain.DomainInServiceWaiterOptions) {
		o.Progress = func(p smdomain.WaitProgress) { got = append(got, p) }
	})...)
	if err := w.Wait(context.Background(), e.in, time.Hour); err != nil {
		t.Fatalf("Wait: %v", err)
	}
	polls := e.polls()
	var want []smdomain.WaitProgress
	for i, at := range polls {
		status := "Pending"
		if i == len(polls)-1 {
			status = "InService"
		}
		want = append(want, smdomain.WaitProgress{DomainID: e.id, Kind: "domain", Status: status, Attempt: i + 1, Elapsed: at})
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("progress (-want +got):\n%s", diff)
	}
}

func TestWaiterTerminalStatus(t *testing.T) {
	tests := []struct {
		status, reason string
		afterPolls     int // the status is set after this many polls
	}{
		{"Failed", "The VPC has no route to the internet", 0},
		{"Failed", "", 3},
		{"Update_Failed", "Subnet subnet-0abc is in use", 0},
		{"Update_Failed", "Security group limit exceeded", 2},
		{"Delete_Failed", "Apps are still running", 0},
		{"Deleting", "", 1},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s after %d polls", tt.status, tt.afterPolls), func(t *testing.T) {
			e := newWaitEnv(t, smdomaintest.WithCreateDelay(time.Hour), smdomaintest.WithDeleteDelay(time.Hour))
			set := func() {
				if err := e.srv.SetDomainStatus(e.id, tt.status, tt.reason); err != nil {
					t.Fatal(err)
				}
			}
			if tt.afterPolls == 0 {
				set()
			}
			w := smdomain.NewDomainInServiceWaiter(e.sm, e.inService(func(o *smdomain.DomainInServiceWaiterOptions) {
				o.Progress = func(p smdomain.WaitProgress) {
					if p.Attempt == tt.afterPolls {
						set()
					}
				}
			})...)
			err := w.Wait(context.Background(), e.in, time.Hour)
			var se *smdomain.StatusError
			if !errors.As(err, &se) {
				t.Fatalf("Wait = %v, want *StatusError", err)
			}
			want := &smdomain.StatusError{DomainID: e.id, Kind: "domain", Status: tt.status, FailureReason: tt.reason}
			if diff := cmp.Diff(want, se); diff != "" {
				t.Errorf("StatusError (-want +got):\n%s", diff)
			}
			if got, want := len(e.polls()), tt.afterPolls+1; got != want {
				t.Errorf("%d polls, want %d: a terminal status ends the wait at once", got, want)
			}
		})
	}
}

func TestWaiterTimeout(t *testing.T) {
	e := newWaitEnv(t, smdomaintest.WithCreateDelay(time.Hour))
	w := smdomain.NewDomainInServiceWaiter(e.sm, e.inService()...)
	const maxWait = 5 * time.Minute
	err := w.Wait(context.Background(), e.in, maxWait)
	if !errors.Is(err, smdomain.ErrWaitTimeout) {
		t.Fatalf("Wait = %v, want ErrWaitTimeout", err)
	}
	t.Logf("timeout error: %v", err)
	polls := e.polls()
	if last := polls[len(polls)-1]; last != maxWait {
		t.Errorf("last poll at %v, want at the deadline %v", last, maxWait)
	}
	if got := e.clk.Now().Sub(e.created); got != maxWait {
		t.Errorf("waited %v, want %v", got, maxWait)
	}
}

func TestWaiterContextCancelled(t *testing.T) {
	t.Run("fake clock, mid-wait", func(t *testing.T) {
		e := newWaitEnv(t, smdomaintest.WithCreateDelay(time.Hour))
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		w := smdomain.NewDomainInServiceWaiter(e.sm, e.inService(func(o *smdomain.DomainInServiceWaiterOptions) {
			o.Progress = func(p smdomain.WaitProgress) {
				if p.Attempt == 3 {
					cancel()
				}
			}
		})...)
		err := w.Wait(ctx, e.in, time.Hour)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Wait = %v, want context.Canceled", err)
		}
		if got := len(e.polls()); got != 3 {
			t.Errorf("%d polls, want 3", got)
		}
	})
	t.Run("already cancelled", func(t *testing.T) {
		e := newWaitEnv(t)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		err := smdomain.NewDomainDeletedWaiter(e.sm, e.deleted()...).Wait(ctx, e.in, time.Hour)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Wait = %v, want context.Canceled", err)
		}
		if got := len(e.polls()); got != 0 {
			t.Errorf("%d polls, want 0", got)
		}
	})
	t.Run("real clock, hour-long delay", func(t *testing.T) {
		// The waiter sleeps on the real clock with an hour between polls;
		// cancelling must end the sleep at once, not after the hour.
		e := newWaitEnv(t, smdomaintest.WithCreateDelay(time.Hour))
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		w := smdomain.NewDomainInServiceWaiter(e.sm, func(o *smdomain.DomainInServiceWaiterOptions) {
			o.MinDelay, o.MaxDelay = time.Hour, time.Hour
			o.Progress = func(smdomain.WaitProgress) { cancel() }
		})
		start := time.Now()
		err := w.Wait(ctx, e.in, 2*time.Hour)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Wait = %v, want context.Canceled", err)
		}
		if took := time.Since(start); took > 10*time.Second {
			t.Errorf("Wait returned %v after cancellation, want promptly", took)
		}
	})
}

func TestWaiterDeleted(t *testing.T) {
	const deleteDelay = 3 * time.Minute
	e := newWaitEnv(t, smdomaintest.WithDeleteDelay(deleteDelay))
	if _, err := e.sm.DeleteDomain(context.Background(), &sagemaker.DeleteDomainInput{DomainId: e.in.DomainId}); err != nil {
		t.Fatalf("DeleteDomain: %v", err)
	}
	deletedAt := e.clk.Now()
	var progress []smdomain.WaitProgress
	w := smdomain.NewDomainDeletedWaiter(e.sm, e.deleted(func(o *smdomain.DomainDeletedWaiterOptions) {
		o.Progress = func(p smdomain.WaitProgress) { progress = append(progress, p) }
	})...)
	out, err := w.WaitForOutput(context.Background(), e.in, time.Hour)
	if err != nil {
		t.Fatalf("WaitForOutput: %v", err)
	}
	if out == nil || out.Status != types.DomainStatusDeleting || aws.ToString(out.DomainId) != e.id {
		t.Errorf("WaitForOutput = %+v, want the last description (Deleting, %s)", out, e.id)
	}
	if ids := e.srv.DomainIDs(); len(ids) != 0 {
		t.Errorf("domains left: %v", ids)
	}
	if late := e.clk.Now().Sub(deletedAt.Add(deleteDelay)); late < 0 || late > 10*time.Second {
		t.Errorf("deletion seen %v after it happened, want within 10s", late)
	}
	if last := progress[len(progress)-1]; last.Status != "" || last.Attempt != len(progress) {
		t.Errorf("last progress = %+v, want status \"\" and attempt %d", last, len(progress))
	}
	// Already gone: the first poll succeeds and there is no description.
	out, err = w.WaitForOutput(context.Background(), e.in, time.Minute)
	if err != nil || out != nil {
		t.Errorf("WaitForOutput on a gone domain = %v, %v; want nil, nil", out, err)
	}
}

func TestWaiterDeletedStatuses(t *testing.T) {
	t.Run("Delete_Failed", func(t *testing.T) {
		e := newWaitEnv(t)
		if err := e.srv.SetDomainStatus(e.id, "Delete_Failed", "Apps are still running"); err != nil {
			t.Fatal(err)
		}
		err := smdomain.NewDomainDeletedWaiter(e.sm, e.deleted()...).Wait(context.Background(), e.in, time.Hour)
		var se *smdomain.StatusError
		if !errors.As(err, &se) {
			t.Fatalf("Wait = %v, want *StatusError", err)
		}
		want := &smdomain.StatusError{DomainID: e.id, Kind: "domain", Status: "Delete_Failed", FailureReason: "Apps are still running"}
		if diff := cmp.Diff(want, se); diff != "" {
			t.Errorf("StatusError (-want +got):\n%s", diff)
		}
	})
	t.Run("InService and never deleted", func(t *testing.T) {
		e := newWaitEnv(t)
		err := smdomain.NewDomainDeletedWaiter(e.sm, e.deleted()...).Wait(context.Background(), e.in, 2*time.Minute)
		if !errors.Is(err, smdomain.ErrWaitTimeout) {
			t.Fatalf("Wait = %v, want ErrWaitTimeout", err)
		}
	})
}

func TestWaiterNotFound(t *testing.T) {
	e := newWaitEnv(t)
	in := &sagemaker.DescribeDomainInput{DomainId: aws.String("d-000000000000")}
	err := smdomain.NewDomainInServiceWaiter(e.sm, e.inService()...).Wait(context.Background(), in, time.Hour)
	if !errors.Is(err, smdomain.ErrNotFound) {
		t.Errorf("Wait = %v, want ErrNotFound", err)
	}
	if nf := (*types.ResourceNotFound)(nil); !errors.As(err, &nf) {
		t.Errorf("Wait = %v, want *types.ResourceNotFound reachable", err)
	}
}

// TestWaiterThrottled: the SDK client retries throttling itself (three
// attempts with the emulator's config), so a brief throttle costs the wait
// nothing and a longer one is returned as the SDK's error.
func TestWaiterThrottled(t *testing.T) {
	t.Run("retried by the SDK", func(t *testing.T) {
		e := newWaitEnv(t, smdomaintest.WithCreateDelay(30*time.Second))
		e.srv.Throttle("DescribeDomain", 2)
		var attempts int
		w := smdomain.NewDomainInServiceWaiter(e.sm, e.inService(fixedJitter(0), func(o *smdomain.DomainInServiceWaiterOptions) {
			o.Progress = func(p smdomain.WaitProgress) { attempts = p.Attempt }
		})...)
		if err := w.Wait(context.Background(), e.in, time.Hour); err != nil {
			t.Fatalf("Wait: %v", err)
		}
		if attempts != 6 {
			t.Errorf("%d waiter polls, want 6 (throttled requests retried inside the first)", attempts)
		}
	})
	t.Run("returned when persistent", func(t *testing.T) {
		e := newWaitEnv(t, smdomaintest.WithCreateDelay(30*time.Second))
		e.srv.Throttle("DescribeDomain", 100)
		err := smdomain.NewDomainInServiceWaiter(e.sm, e.inService()...).Wait(context.Background(), e.in, time.Hour)
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != "ThrottlingException" {
			t.Fatalf("Wait = %v, want the SDK's ThrottlingException", err)
		}
	})
}

// TestWaiterRetryableOverride replaces the retry decision for one call (a
// Failed domain is waited out, then repaired) and checks that the next
// call is back to the waiter's own options.
func TestWaiterRetryableOverride(t *testing.T) {
	e := newWaitEnv(t, smdomaintest.WithCreateDelay(time.Hour), smdomaintest.WithUpdateDelay(time.Hour))
	if err := e.srv.SetDomainStatus(e.id, "Failed", "transient"); err != nil {
		t.Fatal(err)
	}
	w := smdomain.NewDomainInServiceWaiter(e.sm, e.inService(fixedJitter(0))...)

	var decided int
	err := w.Wait(context.Background(), e.in, time.Hour, func(o *smdomain.DomainInServiceWaiterOptions) {
		o.MinDelay, o.MaxDelay = time.Minute, time.Minute
		o.Retryable = func(ctx context.Context, in *sagemaker.DescribeDomainInput, out *sagemaker.DescribeDomainOutput, err error) (bool, error) {
			decided++
			if err == nil && out.Status == types.DomainStatusFailed {
				return true, nil
			}
			return smdomain.DomainInServiceRetryable(ctx, in, out, err)
		}
		o.Progress = func(p smdomain.WaitProgress) {
			if p.Attempt == 3 {
				if err := e.srv.SetDomainStatus(e.id, "InService", ""); err != nil {
					t.Error(err)
				}
			}
		}
	})
	if err != nil {
		t.Fatalf("Wait with the override: %v", err)
	}
	if decided != 4 {
		t.Errorf("override called %d times, want 4", decided)
	}
	if diff := cmp.Diff([]time.Duration{0, time.Minute, 2 * time.Minute, 3 * time.Minute}, e.polls()); diff != "" {
		t.Errorf("poll times with per-call delays (-want +got):\n%s", diff)
	}

	// The next call has none of the per-call options: default delays, no
	// Progress, and the default Retryable, for which Failed is terminal.
	if err := e.srv.SetDomainStatus(e.id, "Failed", "for real"); err != nil {
		t.Fatal(err)
	}
	e.srv.ResetCalls()
	e.created = e.clk.Now()
	err = w.Wait(context.Background(), e.in, time.Hour)
	var se *smdomain.StatusError
	if !errors.As(err, &se) || se.Status != "Failed" {
		t.Fatalf("Wait after the override = %v, want *StatusError Failed", err)
	}
	if decided != 4 {
		t.Errorf("override called again (%d)", decided)
	}

	// And the default delays are back.
	if err := e.srv.SetDomainStatus(e.id, "Updating", ""); err != nil {
		t.Fatal(err)
	}
	e.srv.ResetCalls()
	e.created = e.clk.Now()
	err = w.Wait(context.Background(), e.in, 15*time.Second)
	if !errors.Is(err, smdomain.ErrWaitTimeout) {
		t.Fatalf("Wait = %v, want ErrWaitTimeout", err)
	}
	ms := time.Millisecond
	if diff := cmp.Diff([]time.Duration{0, 2000 * ms, 5920 * ms, 13760 * ms, 15000 * ms}, e.polls()); diff != "" {
		t.Errorf("poll times after per-call delays (-want +got):\n%s", diff)
	}
}

// Waiter options that every wait refuses (MaxDelay below MinDelay) must be
// refused before Ensure or Delete writes, not after CreateDomain.
func TestBadWaitOptionsRefusedBeforeWrite(t *testing.T) {
	e := newEnv(t, smdomain.WithWaitOptions(func(o *smdomain.DomainInServiceWaiterOptions) { o.MaxDelay = time.Second }))
	if _, err := e.client.Ensure(context.Background(), mustSpec(t, "w", smdomain.WithExecutionRole(testRole))); err == nil {
		t.Error("Ensure: nil error, want the MinDelay/MaxDelay error")
	}
	if w := e.writes(); len(w) != 0 {
		t.Errorf("Ensure writes: %v, want none", w)
	}
	mustEnsure(t, e.newClient(), mustSpec(t, "w", smdomain.WithExecutionRole(testRole)))
	e.srv.ResetCalls()
	if _, err := e.client.Delete(context.Background(), smdomain.ByName("w")); err == nil {
		t.Error("Delete: nil error, want the MinDelay/MaxDelay error")
	}
	if w := e.writes(); len(w) != 0 {
		t.Errorf("Delete writes: %v, want none", w)
	}
}
