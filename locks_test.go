package smdomain

import (
	"context"
	"errors"
	"sync"
	"testing"
)

func TestNameLocks(t *testing.T) {
	var l nameLocks
	ctx := context.Background()

	// Serialised per name; other names are independent.
	unlockA, err := l.lock(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	unlockB, err := l.lock(ctx, "b")
	if err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := l.lock(cancelled, "a"); !errors.Is(err, context.Canceled) {
		t.Fatalf("lock of a held name with a cancelled ctx: %v, want context.Canceled", err)
	}

	// Many waiters on one name all get it in turn.
	var wg sync.WaitGroup
	inside := 0
	for range 20 {
		wg.Go(func() {
			unlock, err := l.lock(ctx, "a")
			if err != nil {
				t.Error(err)
				return
			}
			inside++ // the lock is what makes this safe under -race
			unlock()
		})
	}
	unlockA()
	wg.Wait()
	unlockB()
	if inside != 20 {
		t.Errorf("%d of 20 waiters got the lock", inside)
	}
	if n := l.held(); n != 0 {
		t.Errorf("%d locks kept after every holder left, want 0", n)
	}
}

// held reports how many names have a lock.
func (l *nameLocks) held() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.locks)
}
