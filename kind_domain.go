package smdomain

import (
	"context"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/finegrained/smdomain/internal/wire"
)

// domainKind is what is special about domains: two structures that
// UpdateDomain carries under other names, and two one-way rules the model
// does not show (a domain's VPC is fixed once it has one; home EFS
// creation cannot go from Enabled to Disabled).
var domainKind = &kind{
	noun:   "domain",
	update: "UpdateDomainRequest",
	renames: map[string]string{
		"DomainSettings":                 "DomainSettingsForUpdate",
		"RStudioServerProDomainSettings": "RStudioServerProDomainSettingsForUpdate",
	},
	replaces: func(path string, from, to any, live map[string]any) bool {
		switch path {
		case "VpcId":
			return live["VpcId"] != nil
		case "HomeEfsFileSystemCreation":
			// Unreported, it is the default (Enabled) when the domain has a volume.
			return to == "Disabled" && (from == "Enabled" || from == nil && live["HomeEfsFileSystemId"] != nil)
		}
		return false
	},
}

// domainResource is a Spec's domain as the engine reconciles it.
type domainResource struct {
	c    *Client
	spec *Spec
	doc  map[string]any // the JSON form of spec.input, computed once
	id   string         // known once found or created
}

func newDomainResource(c *Client, spec *Spec) *domainResource {
	return &domainResource{c: c, spec: spec, doc: encodeMap(spec.input), id: spec.DomainID()}
}

var _ resource = (*domainResource)(nil)

func (r *domainResource) kind() *kind { return domainKind }

func (r *domainResource) label() string {
	if r.id == "" {
		return "domain " + quote(r.spec.Name())
	}
	return "domain " + r.id
}

func (r *domainResource) path() string { return "" }

func (r *domainResource) ident() (string, string) {
	if r.spec == nil {
		return r.id, ""
	}
	return r.id, r.spec.Name()
}

func (r *domainResource) desired() map[string]any { return r.doc }

func (r *domainResource) tags() map[string]string { return r.spec.tags }

func (r *domainResource) needsTags() bool { return r.c.opts.owner != "" }

func (r *domainResource) checkLive(live *state, tags map[string]string) error {
	return r.c.checkOwner(live.raw.(*sagemaker.DescribeDomainOutput), tags)
}

func (r *domainResource) find(ctx context.Context) (*state, error) {
	out, err := r.c.find(ctx, r.spec)
	if err != nil || out == nil {
		return nil, err
	}
	r.id = aws.ToString(out.DomainId)
	return domainState(out), nil
}

// domainState is the engine's view of a DescribeDomain output.
func domainState(out *sagemaker.DescribeDomainOutput) *state {
	return &state{
		id: aws.ToString(out.DomainId), name: aws.ToString(out.DomainName), arn: aws.ToString(out.DomainArn),
		status: string(out.Status), reason: aws.ToString(out.FailureReason), doc: encodeMap(out), raw: out,
	}
}

func (r *domainResource) create(ctx context.Context) error {
	out, err := r.c.api.CreateDomain(ctx, r.c.ownedInput(r.spec.CreateDomainInput()), writeOnce)
	if err != nil {
		return err
	}
	r.id = createdDomainID(out)
	return nil
}

// createdDomainID is the ID of the domain a CreateDomain made: the
// DomainId it answers, or, from a server that answers only the DomainArn
// (moto's), the ARN's resource ID (arn:...:domain/<id>).
func createdDomainID(out *sagemaker.CreateDomainOutput) string {
	if id := aws.ToString(out.DomainId); id != "" {
		return id
	}
	_, id, _ := strings.Cut(aws.ToString(out.DomainArn), ":domain/")
	return id
}

// update sends UpdateDomain with the changed settings and what the API
// requires alongside them: SubnetIds with a switch to VpcOnly, the RStudio
// DomainExecutionRoleArn with any RStudio setting.
func (r *domainResource) update(ctx context.Context, live *state, doc map[string]any) error {
	doc["DomainId"] = live.id
	in := &sagemaker.UpdateDomainInput{}
	if err := wire.Decode(doc, in); err != nil {
		return err
	}
	spec := r.spec.input
	if in.AppNetworkAccessType == types.AppNetworkAccessTypeVpcOnly && in.SubnetIds == nil {
		in.SubnetIds = cloneStrings(spec.SubnetIds)
	}
	if ds := in.DomainSettingsForUpdate; ds != nil && ds.RStudioServerProDomainSettingsForUpdate != nil &&
		ds.RStudioServerProDomainSettingsForUpdate.DomainExecutionRoleArn == nil &&
		spec.DomainSettings != nil && spec.DomainSettings.RStudioServerProDomainSettings != nil {
		ds.RStudioServerProDomainSettingsForUpdate.DomainExecutionRoleArn = spec.DomainSettings.RStudioServerProDomainSettings.DomainExecutionRoleArn
	}
	_, err := r.c.api.UpdateDomain(ctx, in, writeOnce)
	return err
}

func (r *domainResource) wait(ctx context.Context, deleted bool, left time.Duration) (*state, error) {
	in := &sagemaker.DescribeDomainInput{DomainId: aws.String(r.id)}
	if deleted {
		err := NewDomainDeletedWaiter(r.c.api, r.c.deletedWaiterOptions).Wait(ctx, in, left)
		return nil, err
	}
	out, err := NewDomainInServiceWaiter(r.c.api, r.c.waiterOptions).WaitForOutput(ctx, in, left)
	if err != nil {
		return nil, err
	}
	return domainState(out), nil
}
