package smdomain

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/finegrained/smdomain/internal/backoff"
)

// A member's wait (until it is InService, or gone) is not one goroutine
// polling its Describe call: the members of one kind waited for in one
// domain share a watch, whose rounds look at all of them at once, with a
// listing (ListUserProfiles, ListSpaces: 100 a page) or, when fewer are
// due than the listing has pages, their Describe calls. So a cohort of 500
// profiles becoming InService costs a few listings, not 500 polling
// loops; and a member waiting gives its place among WithConcurrency to the
// next member's write (stepAside), so the writes go on at the service's
// pace however long the members take to settle.

// watchKey names a watch: a member kind in a domain.
type watchKey struct {
	kind     *memberKind
	domainID string
}

// memberWatch is the shared wait for the members of one kind in one
// domain.
type memberWatch struct {
	c   *Client
	key watchKey

	// Under c.watchMu:
	waiters []*memberWaiter
	running bool
	wake    context.CancelFunc // cuts the round loop's sleep short
	life    context.Context    // the round loop's calls; done when the last waiter leaves
	end     context.CancelFunc
	pages   int // of the last listing; 1 before any
}

// memberWaiter is one member's wait. Only the round loop reads and
// writes its fields once it is added, but for done.
type memberWaiter struct {
	name, key string // the name, and its folded form (memberKind.key)
	deleted   bool
	since     time.Time // only a look begun since says anything of it
	deadline  time.Time
	next      time.Time // when its schedule wants the next look
	looks     int
	last      string // the status the last look saw
	done      chan waitOutcome
}

type waitOutcome struct {
	live *state
	err  error
}

// await waits, for at most left, until the member name of kind k in
// domainID is InService (deleted false) or gone (deleted true), and
// returns its state (nil when deleted). The looks follow the Client's
// wait schedule (WithWaitOptions), the first one at the watch's next
// round.
func (c *Client) await(ctx context.Context, k *memberKind, domainID, name string, deleted bool, left time.Duration) (*state, error) {
	now := c.opts.clock.Now()
	w := &memberWaiter{name: name, key: k.key(name), deleted: deleted, since: now, deadline: now.Add(left), next: now,
		done: make(chan waitOutcome, 1)}
	mw := c.watch(watchKey{k, domainID})
	mw.add(w)
	back := stepAside(ctx)
	var out waitOutcome
	select {
	case out = <-w.done:
	case <-ctx.Done():
		mw.remove(w)
		out.err = fmt.Errorf("wait for %s to be %s: %w", resourceLabel(k.noun, name, domainID), waitTarget(deleted), ctx.Err())
	}
	if err := back(); err != nil && out.err == nil {
		out.err = err
	}
	return out.live, out.err
}

// watch returns the Client's watch for key, making it the first time.
func (c *Client) watch(key watchKey) *memberWatch {
	c.watchMu.Lock()
	defer c.watchMu.Unlock()
	if c.watches == nil {
		c.watches = map[watchKey]*memberWatch{}
	}
	mw := c.watches[key]
	if mw == nil {
		mw = &memberWatch{c: c, key: key, pages: 1}
		c.watches[key] = mw
	}
	return mw
}

// add registers w and starts the round loop unless it runs.
func (mw *memberWatch) add(w *memberWaiter) {
	mw.c.watchMu.Lock()
	defer mw.c.watchMu.Unlock()
	mw.waiters = append(mw.waiters, w)
	if mw.running {
		if mw.wake != nil {
			mw.wake() // w is due now
		}
		return
	}
	mw.running = true
	mw.life, mw.end = context.WithCancel(context.Background())
	go mw.run()
}

// remove drops w, whose caller left; with the last waiter gone, the
// round loop's calls and sleep end.
func (mw *memberWatch) remove(w *memberWaiter) {
	mw.c.watchMu.Lock()
	defer mw.c.watchMu.Unlock()
	mw.waiters = slices.DeleteFunc(mw.waiters, func(x *memberWaiter) bool { return x == w })
	if len(mw.waiters) == 0 {
		mw.end()
	}
}

// run is the round loop: while anyone waits, it sleeps until the first
// waiter is due (and at least the schedule's MinDelay after the last
// round), then looks at every waiter due, or at all of them with a
// listing.
func (mw *memberWatch) run() {
	c := mw.c
	o := memberWaitOptions(c)
	jitter := o.Jitter
	if jitter == nil {
		jitter = rand.Float64
	}
	var lastRound time.Time
	for {
		c.watchMu.Lock()
		if len(mw.waiters) == 0 {
			mw.running, mw.wake = false, nil
			mw.end()
			c.watchMu.Unlock()
			return
		}
		if mw.life.Err() != nil { // the last waiter left, and another came
			mw.life, mw.end = context.WithCancel(context.Background())
		}
		life := mw.life
		first := mw.waiters[0].next
		for _, w := range mw.waiters {
			if w.next.Before(first) {
				first = w.next
			}
		}
		if !lastRound.IsZero() && first.Before(lastRound.Add(o.MinDelay)) {
			first = lastRound.Add(o.MinDelay)
		}
		sleep, wake := context.WithCancel(life)
		mw.wake = wake
		c.watchMu.Unlock()
		if d := first.Sub(c.opts.clock.Now()); d > 0 {
			_ = c.opts.clock.Sleep(sleep, d) // cut short by a new waiter, or by the last one leaving
		}
		wake()
		now := c.opts.clock.Now()
		if now.Before(first) {
			continue // woken early: plan the round again
		}
		lastRound = now
		mw.round(life, now, o, jitter)
	}
}

