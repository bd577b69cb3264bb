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

// appRef names an app: by user profile or by space.
type appRef struct {
	profile, space string
	typ            types.AppType
	name           string
}

func (r appRef) create(domainID string) *sagemaker.CreateAppInput {
	in := &sagemaker.CreateAppInput{DomainId: aws.String(domainID), AppType: r.typ, AppName: aws.String(r.name)}
	if r.profile != "" {
		in.UserProfileName = aws.String(r.profile)
	}
	if r.space != "" {
		in.SpaceName = aws.String(r.space)
	}
	return in
}

func (r appRef) describe(domainID string) *sagemaker.DescribeAppInput {
	in := r.create(domainID)
	return &sagemaker.DescribeAppInput{DomainId: in.DomainId, AppType: in.AppType, AppName: in.AppName, UserProfileName: in.UserProfileName, SpaceName: in.SpaceName}
}

func (r appRef) delete(domainID string) *sagemaker.DeleteAppInput {
	in := r.create(domainID)
	return &sagemaker.DeleteAppInput{DomainId: in.DomainId, AppType: in.AppType, AppName: in.AppName, UserProfileName: in.UserProfileName, SpaceName: in.SpaceName}
}

func mustCreateApp(t *testing.T, c *sagemaker.Client, domainID string, r appRef) string {
	t.Helper()
	out, err := c.CreateApp(context.Background(), r.create(domainID))
	if err != nil {
		t.Fatalf("CreateApp %+v: %v", r, err)
	}
	return aws.ToString(out.AppArn)
}

func appStatus(t *testing.T, c *sagemaker.Client, domainID string, r appRef) string {
	t.Helper()
	out, err := c.DescribeApp(context.Background(), r.describe(domainID))
	if errorsAs(err, new(*types.ResourceNotFound)) {
		return "gone"
	}
	if err != nil {
		t.Fatalf("DescribeApp %+v: %v", r, err)
	}
	return string(out.Status)
}

