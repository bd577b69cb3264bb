package smdomain

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/document"
	idstypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
)

// SSOAdminAPI is the part of *ssoadmin.Client that smdomain calls to
// assign users and groups to an SSO domain's IAM Identity Center
// application, with the SDK's exact signatures.
type SSOAdminAPI interface {
	CreateApplicationAssignment(context.Context, *ssoadmin.CreateApplicationAssignmentInput, ...func(*ssoadmin.Options)) (*ssoadmin.CreateApplicationAssignmentOutput, error)
	DeleteApplicationAssignment(context.Context, *ssoadmin.DeleteApplicationAssignmentInput, ...func(*ssoadmin.Options)) (*ssoadmin.DeleteApplicationAssignmentOutput, error)
	ListApplicationAssignments(context.Context, *ssoadmin.ListApplicationAssignmentsInput, ...func(*ssoadmin.Options)) (*ssoadmin.ListApplicationAssignmentsOutput, error)
}

var _ SSOAdminAPI = (*ssoadmin.Client)(nil)

// IdentityStoreAPI is the part of *identitystore.Client that smdomain
// calls to find the IDs of Identity Center users (by user name) and groups
// (by display name), with the SDK's exact signatures.
type IdentityStoreAPI interface {
	GetUserId(context.Context, *identitystore.GetUserIdInput, ...func(*identitystore.Options)) (*identitystore.GetUserIdOutput, error)
	GetGroupId(context.Context, *identitystore.GetGroupIdInput, ...func(*identitystore.Options)) (*identitystore.GetGroupIdOutput, error)
}

var _ IdentityStoreAPI = (*identitystore.Client)(nil)

// identityCenter is what WithIdentityCenter configures.
type identityCenter struct {
	set     bool
	sso     SSOAdminAPI
	ids     IdentityStoreAPI
	storeID string
}

// WithIdentityCenter makes Plan and Ensure manage who may open an SSO
// domain's Studio: the domain's IAM Identity Center application (its
// DescribeDomain SingleSignOnApplicationArn) gets an assignment for the
// user of every declared user profile (SingleSignOnUserValue, the user's
// name in the identity store identityStoreID, "d-..."), and for every
// group WithSSOGroups names. A profile whose user is not assigned cannot
// open Studio, and no tool that creates the profile assigns the user:
// without this option smdomain does not either.
//
// Plan lists each assignment to add as a Change on
// "Assignments.USER.<user name>" or "Assignments.GROUP.<group name>" with
// To the principal's ID; so a profile whose user is not assigned is drift
// Plan reports. With WithPrune, the assignment of the user of each profile
// the spec offboards is removed ("Assignments.USER.<user name>", From the
// ID, To nil), unless a declared profile names the same user: the profile
// is smdomain's record of the assignment, and the two go together. No
// other assignment is ever removed (one made by hand for a user without a
// profile, a group's), since nothing records who made it.
//
// Names are resolved while planning, before anything is written: a name
// the identity store does not have is a *PrincipalNotFoundError from Plan
// and from Ensure, which then writes nothing, not even the profile. Ensure
// makes the assignments once the user profiles are InService, after the
// offboardings, one at a time: CreateApplicationAssignment for each
// missing one, DeleteApplicationAssignment for each to remove. Both go
// with the SDK client's own retries, which cannot duplicate anything: an
// answer of ConflictException (an assignment already there; the API
// reference also gives it for a clash with another write, after which a
// later Plan shows an assignment still missing) or of
// ResourceNotFoundException to a delete is success. The changes made join
// the Result's Changes, and a second Ensure only reads.
//
// What it reads, in Plan and in Ensure's plan: GetUserId (attribute
// userName) for each declared user and GetGroupId (attribute displayName)
// for each group; ListApplicationAssignments (every page) when the domain
// exists; with WithPrune, DescribeUserProfile for each profile offboarded,
// to learn its user. A domain created by this Ensure is listed after it
// is InService.
//
// sso and ids may be nil with NewFromConfig, which then builds them from
// its aws.Config; pass clients of your own when Identity Center lives in
// another region or account than the domain. With New, both are needed:
// Plan and Ensure of an SSO spec fail otherwise, as they do without an
// identityStoreID. Default: no Identity Center calls, and WithSSOGroups
// in an SSO spec is an error from Plan and Ensure.
//
// An SSO domain without a SingleSignOnApplicationArn (the service adds
// one to domains created since October 2023) is an error from Plan and
// Ensure: assign its users in the Identity Center console.
func WithIdentityCenter(sso SSOAdminAPI, ids IdentityStoreAPI, identityStoreID string) ClientOption {
	return func(o *clientOptions) {
		o.idc = identityCenter{set: true, sso: sso, ids: ids, storeID: identityStoreID}
	}
}

