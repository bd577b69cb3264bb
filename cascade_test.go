package smdomain_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	smithy "github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/finegrained/smdomain"
	"github.com/finegrained/smdomain/smdomaintest"
)

// newPopulatedEnv creates a domain with two user profiles, a space owned by
// one of them, and three apps (two of a user, one in the space), each kind
// taking minutes of virtual time to create and to delete.
func newPopulatedEnv(t *testing.T) (*env, string) {
	t.Helper()
	clk := smdomaintest.NewFakeClock(time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC))
	srv := smdomaintest.NewServer(smdomaintest.WithClock(clk),
		smdomaintest.WithCreateDelay(createDelay), smdomaintest.WithDeleteDelay(deleteDelay),
		smdomaintest.WithUserProfileDelay(time.Minute), smdomaintest.WithSpaceDelay(90*time.Second),
		smdomaintest.WithAppDelay(2*time.Minute))
	t.Cleanup(srv.Close)
	e := &env{srv: srv, clk: clk, sm: sagemaker.NewFromConfig(srv.AWSConfig()),
		client: smdomain.NewFromConfig(srv.AWSConfig(), smdomain.WithClock(clk))}
	id := mustEnsure(t, e.client, mustSpec(t, "busy", seedOptions()...)).Domain.ID
	ctx := context.Background()
	for _, user := range []string{"alice", "bob"} {
		if _, err := e.sm.CreateUserProfile(ctx, &sagemaker.CreateUserProfileInput{
			DomainId: aws.String(id), UserProfileName: aws.String(user)}); err != nil {
			t.Fatal(err)
		}
	}
	clk.Advance(time.Minute) // the profiles are InService
	if _, err := e.sm.CreateSpace(ctx, &sagemaker.CreateSpaceInput{DomainId: aws.String(id), SpaceName: aws.String("shared"),
		OwnershipSettings: &types.OwnershipSettings{OwnerUserProfileName: aws.String("alice")}}); err != nil {
		t.Fatal(err)
	}
	clk.Advance(90 * time.Second) // the space is InService
	apps := []*sagemaker.CreateAppInput{
		{DomainId: aws.String(id), UserProfileName: aws.String("alice"), AppType: types.AppTypeJupyterServer, AppName: aws.String("default")},
		{DomainId: aws.String(id), UserProfileName: aws.String("alice"), AppType: types.AppTypeKernelGateway, AppName: aws.String("datascience")},
		{DomainId: aws.String(id), SpaceName: aws.String("shared"), AppType: types.AppTypeJupyterLab, AppName: aws.String("default")},
	}
	for _, in := range apps {
		if _, err := e.sm.CreateApp(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	return e, id
}

func TestDeleteRefusesDomainInUse(t *testing.T) {
	e, id := newPopulatedEnv(t)
	e.srv.ResetCalls()
	_, err := e.client.Delete(context.Background(), smdomain.ByName("busy"))
	var inUse *smdomain.DomainInUseError
	if !errors.As(err, &inUse) {
		t.Fatalf("Delete: %v, want *DomainInUseError", err)
	}
	want := &smdomain.DomainInUseError{DomainID: id,
		UserProfiles: []string{"alice", "bob"},
		Spaces:       []string{"shared"},
		Apps:         []string{"alice/JupyterServer/default", "alice/KernelGateway/datascience", "shared/JupyterLab/default"},
	}
	if diff := cmp.Diff(want, inUse); diff != "" {
		t.Errorf("DomainInUseError (-want +got):\n%s", diff)
	}
	for _, op := range []string{"DeleteApp", "DeleteSpace", "DeleteUserProfile"} {
		if n := e.count(op); n != 0 {
			t.Errorf("%s called %d times without WithCascade", op, n)
		}
	}
	if ids := e.srv.DomainIDs(); len(ids) != 1 {
		t.Errorf("domains = %v, want the domain kept", ids)
	}
}

func TestDeleteCascade(t *testing.T) {
	e, _ := newPopulatedEnv(t) // the apps are still Pending: the cascade waits for them
	e.srv.ResetCalls()
	res, err := e.client.Delete(context.Background(), smdomain.ByName("busy"), smdomain.WithCascade())
	if err != nil {
		t.Fatal(err)
	}
	if res.Action != smdomain.ActionDeleted {
		t.Errorf("action %q, want deleted", res.Action)
	}
	var paths []string
	for _, c := range res.Changes {
		paths = append(paths, c.Path)
	}
	want := []string{
		"Apps.alice/JupyterServer/default", "Apps.alice/KernelGateway/datascience", "Apps.shared/JupyterLab/default",
		"Spaces.shared",
		"UserProfiles.alice", "UserProfiles.bob",
	}
	if diff := cmp.Diff(want, paths); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
	if ids := e.srv.DomainIDs(); len(ids) != 0 {
		t.Errorf("domains after a cascade: %v", ids)
	}
	// The order the service requires: every app, then every space, then
	// every user profile, then the domain; each delete sent once.
	var deletes []string
	for _, op := range e.ops() {
		if slices.Contains([]string{"DeleteApp", "DeleteSpace", "DeleteUserProfile", "DeleteDomain"}, op) {
			deletes = append(deletes, op)
		}
	}
	wantOrder := []string{"DeleteApp", "DeleteApp", "DeleteApp", "DeleteSpace", "DeleteUserProfile", "DeleteUserProfile", "DeleteDomain"}
	if diff := cmp.Diff(wantOrder, deletes); diff != "" {
		t.Errorf("delete calls (-want +got):\n%s", diff)
	}
	// Deleting again is a no-op.
	if again, err := e.client.Delete(context.Background(), smdomain.ByName("busy"), smdomain.WithCascade()); err != nil || again.Action != smdomain.ActionUnchanged {
		t.Errorf("second Delete: %v %v, want unchanged", again, err)
	}
}

// cancelAfter is the real client, but for cancelling a context right after
// the first call of one delete operation, wherever the cascade is then.
type cancelAfter struct {
	smdomain.API
	op     string
	cancel context.CancelFunc
}

func (c cancelAfter) after(op string) {
	if op == c.op {
		c.cancel()
	}
}

func (c cancelAfter) DeleteApp(ctx context.Context, in *sagemaker.DeleteAppInput, opts ...func(*sagemaker.Options)) (*sagemaker.DeleteAppOutput, error) {
	defer c.after("DeleteApp")
	return c.API.DeleteApp(ctx, in, opts...)
}

func (c cancelAfter) DeleteSpace(ctx context.Context, in *sagemaker.DeleteSpaceInput, opts ...func(*sagemaker.Options)) (*sagemaker.DeleteSpaceOutput, error) {
	defer c.after("DeleteSpace")
	return c.API.DeleteSpace(ctx, in, opts...)
}

func (c cancelAfter) DeleteUserProfile(ctx context.Context, in *sagemaker.DeleteUserProfileInput, opts ...func(*sagemaker.Options)) (*sagemaker.DeleteUserProfileOutput, error) {
	defer c.after("DeleteUserProfile")
	return c.API.DeleteUserProfile(ctx, in, opts...)
}

// TestDeleteCascadeResumes cancels a cascade right after its first delete
// of each kind, and checks that a fresh Client's Delete finishes the job.
func TestDeleteCascadeResumes(t *testing.T) {
	for _, op := range []string{"DeleteApp", "DeleteSpace", "DeleteUserProfile"} {
		t.Run(op, func(t *testing.T) {
			e, _ := newPopulatedEnv(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			c := smdomain.New(cancelAfter{API: e.sm, op: op, cancel: cancel}, smdomain.WithClock(e.clk))
			if _, err := c.Delete(ctx, smdomain.ByName("busy"), smdomain.WithCascade()); !errors.Is(err, context.Canceled) {
				t.Fatalf("Delete cancelled after the first %s: %v, want context.Canceled", op, err)
			}
			if ids := e.srv.DomainIDs(); len(ids) != 1 {
				t.Fatalf("domains after the cancel: %v, want the domain still there", ids)
			}
			res, err := e.newClient().Delete(context.Background(), smdomain.ByName("busy"), smdomain.WithCascade())
			if err != nil || res.Action != smdomain.ActionDeleted {
				t.Fatalf("resumed Delete: %v %v", res, err)
			}
			if ids := e.srv.DomainIDs(); len(ids) != 0 {
				t.Errorf("domains: %v", ids)
			}
		})
	}
}

// TestDeleteCascadeFaults arms each fault on each call a cascade makes:
// the Delete either finishes, or fails and the next Delete finishes.
func TestDeleteCascadeFaults(t *testing.T) {
	for _, op := range []string{"ListApps", "DeleteApp", "ListSpaces", "DeleteSpace", "ListUserProfiles", "DeleteUserProfile"} {
		for _, fk := range faultKinds {
			t.Run(op+"/"+fk.name, func(t *testing.T) {
				e, _ := newPopulatedEnv(t)
				fk.arm(e.srv, op)
				_, err := e.client.Delete(context.Background(), smdomain.ByName("busy"), smdomain.WithCascade())
				disarm(e.srv, op)
				if !slices.ContainsFunc(e.srv.Calls(), func(c smdomaintest.Call) bool {
					return c.Operation == op && c.Fault == logFault[fk.name]
				}) {
					t.Fatalf("the fault was never met (calls: %v)", e.ops())
				}
				if err != nil {
					t.Logf("first Delete: %v", err)
					if _, err := e.newClient().Delete(context.Background(), smdomain.ByName("busy"), smdomain.WithCascade()); err != nil {
						t.Fatalf("Delete without faults after the error: %v", err)
					}
				}
				if ids := e.srv.DomainIDs(); len(ids) != 0 {
					t.Errorf("domains: %v, want none", ids)
				}
			})
		}
	}
}

// TestDeleteCascadeSurvivesThrottling throttles (three times, which the
// SDK's own three attempts do not outlast) or fails with a 5xx each call a
// cascade makes: a single Delete must still delete everything.
func TestDeleteCascadeSurvivesThrottling(t *testing.T) {
	for _, op := range []string{"ListApps", "DeleteApp", "ListSpaces", "DeleteSpace", "ListUserProfiles", "DeleteUserProfile"} {
		for _, fault := range []struct {
			name string
			arm  func(*smdomaintest.Server)
		}{
			{"throttle3", func(s *smdomaintest.Server) { s.Throttle(op, 3) }},
			{"fail500x3", func(s *smdomaintest.Server) { s.Fail(op, 3) }},
			{"throttle7", func(s *smdomaintest.Server) { s.Throttle(op, 7) }},
		} {
			t.Run(op+"/"+fault.name, func(t *testing.T) {
				e, _ := newPopulatedEnv(t)
				fault.arm(e.srv)
				res, err := e.client.Delete(context.Background(), smdomain.ByName("busy"), smdomain.WithCascade())
				if err != nil {
					t.Fatalf("Delete: %v", err)
				}
				if res.Action != smdomain.ActionDeleted || len(res.Changes) != 6 {
					t.Errorf("Delete: %q with changes %v, want deleted with 6", res.Action, res.Changes)
				}
				if ids := e.srv.DomainIDs(); len(ids) != 0 {
					t.Errorf("domains: %v, want none", ids)
				}
			})
		}
	}
}

// TestDeleteCascadeGivesUpTyped throttles every DeleteSpace: the Client
// slows DeleteSpace down, throttle after throttle, and sends it again at
// that pace, on its clock, until WithMaxWait runs out; it then says,
// typed, what it had deleted.
func TestDeleteCascadeGivesUpTyped(t *testing.T) {
	e, id := newPopulatedEnv(t)
	e.srv.Throttle("DeleteSpace", 1_000_000)
	budget := 10 * time.Minute
	c := e.newClient(smdomain.WithMaxWait(budget))
	e.srv.ResetCalls()
	start := e.clk.Now()
	res, err := c.Delete(context.Background(), smdomain.ByName("busy"), smdomain.WithCascade())
	var ce *smdomain.CascadeError
	if !errors.As(err, &ce) || ce.DomainID != id {
		t.Fatalf("Delete: %v, want a *CascadeError", err)
	}
	apps := []string{"Apps.alice/JupyterServer/default", "Apps.alice/KernelGateway/datascience", "Apps.shared/JupyterLab/default"}
	if diff := cmp.Diff(apps, changePaths(ce.Deleted)); diff != "" {
		t.Errorf("CascadeError.Deleted (-want +got):\n%s", diff)
	}
	if res == nil || cmp.Diff(apps, changePaths(res.Changes)) != "" {
		t.Errorf("Result %+v, want its Changes to list the apps", res)
	}
	if !errors.Is(err, smdomain.ErrWaitTimeout) {
		t.Errorf("Delete: %v, want it to match ErrWaitTimeout", err)
	}
	var oe *smithy.OperationError
	if !errors.As(err, &oe) || oe.Operation() != "DeleteSpace" {
		t.Errorf("Delete: %v, want the last DeleteSpace error reachable", err)
	}
	// Throttled, DeleteSpace is sent one at a time, further and further
	// apart (but at least once every 20 s), and not after the budget.
	var times []time.Time
	for _, call := range e.srv.Calls() {
		if call.Operation == "DeleteSpace" {
			times = append(times, call.Time)
		}
	}
	if len(times) < 10 {
		t.Fatalf("DeleteSpace sent at %v, want it sent again and again", times)
	}
	for i := 1; i < len(times); i++ {
		gap := times[i].Sub(times[i-1])
		if gap < time.Second || gap > 20*time.Second {
			t.Errorf("DeleteSpace %d came %v after the last, want between 1s and 20s", i+1, gap)
		}
		if i > 1 && gap < times[i-1].Sub(times[i-2]) {
			t.Errorf("DeleteSpace %d came %v after the last, sooner than the gap before it", i+1, gap)
		}
	}
	if last := times[len(times)-1]; last.After(start.Add(budget)) {
		t.Errorf("DeleteSpace sent at %v, after the budget ran out at %v", last, start.Add(budget))
	}
	if n := e.count("DeleteUserProfile") + e.count("DeleteDomain"); n != 0 {
		t.Errorf("went on past the spaces: %v", e.ops())
	}
}

// TestOffboardingSurvivesThrottling: the offboardings of Ensure WithPrune
// and of RemoveMember go through the same cascade, throttles and all; one
// that gives up returns what it deleted.
func TestOffboardingSurvivesThrottling(t *testing.T) {
	prepare := func(t *testing.T) (*env, string) {
		e := newEnv(t)
		id := mustEnsure(t, e.client, team{name: "offboard"}.spec(t)).Domain.ID
		if _, err := e.sm.CreateApp(context.Background(), &sagemaker.CreateAppInput{DomainId: aws.String(id),
			UserProfileName: aws.String("bob"), AppType: types.AppTypeJupyterServer, AppName: aws.String("default")}); err != nil {
			t.Fatal(err)
		}
		return e, id
	}
	t.Run("Ensure WithPrune", func(t *testing.T) {
		e, _ := prepare(t)
		e.srv.Throttle("DeleteUserProfile", 3)
		e.srv.Throttle("DeleteApp", 3)
		res := mustEnsure(t, e.newClient(), team{name: "offboard", withoutB: true, prune: true}.spec(t))
		if got := memberActions(res.Members)["user profile bob"]; got != smdomain.ActionDeleted {
			t.Errorf("bob: %q, want deleted", got)
		}
	})
	t.Run("RemoveMember gives up", func(t *testing.T) {
		e, id := prepare(t)
		e.srv.Throttle("DeleteUserProfile", 1_000_000)
		c := e.newClient(smdomain.WithMaxWait(5 * time.Minute))
		mr, err := c.RemoveMember(context.Background(), smdomain.ByID(id), smdomain.KindUserProfile, "bob")
		var ce *smdomain.CascadeError
		if !errors.As(err, &ce) || !errors.Is(err, smdomain.ErrWaitTimeout) {
			t.Fatalf("RemoveMember: %v, want a *CascadeError that ran out of time", err)
		}
		want := []string{"Apps.bob/JupyterServer/default"}
		if diff := cmp.Diff(want, changePaths(ce.Deleted)); diff != "" {
			t.Errorf("CascadeError.Deleted (-want +got):\n%s", diff)
		}
		if mr == nil || cmp.Diff(want, changePaths(mr.Changes)) != "" {
			t.Errorf("MemberResult %+v, want its Changes to list the app", mr)
		}
	})
}

// repeatingApps answers every ListApps with a page whose NextToken is the
// one it was given (or "again"): a service that would page forever.
type repeatingApps struct{ smdomain.API }

func (r repeatingApps) ListApps(ctx context.Context, in *sagemaker.ListAppsInput, _ ...func(*sagemaker.Options)) (*sagemaker.ListAppsOutput, error) {
	token := aws.String("again")
	if in.NextToken != nil {
		token = in.NextToken
	}
	return &sagemaker.ListAppsOutput{NextToken: token}, nil
}

// TestDeleteCascadeStopsOnRepeatedToken: a listing that repeats its
// NextToken is smdomain's own, definite error: the cascade stops at once
// with it, rather than listing again round after round until WithMaxWait.
func TestDeleteCascadeStopsOnRepeatedToken(t *testing.T) {
	e, _ := newPopulatedEnv(t)
	c := smdomain.New(repeatingApps{e.sm}, smdomain.WithClock(e.clk))
	start := e.clk.Now()
	_, err := c.Delete(context.Background(), smdomain.ByName("busy"), smdomain.WithCascade())
	if !errors.Is(err, smdomain.ErrRepeatedNextToken) || errors.Is(err, smdomain.ErrWaitTimeout) {
		t.Fatalf("Delete: %v, want ErrRepeatedNextToken and no timeout", err)
	}
	if waited := e.clk.Now().Sub(start); waited > time.Minute {
		t.Errorf("gave up after %v, want at once", waited)
	}
}
