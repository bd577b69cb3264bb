package smdomain

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/finegrained/smdomain/internal/docpath"
	"github.com/finegrained/smdomain/internal/model"
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
)

// Change is one field that differs between a spec and the live domain.
type Change struct {
	// Path is the field's stable dotted path as in CreateDomainInput, e.g.
	// "DefaultUserSettings.SecurityGroups", or "Tags.<key>" for a tag. A
	// difference inside a list is reported for the whole list.
	Path string
	// From is the live value (nil when the field is absent) and To the
	// spec's (nil when the change removes a tag). Values are in their JSON
	// form: string, bool, json.Number, []any or map[string]any.
	From, To any
	// ForcesReplacement is true when UpdateDomain cannot make the change.
	ForcesReplacement bool
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
	// Changes lists every difference: the settings sorted by Path, then
	// the tags sorted by key. For a create it lists every top-level field
	// the spec sets, structures whole.
	Changes []Change
}

// Replacements returns the changes that force replacement.
func (p *Plan) Replacements() []Change {
	var out []Change
	for _, c := range p.Changes {
		if c.ForcesReplacement {
			out = append(out, c)
		}
	}
	return out
}

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
	for _, c := range p.Changes {
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
			fmt.Fprintf(&b, "  + %s: %s\n", c.Path, render(c.To))
		case "-":
			fmt.Fprintf(&b, "  - %s: %s\n", c.Path, render(c.From))
		default:
			fmt.Fprintf(&b, "  %s %s: %s -> %s\n", mark, c.Path, render(c.From), render(c.To))
		}
	}
	return b.String()
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

