package smdomain

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/finegrained/smdomain/internal/backoff"
)

// resident is one app, space or user profile inside a domain, as a List
// call reports it.
type resident struct {
	kind string // "Apps", "Spaces" or "UserProfiles": the Change path's first part
	name string // for an app, "<owner>/<type>/<name>"
	// owner is, for an app, "user/<folded profile name>" or "space/<space
	// name>"; for a space, the name of the user profile that owns it.
	owner  string
	status string
	delete func(context.Context) error
}

// gone reports whether the resident no longer stands in the domain's way.
func (r resident) gone() bool { return r.status == string(types.AppStatusDeleted) }

// settling reports whether the resident is between states: wait for it.
func (r resident) settling() bool {
	switch r.status {
	case "Pending", "Updating", "Deleting":
		return true
	}
	return false
}

// residentLister lists one kind of resident of the domain with the ID.
type residentLister func(ctx context.Context, domainID string) ([]resident, error)

// cascade deletes the domain's apps, then its spaces, then its user
// profiles, each group gone before the next starts, as the service
// requires; pick narrows each listing to what is to go (nil: everything).
// Before each delete it checks that the Client still owns the domain
// (WithOwner). It returns the changes made, one per resident deleted; when
// it stops part way, they come with a *CascadeError that lists them too.
func (c *Client) cascade(ctx context.Context, domain *sagemaker.DescribeDomainOutput, deadline time.Time, pick func(residentLister) residentLister) ([]Change, error) {
	id := aws.ToString(domain.DomainId)
	owned := func(ctx context.Context) error { return c.checkOwnerOf(ctx, domain) }
	var changes []Change
	for i, list := range []residentLister{c.listApps, c.listSpaces, c.listUserProfiles} {
		if pick != nil {
			list = pick(list)
		}
		what := []string{"deleting apps", "deleting spaces", "deleting user profiles"}[i]
		deleted, err := c.drain(ctx, what, id, deadline, list, owned)
		changes = append(changes, deleted...)
		if err != nil {
			return changes, &CascadeError{DomainID: id, Deleted: slices.Clone(changes), Err: err}
		}
	}
	return changes, nil
}

// drain deletes every resident list reports, round after round, until
// none is left: a resident that is settling (Pending, Deleting, ...) is
// waited for, one whose delete is refused because of something still in
// its way is tried again next round. A round's deletes go out at most the
// Client's concurrency at a time (one at a time WithOwner), each at its
// operation's pace. A Delete_Failed resident is a *StatusError. A list or
// delete that is throttled past the wait budget or answered with a 5xx
// (or gets no answer) past the SDK's own retries is tried again next
// round. owned is checked before each delete. The rounds follow the
// Client's wait schedule (WithWaitOptions: MinDelay, MaxDelay, Jitter, on
// its clock) and stop at deadline with an error wrapping ErrWaitTimeout
// and the last error met. what names the work in progress reports.
func (c *Client) drain(ctx context.Context, what, id string, deadline time.Time, list residentLister, owned func(context.Context) error) ([]Change, error) {
	d := &drainer{c: c, id: id, what: what, list: list, owned: owned, recorded: map[string]bool{}, unknown: map[string]string{}}
	start := c.opts.clock.Now()
	for round := 1; ; round++ {
		left, lastErr, err := d.round(ctx)
		if err != nil {
			return d.changes, err
		}
		if left == 0 {
			for _, key := range sortedKeys(d.unknown) {
				d.record(ctx, key, d.unknown[key])
			}
			return d.changes, nil
		}
		remaining := deadline.Sub(c.opts.clock.Now())
		if remaining <= 0 {
			elapsed := c.opts.clock.Now().Sub(start)
			if lastErr != nil {
				return d.changes, fmt.Errorf("domain %s: delete contents: gave up after %s: %w; the last error: %w", id, elapsed, ErrWaitTimeout, lastErr)
			}
			return d.changes, fmt.Errorf("domain %s: %d still there after %s: %w", id, left, elapsed, ErrWaitTimeout)
		}
		if err := c.opts.clock.Sleep(ctx, c.roundDelay(round, remaining)); err != nil {
			return d.changes, fmt.Errorf("domain %s: delete contents: %w", id, err)
		}
	}
}

// drainer is the state of one drain.
type drainer struct {
	c     *Client
	id    string
	what  string // for progress reports
	list  residentLister
	owned func(context.Context) error

	changes  []Change
	recorded map[string]bool
	// unknown holds the deletes sent whose outcome is unknown, with the
	// status their resident had: recorded once the resident is seen going.
	unknown map[string]string
	prog    *batchProgress // from the first listing on
}

