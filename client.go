package smdomain

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// API is the part of *sagemaker.Client that smdomain calls, with the SDK's
// exact signatures, so a *sagemaker.Client, a wrapper around one, or a test
// double can be passed to New.
type API interface {
	CreateDomain(context.Context, *sagemaker.CreateDomainInput, ...func(*sagemaker.Options)) (*sagemaker.CreateDomainOutput, error)
	DescribeDomain(context.Context, *sagemaker.DescribeDomainInput, ...func(*sagemaker.Options)) (*sagemaker.DescribeDomainOutput, error)
	UpdateDomain(context.Context, *sagemaker.UpdateDomainInput, ...func(*sagemaker.Options)) (*sagemaker.UpdateDomainOutput, error)
	DeleteDomain(context.Context, *sagemaker.DeleteDomainInput, ...func(*sagemaker.Options)) (*sagemaker.DeleteDomainOutput, error)
	ListDomains(context.Context, *sagemaker.ListDomainsInput, ...func(*sagemaker.Options)) (*sagemaker.ListDomainsOutput, error)
	AddTags(context.Context, *sagemaker.AddTagsInput, ...func(*sagemaker.Options)) (*sagemaker.AddTagsOutput, error)
	DeleteTags(context.Context, *sagemaker.DeleteTagsInput, ...func(*sagemaker.Options)) (*sagemaker.DeleteTagsOutput, error)
	ListTags(context.Context, *sagemaker.ListTagsInput, ...func(*sagemaker.Options)) (*sagemaker.ListTagsOutput, error)

	// What Ensure converges the user profiles and spaces a spec declares with.
	CreateUserProfile(context.Context, *sagemaker.CreateUserProfileInput, ...func(*sagemaker.Options)) (*sagemaker.CreateUserProfileOutput, error)
	DescribeUserProfile(context.Context, *sagemaker.DescribeUserProfileInput, ...func(*sagemaker.Options)) (*sagemaker.DescribeUserProfileOutput, error)
	UpdateUserProfile(context.Context, *sagemaker.UpdateUserProfileInput, ...func(*sagemaker.Options)) (*sagemaker.UpdateUserProfileOutput, error)
	CreateSpace(context.Context, *sagemaker.CreateSpaceInput, ...func(*sagemaker.Options)) (*sagemaker.CreateSpaceOutput, error)
	DescribeSpace(context.Context, *sagemaker.DescribeSpaceInput, ...func(*sagemaker.Options)) (*sagemaker.DescribeSpaceOutput, error)
	UpdateSpace(context.Context, *sagemaker.UpdateSpaceInput, ...func(*sagemaker.Options)) (*sagemaker.UpdateSpaceOutput, error)

	// What StudioURL signs users in with.
	CreatePresignedDomainUrl(context.Context, *sagemaker.CreatePresignedDomainUrlInput, ...func(*sagemaker.Options)) (*sagemaker.CreatePresignedDomainUrlOutput, error)

	// What Delete with WithCascade removes before the domain, and lists to
	// explain a refused delete.
	ListApps(context.Context, *sagemaker.ListAppsInput, ...func(*sagemaker.Options)) (*sagemaker.ListAppsOutput, error)
	DeleteApp(context.Context, *sagemaker.DeleteAppInput, ...func(*sagemaker.Options)) (*sagemaker.DeleteAppOutput, error)
	ListSpaces(context.Context, *sagemaker.ListSpacesInput, ...func(*sagemaker.Options)) (*sagemaker.ListSpacesOutput, error)
	DeleteSpace(context.Context, *sagemaker.DeleteSpaceInput, ...func(*sagemaker.Options)) (*sagemaker.DeleteSpaceOutput, error)
	ListUserProfiles(context.Context, *sagemaker.ListUserProfilesInput, ...func(*sagemaker.Options)) (*sagemaker.ListUserProfilesOutput, error)
	DeleteUserProfile(context.Context, *sagemaker.DeleteUserProfileInput, ...func(*sagemaker.Options)) (*sagemaker.DeleteUserProfileOutput, error)
}

var _ API = (*sagemaker.Client)(nil)

// STSAPI is the part of *sts.Client that smdomain calls: it learns the
// caller's account and partition to check execution roles before writing.
type STSAPI interface {
	GetCallerIdentity(context.Context, *sts.GetCallerIdentityInput, ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error)
}

var _ STSAPI = (*sts.Client)(nil)

