package smdomain_test

// Narrow tests of the waiters' loop against a scripted DescribeDomain. The
// behaviour against the service's wire format is tested in waiter_test.go
// through the real SDK client and smdomaintest.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/google/go-cmp/cmp"

	"github.com/finegrained/smdomain"
)

// stepClock is a virtual clock whose Sleep moves time at once.
type stepClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *stepClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(max(d, 0))
	return nil
}

// scriptedDescriber answers DescribeDomain with the status its script
// gives for the virtual time since start, and records when it was called.
type scriptedDescriber struct {
	clock  *stepClock
	start  time.Time
	script func(elapsed time.Duration) (types.DomainStatus, error)

	mu     sync.Mutex
	calls  []time.Duration // elapsed virtual time of each call
	optFns []int           // how many client options each call got
}

func (d *scriptedDescriber) DescribeDomain(_ context.Context, in *sagemaker.DescribeDomainInput, optFns ...func(*sagemaker.Options)) (*sagemaker.DescribeDomainOutput, error) {
	elapsed := d.clock.Now().Sub(d.start)
	d.mu.Lock()
	d.calls = append(d.calls, elapsed)
	d.optFns = append(d.optFns, len(optFns))
	d.mu.Unlock()
	status, err := d.script(elapsed)
	if err != nil {
		return nil, err
	}
	return &sagemaker.DescribeDomainOutput{DomainId: in.DomainId, Status: status}, nil
}

func newScripted(script func(time.Duration) (types.DomainStatus, error)) (*scriptedDescriber, *stepClock) {
	clk := &stepClock{now: time.Unix(1_700_000_000, 0)}
	return &scriptedDescriber{clock: clk, start: clk.Now(), script: script}, clk
}

// pendingUntil is Pending before t and InService from t on.
func pendingUntil(t time.Duration) func(time.Duration) (types.DomainStatus, error) {
	return func(e time.Duration) (types.DomainStatus, error) {
		if e < t {
			return types.DomainStatusPending, nil
		}
		return types.DomainStatusInService, nil
	}
}

var domainInput = &sagemaker.DescribeDomainInput{DomainId: aws.String("d-unit")}

func shortestJitter(o *smdomain.DomainInServiceWaiterOptions) { o.Jitter = func() float64 { return 0 } }

func TestWaiterUnitSchedule(t *testing.T) {
	api, clk := newScripted(pendingUntil(30 * time.Second))
	w := smdomain.NewDomainInServiceWaiter(api, shortestJitter, func(o *smdomain.DomainInServiceWaiterOptions) { o.Clock = clk })
	out, err := w.WaitForOutput(context.Background(), domainInput, time.Hour)
	if err != nil {
		t.Fatalf("WaitForOutput: %v", err)
	}
	if out.Status != types.DomainStatusInService {
		t.Errorf("Status = %s, want InService", out.Status)
	}
	// Delays at the low end of the jitter: 2 s (never below MinDelay),
	// 3.92 s, 7.84 s, then 9.8 s.
	ms := time.Millisecond
	want := []time.Duration{0, 2000 * ms, 5920 * ms, 13760 * ms, 23560 * ms, 33360 * ms}
	if diff := cmp.Diff(want, api.calls); diff != "" {
		t.Errorf("poll times (-want +got):\n%s", diff)
	}
}

func TestWaiterUnitTimeoutPollsAtDeadline(t *testing.T) {
	api, clk := newScripted(pendingUntil(time.Hour))
	w := smdomain.NewDomainInServiceWaiter(api, shortestJitter, func(o *smdomain.DomainInServiceWaiterOptions) { o.Clock = clk })
	err := w.Wait(context.Background(), domainInput, 15*time.Second)
	if !errors.Is(err, smdomain.ErrWaitTimeout) {
		t.Fatalf("Wait = %v, want ErrWaitTimeout", err)
	}
	ms := time.Millisecond
	want := []time.Duration{0, 2000 * ms, 5920 * ms, 13760 * ms, 15000 * ms}
	if diff := cmp.Diff(want, api.calls); diff != "" {
		t.Errorf("poll times (-want +got):\n%s", diff)
	}
}

