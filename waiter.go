package smdomain

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/finegrained/smdomain/internal/backoff"
)

// DescribeDomainAPIClient is the one call the domain waiters make.
type DescribeDomainAPIClient interface {
	DescribeDomain(context.Context, *sagemaker.DescribeDomainInput, ...func(*sagemaker.Options)) (*sagemaker.DescribeDomainOutput, error)
}

var _ DescribeDomainAPIClient = (*sagemaker.Client)(nil)

// WaitProgress is reported after each poll of a waiter.
type WaitProgress struct {
	DomainID string
	// Kind is "domain", "user profile" or "space"; Name is the user
	// profile's or space's name ("" for a domain).
	Kind, Name string
	Status     string // as the Describe call reported it; "" when the resource is gone
	Attempt    int    // 1 for the first poll
	Elapsed    time.Duration
}

// The waiters' default delays. A domain that reaches the status waited for
// is seen within DefaultWaitMaxDelay of the change (plus one DescribeDomain
// round trip), and over transitions of 30 seconds to 20 minutes the
// waiters poll no more often than Terraform's domain waiter (first poll at
// once, then 0.2 s doubling to a 10 s cap). The delays run 2 s, 4 s, 8 s,
// then 10 s, each up to 2 % shorter for jitter (see internal/backoff):
// starting at 2 s saves four polls in the first 13 seconds, which pays for
// the jitter's shorter delays over 20 minutes.
//
// Figures, counting the poll that sees the change, with every delay at its
// shortest (the most polls the jitter can cause); Terraform's in brackets:
// 30 s: 6 polls [9]; 2 min: 15 [18]; 5 min: 34 [36]; 10 min: 64 [66];
// 20 min: 126 [126]. The change is seen 0-10 s after it happens (Terraform:
// 2.6 s for all five). TestWaiterDefaultScheduleFigures recomputes these
// figures against smdomaintest, and TestWaiterDefaultsNoMorePollsThanTerraform
// checks every transition from 30 s to 20 min in 100 ms steps.
const (
	// DefaultWaitMinDelay is the default MinDelay of both waiters: 2 s.
	DefaultWaitMinDelay = 2 * time.Second
	// DefaultWaitMaxDelay is the default MaxDelay of both waiters: 10 s.
	DefaultWaitMaxDelay = 10 * time.Second
)

// WaiterOptions configures a waiter; In and Out are the Describe call's
// input and output types. One type serves every waiter of this package:
// DomainInServiceWaiterOptions and DomainDeletedWaiterOptions are this
// type for DescribeDomain, and the waits Ensure makes for user profiles
// and spaces take the same schedule. The zero value of a field, where
// noted, means its default.
type WaiterOptions[In, Out any] struct {
	// ClientOptions are passed to every Describe call. Default: none.
	ClientOptions []func(*sagemaker.Options)

	// MinDelay is the shortest wait between polls, and the first one: the
	// waits double from MinDelay up to MaxDelay. Default
	// DefaultWaitMinDelay (2 s). Wait rejects a MinDelay <= 0 or above
	// MaxDelay.
	MinDelay time.Duration

	// MaxDelay is the longest wait between polls, so a resource that
	// reaches the status waited for is seen at most MaxDelay later (plus
	// the Describe round trip). Default DefaultWaitMaxDelay (10 s); see its
	// doc for why.
	MaxDelay time.Duration

	// LogWaitAttempts logs every poll to Logger at Info level instead of
	// Debug. Default false.
	LogWaitAttempts bool

	// Logger receives one record per poll with the attributes domain
	// (the domain ID), kind and name (for a user profile or space), status,
	// attempt and elapsed (nothing secret). Default nil: nothing is logged.
	Logger *slog.Logger

	// Clock is the time source the waiter measures and sleeps with. Default
	// (and when nil): the real clock. smdomaintest.FakeClock makes long
	// waits take no real time in tests.
	Clock Clock

	// Progress, when set, is called after every poll, from the goroutine
	// that called Wait. Default nil.
	Progress func(WaitProgress)

	// Retryable decides after each poll whether to poll again (true, nil),
	// stop successfully (false, nil) or stop with an error (_, err). It is
	// given the Describe output and error of the poll. Default (and when
	// nil): the waiter's own rule, such as DomainInServiceRetryable.
	Retryable func(context.Context, In, Out, error) (bool, error)

	// Jitter returns a number in [0, 1) that places each delay within its
	// jitter range, 0 giving the shortest delay. It is called from the
	// goroutine that called Wait. Default (and when nil): math/rand/v2's
	// Float64. Tests may fix it for a reproducible schedule.
	Jitter func() float64
}

