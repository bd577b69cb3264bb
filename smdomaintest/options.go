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
}

func newOptions(opts []Option) options {
	o := options{
		clock:   realClock{},
		account: DefaultAccount,
		quota:   DefaultDomainQuota,

		userProfileUpdateDelay: -1,
		spaceUpdateDelay:       -1,
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
