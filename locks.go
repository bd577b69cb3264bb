package smdomain

import (
	"context"
	"sync"
)

// nameLocks serialises work on one domain name within a Client. Waiting
// for the lock honours ctx.
type nameLocks struct {
	mu    sync.Mutex
	locks map[string]chan struct{}
}

func (l *nameLocks) lock(ctx context.Context, name string) (unlock func(), err error) {
	l.mu.Lock()
	if l.locks == nil {
		l.locks = map[string]chan struct{}{}
	}
	ch, ok := l.locks[name]
	if !ok {
		ch = make(chan struct{}, 1)
		l.locks[name] = ch
	}
	l.mu.Unlock()
	select {
	case ch <- struct{}{}:
		return func() { <-ch }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
