package smdomain

import (
	"cmp"
	"context"
	"fmt"
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

// Finding is one setting of a domain, or of one of its user profiles or
// spaces, that widens how far its users can reach.
type Finding struct {
	// ID names the rule, stable across releases, e.g. "network-egress".
	ID       string
	Severity Severity
	// Resource is where the setting is: "" for the domain,
	// "UserProfiles.<name>" or "Spaces.<name>" for a member.
	Resource string
	// Path is the path of the setting that decides it, as in the
	// resource's Create input: "AppNetworkAccessType",
	// "DomainSettings.ExecutionRoleIdentityConfig" for the domain,
	// "UserSettings.SecurityGroups" for a user profile.
	Path string
	// References name the matching rules of other scanners, where one
	// exists: "prowler:sagemaker_domain_vpc_only_enabled",
	// "checkov:CKV_AWS_187", "aws-config:SAGEMAKER_DOMAIN_IN_VPC".
	References []string
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
	refs     []string
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
		refs: []string{"prowler:sagemaker_domain_vpc_only_enabled", "aws-config:SAGEMAKER_DOMAIN_IN_VPC"},
		check: flagUnless("VpcOnly", "PublicInternetOnly", ", so the apps' traffic other than to the home EFS volume goes to the internet through a VPC that SageMaker manages,"+
			" outside your VPC's security groups, routes and endpoint policies;"+
			" keep it in your VPC with WithAppNetworkAccessType(types.AppNetworkAccessTypeVpcOnly)."),
	},
	{
		id: "source-identity", severity: SeverityMedium, path: "DomainSettings.ExecutionRoleIdentityConfig",
		check: flagUnless("USER_PROFILE_NAME", "DISABLED", ", so the calls apps make do not carry the user profile's name as sts:SourceIdentity,"+
			" and neither data access policies nor CloudTrail can tell apart users who share an execution role;"+
			" set WithSourceIdentity()."),
	},
	{
		id: "kms-key", severity: SeverityMedium, path: "KmsKeyId",
		refs: []string{"prowler:sagemaker_domain_encrypted_with_cmk", "checkov:CKV_AWS_187"},
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
	{
		id: "sso-auth", severity: SeverityLow, path: "AuthMode", refs: []string{"prowler:sagemaker_domain_sso_configured"},
		check: flagUnless("SSO", "IAM", ", so users reach Studio through presigned URLs that whoever holds IAM credentials can make,"+
			" rather than signing in as themselves through IAM Identity Center; the auth mode is fixed at create:"+
			" WithAuthMode(types.AuthModeSso) for a new domain."),
	},
	{
		id: "session-name", severity: SeverityLow, path: "DefaultUserSettings.StudioWebPortalSettings.ExecutionRoleSessionNameMode",
		check: flagUnless("USER_IDENTITY", "STATIC", ", so the execution role's session name does not carry the user's identity"+
			" and CloudTrail shows one session name for every user; set it to types.ExecutionRoleSessionNameModeUserIdentity"+
			" with WithDefaultUserSettings."),
	},
	{
		id: "idle-shutdown", severity: SeverityLow, path: "DefaultUserSettings.JupyterLabAppSettings.AppLifecycleManagement.IdleSettings.LifecycleManagement",
		check: flagUnless("ENABLED", "DISABLED", ", so JupyterLab apps that nobody uses keep running, with the execution role's"+
			" credentials live, until someone stops them; enable idle shutdown (IdleSettings with LifecycleManagement ENABLED)"+
			" with WithDefaultUserSettings."),
	},
}

// flagUnless is the check of a setting that is safe only at one value:
// it passes at safe, and otherwise says what the setting is (or that it is
// unset and the service uses def), followed by text.
func flagUnless(safe, def, text string) func(any, map[string]any) string {
	return func(v any, _ map[string]any) string {
		if v == safe {
			return ""
		}
		return valueOrDefault(v, def) + text
	}
}

// valueOrDefault describes a setting's value for a Detail: the value, or
// that it is unset and the service uses def.
func valueOrDefault(v any, def string) string {
	if s, ok := v.(string); ok {
		return s
	}
	return "unset (the service uses " + def + ")"
}

// audit applies every domain rule to doc, the JSON form of a
// CreateDomainInput.
func audit(doc map[string]any) []Finding {
	var out []Finding
	for _, r := range auditRules {
		if d := r.check(docpath.Lookup(doc, strings.Split(r.path, ".")), doc); d != "" {
			out = append(out, Finding{ID: r.id, Severity: r.severity, Path: r.path, References: r.refs, Detail: d})
		}
	}
	return out
}

// sortFindings orders findings by severity, then ID, then resource.
func sortFindings(out []Finding) {
	slices.SortStableFunc(out, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.Severity.rank(), b.Severity.rank()), strings.Compare(a.ID, b.ID), strings.Compare(a.Resource, b.Resource))
	})
}

