package smdomain

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/aws/smithy-go"

	"github.com/finegrained/smdomain/internal/docpath"
	"github.com/finegrained/smdomain/internal/model"
)

// This file is the reconcile engine that domains, user profiles and
// spaces share: diff a desired Create request against a live description,
// build the minimal Update, reconcile tags, wait, and recover from writes
// whose outcome is unknown. What is special about one kind lives in that
// kind's own file (kind_domain.go, kind_userprofile.go, kind_space.go) as
// a kind value and a resource implementation.

// kind is what the engine knows about one resource type, from the service
// model plus the rules the model does not carry.
type kind struct {
	noun string // "domain", "user profile", "space": for messages
	// update is the Update operation's input shape: its members are what
	// can change in place; every other member of the Create input is
	// create-only.
	update string
	// renames maps a Create input member to the Update input member that
	// carries the same structure under another name.
	renames map[string]string
	// identity lists the Create input members that name the resource: it
	// is found by them, so they are never diffed.
	identity []string
	// replaces reports the kind's own one-way rules: changes the Update
	// input has a member for but the service refuses to make. path is
	// dotted as in the Create input; live is the JSON form of the
	// description. nil: none.
	replaces func(path string, from, to any, live map[string]any) bool
}

// updatePath maps a Create input path to the Update input path that
// changes the same setting, or returns false when the Update input has no
// such member: the setting is create-only.
func (k *kind) updatePath(path []string) ([]string, bool) {
	shape := model.Lookup(k.update)
	out := make([]string, 0, len(path))
	for _, seg := range path {
		if shape == nil {
			return nil, false
		}
		name := seg
		if _, ok := shape.Member(seg); !ok {
			name = k.renames[seg]
		}
		m, ok := shape.Member(name)
		if !ok {
			return nil, false
		}
		out = append(out, name)
		shape = model.Lookup(m.Shape)
	}
	return out, true
}

// forcesReplacement says whether the kind's Update cannot make a change.
func (k *kind) forcesReplacement(path []string, from, to any, live map[string]any) bool {
	if _, ok := k.updatePath(path); !ok {
		return true
	}
	return k.replaces != nil && k.replaces(strings.Join(path, "."), from, to, live)
}

// state is a live resource as the engine sees it, whatever its kind.
type state struct {
	id     string         // the domain ID (of the resource, or of the member's domain)
	name   string         // the resource's name as the service reports it
	arn    string         // where its tags live
	status string         // Pending, InService, Updating, Deleting, Failed, Update_Failed, Delete_Failed
	reason string         // FailureReason
	doc    map[string]any // the JSON form of the Describe output
	raw    any            // the Describe output itself (*sagemaker.Describe...Output)
}

// resource is one domain, user profile or space being reconciled. Each
// kind implements it with its own typed SDK calls; the engine never sees
// an SDK type.
type resource interface {
	kind() *kind
	// label names the resource in messages and errors.
	label() string
	// path is where the resource's fields sit in a spec's problems and
	// role errors: "" for the domain, "UserProfiles[alice]" for a member.
	path() string
	// desired is the JSON form of the Create request the spec describes,
	// Tags left out.
	desired() map[string]any
	// tags are the managed tags; nil when tags are not managed.
	tags() map[string]string
	// find describes the resource; nil when it does not exist.
	find(ctx context.Context) (*state, error)
	// create sends the Create request once, without the SDK's retry.
	create(ctx context.Context) error
	// lookup reads again after a create whose outcome is unknown: ours is
	// the resource this reconcile created, if it exists; others reports
	// whether something else stands in its place (another creator's), which
	// find then returns.
	lookup(ctx context.Context) (ours *state, others bool, err error)
	// claim settles a create that went through, once the new resource is
	// InService (live): it returns true when the resource gave way to one
	// that another creator made at about the same time (having removed its
	// own), which find then returns; false keeps it.
	claim(ctx context.Context, live *state, deadline time.Time) (gaveWay bool, err error)
	// update sends the Update request made of doc (the changed settings
	// at their Update input paths) once, without the SDK's retry, adding
	// the companions the API requires with them.
	update(ctx context.Context, live *state, doc map[string]any) error
	// ident names the resource in typed errors: its domain's ID ("" for a
	// domain not created yet) and its name ("" when unknown).
	ident() (domainID, name string)
	// checkLive refuses, before any write, a live resource this Client
	// must not touch, given its tags (nil when they were not listed).
	checkLive(live *state, tags map[string]string) error
	// needsTags says whether checkLive needs the live tags even when the
	// spec does not manage them.
	needsTags() bool
	// wait waits until the resource is InService (deleted false) or gone
	// (deleted true), for at most left.
	wait(ctx context.Context, deleted bool, left time.Duration) (*state, error)
}

