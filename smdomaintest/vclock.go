package smdomaintest

import (
	"bytes"
	"container/heap"
	"context"
	"runtime"
	"runtime/metrics"
	"sync"
	"time"
)

// VirtualClock is a Clock whose time moves only when the program is
// waiting for it: Sleep blocks its caller until the virtual time reaches
// the caller's wake-up, and the time moves to the earliest pending
// wake-up only once every goroutine of the process is blocked. Sleeps in
// several goroutines therefore overlap as they do in real time (two
// goroutines sleeping one second each both wake one virtual second
// later, where a FakeClock would have moved two), and a goroutine that
// is still computing, or is runnable, is never overtaken by the clock.
// It is what a benchmark wants when it measures requests per virtual
// second of a concurrent workload, with WithLatency and a rate limit.
//
// While anyone sleeps, a goroutine of the clock's own watches the
// scheduler: it reads runtime/metrics for running and runnable goroutines
// and, when they suggest that all is quiet, confirms it from the state of
// every goroutine (runtime.Stack). A goroutine counts as busy while it is
// running, runnable or in a system call (a call into the operating
// system may return at any moment), or waiting inside the runtime itself
// (runtime.GC, runtime.ReadMemStats); it counts as blocked while it waits
// on a channel, a select, a mutex, a WaitGroup, a condition, a sleep of
// the wall clock or the network. The goroutine that os/signal keeps
// waiting for signals counts as blocked. The clock's goroutine exits when
// no one sleeps, so a VirtualClock needs no Stop and leaves nothing
// running; several clocks in one process ignore each other's goroutines.
//
// Because a goroutine waiting on the network counts as blocked, the
// virtual time can jump while a request is on its way over TCP, between
// the client's write and the server's read. Code under test must reach the
// emulator through Emulator.InMemoryAWSConfig, which serves each request
// in the calling goroutine, not through a Server. For the same reason a
// goroutine waiting on the wall clock (time.Sleep, a timer, a context
// deadline) does not hold the virtual time back. Everything else the
// process runs concurrently holds it back: a test using a VirtualClock
// should not run in parallel with others (t.Parallel), and a goroutine
// that never blocks stops the virtual time for good.
//
// It is safe for concurrent use. Each move of the virtual time costs real
// time: about a hundred microseconds where the sleepers' stacks are
// shallow (BenchmarkVirtualClockAdvance, TestVirtualClockManyAdvances),
// a millisecond or two where they are deep in SDK calls
// (TestThroughputInVirtualTime), mostly in runtime.Stack.
type VirtualClock struct {
	mu       sync.Mutex
	now      time.Time
	sleepers sleeperHeap
	seq      uint64 // orders sleepers due at the same time
	watching bool   // the clock's goroutine is running
}

var _ Clock = (*VirtualClock)(nil)

// NewVirtualClock returns a VirtualClock that reads start until someone
// sleeps on it.
func NewVirtualClock(start time.Time) *VirtualClock {
	return &VirtualClock{now: start}
}

// Now returns the virtual time.
func (c *VirtualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Sleep blocks until the virtual time is d later than it is now, and
// returns nil; or, if ctx is done first, returns ctx.Err() at once (on
// the wall clock) and gives up its wake-up, which then no longer holds
// the time. If ctx is already done it returns ctx.Err() without waiting; a
// d of zero or less returns at once.
func (c *VirtualClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d <= 0 {
		return nil
	}
	c.mu.Lock()
	s := &sleeper{when: c.now.Add(d), seq: c.seq, woken: make(chan struct{})}
	c.seq++
	heap.Push(&c.sleepers, s)
	if !c.watching {
		c.watching = true
		go c.watch()
	}
	c.mu.Unlock()

	select {
	case <-s.woken:
		return nil
	case <-ctx.Done():
		c.mu.Lock()
		if s.index >= 0 {
			heap.Remove(&c.sleepers, s.index)
		}
		c.mu.Unlock()
		return ctx.Err()
	}
}

// watch is the clock's goroutine: while anyone sleeps, it waits until
// every other goroutine is blocked and then moves the time to the earliest
// wake-up. It exits when no one sleeps.
func (c *VirtualClock) watch() {
	var q quiescence
	for {
		c.mu.Lock()
		if len(c.sleepers) == 0 {
			c.watching = false
			c.mu.Unlock()
			return
		}
		c.mu.Unlock()
		if q.check() {
			c.advance()
		}
	}
}

// advance moves the time to the earliest wake-up, if anyone still sleeps,
// and wakes every sleeper due then.
func (c *VirtualClock) advance() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.sleepers) == 0 {
		return // the last sleeper gave up while the clock looked
	}
	if when := c.sleepers[0].when; when.After(c.now) {
		c.now = when
	}
	for len(c.sleepers) > 0 && !c.sleepers[0].when.After(c.now) {
		close(heap.Pop(&c.sleepers).(*sleeper).woken)
	}
}

