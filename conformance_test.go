package smdomain_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/google/go-cmp/cmp"

	"github.com/finegrained/smdomain"
)

// conformanceTag marks everything the suite creates with the run's ID, so
// that leftovers of an interrupted run can be found.
const conformanceTag = "smdomain:conformance"

// conformanceSteps is the suite: one domain's life, in order, each step
// starting from where the steps before it left the domain. Each spec sets
// the base settings and only what its step is about, so a step does not
// depend on an earlier one having passed, but for create's domain and the
// members' order (profile, role-update, space, offboard).
var conformanceSteps = []struct {
	name string
	run  func(context.Context, *conformanceRun) error
}{
	{"create", stepCreate},          // Ensure creates the domain, tagged, in one CreateDomain
	{"no-op", stepNoOp},             // Ensure again, by a new Client: unchanged, no write
	{"get", stepGet},                // Get finds it by name and reports what was created
	{"list", stepList},              // List reports it, among the account's domains
	{"update", stepUpdate},          // one nested field: one UpdateDomain; the siblings it did not carry stay
	{"tags", stepTags},              // a tag added and one removed: DeleteTags, AddTags, nothing else
	{"tag-value", stepTagValue},     // a tag's value changed: one AddTags, which replaces it
	{"profile", stepProfile},        // a user profile with its own role: one CreateUserProfile
	{"role-update", stepRoleUpdate}, // its role changed in place: one UpdateUserProfile
	{"space", stepSpace},            // a shared space owned by the profile: one CreateSpace
	{"offboard", stepOffboard},      // WithPrune and no members: DeleteSpace, then DeleteUserProfile
	{"delete", stepDelete},          // Delete with WithDeleteHomeEFS: one DeleteDomain; again: nothing to do
}

// gap is a step a backend cannot do: why, and a pattern the error the
// step fails with there matches.
type gap struct {
	reason    string
	failsWith *regexp.Regexp
}

// conformanceGaps lists, per backend, the steps it does not support. A
// listed step must fail on that backend, with an error failsWith matches
// (so the table stays true: a step that starts to pass, or fails for
// another reason, fails the suite until the table is mended), and every
// other step must pass. The README's conformance table is this table.
var conformanceGaps = map[string]map[string]gap{
	"moto": {
		"update":      {"moto 5.2.1 does not serve UpdateDomain (HTTP 500)", regexp.MustCompile(`UpdateDomain, .*StatusCode: 500`)},
		"tag-value":   {"moto's AddTags appends a second entry for a key the domain has instead of replacing its value, and ListTags lists both", regexp.MustCompile(`ListTags lists "Environment" 2 times`)},
		"profile":     motoNoMembers,
		"role-update": motoNoMembers,
		"space":       motoNoMembers,
		"offboard":    motoNoMembers,
	},
}

// motoNoMembers is why every member step fails on moto: Plan and Ensure
// list a domain's user profiles first, and moto answers 500.
var motoNoMembers = gap{"moto 5.2.1 serves no user profile, space or app operation (HTTP 500)",
	regexp.MustCompile(`ListUserProfiles, .*StatusCode: 500`)}

// TestConformance runs the same steps against every backend: smdomaintest
// always; moto's server when python3 -m moto.server starts (or at
// SMDOMAIN_MOTO_ENDPOINT; CI must run it); an AWS account only when
// SMDOMAIN_CONFORMANCE_AWS=1. See README: Conformance.
func TestConformance(t *testing.T) {
	backends := []struct {
		name string
		open func(*testing.T) *backend
	}{
		{"smdomaintest", emulatorBackend},
		{"moto", motoBackend},
		{"aws", awsBackend},
	}
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) {
			t.Parallel()
			b := be.open(t)
			b.name = be.name
			runConformance(t, b)
		})
	}
}

func runConformance(t *testing.T, b *backend) {
	r := &conformanceRun{b: b, calls: &callLog{}}
	r.runID = newRunID(t)
	r.name = "smdomain-conformance-" + r.runID
	r.cfg = r.calls.instrument(b.cfg)
	r.sm = sagemaker.NewFromConfig(r.cfg)
	t.Cleanup(func() { r.cleanup(t) })
	gaps := conformanceGaps[b.name]
	for _, s := range conformanceSteps {
		passed := t.Run(s.name, func(t *testing.T) {
			r.calls.writes() // forget what came before
			err := s.run(t.Context(), r)
			g, isGap := gaps[s.name]
			switch {
			case !isGap && err != nil:
				t.Fatal(err)
			case isGap && err == nil:
				t.Fatalf("listed as a gap of %s (%s) but passed: take it off conformanceGaps and the README", b.name, g.reason)
			case isGap && !g.failsWith.MatchString(err.Error()):
				t.Fatalf("listed as a gap of %s (%s), failing with %q, but failed otherwise: %v", b.name, g.reason, g.failsWith, err)
			case isGap:
				t.Logf("gap of %s, as listed: %s", b.name, g.reason)
			}
		})
		if !passed && s.name == "create" {
			return
		}
	}
}

