package smdomaintest

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/finegrained/smdomain/internal/wire"
)

// findUserProfile returns the user profile name (in any case) of
// domainID in the request's region, settled, or ResourceNotFound for a
// missing domain or profile.
func (e *Emulator) findUserProfile(req *request, domainID, name string) (*userProfile, *apiError) {
	if _, err := e.find(req, domainID); err != nil {
		return nil, err
	}
	p := e.settledProfile(domainID, name, req.now)
	if p == nil {
		return nil, errorf(400, "ResourceNotFound", "User profile %s not found in domain %s", name, domainID)
	}
	return p, nil
}

func (e *Emulator) createUserProfile(req *request) (any, *apiError) {
	var in sagemaker.CreateUserProfileInput
	if err := checkInput("CreateUserProfile", req.doc, &in); err != nil {
		return nil, err
	}
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	domainID, name := aws.ToString(in.DomainId), aws.ToString(in.UserProfileName)
	d, apiErr := e.domainForCreate(req, domainID, "user profile")
	if apiErr != nil {
		return nil, apiErr
	}
	sso := in.SingleSignOnUserIdentifier != nil || in.SingleSignOnUserValue != nil
	switch {
	case d.out.AuthMode == types.AuthModeSso && (in.SingleSignOnUserIdentifier == nil || in.SingleSignOnUserValue == nil):
		return nil, crossFieldError("SingleSignOnUserIdentifier and SingleSignOnUserValue are required in a domain whose AuthMode is SSO")
	case d.out.AuthMode != types.AuthModeSso && sso:
		return nil, crossFieldError("SingleSignOnUserIdentifier and SingleSignOnUserValue can be given only in a domain whose AuthMode is SSO")
	}
	if p := e.settledProfile(domainID, name, req.now); p != nil {
		return nil, errorf(400, "ResourceInUse", "User profile %s already exists in domain %s", aws.ToString(p.out.UserProfileName), domainID)
	}
	e.seq++
	arn := e.childARN(req, "user-profile", domainID, name)
	now := epoch(req.now)
	e.addProfile(&userProfile{
		out: &sagemaker.DescribeUserProfileOutput{
			DomainId:                   aws.String(domainID),
			UserProfileArn:             aws.String(arn),
			UserProfileName:            aws.String(name),
			Status:                     types.UserProfileStatusPending,
			CreationTime:               aws.Time(now),
			LastModifiedTime:           aws.Time(now),
			HomeEfsFileSystemUid:       homeUID(e.seq),
			SingleSignOnUserIdentifier: in.SingleSignOnUserIdentifier,
			SingleSignOnUserValue:      in.SingleSignOnUserValue,
			UserSettings:               fillProfileDefaults(wire.Clone(in.UserSettings), d.out.DefaultUserSettings),
		},
		region: req.region,
		seq:    e.seq,
		since:  req.now,
	})
	delete(e.tags, arn)
	if len(in.Tags) > 0 {
		e.tags[arn] = mergeTags(nil, in.Tags)
	}
	return &sagemaker.CreateUserProfileOutput{UserProfileArn: aws.String(arn)}, nil
}

// fillProfileDefaults sets what the service fills in for a new user
// profile when the request sends neither UserSettings.StudioWebPortal nor
// UserSettings.DefaultLandingUri: both, copied from the domain's
// DefaultUserSettings (ENABLED and "studio::" unless the domain was
// created or updated with others). One of them sent leaves both as sent,
// so that a profile never gets a landing URI its portal setting rules out.
// It returns us, or new settings when us is nil and the domain has
// something to copy.
func fillProfileDefaults(us, domain *types.UserSettings) *types.UserSettings {
	if domain == nil || (domain.StudioWebPortal == "" && domain.DefaultLandingUri == nil) ||
		(us != nil && (us.StudioWebPortal != "" || us.DefaultLandingUri != nil)) {
		return us
	}
	if us == nil {
		us = &types.UserSettings{}
	}
	us.StudioWebPortal = domain.StudioWebPortal
	if domain.DefaultLandingUri != nil {
		us.DefaultLandingUri = aws.String(*domain.DefaultLandingUri)
	}
	return us
}

func (e *Emulator) describeUserProfile(req *request) (any, *apiError) {
	var in sagemaker.DescribeUserProfileInput
	if err := checkInput("DescribeUserProfile", req.doc, &in); err != nil {
		return nil, err
	}
	p, err := e.findUserProfile(req, aws.ToString(in.DomainId), aws.ToString(in.UserProfileName))
	if err != nil {
		return nil, err
	}
	return wire.Clone(p.out), nil
}

