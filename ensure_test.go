package smdomain_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/aws/smithy-go"
	"github.com/finegrained/smdomain"
	"github.com/finegrained/smdomain/smdomaintest"
	"github.com/google/go-cmp/cmp"
)

func TestEnsureCreatesThenUnchanged(t *testing.T) {
	e := newEnv(t)
	spec := mustSpec(t, "ml-platform", seedOptions()...)
	res := mustEnsure(t, e.client, spec)
	if res.Action != smdomain.ActionCreated {
		t.Fatalf("first Ensure: action %q, want created", res.Action)
	}
	d := res.Domain
	if d.Status != "InService" || d.ID == "" || d.URL == "" || d.ARN == "" || d.HomeEFSFileSystemID == "" {
		t.Fatalf("created domain incomplete: %+v", d)
	}
	if diff := cmp.Diff([]string{"subnet-0abc1234def567890"}, d.SubnetIDs); diff != "" {
		t.Errorf("subnets (-want +got):\n%s", diff)
	}
	if got := e.count("CreateDomain"); got != 1 {
		t.Errorf("CreateDomain calls = %d, want 1", got)
	}
	if diff := cmp.Diff(map[string]string{"Environment": "Development", "Project": "MachineLearning"}, liveTags(t, e, d.ARN)); diff != "" {
		t.Errorf("tags after create (-want +got):\n%s", diff)
	}

	e.srv.ResetCalls()
	res = mustEnsure(t, e.client, spec)
	if res.Action != smdomain.ActionUnchanged || len(res.Changes) != 0 {
		t.Fatalf("second Ensure: %q with %d changes, want unchanged", res.Action, len(res.Changes))
	}
	if w := e.writes(); len(w) != 0 {
		t.Errorf("second Ensure wrote %v", w)
	}
	// The exact calls of a no-op are TestBudgetEnsure's subject.
	if res.Domain.ID != d.ID {
		t.Errorf("unchanged domain ID %s, want %s", res.Domain.ID, d.ID)
	}
}

