package smdomain_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/google/go-cmp/cmp"

	"github.com/finegrained/smdomain"
	"github.com/finegrained/smdomain/smdomaintest"
)

// This file is the one place the API-call budgets are stated. Each budget is
// read from the emulator's call log, so it counts what went over the wire
// after the SDK's serializers and retryer, not what a test double saw.

// readOps are the calls Plan may make; anything else is a write.
var readOps = []string{"ListDomains", "DescribeDomain", "ListTags", "GetCallerIdentity",
	"ListUserProfiles", "ListSpaces", "ListApps", "DescribeUserProfile", "DescribeSpace"}

// budget is what one operation may send.
type budget struct {
	// maxCalls bounds the number of calls, polls included; 0 means no bound
	// (the waits' polls depend on the transition time).
	maxCalls int
	// only lists the operations allowed at all; nil means any.
	only []string
	// writes is the exact sequence of write calls.
	writes []string
	// unordered compares writes as a multiset: concurrent member writes
	// have no fixed order.
	unordered bool
	// exactly pins the count of some operations.
	exactly map[string]int
	// sequence is the exact sequence of every call; nil means any.
	sequence []string
}

func (b budget) check(t *testing.T, calls []smdomaintest.Call) {
	t.Helper()
	var ops, writes []string
	count := map[string]int{}
	for _, c := range calls {
		ops = append(ops, c.Operation)
		count[c.Operation]++
		if !slices.Contains(readOps, c.Operation) {
			writes = append(writes, c.Operation)
		}
	}
	if b.maxCalls > 0 && len(calls) > b.maxCalls {
		t.Errorf("%d calls %v, budget %d", len(calls), ops, b.maxCalls)
	}
	for _, op := range ops {
		if b.only != nil && !slices.Contains(b.only, op) {
			t.Errorf("called %s, outside the budget's %v (calls: %v)", op, b.only, ops)
		}
	}
	if b.unordered {
		slices.Sort(writes)
	}
	if diff := cmp.Diff(b.writes, writes); diff != "" {
		t.Errorf("write calls (-budget +got):\n%s\n(calls: %v)", diff, ops)
	}
	if b.sequence != nil {
		if diff := cmp.Diff(b.sequence, ops); diff != "" {
			t.Errorf("calls (-budget +got):\n%s", diff)
		}
	}
	for op, n := range b.exactly {
		if count[op] != n {
			t.Errorf("%s called %d times, budget exactly %d (calls: %v)", op, count[op], n, ops)
		}
	}
}

// budgetState is the live state a budget is measured from.
type budgetState int

const (
	stateAbsent    budgetState = iota // no domain has the name
	stateMatching                     // the domain matches the spec
	stateDrifted                      // one updatable field differs
	stateTagsDrift                    // only a tag's value differs
	stateImmutable                    // a field UpdateDomain cannot change differs
	stateRoleDrift                    // the users' execution role differs
)

// otherTestRole is the users' role of stateRoleDrift: in the caller's
// account, so the check passes.
const otherTestRole = "arn:aws:iam::123456789012:role/SageMakerExecutionRoleV2"

func (s budgetState) String() string {
	return [...]string{"absent", "matching", "drifted", "tags-drift", "immutable", "role-drift"}[s]
}

// prepare creates the state with a Client of its own (so the measured
// Client is as fresh as a new process's) and returns the spec to measure
// with. The spec pins the domain ID when pinned is true.
func (s budgetState) prepare(t *testing.T, e *env, pinned bool) *smdomain.Spec {
	t.Helper()
	const name = "budget"
	var id string
	if s != stateAbsent {
		id = mustEnsure(t, e.newClient(), mustSpec(t, name, seedOptions()...)).Domain.ID
	}
	var extra []smdomain.Option
	switch s {
	case stateDrifted:
		extra = append(extra, smdomain.WithSecurityGroups("sg-0fff1234def567890"))
	case stateTagsDrift:
		extra = append(extra, smdomain.WithTags(map[string]string{"Environment": "Production"}))
	case stateImmutable:
		extra = append(extra, smdomain.WithAuthMode(types.AuthModeSso))
	case stateRoleDrift:
		extra = append(extra, smdomain.WithExecutionRole(otherTestRole))
	}
	if pinned {
		extra = append(extra, smdomain.WithDomainID(id))
	}
	return mustSpec(t, name, seedOptions(extra...)...)
}

