package smdomain

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker"

	"github.com/finegrained/smdomain/internal/wire"
)

// PlanAction says what Ensure would do.
type PlanAction string

// The actions a Plan can have.
const (
	PlanCreate          PlanAction = "create"           // no domain has the name: Ensure creates one
	PlanUpdate          PlanAction = "update"           // every change can be made in place
	PlanReplaceRequired PlanAction = "replace-required" // some change needs a new domain: Ensure refuses
	PlanNoOp            PlanAction = "no-op"            // the domain matches the spec
	PlanDelete          PlanAction = "delete"           // a member WithPrune offboards (MemberPlan only)
)

// Change is one field that differs between a spec and the live domain.
type Change struct {
	// Path is the field's stable dotted path as in CreateDomainInput, e.g.
	// "DefaultUserSettings.SecurityGroups", or "Tags.<key>" for a tag. A
	// difference inside a list is reported for the whole list. A member's
	// field is under "UserProfiles.<name>." or "Spaces.<name>." followed by
	// its path as in CreateUserProfileInput or CreateSpaceInput
	// ("UserProfiles.alice.UserSettings.ExecutionRole",
	// "Spaces.fraud.Tags.team"). An offboarding deletes, each one change
	// with From its status and To nil: "Apps.<owner>/<type>/<name>",
	// "Spaces.<name>" and "UserProfiles.<name>". An Identity Center
	// assignment (WithIdentityCenter) is "Assignments.USER.<user name>" or
	// "Assignments.GROUP.<group name>", with the principal's ID in To when
	// it is added and in From when it is removed.
	Path string
	// From is the live value (nil when the field is absent) and To the
	// spec's (nil when the change removes a tag). Values are in their JSON
	// form: string, bool, json.Number, []any or map[string]any.
	From, To any
	// ForcesReplacement is true when the resource's Update call
	// (UpdateDomain, UpdateUserProfile, UpdateSpace) cannot make the change.
	ForcesReplacement bool
}

// MemberPlan is what Ensure would do to one user profile or space.
type MemberPlan struct {
	Kind MemberKind
	Name string // as declared, or as the service reports an undeclared one
	// Action is PlanCreate, PlanUpdate, PlanNoOp, PlanReplaceRequired, or
	// PlanDelete for a member WithPrune offboards.
	Action PlanAction
	// Changes are the member's changes, paths as in Plan.Changes. For
	// PlanDelete they list what goes, in the order it goes: the apps, the
	// spaces the user owns, then the member itself.
	Changes []Change
}

// Plan is what Ensure would do for a spec, computed without writing
// anything.
type Plan struct {
	Action     PlanAction
	DomainName string
	// DomainID is the live domain's ID; "" when the plan is to create.
	DomainID string
	// Status is the live domain's status; "" when the plan is to create.
	Status string
	// Account and Region the plan was computed for. Account is "" when the
	// Client has no STS client (see WithSTS); Region is "" when the API
	// client does not say.
	Account, Region string
	// Changes lists every difference: the domain's settings sorted by
	// Path, then its tags sorted by key; then the Identity Center
	// assignments sorted by Path (Ensure makes them last); then each
	// member's, in Members' order. For a create it lists every top-level
	// field the spec sets, structures whole.
	Changes []Change
	// Members are the plans of the user profiles and spaces the spec
	// declares, and with WithPrune of those it offboards: the user profiles
	// sorted by name without case, then the spaces, then the offboardings
	// in the order Ensure makes them. Members with nothing to do are listed
	// too, as PlanNoOp.
	Members []MemberPlan
}

// Replacements returns the changes that force replacement.
func (p *Plan) Replacements() []Change { return replacements(p.Changes) }

