package smdomaintest

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/finegrained/smdomain/internal/wire"
)

// epoch rounds t to what the wire carries: UTC, whole milliseconds.
func epoch(t time.Time) time.Time { return t.Round(0).UTC().Truncate(time.Millisecond) }

const lowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789"

func randomString(alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[rand.IntN(len(alphabet))]
	}
	return string(b)
}

func (e *Emulator) newDomainID() string {
	for {
		id := "d-" + randomString(lowerAlnum, 12)
		if _, taken := e.domains[id]; !taken {
			return id
		}
	}
}

// find returns the domain with id in the request's region, settled, or
// ResourceNotFound.
func (e *Emulator) find(req *request, id string) (*domain, *apiError) {
	d, ok := e.domains[id]
	if !ok || d.region != req.region || !settle(e, domainLife{}, d, req.now) {
		return nil, errorf(400, "ResourceNotFound", "Domain %s not found", id)
	}
	return d, nil
}

// markDomain is mark for a domain, keeping the count of the region's
// domains that are not Deleting, which the quota reads.
func (e *Emulator) markDomain(d *domain, status types.DomainStatus, reason string, at time.Time) {
	if d.out.Status == types.DomainStatusDeleting {
		e.live[d.region]++
	}
	if status == types.DomainStatusDeleting {
		e.live[d.region]--
	}
	mark(domainLife{}, d, string(status), reason, at)
}

func (e *Emulator) createDomain(req *request) (any, *apiError) {
	var in sagemaker.CreateDomainInput
	if err := checkInput("CreateDomain", req.doc, &in); err != nil {
		return nil, err
	}
	if err := checkNetwork(in.AppNetworkAccessType, in.VpcId, in.SubnetIds, in.DefaultUserSettings, in.DomainSettings, in.AppSecurityGroupManagement); err != nil {
		return nil, err
	}
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	if q := e.opts.quota; q > 0 && e.live[req.region] >= q {
		return nil, errorf(400, "ResourceLimitExceeded", "The account-level service limit 'Maximum number of domains per account per region' is %d domains, with current utilization of %d domains", q, e.live[req.region])
	}

	id := e.newDomainID()
	arn := fmt.Sprintf("arn:%s:sagemaker:%s:%s:domain/%s", req.partition, req.region, e.opts.account, id)
	now := epoch(req.now)
	out := &sagemaker.DescribeDomainOutput{
		DomainId:                   aws.String(id),
		DomainArn:                  aws.String(arn),
		DomainName:                 in.DomainName,
		Url:                        aws.String(fmt.Sprintf("https://%s.studio.%s.sagemaker.aws", id, req.region)),
		Status:                     types.DomainStatusPending,
		CreationTime:               aws.Time(now),
		LastModifiedTime:           aws.Time(now),
		AuthMode:                   in.AuthMode,
		AppNetworkAccessType:       in.AppNetworkAccessType,
		AppSecurityGroupManagement: in.AppSecurityGroupManagement,
		DefaultUserSettings:        wire.Clone(in.DefaultUserSettings),
		DefaultSpaceSettings:       wire.Clone(in.DefaultSpaceSettings),
		DomainSettings:             wire.Clone(in.DomainSettings),
		HomeEfsFileSystemCreation:  in.HomeEfsFileSystemCreation,
		//lint:ignore SA1019 the service still accepts and reports this deprecated member
		HomeEfsFileSystemKmsKeyId: in.HomeEfsFileSystemKmsKeyId,
		KmsKeyId:                  in.KmsKeyId,
		SubnetIds:                 slices.Clone(in.SubnetIds),
		VpcId:                     in.VpcId,
		TagPropagation:            in.TagPropagation,
	}
	fillDefaults(out, req.partition, e.opts.account)
	e.seq++
	d := &domain{out: out, region: req.region, seq: e.seq, since: req.now}
	e.domains[id] = d
	e.domainOrder.add(d)
	e.families[id] = newFamily()
	e.byARN[arn] = d
	e.live[req.region]++
	if len(in.Tags) > 0 {
		e.tags[arn] = mergeTags(nil, in.Tags)
	}
	return &sagemaker.CreateDomainOutput{DomainArn: out.DomainArn, DomainId: out.DomainId, Url: out.Url}, nil
}