// Audit lists the settings of the domain the spec describes, and of the
// user profiles and spaces it declares, that widen how far users can reach,
// sorted by severity, then ID, then resource; nil when there are none. A
// setting the spec leaves unset is judged by the service's default
// (AppNetworkAccessType unset means PublicInternetOnly), since that is what
// a domain created from the spec gets. It does no I/O, so it can gate a
// spec in CI before anything is applied. A nil or zero Spec has no
// findings.
//
// The domain's rules, each resting on what the API reference says of the
// field, with the matching rules of other scanners:
//
//   - network-egress (high): AppNetworkAccessType is not VpcOnly (Prowler
//     sagemaker_domain_vpc_only_enabled, AWS Config SAGEMAKER_DOMAIN_IN_VPC).
//   - source-identity (medium): DomainSettings.ExecutionRoleIdentityConfig
//     is not USER_PROFILE_NAME.
//   - kms-key (medium): KmsKeyId is unset, so an AWS managed key encrypts
//     the volumes (Prowler sagemaker_domain_encrypted_with_cmk, Checkov
//     CKV_AWS_187).
//   - notebook-sharing (medium):
//     DefaultUserSettings.SharingSettings.NotebookOutputOption is Allowed.
//   - docker-access (medium): DomainSettings.DockerSettings.EnableDockerAccess
//     is ENABLED.
//   - rstudio-admin (low):
//     DefaultUserSettings.RStudioServerProAppSettings.UserGroup is
//     R_STUDIO_ADMIN.
//   - sso-auth (low): AuthMode is not SSO (Prowler
//     sagemaker_domain_sso_configured).
//   - session-name (low): the studio's ExecutionRoleSessionNameMode is not
//     USER_IDENTITY, so role sessions do not name the user.
//   - idle-shutdown (low): JupyterLab idle shutdown is not ENABLED.
//   - untagged (low): the domain has no tags, or the spec does not manage
//     them (AWS Config SAGEMAKER_DOMAIN_TAGGED).
//
// The members' rules, which no other scanner has:
//
//   - shared-role (medium): two or more user profiles run as one execution
//     role (their own or the domain's default) while source identity is
//     off, so nothing tells their calls apart; one finding per profile.
//   - shared-space-role (low): a shared space runs as the domain's one
//     DefaultSpaceSettings.ExecutionRole whatever user opens it: no
//     per-user separation inside it.
//   - profile-widens-network (medium): a user profile's own security groups
//     include one the domain's defaults do not, so that user's private
//     spaces reach more than the domain allows its users.
//   - member-untagged (low): a user profile or space whose tags the spec
//     does not manage or leaves empty, so ABAC policies that key on
//     resource tags cannot tell it apart.
//
// Audit does not read IAM policies.
func (s *Spec) Audit() []Finding {
	if s == nil || s.input == nil {
		return nil
	}
	domain := encodeMap(s.input)
	out := audit(domain)
	if len(s.tags) == 0 {
		out = append(out, Finding{ID: "untagged", Severity: SeverityLow, Path: "Tags",
			References: []string{"aws-config:SAGEMAKER_DOMAIN_TAGGED"},
			Detail:     "no tags, so ABAC policies and cost reports cannot key on the domain; set WithTags."})
	}
	out = append(out, auditMembers(domain, s.userProfiles, s.spaces)...)
	sortFindings(out)
	return out
}

