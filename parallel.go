package smdomain

import (
	"context"
	"sync"
)

// inParallel calls fn(ctx, i) for each i from 0 to n-1, in that order and
// at most limit at a time, and returns each call's error. Once a call has
// failed, or ctx is done, no further call starts: the first one left out
// gets ctx.Err() when ctx is done, and nil otherwise. A call may leave
// its place to another while it waits (stepAside).
func inParallel(ctx context.Context, n, limit int, fn func(context.Context, int) error) []error {
	errs := make([]error, n)
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		failed bool
	)
	sem := make(chan struct{}, max(limit, 1))
	for i := range n {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		mu.Lock()
		stop := failed
		mu.Unlock()
		if stop || ctx.Err() != nil {
			errs[i] = ctx.Err()
			break
		}
		wg.Add(1)
		s := &place{sem: sem, held: true}
		go func() {
			defer wg.Done()
			defer s.leave()
			if err := fn(context.WithValue(ctx, placeKey{}, s), i); err != nil {
				mu.Lock()
				failed, errs[i] = true, err
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return errs
}

// place is one call's place among inParallel's limit.
type place struct {
	sem  chan struct{}
	held bool // only its own call's goroutine reads and writes it
}

type placeKey struct{}

func (p *place) leave() {
	if p.held {
		<-p.sem
		p.held = false
	}
}

// stepAside gives up the place of the inParallel call ctx belongs to, so
// that another call can start while this one waits, and returns the
// function that takes a place again (it fails only when ctx is done).
// Outside inParallel it does nothing.
func stepAside(ctx context.Context) (back func() error) {
	p, _ := ctx.Value(placeKey{}).(*place)
	if p == nil || !p.held {
		return func() error { return nil }
	}
	p.leave()
	return func() error {
		select {
		case p.sem <- struct{}{}:
			p.held = true
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
