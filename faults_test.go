package smdomain_test

import (
	"context"

	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	smithy "github.com/aws/smithy-go"

	"github.com/finegrained/smdomain"
	"github.com/finegrained/smdomain/smdomaintest"
)

// faultKinds are the faults of the matrix, each armed on one operation.
var faultKinds = []struct {
	name string
	arm  func(srv *smdomaintest.Server, op string)
}{
	{"throttle3", func(srv *smdomaintest.Server, op string) { srv.Throttle(op, 3) }},
	{"fail500x2", func(srv *smdomaintest.Server, op string) { srv.Fail(op, 2) }},
	{"cut", func(srv *smdomaintest.Server, op string) { srv.CutConnection(op, 1) }},
	{"lose", func(srv *smdomaintest.Server, op string) { srv.LoseResponse(op, 1) }},
}

// logFault is the Call.Fault each kind is recorded with.
var logFault = map[string]string{"throttle3": "throttle", "fail500x2": "fail", "cut": "cut", "lose": "lose"}

func disarm(srv *smdomaintest.Server, op string) {
	srv.Throttle(op, 0)
	srv.Fail(op, 0)
	srv.CutConnection(op, 0)
	srv.LoseResponse(op, 0)
}

// faultScenario is one thing a user does, from a prepared state, and the
// state it must end in.
type faultScenario struct {
	name string
	// ops are the operations the scenario calls, so the ones a fault can
	// be armed on.
	ops     []string
	prepare func(t *testing.T, e *env) string // returns the domain ID, if any
	run     func(t testing.TB, ctx context.Context, c *smdomain.Client) error
	// converged checks the end state.
	converged func(t *testing.T, e *env, id string)
	// outlasts are the operations whose faults the scenario rides out
	// in one run, however often they repeat within the fault: no fault
	// on them may fail it.
	outlasts []string
}

const faultName = "faulty"

// faultSpec is the spec the Ensure scenarios converge to: against the
// prepared domain it changes the users' security groups, changes one tag,
// adds one and removes one.
func faultSpec(t testing.TB) *smdomain.Spec {
	return mustSpec(t, faultName,
		smdomain.WithVPC("vpc-0abc1234def567890", "subnet-0abc1234def567890"),
		smdomain.WithExecutionRole(testRole),
		smdomain.WithSecurityGroups("sg-0fff1234def567890"),
		smdomain.WithTags(map[string]string{"Environment": "Production", "Team": "Data"}))
}

// ensureConverged checks that exactly one domain exists, that it is
// InService, and that a fresh Client's Plan has nothing to do.
func ensureConverged(t *testing.T, e *env, prepared string) {
	t.Helper()
	ids := e.srv.DomainIDs()
	if len(ids) != 1 {
		t.Fatalf("domains %v, want exactly one", ids)
	}
	if prepared != "" && ids[0] != prepared {
		t.Errorf("domain %s, want the prepared %s kept", ids[0], prepared)
	}
	p, err := e.newClient().Plan(context.Background(), faultSpec(t))
	if err != nil {
		t.Fatalf("Plan after convergence: %v", err)
	}
	if p.Action != smdomain.PlanNoOp || p.Status != string(types.DomainStatusInService) {
		t.Errorf("Plan after convergence: %s, status %s, want no-op InService:\n%s", p.Action, p.Status, p)
	}
}

