package smdomaintest

import "time"

// Default settings of an Emulator. Each can be changed with an Option.
const (
	// DefaultAccount is the AWS account ID the emulator answers as.
	DefaultAccount = "123456789012"
	// DefaultDomainQuota is the number of live domains a region may hold
	// before CreateDomain answers ResourceLimitExceeded. It is a round
	// number for tests, not the real service's quota.
	DefaultDomainQuota = 100
	// DefaultCallLogCapacity is how many calls the call log keeps: the
	// newest. It bounds the log of a long-running emulator.
	DefaultCallLogCapacity = 4096
	// DefaultCallBodyLimit is how many bytes of each request body the
	// call log keeps (every SageMaker request this project sends is
	// smaller). With DefaultCallLogCapacity, the log holds at most 64 MiB
	// of bodies.
	DefaultCallBodyLimit = 16 << 10
	// DefaultMaxBodyBytes is the largest request body the emulator reads;
	// a larger one is answered 413. No SageMaker request comes near it.
	DefaultMaxBodyBytes = 1 << 20
	// DefaultBodyReadTimeout is how long, on the wall clock, a client may
	// take to send a request body once its headers are in; a slower one
	// is answered 408 and its connection closed.
	DefaultBodyReadTimeout = 30 * time.Second
)

// Option configures an Emulator or a Server.
type Option func(*options)

type options struct {
	clock       Clock
	account     string
	callerARN   string
	createDelay time.Duration
	updateDelay time.Duration
	deleteDelay time.Duration
	quota       int

	userProfileDelay       time.Duration
	userProfileUpdateDelay time.Duration // < 0 until set: then userProfileDelay
	spaceDelay             time.Duration
	spaceUpdateDelay       time.Duration // < 0 until set: then spaceDelay
	appDelay               time.Duration

	callLogCapacity int
	callBodyLimit   int
	maxBodyBytes    int64
	bodyReadTimeout time.Duration

	latency time.Duration

	// The rate limits can change after construction (SetRateLimit,
	// SetOperationRateLimit): they are read and written with the
	// emulator's lock held.
	rateLimit rateLimit            // of every operation
	rateOps   map[string]rateLimit // of one operation, in place of rateLimit
}

// rateLimitFor returns the rate limit of op.
func (o *options) rateLimitFor(op string) rateLimit {
	if l, ok := o.rateOps[op]; ok {
		return l
	}
	return o.rateLimit
}

func newOptions(opts []Option) options {
	o := options{
		clock:   realClock{},
		account: DefaultAccount,
		quota:   DefaultDomainQuota,

		userProfileUpdateDelay: -1,
		spaceUpdateDelay:       -1,

		callLogCapacity: DefaultCallLogCapacity,
		callBodyLimit:   DefaultCallBodyLimit,
		maxBodyBytes:    DefaultMaxBodyBytes,
		bodyReadTimeout: DefaultBodyReadTimeout,
	}
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	if o.userProfileUpdateDelay < 0 {
		o.userProfileUpdateDelay = o.userProfileDelay
	}
	if o.spaceUpdateDelay < 0 {
		o.spaceUpdateDelay = o.spaceDelay
	}
	if o.callerARN == "" {
		o.callerARN = "arn:aws:iam::" + o.account + ":user/smdomaintest"
	}
	return o
}

// WithClock sets the clock that status transitions are computed from.
// The default is the wall clock; tests pass a *FakeClock.
func WithClock(c Clock) Option {
	return func(o *options) {
		if c != nil {
			o.clock = c
		}
	}
}

// WithAccount sets the account ID that appears in ARNs and in
// GetCallerIdentity. The default is DefaultAccount.
func WithAccount(id string) Option {
	return func(o *options) { o.account = id }
}

// WithCallerARN sets the ARN GetCallerIdentity reports. The default is
// arn:aws:iam::<account>:user/smdomaintest.
func WithCallerARN(arn string) Option {
	return func(o *options) { o.callerARN = arn }
}

// WithCreateDelay sets how long a new domain stays Pending before it is
// InService. The default is 0: InService from the first read after the
// create.
func WithCreateDelay(d time.Duration) Option {
	return func(o *options) { o.createDelay = max(d, 0) }
}

// WithUpdateDelay sets how long an updated domain stays Updating before it
// is InService again. The default is 0.
func WithUpdateDelay(d time.Duration) Option {
	return func(o *options) { o.updateDelay = max(d, 0) }
}

// WithDeleteDelay sets how long a deleted domain stays Deleting before it is
// gone. The default is 0.
func WithDeleteDelay(d time.Duration) Option {
	return func(o *options) { o.deleteDelay = max(d, 0) }
}

// WithDomainQuota sets how many live (not Deleting) domains a region may
// hold; CreateDomain past it answers ResourceLimitExceeded. The default is
// DefaultDomainQuota; n <= 0 means no limit.
func WithDomainQuota(n int) Option {
	return func(o *options) { o.quota = n }
}

// WithUserProfileDelay sets how long a new user profile stays Pending
// before it is InService, and how long a deleted one stays Deleting before
// it is gone; unless WithUserProfileUpdateDelay is given, also how long an
// updated one stays Updating. The default is 0.
func WithUserProfileDelay(d time.Duration) Option {
	return func(o *options) { o.userProfileDelay = max(d, 0) }
}

