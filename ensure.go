package smdomain

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/finegrained/smdomain/internal/docpath"
	"github.com/finegrained/smdomain/internal/wire"
)

// maxWriteAttempts bounds how often Ensure sends CreateDomain, or
// UpdateDomain, when the outcome of the previous attempt is unknown.
const maxWriteAttempts = 4

// errOutcomeUnknown tells Ensure's loop that an UpdateDomain may or may not
// have been carried out: read the domain again and plan again.
var errOutcomeUnknown = errors.New("update outcome unknown")

// ensureRun is what one Ensure call remembers across the rounds of its
// loop (a round reads the domain, plans and acts).
type ensureRun struct {
	changes []Change // the first plan's changes: what this call set out to do
	wrote   bool     // an UpdateDomain was sent that may have been carried out
	tries   int      // UpdateDomain attempts whose outcome was unknown
	lastErr error    // the last of those attempts' errors
}

// Ensure makes the domain match spec and waits until it is InService:
//
//   - no domain has the name: CreateDomain with everything the spec sets;
//   - the domain differs in fields UpdateDomain can change: one UpdateDomain
//     carrying only those fields (and what the API needs alongside them:
//     SubnetIds with a switch to VpcOnly, the RStudio DomainExecutionRoleArn
//     with any RStudio setting), tag changes through AddTags and
//     DeleteTags;
//   - the domain differs in a field UpdateDomain cannot change: a
//     *ReplacementRequiredError naming every such field, and nothing is
//     written;
//   - the domain is Pending or Updating: wait, then plan again; Deleting:
//     wait until it is gone, then create; Update_Failed: plan and update
//     again; Failed or Delete_Failed: a *StatusError with the service's
//     reason.
//
// The UpdateDomain carries each changed setting at the depth where it
// changed (DefaultUserSettings.JupyterServerAppSettings.DefaultResourceSpec,
// say, without its siblings), lists whole. This assumes the service merges
// nested structures member by member, as smdomaintest does; the API
// reference does not say so either way.
//
// Ensure on a domain that already matches makes no write call and returns
// ActionUnchanged. All waiting together is bounded by WithMaxWait.
//
// CreateDomain is not idempotent, so Ensure sends it without the SDK's
// automatic retry; when a create's outcome is unknown (throttled, 5xx,
// timeout, cut connection) it looks the name up before trying again, and
// never creates two domains. UpdateDomain is sent the same way: when its
// outcome is unknown, Ensure reads the domain again (waiting while it is
// Updating) and plans again, so a retry never meets its own update in
// progress. Concurrent Ensure calls for one name through one Client run
// one after the other.
//
// Before a create or update, every IAM role in the spec is checked against
// the caller's account (see WithSTS and WithCrossAccountRoles).
func (c *Client) Ensure(ctx context.Context, spec *Spec) (*Result, error) {
	if err := checkSpec(spec); err != nil {
		return nil, err
	}
	if err := c.checkOwnerTags(spec); err != nil {
		return nil, err
	}
	if err := c.checkWaitOptions(); err != nil {
		return nil, fmt.Errorf("ensure domain %q: %w", spec.Name(), err)
	}
	unlock, err := c.locks.lock(ctx, spec.Name())
	if err != nil {
		return nil, fmt.Errorf("ensure domain %q: %w", spec.Name(), err)
	}
	defer unlock()
	deadline := c.opts.clock.Now().Add(c.opts.maxWait)
	run := &ensureRun{}
	for {
		live, err := c.find(ctx, spec)
		if err != nil {
			return nil, err
		}
		if live == nil {
			return c.create(ctx, spec, deadline)
		}
		id := deref(live.DomainId)
		switch live.Status {
		case types.DomainStatusPending, types.DomainStatusUpdating:
			c.log(ctx, "waiting for domain to settle", "domain", id, "status", string(live.Status))
			_, err := c.waitInService(ctx, id, deadline)
			var se *StatusError
			if errors.As(err, &se) && se.Status == string(types.DomainStatusUpdateFailed) {
				continue // plan and update again
			}
			if err != nil {
				return nil, err
			}
			continue
		case types.DomainStatusDeleting:
			c.log(ctx, "waiting for domain to be deleted", "domain", id)
			if err := c.waitDeleted(ctx, id, deadline); err != nil {
				return nil, err
			}
			continue
		case types.DomainStatusFailed, types.DomainStatusDeleteFailed:
			return nil, &StatusError{DomainID: id, Status: string(live.Status), FailureReason: deref(live.FailureReason)}
		}
		res, err := c.update(ctx, spec, live, deadline, run)
		if !errors.Is(err, errOutcomeUnknown) {
			return res, err
		}
		if run.tries >= maxWriteAttempts {
			return nil, run.lastErr
		}
		c.log(ctx, "update outcome unknown; reading the domain again", "domain", deref(live.DomainId), "attempt", run.tries)
		if err := c.opts.clock.Sleep(ctx, time.Duration(run.tries)*time.Second); err != nil {
			return nil, fmt.Errorf("update domain %s: %w", deref(live.DomainId), err)
		}
	}
}

