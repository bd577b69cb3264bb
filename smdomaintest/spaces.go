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

// findSpace returns the space name of domainID in the request's region,
// settled, or ResourceNotFound for a missing domain or space.
func (e *Emulator) findSpace(req *request, domainID, name string) (*space, *apiError) {
	if _, err := e.find(req, domainID); err != nil {
		return nil, err
	}
	s := e.settledSpace(domainID, name, req.now)
	if s == nil {
		return nil, errorf(400, "ResourceNotFound", "Space %s not found in domain %s", name, domainID)
	}
	return s, nil
}

func (e *Emulator) createSpace(req *request) (any, *apiError) {
	var in sagemaker.CreateSpaceInput
	if err := checkInput("CreateSpace", req.doc, &in); err != nil {
		return nil, err
	}
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	if err := checkSpaceSettings(in.SpaceSettings); err != nil {
		return nil, err
	}
	private := in.SpaceSharingSettings != nil && in.SpaceSharingSettings.SharingType == types.SharingTypePrivate
	switch {
	case private && in.OwnershipSettings == nil:
		return nil, crossFieldError("OwnershipSettings must be provided for creating private space")
	case private && in.SpaceSettings == nil:
		return nil, crossFieldError("SpaceSettings must be provided for creating private space")
	case private && in.SpaceSettings.AppType == "":
		return nil, crossFieldError("SpaceSettings.AppType must be provided for creating private space")
	}
	domainID, name := aws.ToString(in.DomainId), aws.ToString(in.SpaceName)
	d, apiErr := e.domainForCreate(req, domainID, "space")
	if apiErr != nil {
		return nil, apiErr
	}
	var ownership *types.OwnershipSettings
	if in.OwnershipSettings != nil {
		owner := aws.ToString(in.OwnershipSettings.OwnerUserProfileName)
		p := e.settledProfile(domainID, owner, req.now)
		if p == nil || p.out.Status == types.UserProfileStatusDeleting {
			return nil, crossFieldError("OwnershipSettings.OwnerUserProfileName: user profile %s does not exist in domain %s", owner, domainID)
		}
		ownership = &types.OwnershipSettings{OwnerUserProfileName: aws.String(aws.ToString(p.out.UserProfileName))}
	}
	if e.settledSpace(domainID, name, req.now) != nil {
		return nil, errorf(400, "ResourceInUse", "Space %s already exists in domain %s", name, domainID)
	}
	e.seq++
	arn := e.childARN(req, "space", domainID, name)
	now := epoch(req.now)
	e.addSpace(&space{
		out: &sagemaker.DescribeSpaceOutput{
			DomainId:             aws.String(domainID),
			SpaceArn:             aws.String(arn),
			SpaceName:            aws.String(name),
			SpaceDisplayName:     in.SpaceDisplayName,
			Status:               types.SpaceStatusPending,
			CreationTime:         aws.Time(now),
			LastModifiedTime:     aws.Time(now),
			HomeEfsFileSystemUid: homeUID(e.seq),
			OwnershipSettings:    ownership,
			SpaceSettings:        fillSpaceDefaults(wire.Clone(in.SpaceSettings), d.out, private),
			SpaceSharingSettings: wire.Clone(in.SpaceSharingSettings),
		},
		region: req.region,
		seq:    e.seq,
		since:  req.now,
	})
	delete(e.tags, arn)
	if len(in.Tags) > 0 {
		e.tags[arn] = mergeTags(nil, in.Tags)
	}
	return &sagemaker.CreateSpaceOutput{SpaceArn: aws.String(arn)}, nil
}

// defaultEbsVolumeSizeInGb is the size of a space's EBS volume when
// neither the space nor its domain sets one.
const defaultEbsVolumeSizeInGb = 5