// identityCenterFromConfig fills in, for NewFromConfig, the clients that
// WithIdentityCenter left nil.
func identityCenterFromConfig(cfg aws.Config) ClientOption {
	return func(o *clientOptions) {
		if !o.idc.set {
			return
		}
		if o.idc.sso == nil {
			o.idc.sso = ssoadmin.NewFromConfig(cfg)
		}
		if o.idc.ids == nil {
			o.idc.ids = identitystore.NewFromConfig(cfg)
		}
	}
}

// PrincipalNotFoundError is returned by Plan and Ensure, before anything
// is written, when the identity store has no user by the name that a
// declared user profile's SingleSignOnUserValue gives, or no group by a
// name WithSSOGroups gives. It lists every such name, so that all can be
// fixed at once.
type PrincipalNotFoundError struct {
	IdentityStoreID string
	Users           []string // sorted
	Groups          []string // sorted
}

// Error names the identity store and the missing users and groups.
func (e *PrincipalNotFoundError) Error() string {
	var parts []string
	if len(e.Users) > 0 {
		parts = append(parts, "no user "+quoteAll(e.Users))
	}
	if len(e.Groups) > 0 {
		parts = append(parts, "no group "+quoteAll(e.Groups))
	}
	return fmt.Sprintf("identity store %s has %s", e.IdentityStoreID, strings.Join(parts, " and "))
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quote(n)
	}
	return strings.Join(q, ", ")
}

// principal is a user or group of the identity store.
type principal struct {
	typ      ssotypes.PrincipalType
	name, id string
}

func (p principal) key() string { return string(p.typ) + "/" + p.id }

// assignment is one assignment to make (add) or remove.
type assignment struct {
	principal
	add bool
}

func (a assignment) change() Change {
	ch := Change{Path: "Assignments." + string(a.typ) + "." + a.name}
	if a.add {
		ch.To = a.id
	} else {
		ch.From = a.id
	}
	return ch
}

// assignmentPlan is what Ensure does to the domain's Identity Center
// application.
type assignmentPlan struct {
	appARN  string      // "" while the domain is still to be created
	want    []principal // the declared users, then the groups
	leaving []principal // the users of the profiles being offboarded
	todo    []assignment
}

// changes lists the plan's assignments as Plan shows them.
func (ap *assignmentPlan) changes() []Change {
	if ap == nil {
		return nil
	}
	out := make([]Change, len(ap.todo))
	for i, a := range ap.todo {
		out[i] = a.change()
	}
	return out
}

// reconcile works out what to add and remove given the assignments the
// application has, sorted by path.
func (ap *assignmentPlan) reconcile(have map[string]bool) {
	ap.todo = nil
	for _, p := range ap.want {
		if !have[p.key()] {
			ap.todo = append(ap.todo, assignment{p, true})
		}
	}
	for _, p := range ap.leaving {
		if have[p.key()] {
			ap.todo = append(ap.todo, assignment{p, false})
		}
	}
	slices.SortFunc(ap.todo, func(a, b assignment) int { return strings.Compare(a.change().Path, b.change().Path) })
}

// planAssignments plans the Identity Center assignments of an SSO spec
// against the live domain (nil when it is to be created) and the member
// steps planned for it; nil when there is nothing to manage.
func (c *Client) planAssignments(ctx context.Context, spec *Spec, live *state, steps []*step) (*assignmentPlan, error) {
	ic := c.opts.idc
	switch {
	case spec.input.AuthMode != types.AuthModeSso:
		return nil, nil
	case !ic.set && len(spec.ssoGroups) > 0:
		return nil, errors.New("identity center: WithSSOGroups needs a Client given WithIdentityCenter")
	case !ic.set:
		return nil, nil
	case ic.sso == nil || ic.ids == nil:
		return nil, errors.New("identity center: WithIdentityCenter needs an SSO Admin and an Identity Store client (NewFromConfig builds those left nil)")
	case ic.storeID == "":
		return nil, errors.New("identity center: WithIdentityCenter needs the identity store ID")
	}
	ap := &assignmentPlan{}
	if live != nil {
		out := live.raw.(*sagemaker.DescribeDomainOutput)
		if out.AuthMode != types.AuthModeSso {
			return nil, nil // a replacement, which Ensure refuses
		}
		if ap.appARN = aws.ToString(out.SingleSignOnApplicationArn); ap.appARN == "" {
			return nil, noApplicationError(live.id)
		}
	}
	var err error
	if ap.want, err = c.declaredPrincipals(ctx, spec); err != nil {
		return nil, err
	}
	if ap.leaving, err = c.leavingUsers(ctx, live, steps, ap.want); err != nil {
		return nil, err
	}
	have := map[string]bool{}
	if ap.appARN != "" {
		if have, err = c.listAssignments(ctx, ap.appARN); err != nil {
			return nil, err
		}
	}
	ap.reconcile(have)
	return ap, nil
}

