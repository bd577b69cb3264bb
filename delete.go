package smdomain

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// DeleteOption configures Delete.
type DeleteOption func(*deleteOptions)

type deleteOptions struct {
	retention types.RetentionType
	cascade   bool
}

// WithCascade makes Delete delete the domain's apps, then its spaces, then
// its user profiles, each group gone before the next starts, and then the
// domain: the order the service requires. Every user's apps stop and their
// spaces go. Default: off, and a domain that still has any of them is
// refused with *DomainInUseError, nothing deleted.
func WithCascade() DeleteOption {
	return func(o *deleteOptions) { o.cascade = true }
}

// WithDeleteHomeEFS makes Delete delete the domain's home EFS volume, and
// with it every user's home directory. Default: the volume is retained.
func WithDeleteHomeEFS() DeleteOption {
	return func(o *deleteOptions) { o.retention = types.RetentionTypeDelete }
}

// Delete deletes the domain ref names (ByName or ByID) and waits until it
// is gone. It is
// idempotent: a missing domain is ActionUnchanged, not an error. The home
// EFS volume is retained unless WithDeleteHomeEFS is given. A domain that is
// Pending or Updating is waited for first, since the service refuses to
// delete it then; one already Deleting is waited for. The wait is bounded
// by WithMaxWait.
//
// Delete resolves ref once, at the start, and from then on deletes
// and waits for that domain, by its ID: a domain created under the same
// name while it runs is left alone. The Result is ActionDeleted once that
// domain is gone, whoever deleted it, and its Domain is that domain as
// last described. RetainedHomeEFSFileSystemID names the home EFS volume
// the domain leaves behind: set when the DeleteDomain Delete sent retained
// it, and when someone else's DeleteDomain, whose retention policy the
// service does not report, was under way (or done) instead. In that case
// WithDeleteHomeEFS cannot be honoured, and Delete returns the Result
// together with a *HomeEFSRetainedError.
//
// The service refuses to delete a domain that still has user profiles or
// spaces: Delete then returns a *DomainInUseError naming them, having
// deleted nothing, unless WithCascade is given. The Result's Changes list
// what a cascade deleted ("UserProfiles.alice", "Apps.alice/JupyterServer/default", ...).
// A cascade tries throttled and failed (5xx) calls again within
// WithMaxWait, and with WithOwner checks before each delete, and before
// the DeleteDomain, that the Client still owns the domain. When it stops
// part way, Delete returns the Result of what it deleted (its Action stays
// ActionUnchanged: the domain is still there) together with a
// *CascadeError, which lists the same and wraps the cause (a
// *NotOwnedError when the owner tag changed).
//
// By name, a domain that is InService costs four calls: ListDomains,
// DescribeDomain, DeleteDomain and the polls (DescribeDomain) until it is
// gone, the last one answered ResourceNotFound; by ID, or by name
// WithDeleteHomeEFS, three. WithOwner adds a ListTags, WithCascade the
// listings of what the domain holds. The DescribeDomain before the
// DeleteDomain is what the Result's Domain is, and the only call that
// reports the home EFS volume's ID (the listing does not) when the domain
// is gone by the first poll: it is made unless the volume goes too.
func (c *Client) Delete(ctx context.Context, ref DomainRef, opts ...DeleteOption) (*Result, error) {
	o := deleteOptions{retention: types.RetentionTypeRetain}
	for _, fn := range opts {
		fn(&o)
	}
	if err := c.checkOwnerValue(); err != nil {
		return nil, err
	}
	if err := c.checkWaitOptions(); err != nil {
		return nil, fmt.Errorf("delete domain %s: %w", ref, err)
	}
	unlock, err := c.locks.lock(ctx, ref.lockKey())
	if err != nil {
		return nil, fmt.Errorf("delete domain %s: %w", ref, err)
	}
	defer unlock()
	ctx, deadline := c.budget(ctx)
	live, err := c.lookupForDelete(ctx, ref, o)
	if errors.Is(err, ErrNotFound) {
		return &Result{Action: ActionUnchanged}, nil
	}
	if err != nil {
		return nil, err
	}
	id := deref(live.DomainId)
	r := &domainResource{c: c, id: id}
	res := &Result{Action: ActionUnchanged, Domain: newDomain(live)}
	sent := false // this Delete's DeleteDomain was accepted
	for live != nil {
		res.Domain = newDomain(live)
		switch live.Status {
		case types.DomainStatusPending, types.DomainStatusUpdating:
			settled, err := c.waitResource(ctx, r, false, deadline)
			if err == nil {
				live = settled.raw.(*sagemaker.DescribeDomainOutput) // the wait's last poll
				continue
			}
			var se *StatusError
			if !errors.As(err, &se) && !errors.Is(err, ErrNotFound) {
				return nil, err
			}
			if live, err = c.describe(ctx, id); err != nil {
				return nil, err
			}
		case types.DomainStatusDeleting:
			if _, err := c.waitResource(ctx, r, true, deadline); err != nil {
				return nil, err
			}
			live = nil // the deleted waiter succeeds only on ResourceNotFound
		default:
			if err := c.deleteDomain(ctx, live, o, res, deadline); err != nil {
				return res, err
			}
			sent = true
			c.log(ctx, "deleting domain", "domain", id, "homeEFS", string(o.retention))
			if _, err := c.waitResource(ctx, r, true, deadline); err != nil {
				return nil, err
			}
			live = nil
		}
	}
	res.Action = ActionDeleted
	fs := res.Domain.HomeEFSFileSystemID
	if fs == "" || (sent && o.retention == types.RetentionTypeDelete) {
		return res, nil
	}
	res.RetainedHomeEFSFileSystemID = fs
	if o.retention == types.RetentionTypeDelete {
		return res, &HomeEFSRetainedError{DomainID: id, FileSystemID: fs}
	}
	return res, nil
}