// TestEnsureUpdatesEachFieldAlone changes one updatable field at a time and
// checks that exactly one UpdateDomain carries it and nothing unrelated.
func TestEnsureUpdatesEachFieldAlone(t *testing.T) {
	tests := []struct {
		name   string
		change smdomain.Option
		path   string
		fields []string // top-level members of the UpdateDomain body
	}{
		{"subnets", smdomain.WithVPC("vpc-0abc1234def567890", "subnet-0abc1234def567890", "subnet-0fff1234def567890"),
			"SubnetIds", []string{"DomainId", "SubnetIds"}},
		{"user security groups", smdomain.WithSecurityGroups("sg-0abc1234def567890", "sg-0fff1234def567890"),
			"DefaultUserSettings.SecurityGroups", []string{"DefaultUserSettings", "DomainId"}},
		{"execution role", smdomain.WithExecutionRole("arn:aws:iam::123456789012:role/Other"),
			"DefaultUserSettings.ExecutionRole", []string{"DefaultUserSettings", "DomainId"}},
		{"network access", smdomain.WithAppNetworkAccessType(types.AppNetworkAccessTypeVpcOnly),
			"AppNetworkAccessType", []string{"AppNetworkAccessType", "DomainId", "SubnetIds"}},
		{"domain security groups", smdomain.WithDomainSecurityGroups("sg-0ddd1234def567890"),
			"DomainSettings.SecurityGroupIds", []string{"DomainId", "DomainSettingsForUpdate"}},
		{"source identity", smdomain.WithSourceIdentity(),
			"DomainSettings.ExecutionRoleIdentityConfig", []string{"DomainId", "DomainSettingsForUpdate"}},
		{"tag propagation", smdomain.WithTagPropagation(types.TagPropagationEnabled),
			"TagPropagation", []string{"DomainId", "TagPropagation"}},
		{"app security group management", smdomain.WithAppSecurityGroupManagement(types.AppSecurityGroupManagementService),
			"AppSecurityGroupManagement", []string{"AppSecurityGroupManagement", "DomainId"}},
		{"space settings", smdomain.WithDefaultSpaceSettings(&types.DefaultSpaceSettings{ExecutionRole: aws.String("arn:aws:iam::123456789012:role/SpaceRole")}),
			"DefaultSpaceSettings.ExecutionRole", []string{"DefaultSpaceSettings", "DomainId"}},
		{"user settings struct", smdomain.WithDefaultUserSettings(&types.UserSettings{StudioWebPortal: types.StudioWebPortalDisabled}),
			"DefaultUserSettings.StudioWebPortal", []string{"DefaultUserSettings", "DomainId"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			first := mustEnsure(t, e.client, mustSpec(t, "upd", seedOptions()...))
			e.srv.ResetCalls()
			res := mustEnsure(t, e.client, mustSpec(t, "upd", seedOptions(tt.change)...))
			if res.Action != smdomain.ActionUpdated {
				t.Fatalf("action %q, want updated", res.Action)
			}
			var paths []string
			for _, c := range res.Changes {
				paths = append(paths, c.Path)
			}
			if diff := cmp.Diff([]string{tt.path}, paths); diff != "" {
				t.Errorf("changes (-want +got):\n%s", diff)
			}
			var updates []smdomaintest.Call
			for _, c := range e.srv.Calls() {
				if c.Operation == "UpdateDomain" {
					updates = append(updates, c)
				}
			}
			if len(updates) != 1 {
				t.Fatalf("UpdateDomain calls = %d, want 1 (calls: %v)", len(updates), e.ops())
			}
			if diff := cmp.Diff(tt.fields, updates[0].Fields); diff != "" {
				t.Errorf("UpdateDomain fields (-want +got):\n%s", diff)
			}
			if w := e.writes(); !slices.Equal(w, []string{"UpdateDomain"}) {
				t.Errorf("writes = %v, want one UpdateDomain", w)
			}
			if res.Domain.ID != first.Domain.ID || res.Domain.Status != "InService" {
				t.Errorf("domain after update: %s %s, want %s InService", res.Domain.ID, res.Domain.Status, first.Domain.ID)
			}
			// The update converged: the next Ensure has nothing to do.
			if again := mustEnsure(t, e.client, mustSpec(t, "upd", seedOptions(tt.change)...)); again.Action != smdomain.ActionUnchanged {
				t.Errorf("Ensure after update: %q %v, want unchanged", again.Action, again.Changes)
			}
		})
	}
}

func TestEnsureTags(t *testing.T) {
	e := newEnv(t)
	res := mustEnsure(t, e.client, mustSpec(t, "tagged", seedOptions()...))
	arn := res.Domain.ARN
	// A tag the service manages is never touched.
	e.srv.SetTags(arn, map[string]string{"aws:cloudformation:stack-name": "s"})
	e.srv.ResetCalls()
	spec := mustSpec(t, "tagged", smdomain.WithVPC("vpc-0abc1234def567890", "subnet-0abc1234def567890"),
		smdomain.WithExecutionRole(testRole), smdomain.WithSecurityGroups("sg-0abc1234def567890"),
		smdomain.WithTags(map[string]string{
			"Environment": "Production", // changed
			"Team":        "Data",       // added; Project removed
		}))
	res = mustEnsure(t, e.client, spec)
	want := []smdomain.Change{
		{Path: "Tags.Environment", From: "Development", To: "Production"},
		{Path: "Tags.Project", From: "MachineLearning"},
		{Path: "Tags.Team", To: "Data"},
	}
	if diff := cmp.Diff(want, res.Changes); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"DeleteTags", "AddTags"}, e.writes()); diff != "" {
		t.Errorf("writes (-want +got):\n%s", diff)
	}
	wantTags := map[string]string{"Environment": "Production", "Team": "Data", "aws:cloudformation:stack-name": "s"}
	if diff := cmp.Diff(wantTags, liveTags(t, e, arn)); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
	// A spec without tags leaves them alone.
	e.srv.ResetCalls()
	untagged := mustSpec(t, "tagged", smdomain.WithVPC("vpc-0abc1234def567890", "subnet-0abc1234def567890"),
		smdomain.WithExecutionRole(testRole), smdomain.WithSecurityGroups("sg-0abc1234def567890"))
	if res := mustEnsure(t, e.client, untagged); res.Action != smdomain.ActionUnchanged {
		t.Errorf("untagged spec: %q %v, want unchanged", res.Action, res.Changes)
	}
	if slices.Contains(e.ops(), "ListTags") {
		t.Errorf("a spec that does not manage tags listed them: %v", e.ops())
	}
}