// writeOnce is the per-call SDK option for writes that must not be
// retried blindly: CreateDomain has no client token, and a lost Update
// retried by the SDK meets its own update in progress. A retryer that
// retries nothing (rather than RetryMaxAttempts 1) leaves the error as the
// service gave it, without the SDK's "exceeded maximum number of
// attempts, 1", which would not be true of the attempts Ensure makes.
func writeOnce(o *sagemaker.Options) { o.Retryer = aws.NopRetryer{} }

// diff compares the fields the spec sets (desired, the JSON form of its
// Create input) with the same fields of the live description. Fields the
// spec leaves unset are not compared, so server-filled defaults never show
// as changes; lists compare as sets.
func diff(k *kind, desired, live map[string]any) []Change {
	desired = shallowWithout(desired, append([]string{"Tags"}, k.identity...))
	pruned := docpath.Prune(desired, live).(map[string]any)
	var changes []Change
	for _, path := range differences(desired, pruned) {
		changes = appendChanges(changes, k, path, docpath.Lookup(pruned, path), docpath.Lookup(desired, path), live)
	}
	return changes
}

// shallowWithout returns a copy of m without the keys.
func shallowWithout(m map[string]any, keys []string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if !slices.Contains(keys, k) {
			out[k] = v
		}
	}
	return out
}

// appendChanges appends the change at path. A structure the live resource
// lacks altogether is split into one change per field it sets, so that
// each is judged (and sent) on its own.
func appendChanges(changes []Change, k *kind, path []string, from, to any, live map[string]any) []Change {
	if tm, ok := to.(map[string]any); ok && from == nil {
		for _, key := range sortedKeys(tm) {
			changes = appendChanges(changes, k, append(slices.Clip(path), key), nil, tm[key], live)
		}
		return changes
	}
	return append(changes, Change{Path: strings.Join(path, "."), From: from, To: to,
		ForcesReplacement: k.forcesReplacement(path, from, to, live)})
}

// creation lists what a create sets: every top-level field, structures
// whole, then the tags.
func creation(desired map[string]any, tags map[string]string) []Change {
	var out []Change
	for _, key := range sortedKeys(desired) {
		if key != "Tags" {
			out = append(out, Change{Path: key, To: desired[key]})
		}
	}
	for _, key := range sortedKeys(tags) {
		out = append(out, Change{Path: "Tags." + key, To: tags[key]})
	}
	return out
}

// updateDoc gathers the setting changes at their Update input paths; an
// empty document when only tags change.
func updateDoc(k *kind, changes []Change) (map[string]any, error) {
	doc := map[string]any{}
	for _, ch := range changes {
		if isTag(ch.Path) {
			continue
		}
		path, ok := k.updatePath(strings.Split(ch.Path, "."))
		if !ok {
			return nil, fmt.Errorf("%s cannot be updated in place", ch.Path)
		}
		docpath.Set(doc, path, ch.To)
	}
	return doc, nil
}

func isTag(path string) bool { return strings.HasPrefix(path, "Tags.") }

// reservedTag reports whether a tag key is AWS's (aws: in any case) or
// one the Client sets itself (the owner tag, the create token): never
// removed by authoritative tags.
func reservedTag(key string) bool {
	return strings.HasPrefix(strings.ToLower(key), "aws:") || key == OwnerTagKey || key == CreateTokenTagKey
}

// diffTags compares managed tags with the live ones; reserved tags are
// never removed.
func diffTags(want, live map[string]string) []Change {
	var out []Change
	for _, k := range sortedKeys(want) {
		if lv, ok := live[k]; !ok {
			out = append(out, Change{Path: "Tags." + k, To: want[k]})
		} else if lv != want[k] {
			out = append(out, Change{Path: "Tags." + k, From: lv, To: want[k]})
		}
	}
	for _, k := range sortedKeys(live) {
		if _, ok := want[k]; !ok && !reservedTag(k) {
			out = append(out, Change{Path: "Tags." + k, From: live[k]})
		}
	}
	return out
}

