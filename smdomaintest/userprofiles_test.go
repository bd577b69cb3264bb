package smdomaintest_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/finegrained/smdomain/smdomaintest"
	"github.com/google/go-cmp/cmp"
)

func mustCreateProfile(t *testing.T, c *sagemaker.Client, domainID, name string) string {
	t.Helper()
	out, err := c.CreateUserProfile(context.Background(), &sagemaker.CreateUserProfileInput{
		DomainId:        aws.String(domainID),
		UserProfileName: aws.String(name),
	})
	if err != nil {
		t.Fatalf("CreateUserProfile %s: %v", name, err)
	}
	return aws.ToString(out.UserProfileArn)
}

func profileStatus(t *testing.T, c *sagemaker.Client, domainID, name string) string {
	t.Helper()
	out, err := c.DescribeUserProfile(context.Background(), &sagemaker.DescribeUserProfileInput{
		DomainId: aws.String(domainID), UserProfileName: aws.String(name),
	})
	if errorsAs(err, new(*types.ResourceNotFound)) {
		return "gone"
	}
	if err != nil {
		t.Fatalf("DescribeUserProfile %s: %v", name, err)
	}
	return string(out.Status)
}

func TestUserProfileLifecycle(t *testing.T) {
	srv, c, clock := newTest(t, smdomaintest.WithUserProfileDelay(2*time.Minute))
	ctx := context.Background()
	id := aws.ToString(mustCreate(t, c, minimalCreate("people")).DomainId)

	settings := &types.UserSettings{
		ExecutionRole:  aws.String("arn:aws:iam::123456789012:role/Alice"),
		SecurityGroups: []string{"sg-0123456789abcdef0"},
	}
	created, err := c.CreateUserProfile(ctx, &sagemaker.CreateUserProfileInput{
		DomainId:        aws.String(id),
		UserProfileName: aws.String("alice"),
		UserSettings:    settings,
		Tags:            []types.Tag{{Key: aws.String("team"), Value: aws.String("ml")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	wantARN := "arn:aws:sagemaker:us-east-1:123456789012:user-profile/" + id + "/alice"
	if got := aws.ToString(created.UserProfileArn); got != wantARN {
		t.Errorf("UserProfileArn = %s, want %s", got, wantARN)
	}

	got, err := c.DescribeUserProfile(ctx, &sagemaker.DescribeUserProfileInput{DomainId: aws.String(id), UserProfileName: aws.String("alice")})
	if err != nil {
		t.Fatal(err)
	}
	want := &sagemaker.DescribeUserProfileOutput{
		DomainId:             aws.String(id),
		UserProfileArn:       aws.String(wantARN),
		UserProfileName:      aws.String("alice"),
		Status:               types.UserProfileStatusPending,
		CreationTime:         aws.Time(epoch0),
		LastModifiedTime:     aws.Time(epoch0),
		HomeEfsFileSystemUid: got.HomeEfsFileSystemUid,
		// Sent, and what the server copies from the domain's defaults.
		UserSettings: &types.UserSettings{
			ExecutionRole:     settings.ExecutionRole,
			SecurityGroups:    settings.SecurityGroups,
			StudioWebPortal:   types.StudioWebPortalEnabled,
			DefaultLandingUri: aws.String("studio::"),
		},
	}
	if diff := cmp.Diff(want, got, sdkCmp); diff != "" {
		t.Errorf("DescribeUserProfile (-want +got):\n%s", diff)
	}
	if got.HomeEfsFileSystemUid == nil {
		t.Error("HomeEfsFileSystemUid not filled")
	}

	tags, err := c.ListTags(ctx, &sagemaker.ListTagsInput{ResourceArn: aws.String(wantARN)})
	if err != nil {
		t.Fatal(err)
	}
	if len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Key) != "team" {
		t.Errorf("tags = %v, want team=ml", tags.Tags)
	}

	clock.Advance(time.Minute)
	if s := profileStatus(t, c, id, "alice"); s != "Pending" {
		t.Errorf("after 1m: %s, want Pending", s)
	}
	if _, err := c.DeleteUserProfile(ctx, &sagemaker.DeleteUserProfileInput{DomainId: aws.String(id), UserProfileName: aws.String("alice")}); !errorsAs(err, new(*types.ResourceInUse)) {
		t.Errorf("DeleteUserProfile while Pending: %v, want ResourceInUse", err)
	}
	clock.Advance(time.Minute)
	if s := profileStatus(t, c, id, "alice"); s != "InService" {
		t.Errorf("after 2m: %s, want InService", s)
	}

	del := &sagemaker.DeleteUserProfileInput{DomainId: aws.String(id), UserProfileName: aws.String("alice")}
	if _, err := c.DeleteUserProfile(ctx, del); err != nil {
		t.Fatal(err)
	}
	if s := profileStatus(t, c, id, "alice"); s != "Deleting" {
		t.Errorf("after delete: %s, want Deleting", s)
	}
	if _, err := c.DeleteUserProfile(ctx, del); err != nil {
		t.Errorf("DeleteUserProfile while Deleting: %v, want success", err)
	}
	clock.Advance(2 * time.Minute)
	if s := profileStatus(t, c, id, "alice"); s != "gone" {
		t.Errorf("after the delete delay: %s, want gone", s)
	}
	if _, err := c.ListTags(ctx, &sagemaker.ListTagsInput{ResourceArn: aws.String(wantARN)}); !errorsAs(err, new(*types.ResourceNotFound)) {
		t.Errorf("ListTags of a gone profile: %v, want ResourceNotFound", err)
	}
	if _, err := c.DeleteUserProfile(ctx, del); !errorsAs(err, new(*types.ResourceNotFound)) {
		t.Errorf("DeleteUserProfile of a gone profile: %v, want ResourceNotFound", err)
	}
	// The name can be used again.
	mustCreateProfile(t, c, id, "alice")
	if n := len(srv.DomainIDs()); n != 1 {
		t.Errorf("%d domains", n)
	}
}

func TestCreateUserProfileRefusals(t *testing.T) {
	srv, c, _ := newTest(t)
	ctx := context.Background()
	id := aws.ToString(mustCreate(t, c, minimalCreate("people")).DomainId)
	mustCreateProfile(t, c, id, "alice")
	sso := minimalCreate("sso")
	sso.AuthMode = types.AuthModeSso
	ssoID := aws.ToString(mustCreate(t, c, sso).DomainId)
	failed := aws.ToString(mustCreate(t, c, minimalCreate("busy")).DomainId)
	mustDescribe(t, c, failed)
	if err := srv.SetDomainStatus(failed, "Failed", "broken"); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		in   *sagemaker.CreateUserProfileInput
		code string
	}{
		{"duplicate name", &sagemaker.CreateUserProfileInput{DomainId: aws.String(id), UserProfileName: aws.String("alice")}, "ResourceInUse"},
		{"duplicate name in another case", &sagemaker.CreateUserProfileInput{DomainId: aws.String(id), UserProfileName: aws.String("Alice")}, "ResourceInUse"},
		{"missing domain", &sagemaker.CreateUserProfileInput{DomainId: aws.String("d-000000000000"), UserProfileName: aws.String("bob")}, "ResourceNotFound"},
		{"domain not InService", &sagemaker.CreateUserProfileInput{DomainId: aws.String(failed), UserProfileName: aws.String("bob")}, "ResourceInUse"},
		{"bad name", &sagemaker.CreateUserProfileInput{DomainId: aws.String(id), UserProfileName: aws.String("bob_smith")}, "ValidationException"},
		{"name too long", &sagemaker.CreateUserProfileInput{DomainId: aws.String(id), UserProfileName: aws.String(fmt.Sprintf("%064d", 0))}, "ValidationException"},
		{"aws: tag", &sagemaker.CreateUserProfileInput{DomainId: aws.String(id), UserProfileName: aws.String("bob"), Tags: []types.Tag{{Key: aws.String("aws:x"), Value: aws.String("y")}}}, "ValidationException"},
		{"SSO domain without identifier", &sagemaker.CreateUserProfileInput{DomainId: aws.String(ssoID), UserProfileName: aws.String("bob")}, "ValidationException"},
		{"IAM domain with identifier", &sagemaker.CreateUserProfileInput{DomainId: aws.String(id), UserProfileName: aws.String("bob"), SingleSignOnUserIdentifier: aws.String("UserName"), SingleSignOnUserValue: aws.String("bob")}, "ValidationException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.CreateUserProfile(ctx, tt.in)
			if got := apiCode(err); got != tt.code {
				t.Errorf("CreateUserProfile: %v, want %s", err, tt.code)
			}
		})
	}
	if _, err := c.CreateUserProfile(ctx, &sagemaker.CreateUserProfileInput{
		DomainId: aws.String(ssoID), UserProfileName: aws.String("bob"),
		SingleSignOnUserIdentifier: aws.String("UserName"), SingleSignOnUserValue: aws.String("bob"),
	}); err != nil {
		t.Errorf("CreateUserProfile in an SSO domain with an identifier: %v", err)
	}
}

func TestUserProfileNotFound(t *testing.T) {
	_, c, _ := newTest(t)
	ctx := context.Background()
	id := aws.ToString(mustCreate(t, c, minimalCreate("people")).DomainId)
	for _, dom := range []string{id, "d-000000000000"} {
		_, err := c.DescribeUserProfile(ctx, &sagemaker.DescribeUserProfileInput{DomainId: aws.String(dom), UserProfileName: aws.String("nobody")})
		if !errorsAs(err, new(*types.ResourceNotFound)) {
			t.Errorf("DescribeUserProfile in %s: %v, want ResourceNotFound", dom, err)
		}
		_, err = c.DeleteUserProfile(ctx, &sagemaker.DeleteUserProfileInput{DomainId: aws.String(dom), UserProfileName: aws.String("nobody")})
		if !errorsAs(err, new(*types.ResourceNotFound)) {
			t.Errorf("DeleteUserProfile in %s: %v, want ResourceNotFound", dom, err)
		}
	}
}

func TestDeleteDomainRefusedWhileItHasProfiles(t *testing.T) {
	_, c, clock := newTest(t, smdomaintest.WithUserProfileDelay(time.Minute), smdomaintest.WithDeleteDelay(time.Minute))
	ctx := context.Background()
	id := aws.ToString(mustCreate(t, c, minimalCreate("people")).DomainId)
	mustCreateProfile(t, c, id, "alice")
	delDomain := &sagemaker.DeleteDomainInput{DomainId: aws.String(id)}
	for _, stage := range []string{"Pending", "InService", "Deleting"} {
		switch stage {
		case "InService":
			clock.Advance(time.Minute)
		case "Deleting":
			if _, err := c.DeleteUserProfile(ctx, &sagemaker.DeleteUserProfileInput{DomainId: aws.String(id), UserProfileName: aws.String("alice")}); err != nil {
				t.Fatal(err)
			}
		}
		if s := profileStatus(t, c, id, "alice"); s != stage {
			t.Fatalf("profile is %s, want %s", s, stage)
		}
		if _, err := c.DeleteDomain(ctx, delDomain); !errorsAs(err, new(*types.ResourceInUse)) {
			t.Errorf("DeleteDomain with a %s profile: %v, want ResourceInUse", stage, err)
		}
	}
	clock.Advance(time.Minute)
	if _, err := c.DeleteDomain(ctx, delDomain); err != nil {
		t.Fatalf("DeleteDomain once the profile is gone: %v", err)
	}
	if s := mustDescribe(t, c, id).Status; s != types.DomainStatusDeleting {
		t.Errorf("domain is %s, want Deleting", s)
	}
}

func TestSetUserProfileStatus(t *testing.T) {
	srv, c, _ := newTest(t)
	id := aws.ToString(mustCreate(t, c, minimalCreate("people")).DomainId)
	mustCreateProfile(t, c, id, "alice")
	if err := srv.SetUserProfileStatus(id, "alice", "Delete_Failed", "EFS busy"); err != nil {
		t.Fatal(err)
	}
	out, err := c.DescribeUserProfile(context.Background(), &sagemaker.DescribeUserProfileInput{DomainId: aws.String(id), UserProfileName: aws.String("alice")})
	if err != nil {
		t.Fatal(err)
	}
	if out.Status != types.UserProfileStatusDeleteFailed || aws.ToString(out.FailureReason) != "EFS busy" {
		t.Errorf("status %s (%q), want Delete_Failed (EFS busy)", out.Status, aws.ToString(out.FailureReason))
	}
	// A Delete_Failed profile can be deleted again.
	if _, err := c.DeleteUserProfile(context.Background(), &sagemaker.DeleteUserProfileInput{DomainId: aws.String(id), UserProfileName: aws.String("alice")}); err != nil {
		t.Errorf("DeleteUserProfile of a Delete_Failed profile: %v", err)
	}
	if err := srv.SetUserProfileStatus(id, "alice", "Sleeping", ""); err == nil {
		t.Error("SetUserProfileStatus accepted an unknown status")
	}
	if err := srv.SetUserProfileStatus(id, "nobody", "Failed", ""); err == nil {
		t.Error("SetUserProfileStatus accepted a missing profile")
	}
}

// TestUserProfileServerDefaults checks the settings a new profile gets
// from the server when its request leaves them out.
func TestUserProfileServerDefaults(t *testing.T) {
	classic := minimalCreate("classic")
	classic.DefaultUserSettings.StudioWebPortal = types.StudioWebPortalDisabled
	classic.DefaultUserSettings.DefaultLandingUri = aws.String("app:JupyterServer:")
	tests := []struct {
		name   string
		domain *sagemaker.CreateDomainInput
		sent   *types.UserSettings
		want   *types.UserSettings
	}{
		{"nothing sent", minimalCreate("d"), nil,
			&types.UserSettings{StudioWebPortal: types.StudioWebPortalEnabled, DefaultLandingUri: aws.String("studio::")}},
		{"other settings sent", minimalCreate("d"), &types.UserSettings{ExecutionRole: aws.String(role)},
			&types.UserSettings{ExecutionRole: aws.String(role), StudioWebPortal: types.StudioWebPortalEnabled, DefaultLandingUri: aws.String("studio::")}},
		{"the domain's own defaults", classic, nil,
			&types.UserSettings{StudioWebPortal: types.StudioWebPortalDisabled, DefaultLandingUri: aws.String("app:JupyterServer:")}},
		{"StudioWebPortal sent", minimalCreate("d"), &types.UserSettings{StudioWebPortal: types.StudioWebPortalDisabled},
			&types.UserSettings{StudioWebPortal: types.StudioWebPortalDisabled}},
		{"DefaultLandingUri sent", minimalCreate("d"), &types.UserSettings{DefaultLandingUri: aws.String("app:JupyterServer:")},
			&types.UserSettings{DefaultLandingUri: aws.String("app:JupyterServer:")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, c, _ := newTest(t)
			ctx := context.Background()
			id := mustCreate(t, c, tt.domain).DomainId
			if _, err := c.CreateUserProfile(ctx, &sagemaker.CreateUserProfileInput{DomainId: id, UserProfileName: aws.String("alice"), UserSettings: tt.sent}); err != nil {
				t.Fatal(err)
			}
			got, err := c.DescribeUserProfile(ctx, &sagemaker.DescribeUserProfileInput{DomainId: id, UserProfileName: aws.String("alice")})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got.UserSettings, sdkCmp); diff != "" {
				t.Errorf("UserSettings (-want +got):\n%s", diff)
			}
		})
	}
}

