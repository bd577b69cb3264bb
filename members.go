package smdomain

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// MemberResult is what Ensure, EnsureMember or RemoveMember did to one
// user profile or space.
type MemberResult struct {
	Kind MemberKind
	Name string
	// Action is ActionCreated, ActionUpdated, ActionUnchanged, or
	// ActionDeleted for an offboarding.
	Action Action
	// Changes are the changes made, paths as in Plan.Changes.
	Changes []Change
}

// step is one member's part of a plan: a declared member to converge, or
// an undeclared one to offboard.
type step struct {
	k    *memberKind
	name string
	res  *memberResource // nil for an offboarding
	plan *planned        // the declared member's plan
	// gone lists an offboarding's deletes in order: apps, the spaces the
	// user owns, the member itself (as Change paths relative to the plan).
	gone []Change
}

// memberPlan renders a step as the plan shows it.
func (s *step) memberPlan() MemberPlan {
	mp := MemberPlan{Kind: s.k.member, Name: s.name}
	if s.res == nil {
		mp.Action, mp.Changes = PlanDelete, slices.Clone(s.gone)
		return mp
	}
	mp.Action = s.plan.action
	for _, ch := range s.plan.changes {
		ch.Path = s.prefix() + ch.Path
		mp.Changes = append(mp.Changes, ch)
	}
	return mp
}

// prefix is where the member's changes sit in a plan: "UserProfiles.alice.".
func (s *step) prefix() string { return s.k.plural + "." + s.name + "." }

// liveMember is a member as a List call reports it.
type liveMember struct {
	name, status, owner string
}

// liveMembers is what the domain has, keyed by folded name.
type liveMembers struct {
	profiles map[string]liveMember
	spaces   map[string]liveMember
}

// listMembers lists the domain's user profiles and spaces.
func (c *Client) listMembers(ctx context.Context, domainID string) (*liveMembers, error) {
	lm := &liveMembers{profiles: map[string]liveMember{}, spaces: map[string]liveMember{}}
	profiles, err := c.listUserProfiles(ctx, domainID)
	if err != nil {
		return nil, err
	}
	for _, r := range profiles {
		lm.profiles[memberName(r.name)] = liveMember{name: r.name, status: r.status}
	}
	spaces, err := c.listSpaces(ctx, domainID)
	if err != nil {
		return nil, err
	}
	for _, r := range spaces {
		lm.spaces[r.name] = liveMember{name: r.name, status: r.status, owner: r.owner}
	}
	return lm, nil
}

// planMembers plans every member spec declares in the domain domainID
// ("" when the domain is still to be created), and with WithPrune the
// offboarding of the undeclared ones, in the order Ensure acts.
func (c *Client) planMembers(ctx context.Context, spec *Spec, domainID string) ([]*step, error) {
	if len(spec.userProfiles)+len(spec.spaces) == 0 && !spec.prune {
		return nil, nil
	}
	lm := &liveMembers{}
	if domainID != "" {
		var err error
		if lm, err = c.listMembers(ctx, domainID); err != nil {
			return nil, err
		}
	}
	if err := ownerProblems(spec, lm); err != nil {
		return nil, err
	}
	var steps []*step
	declared := map[string]bool{}
	for _, m := range spec.members() {
		k := m.memberKind()
		live := lm.profiles
		if k == spaceKind {
			live = lm.spaces
		}
		declared[k.plural+"."+k.key(m.Name())] = true
		s, err := c.planMember(ctx, domainID, m, live[k.key(m.Name())])
		if err != nil {
			return nil, err
		}
		steps = append(steps, s)
	}
	if !spec.prune || domainID == "" {
		return steps, nil
	}
	offboard, err := c.planOffboarding(ctx, domainID, lm, func(k *memberKind, name string) bool {
		return !declared[k.plural+"."+k.key(name)]
	})
	return append(steps, offboard...), err
}

// members lists the spec's members in Ensure's order: the user profiles,
// then the spaces (whose owners must exist first), each sorted by folded
// name.
func (s *Spec) members() []Member {
	var out []Member
	for _, p := range sortedMembers(s.userProfiles) {
		out = append(out, p)
	}
	for _, sp := range sortedMembers(s.spaces) {
		out = append(out, sp)
	}
	return out
}

func sortedMembers[M Member](ms []M) []M {
	out := slices.Clone(ms)
	slices.SortFunc(out, func(a, b M) int { return strings.Compare(memberName(a.Name()), memberName(b.Name())) })
	return out
}

