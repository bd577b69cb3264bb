package smdomain

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/finegrained/smdomain/internal/model"
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
	// token is the create token this reconcile's CreateDomain carries
	// (CreateTokenTagKey), made at its first create: a domain that has it
	// is the one this reconcile created.
	token string
	// adopted says that id is the domain of another creator that this
	// reconcile gave way to: find describes it by ID, since until the
	// other racers have removed theirs the name may still be ambiguous.
	adopted bool
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
	if r.adopted {
		out, err := r.c.describe(ctx, r.id)
		if err != nil || out != nil {
			return domainStateOrNil(out), err
		}
		r.adopted = false // it went: look the name up again
	}
	for look := 1; ; look++ {
		start := r.c.opts.clock.Now()
		out, err := r.c.find(ctx, r.spec)
		var ambiguous *AmbiguousNameError
		if errors.As(err, &ambiguous) {
			out, err = r.raceSurvivor(ctx, ambiguous)
		}
		if err != nil || out == nil {
			return nil, err
		}
		// A domain created so recently before this listing began (or while
		// it ran) that a racer's create could still be stamped with the
		// same time, and win on its lower ID, may be about to give way:
		// look again once that can no longer happen. The looks are
		// bounded, for a clock behind the service's, where waiting would
		// not help.
		settled := aws.ToTime(out.CreationTime).Add(claimSettle)
		if settled.After(start) && look <= maxSettleLooks && r.spec.DomainID() == "" {
			r.adopted = false
			if wait := min(settled.Sub(r.c.opts.clock.Now()), claimSettle); wait > 0 {
				if err := r.c.opts.clock.Sleep(ctx, wait); err != nil {
					return nil, fmt.Errorf("find domain %q: %w", r.spec.Name(), err)
				}
			}
			continue
		}
		r.id = aws.ToString(out.DomainId)
		return domainState(out), nil
	}
}

