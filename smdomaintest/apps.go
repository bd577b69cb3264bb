package smdomaintest

import (
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/finegrained/smdomain/internal/wire"
)

// appOwner is the user profile or the space an app belongs to: exactly
// one of the names is set.
type appOwner struct {
	userProfile string
	space       string
}

func (o appOwner) name() string { return o.userProfile + o.space }

// key returns o as the family indexes it: a user profile's name in lower
// case.
func (o appOwner) key() appOwner {
	o.userProfile = strings.ToLower(o.userProfile)
	return o
}

// ownerOfApp returns the owner of a.
func ownerOfApp(a *app) appOwner {
	return appOwner{userProfile: aws.ToString(a.out.UserProfileName), space: aws.ToString(a.out.SpaceName)}
}

func (o appOwner) String() string {
	if o.space != "" {
		return "space " + o.space
	}
	return "user profile " + o.userProfile
}

// ownerOf reads the owner an app request names: exactly one of
// UserProfileName and SpaceName, else ValidationException.
func ownerOf(userProfileName, spaceName *string) (appOwner, *apiError) {
	o := appOwner{userProfile: aws.ToString(userProfileName), space: aws.ToString(spaceName)}
	if (o.userProfile == "") == (o.space == "") {
		return o, crossFieldError("Exactly one of UserProfileName and SpaceName must be specified")
	}
	return o, nil
}