// auditMembers applies the members' rules.
func auditMembers(domain map[string]any, profiles []*UserProfileSpec, spaces []*SpaceSpec) []Finding {
	var out []Finding
	lookup := func(doc map[string]any, path string) any { return docpath.Lookup(doc, strings.Split(path, ".")) }
	defaultRole, _ := lookup(domain, "DefaultUserSettings.ExecutionRole").(string)
	defaultSGs, _ := lookup(domain, "DefaultUserSettings.SecurityGroups").([]any)
	sourceIdentity := lookup(domain, "DomainSettings.ExecutionRoleIdentityConfig") == "USER_PROFILE_NAME"
	byRole := map[string][]string{}
	for _, p := range profiles {
		doc := p.memberDoc()
		role, _ := lookup(doc, "UserSettings.ExecutionRole").(string)
		if role == "" {
			role = defaultRole
		}
		byRole[role] = append(byRole[role], p.Name())
		sgs, _ := lookup(doc, "UserSettings.SecurityGroups").([]any)
		for _, sg := range sgs {
			if !slices.Contains(defaultSGs, sg) {
				out = append(out, Finding{ID: "profile-widens-network", Severity: SeverityMedium, Resource: "UserProfiles." + p.Name(),
					Path: "UserSettings.SecurityGroups", Detail: fmt.Sprintf("has %v, which the domain's DefaultUserSettings.SecurityGroups "+
						"do not, so this user's private spaces reach more than the domain allows; use the domain's groups or narrower ones.", sg)})
				break
			}
		}
		out = append(out, untagged("UserProfiles."+p.Name(), p.tags)...)
	}
	for role, names := range byRole {
		if len(names) < 2 || sourceIdentity {
			continue
		}
		for _, n := range names {
			out = append(out, Finding{ID: "shared-role", Severity: SeverityMedium, Resource: "UserProfiles." + n,
				Path: "UserSettings.ExecutionRole", Detail: fmt.Sprintf("runs as %s, as %d user profiles do, with source identity off,"+
					" so their calls cannot be told apart; give each user a role of their own (WithExecutionRole) or set WithSourceIdentity().", role, len(names))})
		}
	}
	for _, s := range spaces {
		if sharing, _ := lookup(s.memberDoc(), "SpaceSharingSettings.SharingType").(string); sharing == "Shared" {
			out = append(out, Finding{ID: "shared-space-role", Severity: SeverityLow, Resource: "Spaces." + s.Name(),
				Path: "SpaceSharingSettings.SharingType", Detail: "is Shared, so the space's apps run as the domain's one" +
					" DefaultSpaceSettings.ExecutionRole whoever opens it: no per-user separation inside it;" +
					" keep data a user alone may see out of shared spaces, or give the project a domain of its own."})
		}
		out = append(out, untagged("Spaces."+s.Name(), s.tags)...)
	}
	return out
}

// untagged is the member-untagged finding for a member with no tags.
func untagged(resource string, tags map[string]string) []Finding {
	if len(tags) > 0 {
		return nil
	}
	return []Finding{{ID: "member-untagged", Severity: SeverityLow, Resource: resource, Path: "Tags",
		Detail: "no tags, so ABAC policies that key on resource tags cannot tell it apart; set WithTags."}}
}

// AuditDomain applies Spec.Audit's rules to the live domain ref names and
// its user profiles and spaces, as the service reports them, server-filled
// defaults and tags included: the spec Export returns. It finds the domain
// as Get does: an error wrapping ErrNotFound when there is none,
// *AmbiguousNameError when several domains have the name. It only reads;
// with WithOwner, a domain the Client does not own is a *NotOwnedError.
func (c *Client) AuditDomain(ctx context.Context, ref DomainRef) ([]Finding, error) {
	spec, err := c.Export(ctx, ref)
	if err != nil {
		return nil, err
	}
	return spec.Audit(), nil
}
