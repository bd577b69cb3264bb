package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/finegrained/smdomain"
)

func listUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: smdomain list [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Lists every domain in the account and region, sorted by name and then ID: one")
	fmt.Fprintln(w, "line each with its name, ID, status and Studio URL. With -o json, prints")
	fmt.Fprintln(w, "{\"Domains\": [...]} as `aws sagemaker list-domains` does, each with DomainId,")
	fmt.Fprintln(w, "DomainArn, DomainName, Status and Url; no domains is [].")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Flags:")
}

// listDoc is list's document, shaped as ListDomains' output.
type listDoc struct {
	Domains []listedDomainDoc
}

type listedDomainDoc struct {
	domainDoc
	Status string `json:",omitempty"`
	URL    string `json:"Url,omitempty"`
}

// runList is the list command.
func runList(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	const prog = "smdomain list"
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	var aws awsFlags
	output := registerOutput(fs, "text", "json")
	aws.register(fs)
	pos, code := parseArgs(fs, args, listUsage, stdout, stderr)
	if code >= 0 {
		return code
	}
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "%s: unexpected arguments %q\n", prog, pos)
		return exitFail
	}
	ctx, cancel := aws.withDeadline(ctx, 0)
	defer cancel()
	p := newProgress(prog)
	p.begin(false, "listing domains")
	cfg, err := aws.load(ctx)
	if err != nil {
		return p.fail(ctx, stderr, err)
	}
	domains, err := smdomain.NewFromConfig(cfg).List(ctx)
	if err != nil {
		return p.fail(ctx, stderr, err)
	}
	if output.format == "json" {
		doc := listDoc{Domains: make([]listedDomainDoc, len(domains))}
		for i, d := range domains {
			doc.Domains[i] = listedDomainDoc{domainDoc: domainDoc{DomainID: d.ID, DomainArn: d.ARN, DomainName: d.Name}, Status: d.Status, URL: d.URL}
		}
		if err := writeJSON(stdout, doc); err != nil {
			return p.fail(ctx, stderr, err)
		}
		return exitOK
	}
	if len(domains) == 0 {
		fmt.Fprintf(stderr, "%s: no domains in %s\n", prog, cfg.Region)
		return exitOK
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tID\tSTATUS\tURL")
	for _, d := range domains {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", d.Name, d.ID, d.Status, d.URL)
	}
	tw.Flush()
	return exitOK
}
