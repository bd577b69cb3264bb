package smdomaintest

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// This file holds how resources move through their statuses. Status is a
// function of the clock: a resource is settled (its transitions whose time
// has come are applied) when a request touches it, found, listed or
// written, after what it belongs to; nothing runs in the background, and
// no request settles what it does not touch.

// resource is one emulated domain, user profile, space or app: what its
// Describe operation reports (O), plus bookkeeping.
type resource[O any] struct {
	out    *O
	region string
	seq    int64     // creation order, across every kind
	since  time.Time // when the current status was entered
	gone   bool      // dropped from the indexes; it settles to nothing
}

type (
	domain      = resource[sagemaker.DescribeDomainOutput]
	userProfile = resource[sagemaker.DescribeUserProfileOutput]
	space       = resource[sagemaker.DescribeSpaceOutput]
	app         = resource[sagemaker.DescribeAppOutput] // a Deleted app stays until its owner goes
)

// lifecycle is what the emulator knows of one kind of resource, whose
// description is O, to move it through its statuses. Its implementations
// hold no state.
type lifecycle[O any] interface {
	status(o *O) string
	// enter sets o's Status, and its LastModifiedTime where the kind has
	// one.
	enter(o *O, status string, at time.Time)
	setFailure(o *O, reason *string)
	// delays returns how long the kind stays Pending, Updating and
	// Deleting.
	delays(o *options) (pending, updating, deleting time.Duration)
	// parent settles what r belongs to (a domain; an app's owner) and
	// reports whether it still exists; true for a domain.
	parent(e *Emulator, r *resource[O], now time.Time) bool
	// end is what becomes of r when its Deleting delay ran out at at: it
	// is dropped, or, for an app, Deleted. It reports whether r is still
	// there.
	end(e *Emulator, r *resource[O], at time.Time) bool
}

// settle applies to r, after what it belongs to, the status transition
// whose time has come: Pending and Updating become InService, Deleting
// ends. It reports whether r still exists.
func settle[O any](e *Emulator, lc lifecycle[O], r *resource[O], now time.Time) bool {
	if r.gone || !lc.parent(e, r, now) {
		return false
	}
	pending, updating, deleting := lc.delays(&e.opts)
	var delay time.Duration
	switch lc.status(r.out) {
	case "Pending":
		delay = pending
	case "Updating":
		delay = updating
	case "Deleting":
		delay = deleting
	default:
		return true
	}
	at := r.since.Add(delay)
	switch {
	case now.Before(at):
		return true
	case lc.status(r.out) == "Deleting":
		return lc.end(e, r, at)
	}
	lc.enter(r.out, "InService", at)
	r.since = at
	return true
}

// mark moves r to status at at, with reason as its FailureReason (none
// when empty): what a delete, or a Set*Status helper, does.
func mark[O any](lc lifecycle[O], r *resource[O], status, reason string, at time.Time) {
	lc.enter(r.out, status, at)
	var fr *string
	if reason != "" {
		fr = aws.String(reason)
	}
	lc.setFailure(r.out, fr)
	r.since = at
}

type domainLife struct{}

func (domainLife) status(o *sagemaker.DescribeDomainOutput) string { return string(o.Status) }
func (domainLife) enter(o *sagemaker.DescribeDomainOutput, st string, at time.Time) {
	o.Status, o.LastModifiedTime = types.DomainStatus(st), aws.Time(epoch(at))
}
func (domainLife) setFailure(o *sagemaker.DescribeDomainOutput, r *string) { o.FailureReason = r }
func (domainLife) delays(o *options) (time.Duration, time.Duration, time.Duration) {
	return o.createDelay, o.updateDelay, o.deleteDelay
}
func (domainLife) parent(*Emulator, *domain, time.Time) bool { return true }
func (domainLife) end(e *Emulator, d *domain, _ time.Time) bool {
	e.dropDomain(d)
	return false
}

type profileLife struct{}