// raceSurvivor is find's answer when several live domains have the name.
// When every one of them carries a create token, Ensure calls made them
// in a race that they settle by themselves (see claim): the one created
// first survives and the others are being removed, so this is the domain
// to plan against, and it is adopted. Otherwise the name is ambiguous
// and the error stands.
func (r *domainResource) raceSurvivor(ctx context.Context, ambiguous *AmbiguousNameError) (*sagemaker.DescribeDomainOutput, error) {
	var survivor *sagemaker.DescribeDomainOutput
	for _, id := range ambiguous.DomainIDs {
		out, err := r.c.describe(ctx, id)
		if err != nil {
			return nil, err
		}
		if out == nil || out.Status == types.DomainStatusDeleting {
			continue // gone meanwhile
		}
		tags, err := r.c.listTags(ctx, aws.ToString(out.DomainArn))
		if notFound(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if tags[CreateTokenTagKey] == "" {
			return nil, ambiguous
		}
		if survivor == nil || createdBefore(details(out), details(survivor)) {
			survivor = out
		}
	}
	if survivor != nil {
		r.c.log(ctx, "several domains have the name, all made by Ensure calls racing; planning against the one created first",
			"domain", aws.ToString(survivor.DomainId))
		r.adopted = true
	}
	return survivor, nil
}

// details is the part of a description that claim orders domains by.
func details(out *sagemaker.DescribeDomainOutput) types.DomainDetails {
	return types.DomainDetails{DomainId: out.DomainId, CreationTime: out.CreationTime}
}

// domainState is the engine's view of a DescribeDomain output.
func domainState(out *sagemaker.DescribeDomainOutput) *state {
	return &state{
		id: aws.ToString(out.DomainId), name: aws.ToString(out.DomainName), arn: aws.ToString(out.DomainArn),
		status: string(out.Status), reason: aws.ToString(out.FailureReason), doc: encodeMap(out), raw: out,
	}
}

func domainStateOrNil(out *sagemaker.DescribeDomainOutput) *state {
	if out == nil {
		return nil
	}
	return domainState(out)
}

func (r *domainResource) create(ctx context.Context) error {
	if r.token == "" {
		r.token = newCreateToken()
	}
	in, err := r.createInput()
	if err != nil {
		return err
	}
	out, err := r.c.api.CreateDomain(ctx, in, writeOnce)
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

// createInput is the CreateDomain request: the spec's, with the owner tag
// (WithOwner) and the create token added to its tags. Tags beyond the
// service's limit are a *ValidationError, found before anything is sent.
func (r *domainResource) createInput() (*sagemaker.CreateDomainInput, error) {
	in := r.c.ownedInput(r.spec.CreateDomainInput())
	in.Tags = mergeTags(in.Tags, map[string]string{CreateTokenTagKey: r.token})
	if limit := *model.Lookup("TagList").Max; int64(len(in.Tags)) > limit {
		added := CreateTokenTagKey
		if r.c.opts.owner != "" {
			added += " and " + OwnerTagKey
		}
		return nil, &ValidationError{Problems: []FieldError{{Field: "Tags", Rule: RuleCount,
			Detail: fmt.Sprintf("has %d entries with the %s that a create adds; at most %d allowed", len(in.Tags), added, limit)}}}
	}
	return in, nil
}

// CreateTokenTagKey is the tag with which Ensure marks each domain it
// creates, with a random value made for that Ensure call (16 hexadecimal
// digits from crypto/rand): CreateDomain takes no client token, so this is
// how an Ensure recognises the domain it made, after a create whose answer
// was lost and in a race with other creators of the name. Ensure never
// removes it, even when the spec's tags are authoritative, and never shows
// it as a change; a spec may not set it. It counts toward the service's 50
// tags of a domain: a create whose spec leaves no room for it (and for
// OwnerTagKey WithOwner) is refused with a *ValidationError.
const CreateTokenTagKey = "smdomain:create-token"

// newCreateToken returns 16 random hexadecimal digits.
func newCreateToken() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}

// lookup finds, after a create of unknown outcome, the domain this
// reconcile created: a domain with the name that carries its create token.
// Any other live domain with the name is another creator's: others.
func (r *domainResource) lookup(ctx context.Context) (*state, bool, error) {
	matches, err := r.c.domainsNamed(ctx, r.spec.Name())
	if err != nil {
		return nil, false, err
	}
	others := false
	for _, d := range matches {
		if d.Status == types.DomainStatusDeleting {
			continue
		}
		tags, err := r.c.listTags(ctx, aws.ToString(d.DomainArn))
		if notFound(err) {
			continue
		}
		if err != nil {
			return nil, false, err
		}
		if r.token == "" || tags[CreateTokenTagKey] != r.token {
			others = true
			continue
		}
		out, err := r.c.describe(ctx, aws.ToString(d.DomainId))
		if err != nil || out == nil {
			return nil, false, err
		}
		r.id = aws.ToString(out.DomainId)
		return domainState(out), false, nil
	}
	return nil, others, nil
}

// claimSettle is how long after its own domain's CreationTime a creator
// waits before it lists the name to settle a race. It only needs to make
// every later create's CreationTime later than its own: the wait for
// InService comes first and, against SageMaker, takes minutes.
const claimSettle = 10 * time.Millisecond

// maxSettleLooks bounds how often find lists a name again while the domain
// it found is too fresh to be final.
const maxSettleLooks = 5

// claim settles a race between creators of one name: every domain with the
// name that is not being deleted is a candidate, and the survivor is the
// one created first (the oldest CreationTime, then the lowest ID). When
// that is the domain this reconcile created (live, now InService), it is
// kept. Otherwise this reconcile deletes its own domain (it is new and
// empty: its home EFS volume goes with it), waits until it is gone, and
// adopts the survivor, which find then describes.
//
// Every racer decides from a listing made after its own domain is
// InService and after its clock has passed that domain's CreationTime, so
// a domain that would win against it is already listed, and a domain it
// does not see was created later and loses to it.
func (r *domainResource) claim(ctx context.Context, live *state, deadline time.Time) (bool, error) {
	mine := live.raw.(*sagemaker.DescribeDomainOutput)
	survivor := details(mine)
	if wait := aws.ToTime(mine.CreationTime).Add(claimSettle).Sub(r.c.opts.clock.Now()); wait > 0 {
		wait = min(wait, claimSettle) // more: this clock is behind the service's, which the wait for InService outran
		if err := r.c.opts.clock.Sleep(ctx, wait); err != nil {
			return false, fmt.Errorf("create %s: %w", r.label(), err)
		}
	}
	var matches []types.DomainDetails
	err := r.c.retrying(ctx, func() (err error) {
		matches, err = r.c.domainsNamed(ctx, r.spec.Name())
		return err
	})
	if err != nil {
		return false, fmt.Errorf("create %s: look for other creators: %w", r.label(), err)
	}
	for _, d := range matches {
		if d.Status != types.DomainStatusDeleting && createdBefore(d, survivor) {
			survivor = d
		}
	}
	own, other := r.id, aws.ToString(survivor.DomainId)
	if other == own {
		return false, nil
	}
	r.c.log(ctx, "another creator made the domain first; deleting the one this Ensure made", "domain", own, "survivor", other)
	if err := r.c.removeNewDomain(ctx, own, deadline); err != nil {
		return false, fmt.Errorf("domain %s was created first; remove the duplicate %s: %w", other, own, err)
	}
	r.id, r.adopted = other, true
	return true, nil
}

// createdBefore orders domains as claim does: CreationTime, then ID.
func createdBefore(a, b types.DomainDetails) bool {
	at, bt := aws.ToTime(a.CreationTime), aws.ToTime(b.CreationTime)
	if !at.Equal(bt) {
		return at.Before(bt)
	}
	return aws.ToString(a.DomainId) < aws.ToString(b.DomainId)
}

// removeNewDomain deletes a domain this Client has just created and that
// nobody uses yet, home EFS volume included, and waits until it is gone.
// A DeleteDomain of unknown outcome is sent again (it is idempotent).
func (c *Client) removeNewDomain(ctx context.Context, id string, deadline time.Time) error {
	in := &sagemaker.DeleteDomainInput{DomainId: aws.String(id),
		RetentionPolicy: &types.RetentionPolicy{HomeEfsFileSystem: types.RetentionTypeDelete}}
	err := c.retrying(ctx, func() error {
		_, err := c.api.DeleteDomain(ctx, in, writeOnce)
		if notFound(err) {
			return nil
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("delete domain %s: %w", id, err)
	}
	_, err = c.waitResource(ctx, &domainResource{c: c, id: id}, true, deadline)
	return err
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
