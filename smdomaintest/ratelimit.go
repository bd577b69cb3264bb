package smdomaintest

import "time"

// forever bounds the interval between tokens and the burst tolerance of a
// rate limit, about 146 years, so that a tiny rate or a huge burst cannot
// overflow a time.Duration.
const forever = time.Duration(1 << 62)

// rateLimit is the setting of one operation's token bucket: a token every
// interval, at most burst of them held. The zero value is no limit.
type rateLimit struct {
	interval  time.Duration
	tolerance time.Duration // (burst-1) intervals: how far ahead of time calls may run
	burst     int
}

// newRateLimit returns the limit of rate tokens a second and burst at
// once; no limit unless rate > 0 and burst >= 1. The interval is 1/rate
// seconds rounded down to the nanosecond.
func newRateLimit(rate float64, burst int) rateLimit {
	if !(rate > 0) || burst < 1 {
		return rateLimit{}
	}
	interval := min(float64(time.Second)/rate, float64(forever))
	return rateLimit{
		interval:  time.Duration(interval),
		tolerance: time.Duration(min(interval*float64(burst-1), float64(forever))),
		burst:     burst,
	}
}

// bucket is one operation's token bucket, kept as the generic cell rate
// algorithm does: rather than a count of tokens refilled as time passes,
// the time at which the bucket would be full again (tat, the theoretical
// arrival time of the next call). A call at now is admitted when tat is
// no more than the tolerance ahead of now, and moves tat one interval on.
// This is exactly a bucket of burst tokens refilled one per interval, in
// integer time: no rounding drifts, and each call costs the same however
// many came before.
type bucket struct {
	rateLimit
	tat time.Time
}

// take reports whether a call at now is admitted, and if so takes its
// token.
func (b *bucket) take(now time.Time) bool {
	tat := b.tat
	if tat.Before(now) {
		tat = now
	}
	if tat.Sub(now) > b.tolerance {
		return false
	}
	b.tat = tat.Add(b.interval)
	return true
}

// admit reports whether a call of op at now is within op's rate limit
// (WithRateLimit, WithOperationRateLimit, SetRateLimit,
// SetOperationRateLimit), taking a token if so. It is
// called with the lock held, and only for operations the emulator serves,
// so that the buckets stay as few as they are.
func (e *Emulator) admit(op string, now time.Time) bool {
	b := e.buckets[op]
	if b == nil {
		l := e.opts.rateLimitFor(op)
		if l.burst == 0 {
			return true
		}
		b = &bucket{rateLimit: l}
		e.buckets[op] = b
	}
	return b.take(now)
}

// SetRateLimit sets, from now on, the rate limit that WithRateLimit sets
// at construction: every operation without a limit of its own
// (WithOperationRateLimit, SetOperationRateLimit) gets a bucket of burst
// tokens refilled at rate tokens a second; rate <= 0 (or NaN) or burst <
// 1 removes the limit. The buckets of those operations start again full.
// A benchmark can so create the resources it needs without a limit and
// then measure under one.
func (e *Emulator) SetRateLimit(rate float64, burst int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.opts.rateLimit = newRateLimit(rate, burst)
	for op := range e.buckets {
		if _, own := e.opts.rateOps[op]; !own {
			delete(e.buckets, op)
		}
	}
}

// SetOperationRateLimit sets, from now on, op's own rate limit, as
// WithOperationRateLimit does at construction: rate <= 0 or burst < 1
// exempts op from the limit of SetRateLimit and WithRateLimit. op's
// bucket starts again full; the other operations' stay as they are.
func (e *Emulator) SetOperationRateLimit(op string, rate float64, burst int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.opts.rateOps == nil {
		e.opts.rateOps = map[string]rateLimit{}
	}
	e.opts.rateOps[op] = newRateLimit(rate, burst)
	delete(e.buckets, op)
}
