// Command smdomain manages Amazon SageMaker domains with the smdomain
// library.
//
// Usage:
//
//	smdomain <command> [flags]
//
// Commands:
//
//	plan       show what apply would change (exit 0: nothing, 2: changes, 1: error)
//	apply      create or update a domain, its user profiles and spaces from a JSON spec, and wait
//	get        show a domain by name (-o json for scripts)
//	delete     delete a domain by name and wait until it is gone (home EFS retained)
//	audit      list a spec's or a live domain's risky settings (exit 0: none at --fail-on, 2: some, 1: error)
//	emulator   serve an in-process SageMaker and STS on a loopback address
//	demo       run a domain's whole life against an in-process emulator (no AWS account)
//	version    print smdomain's version and the Go version it was built with (also --version)
//
// Run "smdomain <command> --help" for a command's flags. Exit status is 0
// on success, 1 when the command fails and 2 on a usage error; a command
// stopped by SIGINT or SIGTERM says in one line where it left the domain
// and exits 130 or 143 (the emulator stops cleanly, with 0). Every request
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

// Exit statuses.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
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
		{name: "plan", summary: "show what apply would change (exit 0: nothing, 2: changes, 1: error)", run: runPlan},
		{name: "apply", summary: "create or update a domain, its user profiles and spaces from a JSON spec, and wait", run: runApply},
		{name: "get", summary: "show a domain by name (-o json for scripts)", run: runGet},
		{name: "delete", summary: "delete a domain by name and wait until it is gone (home EFS retained)", run: runDelete},
		{name: "audit", summary: "list a spec's or a live domain's risky settings (exit 0: none at --fail-on, 2: some, 1: error)", run: runAudit},
		{name: "emulator", summary: "serve an in-process SageMaker and STS on a loopback address", run: runEmulator},
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
		return exitUsage
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
	return exitUsage
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
}
