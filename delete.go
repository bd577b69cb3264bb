package smdomain

import (
	"context"
	"errors"
	"fmt"

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

// Delete deletes the domain called name and waits until it is gone. It is
// idempotent: a missing domain is ActionUnchanged, not an error. The home
// EFS volume is retained unless WithDeleteHomeEFS is given. A domain that is
// Pending or Updating is waited for first, since the service refuses to
// delete it then; one already Deleting is waited for. The wait is bounded
// by WithMaxWait.
//
// The service refuses to delete a domain that still has user profiles or
// spaces: Delete then returns a *DomainInUseError naming them, having
// deleted nothing, unless WithCascade is given. The Result's Changes list
// what a cascade deleted ("UserProfiles.alice", "Apps.alice/JupyterServer/default", ...).
func (c *Client) Delete(ctx context.Context, name string, opts ...DeleteOption) (*Result, error) {
	o := deleteOptions{retention: types.RetentionTypeRetain}
	for _, fn := range opts {
		fn(&o)
	}
	if err := c.checkWaitOptions(); err != nil {
		return nil, fmt.Errorf("delete domain %q: %w", name, err)
	}
	unlock, err := c.locks.lock(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("delete domain %q: %w", name, err)
	}
	defer unlock()
	deadline := c.opts.clock.Now().Add(c.opts.maxWait)
	res := &Result{Action: ActionUnchanged}
	for {
		live, err := c.findByName(ctx, name)
		if err != nil {
			return nil, err
		}
		if live == nil {
			return res, nil
		}
		res.Domain = newDomain(live)
		id := deref(live.DomainId)
		switch live.Status {
		case types.DomainStatusPending, types.DomainStatusUpdating:
			var se *StatusError
			if _, err := c.waitResource(ctx, &domainResource{c: c, id: id}, false, deadline); err != nil && !errors.As(err, &se) {
				return nil, err
			}
			continue
		case types.DomainStatusDeleting:
		default:
			if err := c.checkOwnerOf(ctx, live); err != nil {
				return nil, err
			}
			if o.cascade {
				changes, err := c.deleteContents(ctx, id, deadline)
				res.Changes = append(res.Changes, changes...)
				if err != nil {
					return nil, err
				}
			}
			_, err := c.api.DeleteDomain(ctx, &sagemaker.DeleteDomainInput{
				DomainId:        aws.String(id),
				RetentionPolicy: &types.RetentionPolicy{HomeEfsFileSystem: o.retention},
			})
			if inUse(err) && !o.cascade {
				blocking, lerr := c.inUseError(ctx, id)
				if lerr != nil {
					return nil, lerr
				}
				if blocking != nil {
					return nil, blocking
				}
			}
			if err != nil && !notFound(err) {
				return nil, fmt.Errorf("delete domain %s: %w", id, err)
			}
			res.Action = ActionDeleted
			c.log(ctx, "deleting domain", "domain", id, "homeEFS", string(o.retention))
		}
		if _, err := c.waitResource(ctx, &domainResource{c: c, id: id}, true, deadline); err != nil {
			return nil, err
		}
	}
}
