package smdomain

import (
	"context"
	"sync"
)

// inParallel calls fn(ctx, i) for each i from 0 to n-1, in that order and
// at most limit at a time, and returns each call's error. Once a call has
// failed, or ctx is done, no further call starts: the first one left out
// gets ctx.Err() when ctx is done, and nil otherwise.
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
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if err := fn(ctx, i); err != nil {
				mu.Lock()
				failed, errs[i] = true, err
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return errs
}
