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

// callLog keeps the newest calls, at most a capacity of them, in a ring.
type callLog struct {
	ring   []Call
	oldest int // where the oldest call is, once the ring is full
}

// add records c, dropping the oldest call when capacity are kept.
func (l *callLog) add(c Call, capacity int) {
	if len(l.ring) < capacity {
		l.ring = append(l.ring, c)
		return
	}
	l.ring[l.oldest] = c
	l.oldest = (l.oldest + 1) % len(l.ring)
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
	out := slices.Concat(e.calls.ring[e.calls.oldest:], e.calls.ring[:e.calls.oldest])
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
	e.calls = callLog{}
}