// Plan reports what Ensure would do for spec, field by field. It only
// reads: ListDomains (unless the spec pins a domain ID), DescribeDomain,
// ListTags (when the spec manages tags) and, once per Client,
// GetCallerIdentity when an STS client is set.
func (c *Client) Plan(ctx context.Context, spec *Spec) (*Plan, error) {
	if err := checkSpec(spec); err != nil {
		return nil, err
	}
	if err := c.checkOwnerTags(spec); err != nil {
		return nil, err
	}
	live, err := c.find(ctx, spec)
	if err != nil {
		return nil, err
	}
	p, err := c.plan(ctx, spec, live)
	if err != nil {
		return nil, err
	}
	p.Region = c.region()
	if c.opts.sts != nil {
		id, err := c.identity(ctx)
		if err != nil {
			return nil, err
		}
		p.Account = id.account
	}
	return p, nil
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

// plan compares spec with live (nil when the domain does not exist).
func (c *Client) plan(ctx context.Context, spec *Spec, live *sagemaker.DescribeDomainOutput) (*Plan, error) {
	p := &Plan{DomainName: spec.Name()}
	desired := encodeMap(spec.input)
	if live == nil {
		p.Action = PlanCreate
		for _, k := range sortedKeys(desired) {
			p.Changes = append(p.Changes, Change{Path: k, To: desired[k]})
		}
		tags := spec.Tags()
		if c.opts.owner != "" {
			if tags == nil {
				tags = map[string]string{}
			}
			tags[OwnerTagKey] = c.opts.owner
		}
		for _, k := range sortedKeys(tags) {
			p.Changes = append(p.Changes, Change{Path: "Tags." + k, To: tags[k]})
		}
		return p, nil
	}
	p.DomainID = deref(live.DomainId)
	p.Status = string(live.Status)
	p.Changes = diffSettings(desired, encodeMap(live))
	if spec.tags != nil || c.opts.owner != "" {
		tags, err := c.listTags(ctx, deref(live.DomainArn))
		if err != nil {
			return nil, err
		}
		if err := c.checkOwner(live, tags); err != nil {
			return nil, err
		}
		if spec.tags != nil {
			p.Changes = append(p.Changes, diffTags(spec.tags, tags)...)
		}
	}
	slices.SortFunc(p.Changes, changeOrder)
	switch {
	case len(p.Changes) == 0:
		p.Action = PlanNoOp
	case len(p.Replacements()) > 0:
		p.Action = PlanReplaceRequired
	default:
		p.Action = PlanUpdate
	}
	return p, nil
}

// changeOrder puts settings before tags, each sorted by path.
func changeOrder(a, b Change) int {
	aTag, bTag := strings.HasPrefix(a.Path, "Tags."), strings.HasPrefix(b.Path, "Tags.")
	switch {
	case aTag && !bTag:
		return 1
	case !aTag && bTag:
		return -1
	}
	return strings.Compare(a.Path, b.Path)
}

func encodeMap(v any) map[string]any {
	m, _ := wire.Encode(v).(map[string]any)
	if m == nil {
		m = map[string]any{}
	}
	return m
}

// diffSettings compares the fields the spec sets (desired, the JSON form
// of its CreateDomainInput) with the same fields of the live domain (the
// JSON form of DescribeDomainOutput). Fields the spec leaves unset are not
// compared, so server-filled defaults never show as changes.
func diffSettings(desired, live map[string]any) []Change {
	delete(desired, "Tags")
	pruned := docpath.Prune(desired, live).(map[string]any)
	var r diffReporter
	cmp.Equal(desired, pruned,
		cmpopts.SortSlices(func(a, b any) bool { return render(a) < render(b) }),
		cmp.Reporter(&r))
	var changes []Change
	for _, path := range r.paths {
		changes = appendChanges(changes, path, docpath.Lookup(pruned, path), docpath.Lookup(desired, path), live)
	}
	return changes
}

// appendChanges appends the change at path. A structure the live domain
// lacks altogether is split into one change per field it sets, so that
// each is judged (and sent) on its own.
func appendChanges(changes []Change, path []string, from, to any, live map[string]any) []Change {
	if tm, ok := to.(map[string]any); ok && from == nil {
		for _, k := range sortedKeys(tm) {
			changes = appendChanges(changes, append(slices.Clip(path), k), nil, tm[k], live)
		}
		return changes
	}
	return append(changes, Change{Path: strings.Join(path, "."), From: from, To: to,
		ForcesReplacement: forcesReplacement(path, from, to, live)})
}

// diffReporter collects the paths of the differences go-cmp finds, cut at
// the first list so that a list is reported whole.
type diffReporter struct {
	stack cmp.Path
	paths [][]string
}

func (r *diffReporter) PushStep(ps cmp.PathStep) { r.stack = append(r.stack, ps) }

func (r *diffReporter) PopStep() { r.stack = r.stack[:len(r.stack)-1] }

func (r *diffReporter) Report(rs cmp.Result) {
	if rs.Equal() {
		return
	}
	var path []string
	for _, step := range r.stack {
		if _, ok := step.(cmp.SliceIndex); ok {
			break
		}
		if mi, ok := step.(cmp.MapIndex); ok {
			path = append(path, mi.Key().String())
		}
	}
	if len(path) == 0 {
		return
	}
	for _, seen := range r.paths {
		if slices.Equal(seen, path) {
			return
		}
	}
	r.paths = append(r.paths, path)
}

// forUpdate names the UpdateDomain members that carry a CreateDomain
// structure under another name.
var forUpdate = map[string]string{
	"DomainSettings":                 "DomainSettingsForUpdate",
	"RStudioServerProDomainSettings": "RStudioServerProDomainSettingsForUpdate",
}

// updatePath maps a CreateDomainInput path to the UpdateDomainInput path
// that changes the same setting, or returns false when UpdateDomain has no
// such member.
func updatePath(path []string) ([]string, bool) {
	shape := model.Lookup("UpdateDomainRequest")
	out := make([]string, 0, len(path))
	for _, seg := range path {
		if shape == nil {
			return nil, false
		}
		name := seg
		if _, ok := shape.Member(seg); !ok {
			name = forUpdate[seg]
		}
		m, ok := shape.Member(name)
		if !ok {
			return nil, false
		}
		out = append(out, name)
		shape = model.Lookup(m.Shape)
	}
	return out, true
}

// forcesReplacement says whether UpdateDomain cannot make a change: the
// setting has no UpdateDomain member (DomainName, AuthMode, KmsKeyId, ...),
// the domain already has a VPC, or home EFS creation would go from Enabled
// to Disabled.
func forcesReplacement(path []string, from, to any, live map[string]any) bool {
	if _, ok := updatePath(path); !ok {
		return true
	}
	switch strings.Join(path, ".") {
	case "VpcId":
		return live["VpcId"] != nil
	case "HomeEfsFileSystemCreation":
		// Unreported, it is the default (Enabled) when the domain has a volume.
		return to == "Disabled" && (from == "Enabled" || from == nil && live["HomeEfsFileSystemId"] != nil)
	}
	return false
}

// diffTags compares managed tags with the live ones; aws: tags and the
// owner tag are never removed.
func diffTags(want, live map[string]string) []Change {
	var out []Change
	for _, k := range sortedKeys(want) {
		if lv, ok := live[k]; !ok {
			out = append(out, Change{Path: "Tags." + k, To: want[k]})
		} else if lv != want[k] {
			out = append(out, Change{Path: "Tags." + k, From: lv, To: want[k]})
		}
	}
	for _, k := range sortedKeys(live) {
		if _, ok := want[k]; !ok && !strings.HasPrefix(k, "aws:") && k != OwnerTagKey {
			out = append(out, Change{Path: "Tags." + k, From: live[k]})
		}
	}
	return out
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

// region reports the region of the API client when it is a
// *sagemaker.Client (or anything with the same Options method).
func (c *Client) region() string {
	if o, ok := c.api.(interface{ Options() sagemaker.Options }); ok {
		return o.Options().Region
	}
	return ""
}