// TestUserProfileNamesAreNotCaseSensitive checks that every request that
// names a profile finds it whatever the case, as the service documents,
// while descriptions keep the name as created.
func TestUserProfileNamesAreNotCaseSensitive(t *testing.T) {
	srv, c, _ := newTest(t)
	ctx := context.Background()
	id := aws.ToString(mustCreate(t, c, minimalCreate("people")).DomainId)
	arn := mustCreateProfile(t, c, id, "alice")

	got, err := c.DescribeUserProfile(ctx, &sagemaker.DescribeUserProfileInput{DomainId: aws.String(id), UserProfileName: aws.String("ALICE")})
	if err != nil {
		t.Fatalf("DescribeUserProfile ALICE: %v", err)
	}
	if diff := cmp.Diff([]string{"alice", arn}, []string{aws.ToString(got.UserProfileName), aws.ToString(got.UserProfileArn)}); diff != "" {
		t.Errorf("name and ARN (-want +got):\n%s", diff)
	}
	if _, err := c.UpdateUserProfile(ctx, &sagemaker.UpdateUserProfileInput{DomainId: aws.String(id), UserProfileName: aws.String("Alice"),
		UserSettings: &types.UserSettings{ExecutionRole: aws.String(role)}}); err != nil {
		t.Errorf("UpdateUserProfile Alice: %v", err)
	}
	list, err := c.ListUserProfiles(ctx, &sagemaker.ListUserProfilesInput{DomainIdEquals: aws.String(id), UserProfileNameContains: aws.String("LIC")})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.UserProfiles) != 1 || aws.ToString(list.UserProfiles[0].UserProfileName) != "alice" {
		t.Errorf("ListUserProfiles containing LIC: %+v, want alice", list.UserProfiles)
	}

	// An app and a space name their owner in any case, and report it as
	// created.
	lab := appRef{profile: "ALICE", typ: types.AppTypeJupyterServer, name: "default"}
	mustCreateApp(t, c, id, lab)
	apps, err := c.ListApps(ctx, &sagemaker.ListAppsInput{DomainIdEquals: aws.String(id), UserProfileNameEquals: aws.String("aLiCe")})
	if err != nil {
		t.Fatal(err)
	}
	if len(apps.Apps) != 1 || aws.ToString(apps.Apps[0].UserProfileName) != "alice" {
		t.Errorf("ListApps of aLiCe: %+v, want one app of alice", apps.Apps)
	}
	if s := appStatus(t, c, id, appRef{profile: "Alice", typ: lab.typ, name: lab.name}); s != "InService" {
		t.Errorf("DescribeApp by Alice: %s, want InService", s)
	}
	mustCreateSpace(t, c, id, "lab", "ALICE")
	space, err := c.DescribeSpace(ctx, &sagemaker.DescribeSpaceInput{DomainId: aws.String(id), SpaceName: aws.String("lab")})
	if err != nil {
		t.Fatal(err)
	}
	if owner := aws.ToString(space.OwnershipSettings.OwnerUserProfileName); owner != "alice" {
		t.Errorf("space owner %q, want alice", owner)
	}

	// The app and the space block the profile, by any name.
	del := &sagemaker.DeleteUserProfileInput{DomainId: aws.String(id), UserProfileName: aws.String("ALICE")}
	if _, err := c.DeleteUserProfile(ctx, del); !errorsAs(err, new(*types.ResourceInUse)) {
		t.Errorf("DeleteUserProfile ALICE with an app and a space: %v, want ResourceInUse", err)
	}
	if _, err := c.DeleteApp(ctx, lab.delete(id)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteSpace(ctx, &sagemaker.DeleteSpaceInput{DomainId: aws.String(id), SpaceName: aws.String("lab")}); err != nil {
		t.Fatal(err)
	}
	if err := srv.SetUserProfileStatus(id, "ALICE", "Delete_Failed", ""); err != nil {
		t.Errorf("SetUserProfileStatus ALICE: %v", err)
	}
	if _, err := c.DeleteUserProfile(ctx, del); err != nil {
		t.Errorf("DeleteUserProfile ALICE once its app and space are gone: %v", err)
	}
	if s := profileStatus(t, c, id, "alice"); s != "gone" {
		t.Errorf("profile is %s, want gone", s)
	}
}