// conformanceRun is one run of the suite against one backend: one domain,
// named and tagged with the run's ID.
type conformanceRun struct {
	b     *backend
	cfg   aws.Config // b.cfg, recording calls in calls
	calls *callLog
	sm    *sagemaker.Client // for checking what the backend reports
	runID string
	name  string // the domain's
	id    string // the domain's, once created
	arn   string
}

// client returns a new Client, as a new process would make.
func (r *conformanceRun) client() *smdomain.Client {
	var opts []smdomain.ClientOption
	if r.b.clock != nil {
		opts = append(opts, smdomain.WithClock(r.b.clock))
	}
	if r.b.wait != nil {
		opts = append(opts, smdomain.WithWaitOptions(r.b.wait))
	}
	return smdomain.NewFromConfig(r.cfg, opts...)
}

// tagged returns tags with the run's conformance tag.
func (r *conformanceRun) tagged(tags map[string]string) map[string]string {
	out := map[string]string{conformanceTag: r.runID}
	for k, v := range tags {
		out[k] = v
	}
	return out
}

// spec is the run's domain: its network, its role (also the shared
// spaces'), the tags when tags is not nil, and opts.
func (r *conformanceRun) spec(tags map[string]string, opts ...smdomain.Option) (*smdomain.Spec, error) {
	base := []smdomain.Option{
		smdomain.WithVPC(r.b.vpc, r.b.subnets...),
		smdomain.WithExecutionRole(r.b.role),
		smdomain.WithDefaultSpaceSettings(&types.DefaultSpaceSettings{ExecutionRole: aws.String(r.b.role)}),
	}
	if r.b.securityGroup != "" {
		base = append(base, smdomain.WithSecurityGroups(r.b.securityGroup))
	}
	if tags != nil {
		base = append(base, smdomain.WithTags(r.tagged(tags)))
	}
	return smdomain.NewSpec(r.name, append(base, opts...)...)
}

// ensure runs Ensure with a new Client and returns the writes it made.
func (r *conformanceRun) ensure(ctx context.Context, spec *smdomain.Spec) (*smdomain.Result, []string, error) {
	r.calls.writes()
	res, err := r.client().Ensure(ctx, spec)
	return res, r.calls.writes(), err
}

// ensureNoOp checks that Ensure with spec changes nothing and writes
// nothing.
func (r *conformanceRun) ensureNoOp(ctx context.Context, spec *smdomain.Spec) error {
	res, writes, err := r.ensure(ctx, spec)
	if err != nil {
		return fmt.Errorf("Ensure again: %w", err)
	}
	if res.Action != smdomain.ActionUnchanged || len(res.Changes) > 0 {
		return fmt.Errorf("Ensure again: %s with %d changes, want unchanged", res.Action, len(res.Changes))
	}
	for _, m := range res.Members {
		if m.Action != smdomain.ActionUnchanged {
			return fmt.Errorf("Ensure again: %s %s %s, want unchanged", m.Kind, m.Name, m.Action)
		}
	}
	return wantWrites(writes)
}

func wantWrites(got []string, want ...string) error {
	if !slices.Equal(got, want) {
		return fmt.Errorf("writes %q, want %q", got, want)
	}
	return nil
}

// wantTags checks the tags ListTags reports for arn, aws: keys and the
// create token Ensure adds aside, to be the run's tag and want.
func (r *conformanceRun) wantTags(ctx context.Context, arn string, want map[string]string) error {
	got := map[string]string{}
	counts := map[string]int{}
	p := sagemaker.NewListTagsPaginator(r.sm, &sagemaker.ListTagsInput{ResourceArn: aws.String(arn)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return err
		}
		for _, tag := range page.Tags {
			k := aws.ToString(tag.Key)
			if !strings.HasPrefix(strings.ToLower(k), "aws:") && k != smdomain.CreateTokenTagKey {
				got[k] = aws.ToString(tag.Value)
				counts[k]++
			}
		}
	}
	for _, k := range slices.Sorted(maps.Keys(counts)) {
		if counts[k] > 1 {
			return fmt.Errorf("ListTags lists %q %d times", k, counts[k])
		}
	}
	if diff := cmp.Diff(r.tagged(want), got); diff != "" {
		return fmt.Errorf("tags (-want +got):\n%s", diff)
	}
	return nil
}