// checkTagRoom refuses managed tags that, with the reserved tags the
// resource keeps (AWS's, the owner tag, the create token), would be more
// than the service lets a resource carry: the AddTags would be refused
// after the Update had been sent.
func checkTagRoom(r resource, want, live map[string]string) error {
	n := len(want)
	for k := range live {
		if _, ok := want[k]; !ok && reservedTag(k) {
			n++
		}
	}
	limit := *model.Lookup("TagList").Max
	if int64(n) <= limit {
		return nil
	}
	field := "Tags"
	if p := r.path(); p != "" {
		field = p + ".Tags"
	}
	return &ValidationError{Problems: []FieldError{{Field: field, Rule: RuleCount,
		Detail: fmt.Sprintf("has %d entries with the reserved tags the %s keeps (aws:, %s, %s); at most %d allowed",
			n, r.kind().noun, OwnerTagKey, CreateTokenTagKey, limit)}}}
}

// planned is one resource's plan: its action and changes (paths relative
// to the resource), and the live state they were computed from.
type planned struct {
	action  PlanAction
	changes []Change
	live    *state // nil for a create
}

// planResource compares r with live (nil when it does not exist). It
// lists the live tags when the spec manages them or checkLive needs them.
func (c *Client) planResource(ctx context.Context, r resource, live *state) (*planned, error) {
	if live == nil {
		return &planned{action: PlanCreate, changes: creation(r.desired(), r.tags())}, nil
	}
	p := &planned{live: live, changes: diff(r.kind(), r.desired(), live.doc)}
	want := r.tags()
	if want != nil || r.needsTags() {
		tags, err := c.listTags(ctx, live.arn)
		if err != nil {
			return nil, err
		}
		if err := r.checkLive(live, tags); err != nil {
			return nil, err
		}
		if want != nil {
			if err := checkTagRoom(r, want, tags); err != nil {
				return nil, err
			}
			p.changes = append(p.changes, diffTags(want, tags)...)
		}
	} else if err := r.checkLive(live, nil); err != nil {
		return nil, err
	}
	slices.SortFunc(p.changes, changeOrder)
	switch {
	case len(p.changes) == 0:
		p.action = PlanNoOp
	case slices.ContainsFunc(p.changes, func(ch Change) bool { return ch.ForcesReplacement }):
		p.action = PlanReplaceRequired
	default:
		p.action = PlanUpdate
	}
	return p, nil
}

// changeOrder puts settings before tags, each sorted by path.
func changeOrder(a, b Change) int {
	aTag, bTag := isTag(a.Path), isTag(b.Path)
	switch {
	case aTag && !bTag:
		return 1
	case !aTag && bTag:
		return -1
	}
	return strings.Compare(a.Path, b.Path)
}

// converged is what reconciling one resource did.
type converged struct {
	action  Action
	changes []Change // relative to the resource
	live    *state   // as described after the wait
}

// errOutcomeUnknown tells converge's loop that an Update may or may not
// have been carried out: read the resource again and plan again.
var errOutcomeUnknown = errors.New("update outcome unknown")

// errNotCreated tells converge's loop that createResource found, in the
// place of the resource it was creating, one it did not create (or gave
// way to one): read it and plan against it like any existing resource.
var errNotCreated = errors.New("another creator's resource stands in its place")

// convergeRun is what one converge call remembers across the rounds of
// its loop (a round reads the resource, plans and acts).
type convergeRun struct {
	changes []Change // the first plan's changes: what this call set out to do
	wrote   bool     // an Update was sent that may have been carried out
	tries   int      // Update attempts whose outcome was unknown
	lastErr error    // the last of those attempts' errors
}

