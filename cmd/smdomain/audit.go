package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/finegrained/smdomain"
)

func auditUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: smdomain audit -f domain.json [flags]")
	fmt.Fprintln(w, "       smdomain audit NAME [flags]")
	fmt.Fprintln(w, "       smdomain audit --domain-id d-... [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Lists the settings that widen how far the domain's users can reach, one line")
	fmt.Fprintln(w, "each: SEVERITY  ID  PATH: what it allows and the option that closes it.")
	fmt.Fprintln(w, "With -f, audits the spec (create-domain --cli-input-json form; - for standard")
	fmt.Fprintln(w, "input) without calling AWS; a field it leaves out is judged by the service's")
	fmt.Fprintln(w, "default. With NAME or --domain-id, audits the live domain as DescribeDomain")
	fmt.Fprintln(w, "reports it, and its user profiles and spaces.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "-o json prints {\"DomainName\" (or \"DomainId\"), \"File\", \"Findings\": [...]}, each")
	fmt.Fprintln(w, "finding with RuleId, Severity, Resource (left out for the domain), Path,")
	fmt.Fprintln(w, "References (the matching Prowler, Checkov and AWS Config rules) and Detail.")
	fmt.Fprintln(w, "-o sarif prints SARIF 2.1.0 for code scanning (GitHub's upload-sarif): one rule")
	fmt.Fprintln(w, "per rule ID, its references in its properties; a result per finding, at error,")
	fmt.Fprintln(w, "warning or note for high, medium or low, located at the setting's line in the")
	fmt.Fprintln(w, "spec file and, for a live domain, at domain/resource/setting as a logical")
	fmt.Fprintln(w, "location. Rule IDs are stable across releases. --fail-on sets the exit status")
	fmt.Fprintln(w, "in every format.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Flags:")
}

// severityRank orders the --fail-on values, most severe first.
var severityRank = map[smdomain.Severity]int{
	smdomain.SeverityHigh:   0,
	smdomain.SeverityMedium: 1,
	smdomain.SeverityLow:    2,
}

// auditTarget is what audit audits: a spec file, or a live domain.
type auditTarget struct {
	// domain is the live domain as the command names it, or the spec's
	// DomainName.
	domain domainArg
	file   string // the spec file; "-" for standard input, "" for a live domain
	text   []byte // the spec file's text
}

// runAudit is the audit command.
func runAudit(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	const prog = "smdomain audit"
	fs := flag.NewFlagSet("audit", flag.ContinueOnError)
	var (
		aws      awsFlags
		file     string
		failOn   string
		domainID string
	)
	fs.StringVar(&file, "f", "", "spec file to audit instead of a live domain; - for standard input")
	fs.StringVar(&failOn, "fail-on", string(smdomain.SeverityHigh), "exit 2 when a finding is this severe or more: high, medium or low")
	output := registerOutput(fs, "text", "json", "sarif")
	registerDomainID(fs, &domainID)
	aws.register(fs)
	pos, code := parseArgs(fs, args, auditUsage, stdout, stderr)
	if code >= 0 {
		return code
	}
	threshold, ok := severityRank[smdomain.Severity(failOn)]
	if !ok {
		fmt.Fprintf(stderr, "%s: --fail-on %q: want high, medium or low\n", prog, failOn)
		return exitFail
	}
	var (
		target   auditTarget
		findings []smdomain.Finding
	)
	switch {
	case file != "" && len(pos) == 0 && domainID == "":
		spec, text, err := loadSpec(file)
		if err != nil {
			printError(stderr, prog+": "+displayName(file), err)
			return exitFail
		}
		target = auditTarget{domain: domainArg{name: spec.Name()}, file: file, text: text}
		findings = spec.Audit()
	case file != "" || len(pos) == 0 && domainID == "":
		fmt.Fprintf(stderr, "%s: want -f domain.json, or a live domain's name or --domain-id: one of them\n", prog)
		return exitFail
	default:
		domain, ok := parseDomainArg(prog, pos, domainID, stderr)
		if !ok {
			return exitFail
		}
		ctx, cancel := aws.withDeadline(ctx, 0)
		defer cancel()
		p := newProgress(prog)
		p.begin(false, "auditing domain %s", domain)
		cfg, err := aws.load(ctx)
		if err != nil {
			return p.fail(ctx, stderr, err)
		}
		findings, err = smdomain.NewFromConfig(cfg).AuditDomain(ctx, domain.ref())
		if err != nil {
			return p.fail(ctx, stderr, err)
		}
		target = auditTarget{domain: domain}
	}
	if err := writeFindings(stdout, output.format, target, findings); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", prog, err)
		return exitFail
	}
	failing := 0
	for _, f := range findings {
		if r, ok := severityRank[f.Severity]; ok && r <= threshold {
			failing++
		}
	}
	if failing > 0 {
		fmt.Fprintf(stderr, "%s: %d of %d finding(s) at or above %s\n", prog, failing, len(findings), failOn)
		return exitFindings
	}
	return exitOK
}

// findingText says where f is and what it allows: "UserProfiles.alice
// UserSettings.ExecutionRole: runs as ...".
func findingText(f smdomain.Finding) string {
	where := f.Path
	if f.Resource != "" {
		where = f.Resource + " " + f.Path
	}
	return where + ": " + f.Detail
}

// auditDoc is audit's -o json document.
type auditDoc struct {
	domainDoc
	File     string `json:",omitempty"` // the spec file audited; left out for standard input and a live domain
	Findings []findingDoc
}

type findingDoc struct {
	RuleID     string `json:"RuleId"`
	Severity   smdomain.Severity
	Resource   string `json:",omitempty"` // left out for the domain
	Path       string
	References []string
	Detail     string
}

// writeFindings prints findings about target in format: text, one line
// each; json; or sarif.
func writeFindings(w io.Writer, format string, target auditTarget, findings []smdomain.Finding) error {
	switch format {
	case "json":
		doc := auditDoc{domainDoc: domainDoc{DomainID: target.domain.id, DomainName: target.domain.name}, Findings: make([]findingDoc, len(findings))}
		if target.file != "-" {
			doc.File = target.file
		}
		for i, f := range findings {
			doc.Findings[i] = findingDoc{RuleID: f.ID, Severity: f.Severity, Resource: f.Resource, Path: f.Path,
				References: append([]string{}, f.References...), Detail: f.Detail}
		}
		return writeJSON(w, doc)
	case "sarif":
		return writeJSON(w, newSARIF(target, findings))
	}
	for _, f := range findings {
		if _, err := fmt.Fprintf(w, "%s  %s  %s\n", strings.ToUpper(string(f.Severity)), f.ID, findingText(f)); err != nil {
			return err
		}
	}
	return nil
}
