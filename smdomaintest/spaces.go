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

// space is one emulated space: what DescribeSpace reports, plus
// bookkeeping.
type space struct {
	out    *sagemaker.DescribeSpaceOutput
	region string
	seq    int64
	since  time.Time // when the current status was entered
}

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
	domainID, name := aws.ToString(in.DomainId), aws.ToString(in.SpaceName)
	if _, err := e.domainForCreate(req.region, domainID, "space"); err != nil {
		return nil, err
	}
	if in.OwnershipSettings != nil {
		owner := aws.ToString(in.OwnershipSettings.OwnerUserProfileName)
		p, ok := e.profiles[childKey{domainID, owner}]
		if !ok || p.out.Status == types.UserProfileStatusDeleting {
			return nil, crossFieldError("OwnershipSettings.OwnerUserProfileName: user profile %s does not exist in domain %s", owner, domainID)
		}
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
			OwnershipSettings:    wire.Clone(in.OwnershipSettings),
			SpaceSettings:        wire.Clone(in.SpaceSettings),
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