// resolveOwner settles an app owner and returns its status, and o with
// the user profile's name as the profile was created (a request may name
// it in any case); ResourceNotFound when the owner does not exist (the
// domain is known to exist).
func (e *Emulator) resolveOwner(domainID string, o appOwner, now time.Time) (appOwner, string, *apiError) {
	if o.space != "" {
		if s := e.settledSpace(domainID, o.space, now); s != nil {
			return o, string(s.out.Status), nil
		}
	} else if p := e.settledProfile(domainID, o.userProfile, now); p != nil {
		o.userProfile = aws.ToString(p.out.UserProfileName)
		return o, string(p.out.Status), nil
	}
	return o, "", errorf(400, "ResourceNotFound", "%s not found in domain %s", capitalize(o.String()), domainID)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// newestApp returns the newest app of owner o of domainID (known to
// exist) with the given type and name, settled: the one not Deleted if
// there is one (at most one is), else the last Deleted; nil when there is
// none.
func (e *Emulator) newestApp(domainID string, o appOwner, appType types.AppType, name string, now time.Time) *app {
	apps := *under(e.families[domainID].ownerApps, o.key())
	for i := len(apps) - 1; i >= 0; i-- {
		if a := apps[i]; a.out.AppType == appType && aws.ToString(a.out.AppName) == name && settle(e, appLife{}, a, now) {
			return a
		}
	}
	return nil
}

// findApp returns newestApp, or ResourceNotFound for a missing domain,
// owner or app.
func (e *Emulator) findApp(req *request, domainID string, o appOwner, appType types.AppType, name string) (*app, *apiError) {
	if _, err := e.find(req, domainID); err != nil {
		return nil, err
	}
	o, _, err := e.resolveOwner(domainID, o, req.now)
	if err != nil {
		return nil, err
	}
	if a := e.newestApp(domainID, o, appType, name, req.now); a != nil {
		return a, nil
	}
	return nil, errorf(400, "ResourceNotFound", "App %s of type %s not found for %s in domain %s", name, appType, o, domainID)
}

func (e *Emulator) createApp(req *request) (any, *apiError) {
	var in sagemaker.CreateAppInput
	if err := checkInput("CreateApp", req.doc, &in); err != nil {
		return nil, err
	}
	o, apiErr := ownerOf(in.UserProfileName, in.SpaceName)
	if apiErr != nil {
		return nil, apiErr
	}
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	domainID, name := aws.ToString(in.DomainId), aws.ToString(in.AppName)
	if _, err := e.domainForCreate(req, domainID, "app"); err != nil {
		return nil, err
	}
	o, st, apiErr := e.resolveOwner(domainID, o, req.now)
	if apiErr != nil {
		return nil, apiErr
	}
	if st != string(types.UserProfileStatusInService) {
		return nil, errorf(400, "ResourceInUse", "%s of domain %s is in status %s; an app can be created only for an InService owner", capitalize(o.String()), domainID, st)
	}
	if a := e.newestApp(domainID, o, in.AppType, name, req.now); a != nil && a.out.Status != types.AppStatusDeleted {
		return nil, errorf(400, "ResourceInUse", "App %s of type %s already exists for %s in domain %s", name, in.AppType, o, domainID)
	}
	e.seq++
	arn := e.childARN(req, "app", domainID, o.name()+"/"+strings.ToLower(string(in.AppType))+"/"+name)
	out := &sagemaker.DescribeAppOutput{
		AppArn:       aws.String(arn),
		AppName:      aws.String(name),
		AppType:      in.AppType,
		DomainId:     aws.String(domainID),
		Status:       types.AppStatusPending,
		CreationTime: aws.Time(epoch(req.now)),
		ResourceSpec: wire.Clone(in.ResourceSpec),
		RecoveryMode: in.RecoveryMode,
	}
	if o.space != "" {
		out.SpaceName = aws.String(o.space)
	} else {
		out.UserProfileName = aws.String(o.userProfile)
	}
	e.addApp(&app{out: out, region: req.region, seq: e.seq, since: req.now})
	delete(e.tags, arn)
	if len(in.Tags) > 0 {
		e.tags[arn] = mergeTags(nil, in.Tags)
	}
	return &sagemaker.CreateAppOutput{AppArn: aws.String(arn)}, nil
}

func (e *Emulator) describeApp(req *request) (any, *apiError) {
	var in sagemaker.DescribeAppInput
	if err := checkInput("DescribeApp", req.doc, &in); err != nil {
		return nil, err
	}
	o, apiErr := ownerOf(in.UserProfileName, in.SpaceName)
	if apiErr != nil {
		return nil, apiErr
	}
	a, apiErr := e.findApp(req, aws.ToString(in.DomainId), o, in.AppType, aws.ToString(in.AppName))
	if apiErr != nil {
		return nil, apiErr
	}
	return wire.Clone(a.out), nil
}

func (e *Emulator) deleteApp(req *request) (any, *apiError) {
	var in sagemaker.DeleteAppInput
	if err := checkInput("DeleteApp", req.doc, &in); err != nil {
		return nil, err
	}
	o, apiErr := ownerOf(in.UserProfileName, in.SpaceName)
	if apiErr != nil {
		return nil, apiErr
	}
	domainID, name := aws.ToString(in.DomainId), aws.ToString(in.AppName)
	a, apiErr := e.findApp(req, domainID, o, in.AppType, name)
	if apiErr != nil {
		return nil, apiErr
	}
	switch a.out.Status {
	case types.AppStatusPending:
		return nil, errorf(400, "ResourceInUse", "App %s of type %s is in status Pending and cannot be deleted until it settles", name, in.AppType)
	case types.AppStatusDeleting:
		return &sagemaker.DeleteAppOutput{}, nil
	case types.AppStatusDeleted:
		return nil, errorf(400, "ResourceNotFound", "App %s of type %s for %s in domain %s is already Deleted", name, in.AppType, o, domainID)
	}
	mark(appLife{}, a, string(types.AppStatusDeleting), "", req.now)
	return &sagemaker.DeleteAppOutput{}, nil
}

func (e *Emulator) listApps(req *request) (any, *apiError) {
	var in sagemaker.ListAppsInput
	if err := checkInput("ListApps", req.doc, &in); err != nil {
		return nil, err
	}
	// The apps of one owner of one domain have a list of their own.
	list := &e.listsFor(req, in.DomainIdEquals).apps
	if o, err := ownerOf(in.UserProfileNameEquals, in.SpaceNameEquals); err == nil && in.DomainIdEquals != nil {
		list = under(e.familyIn(req, *in.DomainIdEquals).ownerApps, o.key())
	}
	page, next, apiErr := walk(list, in.MaxResults, in.NextToken, "apps", in.SortOrder == types.SortOrderDescending, func(a *app) bool {
		return a.region == req.region &&
			(in.UserProfileNameEquals == nil || strings.EqualFold(aws.ToString(a.out.UserProfileName), *in.UserProfileNameEquals)) &&
			(in.SpaceNameEquals == nil || aws.ToString(a.out.SpaceName) == *in.SpaceNameEquals) &&
			settle(e, appLife{}, a, req.now)
	})
	if apiErr != nil {
		return nil, apiErr
	}
	out := &sagemaker.ListAppsOutput{Apps: make([]types.AppDetails, 0, len(page)), NextToken: next}
	for _, a := range page {
		o := a.out
		out.Apps = append(out.Apps, types.AppDetails{
			DomainId:        o.DomainId,
			UserProfileName: o.UserProfileName,
			SpaceName:       o.SpaceName,
			AppType:         o.AppType,
			AppName:         o.AppName,
			Status:          o.Status,
			CreationTime:    o.CreationTime,
			ResourceSpec:    wire.Clone(o.ResourceSpec),
		})
	}
	return out, nil
}

// SetAppStatus moves the app with ARN appARN (the newest, if Deleted apps
// share it) to status (one of the AppStatus values: Failed, InService,
// Deleted, ...) with failureReason as its FailureReason (cleared when
// empty). An app moved to Pending or Deleting starts the app delay again.
// It returns an error if no such app exists or the status is unknown.
func (e *Emulator) SetAppStatus(appARN, status, failureReason string) error {
	st := types.AppStatus(status)
	if err := checkStatus("app", st, st.Values()); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.opts.clock.Now()
	a, ok := e.byARN[appARN].(*app)
	if !ok || !settle(e, appLife{}, a, now) {
		return fmt.Errorf("smdomaintest: app %s not found", appARN)
	}
	mark(appLife{}, a, status, failureReason, now)
	return nil
}
