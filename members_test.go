package smdomain_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/finegrained/smdomain"
	"github.com/google/go-cmp/cmp"
)

func TestEnsureTeamFileCreatesThenUnchanged(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	res := mustEnsure(t, e.client, team{}.spec(t))
	if res.Action != smdomain.ActionCreated {
		t.Errorf("action %q, want created", res.Action)
	}
	want := map[string]smdomain.Action{
		"user profile alice": smdomain.ActionCreated, "user profile bob": smdomain.ActionCreated,
		"space alice-scratch": smdomain.ActionCreated, "space fraud-detection": smdomain.ActionCreated,
	}
	if diff := cmp.Diff(want, memberActions(res.Members)); diff != "" {
		t.Errorf("member actions (-want +got):\n%s", diff)
	}
	// A profile before the spaces it owns.
	ops := e.memberWrites()
	if i, j := slices.Index(ops, "CreateUserProfile"), slices.Index(ops, "CreateSpace"); i < 0 || j < 0 || j < i || slices.Index(ops[j:], "CreateUserProfile") >= 0 {
		t.Errorf("writes %v: every CreateUserProfile must come before the CreateSpace calls", ops)
	}
	p, err := e.sm.DescribeUserProfile(ctx, &sagemaker.DescribeUserProfileInput{DomainId: aws.String(res.Domain.ID), UserProfileName: aws.String("alice")})
	if err != nil {
		t.Fatal(err)
	}
	if p.Status != types.UserProfileStatusInService || aws.ToString(p.UserSettings.ExecutionRole) != aliceRole {
		t.Errorf("alice: status %s role %s; want InService with %s", p.Status, aws.ToString(p.UserSettings.ExecutionRole), aliceRole)
	}
	tags, err := e.sm.ListTags(ctx, &sagemaker.ListTagsInput{ResourceArn: p.UserProfileArn})
	if err != nil {
		t.Fatal(err)
	}
	if len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Key) != "team" {
		t.Errorf("alice's tags %v, want team=fraud", tags.Tags)
	}

	e.srv.ResetCalls()
	again := mustEnsure(t, e.newClient(), team{}.spec(t))
	if again.Action != smdomain.ActionUnchanged {
		t.Errorf("second Ensure: action %q, want unchanged", again.Action)
	}
	if w := e.memberWrites(); len(w) != 0 {
		t.Errorf("second Ensure wrote %v, want nothing", w)
	}
	for _, m := range again.Members {
		if m.Action != smdomain.ActionUnchanged {
			t.Errorf("second Ensure: %s %s %s", m.Kind, m.Name, m.Action)
		}
	}
}

func TestPlanTeamFileIsReadOnlyAndOrdered(t *testing.T) {
	e := newEnv(t)
	mustEnsure(t, e.client, team{}.spec(t))
	e.srv.ResetCalls()
	plan, err := e.newClient().Plan(context.Background(), team{aliceRole: bobRole}.spec(t))
	if err != nil {
		t.Fatal(err)
	}
	if w := e.memberWrites(); len(w) != 0 {
		t.Fatalf("Plan wrote %v", w)
	}
	if plan.Action != smdomain.PlanUpdate {
		t.Errorf("action %q, want update", plan.Action)
	}
	want := []smdomain.Change{{Path: "UserProfiles.alice.UserSettings.ExecutionRole", From: aliceRole, To: bobRole}}
	if diff := cmp.Diff(want, plan.Changes); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
	var order []string
	for _, m := range plan.Members {
		order = append(order, string(m.Kind)+" "+m.Name+" "+string(m.Action))
	}
	wantOrder := []string{"user profile alice update", "user profile bob no-op", "space alice-scratch no-op", "space fraud-detection no-op"}
	if diff := cmp.Diff(wantOrder, order); diff != "" {
		t.Errorf("member order (-want +got):\n%s", diff)
	}
	if s := plan.String(); !strings.Contains(s, `user profile "alice": update`) || !strings.Contains(s, "~ UserProfiles.alice.UserSettings.ExecutionRole") {
		t.Errorf("plan text does not show alice's change:\n%s", s)
	}
}

