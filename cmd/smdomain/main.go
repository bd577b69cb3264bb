// Command smdomain manages Amazon SageMaker domains with the smdomain
// library.
//
// Usage:
//
//	smdomain <command> [flags]
//
// Commands:
//
//	plan       show what apply would change
//	apply      create or update a domain, its user profiles and spaces from a JSON spec, and wait
//	list       list the domains in the account and region
//	get        show a domain (-o json for scripts, -o spec for its team file)
//	delete     delete a domain and wait until it is gone (home EFS retained)
//	audit      list a spec's or a live domain's risky settings
//	studio-url print a presigned URL that signs a user in to an IAM domain's Studio
//	emulator   serve an in-process SageMaker, STS and Identity Center on a loopback address
//	demo       run a domain's whole life against an in-process emulator (no AWS account)
//	version    print smdomain's version and the Go version it was built with (also --version)
//
// Run "smdomain <command> --help" for a command's flags. Every command
// exits with the same statuses (see exitStatusUsage): 0 on success, 1 on
// any error, a usage error included, 2 when plan has changes to make or
// audit findings at or above --fail-on; a command stopped by SIGINT or
// SIGTERM says in one line where it left the domain and exits 130 or 143
// (the emulator stops cleanly, with 0). Every request
// has connect and read timeouts (--cli-connect-timeout, --cli-read-timeout)
// and every command that talks to AWS an overall deadline (--timeout);
// plain http is refused, before connecting, to any host that is not
// loopback, wherever the endpoint comes from (--allow-insecure-endpoint
// allows it).
package main

import (
	"context"
	"fmt"
	"io"
	"os"
)

// Exit statuses, the same for every command; exitStatusUsage documents
// them. A signal's status is stopError.exitCode.
const (
	exitOK   = 0
	exitFail = 1 // any error, a usage error included, so a pipeline never takes one for exitChanges
	// exitChanges is plan's status when apply would change something, and
	// exitFindings audit's when there are findings at or above --fail-on,
	// so a pipeline can gate on them.
	exitChanges  = 2
	exitFindings = 2
)

// command is one subcommand. Each lives in its own file.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

// commands returns the subcommands in the order help lists them.
func commands() []command {
	return []command{
		{name: "plan", summary: "show what apply would change", run: runPlan},
		{name: "apply", summary: "create or update a domain, its user profiles and spaces from a JSON spec, and wait", run: runApply},
		{name: "list", summary: "list the domains in the account and region", run: runList},
		{name: "get", summary: "show a domain (-o json for scripts, -o spec for its team file)", run: runGet},
		{name: "delete", summary: "delete a domain and wait until it is gone (home EFS retained)", run: runDelete},
		{name: "audit", summary: "list a spec's or a live domain's risky settings", run: runAudit},
		{name: "studio-url", summary: "print a presigned URL that signs a user in to an IAM domain's Studio", run: runStudioURL},
		{name: "emulator", summary: "serve an in-process SageMaker, STS and Identity Center on a loopback address", run: runEmulator},
		{name: "demo", summary: "run a domain's whole life against an in-process emulator (no AWS account)", run: runDemo},
		{name: "version", summary: "print smdomain's version and the Go version it was built with (also --version)", run: runVersion},
	}
}

func main() {
	ctx, stop := notifyStop(context.Background())
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run dispatches args to a subcommand and returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitFail
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		usage(stdout)
		return exitOK
	case "-version", "--version":
		return runVersion(ctx, args[1:], stdout, stderr)
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "smdomain: unknown command %q\n\n", args[0])
	usage(stderr)
	return exitFail
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: smdomain <command> [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, `Run "smdomain <command> --help" for a command's flags.`)
	fmt.Fprintln(w)
	exitStatusUsage(w)
}

// exitStatusUsage is the exit status table, which every command's help
// ends with.
func exitStatusUsage(w io.Writer) {
	fmt.Fprintln(w, "Exit status, the same for every command:")
	fmt.Fprintln(w, "  0    success; plan: nothing to change; audit: no finding at or above --fail-on")
	fmt.Fprintln(w, "  1    any error, a usage error (bad flag or argument) and --timeout included")
	fmt.Fprintln(w, "  2    plan: changes to make (even ones apply refuses); audit: findings at or")
	fmt.Fprintln(w, "       above --fail-on")
	fmt.Fprintln(w, "  130  SIGINT, 143 SIGTERM: the command stops and says in one line on standard")
	fmt.Fprintln(w, "       error where it left the domain (the emulator stops cleanly, with 0)")
}