// DomainInServiceWaiterOptions configures a DomainInServiceWaiter, and
// through WithWaitOptions every wait a Client makes.
type DomainInServiceWaiterOptions = WaiterOptions[*sagemaker.DescribeDomainInput, *sagemaker.DescribeDomainOutput]

// DomainDeletedWaiterOptions configures a DomainDeletedWaiter. It is the
// same type as DomainInServiceWaiterOptions; only the default Retryable
// differs (DomainDeletedRetryable).
type DomainDeletedWaiterOptions = DomainInServiceWaiterOptions

// checkDelays refuses a MinDelay that is not positive or exceeds MaxDelay.
func (o *WaiterOptions[In, Out]) checkDelays() error {
	switch {
	case o.MinDelay <= 0:
		return fmt.Errorf("MinDelay %v must be greater than zero", o.MinDelay)
	case o.MinDelay > o.MaxDelay:
		return fmt.Errorf("MinDelay %v must not exceed MaxDelay %v", o.MinDelay, o.MaxDelay)
	}
	return nil
}

// defaultWaiterOptions are every waiter's defaults but Retryable.
func defaultWaiterOptions[In, Out any]() WaiterOptions[In, Out] {
	return WaiterOptions[In, Out]{
		MinDelay: DefaultWaitMinDelay,
		MaxDelay: DefaultWaitMaxDelay,
		Clock:    realClock{},
		Jitter:   rand.Float64,
	}
}

// DomainInServiceWaiter waits until a domain is InService. It is the
// sagemaker package's waiter shape for a resource that package has no
// waiter for, with typed terminal errors. It holds no state between
// calls and is safe for concurrent use if its options' functions are.
type DomainInServiceWaiter struct {
	client  DescribeDomainAPIClient
	options DomainInServiceWaiterOptions
}

// NewDomainInServiceWaiter returns a DomainInServiceWaiter that polls
// client. The defaults are set first, then optFns are applied in order.
// Options are checked when Wait is called, not here.
func NewDomainInServiceWaiter(client DescribeDomainAPIClient, optFns ...func(*DomainInServiceWaiterOptions)) *DomainInServiceWaiter {
	o := defaultWaiterOptions[*sagemaker.DescribeDomainInput, *sagemaker.DescribeDomainOutput]()
	o.Retryable = DomainInServiceRetryable
	for _, fn := range optFns {
		fn(&o)
	}
	return &DomainInServiceWaiter{client: client, options: o}
}

// Wait polls DescribeDomain for params.DomainId until the domain is
// InService, for at most maxWaitDur. See WaitForOutput for the schedule
// and the errors.
func (w *DomainInServiceWaiter) Wait(ctx context.Context, params *sagemaker.DescribeDomainInput, maxWaitDur time.Duration, optFns ...func(*DomainInServiceWaiterOptions)) error {
	_, err := w.WaitForOutput(ctx, params, maxWaitDur, optFns...)
	return err
}

