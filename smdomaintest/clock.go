package smdomaintest

import (
	"context"
	"sync"
	"time"
)

// Clock is the time source the emulator computes domain status from. Its
// Sleep waits for d, or until ctx is done and then returns ctx.Err().
//
// smdomain's own waiters take the same interface, so a test can hand one
// FakeClock to both and wait through long transitions in no real time.
// A benchmark of concurrent clients hands both a VirtualClock instead, on
// which concurrent sleeps overlap.
type Clock interface {
	Now() time.Time
	Sleep(ctx context.Context, d time.Duration) error
}

// realClock is the wall clock.
type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// FakeClock is a Clock whose time moves only when told: Sleep and Advance
// move it forward at once. It is safe for concurrent use.
type FakeClock struct {
	mu  sync.Mutex
	now time.Time
}

var _ Clock = (*FakeClock)(nil)

// NewFakeClock returns a FakeClock that reads start until it is moved.
func NewFakeClock(start time.Time) *FakeClock {
	return &FakeClock{now: start}
}

// Now returns the virtual time.
func (c *FakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Sleep advances the virtual time by d and returns at once. If ctx is
// already done it returns ctx.Err() and leaves the time alone. A negative d
// is treated as zero.
func (c *FakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.Advance(d)
	return nil
}

// Advance moves the virtual time forward by d. A negative d is ignored:
// virtual time never goes backwards.
func (c *FakeClock) Advance(d time.Duration) {
	if d <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