func TestWaiterUnitInvalidOptions(t *testing.T) {
	tests := []struct {
		name   string
		params *sagemaker.DescribeDomainInput
		max    time.Duration
		opt    func(*smdomain.DomainInServiceWaiterOptions)
	}{
		{"zero max wait", domainInput, 0, nil},
		{"negative max wait", domainInput, -time.Second, nil},
		{"zero MinDelay", domainInput, time.Minute, func(o *smdomain.DomainInServiceWaiterOptions) { o.MinDelay = 0 }},
		{"negative MinDelay", domainInput, time.Minute, func(o *smdomain.DomainInServiceWaiterOptions) { o.MinDelay = -time.Second }},
		{"MinDelay above MaxDelay", domainInput, time.Minute, func(o *smdomain.DomainInServiceWaiterOptions) { o.MinDelay, o.MaxDelay = 5*time.Second, 4*time.Second }},
		{"zero MaxDelay", domainInput, time.Minute, func(o *smdomain.DomainInServiceWaiterOptions) { o.MaxDelay = 0 }},
		{"nil params", nil, time.Minute, nil},
		{"no domain ID", &sagemaker.DescribeDomainInput{}, time.Minute, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api, clk := newScripted(pendingUntil(0))
			w := smdomain.NewDomainInServiceWaiter(api, func(o *smdomain.DomainInServiceWaiterOptions) { o.Clock = clk })
			var per []func(*smdomain.DomainInServiceWaiterOptions)
			if tt.opt != nil {
				per = append(per, tt.opt)
			}
			if err := w.Wait(context.Background(), tt.params, tt.max, per...); err == nil {
				t.Error("Wait accepted invalid options")
			}
			dw := smdomain.NewDomainDeletedWaiter(api, func(o *smdomain.DomainDeletedWaiterOptions) { o.Clock = clk })
			var dper []func(*smdomain.DomainDeletedWaiterOptions)
			if tt.opt != nil {
				dper = append(dper, tt.opt) // one options type serves both waiters
			}
			if err := dw.Wait(context.Background(), tt.params, tt.max, dper...); err == nil {
				t.Error("deleted waiter's Wait accepted invalid options")
			}
			if len(api.calls) != 0 {
				t.Errorf("DescribeDomain called %d times, want 0", len(api.calls))
			}
		})
	}
}

// TestWaiterUnitClientOptionsDoNotLeak appends a client option per call to
// a waiter whose ClientOptions slice has spare capacity: the append must
// not reach the waiter's own slice or a concurrent call.
func TestWaiterUnitClientOptionsDoNotLeak(t *testing.T) {
	api, clk := newScripted(pendingUntil(0))
	base := make([]func(*sagemaker.Options), 1, 8)
	base[0] = func(*sagemaker.Options) {}
	w := smdomain.NewDomainInServiceWaiter(api, func(o *smdomain.DomainInServiceWaiterOptions) {
		o.Clock = clk
		o.ClientOptions = base
	})
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			err := w.Wait(context.Background(), domainInput, time.Minute, func(o *smdomain.DomainInServiceWaiterOptions) {
				o.ClientOptions = append(o.ClientOptions, func(*sagemaker.Options) {})
			})
			if err != nil {
				t.Errorf("Wait: %v", err)
			}
		})
	}
	wg.Wait()
	if err := w.Wait(context.Background(), domainInput, time.Minute); err != nil {
		t.Fatalf("Wait: %v", err)
	}
	if diff := cmp.Diff([]int{2, 2, 2, 2, 1}, api.optFns); diff != "" {
		t.Errorf("client options per call (-want +got):\n%s", diff)
	}
}