func TestAppLifecycle(t *testing.T) {
	_, c, clock := newTest(t, smdomaintest.WithAppDelay(30*time.Second))
	ctx := context.Background()
	id := aws.ToString(mustCreate(t, c, minimalCreate("apps")).DomainId)
	mustCreateProfile(t, c, id, "alice")
	lab := appRef{profile: "alice", typ: types.AppTypeJupyterServer, name: "default"}

	spec := &types.ResourceSpec{InstanceType: types.AppInstanceTypeSystem}
	in := lab.create(id)
	in.ResourceSpec = spec
	in.Tags = []types.Tag{{Key: aws.String("owner"), Value: aws.String("alice")}}
	created, err := c.CreateApp(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	wantARN := "arn:aws:sagemaker:us-east-1:123456789012:app/" + id + "/alice/jupyterserver/default"
	if got := aws.ToString(created.AppArn); got != wantARN {
		t.Errorf("AppArn = %s, want %s", got, wantARN)
	}
	got, err := c.DescribeApp(ctx, lab.describe(id))
	if err != nil {
		t.Fatal(err)
	}
	want := &sagemaker.DescribeAppOutput{
		AppArn:          aws.String(wantARN),
		AppName:         aws.String("default"),
		AppType:         types.AppTypeJupyterServer,
		DomainId:        aws.String(id),
		UserProfileName: aws.String("alice"),
		Status:          types.AppStatusPending,
		CreationTime:    aws.Time(epoch0),
		ResourceSpec:    spec,
	}
	if diff := cmp.Diff(want, got, sdkCmp); diff != "" {
		t.Errorf("DescribeApp (-want +got):\n%s", diff)
	}
	if _, err := c.ListTags(ctx, &sagemaker.ListTagsInput{ResourceArn: aws.String(wantARN)}); err != nil {
		t.Errorf("ListTags of a live app: %v", err)
	}
	if _, err := c.DeleteApp(ctx, lab.delete(id)); !errorsAs(err, new(*types.ResourceInUse)) {
		t.Errorf("DeleteApp while Pending: %v, want ResourceInUse", err)
	}
	clock.Advance(30 * time.Second)
	if s := appStatus(t, c, id, lab); s != "InService" {
		t.Errorf("after the delay: %s, want InService", s)
	}
	if _, err := c.CreateApp(ctx, lab.create(id)); !errorsAs(err, new(*types.ResourceInUse)) {
		t.Errorf("second CreateApp of a live app: %v, want ResourceInUse", err)
	}
	if _, err := c.DeleteApp(ctx, lab.delete(id)); err != nil {
		t.Fatal(err)
	}
	if s := appStatus(t, c, id, lab); s != "Deleting" {
		t.Errorf("after delete: %s, want Deleting", s)
	}
	if _, err := c.DeleteApp(ctx, lab.delete(id)); err != nil {
		t.Errorf("DeleteApp while Deleting: %v, want success", err)
	}
	clock.Advance(30 * time.Second)
	if s := appStatus(t, c, id, lab); s != "Deleted" {
		t.Errorf("after the delete delay: %s, want Deleted", s)
	}
	if _, err := c.DeleteApp(ctx, lab.delete(id)); !errorsAs(err, new(*types.ResourceNotFound)) {
		t.Errorf("DeleteApp of a Deleted app: %v, want ResourceNotFound", err)
	}
	if _, err := c.ListTags(ctx, &sagemaker.ListTagsInput{ResourceArn: aws.String(wantARN)}); !errorsAs(err, new(*types.ResourceNotFound)) {
		t.Errorf("ListTags of a Deleted app: %v, want ResourceNotFound", err)
	}

	// The name is free again; the Deleted app stays listed beside the new one.
	mustCreateApp(t, c, id, lab)
	list, err := c.ListApps(ctx, &sagemaker.ListAppsInput{DomainIdEquals: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	wantList := []types.AppDetails{
		{DomainId: aws.String(id), UserProfileName: aws.String("alice"), AppType: types.AppTypeJupyterServer, AppName: aws.String("default"), Status: types.AppStatusDeleted, CreationTime: aws.Time(epoch0), ResourceSpec: spec},
		{DomainId: aws.String(id), UserProfileName: aws.String("alice"), AppType: types.AppTypeJupyterServer, AppName: aws.String("default"), Status: types.AppStatusPending, CreationTime: aws.Time(epoch0.Add(time.Minute))},
	}
	if diff := cmp.Diff(wantList, list.Apps, sdkCmp); diff != "" {
		t.Errorf("ListApps (-want +got):\n%s", diff)
	}
	if s := appStatus(t, c, id, lab); s != "Pending" {
		t.Errorf("DescribeApp with a Deleted and a new app: %s, want the new one, Pending", s)
	}
}

func TestAppRefusals(t *testing.T) {
	srv, c, _ := newTest(t, smdomaintest.WithUserProfileDelay(time.Minute))
	ctx := context.Background()
	id := aws.ToString(mustCreate(t, c, minimalCreate("apps")).DomainId)
	mustCreateProfile(t, c, id, "pending") // stays Pending: the clock does not move
	mustCreateProfile(t, c, id, "alice")
	if err := srv.SetUserProfileStatus(id, "alice", "InService", ""); err != nil {
		t.Fatal(err)
	}
	both := appRef{profile: "alice", space: "lab", typ: types.AppTypeJupyterLab, name: "default"}
	tests := []struct {
		name string
		ref  appRef
		dom  string
		code string
	}{
		{"neither owner", appRef{typ: types.AppTypeJupyterLab, name: "default"}, id, "ValidationException"},
		{"both owners", both, id, "ValidationException"},
		{"missing profile", appRef{profile: "nobody", typ: types.AppTypeJupyterLab, name: "default"}, id, "ResourceNotFound"},
		{"missing space", appRef{space: "nowhere", typ: types.AppTypeJupyterLab, name: "default"}, id, "ResourceNotFound"},
		{"owner not InService", appRef{profile: "pending", typ: types.AppTypeJupyterLab, name: "default"}, id, "ResourceInUse"},
		{"missing domain", appRef{profile: "alice", typ: types.AppTypeJupyterLab, name: "default"}, "d-000000000000", "ResourceNotFound"},
		{"bad name", appRef{profile: "alice", typ: types.AppTypeJupyterLab, name: "my_app"}, id, "ValidationException"},
		{"bad type", appRef{profile: "alice", typ: "Emacs", name: "default"}, id, "ValidationException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.CreateApp(ctx, tt.ref.create(tt.dom))
			if got := apiCode(err); got != tt.code {
				t.Errorf("CreateApp: %v, want %s", err, tt.code)
			}
		})
	}
	// Describe and Delete: a missing app, owner or domain is
	// *types.ResourceNotFound; a request naming both owners is invalid.
	for _, r := range []appRef{
		{profile: "alice", typ: types.AppTypeJupyterLab, name: "none"},
		{profile: "nobody", typ: types.AppTypeJupyterLab, name: "none"},
		{space: "nowhere", typ: types.AppTypeJupyterLab, name: "none"},
	} {
		if _, err := c.DescribeApp(ctx, r.describe(id)); !errorsAs(err, new(*types.ResourceNotFound)) {
			t.Errorf("DescribeApp %+v: %v, want ResourceNotFound", r, err)
		}
		if _, err := c.DeleteApp(ctx, r.delete(id)); !errorsAs(err, new(*types.ResourceNotFound)) {
			t.Errorf("DeleteApp %+v: %v, want ResourceNotFound", r, err)
		}
	}
	if _, err := c.DescribeApp(ctx, both.describe("d-000000000000")); apiCode(err) != "ValidationException" {
		t.Errorf("DescribeApp naming both owners: %v, want ValidationException", err)
	}
	if _, err := c.DeleteApp(ctx, appRef{profile: "alice", typ: types.AppTypeJupyterLab, name: "x"}.delete("d-000000000000")); !errorsAs(err, new(*types.ResourceNotFound)) {
		t.Errorf("DeleteApp in a missing domain: %v, want ResourceNotFound", err)
	}
}

func TestAppsBlockTheirOwners(t *testing.T) {
	srv, c, _ := newTest(t)
	ctx := context.Background()
	id := aws.ToString(mustCreate(t, c, minimalCreate("apps")).DomainId)
	mustCreateProfile(t, c, id, "alice")
	mustCreateSpace(t, c, id, "lab", "")
	mine := appRef{profile: "alice", typ: types.AppTypeJupyterServer, name: "default"}
	ours := appRef{space: "lab", typ: types.AppTypeJupyterLab, name: "default"}
	mustCreateApp(t, c, id, mine)
	spaceARN := mustCreateApp(t, c, id, ours)
	if want := "arn:aws:sagemaker:us-east-1:123456789012:app/" + id + "/lab/jupyterlab/default"; spaceARN != want {
		t.Errorf("space app ARN = %s, want %s", spaceARN, want)
	}

	delProfile := &sagemaker.DeleteUserProfileInput{DomainId: aws.String(id), UserProfileName: aws.String("alice")}
	delSpace := &sagemaker.DeleteSpaceInput{DomainId: aws.String(id), SpaceName: aws.String("lab")}
	if _, err := c.DeleteUserProfile(ctx, delProfile); !errorsAs(err, new(*types.ResourceInUse)) {
		t.Errorf("DeleteUserProfile with an app: %v, want ResourceInUse", err)
	}
	if _, err := c.DeleteSpace(ctx, delSpace); !errorsAs(err, new(*types.ResourceInUse)) {
		t.Errorf("DeleteSpace with an app: %v, want ResourceInUse", err)
	}
	// A Failed app still blocks; once deleted it does not.
	if err := srv.SetAppStatus(spaceARN, "Failed", "image pull failed"); err != nil {
		t.Fatal(err)
	}
	out, err := c.DescribeApp(ctx, ours.describe(id))
	if err != nil {
		t.Fatal(err)
	}
	if out.Status != types.AppStatusFailed || aws.ToString(out.FailureReason) != "image pull failed" {
		t.Errorf("app is %s (%q), want Failed (image pull failed)", out.Status, aws.ToString(out.FailureReason))
	}
	if _, err := c.DeleteSpace(ctx, delSpace); !errorsAs(err, new(*types.ResourceInUse)) {
		t.Errorf("DeleteSpace with a Failed app: %v, want ResourceInUse", err)
	}
	for _, r := range []appRef{mine, ours} {
		if _, err := c.DeleteApp(ctx, r.delete(id)); err != nil {
			t.Fatalf("DeleteApp %+v: %v", r, err)
		}
	}
	if _, err := c.DeleteSpace(ctx, delSpace); err != nil {
		t.Errorf("DeleteSpace once its app is Deleted: %v", err)
	}
	if _, err := c.DeleteUserProfile(ctx, delProfile); err != nil {
		t.Errorf("DeleteUserProfile once its app is Deleted: %v", err)
	}
	// The Deleted apps go with their owners.
	list, err := c.ListApps(ctx, &sagemaker.ListAppsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Apps) != 0 {
		t.Errorf("apps left after their owners went: %+v", list.Apps)
	}
	if err := srv.SetAppStatus(spaceARN, "Bored", ""); err == nil {
		t.Error("SetAppStatus accepted an unknown status")
	}
	if err := srv.SetAppStatus(spaceARN, "InService", ""); err == nil {
		t.Error("SetAppStatus accepted an app that is gone")
	}
}