// String renders the plan for people, one line per change, in a stable
// format:
//
//	domain "ml" (d-abc123def456) in 123456789012/us-east-1: update, 1 change
//	  ~ AppNetworkAccessType: "PublicInternetOnly" -> "VpcOnly"
//
// "+" marks an added field, "-" a removed one, "~" a changed one, and
// "!" a change that forces replacement.
func (p *Plan) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "domain %q", p.DomainName)
	if p.DomainID != "" {
		fmt.Fprintf(&b, " (%s)", p.DomainID)
	}
	if p.Account != "" || p.Region != "" {
		fmt.Fprintf(&b, " in %s", strings.Trim(p.Account+"/"+p.Region, "/"))
	}
	fmt.Fprintf(&b, ": %s", p.Action)
	switch n := len(p.Changes); {
	case p.Action == PlanCreate:
	case n == 1:
		b.WriteString(", 1 change")
	case n > 1:
		fmt.Fprintf(&b, ", %d changes", n)
	}
	if n := len(p.Replacements()); n > 0 {
		fmt.Fprintf(&b, " (%d forcing replacement)", n)
	}
	b.WriteString("\n")
	writeChanges(&b, "", p.Changes[:len(p.Changes)-memberChanges(p.Members)])
	for _, m := range p.Members {
		if m.Action == PlanNoOp {
			continue
		}
		fmt.Fprintf(&b, "  %s %q: %s\n", m.Kind, m.Name, memberSummary(m))
		writeChanges(&b, "  ", m.Changes)
	}
	return b.String()
}

func memberChanges(members []MemberPlan) int {
	n := 0
	for _, m := range members {
		n += len(m.Changes)
	}
	return n
}

// memberSummary says in words what a member's plan does; for an
// offboarding, what the user loses.
func memberSummary(m MemberPlan) string {
	if m.Action != PlanDelete {
		return string(m.Action)
	}
	if m.Kind == KindSpace {
		return "delete: its apps stop and the space's storage is deleted"
	}
	return "offboard: its apps, then the spaces it owns, then the profile are deleted; the user loses access to their home directory"
}

func writeChanges(b *strings.Builder, indent string, changes []Change) {
	for _, c := range changes {
		b.WriteString(indent)
		mark := "~"
		switch {
		case c.ForcesReplacement:
			mark = "!"
		case c.From == nil:
			mark = "+"
		case c.To == nil:
			mark = "-"
		}
		switch mark {
		case "+":
			fmt.Fprintf(b, "  + %s: %s\n", c.Path, render(c.To))
		case "-":
			fmt.Fprintf(b, "  - %s: %s\n", c.Path, render(c.From))
		default:
			fmt.Fprintf(b, "  %s %s: %s -> %s\n", mark, c.Path, render(c.From), render(c.To))
		}
	}
}

// render writes a JSON-form value compactly, map keys sorted.
func render(v any) string {
	if v == nil {
		return "(none)"
	}
	out, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(out)
}

// Plan reports what Ensure would do for spec, field by field, for the
// domain and the members it declares. It only reads: ListDomains (unless
// the spec pins a domain ID), DescribeDomain, ListTags (when the spec
// manages tags or the Client has an owner), and, when the spec declares
// members or prunes, ListUserProfiles, ListSpaces, each declared member's
// Describe call (and ListTags when its tags are managed), and ListApps for
// an offboarding; once per Client, GetCallerIdentity when an STS client is
// set and a role is to be checked or the domain is still to be created
// (otherwise the plan's Account is read from the domain's ARN); for an SSO
// spec with WithIdentityCenter, the reads that option lists. A role that Ensure would refuse (see WithSTS and
// WithCrossAccountRoles) is the same *RoleAccountError here, so a pipeline
// that plans, then applies, learns it at the plan. When several domains
// made by racing Ensure calls have the name (see Ensure), it describes each
// and lists its tags, and plans against the one created first.
func (c *Client) Plan(ctx context.Context, spec *Spec) (*Plan, error) {
	if err := checkSpec(spec); err != nil {
		return nil, err
	}
	if err := c.checkOwnerTags(spec); err != nil {
		return nil, err
	}
	sp, err := c.planSpec(ctx, spec)
	if err != nil {
		return nil, err
	}
	// What Ensure would refuse before writing, Plan refuses too.
	if err := c.checkPlannedRoles(ctx, sp); err != nil {
		return nil, err
	}
	p := sp.plan
	p.Region = c.region()
	if c.opts.sts != nil {
		account, err := c.planAccount(ctx, sp)
		if err != nil {
			return nil, err
		}
		p.Account = account
	}
	return p, nil
}

