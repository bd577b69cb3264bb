package smdomain

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/finegrained/smdomain/internal/docpath"
)

// Severity ranks a Finding.
type Severity string

// The severities a Finding can have, from the most to the least severe.
const (
	// SeverityHigh: users' traffic or data can leave the controls the
	// platform team set up.
	SeverityHigh Severity = "high"
	// SeverityMedium: access cannot be attributed or keys controlled, or
	// users can do more than running notebooks needs.
	SeverityMedium Severity = "medium"
	// SeverityLow: worth a look; often intended.
	SeverityLow Severity = "low"
)

// rank orders severities, most severe first; an unknown one sorts last.
func (s Severity) rank() int {
	switch s {
	case SeverityHigh:
		return 0
	case SeverityMedium:
		return 1
	case SeverityLow:
		return 2
	}
	return 3
}

// Finding is one setting of a domain that widens how far its users can
// reach.
type Finding struct {
	// ID names the rule, stable across releases, e.g. "network-egress".
	ID       string
	Severity Severity
	// Path is the CreateDomainInput path of the setting that decides it,
	// e.g. "AppNetworkAccessType" or
	// "DomainSettings.ExecutionRoleIdentityConfig".
	Path string
	// Detail says, in one sentence for people, what the setting allows (and
	// that the service's default applies when it is unset) and which
	// option closes it.
	Detail string
}

// auditRule is one check, written once over the JSON form that a spec's
// CreateDomainInput and a DescribeDomainOutput share.
type auditRule struct {
	id       string
	severity Severity
	path     string
	// check returns the finding's Detail, or "" when the domain passes. v
	// is the value at path (nil when unset) and doc the whole document.
	check func(v any, doc map[string]any) string
}

// auditRules are the checks Spec.Audit and Client.AuditDomain apply. Each
// risk is one the API reference states for the field; where a field is
// unset, the default the reference gives is judged.
var auditRules = []auditRule{
	{
		id: "network-egress", severity: SeverityHigh, path: "AppNetworkAccessType",
		check: func(v any, _ map[string]any) string {
			if v == "VpcOnly" {
				return ""
			}
			return valueOrDefault(v, "PublicInternetOnly") +
				", so the apps' traffic other than to the home EFS volume goes to the internet through a VPC that SageMaker manages," +
				" outside your VPC's security groups, routes and endpoint policies;" +
				" keep it in your VPC with WithAppNetworkAccessType(types.AppNetworkAccessTypeVpcOnly)."
		},
	},
	{
		id: "source-identity", severity: SeverityMedium, path: "DomainSettings.ExecutionRoleIdentityConfig",
		check: func(v any, _ map[string]any) string {
			if v == "USER_PROFILE_NAME" {
				return ""
			}
			return valueOrDefault(v, "DISABLED") +
				", so the calls apps make do not carry the user profile's name as sts:SourceIdentity," +
				" and neither data access policies nor CloudTrail can tell apart users who share an execution role;" +
				" set WithSourceIdentity()."
		},
	},
	{
		id: "kms-key", severity: SeverityMedium, path: "KmsKeyId",
		check: func(v any, doc map[string]any) string {
			// HomeEfsFileSystemKmsKeyId is the deprecated name of the same
			// setting.
			if v != nil || doc["HomeEfsFileSystemKmsKeyId"] != nil {
				return ""
			}
			return "unset, so the home EFS volume and the apps' EBS volumes are encrypted with an AWS managed key," +
				" whose key policy the team cannot change, rather than a customer managed key;" +
				" set WithKMSKey(keyARN) when the domain is created (the key cannot change afterwards)."
		},
	},
	{
		id: "notebook-sharing", severity: SeverityMedium, path: "DefaultUserSettings.SharingSettings.NotebookOutputOption",
		check: func(v any, _ map[string]any) string {
			// The API's default is Disabled.
			if v != "Allowed" {
				return ""
			}
			return "Allowed, so a notebook a user shares carries its cell output, and with it whatever data the cells printed," +
				" to the S3 location in SharingSettings.S3OutputPath for others to open;" +
				" set NotebookOutputOption to types.NotebookOutputOptionDisabled (the default) with WithDefaultUserSettings."
		},
	},
	{
		id: "docker-access", severity: SeverityMedium, path: "DomainSettings.DockerSettings.EnableDockerAccess",
		check: func(v any, _ map[string]any) string {
			if v != "ENABLED" {
				return ""
			}
			return "ENABLED, so users can build and run Docker containers of their own choosing from their apps;" +
				" unless they need to, set EnableDockerAccess to types.FeatureStatusDisabled with WithDomainSettings."
		},
	},
	{
		id: "rstudio-admin", severity: SeverityLow, path: "DefaultUserSettings.RStudioServerProAppSettings.UserGroup",
		check: func(v any, _ map[string]any) string {
			// The API's default is R_STUDIO_USER.
			if v != "R_STUDIO_ADMIN" {
				return ""
			}
			return "R_STUDIO_ADMIN, so every user who has no setting of their own gets the RStudio Administrative Dashboard;" +
				" set UserGroup to types.RStudioServerProUserGroupUser with WithDefaultUserSettings and grant admin per user profile."
		},
	},
}

