package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/finegrained/smdomain"
	"github.com/finegrained/smdomain/internal/wire"
)

func getUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: smdomain get NAME [flags]")
	fmt.Fprintln(w, "       smdomain get --domain-id d-... [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Shows the domain called NAME, or with the ID; no such domain is an error. With")
	fmt.Fprintln(w, "-o json, prints the full DescribeDomain output as `aws sagemaker describe-domain`")
	fmt.Fprintln(w, "does (timestamps in RFC 3339), for scripts: smdomain get ml -o json | jq -r .Url")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "With -o spec, prints the domain, its tags, and its user profiles and spaces with")
	fmt.Fprintln(w, "theirs as a team file that plan -f and apply -f read: planned against the same")
	fmt.Fprintln(w, "domain, it is a no-op. It holds what the service filled in too; edit what you")
	fmt.Fprintln(w, "mean to manage. The file finds the domain by its name: for a name another")
	fmt.Fprintln(w, "domain shares, plan and apply it with --domain-id.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Flags:")
}

// runGet is the get command.
func runGet(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	const prog = "smdomain get"
	fs := flag.NewFlagSet("get", flag.ContinueOnError)
	var (
		aws      awsFlags
		domainID string
	)
	output := registerOutput(fs, "text", "json", "spec")
	registerDomainID(fs, &domainID)
	aws.register(fs)
	pos, code := parseArgs(fs, args, getUsage, stdout, stderr)
	if code >= 0 {
		return code
	}
	domain, ok := parseDomainArg(prog, pos, domainID, stderr)
	if !ok {
		return exitFail
	}
	ctx, cancel := aws.withDeadline(ctx, 0)
	defer cancel()
	p := newProgress(prog)
	cfg, err := aws.load(ctx)
	if err != nil {
		return p.fail(ctx, stderr, err)
	}
	return getDomain(ctx, smdomain.NewFromConfig(cfg), domain, output.format, p, stdout, stderr)
}

// getDomain prints the domain that domain names.
func getDomain(ctx context.Context, client *smdomain.Client, domain domainArg, output string, p *progress, stdout, stderr io.Writer) int {
	if output == "spec" {
		return exportDomain(ctx, client, domain, p, stdout, stderr)
	}
	p.begin(false, "reading domain %s", domain)
	d, err := client.Get(ctx, domain.ref())
	if err != nil {
		return p.fail(ctx, stderr, err)
	}
	if output == "json" {
		if err := writeDomainJSON(stdout, d); err != nil {
			return p.fail(ctx, stderr, err)
		}
		return exitOK
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(tw, "%s:\t%s\n", k, v)
		}
	}
	row("Name", d.Name)
	row("ID", d.ID)
	row("ARN", d.ARN)
	row("Status", d.Status)
	row("FailureReason", d.FailureReason)
	row("Studio URL", d.URL)
	row("AuthMode", d.AuthMode)
	row("AppNetworkAccessType", d.AppNetworkAccessType)
	row("VPC", d.VPCID)
	row("Subnets", strings.Join(d.SubnetIDs, ", "))
	if d.Description != nil && d.Description.DefaultUserSettings != nil {
		u := d.Description.DefaultUserSettings
		if u.ExecutionRole != nil {
			row("ExecutionRole", *u.ExecutionRole)
		}
		row("SecurityGroups", strings.Join(u.SecurityGroups, ", "))
	}
	row("Home EFS", d.HomeEFSFileSystemID)
	row("KMS key", d.KMSKeyID)
	if !d.CreationTime.IsZero() {
		row("Created", d.CreationTime.UTC().Format(time.RFC3339))
	}
	if !d.LastModifiedTime.IsZero() {
		row("Modified", d.LastModifiedTime.UTC().Format(time.RFC3339))
	}
	tw.Flush()
	return exitOK
}

// writeDomainJSON writes d's DescribeDomain output with the API's member
// names, timestamps as RFC 3339 strings, indented.
func writeDomainJSON(w io.Writer, d *smdomain.Domain) error {
	doc, _ := wire.Encode(d.Description).(map[string]any)
	if doc == nil {
		doc = map[string]any{}
	}
	for key, t := range map[string]time.Time{"CreationTime": d.CreationTime, "LastModifiedTime": d.LastModifiedTime} {
		if _, ok := doc[key]; ok && !t.IsZero() {
			doc[key] = t.UTC().Format(time.RFC3339)
		}
	}
	return writeJSON(w, doc)
}

// exportDomain prints the team file of the domain that domain names, its
// members with it, indented.
func exportDomain(ctx context.Context, client *smdomain.Client, domain domainArg, p *progress, stdout, stderr io.Writer) int {
	p.begin(false, "exporting domain %s", domain)
	spec, err := client.Export(ctx, domain.ref())
	if err != nil {
		return p.fail(ctx, stderr, err)
	}
	data, err := spec.MarshalJSON()
	if err != nil {
		return p.fail(ctx, stderr, err)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, data, "", "  "); err != nil {
		return p.fail(ctx, stderr, err)
	}
	out.WriteByte('\n')
	if _, err := out.WriteTo(stdout); err != nil {
		return p.fail(ctx, stderr, err)
	}
	return exitOK
}