// fillDefaults sets what the service fills in for a new domain when the
// request leaves it out.
func fillDefaults(out *sagemaker.DescribeDomainOutput, part, account string) {
	if out.AppNetworkAccessType == "" {
		out.AppNetworkAccessType = types.AppNetworkAccessTypePublicInternetOnly
	}
	if out.TagPropagation == "" {
		out.TagPropagation = types.TagPropagationDisabled
	}
	if out.HomeEfsFileSystemCreation != types.HomeEfsFileSystemCreationDisabled {
		out.HomeEfsFileSystemId = aws.String(newEFSID())
	}
	if out.VpcId != nil {
		out.SecurityGroupIdForDomainBoundary = aws.String(newSecurityGroupID())
	}
	if out.DefaultUserSettings == nil {
		out.DefaultUserSettings = &types.UserSettings{}
	}
	us := out.DefaultUserSettings
	if us.StudioWebPortal == "" {
		us.StudioWebPortal = types.StudioWebPortalEnabled
	}
	if us.DefaultLandingUri == nil {
		us.DefaultLandingUri = aws.String("studio::")
	}
	if out.DefaultSpaceSettings == nil && us.ExecutionRole != nil {
		out.DefaultSpaceSettings = &types.DefaultSpaceSettings{ExecutionRole: us.ExecutionRole}
	}
	if out.DomainSettings == nil {
		out.DomainSettings = &types.DomainSettings{}
	}
	ds := out.DomainSettings
	if ds.ExecutionRoleIdentityConfig == "" {
		ds.ExecutionRoleIdentityConfig = types.ExecutionRoleIdentityConfigDisabled
	}
	if ds.DockerSettings == nil {
		ds.DockerSettings = &types.DockerSettings{EnableDockerAccess: types.FeatureStatusDisabled}
	}
	if out.AuthMode == types.AuthModeSso {
		inst := randomString("0123456789abcdef", 16)
		out.SingleSignOnManagedApplicationInstanceId = aws.String("ins-" + inst)
		out.SingleSignOnApplicationArn = aws.String(fmt.Sprintf("arn:%s:sso::%s:application/ssoins-%s/apl-%s", part, account, inst, randomString("0123456789abcdef", 16)))
	}
}

func newEFSID() string           { return "fs-" + randomString("0123456789abcdef", 17) }
func newSecurityGroupID() string { return "sg-" + randomString("0123456789abcdef", 17) }

// checkNetwork applies the cross-field rules of a domain's network
// settings, on a create or on the result of an update.
func checkNetwork(access types.AppNetworkAccessType, vpcID *string, subnets []string, us *types.UserSettings, ds *types.DomainSettings, sgm types.AppSecurityGroupManagement) *apiError {
	hasVPC, hasSubnets := aws.ToString(vpcID) != "", len(subnets) > 0
	if hasVPC != hasSubnets {
		return crossFieldError("VpcId and SubnetIds must be specified together")
	}
	if access == types.AppNetworkAccessTypeVpcOnly {
		if !hasVPC {
			return crossFieldError("VpcId and SubnetIds are required when AppNetworkAccessType is VpcOnly")
		}
		if us == nil || len(us.SecurityGroups) == 0 {
			return crossFieldError("DefaultUserSettings.SecurityGroups is required when AppNetworkAccessType is VpcOnly")
		}
		if ds != nil && ds.RStudioServerProDomainSettings != nil && ds.RStudioServerProDomainSettings.DomainExecutionRoleArn != nil && sgm == "" {
			return crossFieldError("AppSecurityGroupManagement is required when AppNetworkAccessType is VpcOnly and DomainSettings.RStudioServerProDomainSettings.DomainExecutionRoleArn is provided")
		}
	}
	return nil
}