// planMember plans one declared member against its live summary (zero
// when it does not exist).
func (c *Client) planMember(ctx context.Context, domainID string, m Member, summary liveMember) (*step, error) {
	k := m.memberKind()
	r := &memberResource{c: c, k: k, domainID: domainID, name: m.Name(), doc: m.memberDoc(), tagMap: m.memberTags()}
	var live *state
	if summary.name != "" {
		r.name = summary.name // the service's spelling
		var err error
		if live, err = r.find(ctx); err != nil {
			return nil, err
		}
	}
	p, err := c.planResource(ctx, r, live)
	if err != nil {
		return nil, err
	}
	return &step{k: k, name: m.Name(), res: r, plan: p}, nil
}

// ownerProblems refuses, before any write, a declared space whose owner
// is neither declared nor a live user profile of the domain.
func ownerProblems(spec *Spec, lm *liveMembers) error {
	declared := map[string]bool{}
	for _, p := range spec.userProfiles {
		declared[memberName(p.Name())] = true
	}
	var problems []FieldError
	for _, s := range spec.spaces {
		owner := s.Owner()
		if _, live := lm.profiles[memberName(owner)]; owner == "" || declared[memberName(owner)] || live {
			continue
		}
		problems = append(problems, FieldError{Field: "Spaces[" + s.Name() + "].OwnershipSettings.OwnerUserProfileName",
			Rule: RuleConflict, Value: owner, Detail: "names a user profile that the spec does not declare and the domain does not have"})
	}
	if len(problems) > 0 {
		return &ValidationError{Problems: problems}
	}
	return nil
}

// planOffboarding plans the deletion of the live members undeclared
// reports: each undeclared space not owned by an offboarded user (its
// apps, then it), then each undeclared user profile (its apps and the apps
// of the spaces it owns, then those spaces, then the profile).
func (c *Client) planOffboarding(ctx context.Context, domainID string, lm *liveMembers, undeclared func(*memberKind, string) bool) ([]*step, error) {
	leaving := map[string]bool{}
	for key, p := range lm.profiles {
		if undeclared(userProfileKind, p.name) {
			leaving[key] = true
		}
	}
	var spaces []liveMember
	for _, s := range lm.spaces {
		if undeclared(spaceKind, s.name) && !leaving[memberName(s.owner)] {
			spaces = append(spaces, s)
		}
	}
	if len(leaving)+len(spaces) == 0 {
		return nil, nil
	}
	apps, err := c.listApps(ctx, domainID)
	if err != nil {
		return nil, err
	}
	var steps []*step
	slices.SortFunc(spaces, func(a, b liveMember) int { return strings.Compare(a.name, b.name) })
	for _, s := range spaces {
		steps = append(steps, &step{k: spaceKind, name: s.name, gone: goneChanges(apps, nil, []liveMember{s})})
	}
	for _, key := range sortedKeys(leaving) {
		p := lm.profiles[key]
		var owned []liveMember
		for _, s := range lm.spaces {
			if memberName(s.owner) == key {
				owned = append(owned, s)
			}
		}
		slices.SortFunc(owned, func(a, b liveMember) int { return strings.Compare(a.name, b.name) })
		steps = append(steps, &step{k: userProfileKind, name: p.name, gone: goneChanges(apps, &p, owned)})
	}
	return steps, nil
}

// goneChanges lists what an offboarding deletes, in order: the apps of the
// profile (if any) and of the spaces, the spaces, then the profile.
func goneChanges(apps []resident, profile *liveMember, spaces []liveMember) []Change {
	owners := map[string]bool{}
	for _, s := range spaces {
		owners["space/"+s.name] = true
	}
	if profile != nil {
		owners["user/"+memberName(profile.name)] = true
	}
	var out []Change
	for _, a := range apps {
		if !a.gone() && owners[a.owner] {
			out = append(out, Change{Path: a.kind + "." + a.name, From: a.status})
		}
	}
	slices.SortFunc(out, func(a, b Change) int { return strings.Compare(a.Path, b.Path) })
	for _, s := range spaces {
		out = append(out, Change{Path: "Spaces." + s.name, From: s.status})
	}
	if profile != nil {
		out = append(out, Change{Path: "UserProfiles." + profile.name, From: profile.status})
	}
	return out
}

// DefaultConcurrency is how many members Ensure writes at once unless
// WithConcurrency says otherwise.
const DefaultConcurrency = 4

// ensureMembers carries out the member steps of a plan in the domain
// domainID: the user profiles, then the spaces, each group with bounded
// concurrency, then the offboardings as one cascade. Steps with nothing
// to do make no call. It
// returns what it did, in the plan's order, even when some member failed;
// the error then joins every member's error.
func (c *Client) ensureMembers(ctx context.Context, domain *sagemaker.DescribeDomainOutput, steps []*step, deadline time.Time) ([]MemberResult, error) {
	var profiles, spaces, leaving []*step
	for _, s := range steps {
		switch {
		case s.res == nil:
			leaving = append(leaving, s)
		case s.k == userProfileKind:
			profiles = append(profiles, s)
		default:
			spaces = append(spaces, s)
		}
	}
	var out []MemberResult
	for _, g := range []struct {
		what  string
		steps []*step
	}{{"user profiles", profiles}, {"spaces", spaces}} {
		results, err := c.runSteps(ctx, g.what, g.steps, func(ctx context.Context, s *step) (MemberResult, error) {
			return c.carryOut(ctx, domain, s, deadline)
		})
		out = append(out, results...)
		if err != nil {
			return out, err
		}
	}
	results, err := c.offboard(ctx, domain, leaving, deadline)
	return append(out, results...), err
}

