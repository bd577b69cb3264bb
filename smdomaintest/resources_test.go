package smdomaintest_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/finegrained/smdomain/smdomaintest"
	"github.com/google/go-cmp/cmp"
)

// TestListPaginators pages through 120 user profiles, spaces and apps with
// the SDK's own paginators, in a domain beside another one whose
// resources the DomainIdEquals filter must leave out.
func TestListPaginators(t *testing.T) {
	_, c, _ := newTest(t)
	ctx := context.Background()
	id := aws.ToString(mustCreate(t, c, minimalCreate("many")).DomainId)
	other := aws.ToString(mustCreate(t, c, minimalCreate("other")).DomainId)
	const n = 120
	var names []string
	for i := range n {
		name := fmt.Sprintf("u%03d", i)
		names = append(names, name)
		mustCreateProfile(t, c, id, name)
		mustCreateSpace(t, c, id, name, "")
	}
	mustCreateProfile(t, c, other, "elsewhere")
	mustCreateSpace(t, c, other, "elsewhere", "")
	mustCreateApp(t, c, other, appRef{profile: "elsewhere", typ: types.AppTypeJupyterServer, name: "default"})
	mustCreateProfile(t, c, id, "owner")
	for _, name := range names {
		mustCreateApp(t, c, id, appRef{profile: "owner", typ: types.AppTypeKernelGateway, name: name})
	}

	var profiles, spaces, apps []string
	var pages [3]int
	pp := sagemaker.NewListUserProfilesPaginator(c, &sagemaker.ListUserProfilesInput{DomainIdEquals: aws.String(id), MaxResults: aws.Int32(50)})
	for pp.HasMorePages() {
		page, err := pp.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages[0]++
		for _, p := range page.UserProfiles {
			if aws.ToString(p.UserProfileName) != "owner" {
				profiles = append(profiles, aws.ToString(p.UserProfileName))
			}
		}
	}
	sp := sagemaker.NewListSpacesPaginator(c, &sagemaker.ListSpacesInput{DomainIdEquals: aws.String(id), MaxResults: aws.Int32(100)})
	for sp.HasMorePages() {
		page, err := sp.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages[1]++
		for _, s := range page.Spaces {
			spaces = append(spaces, aws.ToString(s.SpaceName))
		}
	}
	ap := sagemaker.NewListAppsPaginator(c, &sagemaker.ListAppsInput{DomainIdEquals: aws.String(id)})
	for ap.HasMorePages() {
		page, err := ap.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages[2]++
		for _, a := range page.Apps {
			apps = append(apps, aws.ToString(a.AppName))
		}
	}
	for i, got := range [][]string{profiles, spaces, apps} {
		if diff := cmp.Diff(names, got); diff != "" {
			t.Errorf("listing %d (-want +got):\n%s", i, diff)
		}
	}
	// 121 profiles at 50, 120 spaces at 100, 120 apps at the default 10.
	if want := [3]int{3, 2, 12}; pages != want {
		t.Errorf("pages = %v, want %v", pages, want)
	}
}