func TestEnsureRefusesCreateOnlyMemberChangesWritingNothing(t *testing.T) {
	tests := []struct {
		name string
		spec func(t testing.TB) *smdomain.Spec
		path string
	}{
		{"sharing type", team{sharing: types.SharingTypePrivate}.spec, "Spaces.fraud-detection.SpaceSharingSettings.SharingType"},
		{"app type", func(t testing.TB) *smdomain.Spec {
			return mustSpec(t, "fraud-ml", seedOptions(
				smdomain.WithUserProfiles(mustProfile(t, "alice"), mustProfile(t, "bob")),
				smdomain.WithSpaces(mustSpace(t, "alice-scratch", smdomain.WithSpaceSharing(types.SharingTypePrivate),
					smdomain.WithSpaceOwner("alice"),
					smdomain.WithSpaceSettings(&types.SpaceSettings{AppType: types.AppTypeJupyterLab}))))...)
		}, "Spaces.alice-scratch.SpaceSettings.AppType"},
		{"space owner", func(t testing.TB) *smdomain.Spec {
			return mustSpec(t, "fraud-ml", seedOptions(
				smdomain.WithUserProfiles(mustProfile(t, "alice"), mustProfile(t, "bob")),
				smdomain.WithSpaces(mustSpace(t, "alice-scratch", smdomain.WithSpaceSharing(types.SharingTypePrivate),
					smdomain.WithSpaceOwner("bob"),
					smdomain.WithSpaceSettings(&types.SpaceSettings{AppType: types.AppTypeCodeEditor}))))...)
		}, "Spaces.alice-scratch.OwnershipSettings.OwnerUserProfileName"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			mustEnsure(t, e.client, team{}.spec(t))
			e.srv.ResetCalls()
			// A change to the domain in the same spec must not be written either.
			spec := tt.spec(t)
			_, err := e.client.Ensure(context.Background(), spec)
			var rr *smdomain.ReplacementRequiredError
			if !errors.As(err, &rr) {
				t.Fatalf("Ensure: %v, want *ReplacementRequiredError", err)
			}
			if len(rr.Changes) != 1 || rr.Changes[0].Path != tt.path {
				t.Errorf("replacements %+v, want one on %s", rr.Changes, tt.path)
			}
			if w := e.memberWrites(); len(w) != 0 {
				t.Errorf("wrote %v, want nothing", w)
			}
		})
	}
}

