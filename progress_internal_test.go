package smdomain

import (
	"context"
	"testing"
	"time"
)

// stepClock is a Clock that moves only when the test says.
type stepClock struct{ now time.Time }

func (c *stepClock) Now() time.Time { return c.now }

func (c *stepClock) Sleep(context.Context, time.Duration) error { return nil }

// TestProgressRateIsCurrent finishes items at a known pace: 1 a second for
// 20 s, then 5 a second. Rate is the rate over the last 10 s (or since the
// start when that is shorter), not the average since the start.
func TestProgressRateIsCurrent(t *testing.T) {
	clock := &stepClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	var last Progress
	c := New(nil, WithClock(clock), WithProgress(func(p Progress) { last = p }))
	b := c.startProgress("user profiles", 100)
	ctx := context.Background()
	check := func(done int, rate float64) {
		t.Helper()
		if last.Done != done || last.Total != 100 || last.Rate < rate-0.01 || last.Rate > rate+0.01 {
			t.Errorf("progress %+v, want %d of 100 at %.2f/s", last, done, rate)
		}
	}
	clock.now = clock.now.Add(500 * time.Millisecond)
	b.finished(ctx)
	check(1, 0) // under a second: no rate yet
	for range 19 {
		clock.now = clock.now.Add(time.Second)
		b.finished(ctx)
	}
	check(20, 1.0) // 10 finished in the last 10 s (at 10.5 to 19.5 s)
	for range 50 {
		clock.now = clock.now.Add(200 * time.Millisecond)
		b.finished(ctx)
	}
	check(70, 5.0) // the last 10 s hold 50 at 5 a second; the average since the start is 2.3
}