var faultScenarios = []faultScenario{
	{
		name: "create",
		ops:  []string{"ListDomains", "GetCallerIdentity", "CreateDomain", "DescribeDomain"},
		prepare: func(*testing.T, *env) string {
			return ""
		},
		run: func(t testing.TB, ctx context.Context, c *smdomain.Client) error {
			_, err := c.Ensure(ctx, faultSpec(t))
			return err
		},
		converged: ensureConverged,
	},
	{
		name: "update",
		// No GetCallerIdentity: the update sends no role to check.
		ops: []string{"ListDomains", "DescribeDomain", "ListTags", "UpdateDomain", "DeleteTags", "AddTags"},
		prepare: func(t *testing.T, e *env) string {
			return mustEnsure(t, e.newClient(), mustSpec(t, faultName, seedOptions()...)).Domain.ID
		},
		run: func(t testing.TB, ctx context.Context, c *smdomain.Client) error {
			_, err := c.Ensure(ctx, faultSpec(t))
			return err
		},
		converged: ensureConverged,
	},
	{
		name: "delete",
		ops:  []string{"ListDomains", "DescribeDomain", "DeleteDomain"},
		prepare: func(t *testing.T, e *env) string {
			return mustEnsure(t, e.newClient(), mustSpec(t, faultName, seedOptions()...)).Domain.ID
		},
		run: func(_ testing.TB, ctx context.Context, c *smdomain.Client) error {
			_, err := c.Delete(ctx, smdomain.ByName(faultName), smdomain.WithDeleteHomeEFS())
			return err
		},
		converged: func(t *testing.T, e *env, id string) {
			t.Helper()
			if ids := e.srv.DomainIDs(); len(ids) != 0 {
				t.Errorf("domains after Delete: %v, want none", ids)
			}
			if p, ok := e.srv.RetentionPolicy(id); !ok || p != types.RetentionTypeDelete {
				t.Errorf("retention policy %q (accepted %v), want Delete", p, ok)
			}
		},
	},
}

// teamConverged returns the check that exactly one domain exists and that a
// fresh Client's Plan of the team file tm has nothing to do.
func teamConverged(tm team) func(t *testing.T, e *env, prepared string) {
	return specConverged(tm.spec)
}

// specConverged is teamConverged for the spec build makes.
func specConverged(build func(testing.TB) *smdomain.Spec) func(t *testing.T, e *env, prepared string) {
	return func(t *testing.T, e *env, prepared string) {
		t.Helper()
		if ids := e.srv.DomainIDs(); len(ids) != 1 || (prepared != "" && ids[0] != prepared) {
			t.Fatalf("domains %v, want exactly the prepared %s", ids, prepared)
		}
		p, err := e.newClient().Plan(context.Background(), build(t))
		if err != nil {
			t.Fatalf("Plan after convergence: %v", err)
		}
		if p.Action != smdomain.PlanNoOp {
			t.Errorf("Plan after convergence: %s, want no-op:\n%s", p.Action, p)
		}
		for _, m := range p.Members {
			if m.Action != smdomain.PlanNoOp {
				t.Errorf("member %s %s: %s", m.Kind, m.Name, m.Action)
			}
		}
	}
}

// memberScenarios are the fault matrix's member writes: onboarding the
// team file into an existing domain, onboarding one user and one space
// (whose waits look with Describe calls: when several members of a kind
// are waited for at once, a listing may look at them instead, so the
// team's Describe calls are not certain), changing a role and a space in
// place, and offboarding a user who has an app and a private space.
var memberScenarios = []faultScenario{
	{
		name: "members",
		ops:  []string{"ListUserProfiles", "ListSpaces", "CreateUserProfile", "CreateSpace"},
		prepare: func(t *testing.T, e *env) string {
			return mustEnsure(t, e.newClient(), mustSpec(t, faultName, seedOptions()...)).Domain.ID
		},
		run: func(t testing.TB, ctx context.Context, c *smdomain.Client) error {
			_, err := c.Ensure(ctx, team{name: faultName}.spec(t))
			return err
		},
		converged: teamConverged(team{name: faultName}),
	},
	{
		name: "member",
		ops:  []string{"DescribeUserProfile", "DescribeSpace"},
		prepare: func(t *testing.T, e *env) string {
			return mustEnsure(t, e.newClient(), mustSpec(t, faultName, seedOptions()...)).Domain.ID
		},
		run: func(t testing.TB, ctx context.Context, c *smdomain.Client) error {
			_, err := c.Ensure(ctx, oneMemberEach(t))
			return err
		},
		converged: specConverged(oneMemberEach),
	},
	{
		name: "member-update",
		// GetCallerIdentity: alice's new role is checked before the update.
		ops: []string{"UpdateUserProfile", "DescribeUserProfile", "GetCallerIdentity"},
		prepare: func(t *testing.T, e *env) string {
			return mustEnsure(t, e.newClient(), team{name: faultName}.spec(t)).Domain.ID
		},
		run: func(t testing.TB, ctx context.Context, c *smdomain.Client) error {
			_, err := c.Ensure(ctx, team{name: faultName, aliceRole: bobRole}.spec(t))
			return err
		},
		converged: teamConverged(team{name: faultName, aliceRole: bobRole}),
	},
	{
		name: "offboard",
		ops:  []string{"ListApps", "DeleteApp", "DeleteUserProfile", "ListUserProfiles"},
		prepare: func(t *testing.T, e *env) string {
			id := mustEnsure(t, e.newClient(), team{name: faultName}.spec(t)).Domain.ID
			if _, err := e.sm.CreateApp(context.Background(), &sagemaker.CreateAppInput{DomainId: aws.String(id),
				UserProfileName: aws.String("bob"), AppType: types.AppTypeJupyterServer, AppName: aws.String("default")}); err != nil {
				t.Fatal(err)
			}
			e.clk.Advance(createDelay)
			return id
		},
		run: func(t testing.TB, ctx context.Context, c *smdomain.Client) error {
			_, err := c.Ensure(ctx, team{name: faultName, withoutB: true, prune: true}.spec(t))
			return err
		},
		converged: teamConverged(team{name: faultName, withoutB: true, prune: true}),
		// The offboarding's deletes are retried past the SDK's own
		// attempts (its first ListApps and ListUserProfiles are the plan's).
		outlasts: []string{"DeleteApp", "DeleteUserProfile"},
	},
}

