package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/finegrained/smdomain"
)

// awsFlags are the flags every command that talks to AWS takes, named as
// the aws CLI names them. What they leave unset comes from the standard
// AWS_* environment and shared config files, as for the aws CLI.
type awsFlags struct {
	region        string
	profile       string
	endpointURL   string
	allowInsecure bool
}

func (f *awsFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.region, "region", "", "AWS region (default: AWS_REGION or the profile's region)")
	fs.StringVar(&f.profile, "profile", "", "shared config profile (default: AWS_PROFILE or \"default\")")
	fs.StringVar(&f.endpointURL, "endpoint-url", "", "send SageMaker and STS requests to this URL, e.g. an smdomain emulator")
	fs.BoolVar(&f.allowInsecure, "allow-insecure-endpoint", false, "allow a plain-http endpoint that is not loopback (credentials travel in clear)")
}

// endpointEnv are the environment variables that can point the SDK at
// another endpoint; they are checked like --endpoint-url.
var endpointEnv = []string{"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SAGEMAKER", "AWS_ENDPOINT_URL_STS"}

// load returns the aws.Config the flags and the environment describe.
// It sends nothing: credentials are resolved on the first call.
func (f *awsFlags) load(ctx context.Context) (aws.Config, error) {
	var opts []func(*config.LoadOptions) error
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
	for _, name := range endpointEnv {
		if v := os.Getenv(name); v != "" {
			if err := checkEndpoint(name, v, f.allowInsecure); err != nil {
				return aws.Config{}, err
			}
		}
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load AWS configuration: %w", err)
	}
	if cfg.BaseEndpoint != nil && f.endpointURL == "" {
		// endpoint_url from the shared config profile.
		if err := checkEndpoint("the profile's endpoint_url", *cfg.BaseEndpoint, f.allowInsecure); err != nil {
			return aws.Config{}, err
		}
	}
	if cfg.Region == "" {
		return aws.Config{}, errors.New("no AWS region: pass --region, set AWS_REGION, or set region in the profile")
	}
	return cfg, nil
}

// checkEndpoint refuses an endpoint that is not http(s), and a plain-http
// one on a host other than loopback unless allowed: SigV4 does not send the
// secret key, but it does send the access key ID, the session token and
// every request and response in clear.
func checkEndpoint(source, raw string, allowInsecure bool) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%s %q: not an absolute URL such as https://host or http://127.0.0.1:4599", source, raw)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if allowInsecure || isLoopback(net.JoinHostPort(u.Hostname(), "0")) {
			return nil
		}
		return fmt.Errorf("%s %q: plain http to a host that is not loopback would send credentials and data in clear; use https, or pass --allow-insecure-endpoint", source, raw)
	default:
		return fmt.Errorf("%s %q: scheme must be https or http", source, raw)
	}
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

// progressTo returns the wait option that reports polls on w after prefix,
// as "waiting for d-abc: Pending, 14s elapsed": the first poll of a wait,
// every change of status, and otherwise at most one line per every of
// waiting (every poll when every is 0).
func progressTo(w io.Writer, prefix string, every time.Duration) smdomain.ClientOption {
	var (
		mu          sync.Mutex
		lastStatus  string
		lastElapsed time.Duration
	)
	return smdomain.WithWaitOptions(func(o *smdomain.DomainInServiceWaiterOptions) {
		o.Progress = func(p smdomain.WaitProgress) {
			mu.Lock()
			defer mu.Unlock()
			status := p.Status
			if status == "" {
				status = "gone"
			}
			if p.Attempt > 1 && status == lastStatus && p.Elapsed-lastElapsed < every {
				return
			}
			lastStatus, lastElapsed = status, p.Elapsed
			fmt.Fprintf(w, "%swaiting for %s: %s, %s elapsed\n", prefix, p.DomainID, status, p.Elapsed.Round(time.Second))
		}
	})
}

// parseArgs parses args with fs, allowing flags after positional
// arguments as the aws CLI does, and returns the positional ones. Help goes
// to stdout with status 0; a flag error to stderr with status usageStatus.
// A returned status < 0 means go on.
func parseArgs(fs *flag.FlagSet, args []string, usage func(io.Writer), stdout, stderr io.Writer, usageStatus int) ([]string, int) {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				usage(stdout)
				fs.SetOutput(stdout)
				fs.PrintDefaults()
				return nil, exitOK
			}
			fmt.Fprintf(stderr, "smdomain %s: %v\n\n", fs.Name(), err)
			usage(stderr)
			fs.SetOutput(stderr)
			fs.PrintDefaults()
			return nil, usageStatus
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

// loadSpec reads and checks the spec in file, sending nothing. A
// non-empty domainID pins the domain (--domain-id).
func loadSpec(file, domainID string) (*smdomain.Spec, error) {
	if file == "" {
		return nil, errors.New("no spec file: pass -f domain.json (or -f - for standard input)")
	}
	r, err := openSpec(file)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var opts []smdomain.Option
	if domainID != "" {
		opts = append(opts, smdomain.WithDomainID(domainID))
	}
	return smdomain.LoadSpecJSON(r, opts...)
}

func displayName(file string) string {
	if file == "-" {
		return "standard input"
	}
	return file
}

// printError writes err for people after prefix (the command, and the spec
// file when the error is about it): a *ValidationError one problem a line,
// so that every problem can be fixed at once.
func printError(w io.Writer, prefix string, err error) {
	var verr *smdomain.ValidationError
	if errors.As(err, &verr) && len(verr.Problems) > 0 {
		n := len(verr.Problems)
		plural := "s"
		if n == 1 {
			plural = ""
		}
		fmt.Fprintf(w, "%s: invalid spec, %d problem%s (nothing was sent):\n", prefix, n, plural)
		for _, p := range verr.Problems {
			fmt.Fprintf(w, "  %s\n", p.Error())
		}
		return
	}
	var rerr *smdomain.ReplacementRequiredError
	if errors.As(err, &rerr) {
		fmt.Fprintf(w, "%s: %v\n", prefix, err)
		fmt.Fprintf(w, "%s: nothing was changed. A new domain gets a new home EFS volume, so the users' home directories would be lost; to replace it anyway, run \"smdomain delete\" and then \"smdomain apply\".\n", prefix)
		return
	}
	var inUse *smdomain.DomainInUseError
	if errors.As(err, &inUse) {
		fmt.Fprintf(w, "%s: %v\n", prefix, err)
		for _, group := range []struct {
			what  string
			names []string
		}{{"user profiles", inUse.UserProfiles}, {"spaces", inUse.Spaces}, {"apps", inUse.Apps}} {
			if len(group.names) > 0 {
				fmt.Fprintf(w, "  %s: %s\n", group.what, strings.Join(group.names, ", "))
			}
		}
		fmt.Fprintf(w, "%s: to delete them with the domain, run it again with --cascade\n", prefix)
		return
	}
	fmt.Fprintf(w, "%s: %v\n", prefix, err)
}
