package smdomaintest_test

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/finegrained/smdomain/smdomaintest"
)

// settleGoroutines waits, on the wall clock, until no more goroutines run
// than before, and fails the test with every goroutine's stack if that
// does not happen within a few seconds.
func settleGoroutines(t testing.TB, before int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if after := runtime.NumGoroutine(); after > before {
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines before, %d after:\n%s", before, after, buf[:runtime.Stack(buf, true)])
	}
}

func TestVirtualClockConcurrentSleepsOverlap(t *testing.T) {
	clock := smdomaintest.NewVirtualClock(epoch0)
	var wg sync.WaitGroup
	woke := make([]time.Time, 2)
	for i := range woke {
		wg.Go(func() {
			if err := clock.Sleep(context.Background(), time.Second); err != nil {
				t.Errorf("Sleep: %v", err)
			}
			woke[i] = clock.Now()
		})
	}
	wg.Wait()
	for i, w := range woke {
		if want := epoch0.Add(time.Second); !w.Equal(want) {
			t.Errorf("sleeper %d woke at %v, want %v", i, w, want)
		}
	}
	if got, want := clock.Now(), epoch0.Add(time.Second); !got.Equal(want) {
		t.Errorf("Now() = %v after two concurrent 1s sleeps, want %v", got, want)
	}
}

func TestVirtualClockSequentialSleepsAddUp(t *testing.T) {
	clock := smdomaintest.NewVirtualClock(epoch0)
	var wg sync.WaitGroup
	var chained, single time.Time
	wg.Go(func() {
		for range 3 {
			_ = clock.Sleep(context.Background(), time.Second)
		}
		chained = clock.Now()
	})
	wg.Go(func() {
		_ = clock.Sleep(context.Background(), 3*time.Second)
		single = clock.Now()
	})
	wg.Wait()
	want := epoch0.Add(3 * time.Second)
	if !chained.Equal(want) || !single.Equal(want) {
		t.Errorf("three 1s sleeps ended at %v and one 3s sleep at %v, want both %v", chained, single, want)
	}
}

// TestVirtualClockWaitsForComputation has one goroutine sleep while
// another computes for a while of real time without blocking: the time
// must not move until the computation is done and the second goroutine
// sleeps too.
func TestVirtualClockWaitsForComputation(t *testing.T) {
	clock := smdomaintest.NewVirtualClock(epoch0)
	var wg sync.WaitGroup
	var sleeperWoke, afterCompute, computerWoke time.Time
	wg.Go(func() {
		_ = clock.Sleep(context.Background(), time.Millisecond)
		sleeperWoke = clock.Now()
	})
	wg.Go(func() {
		for start := time.Now(); time.Since(start) < 20*time.Millisecond; {
			// Compute, never blocking.
		}
		afterCompute = clock.Now()
		_ = clock.Sleep(context.Background(), 2*time.Millisecond)
		computerWoke = clock.Now()
	})
	wg.Wait()
	if !afterCompute.Equal(epoch0) {
		t.Errorf("after 20ms of computing the time read %v, want %v: the clock overtook a running goroutine", afterCompute, epoch0)
	}
	if want := epoch0.Add(time.Millisecond); !sleeperWoke.Equal(want) {
		t.Errorf("the sleeper woke at %v, want %v", sleeperWoke, want)
	}
	if want := epoch0.Add(2 * time.Millisecond); !computerWoke.Equal(want) {
		t.Errorf("the computer woke at %v, want %v", computerWoke, want)
	}
}

// TestVirtualClockCancelByVirtualTime cancels an hour's sleep when
// another sleeper wakes a second later: the hour must not pass.
func TestVirtualClockCancelByVirtualTime(t *testing.T) {
	clock := smdomaintest.NewVirtualClock(epoch0)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	var err error
	wg.Go(func() { err = clock.Sleep(ctx, time.Hour) })
	wg.Go(func() {
		_ = clock.Sleep(context.Background(), time.Second)
		cancel()
	})
	wg.Wait()
	if !errors.Is(err, context.Canceled) {
		t.Errorf("the canceled Sleep returned %v, want context.Canceled", err)
	}
	// The canceled sleeper no longer holds the time: a new sleep of a
	// second ends two seconds in, not an hour.
	_ = clock.Sleep(context.Background(), time.Second)
	if got, want := clock.Now(), epoch0.Add(2*time.Second); !got.Equal(want) {
		t.Errorf("Now() = %v, want %v", got, want)
	}
}

// TestVirtualClockCancelPromptly cancels a sleep on the wall clock while
// this goroutine computes, so that the virtual time cannot move: Sleep
// must return at once, and the time stay where it was.
func TestVirtualClockCancelPromptly(t *testing.T) {
	clock := smdomaintest.NewVirtualClock(epoch0)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var done atomic.Bool
	var err error
	go func() {
		err = clock.Sleep(ctx, time.Hour)
		done.Store(true)
	}()
	start := time.Now()
	for time.Since(start) < 10*time.Millisecond {
		// Compute: the sleeper must still be waiting.
	}
	if done.Load() {
		t.Fatal("Sleep(1h) returned while another goroutine ran")
	}
	cancel()
	canceled := time.Now()
	for !done.Load() {
		if time.Since(canceled) > 5*time.Second {
			t.Fatal("Sleep did not return within 5s of its context's cancellation")
		}
	}
	t.Logf("Sleep returned %v after its context was canceled", time.Since(canceled))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Sleep returned %v, want context.Canceled", err)
	}
	if got := clock.Now(); !got.Equal(epoch0) {
		t.Errorf("Now() = %v, want %v", got, epoch0)
	}
}