func (e *Emulator) updateUserProfile(req *request) (any, *apiError) {
	var in sagemaker.UpdateUserProfileInput
	if err := checkInput("UpdateUserProfile", req.doc, &in); err != nil {
		return nil, err
	}
	p, err := e.findUserProfile(req, aws.ToString(in.DomainId), aws.ToString(in.UserProfileName))
	if err != nil {
		return nil, err
	}
	if err := p.update("User profile "+aws.ToString(p.out.UserProfileName), string(p.out.Status), "DescribeUserProfileResponse",
		requestPatch(&in, "DomainId", "UserProfileName"), req.now); err != nil {
		return nil, err
	}
	return &sagemaker.UpdateUserProfileOutput{UserProfileArn: p.out.UserProfileArn}, nil
}

// userProfileBlockers names the apps (not Deleted) and the spaces a user
// profile has, which keep it from being deleted; "" when there are none.
func (e *Emulator) userProfileBlockers(domainID, name string, now time.Time) string {
	apps := e.liveApps(domainID, appOwner{userProfile: name}, now)
	var spaces []string
	for _, s := range slices.Clone(*under(e.families[domainID].ownedSpaces, strings.ToLower(name))) {
		if settle(e, spaceLife{}, s, now) {
			spaces = append(spaces, aws.ToString(s.out.SpaceName))
		}
	}
	var parts []string
	if len(apps) > 0 {
		parts = append(parts, plural(len(apps), "app", "apps")+" not Deleted ("+listNames(apps)+")")
	}
	if len(spaces) > 0 {
		parts = append(parts, plural(len(spaces), "space", "spaces")+" it owns ("+listNames(spaces)+")")
	}
	return strings.Join(parts, " and ")
}

func (e *Emulator) deleteUserProfile(req *request) (any, *apiError) {
	var in sagemaker.DeleteUserProfileInput
	if err := checkInput("DeleteUserProfile", req.doc, &in); err != nil {
		return nil, err
	}
	domainID := aws.ToString(in.DomainId)
	p, apiErr := e.findUserProfile(req, domainID, aws.ToString(in.UserProfileName))
	if apiErr != nil {
		return nil, apiErr
	}
	name := aws.ToString(p.out.UserProfileName)
	switch p.out.Status {
	case types.UserProfileStatusPending, types.UserProfileStatusUpdating:
		return nil, errorf(400, "ResourceInUse", "User profile %s is in status %s and cannot be deleted until it settles", name, p.out.Status)
	case types.UserProfileStatusDeleting:
		return &sagemaker.DeleteUserProfileOutput{}, nil
	}
	if b := e.userProfileBlockers(domainID, name, req.now); b != "" {
		return nil, errorf(400, "ResourceInUse", "Unable to delete user profile %s of domain %s because it has %s", name, domainID, b)
	}
	mark(profileLife{}, p, string(types.UserProfileStatusDeleting), "", req.now)
	return &sagemaker.DeleteUserProfileOutput{}, nil
}

func (e *Emulator) listUserProfiles(req *request) (any, *apiError) {
	var in sagemaker.ListUserProfilesInput
	if err := checkInput("ListUserProfiles", req.doc, &in); err != nil {
		return nil, err
	}
	contains := strings.ToLower(aws.ToString(in.UserProfileNameContains))
	page, next, apiErr := walk(&e.listsFor(req, in.DomainIdEquals).profiles, in.MaxResults, in.NextToken, "userprofiles", in.SortOrder == types.SortOrderDescending, func(p *userProfile) bool {
		return p.region == req.region && strings.Contains(strings.ToLower(aws.ToString(p.out.UserProfileName)), contains) && settle(e, profileLife{}, p, req.now)
	})
	if apiErr != nil {
		return nil, apiErr
	}
	out := &sagemaker.ListUserProfilesOutput{UserProfiles: make([]types.UserProfileDetails, 0, len(page)), NextToken: next}
	for _, p := range page {
		out.UserProfiles = append(out.UserProfiles, types.UserProfileDetails{
			DomainId:         p.out.DomainId,
			UserProfileName:  p.out.UserProfileName,
			Status:           p.out.Status,
			CreationTime:     p.out.CreationTime,
			LastModifiedTime: p.out.LastModifiedTime,
		})
	}
	return out, nil
}

// SetUserProfileStatus moves a user profile to status (one of the
// UserProfileStatus values: Failed, Delete_Failed, InService, ...) with
// failureReason as its FailureReason (cleared when empty). A profile moved
// to Pending, Updating or Deleting starts the user profile delay again. It
// returns an error if the profile does not exist or the status is unknown.
func (e *Emulator) SetUserProfileStatus(domainID, name, status, failureReason string) error {
	st := types.UserProfileStatus(status)
	if err := checkStatus("user profile", st, st.Values()); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.opts.clock.Now()
	p := e.settledProfile(domainID, name, now)
	if p == nil {
		return fmt.Errorf("smdomaintest: user profile %s not found in domain %s", name, domainID)
	}
	mark(profileLife{}, p, status, failureReason, now)
	return nil
}