// WaitForOutput polls like Wait and returns the DescribeDomain output that
// showed the domain InService.
//
// optFns apply to this call only, on a copy of the waiter's options. The
// first poll is made at once; later ones follow a jittered exponential
// backoff from MinDelay to MaxDelay, the last one at the deadline.
// maxWaitDur is measured on Clock and bounds the sleeping between polls; a
// DescribeDomain call in flight is bounded by ctx and the SDK client's own
// timeouts, not by maxWaitDur. With the default Retryable, the errors are:
//   - *StatusError (with the service's FailureReason) at once when the
//     domain is Failed, Update_Failed, Delete_Failed, Deleting or in a
//     status this package does not know;
//   - ErrNotFound (wrapped together with the SDK's *types.ResourceNotFound)
//     when the domain does not exist;
//   - any other DescribeDomain error, wrapped (the SDK client has already
//     retried throttling and transient failures);
//   - a *WaitTimeoutError (matching ErrWaitTimeout, naming the domain, the
//     time waited and the last status) when maxWaitDur runs out;
//   - ctx.Err() (wrapped) as soon as ctx is done;
//   - an error before any call when maxWaitDur <= 0, MinDelay <= 0,
//     MinDelay > MaxDelay, or params has no DomainId.
func (w *DomainInServiceWaiter) WaitForOutput(ctx context.Context, params *sagemaker.DescribeDomainInput, maxWaitDur time.Duration, optFns ...func(*DomainInServiceWaiterOptions)) (*sagemaker.DescribeDomainOutput, error) {
	return pollDomain(ctx, w.client, params, maxWaitDur, string(types.DomainStatusInService), w.options, DomainInServiceRetryable, optFns)
}

// DomainDeletedWaiter waits until a domain is gone: DescribeDomain answers
// *types.ResourceNotFound. It holds no state between calls and is safe for
// concurrent use if its options' functions are.
type DomainDeletedWaiter struct {
	client  DescribeDomainAPIClient
	options DomainDeletedWaiterOptions
}

// NewDomainDeletedWaiter returns a DomainDeletedWaiter that polls client.
// The defaults are set first, then optFns are applied in order. Options
// are checked when Wait is called, not here.
func NewDomainDeletedWaiter(client DescribeDomainAPIClient, optFns ...func(*DomainDeletedWaiterOptions)) *DomainDeletedWaiter {
	o := defaultWaiterOptions[*sagemaker.DescribeDomainInput, *sagemaker.DescribeDomainOutput]()
	o.Retryable = DomainDeletedRetryable
	for _, fn := range optFns {
		fn(&o)
	}
	return &DomainDeletedWaiter{client: client, options: o}
}

// Wait polls DescribeDomain for params.DomainId until the domain is gone,
// for at most maxWaitDur. See WaitForOutput for the schedule and the
// errors.
func (w *DomainDeletedWaiter) Wait(ctx context.Context, params *sagemaker.DescribeDomainInput, maxWaitDur time.Duration, optFns ...func(*DomainDeletedWaiterOptions)) error {
	_, err := w.WaitForOutput(ctx, params, maxWaitDur, optFns...)
	return err
}

// WaitForOutput polls like Wait. When the domain is gone it returns the
// last description DescribeDomain gave before that (useful for its ARN
// and name), or nil when the domain was already gone at the first poll.
//
// optFns apply to this call only, on a copy of the waiter's options. The
// schedule is DomainInServiceWaiter's. With the default Retryable, the
// errors are:
//   - *StatusError (with the FailureReason) at once when the domain is
//     Delete_Failed;
//   - any DescribeDomain error other than ResourceNotFound, wrapped;
//   - a *WaitTimeoutError (matching ErrWaitTimeout, naming the domain, the
//     time waited and the last status) when maxWaitDur runs out, which is
//     how a domain that nobody is deleting ends (its last status says so);
//   - ctx.Err() (wrapped) as soon as ctx is done;
//   - an error before any call when maxWaitDur <= 0, MinDelay <= 0,
//     MinDelay > MaxDelay, or params has no DomainId.
func (w *DomainDeletedWaiter) WaitForOutput(ctx context.Context, params *sagemaker.DescribeDomainInput, maxWaitDur time.Duration, optFns ...func(*DomainDeletedWaiterOptions)) (*sagemaker.DescribeDomainOutput, error) {
	return pollDomain(ctx, w.client, params, maxWaitDur, "deleted", w.options, DomainDeletedRetryable, optFns)
}

