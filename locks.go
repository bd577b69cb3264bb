package smdomain

import (
	"context"
	"sync"
)

// nameLocks serialises work on one domain name within a Client. Waiting
// for the lock honours ctx. A name's lock is dropped when nobody holds or
// waits for it, so a long-running process does not keep one per name it
// ever saw.
type nameLocks struct {
	mu    sync.Mutex
	locks map[string]*nameLock
}

type nameLock struct {
	ch   chan struct{} // holds a token while the lock is held
	refs int           // holders and waiters; guarded by nameLocks.mu
}

func (l *nameLocks) lock(ctx context.Context, name string) (unlock func(), err error) {
	l.mu.Lock()
	if l.locks == nil {
		l.locks = map[string]*nameLock{}
	}
	nl, ok := l.locks[name]
	if !ok {
		nl = &nameLock{ch: make(chan struct{}, 1)}
		l.locks[name] = nl
	}
	nl.refs++
	l.mu.Unlock()
	select {
	case nl.ch <- struct{}{}:
		return func() {
			<-nl.ch
			l.release(name, nl)
		}, nil
	case <-ctx.Done():
		l.release(name, nl)
		return nil, ctx.Err()
	}
}

func (l *nameLocks) release(name string, nl *nameLock) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if nl.refs--; nl.refs == 0 {
		delete(l.locks, name)
	}
}
