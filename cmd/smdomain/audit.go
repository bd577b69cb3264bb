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
	fmt.Fprintln(w, "Flags:")
}

// severityRank orders the --fail-on values, most severe first.
var severityRank = map[smdomain.Severity]int{
	smdomain.SeverityHigh:   0,
	smdomain.SeverityMedium: 1,
	smdomain.SeverityLow:    2,
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
	var findings []smdomain.Finding
	switch {
	case file != "" && len(pos) == 0 && domainID == "":
		spec, err := loadSpec(file)
		if err != nil {
			printError(stderr, prog+": "+displayName(file), err)
			return exitFail
		}
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
	}
	failing := 0
	for _, f := range findings {
		where := f.Path
		if f.Resource != "" {
			where = f.Resource + " " + f.Path
		}
		fmt.Fprintf(stdout, "%s  %s  %s: %s\n", strings.ToUpper(string(f.Severity)), f.ID, where, f.Detail)
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