// TestEnsureSparesAWSTagsInAnyCase puts tags AWS owns, spelt in other
// cases (AWS Backup writes "AWS:Backup:..."), on a domain whose tags the
// spec manages: they are never planned for removal, and an Ensure that
// changes a setting sends its UpdateDomain and no DeleteTags.
func TestEnsureSparesAWSTagsInAnyCase(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	arn := mustEnsure(t, e.client, mustSpec(t, "backed-up", seedOptions()...)).Domain.ARN
	system := map[string]string{"AWS:Backup:plan": "daily", "Aws:servicecatalog:product": "p"}
	e.srv.SetTags(arn, system)
	spec := mustSpec(t, "backed-up", seedOptions(smdomain.WithSecurityGroups("sg-0fff1234def567890"))...)
	p, err := e.newClient().Plan(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"DefaultUserSettings.SecurityGroups"}, changePaths(p.Changes)); diff != "" {
		t.Errorf("plan changes (-want +got):\n%s", diff)
	}
	e.srv.ResetCalls()
	res, err := e.newClient().Ensure(ctx, spec)
	if err != nil {
		t.Fatalf("Ensure: %v", err)
	}
	if res.Action != smdomain.ActionUpdated {
		t.Errorf("action %q, want updated", res.Action)
	}
	if diff := cmp.Diff([]string{"UpdateDomain"}, e.writes()); diff != "" {
		t.Errorf("writes (-want +got):\n%s", diff)
	}
	want := map[string]string{"Environment": "Development", "Project": "MachineLearning"}
	maps.Copy(want, system)
	if diff := cmp.Diff(want, liveTags(t, e, arn)); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
}

func changePaths(changes []smdomain.Change) []string {
	var out []string
	for _, c := range changes {
		out = append(out, c.Path)
	}
	return out
}

func TestEnsureReplacementRequired(t *testing.T) {
	tests := []struct {
		name  string
		opt   smdomain.Option
		paths []string
	}{
		{"auth mode", smdomain.WithAuthMode(types.AuthModeSso), []string{"AuthMode"}},
		{"kms key", smdomain.WithKMSKey("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"), []string{"KmsKeyId"}},
		{"vpc", smdomain.WithVPC("vpc-0fff1234def567890", "subnet-0abc1234def567890"), []string{"VpcId"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			mustEnsure(t, e.client, mustSpec(t, "repl", seedOptions()...))
			spec := mustSpec(t, "repl", seedOptions(tt.opt)...)
			plan, err := e.client.Plan(context.Background(), spec)
			if err != nil {
				t.Fatal(err)
			}
			if plan.Action != smdomain.PlanReplaceRequired {
				t.Errorf("plan action %q, want replace-required", plan.Action)
			}
			e.srv.ResetCalls()
			_, err = e.client.Ensure(context.Background(), spec)
			var rre *smdomain.ReplacementRequiredError
			if !errors.As(err, &rre) {
				t.Fatalf("Ensure error = %v, want *ReplacementRequiredError", err)
			}
			var paths []string
			for _, c := range rre.Changes {
				paths = append(paths, c.Path)
			}
			if diff := cmp.Diff(tt.paths, paths); diff != "" {
				t.Errorf("replacement fields (-want +got):\n%s", diff)
			}
			if w := e.writes(); len(w) != 0 {
				t.Errorf("Ensure wrote %v despite needing replacement", w)
			}
		})
	}
}

