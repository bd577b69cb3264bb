// Package backoff computes the delays between a waiter's polls.
//
// It is a pure function of its inputs: the caller supplies the attempt
// count, the bounds, the time left and a random number, so the schedule can
// be tested without sleeping and without a global random source.
package backoff

import "time"

// Jitter is the fraction of each delay's ceiling that is randomised: a
// delay is drawn from [ceiling*(1-Jitter), ceiling]. It is small on
// purpose. A waiter that must notice a change within MaxDelay can never
// wait longer than MaxDelay, so every bit of jitter below the ceiling
// shortens the mean delay and adds polls over a long wait; 2 % is enough
// to spread out waiters that started together while keeping a 20-minute
// wait within the poll count of a fixed 10-second schedule.
const Jitter = 0.02

// Delay returns how long to wait after attempt polls have been made
// (attempt is 1 after the first poll) before polling again.
//
// The ceiling starts at minDelay and doubles with each attempt up to
// maxDelay: minDelay, 2*minDelay, 4*minDelay, ..., maxDelay, maxDelay, ....
// The delay is drawn from [ceiling*(1-Jitter), ceiling] by rnd, a number in
// [0, 1) (0 picks the shortest delay; values outside the range are clamped
// into it), and is never below minDelay, except that it is clamped to
// remaining, the time left before the caller gives up, so the last poll
// happens at the deadline rather than after it.
//
// Delay returns 0 when attempt < 1 (the first poll happens at once) or
// remaining <= 0. Callers are expected to pass 0 < minDelay <= maxDelay; a
// maxDelay below minDelay is raised to minDelay, and the result is never
// negative.
func Delay(attempt int, minDelay, maxDelay, remaining time.Duration, rnd float64) time.Duration {
	if attempt < 1 || remaining <= 0 {
		return 0
	}
	minDelay = max(minDelay, 0)
	maxDelay = max(maxDelay, minDelay)

	ceiling := minDelay
	for i := 1; i < attempt && ceiling > 0 && ceiling < maxDelay; i++ {
		if ceiling > maxDelay/2 {
			ceiling = maxDelay
			break
		}
		ceiling *= 2
	}
	ceiling = min(ceiling, maxDelay)

	switch {
	case rnd < 0 || rnd != rnd: // negative or NaN
		rnd = 0
	case rnd > 1:
		rnd = 1
	}
	spread := time.Duration(float64(ceiling) * Jitter)
	delay := ceiling - spread + time.Duration(rnd*float64(spread))

	delay = max(delay, minDelay)
	return min(delay, remaining)
}
