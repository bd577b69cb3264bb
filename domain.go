package smdomain

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/aws/smithy-go"
)

// Domain is a SageMaker domain as DescribeDomain reports it.
type Domain struct {
	ID     string
	ARN    string
	Name   string
	URL    string // the Studio URL
	Status string // Pending, InService, Updating, Deleting, Failed, Update_Failed, Delete_Failed
	// FailureReason is the service's reason for a Failed, Update_Failed or
	// Delete_Failed status.
	FailureReason        string
	AuthMode             string
	AppNetworkAccessType string
	HomeEFSFileSystemID  string
	// SecurityGroupIDForDomainBoundary is the security group the service
	// made for traffic between the domain and its EFS volume.
	SecurityGroupIDForDomainBoundary string
	VPCID                            string
	SubnetIDs                        []string
	KMSKeyID                         string
	CreationTime                     time.Time
	LastModifiedTime                 time.Time
	// Description is the full DescribeDomain output.
	Description *sagemaker.DescribeDomainOutput
}

func newDomain(out *sagemaker.DescribeDomainOutput) *Domain {
	d := &Domain{
		ID:                               deref(out.DomainId),
		ARN:                              deref(out.DomainArn),
		Name:                             deref(out.DomainName),
		URL:                              deref(out.Url),
		Status:                           string(out.Status),
		FailureReason:                    deref(out.FailureReason),
		AuthMode:                         string(out.AuthMode),
		AppNetworkAccessType:             string(out.AppNetworkAccessType),
		HomeEFSFileSystemID:              deref(out.HomeEfsFileSystemId),
		SecurityGroupIDForDomainBoundary: deref(out.SecurityGroupIdForDomainBoundary),
		VPCID:                            deref(out.VpcId),
		SubnetIDs:                        slices.Clone(out.SubnetIds),
		KMSKeyID:                         deref(out.KmsKeyId),
		Description:                      out,
	}
	if out.CreationTime != nil {
		d.CreationTime = *out.CreationTime
	}
	if out.LastModifiedTime != nil {
		d.LastModifiedTime = *out.LastModifiedTime
	}
	return d
}

// Action is what Ensure or Delete did, worded to complete a log sentence:
// "domain ml created".
type Action string

// The actions a Result can report.
const (
	ActionCreated   Action = "created"
	ActionUpdated   Action = "updated"
	ActionUnchanged Action = "unchanged"
	ActionDeleted   Action = "deleted"
)

// Result is what Ensure or Delete did.
type Result struct {
	Action Action
	// Changes are the changes applied (for a create, every field the spec
	// sets).
	Changes []Change
	// Domain is the domain as described after the wait. For Delete it is
	// the domain as last described before it went (its home EFS volume ID,
	// say); nil when no domain had the name.
	Domain *Domain
	// Members says what Ensure did to each user profile and space the
	// spec declares or (WithPrune) offboards, in the plan's order.
	Members []MemberResult
	// RetainedHomeEFSFileSystemID is, for Delete, the ID of the home EFS
	// volume the deleted domain leaves behind (with every user's home
	// directory): "" when the domain had none or its DeleteDomain deleted
	// it (WithDeleteHomeEFS). See Delete for when another caller's delete
	// decided.
	RetainedHomeEFSFileSystemID string
}

// Get returns the domain that ref names: ByName("ml") or ByID("d-..."). It
// returns an error wrapping ErrNotFound when there is none, and
// *AmbiguousNameError when more than one domain has the name. It only
// reads, so it does not check WithOwner.
func (c *Client) Get(ctx context.Context, ref DomainRef) (*Domain, error) {
	out, err := c.lookup(ctx, ref)
	if err != nil {
		return nil, err
	}
	return newDomain(out), nil
}