func (e *Emulator) describeDomain(req *request) (any, *apiError) {
	var in sagemaker.DescribeDomainInput
	if err := checkInput("DescribeDomain", req.doc, &in); err != nil {
		return nil, err
	}
	d, err := e.find(req, aws.ToString(in.DomainId))
	if err != nil {
		return nil, err
	}
	return wire.Clone(d.out), nil
}

func (e *Emulator) updateDomain(req *request) (any, *apiError) {
	var in sagemaker.UpdateDomainInput
	if err := checkInput("UpdateDomain", req.doc, &in); err != nil {
		return nil, err
	}
	d, apiErr := e.find(req, aws.ToString(in.DomainId))
	if apiErr != nil {
		return nil, apiErr
	}
	cur := d.out
	if err := checkUpdatable("Domain "+aws.ToString(cur.DomainId), string(cur.Status)); err != nil {
		return nil, err
	}
	if in.VpcId != nil && cur.VpcId != nil {
		return nil, crossFieldError("VpcId cannot be changed: domain %s already has VPC %s", aws.ToString(cur.DomainId), aws.ToString(cur.VpcId))
	}
	if in.HomeEfsFileSystemCreation == types.HomeEfsFileSystemCreationDisabled && cur.HomeEfsFileSystemCreation != types.HomeEfsFileSystemCreationDisabled {
		return nil, crossFieldError("HomeEfsFileSystemCreation cannot be changed from Enabled to Disabled")
	}

	// DomainSettingsForUpdate is DomainSettings under another name, and
	// so is its RStudioServerProDomainSettingsForUpdate.
	patch := requestPatch(&in, "DomainId")
	if dsu, ok := patch["DomainSettingsForUpdate"].(map[string]any); ok {
		delete(patch, "DomainSettingsForUpdate")
		if rs, ok := dsu["RStudioServerProDomainSettingsForUpdate"]; ok {
			delete(dsu, "RStudioServerProDomainSettingsForUpdate")
			dsu["RStudioServerProDomainSettings"] = rs
		}
		patch["DomainSettings"] = dsu
	}
	next, apiErr := updated("DescribeDomainResponse", cur, patch, req.now)
	if apiErr != nil {
		return nil, apiErr
	}
	if err := checkNetwork(next.AppNetworkAccessType, next.VpcId, next.SubnetIds, next.DefaultUserSettings, next.DomainSettings, next.AppSecurityGroupManagement); err != nil {
		return nil, err
	}
	if next.VpcId != nil && next.SecurityGroupIdForDomainBoundary == nil {
		next.SecurityGroupIdForDomainBoundary = aws.String(newSecurityGroupID())
	}
	if next.HomeEfsFileSystemId == nil && next.HomeEfsFileSystemCreation != types.HomeEfsFileSystemCreationDisabled {
		next.HomeEfsFileSystemId = aws.String(newEFSID())
	}
	d.out = next
	d.since = req.now
	return &sagemaker.UpdateDomainOutput{DomainArn: next.DomainArn}, nil
}

func (e *Emulator) deleteDomain(req *request) (any, *apiError) {
	var in sagemaker.DeleteDomainInput
	if err := checkInput("DeleteDomain", req.doc, &in); err != nil {
		return nil, err
	}
	d, apiErr := e.find(req, aws.ToString(in.DomainId))
	if apiErr != nil {
		return nil, apiErr
	}
	switch d.out.Status {
	case types.DomainStatusPending, types.DomainStatusUpdating:
		return nil, errorf(400, "ResourceInUse", "Domain %s is in status %s and cannot be deleted until it settles", aws.ToString(in.DomainId), d.out.Status)
	case types.DomainStatusDeleting:
		return &sagemaker.DeleteDomainOutput{}, nil
	}
	if b := e.domainBlockers(aws.ToString(in.DomainId), req.now); b != "" {
		return nil, errorf(400, "ResourceInUse", "Unable to delete domain %s because it has %s; delete them first", aws.ToString(in.DomainId), b)
	}
	var policy types.RetentionType
	if in.RetentionPolicy != nil {
		policy = in.RetentionPolicy.HomeEfsFileSystem
	}
	e.retention[aws.ToString(in.DomainId)] = policy
	e.markDomain(d, types.DomainStatusDeleting, "", req.now)
	return &sagemaker.DeleteDomainOutput{}, nil
}