// sleeper is one pending Sleep.
type sleeper struct {
	when  time.Time
	seq   uint64
	index int // in the heap; -1 once out of it
	woken chan struct{}
}

// sleeperHeap orders sleepers by wake-up, then by arrival.
type sleeperHeap []*sleeper

func (h sleeperHeap) Len() int { return len(h) }

func (h sleeperHeap) Less(i, j int) bool {
	if !h[i].when.Equal(h[j].when) {
		return h[i].when.Before(h[j].when)
	}
	return h[i].seq < h[j].seq
}

func (h sleeperHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}

func (h *sleeperHeap) Push(x any) {
	s := x.(*sleeper)
	s.index = len(*h)
	*h = append(*h, s)
}

func (h *sleeperHeap) Pop() any {
	old := *h
	s := old[len(old)-1]
	old[len(old)-1] = nil
	s.index = -1
	*h = old[:len(old)-1]
	return s
}

// quiescence tells whether every goroutine but the clocks' own is
// blocked. It is used by one goroutine at a time, and keeps its buffers
// from one check to the next.
type quiescence struct {
	samples   []metrics.Sample
	stack     []byte
	busySince time.Time     // when checks began to find work going on; zero while quiet
	spins     int           // checks since busySince
	wait      time.Duration // how long after an exact check that found work to make the next
	next      time.Time     // when the next exact check may be made, unless the metrics look quiet
}

// The metrics of the cheap check.
const (
	metricRunning  = "/sched/goroutines/running:goroutines"
	metricRunnable = "/sched/goroutines/runnable:goroutines"
)

const (
	// spinFor is how long, on the wall clock, checks that find work going
	// on keep the processor between them (yielding it now and then);
	// after that they sleep, so that a long computation is not watched
	// at the cost of a processor.
	spinFor = 5 * time.Millisecond
	// minWait and maxWait bound the interval between exact checks while
	// the metrics neither show the process quiet nor show a goroutine
	// runnable, unless an exact check takes longer than maxWait.
	minWait = 10 * time.Microsecond
	maxWait = time.Millisecond
)

// check reports whether every goroutine of the process, other than those
// of virtual clocks, is blocked. When it is not, check pauses before it
// returns, so that a caller looping on it neither lags far behind a
// workload that blocks often nor burns a processor through a long
// computation.
//
// The metrics come first. A goroutine in a run queue means work; the
// running count alone proves little, since it counts each processor
// whose thread is looking for work, and such a thread may go on looking
// for a while after everything has blocked. So the exact check is made
// at once when the metrics show no one but the caller running, and
// otherwise, unless a goroutine is runnable, at intervals that double
// from minWait up to maxWait while it keeps finding work, and are never
// shorter than the last exact check took (it stops the world and grows
// with the goroutines' stacks), so that watching takes at most about half
// of the real time.
func (q *quiescence) check() bool {
	running, runnable := q.read()
	if runnable == 0 && (running <= 1 || !time.Now().Before(q.next)) {
		began := time.Now()
		if q.quietByStacks() {
			q.busySince, q.spins, q.wait = time.Time{}, 0, 0
			return true
		}
		now := time.Now()
		q.wait = max(min(2*q.wait, maxWait), minWait, now.Sub(began))
		q.next = now.Add(q.wait)
	}
	q.pause(runnable > 0)
	return false
}

