package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/finegrained/smdomain/smdomaintest"
)

// emulatorConfig is what the emulator command's flags set.
type emulatorConfig struct {
	addr             string
	allowNonLoopback bool
	account          string
	createDelay      time.Duration
	updateDelay      time.Duration
	deleteDelay      time.Duration
	resourceDelay    time.Duration
	quota            int
	idcUsers         stringsFlag
	idcGroups        stringsFlag
}

func emulatorUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: smdomain emulator [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Serves an in-process SageMaker (domains, user profiles, spaces, apps, tags and")
	fmt.Fprintln(w, "presigned Studio URLs), STS GetCallerIdentity and the IAM Identity Center")
	fmt.Fprintln(w, "operations that assign users to an SSO domain's application, on the real wire")
	fmt.Fprintln(w, "protocols, on the real clock, until interrupted. Point any AWS client at it with")
	fmt.Fprintln(w, "--endpoint-url; any credentials are accepted. Its one identity store has the")
	fmt.Fprintln(w, "users and groups --idc-user and --idc-group name; it prints the store's ID, for")
	fmt.Fprintln(w, "plan and apply --identity-store-id.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Flags:")
}

// parseEmulatorFlags parses args; a status >= 0 means the command ends with
// it (help was asked for, or the flags are wrong).
func parseEmulatorFlags(args []string, stdout, stderr io.Writer) (emulatorConfig, int) {
	var cfg emulatorConfig
	fs := flag.NewFlagSet("emulator", flag.ContinueOnError)
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:4599", "address to listen on (host:port)")
	fs.BoolVar(&cfg.allowNonLoopback, "allow-non-loopback", false, "allow listening on an address other than loopback")
	fs.StringVar(&cfg.account, "account", smdomaintest.DefaultAccount, "AWS account ID to answer as")
	fs.DurationVar(&cfg.createDelay, "create-delay", 5*time.Second, "how long a new domain stays Pending")
	fs.DurationVar(&cfg.updateDelay, "update-delay", 3*time.Second, "how long an updated domain stays Updating")
	fs.DurationVar(&cfg.deleteDelay, "delete-delay", 3*time.Second, "how long a deleted domain stays Deleting")
	fs.DurationVar(&cfg.resourceDelay, "resource-delay", 2*time.Second, "how long a user profile, space or app stays Pending after create and Deleting after delete")
	fs.IntVar(&cfg.quota, "quota", smdomaintest.DefaultDomainQuota, "live domains per region before ResourceLimitExceeded (0: no limit)")
	fs.Var(&cfg.idcUsers, "idc-user", "add an Identity Center user with this user `name` (an SSO profile's SingleSignOnUserValue); repeatable")
	fs.Var(&cfg.idcGroups, "idc-group", "add an Identity Center group with this display `name` (for --sso-group); repeatable")
	pos, code := parseArgs(fs, args, emulatorUsage, stdout, stderr)
	if code >= 0 {
		return cfg, code
	}
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "smdomain emulator: unexpected arguments %q\n", pos)
		return cfg, exitFail
	}
	if !cfg.allowNonLoopback && !isLoopback(cfg.addr) {
		fmt.Fprintf(stderr, "smdomain emulator: %s is not a loopback address; pass --allow-non-loopback to serve it anyway\n", cfg.addr)
		return cfg, exitFail
	}
	return cfg, -1
}

// isLoopback reports whether addr (host:port) names only loopback
// interfaces. An empty host means every interface, which is not.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	return err == nil && loopbackHost(host)
}

// runEmulator is the emulator command.
func runEmulator(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, code := parseEmulatorFlags(args, stdout, stderr)
	if code >= 0 {
		return code
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		fmt.Fprintf(stderr, "smdomain emulator: %v\n", err)
		return exitFail
	}
	return serveEmulator(ctx, ln, cfg, stdout, stderr)
}

// serveEmulator serves on ln until ctx is done, then shuts down
// gracefully, letting requests in flight finish.
func serveEmulator(ctx context.Context, ln net.Listener, cfg emulatorConfig, stdout, stderr io.Writer) int {
	e := smdomaintest.NewEmulator(
		smdomaintest.WithAccount(cfg.account),
		smdomaintest.WithCreateDelay(cfg.createDelay),
		smdomaintest.WithUpdateDelay(cfg.updateDelay),
		smdomaintest.WithDeleteDelay(cfg.deleteDelay),
		smdomaintest.WithDomainQuota(cfg.quota),
		smdomaintest.WithUserProfileDelay(cfg.resourceDelay),
		smdomaintest.WithSpaceDelay(cfg.resourceDelay),
		smdomaintest.WithAppDelay(cfg.resourceDelay),
	)
	for _, name := range cfg.idcUsers {
		e.AddIdentityCenterUser(name)
	}
	for _, name := range cfg.idcGroups {
		e.AddIdentityCenterGroup(name)
	}
	srv := smdomaintest.NewHTTPServer(ln.Addr().String(), e)
	endpoint := "http://" + ln.Addr().String()
	fmt.Fprintf(stdout, "smdomain emulator: SageMaker, STS and Identity Center on %s (account %s)\n", endpoint, cfg.account)
	fmt.Fprintf(stdout, "  AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test aws sagemaker list-domains --endpoint-url %s --region us-east-1\n", endpoint)
	fmt.Fprintf(stdout, "  Identity Center: identity store %s, users %q, groups %q (--idc-user, --idc-group)\n",
		e.IdentityStoreID(), []string(cfg.idcUsers), []string(cfg.idcGroups))
	fmt.Fprintf(stdout, "  smdomain apply -f sso-team.json --endpoint-url %s --identity-store-id %s\n", endpoint, e.IdentityStoreID())
	fmt.Fprintln(stdout, "Press Ctrl-C to stop.")

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		fmt.Fprintf(stderr, "smdomain emulator: %v\n", err)
		return exitFail
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		fmt.Fprintf(stderr, "smdomain emulator: shutdown: %v\n", err)
		return exitFail
	}
	<-served
	fmt.Fprintln(stdout, "smdomain emulator: stopped")
	return exitOK
}
