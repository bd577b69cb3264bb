package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/finegrained/smdomain"
)

// awsFlags are the flags every command that talks to AWS takes, named as
// the aws CLI names them. What they leave unset comes from the standard
// AWS_* environment and shared config files, as for the aws CLI.
type awsFlags struct {
	region         string
	profile        string
	endpointURL    string
	allowInsecure  bool
	connectTimeout seconds
	readTimeout    seconds
	timeout        optionalDuration
}

// defaultTimeout is --timeout's default, on top of --max-wait for the
// commands that wait.
const defaultTimeout = 15 * time.Minute

func (f *awsFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.region, "region", "", "AWS region (default: AWS_REGION or the profile's region)")
	fs.StringVar(&f.profile, "profile", "", "shared config profile (default: AWS_PROFILE or \"default\")")
	fs.StringVar(&f.endpointURL, "endpoint-url", "", "send SageMaker, STS and Identity Center requests to this URL, e.g. an smdomain emulator")
	fs.BoolVar(&f.allowInsecure, "allow-insecure-endpoint", false, "allow plain http to a host that is not loopback, from any source of endpoints (credentials travel in clear)")
	f.connectTimeout, f.readTimeout = seconds(defaultHTTPTimeout), seconds(defaultHTTPTimeout)
	fs.Var(&f.connectTimeout, "cli-connect-timeout", "`seconds` to wait for each connection to an endpoint; 0: no limit")
	fs.Var(&f.readTimeout, "cli-read-timeout", "`seconds` a connection may go without sending data; 0: no limit")
	fs.Var(&f.timeout, "timeout", "give up on the whole command after this `duration`, e.g. 90m, as a signal would, but with status 1; "+
		"0: no limit (default "+defaultTimeout.String()+", plus --max-wait for apply and delete)")
}

// withDeadline returns ctx bounded by --timeout: its value if given, else
// maxWait (the command's --max-wait; 0 for the commands that do not wait)
// plus defaultTimeout. The deadline's cause is a *stopError.
func (f *awsFlags) withDeadline(ctx context.Context, maxWait time.Duration) (context.Context, context.CancelFunc) {
	d := f.timeout.d
	if !f.timeout.set {
		d = maxWait + defaultTimeout
	}
	if d == 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeoutCause(ctx, d, &stopError{timeout: d})
}

// load returns the aws.Config the flags and the environment describe, with
// newHTTPClient's client for every client built from it and for the
// credential providers. It sends nothing: credentials are resolved on the
// first call.
func (f *awsFlags) load(ctx context.Context) (aws.Config, error) {
	opts := []func(*config.LoadOptions) error{
		config.WithHTTPClient(newHTTPClient(time.Duration(f.connectTimeout), time.Duration(f.readTimeout), f.allowInsecure)),
	}
	if f.region != "" {
		opts = append(opts, config.WithRegion(f.region))
	}
	if f.profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(f.profile))
	}
	if f.endpointURL != "" {
		if err := checkEndpoint("--endpoint-url", f.endpointURL, f.allowInsecure); err != nil {
			return aws.Config{}, err
		}
		opts = append(opts, config.WithBaseEndpoint(f.endpointURL))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		return aws.Config{}, errors.New("no AWS region: pass --region, set AWS_REGION, or set region in the profile")
	}
	return cfg, nil
}

// checkEndpoint refuses, before anything is loaded, an endpoint that is
// not an absolute http(s) URL, and one that checkPlainHTTP refuses unless
// allowed. Endpoints from the environment and the shared config are held
// to the same rule by the HTTP client, request by request.
func checkEndpoint(source, raw string, allowInsecure bool) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%s %q: not an absolute URL such as https://host or http://127.0.0.1:4599", source, raw)
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return fmt.Errorf("%s %q: scheme must be https or http", source, raw)
	}
	if err := checkPlainHTTP(u); err != nil && !allowInsecure {
		return fmt.Errorf("%s: %w", source, err)
	}
	return nil
}

