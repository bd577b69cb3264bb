package smdomain

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

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
// progress. Each is sent at most WithWriteAttempts times (default
// DefaultWriteAttempts); when no attempt's outcome is known the error is a
// *WriteAttemptsError. A wait that runs out (WithMaxWait) is a
// *WaitTimeoutError naming the domain, the one just created included.
// Concurrent Ensure calls for one name through one Client run one after
// the other.
//
// Creators that share nothing. Every CreateDomain carries a random create
// token as a tag (CreateTokenTagKey): a domain with this Ensure's token is
// the one it created. After a create of unknown outcome, a domain with the
// name but without the token is another creator's: Ensure plans against
// it like any existing domain (WithOwner's check included), updates it or
// refuses typed, and never reports it as created. Ensure calls in other
// Clients, processes or machines that create one new name at the same
// moment end with one domain: once its own domain is InService, each
// creator lists the name, and the domain created first (the oldest
// CreationTime, then the lowest ID) survives; every other creator deletes
// the domain it made (new and empty, so with its home EFS volume), waits
// until it is gone and goes on against the survivor, reporting
// ActionUpdated or ActionUnchanged, never ActionCreated. An Ensure that
// finds several domains of the name, every one with a create token, takes
// the one created first, as the creators do.
//
// The window of that guarantee: until the other creators' deletes are done
// (their wait for InService and then for the delete), the account holds a
// domain per creator, and Get, Delete and AuditDomain, which do not settle
// races, answer *AmbiguousNameError. It assumes that ListDomains shows a
// new domain by the time another domain created at about the same moment
// is InService (SageMaker takes minutes; the creators also wait until
// their clock is past their domain's CreationTime), and that the service
// stamps CreationTime in the order in which it carries out creates. A
// creator stopped between its create and its listing (ctx cancelled, a
// wait that runs out, a process killed) does not remove its domain: a
// duplicate may then stay, which later Ensure calls pass over as above
// and which has to be deleted by its ID (the SDK's DeleteDomain).
//
// Before a create or update, every IAM role it sends is checked against
// the caller's account (see WithSTS and WithCrossAccountRoles): for a
// create every role in the spec, for an update the roles among the changed
// fields. GetCallerIdentity is called, once per Client, only when there is
// such a role: an update of other fields, or of tags only, makes no STS
// call.
//
// Members. When the spec declares user profiles and spaces (WithUserProfiles,
// WithSpaces, or the "UserProfiles" and "Spaces" of LoadSpecJSON), Ensure
// first plans everything, domain and members, and refuses with
// *ReplacementRequiredError, writing nothing at all, when any change needs
// a new domain or a new member (a member's name, SSO pair, space owner,
// sharing type or AppType). A space whose owner is neither declared nor in
// the domain is a *ValidationError before any write. Then it converges the
// domain, then the user profiles, then the spaces (so a space's owner
// exists first), then with WithPrune the offboardings, each group at most
// WithConcurrency members at a time. Each member goes through the same
// engine as the domain: CreateUserProfile or CreateSpace with everything it
// sets; one UpdateUserProfile or UpdateSpace carrying only the changed
// fields (never AppType, which the service refuses to update); tags through
// AddTags and DeleteTags on the member's ARN; a wait until it is InService;
// the same recovery from unknown outcomes, so a lost response never makes
// a second member. A member that already matches costs its Describe call
// (and its ListTags when its tags are managed) and nothing more.
//
// Identity Center. With WithIdentityCenter, Ensure then assigns the users
// of an SSO spec's user profiles, and its WithSSOGroups, to the domain's
// Identity Center application, as that option describes.
//
// The Result's Members say what happened to each member, in the plan's
// order. When a member fails, Ensure goes on with the members already
// started, starts no others, and returns the Result of what it did
// together with an error that joins each failed member's error (each
// names its member; the SDK's and this package's typed errors stay
// reachable with errors.As).
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
	ctx, deadline := c.budget(ctx)
	sp, err := c.planSpec(ctx, spec)
	if err != nil {
		return nil, err
	}
	if sp.plan.Action == PlanReplaceRequired {
		return nil, &ReplacementRequiredError{DomainID: sp.plan.DomainID, Changes: sp.plan.Replacements()}
	}
	if err := c.checkPlannedRoles(ctx, sp); err != nil {
		return nil, err
	}
	res := &Result{Action: ActionUnchanged}
	live := sp.domainPlan.live
	if live == nil || sp.domainPlan.action != PlanNoOp || live.status != string(types.DomainStatusInService) {
		done, err := c.converge(ctx, sp.domain, sp.domainPlan, deadline)
		if err != nil {
			return nil, err
		}
		res.Action, res.Changes, live = done.action, done.changes, done.live
	}
	res.Domain = newDomain(live.raw.(*sagemaker.DescribeDomainOutput))
	if sp.plan.DomainID != res.Domain.ID && len(sp.members) > 0 {
		// The domain was created (or made anew after one that was being
		// deleted, or another creator's adopted): plan its members again
		// against the domain that now stands.
		if sp.members, err = c.planMembers(ctx, spec, res.Domain.ID); err != nil {
			return res, err
		}
	}
	members, err := c.ensureMembers(ctx, res.Domain.Description, sp.members, deadline)
	res.Members = members
	for _, m := range members {
		res.Changes = append(res.Changes, m.Changes...)
		if m.Action != ActionUnchanged && res.Action == ActionUnchanged {
			res.Action = ActionUpdated
		}
	}
	if err == nil {
		err = c.ensureAssignments(ctx, sp.assignments, res) // WithIdentityCenter
	}
	return res, err
}