// carryOut does one step, not an offboarding, in domain.
func (c *Client) carryOut(ctx context.Context, domain *sagemaker.DescribeDomainOutput, s *step, deadline time.Time) (MemberResult, error) {
	domainID := aws.ToString(domain.DomainId)
	mr := MemberResult{Kind: s.k.member, Name: s.name, Action: ActionUnchanged}
	s.res.domainID = domainID
	if s.plan.action == PlanNoOp && s.plan.live != nil && s.plan.live.status == string(types.UserProfileStatusInService) {
		return mr, nil
	}
	done, err := c.converge(ctx, s.res, s.plan, deadline)
	if err != nil {
		return mr, err
	}
	mr.Action = done.action
	for _, ch := range done.changes {
		ch.Path = s.prefix() + ch.Path
		mr.Changes = append(mr.Changes, ch)
	}
	return mr, nil
}

// runSteps runs fn for each step, at most the Client's concurrency at a
// time, and returns the results of the steps that ran, in order. After a
// failure no new step starts; the error joins every failure. what names
// the steps in progress reports ("user profiles").
func (c *Client) runSteps(ctx context.Context, what string, steps []*step, fn func(context.Context, *step) (MemberResult, error)) ([]MemberResult, error) {
	results := make([]*MemberResult, len(steps)) // each call writes its own
	prog := c.startProgress(what, len(steps))
	errs := inParallel(ctx, len(steps), c.opts.concurrency, func(ctx context.Context, i int) error {
		s := steps[i]
		r, err := fn(ctx, s)
		if err == nil || len(r.Changes) > 0 {
			results[i] = &r
		}
		prog.finished(ctx)
		if err != nil {
			return fmt.Errorf("%s %q: %w", s.k.noun, s.name, err)
		}
		return nil
	})
	var out []MemberResult
	for _, r := range results {
		if r != nil {
			out = append(out, *r)
		}
	}
	return out, errors.Join(errs...)
}

// offboard carries out offboarding steps together, as one cascade over
// everything they list: the apps, then the spaces, then the user
// profiles, each group gone before the next starts, checking before each
// delete that the Client still owns domain (WithOwner). So n offboardings
// list the domain's residents once a round, not n times. Each step's
// result lists what of its plan was deleted, in the plan's order; it
// returns the results of the steps that were carried out, or that deleted
// something before a failure. When the cascade stops part way the error is
// a *CascadeError listing, in the plan's order, what it deleted.
func (c *Client) offboard(ctx context.Context, domain *sagemaker.DescribeDomainOutput, steps []*step, deadline time.Time) ([]MemberResult, error) {
	if len(steps) == 0 {
		return nil, nil
	}
	type planned struct{ step, index int }
	want := map[string]planned{}
	for i, s := range steps {
		for j, ch := range s.gone {
			want[ch.Path] = planned{i, j}
		}
	}
	only := func(list residentLister) residentLister {
		return func(ctx context.Context, id string) ([]resident, error) {
			all, err := list(ctx, id)
			return slices.DeleteFunc(all, func(r resident) bool { _, ok := want[r.kind+"."+r.name]; return !ok }), err
		}
	}
	changes, err := c.cascade(ctx, domain, deadline, only)
	// In the plan's order, whatever order the service listed them in.
	slices.SortStableFunc(changes, func(a, b Change) int {
		pa, pb := want[a.Path], want[b.Path]
		if pa.step != pb.step {
			return pa.step - pb.step
		}
		return pa.index - pb.index
	})
	if ce := (*CascadeError)(nil); errors.As(err, &ce) {
		ce.Deleted = slices.Clone(changes)
	}
	per := make([][]Change, len(steps))
	for _, ch := range changes {
		i := want[ch.Path].step
		per[i] = append(per[i], ch)
	}
	var out []MemberResult
	for i, s := range steps {
		mr := MemberResult{Kind: s.k.member, Name: s.name, Action: ActionUnchanged, Changes: per[i]}
		if len(per[i]) > 0 {
			mr.Action = ActionDeleted
		}
		if err == nil || len(per[i]) > 0 {
			out = append(out, mr)
		}
	}
	return out, err
}