// record adds the change that deletes key, once.
func (d *drainer) record(ctx context.Context, key, from string) {
	delete(d.unknown, key)
	if d.recorded[key] {
		return
	}
	d.recorded[key] = true
	d.changes = append(d.changes, Change{Path: key, From: from})
	d.c.log(ctx, "deleting", "domain", d.id, "what", key)
	d.prog.finished(ctx)
}

// deleteOutcome is what became of one delete of a round.
type deleteOutcome int

const (
	deleteAgain   deleteOutcome = iota // not sent (the owner check's outcome was unknown), or refused for something in its way: next round
	deleteDone                         // deleted, or found gone
	deleteUnknown                      // sent, outcome unknown
)

// round is one round of drain: it lists, records the deletes seen going,
// and deletes what is neither gone nor settling. It returns how many
// residents are left (-1 when the listing failed) and the last error worth
// trying again after; err ends the drain.
func (d *drainer) round(ctx context.Context) (left int, lastErr, err error) {
	residents, err := d.list(ctx, d.id)
	if err != nil {
		if outcomeUnknown(ctx, err) {
			return -1, err, nil
		}
		return 0, nil, err
	}
	listed := map[string]resident{}
	var todo []resident
	for _, r := range residents {
		listed[r.kind+"."+r.name] = r
		switch {
		case r.gone():
			continue
		case r.status == "Delete_Failed":
			return 0, nil, &StatusError{DomainID: d.id, Status: r.status,
				FailureReason: fmt.Sprintf("%s %s could not be deleted", r.kind, r.name)}
		case !r.settling():
			todo = append(todo, r)
		}
		left++
	}
	if d.prog == nil {
		d.prog = d.c.startProgress(d.what, len(d.changes)+left)
	}
	for _, key := range sortedKeys(d.unknown) {
		if r, ok := listed[key]; !ok || r.gone() || r.status == "Deleting" {
			d.record(ctx, key, d.unknown[key])
		}
	}
	outcomes := make([]deleteOutcome, len(todo))
	errs := make([]error, len(todo))
	// With WithOwner, one at a time: each delete goes only after a check
	// made since the delete before it, so a handover stops the next one.
	limit := d.c.opts.concurrency
	if d.c.opts.owner != "" {
		limit = 1
	}
	fatal := inParallel(ctx, len(todo), limit, func(ctx context.Context, i int) error {
		r := todo[i]
		if err := d.owned(ctx); err != nil {
			if !outcomeUnknown(ctx, err) {
				return err // another owner's domain now (*NotOwnedError), or a definite refusal: stop at once
			}
			errs[i] = err // deleteAgain
			return nil
		}
		switch err := r.delete(ctx); {
		case err == nil || notFound(err):
			outcomes[i] = deleteDone
		case inUse(err):
			// deleteAgain: something is still in its way.
		case outcomeUnknown(ctx, err):
			outcomes[i], errs[i] = deleteUnknown, fmt.Errorf("delete %s %s: %w", r.kind, r.name, err)
		default:
			return fmt.Errorf("domain %s: delete %s %s: %w", d.id, r.kind, r.name, err)
		}
		return nil
	})
	// In the listing's order, whatever order the deletes finished in.
	for i, r := range todo {
		if fatal[i] != nil {
			return 0, nil, fatal[i]
		}
		key := r.kind + "." + r.name
		switch outcomes[i] {
		case deleteDone:
			d.record(ctx, key, r.status)
		case deleteUnknown:
			if _, ok := d.unknown[key]; !ok {
				d.unknown[key] = r.status
			}
		}
		if errs[i] != nil {
			lastErr = errs[i]
		}
	}
	return left, lastErr, nil
}

// roundDelay is how long drain waits before its next round: the Client's
// wait schedule, as WithWaitOptions sets it.
func (c *Client) roundDelay(round int, remaining time.Duration) time.Duration {
	o := defaultWaiterOptions[*sagemaker.DescribeDomainInput, *sagemaker.DescribeDomainOutput]()
	c.waiterOptions(&o)
	jitter := o.Jitter
	if jitter == nil {
		jitter = rand.Float64
	}
	return backoff.Delay(round, o.MinDelay, o.MaxDelay, remaining, jitter())
}

func inUse(err error) bool {
	var iu *types.ResourceInUse
	return errors.As(err, &iu)
}