func noApplicationError(domainID string) error {
	return fmt.Errorf("identity center: SSO domain %s has no SingleSignOnApplicationArn (the service adds one to domains created since October 2023); assign its users in the Identity Center console", domainID)
}

// declaredPrincipals resolves the users of the spec's user profiles and
// the spec's groups, users then groups, each sorted by name. Every name
// the identity store does not have is in one *PrincipalNotFoundError.
func (c *Client) declaredPrincipals(ctx context.Context, spec *Spec) ([]principal, error) {
	var users []string
	for _, p := range spec.userProfiles {
		if name := aws.ToString(p.input.SingleSignOnUserValue); name != "" && !slices.Contains(users, name) {
			users = append(users, name)
		}
	}
	slices.Sort(users)
	missing := &PrincipalNotFoundError{IdentityStoreID: c.opts.idc.storeID}
	var out []principal
	for _, set := range []struct {
		typ     ssotypes.PrincipalType
		names   []string
		missing *[]string
	}{
		{ssotypes.PrincipalTypeUser, users, &missing.Users},
		{ssotypes.PrincipalTypeGroup, slices.Sorted(slices.Values(spec.ssoGroups)), &missing.Groups},
	} {
		for _, name := range set.names {
			p, found, err := c.lookupPrincipal(ctx, set.typ, name)
			switch {
			case err != nil:
				return nil, err
			case !found:
				*set.missing = append(*set.missing, name)
			default:
				out = append(out, p)
			}
		}
	}
	if len(missing.Users)+len(missing.Groups) > 0 {
		return nil, missing
	}
	return out, nil
}

// leavingUsers resolves the users of the user profiles the steps
// offboard, but for those a declared profile also names (want) and those
// the identity store no longer has.
func (c *Client) leavingUsers(ctx context.Context, live *state, steps []*step, want []principal) ([]principal, error) {
	var out []principal
	for _, s := range steps {
		if live == nil || s.res != nil || s.k != userProfileKind {
			continue
		}
		raw, err := userProfileKind.describe(ctx, c.api, live.id, s.name)
		if err != nil {
			return nil, fmt.Errorf("describe %s: %w", resourceLabel(userProfileKind.noun, s.name, live.id), err)
		}
		profile, _ := raw.(*sagemaker.DescribeUserProfileOutput)
		if profile == nil {
			continue // gone since it was listed
		}
		name := aws.ToString(profile.SingleSignOnUserValue)
		declared := slices.ContainsFunc(want, func(p principal) bool { return p.typ == ssotypes.PrincipalTypeUser && p.name == name })
		if name == "" || declared {
			continue
		}
		p, found, err := c.lookupPrincipal(ctx, ssotypes.PrincipalTypeUser, name)
		if err != nil {
			return nil, err
		}
		if found {
			out = append(out, p)
		}
	}
	return out, nil
}

// lookupPrincipal finds the ID of the user (by userName) or group (by
// displayName) called name; found is false when the identity store has
// none.
func (c *Client) lookupPrincipal(ctx context.Context, typ ssotypes.PrincipalType, name string) (p principal, found bool, err error) {
	ic := c.opts.idc
	p = principal{typ: typ, name: name}
	unique := func(path string) idstypes.AlternateIdentifier {
		return &idstypes.AlternateIdentifierMemberUniqueAttribute{Value: idstypes.UniqueAttribute{
			AttributePath: aws.String(path), AttributeValue: document.NewLazyDocument(name)}}
	}
	var id *string
	if typ == ssotypes.PrincipalTypeUser {
		var out *identitystore.GetUserIdOutput
		if out, err = ic.ids.GetUserId(ctx, &identitystore.GetUserIdInput{IdentityStoreId: aws.String(ic.storeID), AlternateIdentifier: unique("userName")}); err == nil {
			id = out.UserId
		}
	} else {
		var out *identitystore.GetGroupIdOutput
		if out, err = ic.ids.GetGroupId(ctx, &identitystore.GetGroupIdInput{IdentityStoreId: aws.String(ic.storeID), AlternateIdentifier: unique("displayName")}); err == nil {
			id = out.GroupId
		}
	}
	if errors.As(err, new(*idstypes.ResourceNotFoundException)) {
		return p, false, nil
	}
	if err != nil {
		return p, false, fmt.Errorf("identity store %s: look up %s %q: %w", ic.storeID, strings.ToLower(string(typ)), name, err)
	}
	p.id = aws.ToString(id)
	return p, true, nil
}

