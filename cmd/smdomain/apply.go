package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/finegrained/smdomain"
)

func applyUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: smdomain apply -f domain.json [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Creates the domain, or updates it in place, and waits until it is InService.")
	fmt.Fprintln(w, "Prints the plan first; reports each poll on standard error while waiting.")
	fmt.Fprintln(w, "Changes that need a new domain (name, auth mode, KMS key, VPC) are refused,")
	fmt.Fprintln(w, "and nothing is changed. Running apply again with the same file changes nothing.")
	fmt.Fprintln(w, "-f - reads standard input.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Exit status: 0 when the domain matches the file, 1 on any error, 2 on a bad flag.")
	stopUsage(w)
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Flags:")
}

// runApply is the apply command.
func runApply(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	const prog = "smdomain apply"
	fs := flag.NewFlagSet("apply", flag.ContinueOnError)
	var (
		aws      awsFlags
		cl       clientFlags
		file     string
		domainID string
	)
	fs.StringVar(&file, "f", "", "spec file (create-domain --cli-input-json form); - for standard input")
	fs.StringVar(&domainID, "domain-id", "", "the domain's ID: pins it instead of finding it by name (for a name two domains share)")
	aws.register(fs)
	cl.registerOwner(fs)
	cl.registerMaxWait(fs)
	cl.registerCrossAccount(fs)
	pos, code := parseArgs(fs, args, applyUsage, stdout, stderr, exitUsage)
	if code >= 0 {
		return code
	}
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "%s: unexpected arguments %q (the spec file goes after -f)\n", prog, pos)
		return exitUsage
	}
	spec, err := loadSpec(file, domainID)
	if err != nil {
		printError(stderr, prog+": "+displayName(file), err)
		return exitFail
	}
	ctx, cancel := aws.withDeadline(ctx, cl.maxWait)
	defer cancel()
	p := newProgress(prog)
	cfg, err := aws.load(ctx)
	if err != nil {
		return p.fail(ctx, stderr, err)
	}
	client := smdomain.NewFromConfig(cfg, append(cl.options(), p.waitOption(stderr, prog+": ", 0))...)
	return applySpec(ctx, client, spec, p, stdout, stderr)
}

// applySpec prints the plan, ensures spec and prints the result.
func applySpec(ctx context.Context, client *smdomain.Client, spec *smdomain.Spec, p *progress, stdout, stderr io.Writer) int {
	p.begin(false, "planning domain %q", spec.Name())
	plan, err := client.Plan(ctx, spec)
	if err != nil {
		return p.fail(ctx, stderr, err)
	}
	fmt.Fprint(stdout, plan)
	p.begin(true, "applying domain %q", spec.Name())
	res, err := client.Ensure(ctx, spec)
	if err != nil {
		return p.fail(ctx, stderr, err)
	}
	d := res.Domain
	fmt.Fprintf(stdout, "domain %q %s: %s, %s\n", d.Name, res.Action, d.ID, d.Status)
	if d.URL != "" {
		fmt.Fprintf(stdout, "  Studio URL: %s\n", d.URL)
	}
	return exitOK
}