func (c *Client) listApps(ctx context.Context, id string) ([]resident, error) {
	var out []resident
	err := pages(ctx, func(ctx context.Context, token *string) (*string, error) {
		page, err := c.api.ListApps(ctx, &sagemaker.ListAppsInput{DomainIdEquals: aws.String(id), MaxResults: aws.Int32(100), NextToken: token})
		if err != nil {
			return nil, err
		}
		for _, a := range page.Apps {
			in := &sagemaker.DeleteAppInput{DomainId: aws.String(id), AppType: a.AppType, AppName: a.AppName,
				UserProfileName: a.UserProfileName, SpaceName: a.SpaceName}
			owner, key := deref(a.UserProfileName), "user/"+memberName(deref(a.UserProfileName))
			if a.SpaceName != nil {
				owner, key = deref(a.SpaceName), "space/"+deref(a.SpaceName)
			}
			out = append(out, resident{
				kind:   "Apps",
				name:   strings.Join([]string{owner, string(a.AppType), deref(a.AppName)}, "/"),
				owner:  key,
				status: string(a.Status),
				delete: func(ctx context.Context) error { _, err := c.api.DeleteApp(ctx, in); return err },
			})
		}
		return page.NextToken, nil
	})
	if err != nil {
		return nil, fmt.Errorf("list apps of domain %s: %w", id, err)
	}
	return out, nil
}

func (c *Client) listSpaces(ctx context.Context, id string) ([]resident, error) {
	var out []resident
	err := pages(ctx, func(ctx context.Context, token *string) (*string, error) {
		page, err := c.api.ListSpaces(ctx, &sagemaker.ListSpacesInput{DomainIdEquals: aws.String(id), MaxResults: aws.Int32(100), NextToken: token})
		if err != nil {
			return nil, err
		}
		for _, s := range page.Spaces {
			in := &sagemaker.DeleteSpaceInput{DomainId: aws.String(id), SpaceName: s.SpaceName}
			var owner string
			if s.OwnershipSettingsSummary != nil {
				owner = deref(s.OwnershipSettingsSummary.OwnerUserProfileName)
			}
			out = append(out, resident{
				kind:   "Spaces",
				owner:  owner,
				name:   deref(s.SpaceName),
				status: string(s.Status),
				delete: func(ctx context.Context) error { _, err := c.api.DeleteSpace(ctx, in); return err },
			})
		}
		return page.NextToken, nil
	})
	if err != nil {
		return nil, fmt.Errorf("list spaces of domain %s: %w", id, err)
	}
	return out, nil
}

func (c *Client) listUserProfiles(ctx context.Context, id string) ([]resident, error) {
	var out []resident
	err := pages(ctx, func(ctx context.Context, token *string) (*string, error) {
		page, err := c.api.ListUserProfiles(ctx, &sagemaker.ListUserProfilesInput{DomainIdEquals: aws.String(id), MaxResults: aws.Int32(100), NextToken: token})
		if err != nil {
			return nil, err
		}
		for _, u := range page.UserProfiles {
			in := &sagemaker.DeleteUserProfileInput{DomainId: aws.String(id), UserProfileName: u.UserProfileName}
			out = append(out, resident{
				kind:   "UserProfiles",
				name:   deref(u.UserProfileName),
				status: string(u.Status),
				delete: func(ctx context.Context) error { _, err := c.api.DeleteUserProfile(ctx, in); return err },
			})
		}
		return page.NextToken, nil
	})
	if err != nil {
		return nil, fmt.Errorf("list user profiles of domain %s: %w", id, err)
	}
	return out, nil
}

// inUseError lists what stands in a domain's way after DeleteDomain was
// refused with ResourceInUse; it returns nil when nothing does, and the
// refusal has another cause.
func (c *Client) inUseError(ctx context.Context, id string) (*DomainInUseError, error) {
	e := &DomainInUseError{DomainID: id}
	for _, list := range []residentLister{c.listApps, c.listSpaces, c.listUserProfiles} {
		residents, err := list(ctx, id)
		if err != nil {
			return nil, err
		}
		for _, r := range residents {
			if r.gone() {
				continue
			}
			switch r.kind {
			case "Apps":
				e.Apps = append(e.Apps, r.name)
			case "Spaces":
				e.Spaces = append(e.Spaces, r.name)
			default:
				e.UserProfiles = append(e.UserProfiles, r.name)
			}
		}
	}
	if len(e.Apps)+len(e.Spaces)+len(e.UserProfiles) == 0 {
		return nil, nil
	}
	return e, nil
}