func (e *Emulator) listDomains(req *request) (any, *apiError) {
	var in sagemaker.ListDomainsInput
	if err := checkInput("ListDomains", req.doc, &in); err != nil {
		return nil, err
	}
	page, next, apiErr := walk(&e.domainOrder, in.MaxResults, in.NextToken, "domains", false, func(d *domain) bool {
		return d.region == req.region && settle(e, domainLife{}, d, req.now)
	})
	if apiErr != nil {
		return nil, apiErr
	}
	out := &sagemaker.ListDomainsOutput{Domains: make([]types.DomainDetails, 0, len(page)), NextToken: next}
	for _, d := range page {
		o := d.out
		out.Domains = append(out.Domains, types.DomainDetails{
			DomainArn:        o.DomainArn,
			DomainId:         o.DomainId,
			DomainName:       o.DomainName,
			Status:           o.Status,
			CreationTime:     o.CreationTime,
			LastModifiedTime: o.LastModifiedTime,
			Url:              o.Url,
		})
	}
	return out, nil
}

// encodeToken makes an opaque pagination token for position n of a
// listing of kind.
func encodeToken(kind string, n int64) *string {
	return aws.String(base64.RawURLEncoding.EncodeToString([]byte("smdomaintest/" + kind + "/" + strconv.FormatInt(n, 10))))
}

// decodeToken reads a token made by encodeToken; nil reads as 0.
func decodeToken(tok *string, kind string) (int64, *apiError) {
	if tok == nil || *tok == "" {
		return 0, nil
	}
	bad := errorf(400, "ValidationException", "Invalid pagination token %q", *tok)
	b, err := base64.RawURLEncoding.DecodeString(*tok)
	if err != nil {
		return 0, bad
	}
	s, ok := strings.CutPrefix(string(b), "smdomaintest/"+kind+"/")
	if !ok {
		return 0, bad
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, bad
	}
	return n, nil
}

// DomainIDs returns the IDs of the domains that exist, in any status and
// any region, sorted. It settles every domain, so it takes time in
// proportion to how many there are.
func (e *Emulator) DomainIDs() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.opts.clock.Now()
	var ids []string
	for _, d := range slices.Clone(e.domainOrder) {
		if settle(e, domainLife{}, d, now) {
			ids = append(ids, aws.ToString(d.out.DomainId))
		}
	}
	slices.Sort(ids)
	return ids
}

// SetDomainStatus moves a domain to status (one of the DomainStatus
// values: Failed, Update_Failed, Delete_Failed, InService, ...) with
// failureReason as its FailureReason (cleared when empty). A domain moved
// to Pending, Updating or Deleting starts that status's delay again. It
// returns an error if the domain does not exist or the status is unknown.
func (e *Emulator) SetDomainStatus(domainID, status, failureReason string) error {
	st := types.DomainStatus(status)
	if !slices.Contains(st.Values(), st) {
		return fmt.Errorf("smdomaintest: unknown domain status %q", status)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.opts.clock.Now()
	d, ok := e.domains[domainID]
	if !ok || !settle(e, domainLife{}, d, now) {
		return fmt.Errorf("smdomaintest: domain %s not found", domainID)
	}
	e.markDomain(d, st, failureReason, now)
	return nil
}

// RetentionPolicy returns the RetentionPolicy.HomeEfsFileSystem that the
// accepted DeleteDomain of domainID carried ("" if it sent none, which the
// service treats as Retain), and whether such a DeleteDomain was accepted.
func (e *Emulator) RetentionPolicy(domainID string) (types.RetentionType, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	p, ok := e.retention[domainID]
	return p, ok
}