// lookupForDelete is lookup, except that by name, WithDeleteHomeEFS, a
// domain the listing shows InService is taken as the listing shows it: no
// retained volume is to be named, so the DescribeDomain that would name
// it is not needed (the Result's Domain then has what ListDomains
// reports: no home EFS volume, VPC or settings).
func (c *Client) lookupForDelete(ctx context.Context, ref DomainRef, o deleteOptions) (*sagemaker.DescribeDomainOutput, error) {
	if ref.id != "" || o.retention != types.RetentionTypeDelete {
		return c.lookup(ctx, ref)
	}
	match, err := c.matchName(ctx, ref.name)
	switch {
	case err != nil:
		return nil, err
	case match == nil:
		return nil, fmt.Errorf("domain %s: %w", ref, ErrNotFound)
	case match.Status != types.DomainStatusInService:
		return c.lookup(ctx, ByID(deref(match.DomainId)))
	}
	return &sagemaker.DescribeDomainOutput{DomainId: match.DomainId, DomainArn: match.DomainArn, DomainName: match.DomainName,
		Status: match.Status, Url: match.Url, CreationTime: match.CreationTime, LastModifiedTime: match.LastModifiedTime}, nil
}

// deleteDomain checks that the Client owns live, deletes its contents
// with WithCascade (adding what went to res.Changes), checks ownership
// again and sends DeleteDomain.
func (c *Client) deleteDomain(ctx context.Context, live *sagemaker.DescribeDomainOutput, o deleteOptions, res *Result, deadline time.Time) error {
	id := deref(live.DomainId)
	if err := c.checkOwnerOf(ctx, live); err != nil {
		return err
	}
	if o.cascade {
		changes, err := c.cascade(ctx, live, deadline, nil)
		res.Changes = append(res.Changes, changes...)
		if err != nil {
			return err
		}
		if err := c.checkOwnerOf(ctx, live); err != nil {
			return &CascadeError{DomainID: id, Deleted: slices.Clone(res.Changes), Err: err}
		}
	}
	_, err := c.api.DeleteDomain(ctx, &sagemaker.DeleteDomainInput{
		DomainId:        aws.String(id),
		RetentionPolicy: &types.RetentionPolicy{HomeEfsFileSystem: o.retention},
	})
	if inUse(err) && !o.cascade {
		blocking, lerr := c.inUseError(ctx, id)
		if lerr != nil {
			return lerr
		}
		if blocking != nil {
			return blocking
		}
	}
	if err != nil && !notFound(err) {
		return fmt.Errorf("delete domain %s: %w", id, err)
	}
	return nil
}