// optionalDuration is a duration flag that knows whether it was given.
type optionalDuration struct {
	d   time.Duration
	set bool
}

func (o *optionalDuration) String() string {
	if !o.set {
		return ""
	}
	return o.d.String()
}

func (o *optionalDuration) Set(v string) error {
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return errors.New("want a duration such as 90m or 2h (0: no limit)")
	}
	o.d, o.set = d, true
	return nil
}

// stringsFlag is a flag that may be given more than once, each value
// added in order.
type stringsFlag []string

func (s *stringsFlag) String() string { return strings.Join(*s, ", ") }

func (s *stringsFlag) Set(v string) error {
	*s = append(*s, v)
	return nil
}

// clientFlags are the Client options a command may expose.
type clientFlags struct {
	maxWait      time.Duration
	crossAccount bool
	owner        string
}

func (f *clientFlags) registerOwner(fs *flag.FlagSet) {
	fs.StringVar(&f.owner, "owner", "", "tag created domains "+smdomain.OwnerTagKey+"=OWNER and refuse to change or delete domains without that tag")
}

func (f *clientFlags) registerMaxWait(fs *flag.FlagSet) {
	fs.DurationVar(&f.maxWait, "max-wait", smdomain.DefaultMaxWait, "how long to wait for the domain to settle")
}

func (f *clientFlags) registerCrossAccount(fs *flag.FlagSet) {
	fs.BoolVar(&f.crossAccount, "allow-cross-account-roles", false, "allow execution roles from other accounts than the caller's")
}

func (f *clientFlags) options() []smdomain.ClientOption {
	var opts []smdomain.ClientOption
	if f.maxWait > 0 {
		opts = append(opts, smdomain.WithMaxWait(f.maxWait))
	}
	if f.crossAccount {
		opts = append(opts, smdomain.WithCrossAccountRoles())
	}
	if f.owner != "" {
		opts = append(opts, smdomain.WithOwner(f.owner))
	}
	return opts
}

// parseArgs parses args with fs, allowing flags after positional
// arguments as the aws CLI does, and returns the positional ones. Help
// (usage, the flags, the exit status table) goes to stdout with status 0;
// a flag error, with usage and the flags, to stderr with exitFail. A
// returned status < 0 means go on.
func parseArgs(fs *flag.FlagSet, args []string, usage func(io.Writer), stdout, stderr io.Writer) ([]string, int) {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				usage(stdout)
				fs.SetOutput(stdout)
				fs.PrintDefaults()
				fmt.Fprintln(stdout)
				exitStatusUsage(stdout)
				return nil, exitOK
			}
			fmt.Fprintf(stderr, "smdomain %s: %v\n\n", fs.Name(), err)
			usage(stderr)
			fs.SetOutput(stderr)
			fs.PrintDefaults()
			return nil, exitFail
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, -1
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// openSpec opens the spec file named by -f; "-" is standard input.
func openSpec(name string) (io.ReadCloser, error) {
	if name == "-" {
		return io.NopCloser(os.Stdin), nil
	}
	return os.Open(name)
}

// loadSpec reads and checks the spec in file, sending nothing; opts apply
// on top of the document, as in smdomain.LoadSpecJSON. It returns the text
// read too, as far as LoadSpecJSON read it.
func loadSpec(file string, opts ...smdomain.Option) (*smdomain.Spec, []byte, error) {
	if file == "" {
		return nil, nil, errors.New("no spec file: pass -f domain.json (or -f - for standard input)")
	}
	r, err := openSpec(file)
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	var text bytes.Buffer
	spec, err := smdomain.LoadSpecJSON(io.TeeReader(r, &text), opts...)
	return spec, text.Bytes(), err
}

// registerDomainID registers --domain-id, which every command that names
// a domain takes.
func registerDomainID(fs *flag.FlagSet, id *string) {
	fs.StringVar(id, "domain-id", "", "the domain's ID, d-...: names it instead of its name (for a name two domains share)")
}

// domainArg is the existing domain a command names: by NAME, its one
// positional argument, or by --domain-id.
type domainArg struct{ name, id string }

