package smdomain

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
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

// deleteContents deletes the domain's apps, then its spaces, then its user
// profiles, each group gone before the next starts, as the service
// requires. It returns the changes made, one per resident deleted.
func (c *Client) deleteContents(ctx context.Context, id string, deadline time.Time) ([]Change, error) {
	var changes []Change
	for _, list := range []func(context.Context, string) ([]resident, error){c.listApps, c.listSpaces, c.listUserProfiles} {
		deleted, err := c.drain(ctx, id, deadline, list)
		changes = append(changes, deleted...)
		if err != nil {
			return changes, err
		}
	}
	return changes, nil
}

// drain deletes every resident list reports, round after round, until
// none is left: a resident that is settling (Pending, Deleting, ...) is
// waited for, one whose delete is refused because of something still in
// its way is tried again next round. A Delete_Failed resident is a
// *StatusError. The rounds back off like the waiters and stop at deadline.
func (c *Client) drain(ctx context.Context, id string, deadline time.Time, list func(context.Context, string) ([]resident, error)) ([]Change, error) {
	var changes []Change
	deleted := map[string]bool{}
	start := c.opts.clock.Now()
	for round := 1; ; round++ {
		residents, err := list(ctx, id)
		if err != nil {
			return changes, err
		}
		left := 0
		for _, r := range residents {
			key := r.kind + "." + r.name
			switch {
			case r.gone():
				continue
			case r.status == "Delete_Failed":
				return changes, &StatusError{DomainID: id, Status: r.status,
					FailureReason: fmt.Sprintf("%s %s could not be deleted", r.kind, r.name)}
			case !r.settling():
				if err := r.delete(ctx); err != nil && !notFound(err) && !inUse(err) {
					return changes, fmt.Errorf("domain %s: delete %s %s: %w", id, r.kind, r.name, err)
				}
				if !deleted[key] {
					deleted[key] = true
					changes = append(changes, Change{Path: key, From: r.status})
					c.log(ctx, "deleting", "domain", id, "what", key)
				}
			}
			left++
		}
		if left == 0 {
			return changes, nil
		}
		remaining := deadline.Sub(c.opts.clock.Now())
		if remaining <= 0 {
			return changes, fmt.Errorf("domain %s: %d %s still there after %s: %w",
				id, left, residents[0].kind, c.opts.clock.Now().Sub(start), ErrWaitTimeout)
		}
		delay := backoff.Delay(round, DefaultWaitMinDelay, DefaultWaitMaxDelay, remaining, rand.Float64())
		if err := c.opts.clock.Sleep(ctx, delay); err != nil {
			return changes, fmt.Errorf("domain %s: delete contents: %w", id, err)
		}
	}
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
	for _, list := range []func(context.Context, string) ([]resident, error){c.listApps, c.listSpaces, c.listUserProfiles} {
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