func TestEnsurePruneOffboardsUndeclaredOnly(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	res := mustEnsure(t, e.client, team{}.spec(t))
	id := res.Domain.ID
	// Bob starts an app in his own name and owns a private space with an app.
	for _, in := range []*sagemaker.CreateSpaceInput{{DomainId: aws.String(id), SpaceName: aws.String("bob-private"),
		OwnershipSettings:    &types.OwnershipSettings{OwnerUserProfileName: aws.String("bob")},
		SpaceSharingSettings: &types.SpaceSharingSettings{SharingType: types.SharingTypePrivate},
		SpaceSettings:        &types.SpaceSettings{AppType: types.AppTypeJupyterLab}}} {
		if _, err := e.sm.CreateSpace(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	e.clk.Advance(createDelay)
	if _, err := e.sm.CreateApp(ctx, &sagemaker.CreateAppInput{DomainId: aws.String(id), SpaceName: aws.String("bob-private"),
		AppType: types.AppTypeJupyterLab, AppName: aws.String("default")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.sm.CreateApp(ctx, &sagemaker.CreateAppInput{DomainId: aws.String(id), UserProfileName: aws.String("bob"),
		AppType: types.AppTypeJupyterServer, AppName: aws.String("default")}); err != nil {
		t.Fatal(err)
	}
	e.clk.Advance(createDelay)

	spec := team{withoutB: true, prune: true}.spec(t)
	plan, err := e.client.Plan(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	wantGone := []string{"Apps.bob-private/JupyterLab/default", "Apps.bob/JupyterServer/default", "Spaces.bob-private", "UserProfiles.bob"}
	var got []string
	for _, m := range plan.Members {
		if m.Action == smdomain.PlanDelete {
			for _, ch := range m.Changes {
				got = append(got, ch.Path)
			}
		}
	}
	if diff := cmp.Diff(wantGone, got); diff != "" {
		t.Errorf("planned offboarding (-want +got):\n%s", diff)
	}
	if s := plan.String(); !strings.Contains(s, "loses access to their home directory") {
		t.Errorf("plan text does not say what bob loses:\n%s", s)
	}

	e.srv.ResetCalls()
	res = mustEnsure(t, e.client, spec)
	var deletes []string
	for _, c := range e.srv.Calls() {
		if strings.HasPrefix(c.Operation, "Delete") || strings.HasPrefix(c.Operation, "Update") || strings.HasPrefix(c.Operation, "Create") {
			deletes = append(deletes, c.Operation)
		}
	}
	if diff := cmp.Diff([]string{"DeleteApp", "DeleteApp", "DeleteSpace", "DeleteUserProfile"}, deletes); diff != "" {
		t.Errorf("writes (-want +got):\n%s", diff)
	}
	if got := memberActions(res.Members)["user profile bob"]; got != smdomain.ActionDeleted {
		t.Errorf("bob: %q, want deleted", got)
	}
	if _, err := e.sm.DescribeUserProfile(ctx, &sagemaker.DescribeUserProfileInput{DomainId: aws.String(id), UserProfileName: aws.String("bob")}); err == nil {
		t.Error("bob's profile is still there")
	}
	for _, name := range []string{"fraud-detection", "alice-scratch"} {
		if _, err := e.sm.DescribeSpace(ctx, &sagemaker.DescribeSpaceInput{DomainId: aws.String(id), SpaceName: aws.String(name)}); err != nil {
			t.Errorf("declared space %s: %v", name, err)
		}
	}
	if _, err := e.sm.DescribeDomain(ctx, &sagemaker.DescribeDomainInput{DomainId: aws.String(id)}); err != nil {
		t.Errorf("domain: %v", err)
	}
}

func TestEnsureWithoutPruneLeavesUndeclaredAlone(t *testing.T) {
	e := newEnv(t)
	mustEnsure(t, e.client, team{}.spec(t))
	e.srv.ResetCalls()
	res := mustEnsure(t, e.client, team{withoutB: true}.spec(t))
	if res.Action != smdomain.ActionUnchanged {
		t.Errorf("action %q, want unchanged", res.Action)
	}
	if w := e.memberWrites(); len(w) != 0 {
		t.Errorf("wrote %v", w)
	}
	for _, m := range res.Members {
		if m.Name == "bob" {
			t.Errorf("undeclared bob is listed: %+v", m)
		}
	}
}

func TestEnsureRefusesUnknownSpaceOwnerBeforeAnyWrite(t *testing.T) {
	e := newEnv(t)
	spec := mustSpec(t, "fraud-ml", seedOptions(smdomain.WithSpaces(mustSpace(t, "carol-scratch",
		smdomain.WithSpaceSharing(types.SharingTypePrivate), smdomain.WithSpaceOwner("carol"),
		smdomain.WithSpaceSettings(&types.SpaceSettings{AppType: types.AppTypeJupyterLab}))))...)
	_, err := e.client.Ensure(context.Background(), spec)
	var ve *smdomain.ValidationError
	if !errors.As(err, &ve) || !ve.Has("Spaces[carol-scratch].OwnershipSettings.OwnerUserProfileName", smdomain.RuleConflict) {
		t.Fatalf("Ensure: %v, want a problem on the owner", err)
	}
	if w := e.memberWrites(); len(w) != 0 {
		t.Errorf("wrote %v, want nothing (not even the domain)", w)
	}
}

func TestProfileNamesMatchWithoutCase(t *testing.T) {
	e := newEnv(t)
	mustEnsure(t, e.client, team{}.spec(t))
	e.srv.ResetCalls()
	spec := mustSpec(t, "fraud-ml", seedOptions(smdomain.WithUserProfiles(
		mustProfile(t, "ALICE", smdomain.WithExecutionRole(aliceRole), smdomain.WithTags(map[string]string{"team": "fraud"}))))...)
	res := mustEnsure(t, e.client, spec)
	if res.Action != smdomain.ActionUnchanged {
		t.Errorf("action %q, want unchanged: ALICE is alice", res.Action)
	}
	if w := e.memberWrites(); len(w) != 0 {
		t.Errorf("wrote %v", w)
	}
}

func TestEnsureChangedRoleIsOneMinimalUpdate(t *testing.T) {
	e := newEnv(t)
	mustEnsure(t, e.client, team{}.spec(t))
	e.srv.ResetCalls()
	res := mustEnsure(t, e.client, team{aliceRole: bobRole}.spec(t))
	if res.Action != smdomain.ActionUpdated {
		t.Errorf("action %q, want updated", res.Action)
	}
	if diff := cmp.Diff([]string{"UpdateUserProfile"}, e.memberWrites()); diff != "" {
		t.Errorf("writes (-want +got):\n%s", diff)
	}
	want := map[string]any{"DomainId": res.Domain.ID, "UserProfileName": "alice",
		"UserSettings": map[string]any{"ExecutionRole": bobRole}}
	if diff := cmp.Diff(want, e.bodyOf(t, "UpdateUserProfile")); diff != "" {
		t.Errorf("UpdateUserProfile body (-want +got):\n%s", diff)
	}
	if got := memberActions(res.Members); got["user profile alice"] != smdomain.ActionUpdated || got["user profile bob"] != smdomain.ActionUnchanged {
		t.Errorf("member actions %v", got)
	}
	p, err := e.sm.DescribeUserProfile(context.Background(), &sagemaker.DescribeUserProfileInput{DomainId: aws.String(res.Domain.ID), UserProfileName: aws.String("alice")})
	if err != nil {
		t.Fatal(err)
	}
	if p.Status != types.UserProfileStatusInService || aws.ToString(p.UserSettings.ExecutionRole) != bobRole {
		t.Errorf("alice after Ensure: %s %s", p.Status, aws.ToString(p.UserSettings.ExecutionRole))
	}
}

func TestEnsureSpaceUpdateNeverSendsAppType(t *testing.T) {
	e := newEnv(t)
	mustEnsure(t, e.client, team{}.spec(t))
	e.srv.ResetCalls()
	spec := mustSpec(t, "fraud-ml", seedOptions(
		smdomain.WithUserProfiles(mustProfile(t, "alice")),
		smdomain.WithSpaces(mustSpace(t, "alice-scratch", smdomain.WithSpaceSharing(types.SharingTypePrivate),
			smdomain.WithSpaceOwner("alice"), smdomain.WithSpaceDisplayName("Alice's scratch"),
			smdomain.WithSpaceSettings(&types.SpaceSettings{AppType: types.AppTypeCodeEditor,
				SpaceStorageSettings: &types.SpaceStorageSettings{EbsStorageSettings: &types.EbsStorageSettings{EbsVolumeSizeInGb: aws.Int32(20)}}}),
			smdomain.WithTags(map[string]string{"owner": "alice"}))))...)
	res := mustEnsure(t, e.client, spec)
	if diff := cmp.Diff([]string{"UpdateSpace", "AddTags"}, e.memberWrites()); diff != "" {
		t.Errorf("writes (-want +got):\n%s", diff)
	}
	want := map[string]any{"DomainId": res.Domain.ID, "SpaceName": "alice-scratch", "SpaceDisplayName": "Alice's scratch",
		"SpaceSettings": map[string]any{"SpaceStorageSettings": map[string]any{"EbsStorageSettings": map[string]any{"EbsVolumeSizeInGb": 20.0}}}}
	if diff := cmp.Diff(want, e.bodyOf(t, "UpdateSpace")); diff != "" {
		t.Errorf("UpdateSpace body (-want +got):\n%s", diff)
	}
	e.srv.ResetCalls()
	if again := mustEnsure(t, e.client, spec); again.Action != smdomain.ActionUnchanged {
		t.Errorf("again: %q, want unchanged", again.Action)
	}
	if w := e.memberWrites(); len(w) != 0 {
		t.Errorf("again wrote %v", w)
	}
}

func TestEnsureMemberTagsAuthoritative(t *testing.T) {
	e := newEnv(t)
	res := mustEnsure(t, e.client, team{}.spec(t))
	ctx := context.Background()
	p, err := e.sm.DescribeUserProfile(ctx, &sagemaker.DescribeUserProfileInput{DomainId: aws.String(res.Domain.ID), UserProfileName: aws.String("alice")})
	if err != nil {
		t.Fatal(err)
	}
	e.srv.SetTags(aws.ToString(p.UserProfileArn), map[string]string{"team": "old", "stray": "x", "AWS:Backup": "keep"})
	e.srv.ResetCalls()
	mustEnsure(t, e.client, team{}.spec(t))
	if diff := cmp.Diff([]string{"DeleteTags", "AddTags"}, e.memberWrites()); diff != "" {
		t.Errorf("writes (-want +got):\n%s", diff)
	}
	tags, err := e.sm.ListTags(ctx, &sagemaker.ListTagsInput{ResourceArn: p.UserProfileArn})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, tg := range tags.Tags {
		got[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
	}
	if diff := cmp.Diff(map[string]string{"team": "fraud", "AWS:Backup": "keep"}, got); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
}

func TestEnsureMemberStatuses(t *testing.T) {
	t.Run("Failed is a StatusError naming the member", func(t *testing.T) {
		e := newEnv(t)
		id := mustEnsure(t, e.client, team{}.spec(t)).Domain.ID
		if err := e.srv.SetUserProfileStatus(id, "bob", "Failed", "role not assumable"); err != nil {
			t.Fatal(err)
		}
		e.srv.ResetCalls()
		res, err := e.client.Ensure(context.Background(), team{}.spec(t))
		var se *smdomain.StatusError
		if !errors.As(err, &se) {
			t.Fatalf("Ensure: %v, want *StatusError", err)
		}
		want := smdomain.StatusError{DomainID: id, Kind: "user profile", Name: "bob", Status: "Failed", FailureReason: "role not assumable"}
		if diff := cmp.Diff(want, *se); diff != "" {
			t.Errorf("StatusError (-want +got):\n%s", diff)
		}
		if res == nil || memberActions(res.Members)["user profile alice"] != smdomain.ActionUnchanged {
			t.Errorf("the Result must still report alice: %+v", res)
		}
		if w := e.memberWrites(); len(w) != 0 {
			t.Errorf("wrote %v", w)
		}
	})
	t.Run("Update_Failed is updated again", func(t *testing.T) {
		e := newEnv(t)
		id := mustEnsure(t, e.client, team{}.spec(t)).Domain.ID
		if err := e.srv.SetUserProfileStatus(id, "alice", "Update_Failed", "throttled"); err != nil {
			t.Fatal(err)
		}
		e.srv.ResetCalls()
		res := mustEnsure(t, e.client, team{aliceRole: bobRole}.spec(t))
		if got := memberActions(res.Members)["user profile alice"]; got != smdomain.ActionUpdated {
			t.Errorf("alice: %q, want updated", got)
		}
		if diff := cmp.Diff([]string{"UpdateUserProfile"}, e.memberWrites()); diff != "" {
			t.Errorf("writes (-want +got):\n%s", diff)
		}
	})
	t.Run("Update_Failed with nothing to change is a StatusError", func(t *testing.T) {
		e := newEnv(t)
		id := mustEnsure(t, e.client, team{}.spec(t)).Domain.ID
		if err := e.srv.SetSpaceStatus(id, "fraud-detection", "Update_Failed", "bad image"); err != nil {
			t.Fatal(err)
		}
		_, err := e.client.Ensure(context.Background(), team{}.spec(t))
		var se *smdomain.StatusError
		if !errors.As(err, &se) || se.Kind != "space" || se.Name != "fraud-detection" || se.FailureReason != "bad image" {
			t.Fatalf("Ensure: %v, want the space's *StatusError", err)
		}
	})
}

func TestMemberCallsRefuseBadInput(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	mustEnsure(t, e.client, team{}.spec(t))
	e.srv.ResetCalls()
	ref := smdomain.ByName("fraud-ml")
	var ve *smdomain.ValidationError
	for name, m := range map[string]smdomain.Member{"nil": nil, "nil profile": (*smdomain.UserProfileSpec)(nil),
		"zero space": &smdomain.SpaceSpec{}} {
		if _, err := e.client.EnsureMember(ctx, ref, m); !errors.As(err, &ve) {
			t.Errorf("EnsureMember(%s): %v, want *ValidationError", name, err)
		}
	}
	sso := mustProfile(t, "carol", smdomain.WithSSOUser("UserName", "carol@example.com"))
	if _, err := e.client.EnsureMember(ctx, ref, sso); !errors.As(err, &ve) || !ve.Has("UserProfiles[carol].SingleSignOnUserValue", smdomain.RuleConflict) {
		t.Errorf("EnsureMember(SSO user in an IAM domain): %v", err)
	}
	orphan := mustSpace(t, "orphan", smdomain.WithSpaceOwner("nobody"))
	if _, err := e.client.EnsureMember(ctx, ref, orphan); !errors.As(err, &ve) {
		t.Errorf("EnsureMember(space of an unknown owner): %v", err)
	}
	if _, err := e.client.RemoveMember(ctx, ref, "app", "x"); !errors.As(err, &ve) {
		t.Errorf("RemoveMember(kind app): %v", err)
	}
	if _, err := e.client.EnsureMember(ctx, smdomain.ByName("no-such-domain"), mustProfile(t, "x")); !errors.Is(err, smdomain.ErrNotFound) {
		t.Errorf("EnsureMember in a missing domain: %v, want ErrNotFound", err)
	}
	if w := e.memberWrites(); len(w) != 0 {
		t.Errorf("wrote %v", w)
	}
	res, err := e.client.RemoveMember(ctx, ref, smdomain.KindUserProfile, "nobody")
	if err != nil || res.Action != smdomain.ActionUnchanged {
		t.Errorf("RemoveMember of a missing profile: %+v, %v; want unchanged", res, err)
	}
}

func TestEnsureMemberRefusesReplacement(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	id := mustEnsure(t, e.client, team{}.spec(t)).Domain.ID
	e.srv.ResetCalls()
	shared := mustSpace(t, "alice-scratch", smdomain.WithSpaceSharing(types.SharingTypeShared), smdomain.WithSpaceOwner("alice"),
		smdomain.WithSpaceSettings(&types.SpaceSettings{AppType: types.AppTypeCodeEditor}))
	_, err := e.client.EnsureMember(ctx, smdomain.ByID(id), shared)
	var rr *smdomain.ReplacementRequiredError
	if !errors.As(err, &rr) || len(rr.Changes) != 1 || rr.Changes[0].Path != "Spaces.alice-scratch.SpaceSharingSettings.SharingType" {
		t.Fatalf("EnsureMember: %v, want replacement of the sharing type", err)
	}
	if w := e.memberWrites(); len(w) != 0 {
		t.Errorf("wrote %v", w)
	}
}

func TestEnsureChecksMemberRolesBeforeAnyWrite(t *testing.T) {
	e := newEnv(t)
	mustEnsure(t, e.client, team{}.spec(t))
	e.srv.ResetCalls()
	// The domain changes too: neither it nor the member may be written.
	spec := mustSpec(t, "fraud-ml", seedOptions(smdomain.WithSecurityGroups("sg-0fff1234def567890"),
		smdomain.WithUserProfiles(mustProfile(t, "alice", smdomain.WithExecutionRole("arn:aws:iam::999999999999:role/elsewhere"))))...)
	_, err := e.client.Ensure(context.Background(), spec)
	var ra *smdomain.RoleAccountError
	if !errors.As(err, &ra) || ra.Field != "UserProfiles[alice].UserSettings.ExecutionRole" || ra.RoleAccount != "999999999999" {
		t.Fatalf("Ensure: %v, want *RoleAccountError on alice's role", err)
	}
	if w := e.memberWrites(); len(w) != 0 {
		t.Errorf("wrote %v, want nothing", w)
	}
}

func TestEnsureChecksMemberRolesBeforeCreatingTheDomain(t *testing.T) {
	e := newEnv(t)
	spec := mustSpec(t, "fraud-ml", seedOptions(
		smdomain.WithUserProfiles(mustProfile(t, "alice", smdomain.WithExecutionRole("arn:aws-cn:iam::123456789012:role/elsewhere"))))...)
	_, err := e.client.Ensure(context.Background(), spec)
	var ra *smdomain.RoleAccountError
	if !errors.As(err, &ra) || ra.RolePartition != "aws-cn" {
		t.Fatalf("Ensure: %v, want *RoleAccountError on the partition", err)
	}
	if ids := e.srv.DomainIDs(); len(ids) != 0 {
		t.Errorf("domains %v, want none created", ids)
	}
}

func TestPlanRefusesWhatEnsureWouldRefuse(t *testing.T) {
	e := newEnv(t)
	spec := mustSpec(t, "fraud-ml", seedOptions(
		smdomain.WithUserProfiles(mustProfile(t, "alice", smdomain.WithExecutionRole("arn:aws:iam::999999999999:role/elsewhere"))))...)
	_, err := e.client.Plan(context.Background(), spec)
	var ra *smdomain.RoleAccountError
	if !errors.As(err, &ra) || ra.Field != "UserProfiles[alice].UserSettings.ExecutionRole" {
		t.Fatalf("Plan: %v, want the *RoleAccountError Ensure gives", err)
	}
}

// A domain found Deleting is waited out and made anew; its members are
// planned against the new domain, not the one that went.
func TestEnsureMembersAfterDomainWasDeleting(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	old := mustEnsure(t, e.client, team{}.spec(t)).Domain.ID
	if _, err := e.client.Delete(ctx, smdomain.ByName("fraud-ml"), smdomain.WithCascade()); err != nil {
		t.Fatal(err)
	}
	// Delete waited until it was gone; make one that is Deleting now.
	mustEnsure(t, e.client, team{}.spec(t))
	id := e.srv.DomainIDs()[0]
	if err := e.srv.SetDomainStatus(id, "Deleting", ""); err != nil {
		t.Fatal(err)
	}
	res := mustEnsure(t, e.newClient(), team{}.spec(t))
	if res.Domain.ID == id || res.Domain.ID == old {
		t.Fatalf("Ensure kept domain %s, want a new one", res.Domain.ID)
	}
	for _, m := range res.Members {
		if m.Action != smdomain.ActionCreated {
			t.Errorf("%s %s: %s, want created in the new domain", m.Kind, m.Name, m.Action)
		}
	}
	p, err := e.newClient().Plan(ctx, team{}.spec(t))
	if err != nil || p.Action != smdomain.PlanNoOp {
		t.Errorf("Plan after: %v %v, want no-op", p, err)
	}
}