// pollDomain applies a domain waiter's per-call options and polls.
func pollDomain(ctx context.Context, client DescribeDomainAPIClient, params *sagemaker.DescribeDomainInput, maxWaitDur time.Duration,
	target string, o DomainInServiceWaiterOptions, def func(context.Context, *sagemaker.DescribeDomainInput, *sagemaker.DescribeDomainOutput, error) (bool, error),
	optFns []func(*DomainInServiceWaiterOptions)) (*sagemaker.DescribeDomainOutput, error) {
	o.ClientOptions = slices.Clip(o.ClientOptions) // appends in optFns must not write into the waiter's array
	for _, fn := range optFns {
		fn(&o)
	}
	if o.Retryable == nil {
		o.Retryable = def
	}
	id := domainID(params)
	if id == "" {
		return nil, errors.New("wait for domain: DescribeDomainInput.DomainId is required")
	}
	return poll(ctx, pollTarget[*sagemaker.DescribeDomainInput, *sagemaker.DescribeDomainOutput]{
		describe: client.DescribeDomain, params: params,
		progress: WaitProgress{DomainID: id, Kind: "domain"},
		label:    "domain " + id,
		status:   func(out *sagemaker.DescribeDomainOutput) string { return string(out.Status) },
	}, maxWaitDur, target, o)
}

// DomainInServiceRetryable is DomainInServiceWaiter's default Retryable.
// InService is success; Pending and Updating poll again; ResourceNotFound
// is an error wrapping both ErrNotFound and the SDK's error (a domain
// being waited for should exist: a caller that creates one and polls an
// eventually consistent endpoint can wrap this function to retry it);
// other DescribeDomain errors are returned wrapped; Failed, Update_Failed,
// Delete_Failed, Deleting (it will never be InService again) and unknown
// statuses are a *StatusError with the FailureReason.
func DomainInServiceRetryable(_ context.Context, in *sagemaker.DescribeDomainInput, out *sagemaker.DescribeDomainOutput, err error) (bool, error) {
	id := domainID(in)
	if err != nil || out == nil {
		return false, describeError("domain "+id, err, true)
	}
	return inServiceStatus(string(out.Status), func() *StatusError { return statusError(id, out) })
}

// DomainDeletedRetryable is DomainDeletedWaiter's default Retryable.
// ResourceNotFound is success; Delete_Failed is a *StatusError with the
// FailureReason; other DescribeDomain errors are returned wrapped; every
// other status polls again. InService, Failed and the rest are not errors
// because DescribeDomain may show the status from before a DeleteDomain
// call for a moment; a domain that never starts deleting ends in
// a *WaitTimeoutError, whose Status is its last status.
func DomainDeletedRetryable(_ context.Context, in *sagemaker.DescribeDomainInput, out *sagemaker.DescribeDomainOutput, err error) (bool, error) {
	id := domainID(in)
	if notFound(err) {
		return false, nil
	}
	if err != nil || out == nil {
		return false, describeError("domain "+id, err, false)
	}
	return deletedStatus(string(out.Status), func() *StatusError { return statusError(id, out) })
}

// describeError is the error of a failed or empty Describe poll; a
// resource that is not found wraps ErrNotFound too when missing is.
func describeError(label string, err error, missing bool) error {
	switch {
	case err == nil:
		return fmt.Errorf("describe %s: empty response", label)
	case missing && notFound(err):
		return fmt.Errorf("describe %s: %w: %w", label, ErrNotFound, err)
	}
	return fmt.Errorf("describe %s: %w", label, err)
}

// inServiceStatus is the in-service rule every kind shares (the statuses
// of domains, user profiles and spaces are the same): InService is done,
// Pending and Updating poll again, anything else is terminal.
func inServiceStatus(status string, terminal func() *StatusError) (bool, error) {
	switch types.DomainStatus(status) {
	case types.DomainStatusInService:
		return false, nil
	case types.DomainStatusPending, types.DomainStatusUpdating:
		return true, nil
	}
	return false, terminal()
}

