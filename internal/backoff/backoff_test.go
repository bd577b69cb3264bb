package backoff_test

import (
	"math"
	"testing"
	"time"

	"github.com/finegrained/smdomain/internal/backoff"
)

const (
	s    = time.Second
	ms   = time.Millisecond
	hour = time.Hour
)

func TestBackoffDelay(t *testing.T) {
	tests := []struct {
		name          string
		attempt       int
		min, max, rem time.Duration
		rnd           float64
		want          time.Duration
	}{
		// Growth: the ceiling doubles from minDelay; rnd near 1 gives the ceiling.
		{"first delay is minDelay", 1, 2 * s, 10 * s, hour, 0.999999, 2 * s},
		{"first delay never below minDelay", 1, 2 * s, 10 * s, hour, 0, 2 * s},
		{"second doubles", 2, 2 * s, 10 * s, hour, 1, 4 * s},
		{"third doubles again", 3, 2 * s, 10 * s, hour, 1, 8 * s},
		{"fourth capped at maxDelay", 4, 2 * s, 10 * s, hour, 1, 10 * s},
		{"long after capped at maxDelay", 500, 2 * s, 10 * s, hour, 1, 10 * s},
		{"huge attempt does not overflow", math.MaxInt, 2 * s, 10 * s, hour, 1, 10 * s},
		{"huge maxDelay does not overflow", 100, 1, math.MaxInt64, math.MaxInt64, 1, math.MaxInt64},
		// Jitter: [ceiling*(1-Jitter), ceiling], never below minDelay.
		{"jitter low end", 2, 2 * s, 10 * s, hour, 0, 3920 * ms},
		{"jitter middle", 4, 2 * s, 10 * s, hour, 0.5, 9900 * ms},
		{"jitter low end at cap", 4, 2 * s, 10 * s, hour, 0, 9800 * ms},
		{"rnd below range clamped", 4, 2 * s, 10 * s, hour, -3, 9800 * ms},
		{"rnd NaN clamped", 4, 2 * s, 10 * s, hour, math.NaN(), 9800 * ms},
		{"rnd above range clamped", 4, 2 * s, 10 * s, hour, 7, 10 * s},
		{"equal bounds", 9, 5 * s, 5 * s, hour, 0, 5 * s},
		// Clamped to the time left.
		{"clamped to remaining", 4, 2 * s, 10 * s, 3 * s, 1, 3 * s},
		{"clamped below minDelay", 4, 2 * s, 10 * s, 500 * ms, 1, 500 * ms},
		{"no time left", 4, 2 * s, 10 * s, 0, 1, 0},
		{"negative time left", 4, 2 * s, 10 * s, -s, 1, 0},
		// Degenerate inputs.
		{"no attempt yet", 0, 2 * s, 10 * s, hour, 1, 0},
		{"negative attempt", -1, 2 * s, 10 * s, hour, 1, 0},
		{"maxDelay below minDelay raised", 3, 4 * s, s, hour, 1, 4 * s},
		{"zero minDelay", math.MaxInt, 0, 10 * s, hour, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := backoff.Delay(tt.attempt, tt.min, tt.max, tt.rem, tt.rnd)
			if got != tt.want {
				t.Errorf("Delay(%d, %v, %v, %v, %v) = %v, want %v", tt.attempt, tt.min, tt.max, tt.rem, tt.rnd, got, tt.want)
			}
		})
	}
}

// TestBackoffDelayBounds sweeps attempts and random numbers and checks the
// invariants: within [ceiling*(1-Jitter), ceiling], within [minDelay,
// maxDelay], never more than the time left, and monotonic in rnd.
func TestBackoffDelayBounds(t *testing.T) {
	const minDelay, maxDelay = 2 * s, 10 * s
	for attempt := 1; attempt <= 20; attempt++ {
		ceiling := min(minDelay<<(attempt-1), maxDelay)
		if attempt > 10 {
			ceiling = maxDelay
		}
		low := max(minDelay, ceiling-time.Duration(float64(ceiling)*backoff.Jitter))
		var prev time.Duration
		for i := range 100 {
			rnd := float64(i) / 100
			got := backoff.Delay(attempt, minDelay, maxDelay, hour, rnd)
			if got < low || got > ceiling {
				t.Errorf("Delay(attempt %d, rnd %v) = %v, want within [%v, %v]", attempt, rnd, got, low, ceiling)
			}
			if got < prev {
				t.Errorf("Delay(attempt %d, rnd %v) = %v, less than %v for a smaller rnd", attempt, rnd, got, prev)
			}
			prev = got
			for _, rem := range []time.Duration{0, ms, s, 5 * s, 11 * s} {
				if got := backoff.Delay(attempt, minDelay, maxDelay, rem, rnd); got > max(rem, 0) || got < 0 {
					t.Errorf("Delay(attempt %d, remaining %v) = %v, want within [0, %v]", attempt, rem, got, rem)
				}
			}
		}
	}
}
