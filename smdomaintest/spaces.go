package smdomaintest

import (
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/finegrained/smdomain/internal/wire"
)

// space is one emulated space.
type space = resource[sagemaker.DescribeSpaceOutput]

// findSpace returns the space name of domainID in region, or
// ResourceNotFound for a missing domain or space.
func (e *Emulator) findSpace(region, domainID, name string) (*space, *apiError) {
	if _, err := e.find(region, domainID); err != nil {
		return nil, err
	}
	s, ok := e.spaces[childKey{domainID, name}]
	if !ok {
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
	d, apiErr := e.domainForCreate(req.region, domainID, "space")
	if apiErr != nil {
		return nil, apiErr
	}
	var ownership *types.OwnershipSettings
	if in.OwnershipSettings != nil {
		owner := aws.ToString(in.OwnershipSettings.OwnerUserProfileName)
		p, ok := e.profiles[profileKey(domainID, owner)]
		if !ok || p.out.Status == types.UserProfileStatusDeleting {
			return nil, crossFieldError("OwnershipSettings.OwnerUserProfileName: user profile %s does not exist in domain %s", owner, domainID)
		}
		ownership = &types.OwnershipSettings{OwnerUserProfileName: aws.String(aws.ToString(p.out.UserProfileName))}
	}
	k := childKey{domainID, name}
	if _, taken := e.spaces[k]; taken {
		return nil, errorf(400, "ResourceInUse", "Space %s already exists in domain %s", name, domainID)
	}
	e.seq++
	arn := e.childARN(req, "space", domainID, name)
	now := epoch(req.now)
	e.spaces[k] = &space{
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
	}
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
	s, err := e.findSpace(req.region, aws.ToString(in.DomainId), aws.ToString(in.SpaceName))
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
	s, err := e.findSpace(req.region, aws.ToString(in.DomainId), aws.ToString(in.SpaceName))
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
func (e *Emulator) spaceBlockers(domainID, name string) string {
	var apps []string
	for _, a := range e.apps {
		if aws.ToString(a.out.DomainId) == domainID && aws.ToString(a.out.SpaceName) == name && a.out.Status != types.AppStatusDeleted {
			apps = append(apps, string(a.out.AppType)+"/"+aws.ToString(a.out.AppName))
		}
	}
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
	s, apiErr := e.findSpace(req.region, domainID, name)
	if apiErr != nil {
		return nil, apiErr
	}
	switch s.out.Status {
	case types.SpaceStatusPending, types.SpaceStatusUpdating:
		return nil, errorf(400, "ResourceInUse", "Space %s is in status %s and cannot be deleted until it settles", name, s.out.Status)
	case types.SpaceStatusDeleting:
		return &sagemaker.DeleteSpaceOutput{}, nil
	}
	if b := e.spaceBlockers(domainID, name); b != "" {
		return nil, errorf(400, "ResourceInUse", "Unable to delete space %s of domain %s because it has %s", name, domainID, b)
	}
	s.out.Status = types.SpaceStatusDeleting
	s.out.FailureReason = nil
	s.out.LastModifiedTime = aws.Time(epoch(req.now))
	s.since = req.now
	return &sagemaker.DeleteSpaceOutput{}, nil
}

func (e *Emulator) listSpaces(req *request) (any, *apiError) {
	var in sagemaker.ListSpacesInput
	if err := checkInput("ListSpaces", req.doc, &in); err != nil {
		return nil, err
	}
	var ss []*space
	for k, s := range e.spaces {
		if s.region != req.region ||
			(in.DomainIdEquals != nil && k.domainID != *in.DomainIdEquals) ||
			(in.SpaceNameContains != nil && !strings.Contains(k.name, *in.SpaceNameContains)) {
			continue
		}
		ss = append(ss, s)
	}
	page, next, apiErr := paginate(ss, func(s *space) int64 { return s.seq }, in.MaxResults, in.NextToken, "spaces", in.SortOrder == types.SortOrderDescending)
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
	e.settle(now)
	s, ok := e.spaces[childKey{domainID, name}]
	if !ok {
		return fmt.Errorf("smdomaintest: space %s not found in domain %s", name, domainID)
	}
	s.out.Status = st
	s.out.FailureReason = nil
	if failureReason != "" {
		s.out.FailureReason = aws.String(failureReason)
	}
	s.out.LastModifiedTime = aws.Time(epoch(now))
	s.since = now
	return nil
}