func TestEnsureWaitsForPendingAndDeleting(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	spec := mustSpec(t, "busy", seedOptions()...)
	in := spec.CreateDomainInput()
	out, err := e.sm.CreateDomain(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	// Pending: Ensure waits, then finds nothing to do.
	res := mustEnsure(t, e.client, spec)
	if res.Action != smdomain.ActionUnchanged || res.Domain.ID != *out.DomainId || res.Domain.Status != "InService" {
		t.Fatalf("Ensure on a Pending domain: %q %s %s", res.Action, res.Domain.ID, res.Domain.Status)
	}
	// Deleting: Ensure waits until it is gone, then creates a new one.
	if _, err := e.sm.DeleteDomain(ctx, &sagemaker.DeleteDomainInput{DomainId: out.DomainId}); err != nil {
		t.Fatal(err)
	}
	res = mustEnsure(t, e.client, spec)
	if res.Action != smdomain.ActionCreated || res.Domain.ID == *out.DomainId {
		t.Fatalf("Ensure on a Deleting domain: %q %s", res.Action, res.Domain.ID)
	}
	if ids := e.srv.DomainIDs(); len(ids) != 1 {
		t.Errorf("domains = %v, want one", ids)
	}
}

func TestEnsureStatuses(t *testing.T) {
	e := newEnv(t)
	spec := mustSpec(t, "status", seedOptions()...)
	res := mustEnsure(t, e.client, spec)
	id := res.Domain.ID

	if err := e.srv.SetDomainStatus(id, "Failed", "EFS quota exceeded"); err != nil {
		t.Fatal(err)
	}
	_, err := e.client.Ensure(context.Background(), spec)
	var se *smdomain.StatusError
	if !errors.As(err, &se) || se.Status != "Failed" || se.FailureReason != "EFS quota exceeded" || se.DomainID != id {
		t.Fatalf("Ensure on a Failed domain: %v, want *StatusError with the reason", err)
	}

	// Update_Failed: Ensure plans and updates again.
	if err := e.srv.SetDomainStatus(id, "Update_Failed", "subnet not found"); err != nil {
		t.Fatal(err)
	}
	res = mustEnsure(t, e.client, mustSpec(t, "status", seedOptions(smdomain.WithSecurityGroups("sg-0fff1234def567890"))...))
	if res.Action != smdomain.ActionUpdated || res.Domain.Status != "InService" {
		t.Fatalf("Ensure on Update_Failed: %q %s, want updated InService", res.Action, res.Domain.Status)
	}
}

func TestEnsureLostCreateResponse(t *testing.T) {
	for _, fault := range []string{"lose", "throttle", "fail", "cut"} {
		t.Run(fault, func(t *testing.T) {
			e := newEnv(t)
			switch fault {
			case "lose":
				e.srv.LoseResponse("CreateDomain", 1)
			case "throttle":
				e.srv.Throttle("CreateDomain", 2)
			case "fail":
				e.srv.Fail("CreateDomain", 2)
			case "cut":
				e.srv.CutConnection("CreateDomain", 1)
			}
			res := mustEnsure(t, e.client, mustSpec(t, "lossy", seedOptions()...))
			if res.Action != smdomain.ActionCreated || res.Domain.Status != "InService" {
				t.Fatalf("result %q %s", res.Action, res.Domain.Status)
			}
			if ids := e.srv.DomainIDs(); len(ids) != 1 {
				t.Fatalf("domains = %v, want exactly one", ids)
			}
			if fault == "lose" && e.count("CreateDomain") != 1 {
				t.Errorf("CreateDomain sent %d times after a lost response, want 1", e.count("CreateDomain"))
			}
		})
	}
}

func TestEnsureConcurrentOneDomain(t *testing.T) {
	e := newEnv(t)
	spec := mustSpec(t, "crowd", seedOptions()...)
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Go(func() {
			if _, err := e.client.Ensure(context.Background(), spec); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := e.count("CreateDomain"); n != 1 {
		t.Errorf("CreateDomain calls = %d, want 1", n)
	}
	if ids := e.srv.DomainIDs(); len(ids) != 1 {
		t.Errorf("domains = %v, want one", ids)
	}
}

func TestEnsureCancelledMidWaitResumes(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	polls := 0
	e := newEnv(t, smdomain.WithWaitOptions(func(o *smdomain.DomainInServiceWaiterOptions) {
		o.Progress = func(smdomain.WaitProgress) {
			if polls++; polls == 3 {
				cancel()
			}
		}
	}))
	spec := mustSpec(t, "cancel", seedOptions()...)
	_, err := e.client.Ensure(ctx, spec)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Ensure after cancel: %v, want context.Canceled", err)
	}
	res := mustEnsure(t, e.newClient(), spec)
	if res.Action != smdomain.ActionUnchanged || res.Domain.Status != "InService" {
		t.Fatalf("resumed Ensure: %q %s", res.Action, res.Domain.Status)
	}
	if n := e.count("CreateDomain"); n != 1 {
		t.Errorf("CreateDomain calls = %d, want 1", n)
	}
}

func TestEnsureRefusesCrossAccountRole(t *testing.T) {
	e := newEnv(t)
	other := "arn:aws:iam::210987654321:role/Elsewhere"
	spec := mustSpec(t, "xacct", seedOptions(smdomain.WithExecutionRole(other))...)
	_, err := e.client.Ensure(context.Background(), spec)
	var rae *smdomain.RoleAccountError
	if !errors.As(err, &rae) || rae.Role != other || rae.CallerAccount != "123456789012" || rae.RoleAccount != "210987654321" {
		t.Fatalf("Ensure: %v, want *RoleAccountError naming the role and accounts", err)
	}
	if w := e.writes(); len(w) != 0 {
		t.Errorf("wrote %v before refusing", w)
	}
	gov := mustSpec(t, "xpart", seedOptions(smdomain.WithExecutionRole("arn:aws-us-gov:iam::123456789012:role/Gov"))...)
	if _, err := e.newClient(smdomain.WithCrossAccountRoles()).Ensure(context.Background(), gov); !errors.As(err, &rae) || rae.RolePartition != "aws-us-gov" {
		t.Fatalf("Ensure with a role in another partition: %v", err)
	}
	// Allowed explicitly, the cross-account role is accepted.
	if res := mustEnsure(t, e.newClient(smdomain.WithCrossAccountRoles()), spec); res.Action != smdomain.ActionCreated {
		t.Fatalf("with WithCrossAccountRoles: %q", res.Action)
	}
}

// TestEnsureOneWayFields covers the settings UpdateDomain changes in one
// direction only: a VPC can be added to a domain that has none, and home
// EFS creation can go from Disabled to Enabled, but not back.
func TestEnsureOneWayFields(t *testing.T) {
	noVPC := []smdomain.Option{smdomain.WithExecutionRole(testRole)}
	tests := []struct {
		name        string
		before      []smdomain.Option
		after       []smdomain.Option
		fields      []string // of the one UpdateDomain; nil when replacement is required
		replacement []string
	}{
		{"add a VPC", noVPC,
			append(slices.Clone(noVPC), smdomain.WithVPC("vpc-0abc1234def567890", "subnet-0abc1234def567890")),
			[]string{"DomainId", "SubnetIds", "VpcId"}, nil},
		{"home EFS Disabled to Enabled",
			append(slices.Clone(noVPC), smdomain.WithHomeEFSCreation(types.HomeEfsFileSystemCreationDisabled)),
			append(slices.Clone(noVPC), smdomain.WithHomeEFSCreation(types.HomeEfsFileSystemCreationEnabled)),
			[]string{"DomainId", "HomeEfsFileSystemCreation"}, nil},
		{"home EFS Enabled to Disabled",
			append(slices.Clone(noVPC), smdomain.WithHomeEFSCreation(types.HomeEfsFileSystemCreationEnabled)),
			append(slices.Clone(noVPC), smdomain.WithHomeEFSCreation(types.HomeEfsFileSystemCreationDisabled)),
			nil, []string{"HomeEfsFileSystemCreation"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			mustEnsure(t, e.client, mustSpec(t, "oneway", tt.before...))
			e.srv.ResetCalls()
			res, err := e.client.Ensure(context.Background(), mustSpec(t, "oneway", tt.after...))
			if tt.replacement != nil {
				var rre *smdomain.ReplacementRequiredError
				if !errors.As(err, &rre) || len(rre.Changes) != 1 || rre.Changes[0].Path != tt.replacement[0] {
					t.Fatalf("Ensure: %v, want *ReplacementRequiredError on %v", err, tt.replacement)
				}
				if w := e.writes(); len(w) != 0 {
					t.Errorf("wrote %v", w)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Action != smdomain.ActionUpdated {
				t.Fatalf("action %q, want updated", res.Action)
			}
			for _, c := range e.srv.Calls() {
				if c.Operation == "UpdateDomain" {
					if diff := cmp.Diff(tt.fields, c.Fields); diff != "" {
						t.Errorf("UpdateDomain fields (-want +got):\n%s", diff)
					}
				}
			}
			if w := e.writes(); !slices.Equal(w, []string{"UpdateDomain"}) {
				t.Errorf("writes = %v, want one UpdateDomain", w)
			}
		})
	}
}

// A change to one member of the RStudio domain settings is sent in
// RStudioServerProDomainSettingsForUpdate, whose DomainExecutionRoleArn the
// model requires: the update must carry it alongside.
func TestEnsureRStudioSettingCarriesDomainRole(t *testing.T) {
	e := newEnv(t)
	rs := func(instance types.AppInstanceType) smdomain.Option {
		return smdomain.WithDomainSettings(&types.DomainSettings{
			RStudioServerProDomainSettings: &types.RStudioServerProDomainSettings{
				DomainExecutionRoleArn: aws.String(rstudioRole),
				DefaultResourceSpec:    &types.ResourceSpec{InstanceType: instance},
			},
		})
	}
	mustEnsure(t, e.client, mustSpec(t, "rs", smdomain.WithExecutionRole(testRole), rs(types.AppInstanceTypeSystem)))
	spec := mustSpec(t, "rs", smdomain.WithExecutionRole(testRole), rs(types.AppInstanceTypeMlT3Medium))
	res, err := e.client.Ensure(context.Background(), spec)
	if err != nil {
		t.Fatalf("Ensure with a changed RStudio DefaultResourceSpec: %v", err)
	}
	if res.Action != smdomain.ActionUpdated {
		t.Fatalf("action %q, want updated", res.Action)
	}
	p, err := e.client.Plan(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	if p.Action != smdomain.PlanNoOp {
		t.Fatalf("plan after update:\n%s", p)
	}
}

// A domain created without HomeEfsFileSystemCreation has a home EFS volume
// (Enabled is the service's default); asking for Disabled needs a new
// domain, so Plan must say replace-required and Ensure must write nothing.
func TestPlanHomeEFSDisabledOnDefaultDomainForcesReplacement(t *testing.T) {
	e := newEnv(t)
	mustEnsure(t, e.client, mustSpec(t, "efs", smdomain.WithExecutionRole(testRole)))
	spec := mustSpec(t, "efs", smdomain.WithExecutionRole(testRole),
		smdomain.WithHomeEFSCreation(types.HomeEfsFileSystemCreationDisabled))
	p, err := e.client.Plan(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	if p.Action != smdomain.PlanReplaceRequired {
		t.Errorf("plan:\n%s want replace-required", p)
	}
	e.srv.ResetCalls()
	_, err = e.client.Ensure(context.Background(), spec)
	var rr *smdomain.ReplacementRequiredError
	if !errors.As(err, &rr) {
		t.Errorf("Ensure: %v, want *ReplacementRequiredError", err)
	}
	if w := e.writes(); len(w) != 0 {
		t.Errorf("Delete writes: %v, want none", w)
	}
}

// Ensure on an Update_Failed domain whose settings already match but whose
// tags differ must not report success with the domain still Update_Failed
// (the same Ensure with matching tags is a *StatusError).
func TestEnsureUpdateFailedTagOnlyChange(t *testing.T) {
	e := newEnv(t)
	res := mustEnsure(t, e.client, mustSpec(t, "uf", seedOptions()...))
	if err := e.srv.SetDomainStatus(res.Domain.ID, "Update_Failed", "subnet gone"); err != nil {
		t.Fatal(err)
	}
	spec := mustSpec(t, "uf", seedOptions(smdomain.WithTags(map[string]string{"Project": "Other"}))...)
	res, err := e.client.Ensure(context.Background(), spec)
	if err == nil {
		t.Fatalf("Ensure: action %q, domain status %q, nil error; want *StatusError", res.Action, res.Domain.Status)
	}
	var se *smdomain.StatusError
	if !errors.As(err, &se) || se.Status != "Update_Failed" {
		t.Fatalf("Ensure: %v, want *StatusError Update_Failed", err)
	}
}

// A domain with 50 tags (the most a resource may carry) and a spec of 50
// tags that swaps one key: the target is valid, so Ensure must reach it
// (the removed tag must go before the new one is added).
func TestEnsureTagSwapAtTagLimit(t *testing.T) {
	e := newEnv(t)
	tags := func(from int) map[string]string {
		m := map[string]string{}
		for i := from; i < from+50; i++ {
			m[fmt.Sprintf("k%02d", i)] = "v"
		}
		return m
	}
	// Made elsewhere: Ensure would not create a domain of 50 tags, since
	// its create token takes one of them (TestCreateTagsLeaveRoomForToken).
	if _, err := e.sm.CreateDomain(context.Background(),
		mustSpec(t, "tl", smdomain.WithExecutionRole(testRole), smdomain.WithTags(tags(0))).CreateDomainInput()); err != nil {
		t.Fatal(err)
	}
	spec := mustSpec(t, "tl", smdomain.WithExecutionRole(testRole), smdomain.WithTags(tags(1)))
	res, err := e.client.Ensure(context.Background(), spec)
	if err != nil {
		t.Fatalf("Ensure: %v", err)
	}
	if res.Action != smdomain.ActionUpdated {
		t.Errorf("action %q, want updated", res.Action)
	}
	p, err := e.client.Plan(context.Background(), spec)
	if err != nil || p.Action != smdomain.PlanNoOp {
		t.Fatalf("plan after Ensure: %v\n%s", err, p)
	}
}

// TestEnsureReportsRejectedUpdate: when the service rejects UpdateDomain,
// Ensure returns the service's error (reachable with errors.As) and no
// Result, and the next Plan still shows the change, so no caller can take a
// rejected update for a success.
func TestEnsureReportsRejectedUpdate(t *testing.T) {
	clock := smdomaintest.NewFakeClock(time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC))
	srv := smdomaintest.NewServer(smdomaintest.WithClock(clock))
	t.Cleanup(srv.Close)
	client := smdomain.NewFromConfig(srv.AWSConfig(), smdomain.WithClock(clock))
	ctx := context.Background()
	opts := []smdomain.Option{
		smdomain.WithVPC("vpc-0abc1234def567890", "subnet-0abc1234def567890"),
		smdomain.WithExecutionRole("arn:aws:iam::123456789012:role/SageMakerExecutionRole"),
		smdomain.WithSecurityGroups("sg-0abc1234def567890"),
	}
	spec, err := smdomain.NewSpec("rejected", opts...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Ensure(ctx, spec); err != nil {
		t.Fatal(err)
	}
	changed, err := smdomain.NewSpec("rejected", append(opts, smdomain.WithAppNetworkAccessType(types.AppNetworkAccessTypeVpcOnly))...)
	if err != nil {
		t.Fatal(err)
	}

	srv.Fail("UpdateDomain", 100)
	res, err := client.Ensure(ctx, changed)
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("Ensure = %v, %v; want the service's error", res, err)
	}
	if res != nil {
		t.Errorf("Ensure returned a Result with its error: %+v", res)
	}
	plan, err := client.Plan(ctx, changed)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Action != smdomain.PlanUpdate {
		t.Errorf("plan after the rejected update: %q, want update", plan.Action)
	}
}

const rstudioRole = "arn:aws:iam::123456789012:role/RStudioDomainRole"
