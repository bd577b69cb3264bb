package smdomain_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/google/go-cmp/cmp"

	"github.com/finegrained/smdomain"
)

const auditKMSKey = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"

// auditHardened are the options of a domain no rule flags, by name, so a
// case can leave one out.
func auditHardened() map[string]smdomain.Option {
	return map[string]smdomain.Option{
		"vpc":     smdomain.WithVPC("vpc-0abc1234def567890", "subnet-0abc1234def567890"),
		"role":    smdomain.WithExecutionRole(testRole),
		"sg":      smdomain.WithSecurityGroups("sg-0abc1234def567890"),
		"network": smdomain.WithAppNetworkAccessType(types.AppNetworkAccessTypeVpcOnly),
		"source":  smdomain.WithSourceIdentity(),
		"kms":     smdomain.WithKMSKey(auditKMSKey),
		"sso":     smdomain.WithAuthMode(types.AuthModeSso),
		"tags":    smdomain.WithTags(map[string]string{"team": "ml"}),
		"studio": smdomain.WithDefaultUserSettings(&types.UserSettings{
			StudioWebPortalSettings: &types.StudioWebPortalSettings{ExecutionRoleSessionNameMode: types.ExecutionRoleSessionNameModeUserIdentity},
			JupyterLabAppSettings: &types.JupyterLabAppSettings{AppLifecycleManagement: &types.AppLifecycleManagement{
				IdleSettings: &types.IdleSettings{LifecycleManagement: types.LifecycleManagementEnabled, IdleTimeoutInMinutes: aws.Int32(60)}}},
		}),
	}
}

// auditOptions returns the hardened options without those named in
// without, followed by extra.
func auditOptions(without []string, extra ...smdomain.Option) []smdomain.Option {
	var opts []smdomain.Option
	for name, o := range auditHardened() {
		if !slices.Contains(without, name) {
			opts = append(opts, o)
		}
	}
	return append(opts, extra...)
}

// idPath is what the table tests compare: the Detail is for people.
type idPath struct{ ID, Path string }

func idPaths(fs []smdomain.Finding) []idPath {
	var out []idPath
	for _, f := range fs {
		out = append(out, idPath{f.ID, f.Path})
	}
	return out
}

func ids(fs []smdomain.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.ID)
	}
	return out
}

// auditCases trips each rule alone (by leaving a hardening option out, or
// by adding a risky setting), and shows the same field set safely.
var auditCases = []struct {
	name    string
	without []string
	extra   []smdomain.Option
	// deprecatedKMS sets HomeEfsFileSystemKmsKeyId, the deprecated name of
	// KmsKeyId, which no option sets.
	deprecatedKMS bool
	want          []idPath // nil: no findings
}{
	{name: "hardened"},
	{name: "network unset", without: []string{"network"},
		want: []idPath{{"network-egress", "AppNetworkAccessType"}}},
	{name: "network public", extra: []smdomain.Option{smdomain.WithAppNetworkAccessType(types.AppNetworkAccessTypePublicInternetOnly)},
		want: []idPath{{"network-egress", "AppNetworkAccessType"}}},
	{name: "source identity unset", without: []string{"source"},
		want: []idPath{{"source-identity", "DomainSettings.ExecutionRoleIdentityConfig"}}},
	{name: "source identity disabled", without: []string{"source"},
		extra: []smdomain.Option{smdomain.WithDomainSettings(&types.DomainSettings{ExecutionRoleIdentityConfig: types.ExecutionRoleIdentityConfigDisabled})},
		want:  []idPath{{"source-identity", "DomainSettings.ExecutionRoleIdentityConfig"}}},
	{name: "kms unset", without: []string{"kms"},
		want: []idPath{{"kms-key", "KmsKeyId"}}},
	{name: "kms by its deprecated name", without: []string{"kms"}, deprecatedKMS: true},
	{name: "notebook output allowed",
		extra: []smdomain.Option{smdomain.WithDefaultUserSettings(&types.UserSettings{SharingSettings: &types.SharingSettings{
			NotebookOutputOption: types.NotebookOutputOptionAllowed, S3OutputPath: aws.String("s3://ml-shared/notebooks")}})},
		want: []idPath{{"notebook-sharing", "DefaultUserSettings.SharingSettings.NotebookOutputOption"}}},
	{name: "notebook output disabled",
		extra: []smdomain.Option{smdomain.WithDefaultUserSettings(&types.UserSettings{SharingSettings: &types.SharingSettings{
			NotebookOutputOption: types.NotebookOutputOptionDisabled}})}},
	{name: "docker enabled",
		extra: []smdomain.Option{smdomain.WithDomainSettings(&types.DomainSettings{DockerSettings: &types.DockerSettings{EnableDockerAccess: types.FeatureStatusEnabled}})},
		want:  []idPath{{"docker-access", "DomainSettings.DockerSettings.EnableDockerAccess"}}},
	{name: "docker disabled",
		extra: []smdomain.Option{smdomain.WithDomainSettings(&types.DomainSettings{DockerSettings: &types.DockerSettings{EnableDockerAccess: types.FeatureStatusDisabled}})}},
	{name: "rstudio admin by default",
		extra: []smdomain.Option{smdomain.WithDefaultUserSettings(&types.UserSettings{RStudioServerProAppSettings: &types.RStudioServerProAppSettings{UserGroup: types.RStudioServerProUserGroupAdmin}})},
		want:  []idPath{{"rstudio-admin", "DefaultUserSettings.RStudioServerProAppSettings.UserGroup"}}},
	{name: "rstudio user by default",
		extra: []smdomain.Option{smdomain.WithDefaultUserSettings(&types.UserSettings{RStudioServerProAppSettings: &types.RStudioServerProAppSettings{UserGroup: types.RStudioServerProUserGroupUser}})}},
}

