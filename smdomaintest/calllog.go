package smdomaintest

import (
	"slices"
	"time"
)

// Call is one request the emulator received, as the call log records it.
type Call struct {
	// Operation is the operation's name without its service prefix:
	// "CreateDomain", "GetCallerIdentity". Empty if the request named none.
	Operation string
	// Time is when the request arrived, on the emulator's clock.
	Time time.Time
	// RequestBytes is the size of the whole request body, however much of
	// it Body keeps.
	RequestBytes int
	// Fields are the top-level members present in a SageMaker request body,
	// sorted: what an UpdateDomain carried, for payload budgets. Nil for STS.
	// Like Body, they are bounded: names are kept, in order, while their
	// lengths add up to no more than the body limit (WithCallBodyLimit),
	// so a body within the limit has all of its members here.
	Fields []string
	// StatusCode is the HTTP status answered, or that would have been
	// answered when the response was lost; 0 when the connection was cut
	// before anything was done.
	StatusCode int
	// Fault is the injected fault the call met: "throttle", "fail", "cut",
	// "lose"; "ratelimit" when the operation's rate limit (WithRateLimit,
	// WithOperationRateLimit) refused it; or "" for none. A call with
	// Fault "ratelimit" or "throttle" was answered ThrottlingException
	// (Throttling for STS) and changed nothing.
	Fault string
	// Body is a copy of the request body, or of its first bytes when it is
	// longer than the body limit (WithCallBodyLimit, DefaultCallBodyLimit):
	// len(Body) < RequestBytes says it was cut.
	Body []byte
}

// ring keeps the newest items, at most a capacity of them: the call log,
// and the tokens of the presigned URLs remembered.
type ring[T any] struct {
	items  []T
	oldest int // where the oldest item is, once the ring is full
}

// add records v and, when capacity items were kept, drops the oldest
// and returns it.
func (r *ring[T]) add(v T, capacity int) (dropped T, full bool) {
	if len(r.items) < capacity {
		r.items = append(r.items, v)
		return dropped, false
	}
	dropped = r.items[r.oldest]
	r.items[r.oldest] = v
	r.oldest = (r.oldest + 1) % len(r.items)
	return dropped, true
}

// ordered returns the items, oldest first, in a new slice.
func (r *ring[T]) ordered() []T {
	return slices.Concat(r.items[r.oldest:], r.items[:r.oldest])
}

// newCall returns the log entry of a request that arrived at now with
// body and the top-level members fields, both cut to limit bytes.
func newCall(now time.Time, body []byte, fields []string, limit int) Call {
	kept, size := 0, 0
	for _, f := range fields {
		if size += len(f); size > limit {
			break
		}
		kept++
	}
	return Call{
		Time:         now,
		RequestBytes: len(body),
		Fields:       slices.Clone(fields[:kept]),
		Body:         slices.Clone(body[:min(len(body), limit)]),
	}
}

// Calls returns a copy of the call log, oldest first: the newest calls,
// at most the log's capacity of them (WithCallLogCapacity,
// DefaultCallLogCapacity). Requests refused before they reach an
// operation (not POST, no well-formed SigV4 Authorization header or one
// scoped to another service, a body too large or too slow) are not
// logged.
func (e *Emulator) Calls() []Call {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := e.calls.ordered()
	for i := range out {
		out[i].Fields = slices.Clone(out[i].Fields)
		out[i].Body = slices.Clone(out[i].Body)
	}
	return out
}

// ResetCalls empties the call log.
func (e *Emulator) ResetCalls() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.calls = ring[Call]{}
}
