package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/finegrained/smdomain"
)

func planUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: smdomain plan -f domain.json [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Shows what apply would do, field by field, and changes nothing. domain.json is")
	fmt.Fprintln(w, "the JSON that `aws sagemaker create-domain --cli-input-json` takes; -f - reads")
	fmt.Fprintln(w, "standard input. Fields the file leaves out are not managed.")
	membersUsage(w)
	identityCenterUsage(w)
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Flags:")
}

// runPlan is the plan command.
func runPlan(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	const prog = "smdomain plan"
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	var (
		aws awsFlags
		cl  clientFlags
		sf  specFlags
	)
	sf.register(fs)
	output := registerOutput(fs, "text", "json")
	aws.register(fs)
	cl.registerOwner(fs)
	cl.registerCrossAccount(fs)
	pos, code := parseArgs(fs, args, planUsage, stdout, stderr)
	if code >= 0 {
		return code
	}
	spec, code := sf.spec(prog, pos, stderr)
	if code >= 0 {
		return code
	}
	ctx, cancel := aws.withDeadline(ctx, 0)
	defer cancel()
	p := newProgress(prog)
	cfg, err := aws.load(ctx)
	if err != nil {
		return p.fail(ctx, stderr, err)
	}
	client := smdomain.NewFromConfig(cfg, append(cl.options(), sf.clientOptions()...)...)
	return planSpec(ctx, client, spec, output.format, p, stdout, stderr)
}

// membersUsage is plan's and apply's paragraph on user profiles and spaces.
func membersUsage(w io.Writer) {
	fmt.Fprintln(w)
	fmt.Fprintln(w, `The file may also declare the domain's members: "UserProfiles" and "Spaces",`)
	fmt.Fprintln(w, "arrays of what `aws sagemaker create-user-profile` and `create-space")
	fmt.Fprintln(w, "--cli-input-json` take, without DomainId. Members the file does not declare are")
	fmt.Fprintln(w, "left alone unless --prune is given, which offboards them: a user's apps, then")
	fmt.Fprintln(w, "the spaces the user owns, then the profile; the user loses access to their home")
	fmt.Fprintln(w, "directory.")
}

// identityCenterUsage is plan's and apply's paragraph on Identity Center.
func identityCenterUsage(w io.Writer) {
	fmt.Fprintln(w)
	fmt.Fprintln(w, "In an SSO domain a user profile is of no use until its user is assigned to the")
	fmt.Fprintln(w, "domain's IAM Identity Center application. With --identity-store-id d-..., apply")
	fmt.Fprintln(w, "assigns each declared profile's user (its SingleSignOnUserValue, a user name in")
	fmt.Fprintln(w, "that identity store) and each --sso-group (a group's display name) to it once")
	fmt.Fprintln(w, "the profiles are InService, and plan lists the missing assignments as")
	fmt.Fprintln(w, "Assignments.USER.<name> and Assignments.GROUP.<name>. A name the identity store")
	fmt.Fprintln(w, "does not have is an error before anything is written. With --prune, apply also")
	fmt.Fprintln(w, "unassigns the users of the profiles it offboards; no other assignment (one made")
	fmt.Fprintln(w, "by hand, a group's) is ever removed. Without --identity-store-id, nothing is")
	fmt.Fprintln(w, "assigned and no assignment is read.")
}

// planSpec prints the plan for spec and returns plan's exit status.
func planSpec(ctx context.Context, client *smdomain.Client, spec *smdomain.Spec, output string, p *progress, stdout, stderr io.Writer) int {
	p.begin(false, "planning domain %q", spec.Name())
	plan, err := client.Plan(ctx, spec)
	if err != nil {
		return p.fail(ctx, stderr, err)
	}
	if output == "json" {
		if err := writeJSON(stdout, newPlanDoc(plan)); err != nil {
			return p.fail(ctx, stderr, err)
		}
	} else {
		fmt.Fprint(stdout, plan)
	}
	switch plan.Action {
	case smdomain.PlanNoOp:
		return exitOK
	case smdomain.PlanReplaceRequired:
		fmt.Fprintf(stderr, "%s: %d change(s) need a new domain; apply will refuse them and change nothing\n", p.prog, len(plan.Replacements()))
	}
	return exitChanges
}