// fillSpaceDefaults sets what the service fills in for a new space when
// the request leaves it out: a JupyterLab or CodeEditor space gets the EBS
// volume size its domain sets for such spaces (DefaultUserSettings for a
// private space, DefaultSpaceSettings for any other), else
// defaultEbsVolumeSizeInGb. It returns ss.
func fillSpaceDefaults(ss *types.SpaceSettings, d *sagemaker.DescribeDomainOutput, private bool) *types.SpaceSettings {
	if ss == nil || ss.SpaceStorageSettings != nil || (ss.AppType != types.AppTypeJupyterLab && ss.AppType != types.AppTypeCodeEditor) {
		return ss
	}
	var storage *types.DefaultSpaceStorageSettings
	switch {
	case private && d.DefaultUserSettings != nil:
		storage = d.DefaultUserSettings.SpaceStorageSettings
	case !private && d.DefaultSpaceSettings != nil:
		storage = d.DefaultSpaceSettings.SpaceStorageSettings
	}
	size := int32(defaultEbsVolumeSizeInGb)
	if storage != nil && storage.DefaultEbsStorageSettings != nil && storage.DefaultEbsStorageSettings.DefaultEbsVolumeSizeInGb != nil {
		size = *storage.DefaultEbsStorageSettings.DefaultEbsVolumeSizeInGb
	}
	ss.SpaceStorageSettings = &types.SpaceStorageSettings{EbsStorageSettings: &types.EbsStorageSettings{EbsVolumeSizeInGb: aws.Int32(size)}}
	return ss
}

// checkSpaceSettings applies the rule the service has for SpaceSettings on
// CreateSpace and UpdateSpace that the model does not express: no
// JupyterServerAppSettings.CodeRepositories.
func checkSpaceSettings(ss *types.SpaceSettings) *apiError {
	if ss != nil && ss.JupyterServerAppSettings != nil && ss.JupyterServerAppSettings.CodeRepositories != nil {
		return crossFieldError("Unknown parameter CodeRepositories in JupyterServerAppSettings for SpaceSettings.")
	}
	return nil
}

func (e *Emulator) describeSpace(req *request) (any, *apiError) {
	var in sagemaker.DescribeSpaceInput
	if err := checkInput("DescribeSpace", req.doc, &in); err != nil {
		return nil, err
	}
	s, err := e.findSpace(req, aws.ToString(in.DomainId), aws.ToString(in.SpaceName))
	if err != nil {
		return nil, err
	}
	return wire.Clone(s.out), nil
}

func (e *Emulator) updateSpace(req *request) (any, *apiError) {
	var in sagemaker.UpdateSpaceInput
	if err := checkInput("UpdateSpace", req.doc, &in); err != nil {
		return nil, err
	}
	if in.SpaceSettings != nil && in.SpaceSettings.AppType != "" {
		return nil, crossFieldError("Updating AppType for Space is not supported")
	}
	if err := checkSpaceSettings(in.SpaceSettings); err != nil {
		return nil, err
	}
	s, err := e.findSpace(req, aws.ToString(in.DomainId), aws.ToString(in.SpaceName))
	if err != nil {
		return nil, err
	}
	if err := s.update("Space "+aws.ToString(s.out.SpaceName), string(s.out.Status), "DescribeSpaceResponse",
		requestPatch(&in, "DomainId", "SpaceName"), req.now); err != nil {
		return nil, err
	}
	return &sagemaker.UpdateSpaceOutput{SpaceArn: s.out.SpaceArn}, nil
}

// spaceBlockers names the apps (not Deleted) of a space, which keep it
// from being deleted; "" when there are none.
func (e *Emulator) spaceBlockers(domainID, name string, now time.Time) string {
	apps := e.liveApps(domainID, appOwner{space: name}, now)
	if len(apps) == 0 {
		return ""
	}
	return plural(len(apps), "app", "apps") + " not Deleted (" + listNames(apps) + ")"
}