// oneMemberEach is the fault domain with one user profile, alice, and
// her project's space.
func oneMemberEach(t testing.TB) *smdomain.Spec {
	return mustSpec(t, faultName, seedOptions(
		smdomain.WithUserProfiles(mustProfile(t, "alice", smdomain.WithExecutionRole(aliceRole))),
		smdomain.WithSpaces(mustSpace(t, "fraud-detection", smdomain.WithSpaceSharing(types.SharingTypeShared),
			smdomain.WithSpaceOwner("alice"))))...)
}

// faultOps are the operations of the matrix.
var faultOps = []string{"ListDomains", "DescribeDomain", "CreateDomain", "UpdateDomain", "AddTags",
	"DeleteTags", "ListTags", "DeleteDomain", "GetCallerIdentity",
	"ListUserProfiles", "ListSpaces", "DescribeUserProfile", "DescribeSpace", "CreateUserProfile", "CreateSpace",
	"UpdateUserProfile", "ListApps", "DeleteApp", "DeleteUserProfile"}

// TestFaultMatrix arms each fault on each operation and runs every
// scenario (Ensure create, Ensure update, Delete) that calls the
// operation, with a fresh Client, on an emulator whose transitions take
// minutes of virtual time. Each run must either converge (exactly one
// domain, in the spec's state; none after Delete) or fail with the SDK's
// typed error for the operation (a *smithy.OperationError naming it) and
// leave a state from which the same call, without faults and from another
// fresh Client, converges. No run may create a second domain. The outcome
// of each cell is logged at the end (go test -v -run TestFaultMatrix).
func TestFaultMatrix(t *testing.T) {
	var (
		mu       sync.Mutex
		outcomes = map[string]string{}
	)
	for _, op := range faultOps {
		t.Run(op, func(t *testing.T) {
			for _, fk := range faultKinds {
				t.Run(fk.name, func(t *testing.T) {
					for _, sc := range slices.Concat(faultScenarios, memberScenarios) {
						if !slices.Contains(sc.ops, op) {
							continue
						}
						t.Run(sc.name, func(t *testing.T) {
							outcome := runFaultCell(t, op, fk.arm, logFault[fk.name], sc)
							mu.Lock()
							outcomes[fmt.Sprintf("%-17s %-9s %-6s", op, fk.name, sc.name)] = outcome
							mu.Unlock()
						})
					}
				})
			}
		})
	}
	keys := make([]string, 0, len(outcomes))
	for k := range outcomes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "\n%s %s", k, outcomes[k])
	}
	t.Logf("fault matrix (operation, fault, scenario, outcome):%s", b.String())
}