// round looks at the waiters due at now (all of them when a listing is
// cheaper than their Describe calls) and ends the waits it can.
func (mw *memberWatch) round(ctx context.Context, now time.Time, o WaiterOptions[any, any], jitter func() float64) {
	c, k, id := mw.c, mw.key.kind, mw.key.domainID
	c.watchMu.Lock()
	var due []*memberWaiter
	for _, w := range mw.waiters {
		if !w.next.After(now) {
			due = append(due, w)
		}
	}
	list := len(due) > mw.pages
	if list {
		due = slices.Clone(mw.waiters)
	}
	c.watchMu.Unlock()

	looks := make([]*state, len(due)) // nil: not there
	errs := make([]error, len(due))
	if list {
		residents, err := mw.list(ctx)
		for i, w := range due {
			if r, ok := residents[w.key]; ok && err == nil {
				looks[i] = &state{id: id, name: r.name, status: r.status}
			}
			errs[i] = err
		}
	} else {
		for i, w := range due {
			out, err := k.describe(ctx, c.api, id, w.name)
			if out != nil {
				looks[i] = k.state(out)
			}
			errs[i] = err
		}
	}
	for i, w := range due {
		outcome, over := mw.settle(ctx, w, looks[i], errs[i], now, o)
		if !over {
			w.next = now.Add(backoff.Delay(w.looks, o.MinDelay, o.MaxDelay, w.deadline.Sub(now), jitter()))
			continue
		}
		c.watchMu.Lock()
		if slices.Contains(mw.waiters, w) { // else its caller left
			w.done <- outcome
			mw.waiters = slices.DeleteFunc(mw.waiters, func(x *memberWaiter) bool { return x == w })
		}
		c.watchMu.Unlock()
	}
}

// list lists the watch's kind in its domain, keyed by folded name, and
// notes how many pages that took.
func (mw *memberWatch) list(ctx context.Context) (map[string]resident, error) {
	lister := mw.c.listUserProfiles
	if mw.key.kind != userProfileKind {
		lister = mw.c.listSpaces
	}
	residents, err := lister(ctx, mw.key.domainID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]resident, len(residents))
	for _, r := range residents {
		out[mw.key.kind.key(r.name)] = r
	}
	mw.c.watchMu.Lock()
	mw.pages = max(1, (len(residents)+99)/100)
	mw.c.watchMu.Unlock()
	return out, nil
}

// settle applies one look at w (live, nil when it was not there, or err)
// and says whether its wait is over, and how.
func (mw *memberWatch) settle(ctx context.Context, w *memberWaiter, live *state, err error, now time.Time, o WaiterOptions[any, any]) (waitOutcome, bool) {
	k, id := mw.key.kind, mw.key.domainID
	w.looks++
	status := ""
	if live != nil {
		status = live.status
	}
	if err == nil {
		w.last = status
	}
	mw.report(ctx, w, status, now, o)
	failed := func() *StatusError { return mw.statusError(ctx, w, live) }
	switch {
	case err != nil && !outcomeUnknown(ctx, err):
		return waitOutcome{err: fmt.Errorf("wait for %s to be %s: %w", resourceLabel(k.noun, w.name, id), waitTarget(w.deleted), err)}, true
	case err != nil:
		// Throttled past the budget, a 5xx, no answer: look again.
	case w.deleted && live == nil:
		return waitOutcome{}, true
	case w.deleted:
		if _, err := deletedStatus(status, failed); err != nil {
			return waitOutcome{err: err}, true
		}
	case live != nil: // else not listed yet: a create shows after a moment
		retry, err := inServiceStatus(status, failed)
		if err != nil {
			return waitOutcome{err: err}, true
		}
		if !retry {
			return waitOutcome{live: live}, true
		}
	}
	if !now.Before(w.deadline) {
		return waitOutcome{err: &WaitTimeoutError{DomainID: id, Kind: k.noun, Name: w.name, Target: waitTarget(w.deleted),
			Status: w.last, Waited: now.Sub(w.since), Polls: w.looks}}, true
	}
	return waitOutcome{}, false
}

// report gives one look to the wait's progress callback and logger.
func (mw *memberWatch) report(ctx context.Context, w *memberWaiter, status string, now time.Time, o WaiterOptions[any, any]) {
	k, id := mw.key.kind, mw.key.domainID
	p := WaitProgress{DomainID: id, Kind: k.noun, Name: w.name, Status: status, Attempt: w.looks, Elapsed: now.Sub(w.since)}
	if o.Progress != nil {
		o.Progress(p)
	}
	if o.Logger != nil {
		level := slog.LevelDebug
		if o.LogWaitAttempts {
			level = slog.LevelInfo
		}
		o.Logger.LogAttrs(ctx, level, "waiting for "+k.noun, slog.String("domain", id), slog.String("kind", k.noun),
			slog.String("name", w.name), slog.String("status", status), slog.Int("attempt", w.looks), slog.Duration("elapsed", p.Elapsed))
	}
}

// statusError is the *StatusError of a member in a status waiting cannot
// fix, with its FailureReason, which only its Describe call reports.
func (mw *memberWatch) statusError(ctx context.Context, w *memberWaiter, live *state) *StatusError {
	k, id := mw.key.kind, mw.key.domainID
	reason := live.reason
	if reason == "" {
		if out, err := k.describe(ctx, mw.c.api, id, w.name); err == nil && out != nil {
			reason = k.state(out).reason
		}
	}
	return &StatusError{DomainID: id, Kind: k.noun, Name: w.name, Status: live.status, FailureReason: reason}
}
