package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/finegrained/smdomain"
)

// outputFlag is the -o flag: one of the formats a command prints, the
// first one by default. A format it does not know is a usage error.
type outputFlag struct {
	format  string
	formats []string
}

// registerOutput registers -o with formats, the first the default.
func registerOutput(fs *flag.FlagSet, formats ...string) *outputFlag {
	o := &outputFlag{format: formats[0], formats: formats}
	fs.Var(o, "o", "output format: "+strings.Join(formats, ", "))
	return o
}

func (o *outputFlag) String() string { return o.format }

func (o *outputFlag) Set(v string) error {
	if !slices.Contains(o.formats, v) {
		return fmt.Errorf("want %s", strings.Join(o.formats, ", "))
	}
	o.format = v
	return nil
}

// writeJSON writes v indented, as every -o json does.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// The documents -o json prints. Members are named as AWS names them
// (DomainId, not DomainID); a list is [] when empty, never null; a value
// that is not known is left out, as AWS leaves it out.

// domainDoc names a domain, as ListDomains does.
type domainDoc struct {
	DomainID   string `json:"DomainId,omitempty"`
	DomainArn  string `json:",omitempty"`
	DomainName string `json:",omitempty"`
}

// changeDoc is a smdomain.Change: From left out when the field is absent
// from the live resource, To when the change removes it.
type changeDoc struct {
	Path              string
	From              any `json:",omitempty"`
	To                any `json:",omitempty"`
	ForcesReplacement bool
}

func newChangeDocs(changes []smdomain.Change) []changeDoc {
	out := make([]changeDoc, len(changes))
	for i, c := range changes {
		out[i] = changeDoc{Path: c.Path, From: c.From, To: c.To, ForcesReplacement: c.ForcesReplacement}
	}
	return out
}

// memberDoc is what plan would do, or apply did, to one user profile or
// space.
type memberDoc struct {
	Kind    smdomain.MemberKind
	Name    string
	Action  string
	Changes []changeDoc
}

// planDoc is plan's document.
type planDoc struct {
	Action smdomain.PlanAction
	domainDoc
	Status  string `json:",omitempty"`
	Account string `json:",omitempty"`
	Region  string `json:",omitempty"`
	Changes []changeDoc
	Members []memberDoc
}

func newPlanDoc(p *smdomain.Plan) planDoc {
	doc := planDoc{Action: p.Action, domainDoc: domainDoc{DomainID: p.DomainID, DomainName: p.DomainName},
		Status: p.Status, Account: p.Account, Region: p.Region, Changes: newChangeDocs(p.Changes), Members: []memberDoc{}}
	for _, m := range p.Members {
		doc.Members = append(doc.Members, memberDoc{Kind: m.Kind, Name: m.Name, Action: string(m.Action), Changes: newChangeDocs(m.Changes)})
	}
	return doc
}

// resultDoc is what apply and delete did to which domain.
type resultDoc struct {
	Action smdomain.Action
	domainDoc
	Changes []changeDoc
}

func newResultDoc(res *smdomain.Result) resultDoc {
	doc := resultDoc{Action: res.Action, Changes: newChangeDocs(res.Changes)}
	if d := res.Domain; d != nil {
		doc.domainDoc = domainDoc{DomainID: d.ID, DomainArn: d.ARN, DomainName: d.Name}
	}
	return doc
}

// applyDoc is apply's document: the domain as it is after the wait, and
// what happened to each member.
type applyDoc struct {
	resultDoc
	Status  string `json:",omitempty"`
	URL     string `json:"Url,omitempty"`
	Members []memberDoc
}

func newApplyDoc(res *smdomain.Result) applyDoc {
	doc := applyDoc{resultDoc: newResultDoc(res), Members: []memberDoc{}}
	if d := res.Domain; d != nil {
		doc.Status, doc.URL = d.Status, d.URL
	}
	for _, m := range res.Members {
		doc.Members = append(doc.Members, memberDoc{Kind: m.Kind, Name: m.Name, Action: string(m.Action), Changes: newChangeDocs(m.Changes)})
	}
	return doc
}

// deleteDoc is delete's document: when it deleted the domain, what became
// of the home EFS volume, as DeleteDomain's RetentionPolicy says it.
type deleteDoc struct {
	resultDoc
	HomeEfsFileSystemID string        `json:"HomeEfsFileSystemId,omitempty"`
	RetentionPolicy     *retentionDoc `json:",omitempty"`
}

type retentionDoc struct {
	HomeEfsFileSystem types.RetentionType
}
