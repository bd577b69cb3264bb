package smdomain_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/google/go-cmp/cmp"

	"github.com/finegrained/smdomain"
)

var assignmentOps = []string{"CreateApplicationAssignment", "DeleteApplicationAssignment"}

// ssoTeam is an SSO team file: user profiles for the Identity Center
// users named, each profile called as its user, and the groups.
func ssoTeam(t testing.TB, users []string, groups []string, extra ...smdomain.Option) *smdomain.Spec {
	t.Helper()
	var profiles []*smdomain.UserProfileSpec
	for _, u := range users {
		profiles = append(profiles, mustProfile(t, u, smdomain.WithSSOUser("UserName", u)))
	}
	opts := seedOptions(smdomain.WithAuthMode(types.AuthModeSso), smdomain.WithUserProfiles(profiles...))
	if groups != nil {
		opts = append(opts, smdomain.WithSSOGroups(groups...))
	}
	return mustSpec(t, "sso-ml", append(opts, extra...)...)
}

// idcEnv is an env whose identity store has alice, bob and carol and the
// group "fraud team", and a Client with WithIdentityCenter.
type idcEnv struct {
	*env
	client *smdomain.Client
	ids    map[string]string // name -> principal ID
}

func newIDCEnv(t testing.TB) *idcEnv {
	t.Helper()
	e := newEnv(t)
	ids := map[string]string{"fraud team": e.srv.AddIdentityCenterGroup("fraud team")}
	for _, u := range []string{"alice", "bob", "carol"} {
		ids[u] = e.srv.AddIdentityCenterUser(u)
	}
	return &idcEnv{env: e, client: e.idcClient(), ids: ids}
}

// idcClient is a fresh Client with WithIdentityCenter, its clients built
// by NewFromConfig.
func (e *env) idcClient() *smdomain.Client {
	return e.newClient(smdomain.WithIdentityCenter(nil, nil, e.srv.IdentityStoreID()))
}

// assigned returns the names of the principals assigned to the domain's
// application, as "USER alice", sorted.
func (e *idcEnv) assigned(t testing.TB, domainID string) []string {
	t.Helper()
	byID := map[string]string{}
	for name, id := range e.ids {
		byID[id] = name
	}
	var out []string
	for _, a := range e.srv.ApplicationAssignments(e.appARN(t, domainID)) {
		out = append(out, string(a.PrincipalType)+" "+byID[aws.ToString(a.PrincipalId)])
	}
	slices.Sort(out)
	return out
}

func (e *env) appARN(t testing.TB, domainID string) string {
	t.Helper()
	d, err := e.client.Get(context.Background(), smdomain.ByID(domainID))
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(d.Description.SingleSignOnApplicationArn)
}

func (e *env) countAll(ops []string) int {
	n := 0
	for _, op := range ops {
		n += e.count(op)
	}
	return n
}

func TestEnsureSSOTeamAssignsEachUserAfterProfilesAreInService(t *testing.T) {
	e := newIDCEnv(t)
	res := mustEnsure(t, e.client, ssoTeam(t, []string{"bob", "alice"}, []string{"fraud team"}))
	if res.Action != smdomain.ActionCreated {
		t.Errorf("action %q, want created", res.Action)
	}
	want := []string{"GROUP fraud team", "USER alice", "USER bob"}
	if diff := cmp.Diff(want, e.assigned(t, res.Domain.ID)); diff != "" {
		t.Errorf("assignments (-want +got):\n%s", diff)
	}
	var paths []string
	for _, ch := range res.Changes {
		if strings.HasPrefix(ch.Path, "Assignments.") {
			paths = append(paths, ch.Path)
			if ch.To != e.ids[ch.Path[strings.LastIndex(ch.Path, ".")+1:]] {
				t.Errorf("%s: To %v, want the principal's ID", ch.Path, ch.To)
			}
		}
	}
	if diff := cmp.Diff([]string{"Assignments.GROUP.fraud team", "Assignments.USER.alice", "Assignments.USER.bob"}, paths); diff != "" {
		t.Errorf("Result changes (-want +got):\n%s", diff)
	}
	// Each assignment after every user profile was created and waited for.
	ops := e.ops()
	first := slices.Index(ops, "CreateApplicationAssignment")
	if first < 0 || slices.Contains(ops[first:], "CreateUserProfile") || slices.Contains(ops[first:], "DescribeUserProfile") {
		t.Errorf("calls %v: the assignments must follow the profiles and their waits", ops)
	}

	e.srv.ResetCalls()
	again := mustEnsure(t, e.idcClient(), ssoTeam(t, []string{"alice", "bob"}, []string{"fraud team"}))
	if again.Action != smdomain.ActionUnchanged {
		t.Errorf("second Ensure: %q, want unchanged", again.Action)
	}
	if w := append(e.memberWrites(), assignmentOpsIn(e.ops())...); len(w) != 0 {
		t.Errorf("second Ensure wrote %v", w)
	}
	if n := e.count("ListApplicationAssignments"); n != 1 {
		t.Errorf("second Ensure listed the assignments %d times, want once", n)
	}
}