// runFaultCell runs one cell and returns its outcome: "converged" or
// "error, then converged".
func runFaultCell(t *testing.T, op string, arm func(*smdomaintest.Server, string), logged string, sc faultScenario) string {
	t.Helper()
	ctx := context.Background()
	e := newEnv(t)
	id := sc.prepare(t, e)
	e.srv.ResetCalls()
	arm(e.srv, op)
	err := sc.run(t, ctx, e.newClient())
	met := slices.ContainsFunc(e.srv.Calls(), func(c smdomaintest.Call) bool {
		return c.Operation == op && c.Fault == logged
	})
	if !met {
		t.Fatalf("the %s fault on %s was never met (calls: %v)", logged, op, e.ops())
	}
	disarm(e.srv, op)
	if n := e.count("CreateDomain"); n > 0 && len(e.srv.DomainIDs()) > 1 {
		t.Fatalf("%d CreateDomain calls left domains %v", n, e.srv.DomainIDs())
	}
	outcome := "converged"
	if err != nil && slices.Contains(sc.outlasts, op) {
		t.Errorf("the %s fault on %s failed the run, which must outlast it: %v", logged, op, err)
	}
	if err != nil {
		outcome = "error, then converged"
		var oe *smithy.OperationError
		if !errors.As(err, &oe) {
			t.Fatalf("error %v (%T) is not the SDK's typed *smithy.OperationError", err, err)
		}
		if oe.Operation() != op {
			t.Errorf("error from %s/%s, want the faulty %s: %v", oe.Service(), oe.Operation(), op, err)
		}
		t.Logf("first run: %v", err)
		if err := sc.run(t, ctx, e.newClient()); err != nil {
			t.Fatalf("run without faults after the error: %v", err)
		}
	}
	sc.converged(t, e, id)
	return outcome
}

// TestFaultCancelAtEachPollOfCreate cancels an Ensure that creates a domain
// at its first poll, its second, and so on to the last (counted by a probe
// run), and checks that a
// fresh Client's Ensure then finishes the job without a second
// CreateDomain.
func TestFaultCancelAtEachPollOfCreate(t *testing.T) {
	// The jitter is pinned so that every run has the same polls.
	pinned := smdomain.WithWaitOptions(func(o *smdomain.DomainInServiceWaiterOptions) {
		o.Jitter = func() float64 { return 0.5 }
	})
	spec := mustSpec(t, "cancelled", seedOptions()...)
	probe := newEnv(t, pinned)
	mustEnsure(t, probe.client, spec)
	polls := probe.count("DescribeDomain")
	if polls < 3 {
		t.Fatalf("a create made %d polls; the test needs several", polls)
	}
	for k := 1; k <= polls; k++ {
		t.Run(fmt.Sprintf("poll%d", k), func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			e := newEnv(t, pinned, smdomain.WithWaitOptions(func(o *smdomain.DomainInServiceWaiterOptions) {
				o.Progress = func(p smdomain.WaitProgress) {
					if p.Attempt == k {
						cancel()
					}
				}
			}))
			// Even at the last poll, which sees InService, the cancel
			// stops the Ensure: the listing that settles a race with other
			// creators comes after the wait.
			if _, err := e.client.Ensure(ctx, spec); !errors.Is(err, context.Canceled) {
				t.Fatalf("Ensure cancelled at poll %d of %d: %v, want context.Canceled", k, polls, err)
			}
			res := mustEnsure(t, e.newClient(), spec)
			if res.Action != smdomain.ActionUnchanged || res.Domain.Status != string(types.DomainStatusInService) {
				t.Errorf("fresh Ensure: %q %s, want unchanged InService", res.Action, res.Domain.Status)
			}
			if n := e.count("CreateDomain"); n != 1 {
				t.Errorf("CreateDomain calls = %d, want 1", n)
			}
			if ids := e.srv.DomainIDs(); len(ids) != 1 {
				t.Errorf("domains %v, want one", ids)
			}
		})
	}
}
