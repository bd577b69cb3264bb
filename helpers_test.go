package smdomain_test

import (
	"context"
	"encoding/json"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/finegrained/smdomain"
	"github.com/finegrained/smdomain/smdomaintest"
)

// Helpers that several test files share: the emulator environment, the
// seed and team specs, and call-log readings.

// hookedAPI is the real *sagemaker.Client with a hook run before chosen
// calls: the narrow way for a test to make something happen at an exact
// moment of a Client's work (another team's create while ours is
// throttled, a tag changed in the middle of a cascade). Every call still
// goes over HTTP to smdomaintest.
type hookedAPI struct {
	smdomain.API
	mu     sync.Mutex
	before map[string]func(n int) // by operation; n counts that operation's calls from 1
	calls  map[string]int
}

func newHookedAPI(api smdomain.API, before map[string]func(n int)) *hookedAPI {
	return &hookedAPI{API: api, before: before, calls: map[string]int{}}
}

func (h *hookedAPI) hook(op string) {
	h.mu.Lock()
	h.calls[op]++
	n, fn := h.calls[op], h.before[op]
	h.mu.Unlock()
	if fn != nil {
		fn(n)
	}
}

func (h *hookedAPI) CreateDomain(ctx context.Context, in *sagemaker.CreateDomainInput, opts ...func(*sagemaker.Options)) (*sagemaker.CreateDomainOutput, error) {
	h.hook("CreateDomain")
	return h.API.CreateDomain(ctx, in, opts...)
}

func (h *hookedAPI) DeleteApp(ctx context.Context, in *sagemaker.DeleteAppInput, opts ...func(*sagemaker.Options)) (*sagemaker.DeleteAppOutput, error) {
	h.hook("DeleteApp")
	return h.API.DeleteApp(ctx, in, opts...)
}

func (h *hookedAPI) DeleteDomain(ctx context.Context, in *sagemaker.DeleteDomainInput, opts ...func(*sagemaker.Options)) (*sagemaker.DeleteDomainOutput, error) {
	h.hook("DeleteDomain")
	return h.API.DeleteDomain(ctx, in, opts...)
}

func (h *hookedAPI) ListDomains(ctx context.Context, in *sagemaker.ListDomainsInput, opts ...func(*sagemaker.Options)) (*sagemaker.ListDomainsOutput, error) {
	h.hook("ListDomains")
	return h.API.ListDomains(ctx, in, opts...)
}

const (
	testRole    = "arn:aws:iam::123456789012:role/SageMakerExecutionRole"
	createDelay = 4 * time.Minute
	updateDelay = 2 * time.Minute
	deleteDelay = 3 * time.Minute
)

// env is an emulator on a fake clock and a Client that shares the clock.
type env struct {
	srv    *smdomaintest.Server
	clk    *smdomaintest.FakeClock
	client *smdomain.Client
	sm     *sagemaker.Client
}

func newEnv(t testing.TB, opts ...smdomain.ClientOption) *env {
	t.Helper()
	clk := smdomaintest.NewFakeClock(time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC))
	srv := smdomaintest.NewServer(smdomaintest.WithClock(clk),
		smdomaintest.WithCreateDelay(createDelay),
		smdomaintest.WithUpdateDelay(updateDelay),
		smdomaintest.WithDeleteDelay(deleteDelay))
	t.Cleanup(srv.Close)
	cfg := srv.AWSConfig()
	return &env{
		srv:    srv,
		clk:    clk,
		client: smdomain.NewFromConfig(cfg, append([]smdomain.ClientOption{smdomain.WithClock(clk)}, opts...)...),
		sm:     sagemaker.NewFromConfig(cfg),
	}
}

// newClient returns another Client on the same emulator, as a fresh
// process would make.
func (e *env) newClient(opts ...smdomain.ClientOption) *smdomain.Client {
	return smdomain.NewFromConfig(e.srv.AWSConfig(), append([]smdomain.ClientOption{smdomain.WithClock(e.clk)}, opts...)...)
}

// ops returns the operations in the call log, in order.
func (e *env) ops() []string {
	var out []string
	for _, c := range e.srv.Calls() {
		out = append(out, c.Operation)
	}
	return out
}

func (e *env) count(op string) int {
	n := 0
	for _, c := range e.srv.Calls() {
		if c.Operation == op {
			n++
		}
	}
	return n
}

var writeOps = []string{"CreateDomain", "UpdateDomain", "DeleteDomain", "AddTags", "DeleteTags"}

func (e *env) writes() []string {
	var out []string
	for _, op := range e.ops() {
		if slices.Contains(writeOps, op) {
			out = append(out, op)
		}
	}
	return out
}

func seedOptions(extra ...smdomain.Option) []smdomain.Option {
	return append([]smdomain.Option{
		smdomain.WithAuthMode(types.AuthModeIam),
		smdomain.WithVPC("vpc-0abc1234def567890", "subnet-0abc1234def567890"),
		smdomain.WithExecutionRole(testRole),
		smdomain.WithSecurityGroups("sg-0abc1234def567890"),
		smdomain.WithTags(map[string]string{"Environment": "Development", "Project": "MachineLearning"}),
	}, extra...)
}