func (e *Emulator) deleteSpace(req *request) (any, *apiError) {
	var in sagemaker.DeleteSpaceInput
	if err := checkInput("DeleteSpace", req.doc, &in); err != nil {
		return nil, err
	}
	domainID, name := aws.ToString(in.DomainId), aws.ToString(in.SpaceName)
	s, apiErr := e.findSpace(req, domainID, name)
	if apiErr != nil {
		return nil, apiErr
	}
	switch s.out.Status {
	case types.SpaceStatusPending, types.SpaceStatusUpdating:
		return nil, errorf(400, "ResourceInUse", "Space %s is in status %s and cannot be deleted until it settles", name, s.out.Status)
	case types.SpaceStatusDeleting:
		return &sagemaker.DeleteSpaceOutput{}, nil
	}
	if b := e.spaceBlockers(domainID, name, req.now); b != "" {
		return nil, errorf(400, "ResourceInUse", "Unable to delete space %s of domain %s because it has %s", name, domainID, b)
	}
	mark(spaceLife{}, s, string(types.SpaceStatusDeleting), "", req.now)
	return &sagemaker.DeleteSpaceOutput{}, nil
}

func (e *Emulator) listSpaces(req *request) (any, *apiError) {
	var in sagemaker.ListSpacesInput
	if err := checkInput("ListSpaces", req.doc, &in); err != nil {
		return nil, err
	}
	page, next, apiErr := walk(&e.listsFor(req, in.DomainIdEquals).spaces, in.MaxResults, in.NextToken, "spaces", in.SortOrder == types.SortOrderDescending, func(s *space) bool {
		return s.region == req.region && strings.Contains(aws.ToString(s.out.SpaceName), aws.ToString(in.SpaceNameContains)) && settle(e, spaceLife{}, s, req.now)
	})
	if apiErr != nil {
		return nil, apiErr
	}
	out := &sagemaker.ListSpacesOutput{Spaces: make([]types.SpaceDetails, 0, len(page)), NextToken: next}
	for _, s := range page {
		o := s.out
		d := types.SpaceDetails{
			DomainId:         o.DomainId,
			SpaceName:        o.SpaceName,
			SpaceDisplayName: o.SpaceDisplayName,
			Status:           o.Status,
			CreationTime:     o.CreationTime,
			LastModifiedTime: o.LastModifiedTime,
		}
		if o.OwnershipSettings != nil {
			d.OwnershipSettingsSummary = &types.OwnershipSettingsSummary{OwnerUserProfileName: o.OwnershipSettings.OwnerUserProfileName}
		}
		if o.SpaceSharingSettings != nil {
			d.SpaceSharingSettingsSummary = &types.SpaceSharingSettingsSummary{SharingType: o.SpaceSharingSettings.SharingType}
		}
		if ss := o.SpaceSettings; ss != nil {
			d.SpaceSettingsSummary = &types.SpaceSettingsSummary{
				AppType:              ss.AppType,
				RemoteAccess:         ss.RemoteAccess,
				SpaceStorageSettings: wire.Clone(ss.SpaceStorageSettings),
			}
		}
		out.Spaces = append(out.Spaces, d)
	}
	return out, nil
}

// SetSpaceStatus moves a space to status (one of the SpaceStatus values:
// Failed, Delete_Failed, InService, ...) with failureReason as its
// FailureReason (cleared when empty). A space moved to Pending, Updating
// or Deleting starts the space delay again. It returns an error if the
// space does not exist or the status is unknown.
func (e *Emulator) SetSpaceStatus(domainID, name, status, failureReason string) error {
	st := types.SpaceStatus(status)
	if err := checkStatus("space", st, st.Values()); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.opts.clock.Now()
	s := e.settledSpace(domainID, name, now)
	if s == nil {
		return fmt.Errorf("smdomaintest: space %s not found in domain %s", name, domainID)
	}
	mark(spaceLife{}, s, status, failureReason, now)
	return nil
}
