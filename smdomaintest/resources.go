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

// This file holds what user profiles, spaces and apps share: how they are
// added to and dropped from the indexes, what blocks their deletion, the
// domain they need, and updates.

// addProfile indexes a new user profile.
func (e *Emulator) addProfile(p *userProfile) {
	domainID := aws.ToString(p.out.DomainId)
	e.profiles[profileKey(domainID, aws.ToString(p.out.UserProfileName))] = p
	e.all.profiles.add(p)
	e.families[domainID].profiles.add(p)
	e.byARN[aws.ToString(p.out.UserProfileArn)] = p
}

// addSpace indexes a new space.
func (e *Emulator) addSpace(s *space) {
	domainID := aws.ToString(s.out.DomainId)
	e.spaces[childKey{domainID, aws.ToString(s.out.SpaceName)}] = s
	e.all.spaces.add(s)
	f := e.families[domainID]
	f.spaces.add(s)
	if s.out.OwnershipSettings != nil {
		addUnder(f.ownedSpaces, strings.ToLower(aws.ToString(s.out.OwnershipSettings.OwnerUserProfileName)), s)
	}
	e.byARN[aws.ToString(s.out.SpaceArn)] = s
}

// addApp indexes a new app; its ARN names it from now on, rather than an
// older Deleted app of the same owner, type and name.
func (e *Emulator) addApp(a *app) {
	e.all.apps.add(a)
	f := e.families[aws.ToString(a.out.DomainId)]
	f.apps.add(a)
	addUnder(f.ownerApps, ownerOfApp(a).key(), a)
	e.byARN[aws.ToString(a.out.AppArn)] = a
}

// forget removes arn from the ARN index, if it names r there, and its
// tags.
func (e *Emulator) forget(arn string, r any) {
	if e.byARN[arn] == r {
		delete(e.byARN, arn)
	}
	delete(e.tags, arn)
}

// dropApp removes an app from every index, with its tags.
func (e *Emulator) dropApp(a *app) {
	a.gone = true
	e.all.apps.remove(a)
	f := e.families[aws.ToString(a.out.DomainId)]
	f.apps.remove(a)
	removeUnder(f.ownerApps, ownerOfApp(a).key(), a)
	e.forget(aws.ToString(a.out.AppArn), a)
}

// dropOwnerApps removes every app of owner o of domainID.
func (e *Emulator) dropOwnerApps(domainID string, o appOwner) {
	for _, a := range slices.Clone(*under(e.families[domainID].ownerApps, o.key())) {
		e.dropApp(a)
	}
}

// dropSpace removes a space, its tags and its apps.
func (e *Emulator) dropSpace(s *space) {
	s.gone = true
	domainID, name := aws.ToString(s.out.DomainId), aws.ToString(s.out.SpaceName)
	e.dropOwnerApps(domainID, appOwner{space: name})
	delete(e.spaces, childKey{domainID, name})
	e.all.spaces.remove(s)
	f := e.families[domainID]
	f.spaces.remove(s)
	if s.out.OwnershipSettings != nil {
		removeUnder(f.ownedSpaces, strings.ToLower(aws.ToString(s.out.OwnershipSettings.OwnerUserProfileName)), s)
	}
	e.forget(aws.ToString(s.out.SpaceArn), s)
}

// dropUserProfile removes a user profile, its tags and its apps. The
// spaces it owns stay: only a profile sent to Deleting with
// SetUserProfileStatus can go while it owns any.
func (e *Emulator) dropUserProfile(p *userProfile) {
	p.gone = true
	domainID, name := aws.ToString(p.out.DomainId), aws.ToString(p.out.UserProfileName)
	e.dropOwnerApps(domainID, appOwner{userProfile: name})
	delete(e.profiles, profileKey(domainID, name))
	e.all.profiles.remove(p)
	e.families[domainID].profiles.remove(p)
	e.forget(aws.ToString(p.out.UserProfileArn), p)
}

// dropDomain removes a domain that went, with everything it still held
// (only a domain sent to Deleting with SetDomainStatus can go while it
// holds anything).
func (e *Emulator) dropDomain(d *domain) {
	d.gone = true
	id := aws.ToString(d.out.DomainId)
	f := e.families[id]
	for _, s := range slices.Clone(f.spaces) {
		e.dropSpace(s)
	}
	for _, p := range slices.Clone(f.profiles) {
		e.dropUserProfile(p)
	}
	delete(e.families, id)
	delete(e.domains, id)
	e.domainOrder.remove(d)
	e.forget(aws.ToString(d.out.DomainArn), d)
}

// domainBlockers names the user profiles and spaces that keep a domain
// from being deleted: every one that exists, in any status. It returns ""
// when there are none.
func (e *Emulator) domainBlockers(domainID string, now time.Time) string {
	f := e.families[domainID]
	var profiles, spaces []string
	for _, p := range slices.Clone(f.profiles) {
		if settle(e, profileLife{}, p, now) {
			profiles = append(profiles, aws.ToString(p.out.UserProfileName))
		}
	}
	for _, s := range slices.Clone(f.spaces) {
		if settle(e, spaceLife{}, s, now) {
			spaces = append(spaces, aws.ToString(s.out.SpaceName))
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

// liveApps names the apps of owner o of domainID that are not Deleted,
// settling each, as "JupyterLab/default".
func (e *Emulator) liveApps(domainID string, o appOwner, now time.Time) []string {
	var names []string
	for _, a := range slices.Clone(*under(e.families[domainID].ownerApps, o.key())) {
		if settle(e, appLife{}, a, now) && a.out.Status != types.AppStatusDeleted {
			names = append(names, string(a.out.AppType)+"/"+aws.ToString(a.out.AppName))
		}
	}
	return names
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
func (e *Emulator) domainForCreate(req *request, id, what string) (*domain, *apiError) {
	d, err := e.find(req, id)
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