// Clock is the time source smdomain waits on. smdomaintest.FakeClock
// implements it with virtual time, so tests of long waits take no real time.
type Clock interface {
	Now() time.Time
	// Sleep waits for d or until ctx is done, and returns ctx.Err() then.
	Sleep(ctx context.Context, d time.Duration) error
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// ClientOption configures a Client.
type ClientOption func(*clientOptions)

type clientOptions struct {
	logger            *slog.Logger
	clock             Clock
	sts               STSAPI
	maxWait           time.Duration
	crossAccountRoles bool
	owner             string
	ownerSet          bool
	concurrency       int
	writeAttempts     int
	waitOptions       []func(*DomainInServiceWaiterOptions)
	idc               identityCenter // WithIdentityCenter (identitycenter.go)
	progress          func(Progress)
}

// DefaultMaxWait is how long Ensure and Delete wait for a domain to settle
// unless WithMaxWait says otherwise.
const DefaultMaxWait = 30 * time.Minute

// WithLogger sends progress (status, attempt, elapsed) and the actions taken
// to l. Default: nothing is logged. Nothing secret is ever logged.
func WithLogger(l *slog.Logger) ClientOption { return func(o *clientOptions) { o.logger = l } }

// WithClock sets the clock waits use. Default: the real clock.
func WithClock(c Clock) ClientOption { return func(o *clientOptions) { o.clock = c } }

// WithSTS sets the STS client used to learn the caller's account. Default
// for New: none, and execution roles are not checked against the caller's
// account; NewFromConfig builds one from the same aws.Config.
func WithSTS(c STSAPI) ClientOption { return func(o *clientOptions) { o.sts = c } }

// WithMaxWait bounds how long Ensure and Delete wait for the domain to
// settle, and how long they keep sending throttled calls again (see
// Client.Pace). Default DefaultMaxWait (30 minutes); a d of zero or less
// leaves the default.
func WithMaxWait(d time.Duration) ClientOption {
	return func(o *clientOptions) {
		if d > 0 {
			o.maxWait = d
		}
	}
}

// WithCrossAccountRoles allows execution roles from accounts other than the
// caller's (in the same partition). Default: refused with *RoleAccountError.
func WithCrossAccountRoles() ClientOption {
	return func(o *clientOptions) { o.crossAccountRoles = true }
}

// WithWaitOptions adjusts the waiters Ensure and Delete use (MinDelay,
// MaxDelay, ...). Applied after the client's logger and clock.
func WithWaitOptions(fns ...func(*DomainInServiceWaiterOptions)) ClientOption {
	return func(o *clientOptions) { o.waitOptions = append(o.waitOptions, fns...) }
}

// WithConcurrency bounds how many user profiles or spaces Ensure writes,
// and how many deletes a cascade sends, at once. A member waiting to be
// InService does not count: it gives its place to the next write, and the
// members waited for are looked at together (a listing sees 100). Default
// DefaultConcurrency (4); n below 1 leaves the default.
func WithConcurrency(n int) ClientOption {
	return func(o *clientOptions) {
		if n >= 1 {
			o.concurrency = n
		}
	}
}

// DefaultWriteAttempts is how often Ensure sends one create or update
// whose outcome stays unknown unless WithWriteAttempts says otherwise.
const DefaultWriteAttempts = 4

// WithWriteAttempts bounds how often Ensure sends one CreateDomain,
// UpdateDomain, CreateUserProfile, UpdateUserProfile, CreateSpace or
// UpdateSpace whose outcome is unknown (a 5xx, a timeout or a cut
// connection; a throttled one too once the wait budget is spent: until then
// a throttled call, which the service did not carry out, is sent again at a
// slower pace and does not count). These writes are never retried blindly:
// before each further attempt Ensure reads the resource again (a create
// that went through is found and not sent again; an update is planned
// again). When every attempt's outcome stays unknown, Ensure returns a
// *WriteAttemptsError wrapping the last attempt's error. Default
// DefaultWriteAttempts (4); n below 1 leaves the default. The SDK's own
// retries do not apply to these writes (each attempt is one request), but
// they do to every read.
func WithWriteAttempts(n int) ClientOption {
	return func(o *clientOptions) {
		if n >= 1 {
			o.writeAttempts = n
		}
	}
}

// Client plans and converges SageMaker domains. It is safe for concurrent
// use; Ensure calls for one domain name are serialised within a Client.
type Client struct {
	api   API // the API New was given, through pacer
	opts  clientOptions
	pacer *pacer

	idMu sync.Mutex
	id   *callerIdentity // nil until GetCallerIdentity has answered

	locks nameLocks

	watchMu sync.Mutex
	watches map[watchKey]*memberWatch // member_watch.go
}

// New returns a Client over api.
func New(api API, opts ...ClientOption) *Client {
	o := clientOptions{clock: realClock{}, maxWait: DefaultMaxWait, concurrency: DefaultConcurrency,
		writeAttempts: DefaultWriteAttempts}
	for _, fn := range opts {
		fn(&o)
	}
	c := &Client{opts: o, pacer: newPacer(o.clock)}
	c.api = pacedAPI{api: api, c: c}
	return c
}

// NewFromConfig returns a Client with a *sagemaker.Client and an *sts.Client
// built from cfg (for example from config.LoadDefaultConfig), and with
// WithIdentityCenter the Identity Center clients it was given as nil.
func NewFromConfig(cfg aws.Config, opts ...ClientOption) *Client {
	all := append([]ClientOption{WithSTS(sts.NewFromConfig(cfg))}, opts...)
	all = append(all, identityCenterFromConfig(cfg))
	return New(sagemaker.NewFromConfig(cfg), all...)
}
