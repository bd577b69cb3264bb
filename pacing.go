package smdomain

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/smithy-go"
)

// SageMaker publishes no rate per operation and throttles beyond one it
// does not name, so a Client learns each operation's rate from its own
// throttled answers and paces itself below it: a token bucket per
// operation whose rate goes down when a call is throttled and creeps up
// while none is. A throttled call was not carried out, so it is sent
// again, at the slower pace, for as long as the wait budget (WithMaxWait)
// lasts: throttling slows the work and does not fail it.
//
// Why not the SDK's adaptive retry mode: its limiter is one per client
// (every operation shares its rate, so a throttled DeleteApp slows the
// ListApps between), it sleeps on the wall clock (no Clock can stand in),
// and a throttled call still costs the standard retryer's retry quota,
// which a long cascade exhausts. The SDK keeps its retries of everything
// else (5xx, timeouts); only throttles come back to the pacer.
const (
	// paceWindow is how far back the accepted calls are counted to
	// measure the rate an operation was achieving when it was throttled.
	paceWindow = 2 * time.Second
	// paceBackoff is the share of the measured rate the pace drops to at a
	// throttle: close to 1, so that the pace settles just under the limit.
	paceBackoff = 0.9
	// paceGrowth is how much faster, per second without a throttle, the
	// pace grows to probe for a higher limit: from paceBackoff of the limit
	// back to the limit in about 20 seconds.
	paceGrowth = 0.005
	// paceSlowest bounds the interval between two calls of an operation
	// however often it is throttled.
	paceSlowest = 20 * time.Second
	// paceRing bounds the accepted calls remembered per operation.
	paceRing = 64
)

// pacer paces a Client's calls, one lane per operation.
type pacer struct {
	clock Clock

	mu    sync.Mutex
	lanes map[string]*lane
}

// lane is one operation's pace. Until its first throttle it is not paced.
type lane struct {
	interval time.Duration // between calls; 0: not paced
	next     time.Time     // the earliest start of the next call (the bucket's theoretical arrival time)
	adjusted time.Time     // the last change of interval
	accepts  [paceRing]time.Time
	naccepts int   // calls answered without a throttle, ever; accepts holds the last paceRing of them
	throttle int   // throttled answers, ever
	lastErr  error // the last throttled answer
}

func newPacer(clock Clock) *pacer { return &pacer{clock: clock, lanes: map[string]*lane{}} }

func (p *pacer) lane(op string) *lane {
	l := p.lanes[op]
	if l == nil {
		l = &lane{}
		p.lanes[op] = l
	}
	return l
}

// turn waits until op may be called, and reserves that turn. When the
// turn would come after notAfter (unless that is zero) it reserves
// nothing and returns at once the last throttled answer that slowed op
// down, as the call's error.
func (p *pacer) turn(ctx context.Context, op string, notAfter time.Time) error {
	p.mu.Lock()
	l := p.lane(op)
	if l.interval == 0 {
		p.mu.Unlock()
		return ctx.Err()
	}
	now := p.clock.Now()
	at := l.next
	if at.Before(now) {
		at = now
	}
	if !notAfter.IsZero() && at.After(notAfter) {
		p.mu.Unlock()
		return l.lastErr
	}
	l.next = at.Add(l.interval)
	p.mu.Unlock()
	if at.After(now) {
		return p.clock.Sleep(ctx, at.Sub(now))
	}
	return ctx.Err()
}

// accepted records a call of op that was not throttled, and lets a paced
// lane grow for the time since its last change.
func (p *pacer) accepted(op string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	l := p.lane(op)
	now := p.clock.Now()
	l.accepts[l.naccepts%paceRing] = now
	l.naccepts++
	if l.interval == 0 {
		return
	}
	if dt := now.Sub(l.adjusted); dt >= time.Second {
		l.interval = time.Duration(float64(l.interval) / (1 + paceGrowth*dt.Seconds()))
		l.adjusted = now
	}
}

// throttled records a throttled call of op and slows the lane to
// paceBackoff of the rate it measured over the last paceWindow (or of its
// pace, when that is lower). One throttle a second, or one an interval,
// lowers the pace: the calls already on their way when it came say
// nothing new.
func (p *pacer) throttled(op string, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	l := p.lane(op)
	l.throttle++
	l.lastErr = err
	now := p.clock.Now()
	if l.interval > 0 && now.Sub(l.adjusted) < max(time.Second, l.interval) {
		return
	}
	rate := l.measured(now)
	if l.interval > 0 {
		rate = min(rate, float64(time.Second)/float64(l.interval))
	}
	l.interval = min(time.Duration(float64(time.Second)/(paceBackoff*rate)), paceSlowest)
	l.adjusted = now
	if next := now.Add(l.interval); l.next.Before(next) {
		l.next = next
	}
}