var (
	createTags   = map[string]string{"Environment": "Conformance", "Stage": "create"}
	tagsChanged  = map[string]string{"Environment": "Conformance", "Owner": "smdomain"} // Stage removed, Owner added
	valueChanged = map[string]string{"Environment": "Changed", "Owner": "smdomain"}
)

func stepCreate(ctx context.Context, r *conformanceRun) error {
	spec, err := r.spec(createTags)
	if err != nil {
		return err
	}
	res, writes, err := r.ensure(ctx, spec)
	if err != nil {
		return err
	}
	d := res.Domain
	if res.Action != smdomain.ActionCreated || d.Status != "InService" || d.ID == "" || !strings.HasSuffix(d.ARN, ":domain/"+d.ID) {
		return fmt.Errorf("Ensure: %s, domain %q %s %s; want created, InService, with an ID and its ARN", res.Action, d.ID, d.Status, d.ARN)
	}
	r.id, r.arn = d.ID, d.ARN
	if err := wantWrites(writes, "CreateDomain"); err != nil {
		return err
	}
	return r.wantTags(ctx, d.ARN, createTags)
}

func stepNoOp(ctx context.Context, r *conformanceRun) error {
	spec, err := r.spec(createTags)
	if err != nil {
		return err
	}
	return r.ensureNoOp(ctx, spec)
}

func stepGet(ctx context.Context, r *conformanceRun) error {
	d, err := r.client().Get(ctx, smdomain.ByName(r.name))
	if err != nil {
		return err
	}
	got := []string{d.ID, d.ARN, d.Name, d.Status, d.VPCID, strings.Join(slices.Sorted(slices.Values(d.SubnetIDs)), ",")}
	want := []string{r.id, r.arn, r.name, "InService", r.b.vpc, strings.Join(slices.Sorted(slices.Values(r.b.subnets)), ",")}
	if diff := cmp.Diff(want, got); diff != "" || d.URL == "" {
		return fmt.Errorf("Get: ID, ARN, name, status, VPC, subnets (-want +got):\n%s; URL %q", diff, d.URL)
	}
	return wantWrites(r.calls.writes())
}

func stepList(ctx context.Context, r *conformanceRun) error {
	all, err := r.client().List(ctx)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(all, func(d smdomain.DomainSummary) bool { return d.ID == r.id })
	if i < 0 || all[i].Name != r.name || all[i].ARN != r.arn {
		return fmt.Errorf("List: %+v does not list %s (%s)", all, r.id, r.name)
	}
	return wantWrites(r.calls.writes())
}

func stepUpdate(ctx context.Context, r *conformanceRun) error {
	spec, err := r.spec(nil, smdomain.WithDefaultUserSettings(&types.UserSettings{
		JupyterLabAppSettings: &types.JupyterLabAppSettings{
			DefaultResourceSpec: &types.ResourceSpec{InstanceType: types.AppInstanceTypeMlT3Large}}}))
	if err != nil {
		return err
	}
	res, writes, err := r.ensure(ctx, spec)
	if err != nil {
		return err
	}
	if res.Action != smdomain.ActionUpdated || len(res.Changes) != 1 || !strings.HasPrefix(res.Changes[0].Path, "DefaultUserSettings.JupyterLabAppSettings") {
		return fmt.Errorf("Ensure: %s with changes %v; want updated, one change to DefaultUserSettings.JupyterLabAppSettings", res.Action, res.Changes)
	}
	if err := wantWrites(writes, "UpdateDomain"); err != nil {
		return err
	}
	out, err := r.sm.DescribeDomain(ctx, &sagemaker.DescribeDomainInput{DomainId: aws.String(r.id)})
	if err != nil {
		return err
	}
	us := out.DefaultUserSettings
	if us == nil || us.JupyterLabAppSettings == nil || us.JupyterLabAppSettings.DefaultResourceSpec == nil ||
		us.JupyterLabAppSettings.DefaultResourceSpec.InstanceType != types.AppInstanceTypeMlT3Large {
		return fmt.Errorf("DescribeDomain after the update: DefaultUserSettings %+v, want JupyterLabAppSettings.DefaultResourceSpec.InstanceType ml.t3.large", us)
	}
	// The update carried DefaultUserSettings with JupyterLabAppSettings
	// alone: the settings beside it must stay.
	if aws.ToString(us.ExecutionRole) != r.b.role {
		return fmt.Errorf("DescribeDomain after the update: DefaultUserSettings.ExecutionRole %q, want %q kept", aws.ToString(us.ExecutionRole), r.b.role)
	}
	if r.b.securityGroup != "" && !slices.Equal(us.SecurityGroups, []string{r.b.securityGroup}) {
		return fmt.Errorf("DescribeDomain after the update: DefaultUserSettings.SecurityGroups %q, want [%q] kept", us.SecurityGroups, r.b.securityGroup)
	}
	return r.ensureNoOp(ctx, spec)
}

