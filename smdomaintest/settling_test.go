package smdomaintest_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/finegrained/smdomain/smdomaintest"
	"github.com/google/go-cmp/cmp"
)

// TestUntouchedResourcesSettleWhenReached: a resource is settled when a
// request reaches it, by whatever way, so that one whose time came while
// nothing touched it is seen as it should be: here a domain forced to
// Deleting, with a profile and an app, whose delete delay runs out
// without any request naming it.
func TestUntouchedResourcesSettleWhenReached(t *testing.T) {
	srv, c, clock := newTest(t, smdomaintest.WithDeleteDelay(time.Minute), smdomaintest.WithDomainQuota(2))
	ctx := context.Background()
	gone := aws.ToString(mustCreate(t, c, minimalCreate("gone")).DomainId)
	profileARN := mustCreateProfile(t, c, gone, "alice")
	appARN := mustCreateApp(t, c, gone, appRef{profile: "alice", typ: types.AppTypeJupyterServer, name: "default"})
	kept := aws.ToString(mustCreate(t, c, minimalCreate("kept")).DomainId)
	mustCreateProfile(t, c, kept, "bob")
	if err := srv.SetDomainStatus(gone, "Deleting", ""); err != nil {
		t.Fatal(err)
	}
	// A Deleting domain does not count towards the quota.
	third := aws.ToString(mustCreate(t, c, minimalCreate("third")).DomainId)
	if _, err := c.CreateDomain(ctx, minimalCreate("fourth")); !errorsAs(err, new(*types.ResourceLimitExceeded)) {
		t.Errorf("CreateDomain past the quota: %v, want ResourceLimitExceeded", err)
	}
	clock.Advance(time.Minute)

	profiles, err := c.ListUserProfiles(ctx, &sagemaker.ListUserProfilesInput{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range profiles.UserProfiles {
		names = append(names, aws.ToString(p.UserProfileName))
	}
	if diff := cmp.Diff([]string{"bob"}, names); diff != "" {
		t.Errorf("profiles listed (-want +got):\n%s", diff)
	}
	for _, arn := range []string{appARN, profileARN} {
		if _, err := c.ListTags(ctx, &sagemaker.ListTagsInput{ResourceArn: aws.String(arn)}); !errorsAs(err, new(*types.ResourceNotFound)) {
			t.Errorf("ListTags %s: %v, want ResourceNotFound", arn, err)
		}
	}
	if diff := cmp.Diff(slices.Sorted(slices.Values([]string{kept, third})), srv.DomainIDs()); diff != "" {
		t.Errorf("DomainIDs (-want +got):\n%s", diff)
	}
	// Its going does not change the quota's count.
	if _, err := c.CreateDomain(ctx, minimalCreate("fourth")); !errorsAs(err, new(*types.ResourceLimitExceeded)) {
		t.Errorf("CreateDomain past the quota: %v, want ResourceLimitExceeded", err)
	}
}

// TestListPagesGoByPosition: a page starts after the last item of the one
// before, in either order, even when that item or the next has gone in
// between.
func TestListPagesGoByPosition(t *testing.T) {
	for _, order := range []types.SortOrder{types.SortOrderAscending, types.SortOrderDescending} {
		t.Run(string(order), func(t *testing.T) {
			_, c, _ := newTest(t)
			ctx := context.Background()
			id := aws.ToString(mustCreate(t, c, minimalCreate("paged")).DomainId)
			var all []string
			for i := range 6 {
				name := fmt.Sprintf("u%d", i)
				all = append(all, name)
				mustCreateProfile(t, c, id, name)
			}
			if order == types.SortOrderDescending {
				slices.Reverse(all)
			}
			in := &sagemaker.ListUserProfilesInput{DomainIdEquals: aws.String(id), MaxResults: aws.Int32(2), SortOrder: order}
			var pages [][]string
			for {
				out, err := c.ListUserProfiles(ctx, in)
				if err != nil {
					t.Fatal(err)
				}
				var page []string
				for _, p := range out.UserProfiles {
					page = append(page, aws.ToString(p.UserProfileName))
				}
				pages = append(pages, page)
				if out.NextToken == nil {
					break
				}
				in.NextToken = out.NextToken
				if len(pages) == 1 {
					// The last item of this page and the first of the
					// next go (the delete delay is 0).
					for _, name := range []string{all[1], all[2]} {
						if _, err := c.DeleteUserProfile(ctx, &sagemaker.DeleteUserProfileInput{DomainId: aws.String(id), UserProfileName: aws.String(name)}); err != nil {
							t.Fatal(err)
						}
					}
				}
			}
			want := [][]string{all[0:2], all[3:5], all[5:6]}
			if diff := cmp.Diff(want, pages); diff != "" {
				t.Errorf("pages (-want +got):\n%s", diff)
			}
		})
	}
}
