package smdomain

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker"

	"github.com/finegrained/smdomain/internal/wire"
)

// MemberKind names the kind of a domain's member.
type MemberKind string

// The kinds of member a domain has.
const (
	KindUserProfile MemberKind = "user profile"
	KindSpace       MemberKind = "space"
)

// memberKind is what the engine and the orchestration know about one kind
// of member: the engine's kind, the names of its members in the API, and
// its calls, typed in the kind's own file.
type memberKind struct {
	*kind
	member      MemberKind
	plural      string // "UserProfiles": the plan path's first part and the JSON array's name
	createShape string // "CreateUserProfileRequest": the Create input's model shape
	nameMember  string // "UserProfileName": the Create input member that names it
	arnMember   string // "UserProfileArn": where the description has its ARN

	// create sends the Create request made of doc (the spec's Create
	// input in JSON form, with DomainId and Tags).
	create func(ctx context.Context, api API, doc map[string]any) error
	// update sends the Update request made of doc (the changed settings,
	// with DomainId and the name).
	update func(ctx context.Context, api API, doc map[string]any) error
	// describe returns the member's description, or nil when it does not
	// exist.
	describe func(ctx context.Context, api API, domainID, name string) (any, error)
}

// memberResource is one user profile or space of a spec as the engine
// reconciles it.
type memberResource struct {
	c        *Client
	k        *memberKind
	domainID string
	name     string // as declared; the service matches profile names without case
	doc      map[string]any
	tagMap   map[string]string
}

var _ resource = (*memberResource)(nil)

func (r *memberResource) kind() *kind { return r.k.kind }

func (r *memberResource) label() string { return resourceLabel(r.k.noun, r.name, r.domainID) }

func (r *memberResource) path() string { return r.k.plural + "[" + r.name + "]" }

func (r *memberResource) ident() (string, string) { return r.domainID, r.name }

func (r *memberResource) desired() map[string]any { return r.doc }

func (r *memberResource) tags() map[string]string { return r.tagMap }

func (r *memberResource) needsTags() bool { return false }

func (r *memberResource) checkLive(*state, map[string]string) error { return nil }

func (r *memberResource) find(ctx context.Context) (*state, error) {
	out, err := r.k.describe(ctx, r.c.api, r.domainID, r.name)
	if err != nil {
		return nil, fmt.Errorf("describe %s: %w", r.label(), err)
	}
	if out == nil {
		return nil, nil
	}
	return r.k.state(out), nil
}

// state is the engine's view of a member's Describe output.
func (k *memberKind) state(out any) *state {
	doc := encodeMap(out)
	str := func(key string) string { s, _ := doc[key].(string); return s }
	return &state{id: str("DomainId"), name: str(k.nameMember), arn: str(k.arnMember),
		status: str("Status"), reason: str("FailureReason"), doc: doc, raw: out}
}

func (r *memberResource) create(ctx context.Context) error {
	doc := shallowWithout(r.doc, nil)
	doc["DomainId"] = r.domainID
	if r.tagMap != nil {
		doc["Tags"] = wire.Encode(sortedTags(r.tagMap))
	}
	err := r.k.create(ctx, r.c.api, doc)
	if inUse(err) {
		// The name is taken: another creator (a second pipeline applying
		// the same team) made it meanwhile. Plan against that one.
		return fmt.Errorf("%w: %w", errNotCreated, err)
	}
	return err
}

// lookup finds the member again after a create of unknown outcome. A
// member's name is unique within its domain, so what has the name is
// taken to be the one this reconcile created.
func (r *memberResource) lookup(ctx context.Context) (*state, bool, error) {
	live, err := r.find(ctx)
	return live, false, err
}

// claim keeps the member: the service refuses a second member with the
// name, so there is no race to settle.
func (r *memberResource) claim(context.Context, *state, time.Time) (bool, error) { return false, nil }

func (r *memberResource) update(ctx context.Context, live *state, doc map[string]any) error {
	doc["DomainId"] = r.domainID
	doc[r.k.nameMember] = live.name
	return r.k.update(ctx, r.c.api, doc)
}

func (r *memberResource) wait(ctx context.Context, deleted bool, left time.Duration) (*state, error) {
	return r.c.await(ctx, r.k, r.domainID, r.name, deleted, left)
}

// sdkCall is an API method as a method expression (API.CreateSpace).
type sdkCall[In, Out any] func(API, context.Context, *In, ...func(*sagemaker.Options)) (Out, error)

// defineMember completes a member kind with its typed calls: Create and
// Update decode the engine's JSON-form documents into the SDK's inputs
// and send them once; Describe maps ResourceNotFound to no description.
// (Waits go through the Client's member watches: member_watch.go.)
func defineMember[C, CO, U, UO, DI, DO any](k memberKind, create sdkCall[C, CO], update sdkCall[U, UO],
	describe sdkCall[DI, *DO], input func(domainID, name string) *DI) *memberKind {
	k.create = func(ctx context.Context, api API, doc map[string]any) error {
		return decodeAndSend(ctx, api, doc, create)
	}
	k.update = func(ctx context.Context, api API, doc map[string]any) error {
		return decodeAndSend(ctx, api, doc, update)
	}
	k.describe = func(ctx context.Context, api API, domainID, name string) (any, error) {
		out, err := describe(api, ctx, input(domainID, name))
		if notFound(err) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return out, nil
	}
	return &k
}

// decodeAndSend decodes doc into a fresh In and sends it once with call.
func decodeAndSend[In, Out any](ctx context.Context, api API, doc map[string]any, call sdkCall[In, Out]) error {
	in := new(In)
	if err := wire.Decode(doc, in); err != nil {
		return err
	}
	_, err := call(api, ctx, in, writeOnce)
	return err
}

// memberWaitOptions gives a member's wait the schedule, logger, clock
// and progress callback WithWaitOptions set for the Client's waits; a
// Retryable set there applies to domains only.
func memberWaitOptions(c *Client) WaiterOptions[any, any] {
	d := defaultWaiterOptions[*sagemaker.DescribeDomainInput, *sagemaker.DescribeDomainOutput]()
	c.waiterOptions(&d)
	return WaiterOptions[any, any]{
		ClientOptions: d.ClientOptions, MinDelay: d.MinDelay, MaxDelay: d.MaxDelay,
		LogWaitAttempts: d.LogWaitAttempts, Logger: d.Logger, Clock: d.Clock,
		Progress: d.Progress, Jitter: d.Jitter,
	}
}
