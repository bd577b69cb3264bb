package smdomaintest_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/finegrained/smdomain/smdomaintest"
	"github.com/google/go-cmp/cmp"
)

func mustCreateSpace(t *testing.T, c *sagemaker.Client, domainID, name, owner string) string {
	t.Helper()
	in := &sagemaker.CreateSpaceInput{DomainId: aws.String(domainID), SpaceName: aws.String(name)}
	if owner != "" {
		in.OwnershipSettings = &types.OwnershipSettings{OwnerUserProfileName: aws.String(owner)}
		in.SpaceSharingSettings = &types.SpaceSharingSettings{SharingType: types.SharingTypePrivate}
		in.SpaceSettings = &types.SpaceSettings{AppType: types.AppTypeJupyterLab}
	}
	out, err := c.CreateSpace(context.Background(), in)
	if err != nil {
		t.Fatalf("CreateSpace %s: %v", name, err)
	}
	return aws.ToString(out.SpaceArn)
}

func spaceStatus(t *testing.T, c *sagemaker.Client, domainID, name string) string {
	t.Helper()
	out, err := c.DescribeSpace(context.Background(), &sagemaker.DescribeSpaceInput{DomainId: aws.String(domainID), SpaceName: aws.String(name)})
	if errorsAs(err, new(*types.ResourceNotFound)) {
		return "gone"
	}
	if err != nil {
		t.Fatalf("DescribeSpace %s: %v", name, err)
	}
	return string(out.Status)
}