func TestVirtualClockDoneContextAndZeroSleep(t *testing.T) {
	clock := smdomaintest.NewVirtualClock(epoch0)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := clock.Sleep(ctx, time.Second); !errors.Is(err, context.Canceled) {
		t.Errorf("Sleep with a done context = %v, want context.Canceled", err)
	}
	for _, d := range []time.Duration{0, -time.Second} {
		if err := clock.Sleep(context.Background(), d); err != nil {
			t.Errorf("Sleep(%v) = %v", d, err)
		}
	}
	if got := clock.Now(); !got.Equal(epoch0) {
		t.Errorf("Now() = %v, want %v", got, epoch0)
	}
}

// TestVirtualClockWakesInOrder has many goroutines sleep for shuffled
// durations, some equal: each must wake exactly at its own time, in order
// of wake-up.
func TestVirtualClockWakesInOrder(t *testing.T) {
	clock := smdomaintest.NewVirtualClock(epoch0)
	const n = 200
	durations := make([]time.Duration, n)
	for i := range durations {
		durations[i] = time.Duration(i/2+1) * time.Millisecond // pairs due together
	}
	rand.Shuffle(n, func(i, j int) { durations[i], durations[j] = durations[j], durations[i] })
	var mu sync.Mutex
	var order []time.Duration
	var wg sync.WaitGroup
	for _, d := range durations {
		wg.Go(func() {
			if err := clock.Sleep(context.Background(), d); err != nil {
				t.Errorf("Sleep(%v): %v", d, err)
			}
			if got := clock.Now(); !got.Equal(epoch0.Add(d)) {
				t.Errorf("Sleep(%v) woke at %v, want %v", d, got.Sub(epoch0), d)
			}
			mu.Lock()
			order = append(order, d)
			mu.Unlock()
		})
	}
	wg.Wait()
	if !slices.IsSorted(order) {
		t.Errorf("sleepers woke out of order: %v", order)
	}
	if got, want := clock.Now(), epoch0.Add(n/2*time.Millisecond); !got.Equal(want) {
		t.Errorf("Now() = %v at the end, want %v", got, want)
	}
}

// TestVirtualClockLeavesNoGoroutine checks that the clock's goroutine
// exits once no one sleeps, whether the last sleeper woke or gave up.
func TestVirtualClockLeavesNoGoroutine(t *testing.T) {
	before := runtime.NumGoroutine()
	clock := smdomaintest.NewVirtualClock(epoch0)
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() { _ = clock.Sleep(context.Background(), time.Second) })
	}
	wg.Wait()
	settleGoroutines(t, before)

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- clock.Sleep(ctx, time.Hour) }()
	// Cancel while this goroutine computes, before the hour can pass.
	for start := time.Now(); time.Since(start) < 5*time.Millisecond; {
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Sleep = %v, want context.Canceled", err)
	}
	settleGoroutines(t, before)
}

// TestVirtualClockManyAdvances reports how much real time 20,000 moves
// of the virtual time take, in one goroutine sleeping again and again
// beside three others doing the same.
func TestVirtualClockManyAdvances(t *testing.T) {
	if testing.Short() {
		t.Skip("measures real time")
	}
	clock := smdomaintest.NewVirtualClock(epoch0)
	const advances = 20000
	start := time.Now()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for range advances / 4 {
				// Offsets keep the four from waking together.
				_ = clock.Sleep(context.Background(), 4*time.Millisecond+time.Duration(g))
			}
		})
	}
	wg.Wait()
	real := time.Since(start)
	t.Logf("%d advances in %v of real time (%v each)", advances, real, real/advances)
	if want := epoch0.Add(advances / 4 * (4*time.Millisecond + 3)); !clock.Now().Equal(want) {
		t.Errorf("Now() = %v, want %v", clock.Now(), want)
	}
}

// BenchmarkVirtualClockAdvance measures one move of the virtual time: a
// goroutine's Sleep, the clock's check that everything else is blocked,
// and the wake-up.
func BenchmarkVirtualClockAdvance(b *testing.B) {
	clock := smdomaintest.NewVirtualClock(epoch0)
	for b.Loop() {
		_ = clock.Sleep(context.Background(), time.Millisecond)
	}
}

// TestVirtualClockIgnoresIdleSystemCalls checks that the goroutines the
// standard library keeps in a system call while they wait, for signals
// (os/signal) and for CPU profile data (runtime/pprof), do not stop the
// virtual time.
func TestVirtualClockIgnoresIdleSystemCalls(t *testing.T) {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGUSR1)
	defer signal.Stop(signals)
	if err := pprof.StartCPUProfile(io.Discard); err == nil { // else a profile is running already
		defer pprof.StopCPUProfile()
	}
	clock := smdomaintest.NewVirtualClock(epoch0)
	done := make(chan error, 1)
	go func() { done <- clock.Sleep(context.Background(), time.Second) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a 1s virtual sleep did not end within 5s of real time")
	}
}
