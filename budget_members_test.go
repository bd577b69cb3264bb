package smdomain_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/finegrained/smdomain"
)

// cohort is a domain spec with n user profiles, each with its own role and
// managed tags, and n/2 shared spaces, each with managed tags.
func cohort(t testing.TB, name string, n int, role func(i int) string) *smdomain.Spec {
	var profiles []*smdomain.UserProfileSpec
	var spaces []*smdomain.SpaceSpec
	for i := range n {
		profiles = append(profiles, mustProfile(t, fmt.Sprintf("user-%03d", i),
			smdomain.WithExecutionRole(role(i)), smdomain.WithTags(map[string]string{"team": "t"})))
		if i%2 == 0 {
			spaces = append(spaces, mustSpace(t, fmt.Sprintf("project-%03d", i),
				smdomain.WithSpaceSharing(types.SharingTypeShared), smdomain.WithTags(map[string]string{"project": "p"})))
		}
	}
	return mustSpec(t, name, seedOptions(smdomain.WithUserProfiles(profiles...), smdomain.WithSpaces(spaces...))...)
}

func userRole(i int) string { return fmt.Sprintf("arn:aws:iam::123456789012:role/user-%03d", i) }

// TestBudgetNoOpEnsureWithMembers checks that Ensure of a spec that already
// matches, with n members, makes reads only and exactly the floor of them:
// the domain's lookup, description and tags (3), one ListUserProfiles and
// one ListSpaces page per 100 members, and for each member its Describe
// call and, as its tags are managed, its ListTags. ListUserProfiles and
// ListSpaces report neither settings nor tags, and the service has no
// batch Describe or batch ListTags, so no fewer calls can tell that
// nothing changed. No GetCallerIdentity: no role needs checking.
func TestBudgetNoOpEnsureWithMembers(t *testing.T) {
	for _, n := range []int{1, 10, 150} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			e := newInstantEnv(t)
			spec := cohort(t, "cohort", n, userRole)
			mustEnsure(t, e.client, spec)
			e.srv.ResetCalls()
			res := mustEnsure(t, e.newClient(), spec)
			if res.Action != smdomain.ActionUnchanged {
				t.Fatalf("action %q, want unchanged", res.Action)
			}
			spaces := (n + 1) / 2
			pages := func(k int) int { return (k + 99) / 100 }
			budget{
				maxCalls: 3 + pages(n) + pages(spaces) + 2*n + 2*spaces,
				only:     []string{"ListDomains", "DescribeDomain", "ListTags", "ListUserProfiles", "ListSpaces", "DescribeUserProfile", "DescribeSpace"},
				exactly: map[string]int{"ListDomains": 1, "DescribeDomain": 1, "ListUserProfiles": pages(n), "ListSpaces": pages(spaces),
					"DescribeUserProfile": n, "DescribeSpace": spaces, "ListTags": 1 + n + spaces},
			}.check(t, e.srv.Calls())
		})
	}
}

// TestBudgetMemberWrites checks the calls of one member create, one
// one-field update and one offboarding, each from a fresh Client.
func TestBudgetMemberWrites(t *testing.T) {
	e := newInstantEnv(t)
	ctx := context.Background()
	base := cohort(t, "writes", 3, userRole)
	mustEnsure(t, e.client, base)

	e.srv.ResetCalls()
	mustEnsure(t, e.newClient(), cohort(t, "writes", 4, userRole))
	budget{
		writes:  []string{"CreateUserProfile"},
		exactly: map[string]int{"DescribeUserProfile": 4, "GetCallerIdentity": 1},
	}.check(t, e.srv.Calls())

	e.srv.ResetCalls()
	changed := cohort(t, "writes", 4, func(i int) string {
		if i == 1 {
			return "arn:aws:iam::123456789012:role/changed"
		}
		return userRole(i)
	})
	mustEnsure(t, e.newClient(), changed)
	budget{writes: []string{"UpdateUserProfile"}, exactly: map[string]int{"GetCallerIdentity": 1}}.check(t, e.srv.Calls())

	e.srv.ResetCalls()
	pruned := mustSpec(t, "writes", seedOptions(smdomain.WithPrune())...)
	res, err := e.newClient().Ensure(ctx, pruned)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Members) != 6 {
		t.Errorf("offboarded %d members, want 6: %+v", len(res.Members), res.Members)
	}
	// The offboardings go as one cascade: the listings do not grow with
	// the members leaving. One ListApps, ListSpaces and ListUserProfiles to
	// plan; then a ListApps finding no app; a ListSpaces before the
	// spaces' deletes and one seeing them gone; the same for the profiles.
	budget{writes: []string{"DeleteSpace", "DeleteSpace", "DeleteUserProfile", "DeleteUserProfile", "DeleteUserProfile", "DeleteUserProfile"},
		unordered: true, exactly: map[string]int{"ListApps": 2, "ListSpaces": 3, "ListUserProfiles": 3}}.check(t, e.srv.Calls())
}