// pause waits a little before the next check. For the first spinFor of
// work going on it keeps the processor, yielding it when a goroutine is
// runnable (such as one just woken, which may be queued on this very
// processor) and now and then otherwise; after that it sleeps on the wall
// clock.
func (q *quiescence) pause(runnable bool) {
	now := time.Now()
	if q.busySince.IsZero() {
		q.busySince = now
	}
	q.spins++
	switch {
	case now.Sub(q.busySince) >= spinFor:
		time.Sleep(maxWait) // the wall clock may round this up
	case runnable || q.spins%64 == 0:
		runtime.Gosched()
	}
}

// read returns the scheduler's approximate counts of running and of
// runnable goroutines, the caller included in the running.
func (q *quiescence) read() (running, runnable uint64) {
	if q.samples == nil {
		q.samples = []metrics.Sample{{Name: metricRunning}, {Name: metricRunnable}}
	}
	metrics.Read(q.samples)
	return uint64Value(q.samples[0].Value), uint64Value(q.samples[1].Value)
}

// uint64Value returns v as a uint64, or 0 if v is not one (a metric this
// Go release does not support).
func uint64Value(v metrics.Value) uint64 {
	if v.Kind() != metrics.KindUint64 {
		return 0
	}
	return v.Uint64()
}

// quietByStacks is the exact check: it reads the state of every goroutine
// from one stop-the-world snapshot (runtime.Stack) and reports whether
// all but the caller and the clocks' goroutines are blocked.
func (q *quiescence) quietByStacks() bool {
	if q.stack == nil {
		q.stack = make([]byte, 64<<10)
	}
	for {
		n := runtime.Stack(q.stack, true)
		if n < len(q.stack) {
			return allBlocked(q.stack[:n])
		}
		q.stack = make([]byte, 2*len(q.stack))
	}
}

// watchFrame is how the clock's goroutine appears in a stack trace.
var watchFrame = []byte("smdomaintest.(*VirtualClock).watch(")

// idleInSyscall are the top frames of goroutines that the standard
// library keeps in a system call for as long as they wait: for a signal
// (os/signal) and for CPU profile data (runtime/pprof). They are blocked.
var idleInSyscall = [][]byte{
	[]byte("os/signal.signal_recv("),
	[]byte("runtime/pprof.readProfile("),
}

// allBlocked reports whether the goroutines of dump, the output of
// runtime.Stack(buf, true) whose first goroutine is the caller, are all
// blocked, leaving out the caller and the goroutines of virtual clocks.
// Each goroutine's trace begins "goroutine N [state]:" or "goroutine N
// [state, detail]:", its top frame on the next line.
func allBlocked(dump []byte) bool {
	for first := true; len(dump) > 0; first = false {
		g, rest, _ := bytes.Cut(dump, []byte("\n\n"))
		dump = rest
		if !first && !bytes.Contains(g, watchFrame) && busy(g) {
			return false
		}
	}
	return true
}

// busy reports whether the goroutine whose trace is g is running or may
// run at any moment: it is running, runnable or in a system call (other
// than those of idleInSyscall), or waits for the runtime rather than for
// the program (for the collector, or for a stop of the world to end in
// runtime.ReadMemStats, runtime.GC and the like).
func busy(g []byte) bool {
	open := bytes.IndexByte(g, '[')
	end := bytes.Index(g, []byte("]:\n"))
	if open < 0 || end < open {
		return true // not a trace this code understands: assume the worst
	}
	state := g[open+1 : end]
	if comma := bytes.IndexByte(state, ','); comma >= 0 {
		state = state[:comma]
	}
	top := g[end+3:]
	switch string(state) {
	case "running", "runnable", "preempted", "copystack",
		"GC assist wait", "wait for GC cycle", "garbage collection":
		return true
	case "syscall":
		for _, f := range idleInSyscall {
			if bytes.HasPrefix(top, f) {
				return false
			}
		}
		return true
	case "semacquire":
		// Only the runtime's exported functions show among its frames.
		return bytes.HasPrefix(top, []byte("runtime."))
	}
	return false
}
