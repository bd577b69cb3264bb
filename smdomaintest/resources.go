package smdomaintest

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/finegrained/smdomain/internal/docpath"
	"github.com/finegrained/smdomain/internal/wire"
)

// This file holds what user profiles, spaces and apps share: their keys,
// their status transitions, the domain they need, and paging.

// resource is one emulated domain, user profile, space or app: what its
// Describe operation reports (O), plus bookkeeping.
type resource[O any] struct {
	out    *O
	region string
	seq    int64     // creation order, across every kind
	since  time.Time // when the current status was entered
}

// childKey names a user profile or a space: unique within its domain.
// Domain IDs are unique across regions, so the region is not part of it.
// A user profile's key holds its name in lower case (profileKey), since
// the service says profile names are not case sensitive; a space's holds
// its name as it is.
type childKey struct {
	domainID string
	name     string
}

// profileKey returns the key of the user profile name of domainID: the
// same for "alice" and "ALICE".
func profileKey(domainID, name string) childKey {
	return childKey{domainID, strings.ToLower(name)}
}

// settleResources applies the transitions of user profiles, spaces and
// apps whose time has come. Apps settle first, so that a profile or space
// that goes takes its Deleted apps with it.
func (e *Emulator) settleResources(now time.Time) {
	for _, a := range e.apps {
		switch a.out.Status {
		case types.AppStatusPending:
			if at := a.since.Add(e.opts.appDelay); !now.Before(at) {
				a.out.Status = types.AppStatusInService
				a.since = at
			}
		case types.AppStatusDeleting:
			if at := a.since.Add(e.opts.appDelay); !now.Before(at) {
				a.out.Status = types.AppStatusDeleted
				a.since = at
				delete(e.tags, aws.ToString(a.out.AppArn))
			}
		}
	}
	for k, s := range e.spaces {
		switch s.out.Status {
		case types.SpaceStatusPending, types.SpaceStatusUpdating:
			if at := s.since.Add(settleDelay(s.out.Status == types.SpaceStatusUpdating, e.opts.spaceDelay, e.opts.spaceUpdateDelay)); !now.Before(at) {
				s.out.Status = types.SpaceStatusInService
				s.out.LastModifiedTime = aws.Time(epoch(at))
				s.since = at
			}
		case types.SpaceStatusDeleting:
			if !now.Before(s.since.Add(e.opts.spaceDelay)) {
				e.dropSpace(k)
			}
		}
	}
	for k, p := range e.profiles {
		switch p.out.Status {
		case types.UserProfileStatusPending, types.UserProfileStatusUpdating:
			if at := p.since.Add(settleDelay(p.out.Status == types.UserProfileStatusUpdating, e.opts.userProfileDelay, e.opts.userProfileUpdateDelay)); !now.Before(at) {
				p.out.Status = types.UserProfileStatusInService
				p.out.LastModifiedTime = aws.Time(epoch(at))
				p.since = at
			}
		case types.UserProfileStatusDeleting:
			if !now.Before(p.since.Add(e.opts.userProfileDelay)) {
				e.dropUserProfile(k)
			}
		}
	}
}

// settleDelay returns how long a user profile or space stays Pending
// (create) or Updating (update) before it is InService.
func settleDelay(updating bool, create, update time.Duration) time.Duration {
	if updating {
		return update
	}
	return create
}

// dropApps removes the apps of domainID that keep matches, with their tags.
func (e *Emulator) dropApps(domainID string, match func(*app) bool) {
	e.apps = slices.DeleteFunc(e.apps, func(a *app) bool {
		if aws.ToString(a.out.DomainId) != domainID || !match(a) {
			return false
		}
		delete(e.tags, aws.ToString(a.out.AppArn))
		return true
	})
}

// dropSpace removes a space, its tags and its apps.
func (e *Emulator) dropSpace(k childKey) {
	if s, ok := e.spaces[k]; ok {
		delete(e.tags, aws.ToString(s.out.SpaceArn))
		delete(e.spaces, k)
	}
	e.dropApps(k.domainID, func(a *app) bool { return aws.ToString(a.out.SpaceName) == k.name })
}

// dropUserProfile removes a user profile, its tags and its apps.
func (e *Emulator) dropUserProfile(k childKey) {
	if p, ok := e.profiles[k]; ok {
		delete(e.tags, aws.ToString(p.out.UserProfileArn))
		delete(e.profiles, k)
	}
	e.dropApps(k.domainID, func(a *app) bool { return profileKey(k.domainID, aws.ToString(a.out.UserProfileName)) == k })
}

// dropChildren removes everything a domain that went still held. Only a
// domain sent to Deleting with SetDomainStatus can go while it has any.
func (e *Emulator) dropChildren(domainID string) {
	for k := range e.spaces {
		if k.domainID == domainID {
			e.dropSpace(k)
		}
	}
	for k := range e.profiles {
		if k.domainID == domainID {
			e.dropUserProfile(k)
		}
	}
	e.dropApps(domainID, func(*app) bool { return true })
}