// converge makes r match its spec and waits until it is InService. first
// is the plan already made from a fresh read (nil: read and plan). Pending
// and Updating are waited out (and when that ends in Deleting, as a domain
// that lost a race between creators does, that is waited out too),
// Deleting is waited until gone and then found or created again, as is a
// resource that goes while it is planned or updated,
// Update_Failed is planned and updated again, Failed and Delete_Failed are
// a *StatusError; a change that forces replacement is a
// *ReplacementRequiredError and nothing is written.
func (c *Client) converge(ctx context.Context, r resource, first *planned, deadline time.Time) (*converged, error) {
	run := &convergeRun{}
	for {
		var live *state
		if first != nil {
			live = first.live
		} else {
			var err error
			if live, err = r.find(ctx); err != nil {
				return nil, err
			}
		}
		if live == nil {
			res, err := c.createResource(ctx, r, deadline)
			if !errors.Is(err, errNotCreated) {
				return res, err
			}
			first = nil
			continue
		}
		switch types.DomainStatus(live.status) {
		case types.DomainStatusPending, types.DomainStatusUpdating:
			first = nil
			c.log(ctx, "waiting for "+r.label()+" to settle", "status", live.status)
			_, err := c.waitResource(ctx, r, false, deadline)
			var se *StatusError
			if err != nil && !errors.Is(err, ErrNotFound) && !(errors.As(err, &se) &&
				(se.Status == string(types.DomainStatusUpdateFailed) || se.Status == string(types.DomainStatusDeleting))) {
				return nil, err
			}
			continue // plan again (Update_Failed: and update again; Deleting or gone: find or create again)
		case types.DomainStatusDeleting:
			first = nil
			c.log(ctx, "waiting for "+r.label()+" to be deleted")
			if _, err := c.waitResource(ctx, r, true, deadline); err != nil {
				return nil, err
			}
			continue
		case types.DomainStatusFailed, types.DomainStatusDeleteFailed:
			return nil, liveStatusError(r, live)
		}
		var planned *planned
		if first != nil && first.live.status == live.status {
			planned = first
		}
		first = nil
		res, err := c.updateResource(ctx, r, live, planned, deadline, run)
		if notFound(err) {
			continue // it went while being planned or updated: find or create again
		}
		if !errors.Is(err, errOutcomeUnknown) {
			return res, err
		}
		if run.tries >= c.opts.writeAttempts {
			return nil, writeAttemptsError(r, run.tries, run.lastErr)
		}
		c.log(ctx, "update outcome unknown; reading "+r.label()+" again", "attempt", run.tries)
		if err := c.opts.clock.Sleep(ctx, time.Duration(run.tries)*time.Second); err != nil {
			return nil, fmt.Errorf("update %s: %w", r.label(), err)
		}
	}
}

func liveStatusError(r resource, live *state) *StatusError {
	k, name := r.kind().noun, live.name
	if k == domainKind.noun {
		name = ""
	}
	return &StatusError{DomainID: live.id, Kind: k, Name: name, Status: live.status, FailureReason: live.reason}
}

// createResource sends the Create request, recovering from an unknown
// outcome by looking the resource up before trying again, waits for it to
// be InService and lets the kind settle a race with other creators (see
// resource.claim). It returns errNotCreated when what stands in the
// resource's place is not what this call created: an unknown outcome
// after which only another creator's resource is found, or a race it gave
// way in. It never reports another creator's resource as created.
func (c *Client) createResource(ctx context.Context, r resource, deadline time.Time) (*converged, error) {
	if err := c.checkRoles(ctx, r.path(), rolesIn(r.desired())); err != nil {
		return nil, err
	}
	for attempt := 1; ; attempt++ {
		if attempt > 1 {
			if err := c.opts.clock.Sleep(ctx, time.Duration(attempt-1)*time.Second); err != nil {
				return nil, fmt.Errorf("create %s: %w", r.label(), err)
			}
			ours, others, err := r.lookup(ctx)
			if err != nil {
				return nil, err
			}
			if ours != nil {
				c.log(ctx, "found the "+r.kind().noun+" an earlier create made", "what", r.label())
				break
			}
			if others {
				c.log(ctx, "found a "+r.kind().noun+" this Client did not create in its place; planning against it", "what", r.label())
				return nil, errNotCreated
			}
		}
		err := r.create(ctx)
		if err == nil {
			break
		}
		if errors.Is(err, errNotCreated) {
			c.log(ctx, "another creator made the "+r.kind().noun+" meanwhile; planning against it", "what", r.label())
			return nil, errNotCreated
		}
		if !outcomeUnknown(ctx, err) {
			return nil, fmt.Errorf("create %s: %w", r.label(), err)
		}
		if attempt == c.opts.writeAttempts {
			return nil, writeAttemptsError(r, attempt, err)
		}
		c.log(ctx, "create outcome unknown; looking it up before trying again", "what", r.label(), "attempt", attempt)
	}
	c.log(ctx, "created "+r.label())
	live, err := c.waitResource(ctx, r, false, deadline)
	if err != nil {
		return nil, err
	}
	gaveWay, err := r.claim(ctx, live, deadline)
	if err != nil {
		return nil, err
	}
	if gaveWay {
		return nil, errNotCreated
	}
	return &converged{action: ActionCreated, changes: creation(r.desired(), r.tags()), live: live}, nil
}