// deletedStatus is the deleted rule every kind shares: Delete_Failed is
// terminal, anything else polls again.
func deletedStatus(status string, terminal func() *StatusError) (bool, error) {
	if types.DomainStatus(status) == types.DomainStatusDeleteFailed {
		return false, terminal()
	}
	return true, nil
}

func statusError(id string, out *sagemaker.DescribeDomainOutput) *StatusError {
	if out.DomainId != nil {
		id = *out.DomainId
	}
	return &StatusError{DomainID: id, Kind: "domain", Status: string(out.Status), FailureReason: aws.ToString(out.FailureReason)}
}

func domainID(in *sagemaker.DescribeDomainInput) string {
	if in == nil {
		return ""
	}
	return aws.ToString(in.DomainId)
}

// pollTarget is what poll polls: one resource's Describe call.
type pollTarget[In, Out any] struct {
	describe func(context.Context, In, ...func(*sagemaker.Options)) (Out, error)
	params   In
	progress WaitProgress // DomainID, Kind and Name; poll fills in the rest
	label    string       // "domain d-abc", `user profile "alice" in domain d-abc`
	status   func(Out) string
}

// poll is every waiter's loop; target names the awaited state in messages.
func poll[In, Out any](ctx context.Context, t pollTarget[In, Out], maxWaitDur time.Duration, target string, o WaiterOptions[In, Out]) (Out, error) {
	var zero Out
	if maxWaitDur <= 0 {
		return zero, fmt.Errorf("wait for %s: maximum wait %v must be greater than zero", t.label, maxWaitDur)
	}
	if err := o.checkDelays(); err != nil {
		return zero, fmt.Errorf("wait for %s: %w", t.label, err)
	}
	clock := o.Clock
	if clock == nil {
		clock = realClock{}
	}
	jitter := o.Jitter
	if jitter == nil {
		jitter = rand.Float64
	}
	level := slog.LevelDebug
	if o.LogWaitAttempts {
		level = slog.LevelInfo
	}

	start := clock.Now()
	var last Out // the last description seen
	seen := false
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return zero, fmt.Errorf("wait for %s to be %s: %w", t.label, target, err)
		}
		out, err := t.describe(ctx, t.params, o.ClientOptions...)
		if err != nil && ctx.Err() != nil {
			return zero, fmt.Errorf("wait for %s to be %s: %w", t.label, target, ctx.Err())
		}
		status := ""
		if err == nil && any(out) != any(zero) {
			last, seen = out, true
			status = t.status(out)
		}
		elapsed := clock.Now().Sub(start)
		p := t.progress
		p.Status, p.Attempt, p.Elapsed = status, attempt, elapsed
		if o.Progress != nil {
			o.Progress(p)
		}
		if o.Logger != nil {
			attrs := []slog.Attr{slog.String("domain", p.DomainID)}
			if p.Name != "" {
				attrs = append(attrs, slog.String("kind", p.Kind), slog.String("name", p.Name))
			}
			o.Logger.LogAttrs(ctx, level, "waiting for "+p.Kind, append(attrs,
				slog.String("status", status),
				slog.Int("attempt", attempt),
				slog.Duration("elapsed", elapsed))...)
		}

		retry, err := o.Retryable(ctx, t.params, out, err)
		if err != nil {
			return zero, err
		}
		if !retry {
			if status == "" && seen {
				out = last
			}
			return out, nil
		}

		remaining := maxWaitDur - elapsed
		if remaining <= 0 {
			return zero, &WaitTimeoutError{DomainID: t.progress.DomainID, Kind: t.progress.Kind, Name: t.progress.Name,
				Target: target, Status: status, Waited: elapsed, Polls: attempt}
		}
		delay := backoff.Delay(attempt, o.MinDelay, o.MaxDelay, remaining, jitter())
		if err := clock.Sleep(ctx, delay); err != nil {
			return zero, fmt.Errorf("wait for %s to be %s: %w", t.label, target, err)
		}
	}
}
