package smdomain

import (
	"context"
	"sync"
	"time"
)

// Progress is how far a Client has got with one batch of work on many
// members at once: the user profiles or spaces an Ensure writes, the
// offboardings it carries out, or the apps, spaces and user profiles a
// cascade deletes.
type Progress struct {
	// Doing names the batch: "user profiles", "spaces", "offboardings",
	// "deleting apps", "deleting spaces" or "deleting user profiles".
	Doing string
	// Done counts the batch's items finished so far, of Total.
	Done, Total int
	// Elapsed is the time since the batch began, on the Client's clock.
	Elapsed time.Duration
	// Rate is the current rate: items finished per second over the last
	// progressWindow (10 s), or since the batch began when that is
	// shorter; 0 before a second has passed.
	Rate float64
}

// progressWindow is how far back Progress.Rate counts.
const progressWindow = 10 * time.Second

// WithProgress has fn called each time an item of a batch of work on
// members finishes (see Progress), from whichever goroutine finished it;
// calls do not overlap. The Client's logger (WithLogger) also gets a line
// at every tenth of a batch. fn must return quickly.
func WithProgress(fn func(Progress)) ClientOption {
	return func(o *clientOptions) { o.progress = fn }
}

// batchProgress counts one batch's finished items and reports them.
type batchProgress struct {
	c     *Client
	doing string
	total int
	start time.Time

	mu     sync.Mutex
	done   int
	recent []time.Time // when the items of the last progressWindow finished, oldest first
}

func (c *Client) startProgress(doing string, total int) *batchProgress {
	return &batchProgress{c: c, doing: doing, total: total, start: c.opts.clock.Now()}
}

// finished counts one more item finished.
func (b *batchProgress) finished(ctx context.Context) {
	b.mu.Lock()
	defer b.mu.Unlock()
	before := b.done
	b.done++
	now := b.c.opts.clock.Now()
	b.recent = append(b.recent, now)
	i := 0
	for i < len(b.recent) && now.Sub(b.recent[i]) >= progressWindow {
		i++
	}
	b.recent = b.recent[i:]
	p := Progress{Doing: b.doing, Done: b.done, Total: b.total, Elapsed: now.Sub(b.start)}
	if p.Elapsed >= time.Second {
		p.Rate = float64(len(b.recent)) / min(p.Elapsed, progressWindow).Seconds()
	}
	if b.c.opts.progress != nil {
		b.c.opts.progress(p)
	}
	if before*10/b.total != p.Done*10/b.total {
		b.c.log(ctx, "progress", "doing", p.Doing, "done", p.Done, "total", p.Total, "per_second", p.Rate)
	}
}
