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
// throttled answers and paces itself just under it: one token bucket per
// operation, whose rate is set at each throttle from what the service
// took since the throttle before and which then grows, slowly at first
// and faster the longer no throttle comes (as CUBIC grows a TCP window),
// to find the limit again. A throttled call was not carried out, so it is
// sent again, at the new pace, for as long as the wait budget
// (WithMaxWait) lasts: throttling slows the work and does not fail it.
//
// The estimate: a throttle says the service's bucket is empty. Between two
// throttles the service took exactly as many calls as its rate allowed
// over that time, so their count over the time is the rate, whatever the
// burst. Against a token bucket per operation holding a second of calls at
// 2, 5 and 10 a second, with 100 ms of latency and 4 members at a time,
// this kept the writes at 99.96-101.6 % of the limit with 1.3-5.6 % of the calls
// throttled (BenchmarkScale, BENCHMARKS.md; TestPacingHoldsTheLimit).
//
// Why not the SDK's adaptive retry mode: its limiter is one per client
// (every operation shares its rate, so a throttled DeleteApp slows the
// ListApps between), it sleeps on the wall clock (no Clock can stand in),
// and a throttled call still costs the standard retryer's retry quota,
// which a long cascade exhausts. The SDK keeps its retries of everything
// else (5xx, timeouts); only throttles come back to the pacer.
const (
	// paceShare is the share of the estimated rate the pace is set to.
	paceShare = 0.97
	// paceFallback is how much slower the pace gets at a throttle that
	// comes before enough calls were taken to estimate the rate.
	paceFallback = 0.9
	// paceMinTaken is how many calls taken since the last throttle make
	// an estimate.
	paceMinTaken = 3
	// paceGrowth is the cubic growth of the pace after a throttle: the
	// pace is the estimate times 1 + paceGrowth·t³ for t seconds since:
	// 3 % more after 10 s, 24 % after 20 s, double after 32 s.
	paceGrowth = 3e-5
	// paceSlowest bounds the interval between two calls of an operation
	// however often it is throttled.
	paceSlowest = 20 * time.Second
	// paceRing bounds the turns remembered per operation, for the first
	// estimate: those of the last second.
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
	rate float64   // calls a second; 0: not paced
	next time.Time // the earliest start of the next call (the bucket's theoretical arrival time)
	gen  int       // counts the changes of rate; a throttle of a call whose turn came before the last change says nothing new

	base     float64   // the rate set at the last throttle
	baseAt   time.Time // the last throttle that set the rate
	takenAt  int       // taken, at baseAt
	taken    int       // calls answered without a throttle, ever
	turns    int       // turns taken before the first throttle; recent holds the times of the last paceRing
	recent   [paceRing]time.Time
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

// turn waits until op may be called and reserves that turn, returning
// the lane's generation at the reservation. When the turn would come
// after notAfter (unless that is zero) it reserves nothing and returns at
// once the last throttled answer that slowed op down, as the call's error.
func (p *pacer) turn(ctx context.Context, op string, notAfter time.Time) (int, error) {
	p.mu.Lock()
	l := p.lane(op)
	gen := l.gen
	now := p.clock.Now()
	if l.rate == 0 {
		l.record(now) // for the first throttle's estimate
		p.mu.Unlock()
		return gen, ctx.Err()
	}
	at := l.next
	if at.Before(now) {
		at = now
	}
	if !notAfter.IsZero() && at.After(notAfter) {
		p.mu.Unlock()
		return gen, l.lastErr
	}
	l.next = at.Add(l.interval())
	p.mu.Unlock()
	if at.After(now) {
		return gen, p.clock.Sleep(ctx, at.Sub(now))
	}
	return gen, ctx.Err()
}

// interval is the time between two turns at the lane's rate.
func (l *lane) interval() time.Duration {
	return min(time.Duration(float64(time.Second)/l.rate), paceSlowest)
}

// accepted records a call of op that was not throttled, and lets a paced
// lane grow for the time since its last throttle.
func (p *pacer) accepted(op string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	l := p.lane(op)
	now := p.clock.Now()
	l.taken++
	if l.rate > 0 {
		t := now.Sub(l.baseAt).Seconds()
		l.rate = l.base * (1 + paceGrowth*t*t*t)
	}
}

// throttled records a throttled answer (err) to a call of op whose turn
// was reserved at generation gen, and sets the lane's rate: paceShare of
// the rate of the calls taken since the throttle before; at the first
// throttle, of the calls sent in the last second (an overestimate the
// next throttle corrects: the calls taken so far may still be on their
// way); when too few were taken since the last throttle to tell,
// paceFallback of the pace.
func (p *pacer) throttled(op string, gen int, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	l := p.lane(op)
	l.throttle++
	l.lastErr = err
	if gen < l.gen {
		return
	}
	now := p.clock.Now()
	var estimate float64
	switch since := now.Sub(l.baseAt).Seconds(); {
	case l.rate > 0 && l.taken-l.takenAt >= paceMinTaken && since > 0:
		estimate = float64(l.taken-l.takenAt) / since
	case l.rate > 0:
		estimate = l.rate * paceFallback
	default:
		estimate = float64(max(l.turnsWithin(now, time.Second), 1))
	}
	l.base = estimate * paceShare
	l.rate = l.base
	l.baseAt, l.takenAt = now, l.taken
	l.gen++
	if next := now.Add(l.interval()); l.next.Before(next) {
		l.next = next
	}
}

// record remembers a turn at t, of a lane not paced yet.
func (l *lane) record(t time.Time) {
	l.recent[l.turns%paceRing] = t
	l.turns++
}

// turnsWithin counts the turns taken in the d before now (at most
// paceRing of them).
func (l *lane) turnsWithin(now time.Time, d time.Duration) int {
	n := 0
	for i := 1; i <= min(l.turns, paceRing); i++ {
		if now.Sub(l.recent[(l.turns-i)%paceRing]) > d {
			break
		}
		n++
	}
	return n
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
		s := PaceStats{Operation: op, Accepted: l.taken, Throttled: l.throttle}
		if l.rate > 0 {
			s.Rate = float64(time.Second) / float64(l.interval())
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
		gen, err := c.pacer.turn(ctx, op, give)
		if err != nil {
			var zero Out
			return zero, err
		}
		out, err := call(ctx, in, optFns...)
		if !throttle(err) {
			c.pacer.accepted(op)
			return out, err
		}
		c.pacer.throttled(op, gen, err)
		if give.IsZero() {
			give = c.opts.clock.Now().Add(c.opts.maxWait)
		}
	}
}