// ensureTags converges the domain's tags to tags and checks the writes.
func (r *conformanceRun) ensureTags(ctx context.Context, tags map[string]string, wantOps ...string) error {
	spec, err := r.spec(tags)
	if err != nil {
		return err
	}
	res, writes, err := r.ensure(ctx, spec)
	if err != nil {
		return err
	}
	if res.Action != smdomain.ActionUpdated {
		return fmt.Errorf("Ensure: %s, want updated", res.Action)
	}
	if err := wantWrites(writes, wantOps...); err != nil {
		return err
	}
	if err := r.wantTags(ctx, r.arn, tags); err != nil {
		return err
	}
	return r.ensureNoOp(ctx, spec)
}

func stepTags(ctx context.Context, r *conformanceRun) error {
	return r.ensureTags(ctx, tagsChanged, "DeleteTags", "AddTags")
}

func stepTagValue(ctx context.Context, r *conformanceRun) error {
	return r.ensureTags(ctx, valueChanged, "AddTags")
}

// alice is the run's user profile, running as role.
func (r *conformanceRun) alice(role string) (*smdomain.UserProfileSpec, error) {
	return smdomain.NewUserProfileSpec("alice", smdomain.WithExecutionRole(role), smdomain.WithTags(r.tagged(nil)))
}

// ensureMembers converges the domain with members and checks that each
// member's action and the writes are as wanted.
func (r *conformanceRun) ensureMembers(ctx context.Context, spec *smdomain.Spec, want map[string]smdomain.Action, wantOps ...string) error {
	res, writes, err := r.ensure(ctx, spec)
	if err != nil {
		return err
	}
	if diff := cmp.Diff(want, memberActions(res.Members)); diff != "" {
		return fmt.Errorf("member actions (-want +got):\n%s", diff)
	}
	return wantWrites(writes, wantOps...)
}

func (r *conformanceRun) describeAlice(ctx context.Context, wantRole string) error {
	p, err := r.sm.DescribeUserProfile(ctx, &sagemaker.DescribeUserProfileInput{DomainId: aws.String(r.id), UserProfileName: aws.String("alice")})
	if err != nil {
		return err
	}
	if p.Status != types.UserProfileStatusInService || p.UserSettings == nil || aws.ToString(p.UserSettings.ExecutionRole) != wantRole {
		return fmt.Errorf("DescribeUserProfile alice: %s, settings %+v; want InService with ExecutionRole %s", p.Status, p.UserSettings, wantRole)
	}
	return nil
}

// ensureAlice converges the domain with alice running as role, which
// must take one write, op, and leave her InService with that role.
func (r *conformanceRun) ensureAlice(ctx context.Context, role string, action smdomain.Action, op string) error {
	alice, err := r.alice(role)
	if err != nil {
		return err
	}
	spec, err := r.spec(nil, smdomain.WithUserProfiles(alice))
	if err != nil {
		return err
	}
	if err := r.ensureMembers(ctx, spec, map[string]smdomain.Action{"user profile alice": action}, op); err != nil {
		return err
	}
	if err := r.describeAlice(ctx, role); err != nil {
		return err
	}
	return r.ensureNoOp(ctx, spec)
}

func stepProfile(ctx context.Context, r *conformanceRun) error {
	return r.ensureAlice(ctx, r.b.userRole, smdomain.ActionCreated, "CreateUserProfile")
}

func stepRoleUpdate(ctx context.Context, r *conformanceRun) error {
	return r.ensureAlice(ctx, r.b.role, smdomain.ActionUpdated, "UpdateUserProfile")
}