func TestSpecAuditRules(t *testing.T) {
	for _, tc := range auditCases {
		t.Run(tc.name, func(t *testing.T) {
			spec := mustSpec(t, "ml-platform", auditOptions(tc.without, tc.extra...)...)
			if tc.deprecatedKMS {
				// Through the JSON form, as a file written for the aws CLI
				// would carry it.
				data, err := json.Marshal(spec)
				if err != nil {
					t.Fatal(err)
				}
				doc := strings.Replace(string(data), "{", `{"HomeEfsFileSystemKmsKeyId":"`+auditKMSKey+`",`, 1)
				if spec, err = smdomain.LoadSpecJSON(strings.NewReader(doc)); err != nil {
					t.Fatal(err)
				}
			}
			got := spec.Audit()
			if diff := cmp.Diff(tc.want, idPaths(got)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			for _, f := range got {
				if f.Detail == "" || strings.Count(f.Detail, ". ") > 0 || !strings.HasSuffix(f.Detail, ".") {
					t.Errorf("%s: Detail is not one sentence: %q", f.ID, f.Detail)
				}
			}
		})
	}
}

// An unset field is judged by the service's default, and the Detail says so.
func TestSpecAuditUnsetSaysDefault(t *testing.T) {
	spec := mustSpec(t, "ml-platform", smdomain.WithExecutionRole(testRole))
	got := spec.Audit()
	if diff := cmp.Diff([]string{"network-egress", "kms-key", "source-identity", "idle-shutdown", "session-name", "sso-auth", "untagged"}, ids(got)); diff != "" {
		t.Fatalf("findings of a bare spec (-want +got):\n%s", diff)
	}
	for _, f := range got {
		if f.ID == "sso-auth" || f.ID == "untagged" {
			continue // AuthMode is IAM unless set; tags are absent, not unset
		}
		if !strings.HasPrefix(f.Detail, "unset") {
			t.Errorf("%s: Detail does not say the field is unset: %q", f.ID, f.Detail)
		}
	}
	if d := got[0].Detail; !strings.Contains(d, "PublicInternetOnly") || !strings.Contains(d, "WithAppNetworkAccessType(types.AppNetworkAccessTypeVpcOnly)") {
		t.Errorf("network-egress Detail names neither the default nor the option: %q", d)
	}
}

// Every rule at once: sorted by severity, then ID.
func TestSpecAuditOrder(t *testing.T) {
	spec := mustSpec(t, "ml-platform", auditEverythingRisky()...)
	want := []smdomain.Severity{smdomain.SeverityHigh, smdomain.SeverityMedium, smdomain.SeverityMedium,
		smdomain.SeverityMedium, smdomain.SeverityMedium, smdomain.SeverityLow, smdomain.SeverityLow,
		smdomain.SeverityLow, smdomain.SeverityLow, smdomain.SeverityLow}
	got := spec.Audit()
	var sev []smdomain.Severity
	for _, f := range got {
		sev = append(sev, f.Severity)
	}
	if diff := cmp.Diff(want, sev); diff != "" {
		t.Errorf("severities (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"network-egress", "docker-access", "kms-key", "notebook-sharing", "source-identity",
		"idle-shutdown", "rstudio-admin", "session-name", "sso-auth", "untagged"}, ids(got)); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
}

func TestSpecAuditZero(t *testing.T) {
	var nilSpec *smdomain.Spec
	if got := nilSpec.Audit(); got != nil {
		t.Errorf("nil spec: %v, want nil", got)
	}
	if got := new(smdomain.Spec).Audit(); got != nil {
		t.Errorf("zero spec: %v, want nil", got)
	}
}

// auditEverythingRisky sets every audited field to the value its rule
// flags, so a spec and the domain made from it can be compared field by
// field.
func auditEverythingRisky() []smdomain.Option {
	return []smdomain.Option{
		smdomain.WithExecutionRole(testRole),
		smdomain.WithAppNetworkAccessType(types.AppNetworkAccessTypePublicInternetOnly),
		smdomain.WithDomainSettings(&types.DomainSettings{
			ExecutionRoleIdentityConfig: types.ExecutionRoleIdentityConfigDisabled,
			DockerSettings:              &types.DockerSettings{EnableDockerAccess: types.FeatureStatusEnabled},
		}),
		smdomain.WithDefaultUserSettings(&types.UserSettings{
			SharingSettings: &types.SharingSettings{NotebookOutputOption: types.NotebookOutputOptionAllowed,
				S3OutputPath: aws.String("s3://ml-shared/notebooks")},
			RStudioServerProAppSettings: &types.RStudioServerProAppSettings{UserGroup: types.RStudioServerProUserGroupAdmin},
		}),
	}
}

// A domain created without network settings is reported from the value
// the server filled in, not from the spec.
func TestAuditDomainServerDefaults(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if _, err := e.sm.CreateDomain(ctx, &sagemaker.CreateDomainInput{
		DomainName:          aws.String("by-hand"),
		AuthMode:            types.AuthModeIam,
		DefaultUserSettings: &types.UserSettings{ExecutionRole: aws.String(testRole)},
	}); err != nil {
		t.Fatal(err)
	}
	got, err := e.client.AuditDomain(ctx, smdomain.ByName("by-hand"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]idPath{
		{"network-egress", "AppNetworkAccessType"},
		{"kms-key", "KmsKeyId"},
		{"source-identity", "DomainSettings.ExecutionRoleIdentityConfig"},
		{"idle-shutdown", "DefaultUserSettings.JupyterLabAppSettings.AppLifecycleManagement.IdleSettings.LifecycleManagement"},
		{"session-name", "DefaultUserSettings.StudioWebPortalSettings.ExecutionRoleSessionNameMode"},
		{"sso-auth", "AuthMode"},
		{"untagged", "Tags"},
	}, idPaths(got)); diff != "" {
		t.Fatalf("findings (-want +got):\n%s", diff)
	}
	if d := got[0].Detail; !strings.HasPrefix(d, "PublicInternetOnly,") {
		t.Errorf("network-egress on a live domain should name the server's value: %q", d)
	}
	if d := got[2].Detail; !strings.HasPrefix(d, "DISABLED,") {
		t.Errorf("source-identity on a live domain should name the server's value: %q", d)
	}
	for _, op := range e.ops() {
		if slices.Contains(writeOps, op) && op != "CreateDomain" {
			t.Errorf("AuditDomain wrote: %s", op)
		}
	}
}

// The spec's audit and the audit of the domain made from it agree.
func TestAuditSpecAndDomainAgree(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []smdomain.Option
	}{
		{"every audited field set", append(auditEverythingRisky(), smdomain.WithKMSKey(auditKMSKey))},
		{"every audited field set, risky KMS", auditEverythingRisky()},
		{"hardened", auditOptions(nil)},
		{"hardened but for the network", auditOptions([]string{"network"})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			spec := mustSpec(t, "ml-platform", tc.opts...)
			mustEnsure(t, e.client, spec)
			live, err := e.client.AuditDomain(context.Background(), smdomain.ByName("ml-platform"))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(idPaths(spec.Audit()), idPaths(live)); diff != "" {
				t.Errorf("spec audit vs live audit (-spec +live):\n%s", diff)
			}
		})
	}
}