// WithUserProfileUpdateDelay sets how long an updated user profile stays
// Updating before it is InService again. The default is the user profile
// delay (WithUserProfileDelay), whatever order the options come in.
func WithUserProfileUpdateDelay(d time.Duration) Option {
	return func(o *options) { o.userProfileUpdateDelay = max(d, 0) }
}

// WithSpaceDelay sets how long a new space stays Pending before it is
// InService, and how long a deleted one stays Deleting before it is gone;
// unless WithSpaceUpdateDelay is given, also how long an updated one stays
// Updating. The default is 0.
func WithSpaceDelay(d time.Duration) Option {
	return func(o *options) { o.spaceDelay = max(d, 0) }
}

// WithSpaceUpdateDelay sets how long an updated space stays Updating
// before it is InService again. The default is the space delay
// (WithSpaceDelay), whatever order the options come in.
func WithSpaceUpdateDelay(d time.Duration) Option {
	return func(o *options) { o.spaceUpdateDelay = max(d, 0) }
}

// WithAppDelay sets how long a new app stays Pending before it is
// InService, and how long a deleted one stays Deleting before it is
// Deleted. The default is 0.
func WithAppDelay(d time.Duration) Option {
	return func(o *options) { o.appDelay = max(d, 0) }
}

// WithCallLogCapacity sets how many calls the call log keeps; past it, the
// oldest go. It also bounds how many presigned URLs the emulator
// remembers (Emulator.PresignedURL). The default is
// DefaultCallLogCapacity; n <= 0 keeps it.
func WithCallLogCapacity(n int) Option {
	return func(o *options) {
		if n > 0 {
			o.callLogCapacity = n
		}
	}
}

// WithCallBodyLimit sets how many bytes of each request body (and of the
// names of its top-level members) the call log keeps; Call.RequestBytes
// always holds the full size. The default is DefaultCallBodyLimit; 0
// keeps no body, and n < 0 keeps the default.
func WithCallBodyLimit(n int) Option {
	return func(o *options) {
		if n >= 0 {
			o.callBodyLimit = n
		}
	}
}

// WithMaxBodyBytes sets the largest request body the emulator reads; a
// larger one is answered 413 Request Entity Too Large and not logged. The
// default is DefaultMaxBodyBytes; n <= 0 keeps it.
func WithMaxBodyBytes(n int64) Option {
	return func(o *options) {
		if n > 0 {
			o.maxBodyBytes = n
		}
	}
}

// WithBodyReadTimeout sets how long, on the wall clock (not the Clock of
// WithClock), a client may take to send a request body; a slower one is
// answered 408 Request Timeout and its connection closed, and the request
// is not logged. It applies on any http.Server that supports read
// deadlines (HTTP/1 and HTTP/2 servers of net/http do). The default is
// DefaultBodyReadTimeout; d <= 0 keeps it.
func WithBodyReadTimeout(d time.Duration) Option {
	return func(o *options) {
		if d > 0 {
			o.bodyReadTimeout = d
		}
	}
}

// WithRateLimit gives every operation the emulator serves (each SageMaker
// operation and GetCallerIdentity) a token bucket of its own, measured on
// the emulator's clock (WithClock): it holds burst tokens to begin with
// and at most, and gains one every 1/rate seconds (rounded down to the
// nanosecond). A call that finds its operation's bucket empty is refused
// at once with HTTP 400 ThrottlingException "Rate exceeded" (Throttling
// for STS), as the service refuses a call over its limit: it changes
// nothing and takes no token, and the call log records it with Fault
// "ratelimit". See the package documentation for how the limit meets
// faults armed with Throttle, Fail, CutConnection and LoseResponse.
//
// The default is no limit; rate <= 0 (or NaN) or burst < 1 means none.
// WithOperationRateLimit sets one operation's bucket in place of this
// one, whatever order the options come in.
func WithRateLimit(rate float64, burst int) Option {
	return func(o *options) { o.rateLimit = newRateLimit(rate, burst) }
}

// WithOperationRateLimit gives op (an operation name such as
// "CreateUserProfile" or "GetCallerIdentity") a token bucket of rate
// tokens a second and burst at once, as WithRateLimit does for every
// operation, in place of the one WithRateLimit gives it; rate <= 0 or
// burst < 1 exempts op from WithRateLimit. Given twice for one op, the
// later wins. A name the emulator does not serve has no effect.
func WithOperationRateLimit(op string, rate float64, burst int) Option {
	return func(o *options) {
		if o.rateOps == nil {
			o.rateOps = map[string]rateLimit{}
		}
		o.rateOps[op] = newRateLimit(rate, burst)
	}
}

// WithLatency makes the emulator take d to answer each request it serves
// (each one it logs): the request is carried out when it arrives (its
// rate-limit token taken, its changes made, its call logged at that
// time), and its answer, or the closing of its connection for
// CutConnection and LoseResponse, comes d later, waited on the emulator's
// clock (WithClock) with no lock held, so that concurrent requests wait
// together. A request whose context is done during the wait is not
// answered. Requests refused before their body is read (unauthenticated,
// 408, 413) are answered at once. The default is 0: no wait; d < 0 is 0.
//
// Use it with a VirtualClock, on which concurrent waits overlap as in
// real time; on a FakeClock each request's wait moves the time by d, so
// concurrent requests' waits add up.
func WithLatency(d time.Duration) Option {
	return func(o *options) { o.latency = max(d, 0) }
}