// find returns the live domain the spec names, or nil when it does not
// exist. A pinned domain ID that does not exist is an error wrapping
// ErrNotFound: a domain cannot be created with a chosen ID.
func (c *Client) find(ctx context.Context, spec *Spec) (*sagemaker.DescribeDomainOutput, error) {
	if id := spec.DomainID(); id != "" {
		out, err := c.describe(ctx, id)
		if err != nil {
			return nil, err
		}
		if out == nil {
			return nil, fmt.Errorf("describe domain %s: %w", id, ErrNotFound)
		}
		return out, nil
	}
	return c.findByName(ctx, spec.Name())
}

// describe returns the domain with the ID, or nil when it does not exist.
func (c *Client) describe(ctx context.Context, id string) (*sagemaker.DescribeDomainOutput, error) {
	out, err := c.api.DescribeDomain(ctx, &sagemaker.DescribeDomainInput{DomainId: aws.String(id)})
	if notFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("describe domain %s: %w", id, err)
	}
	return out, nil
}

// notFound reports whether err says the resource does not exist: the
// service's ResourceNotFound, or the ValidationException "Could not find
// ..." that moto's server answers instead.
func notFound(err error) bool {
	var nf *types.ResourceNotFound
	if errors.As(err, &nf) {
		return true
	}
	var ae smithy.APIError
	return errors.As(err, &ae) && ae.ErrorCode() == "ValidationException" && strings.HasPrefix(ae.ErrorMessage(), "Could not find ")
}

// findByName lists domains (100 a page) for the name and describes the
// match. Domains being deleted are passed over when another domain has the
// name; two live domains with the name is an *AmbiguousNameError.
func (c *Client) findByName(ctx context.Context, name string) (*sagemaker.DescribeDomainOutput, error) {
	match, err := c.matchName(ctx, name)
	if err != nil || match == nil {
		return nil, err
	}
	return c.describe(ctx, deref(match.DomainId))
}

// matchName is findByName's listing: the one domain called name as
// ListDomains reports it, or nil when there is none.
func (c *Client) matchName(ctx context.Context, name string) (*types.DomainDetails, error) {
	matches, err := c.domainsNamed(ctx, name)
	if err != nil {
		return nil, err
	}
	if len(matches) > 1 {
		live := slices.DeleteFunc(slices.Clone(matches), func(d types.DomainDetails) bool {
			return d.Status == types.DomainStatusDeleting
		})
		if len(live) == 0 {
			live = matches[:1] // all are going: wait for one, then look again
		}
		matches = live
	}
	switch len(matches) {
	case 0:
		return nil, nil
	case 1:
		return &matches[0], nil
	}
	ids := make([]string, len(matches))
	for i, d := range matches {
		ids[i] = deref(d.DomainId)
	}
	slices.Sort(ids)
	return nil, &AmbiguousNameError{Name: name, DomainIDs: ids}
}

// domainsNamed lists the domains called name (100 a page), in any status.
func (c *Client) domainsNamed(ctx context.Context, name string) ([]types.DomainDetails, error) {
	var matches []types.DomainDetails
	err := pages(ctx, func(ctx context.Context, token *string) (*string, error) {
		page, err := c.api.ListDomains(ctx, &sagemaker.ListDomainsInput{MaxResults: aws.Int32(100), NextToken: token})
		if err != nil {
			return nil, err
		}
		for _, d := range page.Domains {
			if deref(d.DomainName) == name {
				matches = append(matches, d)
			}
		}
		return page.NextToken, nil
	})
	if err != nil {
		return nil, fmt.Errorf("list domains: %w", err)
	}
	return matches, nil
}

// listTags returns the tags on arn, every page.
func (c *Client) listTags(ctx context.Context, arn string) (map[string]string, error) {
	tags := map[string]string{}
	err := pages(ctx, func(ctx context.Context, token *string) (*string, error) {
		page, err := c.api.ListTags(ctx, &sagemaker.ListTagsInput{ResourceArn: aws.String(arn), MaxResults: aws.Int32(100), NextToken: token})
		if err != nil {
			return nil, err
		}
		for _, t := range page.Tags {
			tags[deref(t.Key)] = deref(t.Value)
		}
		return page.NextToken, nil
	})
	if err != nil {
		return nil, fmt.Errorf("list tags of %s: %w", arn, err)
	}
	return tags, nil
}
