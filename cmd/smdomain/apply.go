package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/finegrained/smdomain"
)

func applyUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: smdomain apply -f domain.json [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Creates the domain, or updates it in place, then its user profiles, then its")
	fmt.Fprintln(w, "spaces, and waits until each is InService. Prints the plan first, then what")
	fmt.Fprintln(w, "happened to the domain and to each member; reports each poll on standard error")
	fmt.Fprintln(w, "while waiting. Changes that need a new domain (name, auth mode, KMS key, VPC) or")
	fmt.Fprintln(w, "a new member (its name, SSO user, space owner, sharing type, app type) are")
	fmt.Fprintln(w, "refused, and nothing is changed. Running apply again with the same file changes")
	fmt.Fprintln(w, "nothing. -f - reads standard input. With -o json, prints instead of the plan")
	fmt.Fprintln(w, "and the lines what apply did, as one JSON document: Action, DomainId, DomainArn,")
	fmt.Fprintln(w, "DomainName, Changes (Identity Center assignments among them), Status, Url, and")
	fmt.Fprintln(w, "Members (Kind, Name, Action, Changes), also when a member fails.")
	membersUsage(w)
	identityCenterUsage(w)
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Flags:")
}

// runApply is the apply command.
func runApply(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	const prog = "smdomain apply"
	fs := flag.NewFlagSet("apply", flag.ContinueOnError)
	var (
		aws awsFlags
		cl  clientFlags
		sf  specFlags
	)
	sf.register(fs)
	output := registerOutput(fs, "text", "json")
	aws.register(fs)
	cl.registerOwner(fs)
	cl.registerMaxWait(fs)
	cl.registerCrossAccount(fs)
	pos, code := parseArgs(fs, args, applyUsage, stdout, stderr)
	if code >= 0 {
		return code
	}
	spec, code := sf.spec(prog, pos, stderr)
	if code >= 0 {
		return code
	}
	ctx, cancel := aws.withDeadline(ctx, cl.maxWait)
	defer cancel()
	p := newProgress(prog)
	cfg, err := aws.load(ctx)
	if err != nil {
		return p.fail(ctx, stderr, err)
	}
	client := smdomain.NewFromConfig(cfg, append(append(cl.options(), sf.clientOptions()...), p.reportOptions(stderr, prog+": ", 0)...)...)
	return applySpec(ctx, client, spec, output.format, p, stdout, stderr)
}

// applySpec ensures spec and prints the result: in text, the plan first,
// then the domain, then each member. When Ensure fails part way, what it
// did is printed before the error.
func applySpec(ctx context.Context, client *smdomain.Client, spec *smdomain.Spec, output string, p *progress, stdout, stderr io.Writer) int {
	if output == "text" {
		p.begin(false, "planning domain %q", spec.Name())
		plan, err := client.Plan(ctx, spec)
		if err != nil {
			return p.fail(ctx, stderr, err)
		}
		fmt.Fprint(stdout, plan)
	}
	p.begin(true, "applying domain %q", spec.Name())
	res, err := client.Ensure(ctx, spec)
	switch {
	case res == nil:
	case output == "json":
		if jerr := writeJSON(stdout, newApplyDoc(res)); jerr != nil && err == nil {
			err = jerr
		}
	default:
		printResult(stdout, res)
	}
	if err != nil {
		return p.fail(ctx, stderr, err)
	}
	return exitOK
}

// printResult says what Ensure did: the domain's line, then one line per
// member, with what each offboarding deleted, in order, then one line per
// Identity Center assignment made or removed.
func printResult(w io.Writer, res *smdomain.Result) {
	if d := res.Domain; d != nil {
		fmt.Fprintf(w, "domain %q %s: %s, %s\n", d.Name, res.Action, d.ID, d.Status)
		if d.URL != "" {
			fmt.Fprintf(w, "  Studio URL: %s\n", d.URL)
		}
	}
	for _, m := range res.Members {
		fmt.Fprintf(w, "%s %q %s\n", m.Kind, m.Name, m.Action)
		if m.Action == smdomain.ActionDeleted {
			for _, c := range m.Changes {
				fmt.Fprintf(w, "  deleted %s\n", c.Path)
			}
		}
	}
	for _, c := range res.Changes {
		principal, ok := strings.CutPrefix(c.Path, "Assignments.")
		if !ok {
			continue
		}
		typ, name, _ := strings.Cut(principal, ".")
		if c.To != nil {
			fmt.Fprintf(w, "assigned %s %q to the domain's Identity Center application\n", strings.ToLower(typ), name)
		} else {
			fmt.Fprintf(w, "unassigned %s %q from the domain's Identity Center application\n", strings.ToLower(typ), name)
		}
	}
}