// TestBudgetEnsure measures Ensure from each state with a fresh Client.
// The emulator's transitions are instant here, so a wait is one poll; the
// polls of long waits are BenchmarkWaiter's subject.
func TestBudgetEnsure(t *testing.T) {
	tests := []struct {
		name   string
		state  budgetState
		pinned bool
		untag  bool // the spec does not manage tags
		want   budget
		action smdomain.Action
	}{
		{name: "no-op by name", state: stateMatching, action: smdomain.ActionUnchanged,
			want: budget{maxCalls: 3, only: []string{"ListDomains", "DescribeDomain", "ListTags"}}},
		{name: "no-op by pinned ID", state: stateMatching, pinned: true, action: smdomain.ActionUnchanged,
			want: budget{maxCalls: 2, only: []string{"DescribeDomain", "ListTags"}}},
		{name: "no-op by name, tags unmanaged", state: stateMatching, untag: true, action: smdomain.ActionUnchanged,
			want: budget{maxCalls: 2, only: []string{"ListDomains", "DescribeDomain"}}},
		{name: "create", state: stateAbsent, action: smdomain.ActionCreated,
			// ListDomains: the lookup, then the listing that settles a
			// race with other creators once the domain is InService.
			want: budget{writes: []string{"CreateDomain"},
				exactly: map[string]int{"CreateDomain": 1, "ListDomains": 2, "GetCallerIdentity": 1, "DescribeDomain": 1}}},
		{name: "one-field update", state: stateDrifted, action: smdomain.ActionUpdated,
			// The security groups change, no role: no GetCallerIdentity.
			// DescribeDomain: the lookup, then one poll.
			want: budget{maxCalls: 5, writes: []string{"UpdateDomain"},
				exactly: map[string]int{"UpdateDomain": 1, "ListDomains": 1, "ListTags": 1, "GetCallerIdentity": 0, "DescribeDomain": 2}}},
		{name: "one-field update by pinned ID", state: stateDrifted, pinned: true, action: smdomain.ActionUpdated,
			want: budget{maxCalls: 4, writes: []string{"UpdateDomain"},
				exactly: map[string]int{"UpdateDomain": 1, "ListDomains": 0, "ListTags": 1, "GetCallerIdentity": 0, "DescribeDomain": 2}}},
		{name: "role update", state: stateRoleDrift, action: smdomain.ActionUpdated,
			// The update sends a role, checked against the caller's
			// account before it is sent.
			want: budget{maxCalls: 6, writes: []string{"UpdateDomain"},
				exactly: map[string]int{"UpdateDomain": 1, "ListDomains": 1, "ListTags": 1, "GetCallerIdentity": 1, "DescribeDomain": 2}}},
		{name: "tag-only update", state: stateTagsDrift, action: smdomain.ActionUpdated,
			// A tag change needs no UpdateDomain and so no wait: no poll.
			want: budget{maxCalls: 5, writes: []string{"AddTags"},
				exactly: map[string]int{"UpdateDomain": 0, "DescribeDomain": 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newInstantEnv(t)
			spec := tt.state.prepare(t, e, tt.pinned)
			if tt.untag {
				spec = mustSpec(t, spec.Name(), smdomain.WithVPC("vpc-0abc1234def567890", "subnet-0abc1234def567890"),
					smdomain.WithExecutionRole(testRole), smdomain.WithSecurityGroups("sg-0abc1234def567890"))
			}
			e.srv.ResetCalls()
			res := mustEnsure(t, e.newClient(), spec)
			if res.Action != tt.action {
				t.Errorf("action %q, want %q", res.Action, tt.action)
			}
			tt.want.check(t, e.srv.Calls())
		})
	}
}

// TestBudgetPlanReadsOnly checks that Plan writes nothing, from every
// state, by name and by pinned ID.
func TestBudgetPlanReadsOnly(t *testing.T) {
	tests := []struct {
		state  budgetState
		action smdomain.PlanAction
	}{
		{stateAbsent, smdomain.PlanCreate},
		{stateMatching, smdomain.PlanNoOp},
		{stateDrifted, smdomain.PlanUpdate},
		{stateTagsDrift, smdomain.PlanUpdate},
		{stateImmutable, smdomain.PlanReplaceRequired},
		{stateRoleDrift, smdomain.PlanUpdate},
	}
	for _, tt := range tests {
		for _, pinned := range []bool{false, true} {
			if pinned && tt.state == stateAbsent {
				continue // a pinned ID names a domain that exists
			}
			name := tt.state.String()
			if pinned {
				name += "/pinned"
			}
			t.Run(name, func(t *testing.T) {
				e := newInstantEnv(t)
				spec := tt.state.prepare(t, e, pinned)
				e.srv.ResetCalls()
				p, err := e.newClient().Plan(context.Background(), spec)
				if err != nil {
					t.Fatalf("Plan: %v", err)
				}
				if p.Action != tt.action {
					t.Errorf("plan action %q, want %q", p.Action, tt.action)
				}
				// Reads only; the lookup, the description, the tags and the
				// caller's account at most once each. STS only for a create
				// or a role to check: otherwise Plan.Account is read from
				// the domain's ARN.
				sts := 0
				if tt.state == stateAbsent || tt.state == stateRoleDrift {
					sts = 1
				}
				budget{maxCalls: 4, only: readOps, exactly: map[string]int{"GetCallerIdentity": sts}}.check(t, e.srv.Calls())
				if p.Account != smdomaintest.DefaultAccount {
					t.Errorf("Plan.Account %q, want %q", p.Account, smdomaintest.DefaultAccount)
				}
			})
		}
	}
}

// TestBudgetCallerIdentityOncePerClient checks that one Client asks STS
// who the caller is once, however many writes it makes.
func TestBudgetCallerIdentityOncePerClient(t *testing.T) {
	e := newInstantEnv(t)
	c := e.newClient()
	mustEnsure(t, c, mustSpec(t, "sts-once", seedOptions()...))
	mustEnsure(t, c, mustSpec(t, "sts-once", seedOptions(smdomain.WithSecurityGroups("sg-0fff1234def567890"))...))
	mustEnsure(t, c, mustSpec(t, "sts-twice", seedOptions()...))
	if _, err := c.Plan(context.Background(), mustSpec(t, "sts-once", seedOptions()...)); err != nil {
		t.Fatal(err)
	}
	budget{exactly: map[string]int{"GetCallerIdentity": 1, "CreateDomain": 2, "UpdateDomain": 1},
		writes: []string{"CreateDomain", "UpdateDomain", "CreateDomain"}}.check(t, e.srv.Calls())
}

// TestBudgetDelete measures Delete of an InService domain with a fresh
// Client. The floor by name is four calls: the listing that resolves the
// name, the DescribeDomain that reports what is deleted (its retained home
// EFS volume's ID above all: the listing does not carry it, and with the
// emulator's instant transitions the domain is gone at the first poll, as
// a fast delete would be), the DeleteDomain, and the poll that sees
// ResourceNotFound. By ID the listing goes; WithDeleteHomeEFS no volume is
// left to name, and the DescribeDomain goes.
func TestBudgetDelete(t *testing.T) {
	const owner = "team-a"
	tests := []struct {
		name  string
		ref   func(id string) smdomain.DomainRef
		owner bool // the domain is made, and deleted, by a Client WithOwner
		noEFS bool // the Result names no home EFS volume: the listing does not, and it is gone
		opts  []smdomain.DeleteOption
		want  budget
	}{
		{name: "by name", ref: func(string) smdomain.DomainRef { return smdomain.ByName("budget") },
			want: budget{writes: []string{"DeleteDomain"}, sequence: []string{"ListDomains", "DescribeDomain", "DeleteDomain", "DescribeDomain"}}},
		{name: "by name, WithDeleteHomeEFS", ref: func(string) smdomain.DomainRef { return smdomain.ByName("budget") },
			opts: []smdomain.DeleteOption{smdomain.WithDeleteHomeEFS()}, noEFS: true,
			want: budget{writes: []string{"DeleteDomain"}, sequence: []string{"ListDomains", "DeleteDomain", "DescribeDomain"}}},
		{name: "by ID", ref: smdomain.ByID,
			want: budget{writes: []string{"DeleteDomain"}, sequence: []string{"DescribeDomain", "DeleteDomain", "DescribeDomain"}}},
		{name: "by name, WithOwner", ref: func(string) smdomain.DomainRef { return smdomain.ByName("budget") }, owner: true,
			want: budget{writes: []string{"DeleteDomain"}, sequence: []string{"ListDomains", "DescribeDomain", "ListTags", "DeleteDomain", "DescribeDomain"}}},
		{name: "by name, WithCascade, nothing in it", ref: func(string) smdomain.DomainRef { return smdomain.ByName("budget") },
			opts: []smdomain.DeleteOption{smdomain.WithCascade()},
			// The cascade's listings are its own budget's concern.
			want: budget{writes: []string{"DeleteDomain"}, exactly: map[string]int{"ListDomains": 1, "DescribeDomain": 2, "GetCallerIdentity": 0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newInstantEnv(t)
			var copts []smdomain.ClientOption
			if tt.owner {
				copts = append(copts, smdomain.WithOwner(owner))
			}
			d := mustEnsure(t, e.newClient(copts...), mustSpec(t, "budget", seedOptions()...)).Domain
			e.srv.ResetCalls()
			res, err := e.newClient(copts...).Delete(context.Background(), tt.ref(d.ID), tt.opts...)
			if err != nil || res.Action != smdomain.ActionDeleted {
				t.Fatalf("Delete: %+v %v", res, err)
			}
			efs := d.HomeEFSFileSystemID
			if tt.noEFS {
				efs = ""
			}
			if res.Domain == nil || res.Domain.ID != d.ID || res.Domain.HomeEFSFileSystemID != efs {
				t.Errorf("Delete's Domain %+v, want %s with home EFS %q", res.Domain, d.ID, efs)
			}
			tt.want.check(t, e.srv.Calls())
		})
	}
}

// newInstantEnv is newEnv with transitions that take no time, so that a
// wait is exactly one poll and the budgets are exact.
func newInstantEnv(t testing.TB) *env {
	t.Helper()
	clk := smdomaintest.NewFakeClock(benchEpoch)
	srv := smdomaintest.NewServer(smdomaintest.WithClock(clk), smdomaintest.WithDomainQuota(0))
	t.Cleanup(srv.Close)
	return &env{srv: srv, clk: clk, client: smdomain.NewFromConfig(srv.AWSConfig(), smdomain.WithClock(clk))}
}

// benchEpoch is where the fake clocks of budgets and benchmarks start.
var benchEpoch = time.Date(2026, 11, 3, 10, 0, 0, 0, time.UTC)
