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
		UserSettings:         settings,
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