// checkPlannedRoles checks, before the first write, the roles that the
// plan's creates and updates carry, so that a member's role from another
// account stops the Ensure before the domain is written. A plan that sends
// no role (an update of other fields, tags only, nothing at all) checks
// nothing and asks STS nothing.
func (c *Client) checkPlannedRoles(ctx context.Context, sp *specPlan) error {
	if err := c.checkRoles(ctx, "", plannedRoles(sp.domainPlan, sp.domain.desired())); err != nil {
		return err
	}
	for _, s := range sp.members {
		if s.res != nil {
			if err := c.checkRoles(ctx, s.res.path(), plannedRoles(s.plan, s.res.desired())); err != nil {
				return err
			}
		}
	}
	return nil
}

func (c *Client) log(ctx context.Context, msg string, args ...any) {
	if c.opts.logger != nil {
		c.opts.logger.Log(ctx, slog.LevelInfo, msg, args...)
	}
}

// outcomeUnknown reports whether a failed write may still have been
// carried out: a throttle, a 5xx, or no answer at all (timeout, cut
// connection). A definite refusal (4xx), a request the SDK refused to send,
// a cancellation by the caller and an error of smdomain's own (not the
// SDK's *smithy.OperationError: a *NotOwnedError, a listing that repeats
// its NextToken) are not.
func outcomeUnknown(ctx context.Context, err error) bool {
	var invalid smithy.InvalidParamsError
	var op *smithy.OperationError
	if ctx.Err() != nil || errors.As(err, &invalid) || !errors.As(err, &op) {
		return false // the caller's cancellation, or an error of smdomain's own: nothing was sent
	}
	var re *smithyhttp.ResponseError
	if !errors.As(err, &re) || re.HTTPStatusCode() == 0 || re.HTTPStatusCode() >= 500 {
		return true // no HTTP response, or the server's fault
	}
	return throttle(err)
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

// deletedWaiterOptions is waiterOptions for a deleted waiter: it keeps
// the deleted waiter's own retry decision.
func (c *Client) deletedWaiterOptions(o *DomainDeletedWaiterOptions) {
	retry := o.Retryable
	c.waiterOptions(o)
	o.Retryable = retry
}