func mustSpec(t testing.TB, name string, opts ...smdomain.Option) *smdomain.Spec {
	t.Helper()
	spec, err := smdomain.NewSpec(name, opts...)
	if err != nil {
		t.Fatalf("NewSpec: %v", err)
	}
	return spec
}

func mustEnsure(t testing.TB, c *smdomain.Client, spec *smdomain.Spec) *smdomain.Result {
	t.Helper()
	res, err := c.Ensure(context.Background(), spec)
	if err != nil {
		t.Fatalf("Ensure: %v", err)
	}
	return res
}

const (
	aliceRole = "arn:aws:iam::123456789012:role/alice-fraud-data"
	bobRole   = "arn:aws:iam::123456789012:role/bob-churn-data"
)

var memberWriteOps = []string{"CreateUserProfile", "UpdateUserProfile", "DeleteUserProfile",
	"CreateSpace", "UpdateSpace", "DeleteSpace", "DeleteApp"}

// memberWrites returns the member write calls in the log, in order.
func (e *env) memberWrites() []string {
	var out []string
	for _, op := range e.ops() {
		if slices.Contains(memberWriteOps, op) || slices.Contains(writeOps, op) {
			out = append(out, op)
		}
	}
	return out
}

func mustProfile(t testing.TB, name string, opts ...smdomain.UserProfileOption) *smdomain.UserProfileSpec {
	t.Helper()
	p, err := smdomain.NewUserProfileSpec(name, opts...)
	if err != nil {
		t.Fatalf("NewUserProfileSpec(%q): %v", name, err)
	}
	return p
}

func mustSpace(t testing.TB, name string, opts ...smdomain.SpaceOption) *smdomain.SpaceSpec {
	t.Helper()
	s, err := smdomain.NewSpaceSpec(name, opts...)
	if err != nil {
		t.Fatalf("NewSpaceSpec(%q): %v", name, err)
	}
	return s
}

// team is the team file: two users with their own roles, a shared project
// space and alice's private space. Options override its parts.
type team struct {
	name      string // default "fraud-ml"
	aliceRole string
	sharing   types.SharingType
	prune     bool
	withoutB  bool
}

func (tm team) spec(t testing.TB) *smdomain.Spec {
	t.Helper()
	if tm.aliceRole == "" {
		tm.aliceRole = aliceRole
	}
	if tm.name == "" {
		tm.name = "fraud-ml"
	}
	if tm.sharing == "" {
		tm.sharing = types.SharingTypeShared
	}
	profiles := []*smdomain.UserProfileSpec{
		mustProfile(t, "alice", smdomain.WithExecutionRole(tm.aliceRole),
			smdomain.WithTags(map[string]string{"team": "fraud"})),
	}
	if !tm.withoutB {
		profiles = append(profiles, mustProfile(t, "bob", smdomain.WithExecutionRole(bobRole),
			smdomain.WithSecurityGroups("sg-0bob1234def567890")))
	}
	spaces := []*smdomain.SpaceSpec{
		mustSpace(t, "fraud-detection", smdomain.WithSpaceSharing(tm.sharing),
			smdomain.WithSpaceOwner("alice"),
			smdomain.WithSpaceSettings(&types.SpaceSettings{AppType: types.AppTypeJupyterLab}),
			smdomain.WithTags(map[string]string{"project": "fraud"})),
		mustSpace(t, "alice-scratch", smdomain.WithSpaceSharing(types.SharingTypePrivate),
			smdomain.WithSpaceOwner("alice"),
			smdomain.WithSpaceSettings(&types.SpaceSettings{AppType: types.AppTypeCodeEditor})),
	}
	opts := seedOptions(smdomain.WithUserProfiles(profiles...), smdomain.WithSpaces(spaces...))
	if tm.prune {
		opts = append(opts, smdomain.WithPrune())
	}
	return mustSpec(t, tm.name, opts...)
}

func memberActions(rs []smdomain.MemberResult) map[string]smdomain.Action {
	out := map[string]smdomain.Action{}
	for _, r := range rs {
		out[string(r.Kind)+" "+r.Name] = r.Action
	}
	return out
}

// bodyOf returns the JSON body of the only call of op in the log.
func (e *env) bodyOf(t *testing.T, op string) map[string]any {
	t.Helper()
	var bodies []map[string]any
	for _, c := range e.srv.Calls() {
		if c.Operation == op {
			var doc map[string]any
			if err := json.Unmarshal(c.Body, &doc); err != nil {
				t.Fatal(err)
			}
			bodies = append(bodies, doc)
		}
	}
	if len(bodies) != 1 {
		t.Fatalf("%s called %d times, want once", op, len(bodies))
	}
	return bodies[0]
}
