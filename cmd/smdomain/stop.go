package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/finegrained/smdomain"
)

// stopError is why a command's context ended before the command did: a
// signal, or the --timeout deadline (signal 0).
type stopError struct {
	signal  syscall.Signal
	timeout time.Duration
}

func (e *stopError) Error() string {
	switch e.signal {
	case 0:
		return fmt.Sprintf("gave up after %v (--timeout)", e.timeout)
	case syscall.SIGINT:
		return "interrupted (SIGINT)"
	case syscall.SIGTERM:
		return "terminated (SIGTERM)"
	}
	return "stopped by " + e.signal.String()
}

// exitCode is 128 plus the signal's number (130 for SIGINT, 143 for
// SIGTERM), as a shell reports a command a signal ended, and exitFail for
// --timeout.
func (e *stopError) exitCode() int {
	if e.signal == 0 {
		return exitFail
	}
	return 128 + int(e.signal)
}

// stopped returns what stopped ctx, or nil.
func stopped(ctx context.Context) *stopError {
	var stop *stopError
	if errors.As(context.Cause(ctx), &stop) {
		return stop
	}
	return nil
}

// notifyStop returns a context that the first SIGINT or SIGTERM cancels
// with a *stopError as its cause. The handler is then removed, so a second
// signal ends the process at once. stop releases the handler.
func notifyStop(parent context.Context) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(parent)
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-signals:
			signal.Stop(signals)
			cancel(&stopError{signal: s.(syscall.Signal)})
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(signals)
		close(done)
		cancel(nil)
	}
}

// progress is what a command knows of the domain it works on: what it is
// doing and the status its waits last saw. A command whose context is
// stopped (a signal, --timeout) says with it, in one line, where it left
// the domain.
type progress struct {
	prog string // "smdomain apply"
	// inProcess is set when the domain lives in this process (the demo's
	// emulator), so that a stop changes nothing that outlives it.
	inProcess bool

	mu        sync.Mutex
	doing     string // `applying domain "ml"`
	mayChange bool   // whether doing can change the domain
	polled    bool
	resource  string // what the last poll was of: "d-abc", `user profile "alice" in d-abc`
	status    string
}

func newProgress(prog string) *progress { return &progress{prog: prog} }

// begin records what the command does from now on, and whether that can
// change the domain.
func (p *progress) begin(mayChange bool, format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.doing, p.mayChange = fmt.Sprintf(format, args...), mayChange
}

// reportOptions returns the Client options that report on w, after
// prefix, the waits (waitOption) and the batches of work on members
// (progressOption).
func (p *progress) reportOptions(w io.Writer, prefix string, every time.Duration) []smdomain.ClientOption {
	return []smdomain.ClientOption{p.waitOption(w, prefix, every), p.progressOption(w, prefix, every)}
}

// progressOption returns the option that reports how far a batch of more
// than one item of work on members has got, as "user profiles: 120 of
// 500, 4.9/s, 25s elapsed": the first item, the last, and otherwise at
// most one line per every (or per 5 s when every is 0) of the batch.
func (p *progress) progressOption(w io.Writer, prefix string, every time.Duration) smdomain.ClientOption {
	if every == 0 {
		every = 5 * time.Second
	}
	last := map[string]time.Duration{}
	return smdomain.WithProgress(func(pr smdomain.Progress) {
		p.mu.Lock()
		defer p.mu.Unlock()
		if at, ok := last[pr.Doing]; pr.Total < 2 || ok && pr.Done < pr.Total && pr.Elapsed-at < every {
			return
		}
		last[pr.Doing] = pr.Elapsed
		rate := ""
		if pr.Rate > 0 {
			rate = fmt.Sprintf(", %.2g/s", pr.Rate)
		}
		fmt.Fprintf(w, "%s%s: %d of %d%s, %s elapsed\n", prefix, pr.Doing, pr.Done, pr.Total, rate, pr.Elapsed.Round(time.Second))
	})
}

// waitOption returns the wait option that records each poll and reports it
// on w after prefix, as "waiting for d-abc: Pending, 14s elapsed" for the
// domain and `waiting for user profile "alice" in d-abc: Pending, 14s
// elapsed` for a member: the first poll of a wait, every change of status,
// and otherwise at most one line per every of waiting (every poll when
// every is 0). Members are waited for concurrently; each resource's lines
// are counted on their own.
func (p *progress) waitOption(w io.Writer, prefix string, every time.Duration) smdomain.ClientOption {
	report := p.reporter(w, prefix, every)
	return smdomain.WithWaitOptions(func(o *smdomain.DomainInServiceWaiterOptions) { o.Progress = report })
}

// reporter returns waitOption's progress callback.
func (p *progress) reporter(w io.Writer, prefix string, every time.Duration) func(smdomain.WaitProgress) {
	type seen struct {
		status  string
		elapsed time.Duration // of the last line reported
	}
	last := map[string]seen{}
	return func(wp smdomain.WaitProgress) {
		p.mu.Lock()
		defer p.mu.Unlock()
		status := wp.Status
		if status == "" {
			status = "gone"
		}
		resource := wp.DomainID
		if wp.Name != "" {
			resource = fmt.Sprintf("%s %q in %s", wp.Kind, wp.Name, wp.DomainID)
		}
		prev, ok := last[resource]
		p.polled, p.resource, p.status = true, resource, status
		if ok && wp.Attempt > 1 && status == prev.status && wp.Elapsed-prev.elapsed < every {
			return
		}
		last[resource] = seen{status, wp.Elapsed}
		fmt.Fprintf(w, "%swaiting for %s: %s, %s elapsed\n", prefix, resource, status, wp.Elapsed.Round(time.Second))
	}
}

// fail reports err, which ended the command, on w and returns the exit
// status. When ctx was stopped, that is one line saying what stopped it,
// what the command was doing and where that left the domain, and the
// status is stopError.exitCode; otherwise printError reports err and the
// status is exitFail.
func (p *progress) fail(ctx context.Context, w io.Writer, err error) int {
	stop := stopped(ctx)
	if stop == nil {
		printError(w, p.prog, err)
		return exitFail
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	var state string
	switch {
	case p.inProcess:
		state = "; nothing outside this process was changed"
	case !p.mayChange:
		state = "; nothing was changed"
	case p.polled:
		state = fmt.Sprintf(" (%s, last seen %s); run the same command again to resume", p.resource, p.status)
	default:
		state = "; a change may already have been sent; run the same command again to resume"
	}
	fmt.Fprintf(w, "%s: %v while %s%s\n", p.prog, stop, p.doing, state)
	return stop.exitCode()
}