func TestWaiterUnitLogging(t *testing.T) {
	for _, verbose := range []bool{false, true} {
		api, clk := newScripted(pendingUntil(3 * time.Second))
		var buf bytes.Buffer
		logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
		w := smdomain.NewDomainInServiceWaiter(api, shortestJitter, func(o *smdomain.DomainInServiceWaiterOptions) {
			o.Clock = clk
			o.Logger = logger
			o.LogWaitAttempts = verbose
		})
		if err := w.Wait(context.Background(), domainInput, time.Minute); err != nil {
			t.Fatalf("Wait: %v", err)
		}
		type record struct {
			Level, Domain, Status string
			Attempt               int
			Elapsed               time.Duration
		}
		var got []record
		dec := json.NewDecoder(&buf)
		for dec.More() {
			var r struct {
				Level   string `json:"level"`
				Domain  string `json:"domain"`
				Status  string `json:"status"`
				Attempt int    `json:"attempt"`
				Elapsed int64  `json:"elapsed"`
			}
			if err := dec.Decode(&r); err != nil {
				t.Fatalf("decode log: %v", err)
			}
			got = append(got, record{r.Level, r.Domain, r.Status, r.Attempt, time.Duration(r.Elapsed)})
		}
		level := "DEBUG"
		if verbose {
			level = "INFO"
		}
		want := []record{
			{level, "d-unit", "Pending", 1, 0},
			{level, "d-unit", "Pending", 2, 2 * time.Second},
			{level, "d-unit", "InService", 3, 5920 * time.Millisecond},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("LogWaitAttempts %v: log records (-want +got):\n%s", verbose, diff)
		}
	}
}

func TestWaiterUnitNotFound(t *testing.T) {
	api, clk := newScripted(func(time.Duration) (types.DomainStatus, error) {
		return "", &types.ResourceNotFound{Message: aws.String("no such domain")}
	})
	w := smdomain.NewDomainInServiceWaiter(api, func(o *smdomain.DomainInServiceWaiterOptions) { o.Clock = clk })
	err := w.Wait(context.Background(), domainInput, time.Minute)
	if !errors.Is(err, smdomain.ErrNotFound) {
		t.Errorf("Wait = %v, want ErrNotFound", err)
	}
	if nf := (*types.ResourceNotFound)(nil); !errors.As(err, &nf) {
		t.Errorf("Wait = %v, want the SDK's *types.ResourceNotFound reachable", err)
	}
	dw := smdomain.NewDomainDeletedWaiter(api, func(o *smdomain.DomainDeletedWaiterOptions) { o.Clock = clk })
	out, err := dw.WaitForOutput(context.Background(), domainInput, time.Minute)
	if err != nil || out != nil {
		t.Errorf("deleted waiter on a missing domain = %v, %v; want nil, nil", out, err)
	}
}

func TestWaiterUnitOtherErrorReturned(t *testing.T) {
	boom := errors.New("access denied")
	api, clk := newScripted(func(time.Duration) (types.DomainStatus, error) { return "", boom })
	w := smdomain.NewDomainInServiceWaiter(api, func(o *smdomain.DomainInServiceWaiterOptions) { o.Clock = clk })
	if err := w.Wait(context.Background(), domainInput, time.Minute); !errors.Is(err, boom) {
		t.Errorf("Wait = %v, want it to wrap %v", err, boom)
	}
	dw := smdomain.NewDomainDeletedWaiter(api, func(o *smdomain.DomainDeletedWaiterOptions) { o.Clock = clk })
	if err := dw.Wait(context.Background(), domainInput, time.Minute); !errors.Is(err, boom) {
		t.Errorf("deleted waiter's Wait = %v, want it to wrap %v", err, boom)
	}
	if len(api.calls) != 2 {
		t.Errorf("DescribeDomain called %d times, want 2 (no retry of a non-transient error)", len(api.calls))
	}
}