func assignmentOpsIn(ops []string) []string {
	return slices.DeleteFunc(slices.Clone(ops), func(op string) bool { return !slices.Contains(assignmentOps, op) })
}

func TestPlanReportsUnassignedUserAsDrift(t *testing.T) {
	e := newIDCEnv(t)
	ctx := context.Background()
	spec := ssoTeam(t, []string{"alice", "bob"}, nil)
	res := mustEnsure(t, e.client, spec)
	// Someone removes bob from the application in the console.
	sso := ssoadmin.NewFromConfig(e.srv.AWSConfig())
	if _, err := sso.DeleteApplicationAssignment(ctx, &ssoadmin.DeleteApplicationAssignmentInput{
		ApplicationArn: aws.String(e.appARN(t, res.Domain.ID)), PrincipalId: aws.String(e.ids["bob"]), PrincipalType: ssotypes.PrincipalTypeUser}); err != nil {
		t.Fatal(err)
	}
	e.srv.ResetCalls()
	plan, err := e.idcClient().Plan(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	if w := append(e.memberWrites(), assignmentOpsIn(e.ops())...); len(w) != 0 {
		t.Fatalf("Plan wrote %v", w)
	}
	if plan.Action != smdomain.PlanUpdate {
		t.Errorf("action %q, want update", plan.Action)
	}
	want := []smdomain.Change{{Path: "Assignments.USER.bob", To: e.ids["bob"]}}
	if diff := cmp.Diff(want, plan.Changes); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
	if s := plan.String(); !strings.Contains(s, "\n  + Assignments.USER.bob: \""+e.ids["bob"]+"\"\n") {
		t.Errorf("plan text does not show bob's assignment:\n%s", s)
	}
	// Ensure makes it, and only it.
	e.srv.ResetCalls()
	again := mustEnsure(t, e.idcClient(), spec)
	if again.Action != smdomain.ActionUpdated || e.count("CreateApplicationAssignment") != 1 || len(e.memberWrites()) != 0 {
		t.Errorf("Ensure: %q with calls %v; want updated with one CreateApplicationAssignment", again.Action, e.ops())
	}
	if diff := cmp.Diff([]string{"USER alice", "USER bob"}, e.assigned(t, res.Domain.ID)); diff != "" {
		t.Errorf("assignments (-want +got):\n%s", diff)
	}
}

func TestEnsurePruneUnassignsOnlyOffboardedUsers(t *testing.T) {
	e := newIDCEnv(t)
	ctx := context.Background()
	res := mustEnsure(t, e.client, ssoTeam(t, []string{"alice", "bob"}, []string{"fraud team"}))
	// carol was assigned by hand, without a profile: not smdomain's.
	sso := ssoadmin.NewFromConfig(e.srv.AWSConfig())
	if _, err := sso.CreateApplicationAssignment(ctx, &ssoadmin.CreateApplicationAssignmentInput{
		ApplicationArn: aws.String(e.appARN(t, res.Domain.ID)), PrincipalId: aws.String(e.ids["carol"]), PrincipalType: ssotypes.PrincipalTypeUser}); err != nil {
		t.Fatal(err)
	}
	// bob leaves; the group is no longer named.
	spec := ssoTeam(t, []string{"alice"}, nil, smdomain.WithPrune())
	plan, err := e.idcClient().Plan(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	want := []smdomain.Change{{Path: "Assignments.USER.bob", From: e.ids["bob"]}, {Path: "UserProfiles.bob", From: "InService"}}
	if diff := cmp.Diff(want, plan.Changes); diff != "" {
		t.Errorf("plan changes (-want +got):\n%s", diff)
	}
	e.srv.ResetCalls()
	mustEnsure(t, e.idcClient(), spec)
	if diff := cmp.Diff([]string{"GROUP fraud team", "USER alice", "USER carol"}, e.assigned(t, res.Domain.ID)); diff != "" {
		t.Errorf("assignments after the prune (-want +got):\n%s", diff)
	}
	ops := e.ops()
	if i, j := slices.Index(ops, "DeleteUserProfile"), slices.Index(ops, "DeleteApplicationAssignment"); i < 0 || j < i || e.count("DeleteApplicationAssignment") != 1 {
		t.Errorf("calls %v: want bob's profile deleted, then his one assignment", ops)
	}
}

func TestEnsureRefusesUnknownPrincipalsBeforeAnyWrite(t *testing.T) {
	e := newIDCEnv(t)
	spec := ssoTeam(t, []string{"alice", "zed", "dave"}, []string{"fraud team", "nobody"})
	_, err := e.client.Ensure(context.Background(), spec)
	var missing *smdomain.PrincipalNotFoundError
	if !errors.As(err, &missing) {
		t.Fatalf("Ensure: %v, want *PrincipalNotFoundError", err)
	}
	want := &smdomain.PrincipalNotFoundError{IdentityStoreID: e.srv.IdentityStoreID(), Users: []string{"dave", "zed"}, Groups: []string{"nobody"}}
	if diff := cmp.Diff(want, missing); diff != "" {
		t.Errorf("error (-want +got):\n%s", diff)
	}
	if got, wantMsg := err.Error(), `identity store `+e.srv.IdentityStoreID()+` has no user "dave", "zed" and no group "nobody"`; got != wantMsg {
		t.Errorf("message %q, want %q", got, wantMsg)
	}
	if w := e.memberWrites(); len(w) != 0 {
		t.Errorf("Ensure wrote %v before refusing", w)
	}
	// In an existing domain, the profile of an unknown user is not created.
	mustEnsure(t, e.client, ssoTeam(t, []string{"alice"}, nil))
	e.srv.ResetCalls()
	if _, err := e.client.Ensure(context.Background(), ssoTeam(t, []string{"alice", "dave"}, nil)); !errors.As(err, &missing) {
		t.Fatalf("Ensure with dave: %v, want *PrincipalNotFoundError", err)
	}
	if w := append(e.memberWrites(), assignmentOpsIn(e.ops())...); len(w) != 0 {
		t.Errorf("Ensure wrote %v before refusing", w)
	}
	if _, err := e.client.Plan(context.Background(), ssoTeam(t, []string{"dave"}, nil)); !errors.As(err, &missing) {
		t.Errorf("Plan: %v, want *PrincipalNotFoundError", err)
	}
}

func TestEnsureAssignmentsConvergeThroughThrottlingAndLostAnswers(t *testing.T) {
	e := newIDCEnv(t)
	e.srv.Throttle("CreateApplicationAssignment", 1)
	e.srv.LoseResponse("CreateApplicationAssignment", 1)
	e.srv.CutConnection("ListApplicationAssignments", 1)
	e.srv.Throttle("GetUserId", 1)
	res := mustEnsure(t, e.client, ssoTeam(t, []string{"alice", "bob"}, nil))
	if diff := cmp.Diff([]string{"USER alice", "USER bob"}, e.assigned(t, res.Domain.ID)); diff != "" {
		t.Errorf("assignments (-want +got):\n%s", diff)
	}
	var faults []string
	for _, c := range e.srv.Calls() {
		if c.Fault != "" {
			faults = append(faults, c.Operation+":"+c.Fault)
		}
	}
	slices.Sort(faults)
	wantFaults := []string{"CreateApplicationAssignment:lose", "CreateApplicationAssignment:throttle", "GetUserId:throttle", "ListApplicationAssignments:cut"}
	if diff := cmp.Diff(wantFaults, faults); diff != "" {
		t.Errorf("faults met (-want +got):\n%s", diff)
	}
	var paths []string
	for _, ch := range res.Changes {
		if strings.HasPrefix(ch.Path, "Assignments.") {
			paths = append(paths, ch.Path)
		}
	}
	if diff := cmp.Diff([]string{"Assignments.USER.alice", "Assignments.USER.bob"}, paths); diff != "" {
		t.Errorf("each assignment once in the Result (-want +got):\n%s", diff)
	}
	e.srv.ResetCalls()
	mustEnsure(t, e.idcClient(), ssoTeam(t, []string{"alice", "bob"}, nil))
	if n := e.countAll(assignmentOps); n != 0 {
		t.Errorf("second Ensure made %d assignment calls", n)
	}
}

func TestIdentityCenterConfiguration(t *testing.T) {
	e := newIDCEnv(t)
	ctx := context.Background()
	// Without WithIdentityCenter, an SSO team converges without Identity
	// Center calls, as before; its groups cannot be assigned.
	plain := e.newClient()
	res := mustEnsure(t, plain, ssoTeam(t, []string{"alice"}, nil))
	if n := e.countAll(append([]string{"ListApplicationAssignments", "GetUserId"}, assignmentOps...)); n != 0 || len(e.srv.ApplicationAssignments(e.appARN(t, res.Domain.ID))) != 0 {
		t.Errorf("a Client without WithIdentityCenter made %d Identity Center calls", n)
	}
	if _, err := plain.Plan(ctx, ssoTeam(t, []string{"alice"}, []string{"fraud team"})); err == nil || !strings.Contains(err.Error(), "WithIdentityCenter") {
		t.Errorf("Plan with groups and no WithIdentityCenter: %v", err)
	}
	// New has no aws.Config to build the clients from; an empty store ID
	// is refused too.
	sm := smdomain.New(e.sm, smdomain.WithClock(e.clk), smdomain.WithIdentityCenter(nil, nil, e.srv.IdentityStoreID()))
	if _, err := sm.Plan(ctx, ssoTeam(t, []string{"alice"}, nil)); err == nil || !strings.Contains(err.Error(), "client") {
		t.Errorf("Plan through New with nil clients: %v", err)
	}
	if _, err := e.newClient(smdomain.WithIdentityCenter(nil, nil, "")).Plan(ctx, ssoTeam(t, []string{"alice"}, nil)); err == nil || !strings.Contains(err.Error(), "identity store ID") {
		t.Errorf("Plan without a store ID: %v", err)
	}
	// An IAM spec makes no Identity Center call even with the option.
	e.srv.ResetCalls()
	if _, err := e.client.Plan(ctx, mustSpec(t, "iam-ml", seedOptions()...)); err != nil {
		t.Fatal(err)
	}
	if n := e.count("GetUserId") + e.count("ListApplicationAssignments"); n != 0 {
		t.Errorf("an IAM plan made %d Identity Center calls", n)
	}
}

func TestSSOGroupsSpecRules(t *testing.T) {
	_, err := smdomain.NewSpec("iam-ml", smdomain.WithExecutionRole(testRole), smdomain.WithSSOGroups("fraud team"))
	var ve *smdomain.ValidationError
	if !errors.As(err, &ve) || !ve.Has("SSOGroups", smdomain.RuleConflict) {
		t.Errorf("groups in an IAM spec: %v, want a SSOGroups conflict", err)
	}
	_, err = smdomain.NewSpec("sso-ml", smdomain.WithAuthMode(types.AuthModeSso), smdomain.WithExecutionRole(testRole),
		smdomain.WithSSOGroups("fraud team", "", "fraud team", strings.Repeat("g", 1025)))
	if !errors.As(err, &ve) || !ve.Has("SSOGroups[1]", smdomain.RuleLength) || !ve.Has("SSOGroups[2]", smdomain.RuleConflict) ||
		!ve.Has("SSOGroups[3]", smdomain.RuleLength) || len(ve.Problems) != 3 {
		t.Errorf("bad groups: %v", err)
	}
	spec := mustSpec(t, "sso-ml", smdomain.WithAuthMode(types.AuthModeSso), smdomain.WithExecutionRole(testRole),
		smdomain.WithSSOGroups("b"), smdomain.WithSSOGroups("a"))
	got := spec.SSOGroups()
	got[0] = "changed"
	if diff := cmp.Diff([]string{"b", "a"}, spec.SSOGroups()); diff != "" {
		t.Errorf("SSOGroups (-want +got):\n%s", diff)
	}
}

// noApplication is a SageMaker API whose SSO domains have no Identity
// Center application, as domains created before October 2023.
type noApplication struct{ smdomain.API }

func (n noApplication) DescribeDomain(ctx context.Context, in *sagemaker.DescribeDomainInput, optFns ...func(*sagemaker.Options)) (*sagemaker.DescribeDomainOutput, error) {
	out, err := n.API.DescribeDomain(ctx, in, optFns...)
	if out != nil {
		out.SingleSignOnApplicationArn = nil
	}
	return out, err
}

func TestSSODomainWithoutApplicationIsAnError(t *testing.T) {
	e := newIDCEnv(t)
	spec := ssoTeam(t, []string{"alice"}, nil)
	cfg := e.srv.AWSConfig()
	old := smdomain.New(noApplication{e.sm}, smdomain.WithClock(e.clk),
		smdomain.WithIdentityCenter(ssoadmin.NewFromConfig(cfg), identitystore.NewFromConfig(cfg), e.srv.IdentityStoreID()))
	// Created by this Ensure: the profiles are made, then the assignment
	// cannot be.
	res, err := old.Ensure(context.Background(), spec)
	if err == nil || !strings.Contains(err.Error(), "no SingleSignOnApplicationArn") || res == nil || len(res.Members) != 1 {
		t.Fatalf("Ensure: %v, %+v", err, res)
	}
	// Existing: the plan says so before any write.
	e.srv.ResetCalls()
	if _, err := old.Plan(context.Background(), spec); err == nil || !strings.Contains(err.Error(), res.Domain.ID) {
		t.Errorf("Plan: %v, want an error naming %s", err, res.Domain.ID)
	}
	if n := e.countAll(append([]string{"GetUserId"}, assignmentOps...)); n != 0 {
		t.Errorf("Plan made %d Identity Center calls", n)
	}
}