// domainBlockers names the user profiles and spaces that keep a domain
// from being deleted: every one that exists, in any status. It returns ""
// when there are none.
func (e *Emulator) domainBlockers(domainID string) string {
	var profiles, spaces []string
	for k, p := range e.profiles {
		if k.domainID == domainID {
			profiles = append(profiles, aws.ToString(p.out.UserProfileName))
		}
	}
	for k := range e.spaces {
		if k.domainID == domainID {
			spaces = append(spaces, k.name)
		}
	}
	var parts []string
	if len(profiles) > 0 {
		parts = append(parts, plural(len(profiles), "user profile", "user profiles")+" ("+listNames(profiles)+")")
	}
	if len(spaces) > 0 {
		parts = append(parts, plural(len(spaces), "space", "spaces")+" ("+listNames(spaces)+")")
	}
	return strings.Join(parts, " and ")
}

// plural renders n with the noun that fits it: "1 space", "2 spaces".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// listNames renders sorted names, at most five of them.
func listNames(names []string) string {
	slices.Sort(names)
	if len(names) > 5 {
		return strings.Join(names[:5], ", ") + fmt.Sprintf(", and %d more", len(names)-5)
	}
	return strings.Join(names, ", ")
}

// domainForCreate returns the domain a new user profile, space or app goes
// into: it must exist in the region (else ResourceNotFound) and be
// InService (else ResourceInUse).
func (e *Emulator) domainForCreate(region, id, what string) (*domain, *apiError) {
	d, err := e.find(region, id)
	if err != nil {
		return nil, err
	}
	if d.out.Status != types.DomainStatusInService {
		return nil, errorf(400, "ResourceInUse", "Domain %s is in status %s; a %s can be created only in an InService domain", id, d.out.Status, what)
	}
	return d, nil
}

// childARN returns the ARN of a resource of domainID: kind is
// "user-profile", "space" or "app", path what follows the domain ID.
func (e *Emulator) childARN(req *request, kind, domainID, path string) string {
	return fmt.Sprintf("arn:%s:sagemaker:%s:%s:%s/%s/%s", req.partition, req.region, e.opts.account, kind, domainID, path)
}

// homeUID returns the POSIX user ID of a new profile's or space's home
// directory on the domain's EFS volume.
func homeUID(seq int64) *string { return aws.String(fmt.Sprint(200000 + seq)) }

// paginate returns the page of items (already filtered, in any order)
// that a List request asks for: sorted by seq, ascending unless desc,
// starting after the position in token, at most maxResults (default 10)
// long, and the token of the next page when there is one.
func paginate[T any](items []T, seq func(T) int64, maxResults *int32, token *string, kind string, desc bool) ([]T, *string, *apiError) {
	after, err := decodeToken(token, kind)
	if err != nil {
		return nil, nil, err
	}
	slices.SortFunc(items, func(a, b T) int {
		if desc {
			a, b = b, a
		}
		return int(seq(a) - seq(b))
	})
	if after > 0 {
		items = slices.DeleteFunc(items, func(x T) bool {
			if desc {
				return seq(x) >= after
			}
			return seq(x) <= after
		})
	}
	limit := 10
	if maxResults != nil {
		limit = int(*maxResults)
	}
	if len(items) <= limit {
		return items, nil, nil
	}
	return items[:limit], encodeToken(kind, seq(items[limit-1])), nil
}

// checkUpdatable answers ResourceInUse unless status is InService or
// Update_Failed, the statuses in which a domain, a user profile or a space
// takes an update. what names the resource: "Domain d-abc", "Space lab".
func checkUpdatable(what, status string) *apiError {
	if status != string(types.DomainStatusInService) && status != string(types.DomainStatusUpdateFailed) {
		return errorf(400, "ResourceInUse", "%s is in status %s; it can be updated only when InService or Update_Failed", what, status)
	}
	return nil
}

// requestPatch returns the generic form of an update request without the
// members that name the resource (ids): the members to merge.
func requestPatch(in any, ids ...string) map[string]any {
	patch, _ := wire.Encode(in).(map[string]any)
	if patch == nil {
		patch = map[string]any{}
	}
	for _, id := range ids {
		delete(patch, id)
	}
	return patch
}

// update carries out UpdateUserProfile or UpdateSpace on r, whose status
// is status and whose description has the model shape shape: ResourceInUse
// unless it is InService or Update_Failed (what names it in the message),
// else patch merged in as updated does, and r Updating since now.
func (r *resource[O]) update(what, status, shape string, patch map[string]any, now time.Time) *apiError {
	if err := checkUpdatable(what, status); err != nil {
		return err
	}
	next, err := updated(shape, r.out, patch, now)
	if err != nil {
		return err
	}
	r.out, r.since = next, now
	return nil
}

// updated returns a copy of cur, the description of a domain, a user
// profile or a space (shape names its model shape), with patch merged in
// as an Update operation merges: structures member by member, lists, maps
// and scalars replaced (docpath.Merge). The copy is Updating since now and
// has no FailureReason. patch is changed.
func updated[O any](shape string, cur *O, patch map[string]any, now time.Time) (*O, *apiError) {
	patch["Status"] = "Updating"
	patch["LastModifiedTime"] = wire.Encode(epoch(now))
	merged, _ := docpath.Merge(shape, wire.Encode(cur), patch).(map[string]any)
	delete(merged, "FailureReason")
	next := new(O)
	if err := wire.Decode(merged, next); err != nil {
		return nil, errorf(500, "InternalFailure", "merge update: %v", err)
	}
	return next, nil
}

// checkStatus reports whether status is one of values, as the Set*Status
// helpers need.
func checkStatus[S ~string](kind string, status S, values []S) error {
	if !slices.Contains(values, status) {
		return fmt.Errorf("smdomaintest: unknown %s status %q", kind, status)
	}
	return nil
}