// valueOrDefault describes a setting's value for a Detail: the value, or
// that it is unset and the service uses def.
func valueOrDefault(v any, def string) string {
	if s, ok := v.(string); ok {
		return s
	}
	return "unset (the service uses " + def + ")"
}

// audit applies every rule to doc, the JSON form of a CreateDomainInput or
// a DescribeDomainOutput, and returns the findings sorted by severity, then
// ID.
func audit(doc map[string]any) []Finding {
	var out []Finding
	for _, r := range auditRules {
		if d := r.check(docpath.Lookup(doc, strings.Split(r.path, ".")), doc); d != "" {
			out = append(out, Finding{ID: r.id, Severity: r.severity, Path: r.path, Detail: d})
		}
	}
	slices.SortFunc(out, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.Severity.rank(), b.Severity.rank()), strings.Compare(a.ID, b.ID))
	})
	return out
}

// Audit lists the settings of the domain the spec describes that widen how
// far its users can reach, sorted by severity, then ID; nil when there are
// none. A setting the spec leaves unset is judged by the service's default
// (AppNetworkAccessType unset means PublicInternetOnly), since that is what
// a domain created from the spec gets. It does no I/O, so it can gate a spec
// in CI before anything is applied. A nil or zero Spec has no findings.
//
// The rules, each written once and shared with Client.AuditDomain:
//
//   - network-egress (high): AppNetworkAccessType is not VpcOnly.
//   - source-identity (medium): DomainSettings.ExecutionRoleIdentityConfig
//     is not USER_PROFILE_NAME.
//   - kms-key (medium): KmsKeyId is unset, so an AWS managed key encrypts
//     the volumes.
//   - notebook-sharing (medium):
//     DefaultUserSettings.SharingSettings.NotebookOutputOption is Allowed.
//   - docker-access (medium): DomainSettings.DockerSettings.EnableDockerAccess
//     is ENABLED.
//   - rstudio-admin (low):
//     DefaultUserSettings.RStudioServerProAppSettings.UserGroup is
//     R_STUDIO_ADMIN.
//
// Audit looks at the domain's own settings only, not at user profiles or
// spaces, which can override the defaults, nor at IAM policies.
func (s *Spec) Audit() []Finding {
	if s == nil || s.input == nil {
		return nil
	}
	return audit(encodeMap(s.input))
}

// AuditDomain applies Spec.Audit's rules to the live domain called name,
// as DescribeDomain reports it, server-filled defaults included. It finds
// the domain as Get does: an error wrapping ErrNotFound when no domain has
// the name, *AmbiguousNameError when several do. It only reads (ListDomains
// and DescribeDomain) and does not check WithOwner.
func (c *Client) AuditDomain(ctx context.Context, name string) ([]Finding, error) {
	d, err := c.Get(ctx, name)
	if err != nil {
		return nil, err
	}
	return audit(encodeMap(d.Description)), nil
}