// listAssignments returns the application's assignments, as
// principal keys, reading every page.
func (c *Client) listAssignments(ctx context.Context, appARN string) (map[string]bool, error) {
	have := map[string]bool{}
	pages := ssoadmin.NewListApplicationAssignmentsPaginator(c.opts.idc.sso,
		&ssoadmin.ListApplicationAssignmentsInput{ApplicationArn: aws.String(appARN), MaxResults: aws.Int32(100)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list the assignments of %s: %w", appARN, err)
		}
		for _, a := range page.ApplicationAssignments {
			have[principal{typ: a.PrincipalType, id: aws.ToString(a.PrincipalId)}.key()] = true
		}
	}
	return have, nil
}

// ensureAssignments makes the assignments ap plans (nil: none) and adds
// them to res. For a domain this Ensure created (the plan knew no
// application, or a Deleting domain's) it first lists the new
// application's assignments.
func (c *Client) ensureAssignments(ctx context.Context, ap *assignmentPlan, res *Result) error {
	if ap == nil {
		return nil
	}
	current := aws.ToString(res.Domain.Description.SingleSignOnApplicationArn)
	if current == "" {
		return noApplicationError(res.Domain.ID)
	}
	if current != ap.appARN {
		ap.appARN = current
		have, err := c.listAssignments(ctx, ap.appARN)
		if err != nil {
			return err
		}
		ap.reconcile(have)
	}
	for _, a := range ap.todo {
		if err := c.assign(ctx, ap.appARN, a); err != nil {
			return err
		}
		res.Changes = append(res.Changes, a.change())
		if res.Action == ActionUnchanged {
			res.Action = ActionUpdated
		}
	}
	return nil
}

// assign adds or removes one assignment. An assignment already there
// (ConflictException) or already gone (ResourceNotFoundException) is
// success.
func (c *Client) assign(ctx context.Context, appARN string, a assignment) error {
	sso := c.opts.idc.sso
	verb, prep := "assign", "to"
	var err error
	if a.add {
		_, err = sso.CreateApplicationAssignment(ctx, &ssoadmin.CreateApplicationAssignmentInput{
			ApplicationArn: aws.String(appARN), PrincipalId: aws.String(a.id), PrincipalType: a.typ})
		if errors.As(err, new(*ssotypes.ConflictException)) {
			err = nil
		}
	} else {
		verb, prep = "unassign", "from"
		_, err = sso.DeleteApplicationAssignment(ctx, &ssoadmin.DeleteApplicationAssignmentInput{
			ApplicationArn: aws.String(appARN), PrincipalId: aws.String(a.id), PrincipalType: a.typ})
		if errors.As(err, new(*ssotypes.ResourceNotFoundException)) {
			err = nil
		}
	}
	if err != nil {
		return fmt.Errorf("%s %s %q (%s) %s %s: %w", verb, strings.ToLower(string(a.typ)), a.name, a.id, prep, appARN, err)
	}
	c.log(ctx, "identity center "+verb, "principal_type", string(a.typ), "name", a.name, "principal_id", a.id, "application", appARN)
	return nil
}

// WithSSOGroups names IAM Identity Center groups, by display name, whose
// members may open the domain's Studio: with a Client given
// WithIdentityCenter, Plan and Ensure assign each group to the domain's
// Identity Center application as they assign the users of the declared
// user profiles. Later calls add to earlier ones. For a domain whose
// AuthMode is SSO only; a name must be 1 to 1024 characters and given
// once, else a problem in NewSpec. A group's assignment is never removed
// (see WithIdentityCenter). The groups are not part of the spec's JSON
// form: give this option to LoadSpecJSON. Default: none.
func WithSSOGroups(names ...string) Option {
	own := slices.Clone(names)
	return domainOption(func(b *specBuilder) { b.ssoGroups = append(b.ssoGroups, own...) })
}

// SSOGroups returns a copy of the groups WithSSOGroups names, in the order
// given; nil when there are none.
func (s *Spec) SSOGroups() []string {
	if s == nil {
		return nil
	}
	return slices.Clone(s.ssoGroups)
}

// ssoGroupProblems checks the groups a spec names against its auth mode
// and the identity store's rules for a display name.
func ssoGroupProblems(auth types.AuthMode, groups []string) []FieldError {
	if len(groups) > 0 && auth != types.AuthModeSso {
		return []FieldError{{Field: "SSOGroups", Rule: RuleConflict,
			Detail: "can be set only in a domain whose AuthMode is SSO"}}
	}
	var out []FieldError
	for i, g := range groups {
		field := fmt.Sprintf("SSOGroups[%d]", i)
		switch n := utf8.RuneCountInString(g); {
		case n < 1 || n > 1024:
			out = append(out, FieldError{Field: field, Value: g, Rule: RuleLength,
				Detail: fmt.Sprintf("has %d characters; a group's display name has 1 to 1024", n)})
		case slices.Index(groups, g) < i:
			out = append(out, FieldError{Field: field, Value: g, Rule: RuleConflict, Detail: "is named twice"})
		}
	}
	return out
}