// updateResource plans r against live (unless p is that plan already)
// and applies the changes in place. It returns errOutcomeUnknown when the
// Update's outcome is unknown.
func (c *Client) updateResource(ctx context.Context, r resource, live *state, p *planned, deadline time.Time, run *convergeRun) (*converged, error) {
	var err error
	if p == nil {
		if p, err = c.planResource(ctx, r, live); err != nil {
			return nil, err
		}
	}
	if run.changes == nil {
		run.changes = p.changes
	}
	failed := live.status == string(types.DomainStatusUpdateFailed)
	switch p.action {
	case PlanReplaceRequired:
		return nil, &ReplacementRequiredError{DomainID: live.id, Changes: replacements(p.changes)}
	case PlanNoOp:
		if failed {
			return nil, liveStatusError(r, live)
		}
		if run.wrote {
			// An earlier round's Update, whose answer was lost, did it.
			return &converged{action: ActionUpdated, changes: run.changes, live: live}, nil
		}
		return &converged{action: ActionUnchanged, live: live}, nil
	}
	doc, err := updateDoc(r.kind(), p.changes)
	if err != nil {
		return nil, fmt.Errorf("update %s: %w", r.label(), err)
	}
	if len(doc) == 0 && failed {
		// Only tags differ: no Update would take the resource out of
		// Update_Failed, so this is the no-op case's error.
		return nil, liveStatusError(r, live)
	}
	if len(doc) > 0 {
		if err := c.checkRoles(ctx, r.path(), changedRoles(p.changes)); err != nil {
			return nil, err
		}
		if err := r.update(ctx, live, doc); err != nil {
			if outcomeUnknown(ctx, err) {
				run.wrote, run.lastErr = true, err
				run.tries++
				return nil, errOutcomeUnknown
			}
			return nil, fmt.Errorf("update %s: %w", r.label(), err)
		}
		c.log(ctx, "updated "+r.label(), "fields", changedPaths(p.changes, false))
	}
	if err := c.applyTags(ctx, live.arn, p.changes); err != nil {
		return nil, err
	}
	if len(doc) > 0 {
		if live, err = c.waitResource(ctx, r, false, deadline); err != nil {
			return nil, err
		}
	}
	return &converged{action: ActionUpdated, changes: run.changes, live: live}, nil
}

func replacements(changes []Change) []Change {
	var out []Change
	for _, ch := range changes {
		if ch.ForcesReplacement {
			out = append(out, ch)
		}
	}
	return out
}

func changedPaths(changes []Change, tags bool) []string {
	var out []string
	for _, ch := range changes {
		if isTag(ch.Path) == tags {
			out = append(out, ch.Path)
		}
	}
	return out
}

// waitResource waits for r within what is left until deadline.
func (c *Client) waitResource(ctx context.Context, r resource, deleted bool, deadline time.Time) (*state, error) {
	left := deadline.Sub(c.opts.clock.Now())
	if left <= 0 {
		id, name := r.ident()
		e := &WaitTimeoutError{DomainID: id, Kind: r.kind().noun, Name: name, Target: waitTarget(deleted), Waited: c.opts.maxWait}
		if e.Kind == domainKind.noun {
			e.Name = ""
		}
		return nil, e
	}
	return r.wait(ctx, deleted, left)
}

func waitTarget(deleted bool) string {
	if deleted {
		return "deleted"
	}
	return string(types.DomainStatusInService)
}

// retrying calls fn until it succeeds, fails with an error whose outcome
// is known, or has been called WithWriteAttempts times, sleeping a second
// more after each try; it is for calls that are safe to repeat and that
// matter more than one throttle (the listing that settles a race, a
// DeleteDomain). The last error is returned as it is.
func (c *Client) retrying(ctx context.Context, fn func() error) error {
	for attempt := 1; ; attempt++ {
		err := fn()
		if err == nil || !outcomeUnknown(ctx, err) || attempt >= c.opts.writeAttempts {
			return err
		}
		if err := c.opts.clock.Sleep(ctx, time.Duration(attempt)*time.Second); err != nil {
			return err
		}
	}
}