func TestSpaceLifecycle(t *testing.T) {
	_, c, clock := newTest(t, smdomaintest.WithSpaceDelay(time.Minute))
	ctx := context.Background()
	id := aws.ToString(mustCreate(t, c, minimalCreate("spaces")).DomainId)
	mustCreateProfile(t, c, id, "alice")

	settings := &types.SpaceSettings{
		AppType:              types.AppTypeJupyterLab,
		RemoteAccess:         types.FeatureStatusDisabled,
		SpaceStorageSettings: &types.SpaceStorageSettings{EbsStorageSettings: &types.EbsStorageSettings{EbsVolumeSizeInGb: aws.Int32(20)}},
	}
	created, err := c.CreateSpace(ctx, &sagemaker.CreateSpaceInput{
		DomainId:             aws.String(id),
		SpaceName:            aws.String("lab"),
		SpaceDisplayName:     aws.String("Alice's lab"),
		OwnershipSettings:    &types.OwnershipSettings{OwnerUserProfileName: aws.String("alice")},
		SpaceSharingSettings: &types.SpaceSharingSettings{SharingType: types.SharingTypePrivate},
		SpaceSettings:        settings,
	})
	if err != nil {
		t.Fatal(err)
	}
	wantARN := "arn:aws:sagemaker:us-east-1:123456789012:space/" + id + "/lab"
	if got := aws.ToString(created.SpaceArn); got != wantARN {
		t.Errorf("SpaceArn = %s, want %s", got, wantARN)
	}
	got, err := c.DescribeSpace(ctx, &sagemaker.DescribeSpaceInput{DomainId: aws.String(id), SpaceName: aws.String("lab")})
	if err != nil {
		t.Fatal(err)
	}
	want := &sagemaker.DescribeSpaceOutput{
		DomainId:             aws.String(id),
		SpaceArn:             aws.String(wantARN),
		SpaceName:            aws.String("lab"),
		SpaceDisplayName:     aws.String("Alice's lab"),
		Status:               types.SpaceStatusPending,
		CreationTime:         aws.Time(epoch0),
		LastModifiedTime:     aws.Time(epoch0),
		HomeEfsFileSystemUid: got.HomeEfsFileSystemUid,
		OwnershipSettings:    &types.OwnershipSettings{OwnerUserProfileName: aws.String("alice")},
		SpaceSharingSettings: &types.SpaceSharingSettings{SharingType: types.SharingTypePrivate},
		SpaceSettings:        settings,
	}
	if diff := cmp.Diff(want, got, sdkCmp); diff != "" {
		t.Errorf("DescribeSpace (-want +got):\n%s", diff)
	}

	list, err := c.ListSpaces(ctx, &sagemaker.ListSpacesInput{DomainIdEquals: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	wantList := []types.SpaceDetails{{
		DomainId:                    aws.String(id),
		SpaceName:                   aws.String("lab"),
		SpaceDisplayName:            aws.String("Alice's lab"),
		Status:                      types.SpaceStatusPending,
		CreationTime:                aws.Time(epoch0),
		LastModifiedTime:            aws.Time(epoch0),
		OwnershipSettingsSummary:    &types.OwnershipSettingsSummary{OwnerUserProfileName: aws.String("alice")},
		SpaceSharingSettingsSummary: &types.SpaceSharingSettingsSummary{SharingType: types.SharingTypePrivate},
		SpaceSettingsSummary: &types.SpaceSettingsSummary{
			AppType:              types.AppTypeJupyterLab,
			RemoteAccess:         types.FeatureStatusDisabled,
			SpaceStorageSettings: settings.SpaceStorageSettings,
		},
	}}
	if diff := cmp.Diff(wantList, list.Spaces, sdkCmp); diff != "" {
		t.Errorf("ListSpaces (-want +got):\n%s", diff)
	}

	clock.Advance(time.Minute)
	if s := spaceStatus(t, c, id, "lab"); s != "InService" {
		t.Errorf("after the delay: %s, want InService", s)
	}
	// The owner cannot go while it owns the space.
	_, err = c.DeleteUserProfile(ctx, &sagemaker.DeleteUserProfileInput{DomainId: aws.String(id), UserProfileName: aws.String("alice")})
	if !errorsAs(err, new(*types.ResourceInUse)) {
		t.Errorf("DeleteUserProfile of a space owner: %v, want ResourceInUse", err)
	}
	del := &sagemaker.DeleteSpaceInput{DomainId: aws.String(id), SpaceName: aws.String("lab")}
	if _, err := c.DeleteSpace(ctx, del); err != nil {
		t.Fatal(err)
	}
	if s := spaceStatus(t, c, id, "lab"); s != "Deleting" {
		t.Errorf("after delete: %s, want Deleting", s)
	}
	if _, err := c.DeleteSpace(ctx, del); err != nil {
		t.Errorf("DeleteSpace while Deleting: %v, want success", err)
	}
	// A Deleting space still blocks its owner and the domain.
	_, err = c.DeleteUserProfile(ctx, &sagemaker.DeleteUserProfileInput{DomainId: aws.String(id), UserProfileName: aws.String("alice")})
	if !errorsAs(err, new(*types.ResourceInUse)) {
		t.Errorf("DeleteUserProfile of the owner of a Deleting space: %v, want ResourceInUse", err)
	}
	clock.Advance(time.Minute)
	if s := spaceStatus(t, c, id, "lab"); s != "gone" {
		t.Errorf("after the delete delay: %s, want gone", s)
	}
	if _, err := c.DeleteSpace(ctx, del); !errorsAs(err, new(*types.ResourceNotFound)) {
		t.Errorf("DeleteSpace of a gone space: %v, want ResourceNotFound", err)
	}
	if _, err := c.DeleteUserProfile(ctx, &sagemaker.DeleteUserProfileInput{DomainId: aws.String(id), UserProfileName: aws.String("alice")}); err != nil {
		t.Errorf("DeleteUserProfile once its space is gone: %v", err)
	}
}

func TestCreateSpaceRefusals(t *testing.T) {
	srv, c, _ := newTest(t)
	ctx := context.Background()
	id := aws.ToString(mustCreate(t, c, minimalCreate("spaces")).DomainId)
	mustCreateSpace(t, c, id, "shared", "")
	failed := aws.ToString(mustCreate(t, c, minimalCreate("failed")).DomainId)
	mustDescribe(t, c, failed)
	if err := srv.SetDomainStatus(failed, "Failed", "broken"); err != nil {
		t.Fatal(err)
	}
	mustCreateProfile(t, c, id, "alice")
	private := &types.SpaceSharingSettings{SharingType: types.SharingTypePrivate}
	owned := func(owner string) *types.OwnershipSettings {
		return &types.OwnershipSettings{OwnerUserProfileName: aws.String(owner)}
	}
	tests := []struct {
		name string
		in   *sagemaker.CreateSpaceInput
		code string
	}{
		{"duplicate name", &sagemaker.CreateSpaceInput{DomainId: aws.String(id), SpaceName: aws.String("shared")}, "ResourceInUse"},
		{"missing domain", &sagemaker.CreateSpaceInput{DomainId: aws.String("d-000000000000"), SpaceName: aws.String("x")}, "ResourceNotFound"},
		{"domain not InService", &sagemaker.CreateSpaceInput{DomainId: aws.String(failed), SpaceName: aws.String("x")}, "ResourceInUse"},
		{"bad name", &sagemaker.CreateSpaceInput{DomainId: aws.String(id), SpaceName: aws.String("-leading-dash")}, "ValidationException"},
		{"missing owner", &sagemaker.CreateSpaceInput{DomainId: aws.String(id), SpaceName: aws.String("x"), OwnershipSettings: owned("nobody")}, "ValidationException"},
		{"private without owner", &sagemaker.CreateSpaceInput{DomainId: aws.String(id), SpaceName: aws.String("x"), SpaceSharingSettings: private,
			SpaceSettings: &types.SpaceSettings{AppType: types.AppTypeJupyterLab}}, "ValidationException"},
		{"private without SpaceSettings", &sagemaker.CreateSpaceInput{DomainId: aws.String(id), SpaceName: aws.String("x"), SpaceSharingSettings: private,
			OwnershipSettings: owned("alice")}, "ValidationException"},
		{"private without AppType", &sagemaker.CreateSpaceInput{DomainId: aws.String(id), SpaceName: aws.String("x"), SpaceSharingSettings: private,
			OwnershipSettings: owned("alice"), SpaceSettings: &types.SpaceSettings{RemoteAccess: types.FeatureStatusEnabled}}, "ValidationException"},
		{"JupyterServerAppSettings.CodeRepositories", &sagemaker.CreateSpaceInput{DomainId: aws.String(id), SpaceName: aws.String("x"),
			SpaceSettings: &types.SpaceSettings{JupyterServerAppSettings: &types.JupyterServerAppSettings{
				CodeRepositories: []types.CodeRepository{{RepositoryUrl: aws.String("https://example.com/a.git")}}}}}, "ValidationException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.CreateSpace(ctx, tt.in)
			if got := apiCode(err); got != tt.code {
				t.Errorf("CreateSpace: %v, want %s", err, tt.code)
			}
		})
	}
	for _, dom := range []string{id, "d-000000000000"} {
		_, err := c.DescribeSpace(ctx, &sagemaker.DescribeSpaceInput{DomainId: aws.String(dom), SpaceName: aws.String("nothing")})
		if !errorsAs(err, new(*types.ResourceNotFound)) {
			t.Errorf("DescribeSpace in %s: %v, want ResourceNotFound", dom, err)
		}
		_, err = c.DeleteSpace(ctx, &sagemaker.DeleteSpaceInput{DomainId: aws.String(dom), SpaceName: aws.String("nothing")})
		if !errorsAs(err, new(*types.ResourceNotFound)) {
			t.Errorf("DeleteSpace in %s: %v, want ResourceNotFound", dom, err)
		}
	}
}

func TestDeleteDomainRefusedWhileItHasSpaces(t *testing.T) {
	srv, c, _ := newTest(t)
	ctx := context.Background()
	id := aws.ToString(mustCreate(t, c, minimalCreate("spaces")).DomainId)
	mustCreateSpace(t, c, id, "shared", "")
	if _, err := c.DeleteDomain(ctx, &sagemaker.DeleteDomainInput{DomainId: aws.String(id)}); !errorsAs(err, new(*types.ResourceInUse)) {
		t.Errorf("DeleteDomain with a space: %v, want ResourceInUse", err)
	}
	if err := srv.SetSpaceStatus(id, "shared", "Delete_Failed", "volume busy"); err != nil {
		t.Fatal(err)
	}
	if s := spaceStatus(t, c, id, "shared"); s != "Delete_Failed" {
		t.Errorf("space is %s, want Delete_Failed", s)
	}
	if _, err := c.DeleteDomain(ctx, &sagemaker.DeleteDomainInput{DomainId: aws.String(id)}); !errorsAs(err, new(*types.ResourceInUse)) {
		t.Errorf("DeleteDomain with a Delete_Failed space: %v, want ResourceInUse", err)
	}
	if _, err := c.DeleteSpace(ctx, &sagemaker.DeleteSpaceInput{DomainId: aws.String(id), SpaceName: aws.String("shared")}); err != nil {
		t.Fatalf("DeleteSpace of a Delete_Failed space: %v", err)
	}
	if _, err := c.DeleteDomain(ctx, &sagemaker.DeleteDomainInput{DomainId: aws.String(id)}); err != nil {
		t.Errorf("DeleteDomain once the space is gone: %v", err)
	}
}

// TestSpaceServerDefaults checks the settings a new space gets from the
// server when its request leaves them out: the EBS volume size of a
// JupyterLab or CodeEditor space, from the domain's defaults for private
// or for shared spaces, or 5 GB.
func TestSpaceServerDefaults(t *testing.T) {
	ebs := func(gb int32) *types.SpaceStorageSettings {
		return &types.SpaceStorageSettings{EbsStorageSettings: &types.EbsStorageSettings{EbsVolumeSizeInGb: aws.Int32(gb)}}
	}
	domainEBS := func(gb int32) *types.DefaultSpaceStorageSettings {
		return &types.DefaultSpaceStorageSettings{DefaultEbsStorageSettings: &types.DefaultEbsStorageSettings{
			DefaultEbsVolumeSizeInGb: aws.Int32(gb), MaximumEbsVolumeSizeInGb: aws.Int32(100)}}
	}
	sized := minimalCreate("sized")
	sized.DefaultUserSettings.SpaceStorageSettings = domainEBS(20)
	sized.DefaultSpaceSettings = &types.DefaultSpaceSettings{ExecutionRole: aws.String(role), SpaceStorageSettings: domainEBS(30)}
	lab := &types.SpaceSettings{AppType: types.AppTypeJupyterLab}
	tests := []struct {
		name    string
		domain  *sagemaker.CreateDomainInput
		private bool
		sent    *types.SpaceSettings
		want    *types.SpaceSettings
	}{
		{"private JupyterLab", minimalCreate("d"), true, lab, &types.SpaceSettings{AppType: types.AppTypeJupyterLab, SpaceStorageSettings: ebs(5)}},
		{"shared CodeEditor", minimalCreate("d"), false, &types.SpaceSettings{AppType: types.AppTypeCodeEditor},
			&types.SpaceSettings{AppType: types.AppTypeCodeEditor, SpaceStorageSettings: ebs(5)}},
		{"private, the domain's size", sized, true, lab, &types.SpaceSettings{AppType: types.AppTypeJupyterLab, SpaceStorageSettings: ebs(20)}},
		{"shared, the domain's size", sized, false, lab, &types.SpaceSettings{AppType: types.AppTypeJupyterLab, SpaceStorageSettings: ebs(30)}},
		{"size sent", sized, true, &types.SpaceSettings{AppType: types.AppTypeJupyterLab, SpaceStorageSettings: ebs(8)},
			&types.SpaceSettings{AppType: types.AppTypeJupyterLab, SpaceStorageSettings: ebs(8)}},
		{"JupyterServer", minimalCreate("d"), false, &types.SpaceSettings{AppType: types.AppTypeJupyterServer},
			&types.SpaceSettings{AppType: types.AppTypeJupyterServer}},
		{"no settings", minimalCreate("d"), false, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, c, _ := newTest(t)
			ctx := context.Background()
			id := aws.ToString(mustCreate(t, c, tt.domain).DomainId)
			in := &sagemaker.CreateSpaceInput{DomainId: aws.String(id), SpaceName: aws.String("s"), SpaceSettings: tt.sent}
			if tt.private {
				mustCreateProfile(t, c, id, "alice")
				in.OwnershipSettings = &types.OwnershipSettings{OwnerUserProfileName: aws.String("alice")}
				in.SpaceSharingSettings = &types.SpaceSharingSettings{SharingType: types.SharingTypePrivate}
			}
			if _, err := c.CreateSpace(ctx, in); err != nil {
				t.Fatal(err)
			}
			got, err := c.DescribeSpace(ctx, &sagemaker.DescribeSpaceInput{DomainId: aws.String(id), SpaceName: aws.String("s")})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got.SpaceSettings, sdkCmp); diff != "" {
				t.Errorf("SpaceSettings (-want +got):\n%s", diff)
			}
			if got.SpaceDisplayName != nil {
				t.Errorf("SpaceDisplayName %q, want none", *got.SpaceDisplayName)
			}
		})
	}
}

// TestSpaceNamesAreCaseSensitive: unlike profile names, the model does not
// say space names are case insensitive, so "lab" and "Lab" are two spaces.
func TestSpaceNamesAreCaseSensitive(t *testing.T) {
	_, c, _ := newTest(t)
	id := aws.ToString(mustCreate(t, c, minimalCreate("spaces")).DomainId)
	mustCreateSpace(t, c, id, "lab", "")
	mustCreateSpace(t, c, id, "Lab", "")
	if s := spaceStatus(t, c, id, "LAB"); s != "gone" {
		t.Errorf("DescribeSpace LAB: %s, want ResourceNotFound", s)
	}
}