// measured is the rate of accepted calls over the last paceWindow before
// now, in calls a second; at least one call a window, so that a lane
// throttled before any call went through still moves.
func (l *lane) measured(now time.Time) float64 {
	n, oldest := 0, now
	for i := 1; i <= min(l.naccepts, paceRing); i++ {
		t := l.accepts[(l.naccepts-i)%paceRing]
		if now.Sub(t) > paceWindow {
			break
		}
		n, oldest = n+1, t
	}
	span := paceWindow
	if n == paceRing {
		span = max(now.Sub(oldest), time.Millisecond)
	}
	return float64(max(n, 1)) / span.Seconds()
}

// budgetKey is the context key of the deadline of the Ensure, Delete or
// member call a paced call belongs to.
type budgetKey struct{}

// budget starts an operation's wait budget: WithMaxWait from now. The
// deadline is returned, and carried in the context so that a throttled
// call is sent again only until it.
func (c *Client) budget(ctx context.Context) (context.Context, time.Time) {
	deadline := c.opts.clock.Now().Add(c.opts.maxWait)
	return context.WithValue(ctx, budgetKey{}, deadline), deadline
}

// PaceStats is what a Client has learnt of one operation's rate limit.
type PaceStats struct {
	// Operation is the SageMaker operation, such as "CreateUserProfile".
	Operation string
	// Rate is the pace in calls a second; 0 when the operation has not
	// been throttled and is not paced.
	Rate float64
	// Accepted counts the calls answered without a throttle.
	Accepted int
	// Throttled counts the throttled answers; each throttled call was
	// sent again.
	Throttled int
}

// Pace reports, operation by operation (in name order), what the Client
// has learnt of SageMaker's rate limits from the calls it has made, and
// how often it was throttled.
func (c *Client) Pace() []PaceStats {
	p := c.pacer
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []PaceStats
	for _, op := range sortedKeys(p.lanes) {
		l := p.lanes[op]
		s := PaceStats{Operation: op, Accepted: l.naccepts, Throttled: l.throttle}
		if l.interval > 0 {
			s.Rate = float64(time.Second) / float64(l.interval)
		}
		out = append(out, s)
	}
	return out
}

// throttle reports whether err is the service's throttled answer.
func throttle(err error) bool {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return false
	}
	_, ok := retry.DefaultThrottleErrorCodes[ae.ErrorCode()]
	return ok
}

// throttlesToPacer is the SDK retryer of a paced call: the retryer the
// call would have had, except that throttles are not retried by it but
// come back to the pacer.
type throttlesToPacer struct{ aws.Retryer }

func (r throttlesToPacer) IsErrorRetryable(err error) bool {
	return !throttle(err) && r.Retryer.IsErrorRetryable(err)
}

// paced sends one call through the pacer: it waits for op's turn, sends,
// and when the answer is a throttle, slows op down and sends again. No
// turn is taken after the deadline of the operation the call belongs to
// (Client.budget), or without one WithMaxWait after the call's first
// throttle: the last throttle is returned instead.
func paced[In, Out any](ctx context.Context, c *Client, op string, in In, call func(context.Context, In, ...func(*sagemaker.Options)) (Out, error), optFns []func(*sagemaker.Options)) (Out, error) {
	optFns = append(optFns[:len(optFns):len(optFns)], func(o *sagemaker.Options) {
		if o.Retryer != nil {
			o.Retryer = throttlesToPacer{o.Retryer}
		}
	})
	give, _ := ctx.Value(budgetKey{}).(time.Time) // zero: WithMaxWait from the first throttle
	for {
		if err := c.pacer.turn(ctx, op, give); err != nil {
			var zero Out
			return zero, err
		}
		out, err := call(ctx, in, optFns...)
		if !throttle(err) {
			c.pacer.accepted(op)
			return out, err
		}
		c.pacer.throttled(op, err)
		if give.IsZero() {
			give = c.opts.clock.Now().Add(c.opts.maxWait)
		}
	}
}