func TestListFilters(t *testing.T) {
	_, c, _ := newTest(t)
	ctx := context.Background()
	id := aws.ToString(mustCreate(t, c, minimalCreate("filters")).DomainId)
	for _, name := range []string{"alice", "bob", "alicia"} {
		mustCreateProfile(t, c, id, name)
		mustCreateSpace(t, c, id, name+"-space", "")
	}
	mustCreateApp(t, c, id, appRef{profile: "alice", typ: types.AppTypeJupyterServer, name: "default"})
	mustCreateApp(t, c, id, appRef{profile: "bob", typ: types.AppTypeJupyterServer, name: "default"})
	mustCreateApp(t, c, id, appRef{space: "alice-space", typ: types.AppTypeJupyterLab, name: "default"})

	ups, err := c.ListUserProfiles(ctx, &sagemaker.ListUserProfilesInput{UserProfileNameContains: aws.String("ali"), SortOrder: types.SortOrderDescending})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range ups.UserProfiles {
		got = append(got, aws.ToString(p.UserProfileName))
	}
	if diff := cmp.Diff([]string{"alicia", "alice"}, got); diff != "" {
		t.Errorf("ListUserProfiles contains ali, descending (-want +got):\n%s", diff)
	}
	ss, err := c.ListSpaces(ctx, &sagemaker.ListSpacesInput{DomainIdEquals: aws.String(id), SpaceNameContains: aws.String("bob")})
	if err != nil {
		t.Fatal(err)
	}
	if len(ss.Spaces) != 1 || aws.ToString(ss.Spaces[0].SpaceName) != "bob-space" {
		t.Errorf("ListSpaces contains bob: %+v", ss.Spaces)
	}
	appsOf := func(in *sagemaker.ListAppsInput) []string {
		t.Helper()
		out, err := c.ListApps(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, a := range out.Apps {
			names = append(names, aws.ToString(a.UserProfileName)+aws.ToString(a.SpaceName)+"/"+string(a.AppType))
		}
		return names
	}
	if diff := cmp.Diff([]string{"bob/JupyterServer"}, appsOf(&sagemaker.ListAppsInput{UserProfileNameEquals: aws.String("bob")})); diff != "" {
		t.Errorf("ListApps of bob (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"alice-space/JupyterLab"}, appsOf(&sagemaker.ListAppsInput{DomainIdEquals: aws.String(id), SpaceNameEquals: aws.String("alice-space")})); diff != "" {
		t.Errorf("ListApps of alice-space (-want +got):\n%s", diff)
	}
	if got := appsOf(&sagemaker.ListAppsInput{DomainIdEquals: aws.String("d-000000000000")}); len(got) != 0 {
		t.Errorf("ListApps of a missing domain: %v", got)
	}
	for _, limit := range []int32{0, 101} {
		_, err := c.ListUserProfiles(ctx, &sagemaker.ListUserProfilesInput{MaxResults: aws.Int32(limit)})
		if apiCode(err) != "ValidationException" {
			t.Errorf("ListUserProfiles MaxResults %d: %v, want ValidationException", limit, err)
		}
	}
	if _, err := c.ListApps(ctx, &sagemaker.ListAppsInput{NextToken: aws.String("garbage")}); apiCode(err) != "ValidationException" {
		t.Errorf("ListApps with a bad token: %v, want ValidationException", err)
	}
}

// TestCascadeByHand deletes a domain in use the only way the emulator (and
// the service) allows: apps, then spaces, then user profiles, then the
// domain, waiting at each step.
func TestCascadeByHand(t *testing.T) {
	d := time.Minute
	_, c, clock := newTest(t, smdomaintest.WithUserProfileDelay(d), smdomaintest.WithSpaceDelay(d), smdomaintest.WithAppDelay(d), smdomaintest.WithDeleteDelay(d), smdomaintest.WithCreateDelay(d))
	ctx := context.Background()
	id := aws.ToString(mustCreate(t, c, minimalCreate("cascade")).DomainId)
	clock.Advance(d)
	for _, u := range []string{"alice", "bob"} {
		mustCreateProfile(t, c, id, u)
	}
	clock.Advance(d)
	mustCreateSpace(t, c, id, "alice-lab", "alice")
	mustCreateSpace(t, c, id, "shared", "")
	clock.Advance(d)
	apps := []appRef{
		{profile: "alice", typ: types.AppTypeJupyterServer, name: "default"},
		{profile: "bob", typ: types.AppTypeKernelGateway, name: "datascience"},
		{space: "alice-lab", typ: types.AppTypeJupyterLab, name: "default"},
		{space: "shared", typ: types.AppTypeCodeEditor, name: "default"},
	}
	for _, a := range apps {
		mustCreateApp(t, c, id, a)
	}
	clock.Advance(d)

	inUse := func(step string, err error) {
		t.Helper()
		if !errorsAs(err, new(*types.ResourceInUse)) {
			t.Errorf("%s: %v, want ResourceInUse", step, err)
		}
	}
	_, err := c.DeleteDomain(ctx, &sagemaker.DeleteDomainInput{DomainId: aws.String(id)})
	inUse("DeleteDomain first", err)
	_, err = c.DeleteSpace(ctx, &sagemaker.DeleteSpaceInput{DomainId: aws.String(id), SpaceName: aws.String("shared")})
	inUse("DeleteSpace before its apps", err)

	// 1. Apps, until every one is Deleted.
	list, err := c.ListApps(ctx, &sagemaker.ListAppsInput{DomainIdEquals: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Apps) != len(apps) {
		t.Fatalf("%d apps listed, want %d", len(list.Apps), len(apps))
	}
	for _, a := range list.Apps {
		if _, err := c.DeleteApp(ctx, &sagemaker.DeleteAppInput{DomainId: a.DomainId, AppType: a.AppType, AppName: a.AppName, UserProfileName: a.UserProfileName, SpaceName: a.SpaceName}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = c.DeleteSpace(ctx, &sagemaker.DeleteSpaceInput{DomainId: aws.String(id), SpaceName: aws.String("shared")})
	inUse("DeleteSpace while its app is Deleting", err)
	clock.Advance(d)
	for _, a := range apps {
		if s := appStatus(t, c, id, a); s != "Deleted" {
			t.Errorf("app %+v is %s, want Deleted", a, s)
		}
	}

	// 2. Spaces, until gone.
	_, err = c.DeleteUserProfile(ctx, &sagemaker.DeleteUserProfileInput{DomainId: aws.String(id), UserProfileName: aws.String("alice")})
	inUse("DeleteUserProfile of a space owner", err)
	for _, s := range []string{"alice-lab", "shared"} {
		if _, err := c.DeleteSpace(ctx, &sagemaker.DeleteSpaceInput{DomainId: aws.String(id), SpaceName: aws.String(s)}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = c.DeleteDomain(ctx, &sagemaker.DeleteDomainInput{DomainId: aws.String(id)})
	inUse("DeleteDomain while spaces are Deleting", err)
	clock.Advance(d)
	for _, s := range []string{"alice-lab", "shared"} {
		if st := spaceStatus(t, c, id, s); st != "gone" {
			t.Errorf("space %s is %s, want gone", s, st)
		}
	}

	// 3. User profiles, until gone; their Deleted apps go with them.
	for _, u := range []string{"alice", "bob"} {
		if _, err := c.DeleteUserProfile(ctx, &sagemaker.DeleteUserProfileInput{DomainId: aws.String(id), UserProfileName: aws.String(u)}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = c.DeleteDomain(ctx, &sagemaker.DeleteDomainInput{DomainId: aws.String(id)})
	inUse("DeleteDomain while profiles are Deleting", err)
	clock.Advance(d)
	left, err := c.ListApps(ctx, &sagemaker.ListAppsInput{DomainIdEquals: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	if len(left.Apps) != 0 {
		t.Errorf("apps left: %+v", left.Apps)
	}

	// 4. The domain.
	if _, err := c.DeleteDomain(ctx, &sagemaker.DeleteDomainInput{DomainId: aws.String(id)}); err != nil {
		t.Fatalf("DeleteDomain at last: %v", err)
	}
	clock.Advance(d)
	if _, err := c.DescribeDomain(ctx, &sagemaker.DescribeDomainInput{DomainId: aws.String(id)}); !errorsAs(err, new(*types.ResourceNotFound)) {
		t.Errorf("DescribeDomain after the cascade: %v, want ResourceNotFound", err)
	}
}

// TestDomainForcedGoneTakesItsResources covers a domain sent to Deleting
// with SetDomainStatus, bypassing the refusal: what it held goes with it.
func TestDomainForcedGoneTakesItsResources(t *testing.T) {
	srv, c, _ := newTest(t)
	ctx := context.Background()
	id := aws.ToString(mustCreate(t, c, minimalCreate("forced")).DomainId)
	arn := mustCreateProfile(t, c, id, "alice")
	mustCreateApp(t, c, id, appRef{profile: "alice", typ: types.AppTypeJupyterServer, name: "default"})
	if err := srv.SetDomainStatus(id, "Deleting", ""); err != nil {
		t.Fatal(err)
	}
	for _, check := range []func() (int, error){
		func() (int, error) {
			out, err := c.ListUserProfiles(ctx, &sagemaker.ListUserProfilesInput{})
			return len(out.UserProfiles), err
		},
		func() (int, error) {
			out, err := c.ListApps(ctx, &sagemaker.ListAppsInput{})
			return len(out.Apps), err
		},
	} {
		if n, err := check(); err != nil || n != 0 {
			t.Errorf("left after the domain went: %d (%v)", n, err)
		}
	}
	if _, err := c.ListTags(ctx, &sagemaker.ListTagsInput{ResourceArn: aws.String(arn)}); !errorsAs(err, new(*types.ResourceNotFound)) {
		t.Errorf("ListTags of the profile: %v, want ResourceNotFound", err)
	}
}

// TestResourceFaultsAndCallLog checks that faults arm on the new
// operations by name and that the call log records them.
func TestResourceFaultsAndCallLog(t *testing.T) {
	srv, c, _ := newTest(t)
	ctx := context.Background()
	id := aws.ToString(mustCreate(t, c, minimalCreate("faults")).DomainId)
	srv.ResetCalls()

	srv.Throttle("CreateUserProfile", 1)
	mustCreateProfile(t, c, id, "alice")
	srv.Fail("ListApps", 1)
	if _, err := c.ListApps(ctx, &sagemaker.ListAppsInput{}); err != nil {
		t.Fatal(err)
	}
	srv.CutConnection("CreateSpace", 1)
	mustCreateSpace(t, c, id, "lab", "")
	// A lost CreateApp response: the SDK retries, and the retry finds the
	// app it created.
	srv.LoseResponse("CreateApp", 1)
	_, err := c.CreateApp(ctx, appRef{profile: "alice", typ: types.AppTypeJupyterServer, name: "default"}.create(id))
	if !errorsAs(err, new(*types.ResourceInUse)) {
		t.Errorf("CreateApp after a lost response: %v, want ResourceInUse from the retry", err)
	}
	srv.Throttle("DeleteApp", 1)
	if _, err := c.DeleteApp(ctx, appRef{profile: "alice", typ: types.AppTypeJupyterServer, name: "default"}.delete(id)); err != nil {
		t.Fatal(err)
	}
	want := []callSummary{
		{"CreateUserProfile", 400, "throttle"}, {"CreateUserProfile", 200, ""},
		{"ListApps", 500, "fail"}, {"ListApps", 200, ""},
		{"CreateSpace", 0, "cut"}, {"CreateSpace", 200, ""},
		{"CreateApp", 200, "lose"}, {"CreateApp", 400, ""},
		{"DeleteApp", 400, "throttle"}, {"DeleteApp", 200, ""},
	}
	if diff := cmp.Diff(want, summarize(srv.Calls())); diff != "" {
		t.Errorf("call log (-want +got):\n%s", diff)
	}
}

func TestConcurrentResources(t *testing.T) {
	srv, c, clock := newTest(t, smdomaintest.WithUserProfileDelay(time.Minute))
	ctx := context.Background()
	id := aws.ToString(mustCreate(t, c, minimalCreate("busy")).DomainId)
	const n = 30
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("u%d", i)
			steps := []func() error{
				func() error {
					_, err := c.CreateUserProfile(ctx, &sagemaker.CreateUserProfileInput{DomainId: aws.String(id), UserProfileName: aws.String(name)})
					return err
				},
				func() error {
					_, err := c.CreateSpace(ctx, &sagemaker.CreateSpaceInput{DomainId: aws.String(id), SpaceName: aws.String(name)})
					return err
				},
				func() error {
					_, err := c.CreateApp(ctx, appRef{space: name, typ: types.AppTypeJupyterLab, name: "default"}.create(id))
					return err
				},
				func() error {
					_, err := c.ListUserProfiles(ctx, &sagemaker.ListUserProfilesInput{DomainIdEquals: aws.String(id)})
					return err
				},
				func() error {
					_, err := c.ListApps(ctx, &sagemaker.ListAppsInput{})
					return err
				},
				func() error {
					_, err := c.DeleteApp(ctx, appRef{space: name, typ: types.AppTypeJupyterLab, name: "default"}.delete(id))
					return err
				},
				func() error {
					_, err := c.DeleteSpace(ctx, &sagemaker.DeleteSpaceInput{DomainId: aws.String(id), SpaceName: aws.String(name)})
					return err
				},
			}
			for _, step := range steps {
				if err := step(); err != nil {
					errs <- fmt.Errorf("%s: %w", name, err)
					return
				}
			}
			_ = srv.Calls()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	clock.Advance(time.Minute)
	out, err := c.ListUserProfiles(ctx, &sagemaker.ListUserProfilesInput{MaxResults: aws.Int32(100)})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.UserProfiles) != n {
		t.Errorf("%d user profiles, want %d", len(out.UserProfiles), n)
	}
	for _, p := range out.UserProfiles {
		if p.Status != types.UserProfileStatusInService {
			t.Errorf("%s is %s", aws.ToString(p.UserProfileName), p.Status)
		}
	}
	spaces, err := c.ListSpaces(ctx, &sagemaker.ListSpacesInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(spaces.Spaces) != 0 {
		t.Errorf("%d spaces left", len(spaces.Spaces))
	}
}
