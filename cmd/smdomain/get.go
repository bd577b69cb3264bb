package main

import (
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
	fmt.Fprintln(w, "Shows the domain called NAME, or with the ID. With -o json, prints the full DescribeDomain")
	fmt.Fprintln(w, "output as `aws sagemaker describe-domain` does (timestamps in RFC 3339), for")
	fmt.Fprintln(w, "scripts: smdomain get ml -o json | jq -r .Url. No such domain is an error.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Flags:")
}

// runGet is the get command.
func runGet(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	const prog = "smdomain get"
	fs := flag.NewFlagSet("get", flag.ContinueOnError)
	var (
		aws      awsFlags
		output   string
		domainID string
	)
	fs.StringVar(&output, "o", "text", "output format: text or json")
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
	if output != "text" && output != "json" {
		fmt.Fprintf(stderr, "%s: -o %q: want text or json\n", prog, output)
		return exitFail
	}
	ctx, cancel := aws.withDeadline(ctx, 0)
	defer cancel()
	p := newProgress(prog)
	cfg, err := aws.load(ctx)
	if err != nil {
		return p.fail(ctx, stderr, err)
	}
	return getDomain(ctx, smdomain.NewFromConfig(cfg), domain, output, p, stdout, stderr)
}

// getDomain prints the domain that domain names.
func getDomain(ctx context.Context, client *smdomain.Client, domain domainArg, output string, p *progress, stdout, stderr io.Writer) int {
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
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