func (c *Client) log(ctx context.Context, msg string, args ...any) {
	if c.opts.logger != nil {
		c.opts.logger.Log(ctx, slog.LevelInfo, msg, args...)
	}
}

// create sends CreateDomain, recovering from an unknown outcome by looking
// the name up, and waits for the domain to be InService.
func (c *Client) create(ctx context.Context, spec *Spec, deadline time.Time) (*Result, error) {
	if err := c.checkRoles(ctx, spec); err != nil {
		return nil, err
	}
	p, err := c.plan(ctx, spec, nil)
	if err != nil {
		return nil, err
	}
	in := c.ownedInput(spec.CreateDomainInput())
	id := ""
	for attempt := 1; id == ""; attempt++ {
		if attempt > 1 {
			if err := c.opts.clock.Sleep(ctx, time.Duration(attempt-1)*time.Second); err != nil {
				return nil, fmt.Errorf("create domain %q: %w", spec.Name(), err)
			}
			live, err := c.findByName(ctx, spec.Name())
			if err != nil {
				return nil, err
			}
			if live != nil {
				id = deref(live.DomainId)
				c.log(ctx, "found the domain an earlier create made", "domain", id)
				break
			}
		}
		out, err := c.api.CreateDomain(ctx, in, func(o *sagemaker.Options) { o.RetryMaxAttempts = 1 })
		if err == nil {
			id = deref(out.DomainId)
			break
		}
		err = fmt.Errorf("create domain %q: %w", spec.Name(), err)
		if !outcomeUnknown(ctx, err) || attempt == maxWriteAttempts {
			return nil, err
		}
		c.log(ctx, "create outcome unknown; looking the name up before trying again", "name", spec.Name(), "attempt", attempt)
	}
	c.log(ctx, "created domain", "domain", id, "name", spec.Name())
	out, err := c.waitInService(ctx, id, deadline)
	if err != nil {
		return nil, err
	}
	return &Result{Action: ActionCreated, Changes: p.Changes, Domain: newDomain(out)}, nil
}

// outcomeUnknown reports whether a failed write may still have been
// carried out: a throttle, a 5xx, or no answer at all (timeout, cut
// connection). A definite refusal (4xx), a request the SDK refused to send
// and a cancellation by the caller are not.
func outcomeUnknown(ctx context.Context, err error) bool {
	var invalid smithy.InvalidParamsError
	if ctx.Err() != nil || errors.As(err, &invalid) {
		return false
	}
	var re *smithyhttp.ResponseError
	if !errors.As(err, &re) || re.HTTPStatusCode() == 0 || re.HTTPStatusCode() >= 500 {
		return true // no HTTP response, or the server's fault
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		_, throttle := retry.DefaultThrottleErrorCodes[ae.ErrorCode()]
		return throttle
	}
	return false
}

// update plans against live and applies the changes in place. It returns
// errOutcomeUnknown when UpdateDomain's outcome is unknown.
func (c *Client) update(ctx context.Context, spec *Spec, live *sagemaker.DescribeDomainOutput, deadline time.Time, run *ensureRun) (*Result, error) {
	p, err := c.plan(ctx, spec, live)
	if err != nil {
		return nil, err
	}
	if run.changes == nil {
		run.changes = p.Changes
	}
	id := p.DomainID
	switch p.Action {
	case PlanReplaceRequired:
		return nil, &ReplacementRequiredError{DomainID: id, Changes: p.Replacements()}
	case PlanNoOp:
		if live.Status == types.DomainStatusUpdateFailed {
			return nil, &StatusError{DomainID: id, Status: string(live.Status), FailureReason: deref(live.FailureReason)}
		}
		if run.wrote {
			// An earlier round's UpdateDomain, whose answer was lost, did it.
			return &Result{Action: ActionUpdated, Changes: run.changes, Domain: newDomain(live)}, nil
		}
		return &Result{Action: ActionUnchanged, Domain: newDomain(live)}, nil
	}
	if err := c.checkRoles(ctx, spec); err != nil {
		return nil, err
	}
	in, err := updateInput(id, p.Changes, spec)
	if err != nil {
		return nil, err
	}
	if in == nil && live.Status == types.DomainStatusUpdateFailed {
		// Only tags differ: no UpdateDomain would take the domain out of
		// Update_Failed, so this is the no-op case's error.
		return nil, &StatusError{DomainID: id, Status: string(live.Status), FailureReason: deref(live.FailureReason)}
	}
	if in != nil {
		if _, err := c.api.UpdateDomain(ctx, in, func(o *sagemaker.Options) { o.RetryMaxAttempts = 1 }); err != nil {
			err = fmt.Errorf("update domain %s: %w", id, err)
			if outcomeUnknown(ctx, err) {
				run.wrote, run.lastErr = true, err
				run.tries++
				return nil, errOutcomeUnknown
			}
			return nil, err
		}
		c.log(ctx, "updated domain", "domain", id, "fields", changedPaths(p.Changes, false))
	}
	if err := c.applyTags(ctx, deref(live.DomainArn), p.Changes); err != nil {
		return nil, err
	}
	out := live
	if in != nil {
		if out, err = c.waitInService(ctx, id, deadline); err != nil {
			return nil, err
		}
	}
	return &Result{Action: ActionUpdated, Changes: run.changes, Domain: newDomain(out)}, nil
}