// parseDomainArg returns the domain that pos, the command's positional
// arguments, or id, its --domain-id, names: exactly one of them. ok is
// false when they name none or more than one, the problem reported on
// stderr.
func parseDomainArg(prog string, pos []string, id string, stderr io.Writer) (arg domainArg, ok bool) {
	switch {
	case len(pos) == 1 && id == "":
		return domainArg{name: pos[0]}, true
	case len(pos) == 0 && id != "":
		return domainArg{id: id}, true
	}
	if id != "" {
		fmt.Fprintf(stderr, "%s: want a domain name or --domain-id, not both\n", prog)
	} else {
		fmt.Fprintf(stderr, "%s: want one domain name (or --domain-id), got %d arguments\n", prog, len(pos))
	}
	return domainArg{}, false
}

func (a domainArg) ref() smdomain.DomainRef {
	if a.id != "" {
		return smdomain.ByID(a.id)
	}
	return smdomain.ByName(a.name)
}

// String names the domain as messages do: d-abc, or "ml" quoted.
func (a domainArg) String() string { return a.ref().String() }

// specFlags are the flags of the commands that converge a domain to a spec
// file: plan and apply.
type specFlags struct {
	file            string
	domainID        string
	prune           bool
	identityStoreID string
	ssoGroups       stringsFlag
}

func (f *specFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.file, "f", "", "spec file (create-domain --cli-input-json form, with optional UserProfiles and Spaces arrays); - for standard input")
	registerDomainID(fs, &f.domainID)
	fs.BoolVar(&f.prune, "prune", false, "offboard the user profiles and spaces the file does not declare: a user's apps, then the spaces they own, "+
		"then the profile, and the user loses access to their home directory (default: leave them alone)")
	fs.StringVar(&f.identityStoreID, "identity-store-id", "", "for an SSO domain, assign each declared user profile's user to the domain's "+
		"IAM Identity Center application, finding users by name in this `identity store` (d-...); with --prune, unassign offboarded users "+
		"(default: no Identity Center call)")
	fs.Var(&f.ssoGroups, "sso-group", "with --identity-store-id, also assign the Identity Center group with this display `name`; repeatable")
}

// clientOptions are the Client options the flags ask for: Identity Center,
// its clients built from the same AWS configuration.
func (f *specFlags) clientOptions() []smdomain.ClientOption {
	if f.identityStoreID == "" {
		return nil
	}
	return []smdomain.ClientOption{smdomain.WithIdentityCenter(nil, nil, f.identityStoreID)}
}

// spec reads the spec file the flags name, given the command's positional
// arguments pos, of which there must be none. A status >= 0 (exitFail)
// means the command ends with it, the problem reported on stderr.
func (f *specFlags) spec(prog string, pos []string, stderr io.Writer) (*smdomain.Spec, int) {
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "%s: unexpected arguments %q (the spec file goes after -f)\n", prog, pos)
		return nil, exitFail
	}
	if len(f.ssoGroups) > 0 && f.identityStoreID == "" {
		fmt.Fprintf(stderr, "%s: --sso-group needs --identity-store-id, the identity store that has the group\n", prog)
		return nil, exitFail
	}
	var opts []smdomain.Option
	if f.domainID != "" {
		opts = append(opts, smdomain.WithDomainID(f.domainID))
	}
	if f.prune {
		opts = append(opts, smdomain.WithPrune())
	}
	if len(f.ssoGroups) > 0 {
		opts = append(opts, smdomain.WithSSOGroups(f.ssoGroups...))
	}
	spec, _, err := loadSpec(f.file, opts...)
	if err != nil {
		printError(stderr, prog+": "+displayName(f.file), err)
		return nil, exitFail
	}
	return spec, -1
}

func displayName(file string) string {
	if file == "-" {
		return "standard input"
	}
	return file
}