// writeAttemptsError is the error of a write sent attempts times, each
// with an unknown outcome, the last failing with err.
func writeAttemptsError(r resource, attempts int, err error) *WriteAttemptsError {
	id, name := r.ident()
	e := &WriteAttemptsError{DomainID: id, Kind: r.kind().noun, Name: name, Attempts: attempts, Err: err}
	var oe *smithy.OperationError
	if errors.As(err, &oe) {
		e.Operation = oe.Operation()
	}
	return e
}

// applyTags removes, then adds or changes, the tags the changes name.
func (c *Client) applyTags(ctx context.Context, arn string, changes []Change) error {
	var add []types.Tag
	var remove []string
	for _, ch := range changes {
		key, ok := strings.CutPrefix(ch.Path, "Tags.")
		if !ok {
			continue
		}
		if ch.To == nil {
			remove = append(remove, key)
		} else {
			add = append(add, types.Tag{Key: aws.String(key), Value: aws.String(ch.To.(string))})
		}
	}
	// Remove first: adding first could take a resource at the service's
	// tag limit over it on the way to a set of tags within it.
	if len(remove) > 0 {
		if _, err := c.api.DeleteTags(ctx, &sagemaker.DeleteTagsInput{ResourceArn: aws.String(arn), TagKeys: remove}); err != nil {
			return fmt.Errorf("delete tags from %s: %w", arn, err)
		}
	}
	if len(add) > 0 {
		if _, err := c.api.AddTags(ctx, &sagemaker.AddTagsInput{ResourceArn: aws.String(arn), Tags: add}); err != nil {
			return fmt.Errorf("add tags to %s: %w", arn, err)
		}
	}
	return nil
}

// differences returns the paths at which desired and live (desired's
// pruned counterpart) differ. Objects are walked member by member, in key
// order; elsewhere sameValue judges, lists as sets, and a difference is
// reported at that path, so a list is reported whole.
func differences(desired, live map[string]any) [][]string {
	var paths [][]string
	var at []string // the path of the values being compared
	var walk func(d, l any)
	walk = func(d, l any) {
		dm, dok := d.(map[string]any)
		lm, lok := l.(map[string]any)
		if dok && lok {
			for _, k := range sortedKeys(dm) {
				at = append(at, k)
				walk(dm[k], lm[k])
				at = at[:len(at)-1]
			}
			return
		}
		if !sameValue(d, l) && len(at) > 0 {
			paths = append(paths, slices.Clone(at))
		}
	}
	walk(desired, live)
	return paths
}

// sameValue reports whether two values in the JSON form internal/wire
// encodes to (map[string]any, []any, string, bool, json.Number, nil) are
// equal, lists without regard to order. Objects are equal when they have
// the same keys with equal values; lists when they have the same length
// and, each put stably in the order of its elements' renderings (render),
// equal elements in pairs; anything else when it is the same value of the
// same type. A nil object or list equals only another nil one.
func sameValue(a, b any) bool {
	switch av := a.(type) {
	case map[string]any:
		bv, ok := b.(map[string]any)
		if !ok || (av == nil) != (bv == nil) || len(av) != len(bv) {
			return false
		}
		for k, x := range av {
			if y, ok := bv[k]; !ok || !sameValue(x, y) {
				return false
			}
		}
		return true
	case []any:
		bv, ok := b.([]any)
		if !ok || (av == nil) != (bv == nil) || len(av) != len(bv) {
			return false
		}
		if len(av) > 1 {
			av, bv = byRendering(av), byRendering(bv)
		}
		for i := range av {
			if !sameValue(av[i], bv[i]) {
				return false
			}
		}
		return true
	}
	return a == b // the JSON form's scalars are all comparable
}

// byRendering returns a copy of list sorted stably by its elements'
// renderings.
func byRendering(list []any) []any {
	type rendered struct {
		text string
		v    any
	}
	rs := make([]rendered, len(list))
	for i, v := range list {
		rs[i] = rendered{render(v), v}
	}
	slices.SortStableFunc(rs, func(x, y rendered) int { return strings.Compare(x.text, y.text) })
	out := make([]any, len(rs))
	for i, r := range rs {
		out[i] = r.v
	}
	return out
}