func changedPaths(changes []Change, tags bool) []string {
	var out []string
	for _, ch := range changes {
		if strings.HasPrefix(ch.Path, "Tags.") == tags {
			out = append(out, ch.Path)
		}
	}
	return out
}

// updateInput builds the one UpdateDomain request that makes the setting
// changes, or nil when only tags change. It carries the changed fields and
// nothing else, but for SubnetIds alongside a switch to VpcOnly and the
// RStudio DomainExecutionRoleArn alongside any RStudio setting, which the
// API requires.
func updateInput(id string, changes []Change, spec *Spec) (*sagemaker.UpdateDomainInput, error) {
	doc := map[string]any{}
	for _, ch := range changes {
		if strings.HasPrefix(ch.Path, "Tags.") {
			continue
		}
		path, ok := updatePath(strings.Split(ch.Path, "."))
		if !ok {
			return nil, fmt.Errorf("update domain %s: %s cannot be updated in place", id, ch.Path)
		}
		docpath.Set(doc, path, ch.To)
	}
	if len(doc) == 0 {
		return nil, nil
	}
	if doc["AppNetworkAccessType"] == string(types.AppNetworkAccessTypeVpcOnly) && doc["SubnetIds"] == nil {
		if subnets := spec.input.SubnetIds; subnets != nil {
			doc["SubnetIds"] = wire.Encode(subnets)
		}
	}
	if ds, ok := doc["DomainSettingsForUpdate"].(map[string]any); ok {
		// The API requires the RStudio role with any RStudio setting.
		if rs, ok := ds["RStudioServerProDomainSettingsForUpdate"].(map[string]any); ok && rs["DomainExecutionRoleArn"] == nil {
			if s := spec.input.DomainSettings; s != nil && s.RStudioServerProDomainSettings != nil {
				rs["DomainExecutionRoleArn"] = wire.Encode(s.RStudioServerProDomainSettings.DomainExecutionRoleArn)
			}
		}
	}
	doc["DomainId"] = id
	in := &sagemaker.UpdateDomainInput{}
	if err := wire.Decode(doc, in); err != nil {
		return nil, fmt.Errorf("update domain %s: %w", id, err)
	}
	return in, nil
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
	// Remove first: adding first could take a domain at the service's tag
	// limit over it on the way to a set of tags within it.
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

// waiterOptions gives a waiter the Client's logger and clock, then the
// caller's WithWaitOptions.
func (c *Client) waiterOptions(o *DomainInServiceWaiterOptions) {
	o.Logger = c.opts.logger
	o.Clock = c.opts.clock
	for _, fn := range c.opts.waitOptions {
		fn(o)
	}
}

// checkWaitOptions refuses, before any call, waiter options that every
// wait would refuse, so that a bad WithWaitOptions does not surface only
// after a write.
func (c *Client) checkWaitOptions() error {
	o := DomainInServiceWaiterOptions{MinDelay: DefaultWaitMinDelay, MaxDelay: DefaultWaitMaxDelay}
	c.waiterOptions(&o)
	if err := o.checkDelays(); err != nil {
		return fmt.Errorf("wait options: %w", err)
	}
	return nil
}

func (c *Client) remaining(deadline time.Time, id string) (time.Duration, error) {
	left := deadline.Sub(c.opts.clock.Now())
	if left <= 0 {
		return 0, fmt.Errorf("domain %s: waited %s: %w", id, c.opts.maxWait, ErrWaitTimeout)
	}
	return left, nil
}

func (c *Client) waitInService(ctx context.Context, id string, deadline time.Time) (*sagemaker.DescribeDomainOutput, error) {
	left, err := c.remaining(deadline, id)
	if err != nil {
		return nil, err
	}
	return NewDomainInServiceWaiter(c.api, c.waiterOptions).
		WaitForOutput(ctx, &sagemaker.DescribeDomainInput{DomainId: aws.String(id)}, left)
}

func (c *Client) waitDeleted(ctx context.Context, id string, deadline time.Time) error {
	left, err := c.remaining(deadline, id)
	if err != nil {
		return err
	}
	return NewDomainDeletedWaiter(c.api, func(o *DomainDeletedWaiterOptions) {
		// The two option types have the same fields: start from the deleted
		// waiter's defaults, apply the Client's settings, and keep the
		// deleted waiter's own retry decision.
		in := DomainInServiceWaiterOptions(*o)
		c.waiterOptions(&in)
		in.Retryable = o.Retryable
		*o = DomainDeletedWaiterOptions(in)
	}).Wait(ctx, &sagemaker.DescribeDomainInput{DomainId: aws.String(id)}, left)
}