// printError writes err for people after prefix (the command, and the spec
// file when the error is about it): a *ValidationError one problem a line,
// so that every problem can be fixed at once; and for the errors whose way
// out is a flag, that flag; for an SSO domain's *AuthModeError, where its
// users sign in instead, and for a *PrincipalNotFoundError, where the
// names come from. The library's messages name its Go options
// (WithCascade, WithCrossAccountRoles): an error that is one of those
// itself, not wrapped, is worded from its fields instead.
func printError(w io.Writer, prefix string, err error) {
	var (
		verr      *smdomain.ValidationError
		silent    *awshttp.ResponseTimeoutError
		rerr      *smdomain.ReplacementRequiredError
		inUse     *smdomain.DomainInUseError
		ambiguous *smdomain.AmbiguousNameError
		role      *smdomain.RoleAccountError
		authMode  *smdomain.AuthModeError
		missing   *smdomain.PrincipalNotFoundError
	)
	switch {
	case errors.As(err, &verr) && len(verr.Problems) > 0:
		n := len(verr.Problems)
		plural := "s"
		if n == 1 {
			plural = ""
		}
		fmt.Fprintf(w, "%s: invalid spec, %d problem%s (nothing was sent):\n", prefix, n, plural)
		for _, p := range verr.Problems {
			fmt.Fprintf(w, "  %s\n", p.Error())
		}
	case errors.As(err, &silent):
		fmt.Fprintf(w, "%s: %v\n", prefix, err)
		fmt.Fprintf(w, "%s: the endpoint sent nothing for %v; raise --cli-read-timeout (0: no limit) if it is only slow\n", prefix, silent.TimeoutDur)
	case errors.As(err, &rerr):
		fmt.Fprintf(w, "%s: %v\n", prefix, err)
		fmt.Fprintf(w, "%s: nothing was changed. A new domain gets a new home EFS volume, so the users' home directories would be lost; to replace it anyway, run \"smdomain delete\" and then \"smdomain apply\".\n", prefix)
	case errors.As(err, &ambiguous):
		fmt.Fprintf(w, "%s: %v\n", prefix, err)
		fmt.Fprintf(w, "%s: name the one you mean with --domain-id %s\n", prefix, ambiguous.DomainIDs[0])
	case errors.As(err, &role) && role.RolePartition == role.CallerPartition:
		msg := err.Error()
		if err == error(role) {
			msg = fmt.Sprintf("%s: role %s belongs to account %s, but the caller is account %s", role.Field, role.Role, role.RoleAccount, role.CallerAccount)
		}
		fmt.Fprintf(w, "%s: %s\n", prefix, msg)
		fmt.Fprintf(w, "%s: to allow execution roles from other accounts, run it again with --allow-cross-account-roles\n", prefix)
	case errors.As(err, &authMode):
		fmt.Fprintf(w, "%s: domain %s uses auth mode %s: presigned Studio URLs are for IAM domains only; SSO users sign in through the AWS access portal, which opens the domain's Studio\n",
			prefix, authMode.DomainID, authMode.AuthMode)
	case errors.As(err, &missing):
		fmt.Fprintf(w, "%s: %v\n", prefix, err)
		fmt.Fprintf(w, "%s: nothing was changed; a user is found by the userName a profile's SingleSignOnUserValue gives, a group by the displayName --sso-group gives\n", prefix)
	case errors.As(err, &inUse):
		msg := err.Error()
		if err == error(inUse) {
			msg = fmt.Sprintf("domain %s still has user profiles, spaces or apps, which the service does not delete a domain with (nothing was deleted)", inUse.DomainID)
		}
		fmt.Fprintf(w, "%s: %s\n", prefix, msg)
		for _, group := range []struct {
			what  string
			names []string
		}{{"user profiles", inUse.UserProfiles}, {"spaces", inUse.Spaces}, {"apps", inUse.Apps}} {
			if len(group.names) > 0 {
				fmt.Fprintf(w, "  %s: %s\n", group.what, strings.Join(group.names, ", "))
			}
		}
		fmt.Fprintf(w, "%s: to delete them with the domain, run it again with --cascade\n", prefix)
	default:
		fmt.Fprintf(w, "%s: %v\n", prefix, err)
	}
}