func TestAuditDomainErrors(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if _, err := e.client.AuditDomain(ctx, smdomain.ByName("nope")); !errors.Is(err, smdomain.ErrNotFound) {
		t.Errorf("missing domain: %v, want ErrNotFound", err)
	}
	for range 2 {
		if _, err := e.sm.CreateDomain(ctx, &sagemaker.CreateDomainInput{
			DomainName:          aws.String("twice"),
			AuthMode:            types.AuthModeIam,
			DefaultUserSettings: &types.UserSettings{ExecutionRole: aws.String(testRole)},
		}); err != nil {
			t.Fatal(err)
		}
	}
	var amb *smdomain.AmbiguousNameError
	if _, err := e.client.AuditDomain(ctx, smdomain.ByName("twice")); !errors.As(err, &amb) || len(amb.DomainIDs) != 2 {
		t.Errorf("two domains with the name: %v, want *AmbiguousNameError with 2 IDs", err)
	}
}

// The members' rules, and one rule set: a live team audits as its spec.
func TestAuditMembers(t *testing.T) {
	e := newEnv(t)
	alice := mustProfile(t, "alice", smdomain.WithTags(map[string]string{"team": "fraud"}))
	bob := mustProfile(t, "bob", smdomain.WithSecurityGroups("sg-0abc1234def567890", "sg-0bob1234def567890"),
		smdomain.WithTags(map[string]string{"team": "churn"}))
	carol := mustProfile(t, "carol", smdomain.WithExecutionRole("arn:aws:iam::123456789012:role/carol"))
	project := mustSpace(t, "fraud-detection", smdomain.WithSpaceSharing(types.SharingTypeShared),
		smdomain.WithTags(map[string]string{"project": "fraud"}))
	spec := mustSpec(t, "audited", seedOptions(smdomain.WithUserProfiles(alice, bob, carol), smdomain.WithSpaces(project))...)
	var members []string
	for _, f := range spec.Audit() {
		if f.Resource != "" {
			members = append(members, f.ID+" "+f.Resource+" "+f.Path)
		}
	}
	want := []string{
		"profile-widens-network UserProfiles.bob UserSettings.SecurityGroups",
		"shared-role UserProfiles.alice UserSettings.ExecutionRole",
		"shared-role UserProfiles.bob UserSettings.ExecutionRole",
		"member-untagged UserProfiles.carol Tags",
		"shared-space-role Spaces.fraud-detection SpaceSharingSettings.SharingType",
	}
	if diff := cmp.Diff(want, members); diff != "" {
		t.Errorf("member findings (-want +got):\n%s", diff)
	}
	withIdentity := mustSpec(t, "audited", seedOptions(smdomain.WithSourceIdentity(), smdomain.WithUserProfiles(alice, bob))...)
	for _, f := range withIdentity.Audit() {
		if f.ID == "shared-role" {
			t.Errorf("shared-role with source identity on: %+v", f)
		}
	}

	mustEnsure(t, e.client, spec)
	live, err := e.client.AuditDomain(context.Background(), smdomain.ByName("audited"))
	if err != nil {
		t.Fatal(err)
	}
	var liveMembers []string
	for _, f := range live {
		if f.Resource != "" {
			liveMembers = append(liveMembers, f.ID+" "+f.Resource+" "+f.Path)
		}
	}
	if diff := cmp.Diff(want, liveMembers); diff != "" {
		t.Errorf("live member findings differ from the spec's (-spec +live):\n%s", diff)
	}
}