func stepSpace(ctx context.Context, r *conformanceRun) error {
	alice, err := r.alice(r.b.role)
	if err != nil {
		return err
	}
	project, err := smdomain.NewSpaceSpec("project", smdomain.WithSpaceSharing(types.SharingTypeShared),
		smdomain.WithSpaceOwner("alice"),
		smdomain.WithSpaceSettings(&types.SpaceSettings{AppType: types.AppTypeJupyterLab}),
		smdomain.WithTags(r.tagged(nil)))
	if err != nil {
		return err
	}
	spec, err := r.spec(nil, smdomain.WithUserProfiles(alice), smdomain.WithSpaces(project))
	if err != nil {
		return err
	}
	want := map[string]smdomain.Action{"user profile alice": smdomain.ActionUnchanged, "space project": smdomain.ActionCreated}
	if err := r.ensureMembers(ctx, spec, want, "CreateSpace"); err != nil {
		return err
	}
	s, err := r.sm.DescribeSpace(ctx, &sagemaker.DescribeSpaceInput{DomainId: aws.String(r.id), SpaceName: aws.String("project")})
	if err != nil {
		return err
	}
	if s.Status != types.SpaceStatusInService || s.SpaceSharingSettings == nil || s.SpaceSharingSettings.SharingType != types.SharingTypeShared ||
		s.OwnershipSettings == nil || aws.ToString(s.OwnershipSettings.OwnerUserProfileName) != "alice" {
		return fmt.Errorf("DescribeSpace project: %s, sharing %+v, ownership %+v; want InService, Shared, owned by alice", s.Status, s.SpaceSharingSettings, s.OwnershipSettings)
	}
	return r.ensureNoOp(ctx, spec)
}

func stepOffboard(ctx context.Context, r *conformanceRun) error {
	spec, err := r.spec(nil, smdomain.WithPrune())
	if err != nil {
		return err
	}
	res, writes, err := r.ensure(ctx, spec)
	if err != nil {
		return err
	}
	// The space is alice's, so it goes with her, first.
	var got []string
	for _, m := range res.Members {
		got = append(got, fmt.Sprintf("%s %s %s", m.Kind, m.Name, m.Action))
		for _, ch := range m.Changes {
			got = append(got, "  "+ch.Path)
		}
	}
	want := []string{"user profile alice deleted", "  Spaces.project", "  UserProfiles.alice"}
	if diff := cmp.Diff(want, got); diff != "" {
		return fmt.Errorf("offboarding (-want +got):\n%s", diff)
	}
	if err := wantWrites(writes, "DeleteSpace", "DeleteUserProfile"); err != nil {
		return err
	}
	profiles, err := r.sm.ListUserProfiles(ctx, &sagemaker.ListUserProfilesInput{DomainIdEquals: aws.String(r.id)})
	if err != nil {
		return err
	}
	spaces, err := r.sm.ListSpaces(ctx, &sagemaker.ListSpacesInput{DomainIdEquals: aws.String(r.id)})
	if err != nil {
		return err
	}
	if len(profiles.UserProfiles) > 0 || len(spaces.Spaces) > 0 {
		return fmt.Errorf("after offboarding: %d user profiles and %d spaces listed, want none", len(profiles.UserProfiles), len(spaces.Spaces))
	}
	return r.ensureNoOp(ctx, spec)
}

func stepDelete(ctx context.Context, r *conformanceRun) error {
	c := r.client()
	res, err := c.Delete(ctx, smdomain.ByName(r.name), smdomain.WithDeleteHomeEFS())
	if err != nil {
		return err
	}
	if res.Action != smdomain.ActionDeleted {
		return fmt.Errorf("Delete: %s, want deleted", res.Action)
	}
	if err := wantWrites(r.calls.writes(), "DeleteDomain"); err != nil {
		return err
	}
	if _, err := c.Get(ctx, smdomain.ByName(r.name)); !errors.Is(err, smdomain.ErrNotFound) {
		return fmt.Errorf("Get after Delete: %v, want ErrNotFound", err)
	}
	if res, err = r.client().Delete(ctx, smdomain.ByName(r.name), smdomain.WithDeleteHomeEFS()); err != nil {
		return fmt.Errorf("Delete again: %w", err)
	}
	if res.Action != smdomain.ActionUnchanged {
		return fmt.Errorf("Delete again: %s, want unchanged", res.Action)
	}
	return wantWrites(r.calls.writes())
}

// cleanup deletes the run's domain, if it is still there, with its home
// EFS volume; when it still has user profiles or spaces, with them.
func (r *conformanceRun) cleanup(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), smdomain.DefaultMaxWait+5*time.Minute)
	defer cancel()
	c := r.client()
	_, err := c.Delete(ctx, smdomain.ByName(r.name), smdomain.WithDeleteHomeEFS())
	if inUse := (*smdomain.DomainInUseError)(nil); errors.As(err, &inUse) {
		_, err = c.Delete(ctx, smdomain.ByName(r.name), smdomain.WithCascade(), smdomain.WithDeleteHomeEFS())
	}
	if err != nil {
		t.Errorf("cleanup: domain %q (tag %s=%s) may be left behind: %v", r.name, conformanceTag, r.runID, err)
	}
}