// planAccount is the account a plan is for: the caller's, as GetCallerIdentity
// said when a role check asked it, or else as the ARN of the domain
// planned against says (ListDomains lists only the caller's own domains),
// and only for a domain still to be created as GetCallerIdentity says.
func (c *Client) planAccount(ctx context.Context, sp *specPlan) (string, error) {
	c.idMu.Lock()
	known := c.id
	c.idMu.Unlock()
	if known != nil {
		return known.account, nil
	}
	if live := sp.domainPlan.live; live != nil {
		if parts := strings.Split(live.arn, ":"); len(parts) > 4 && parts[4] != "" {
			return parts[4], nil
		}
	}
	id, err := c.identity(ctx)
	return id.account, err
}

// checkSpec refuses a nil or zero Spec: only the constructors make valid
// ones.
func checkSpec(spec *Spec) error {
	if spec == nil || spec.input == nil {
		return &ValidationError{Problems: []FieldError{{Rule: RuleRequired,
			Detail: "the spec must be built by NewSpec, LoadSpecJSON or SpecFromCreateDomainInput"}}}
	}
	return nil
}

// specPlan is a plan together with what Ensure needs to carry it out
// without reading again.
type specPlan struct {
	plan       *Plan
	domain     *domainResource
	domainPlan *planned
	// members are the member steps in Ensure's order; while the domain
	// does not exist they are all creates, planned again once it does.
	members []*step
	// assignments are the Identity Center assignments (identitycenter.go).
	assignments *assignmentPlan
}

// planSpec reads the domain and the members spec declares and plans them.
func (c *Client) planSpec(ctx context.Context, spec *Spec) (*specPlan, error) {
	dr := newDomainResource(c, spec)
	var live *state
	var dp *planned
	for tries := 1; ; tries++ {
		var err error
		if live, err = dr.find(ctx); err != nil {
			return nil, err
		}
		dp, err = c.planResource(ctx, dr, live)
		if notFound(err) && tries < 3 {
			continue // the domain went while it was planned (a racer removing its duplicate): read again
		}
		if err != nil {
			return nil, err
		}
		break
	}
	if live == nil {
		if _, err := dr.createInput(); err != nil {
			return nil, err
		}
		if c.opts.owner != "" {
			dp.changes = append(dp.changes, Change{Path: "Tags." + OwnerTagKey, To: c.opts.owner})
			slices.SortFunc(dp.changes, changeOrder)
		}
	}
	p := &Plan{DomainName: spec.Name(), Action: dp.action, Changes: slices.Clone(dp.changes)}
	domainID := ""
	if live != nil {
		domainID, p.DomainID, p.Status = live.id, live.id, live.status
	}
	steps, err := c.planMembers(ctx, spec, domainID)
	if err != nil {
		return nil, err
	}
	assignments, err := c.planAssignments(ctx, spec, live, steps)
	if err != nil {
		return nil, err
	}
	p.Changes = append(p.Changes, assignments.changes()...)
	for _, s := range steps {
		mp := s.memberPlan()
		p.Members = append(p.Members, mp)
		p.Changes = append(p.Changes, mp.Changes...)
	}
	switch {
	case len(p.Replacements()) > 0:
		p.Action = PlanReplaceRequired
	case p.Action == PlanNoOp && len(p.Changes) > 0:
		p.Action = PlanUpdate
	}
	return &specPlan{plan: p, domain: dr, domainPlan: dp, members: steps, assignments: assignments}, nil
}

func encodeMap(v any) map[string]any {
	m, _ := wire.Encode(v).(map[string]any)
	if m == nil {
		m = map[string]any{}
	}
	return m
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// region reports the region of the API client New was given when it is a
// *sagemaker.Client (or anything with the same Options method).
func (c *Client) region() string {
	if o, ok := c.api.(pacedAPI).api.(interface{ Options() sagemaker.Options }); ok {
		return o.Options().Region
	}
	return ""
}