func (profileLife) status(o *sagemaker.DescribeUserProfileOutput) string { return string(o.Status) }
func (profileLife) enter(o *sagemaker.DescribeUserProfileOutput, st string, at time.Time) {
	o.Status, o.LastModifiedTime = types.UserProfileStatus(st), aws.Time(epoch(at))
}
func (profileLife) setFailure(o *sagemaker.DescribeUserProfileOutput, r *string) { o.FailureReason = r }
func (profileLife) delays(o *options) (time.Duration, time.Duration, time.Duration) {
	return o.userProfileDelay, o.userProfileUpdateDelay, o.userProfileDelay
}
func (profileLife) parent(e *Emulator, p *userProfile, now time.Time) bool {
	return e.domainExists(aws.ToString(p.out.DomainId), now)
}
func (profileLife) end(e *Emulator, p *userProfile, _ time.Time) bool {
	e.dropUserProfile(p)
	return false
}

type spaceLife struct{}

func (spaceLife) status(o *sagemaker.DescribeSpaceOutput) string { return string(o.Status) }
func (spaceLife) enter(o *sagemaker.DescribeSpaceOutput, st string, at time.Time) {
	o.Status, o.LastModifiedTime = types.SpaceStatus(st), aws.Time(epoch(at))
}
func (spaceLife) setFailure(o *sagemaker.DescribeSpaceOutput, r *string) { o.FailureReason = r }
func (spaceLife) delays(o *options) (time.Duration, time.Duration, time.Duration) {
	return o.spaceDelay, o.spaceUpdateDelay, o.spaceDelay
}
func (spaceLife) parent(e *Emulator, s *space, now time.Time) bool {
	return e.domainExists(aws.ToString(s.out.DomainId), now)
}
func (spaceLife) end(e *Emulator, s *space, _ time.Time) bool {
	e.dropSpace(s)
	return false
}

type appLife struct{}

func (appLife) status(o *sagemaker.DescribeAppOutput) string { return string(o.Status) }

// enter sets the status only: an app reports no LastModifiedTime.
func (appLife) enter(o *sagemaker.DescribeAppOutput, st string, _ time.Time) {
	o.Status = types.AppStatus(st)
}
func (appLife) setFailure(o *sagemaker.DescribeAppOutput, r *string) { o.FailureReason = r }
func (appLife) delays(o *options) (time.Duration, time.Duration, time.Duration) {
	return o.appDelay, o.appDelay, o.appDelay
}
func (appLife) parent(e *Emulator, a *app, now time.Time) bool {
	domainID := aws.ToString(a.out.DomainId)
	if a.out.SpaceName != nil {
		return e.settledSpace(domainID, *a.out.SpaceName, now) != nil
	}
	return e.settledProfile(domainID, aws.ToString(a.out.UserProfileName), now) != nil
}

// end makes a the Deleted app that stays visible until its owner goes;
// its tags go now.
func (appLife) end(e *Emulator, a *app, at time.Time) bool {
	a.out.Status = types.AppStatusDeleted
	a.since = at
	delete(e.tags, aws.ToString(a.out.AppArn))
	return true
}

// domainExists settles the domain id and reports whether it exists.
func (e *Emulator) domainExists(id string, now time.Time) bool {
	d, ok := e.domains[id]
	return ok && settle(e, domainLife{}, d, now)
}

// settledProfile returns the user profile name (in any case) of domainID,
// settled, or nil.
func (e *Emulator) settledProfile(domainID, name string, now time.Time) *userProfile {
	if p, ok := e.profiles[profileKey(domainID, name)]; ok && settle(e, profileLife{}, p, now) {
		return p
	}
	return nil
}

// settledSpace returns the space name of domainID, settled, or nil.
func (e *Emulator) settledSpace(domainID, name string, now time.Time) *space {
	if s, ok := e.spaces[childKey{domainID, name}]; ok && settle(e, spaceLife{}, s, now) {
		return s
	}
	return nil
}
