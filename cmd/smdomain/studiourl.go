package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/finegrained/smdomain"
)

// The bounds CreatePresignedDomainUrl allows: ExpiresInSeconds and
// SessionExpirationDurationInSeconds, whole seconds.
const (
	minURLLifetime = 5 * time.Second
	maxURLLifetime = 5 * time.Minute
	minSession     = 30 * time.Minute
	maxSession     = 12 * time.Hour
)

func studioURLUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: smdomain studio-url NAME --user PROFILE [flags]")
	fmt.Fprintln(w, "       smdomain studio-url --domain-id d-... --user PROFILE [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Prints a presigned URL that signs the user profile PROFILE in to the Studio of")
	fmt.Fprintln(w, "the IAM domain called NAME (or with the ID), on one line of standard output and")
	fmt.Fprintln(w, `nothing else, so that  open "$(smdomain studio-url ml --user alice)"  works.`)
	fmt.Fprintln(w, "The URL is a credential: whoever holds it is signed in to Studio as the user")
	fmt.Fprintln(w, "until it expires (--expires; default 5m, as the service's), and the session it")
	fmt.Fprintln(w, "opens lasts --session (default 1h, against the service's 12h). smdomain never")
	fmt.Fprintln(w, "prints it on standard error or in a progress line; do not log it either.")
	fmt.Fprintln(w, "With -o json, prints {\"AuthorizedUrl\": \"...\"} as create-presigned-domain-url")
	fmt.Fprintln(w, "does. An SSO domain is an error: presigned URLs are for IAM domains, and SSO")
	fmt.Fprintln(w, "users sign in through the AWS access portal.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Flags:")
}

// boundedDuration is a duration flag that must be whole seconds within
// [min, max], so that a value the service would refuse is a usage error
// naming the range.
type boundedDuration struct {
	d, min, max time.Duration
}

func (b *boundedDuration) String() string {
	if b == nil {
		return ""
	}
	return b.d.String()
}

func (b *boundedDuration) Set(v string) error {
	d, err := time.ParseDuration(v)
	if err != nil || d < b.min || d > b.max || d%time.Second != 0 {
		return fmt.Errorf("want whole seconds from %v to %v", b.min, b.max)
	}
	b.d = d
	return nil
}

// studioURLFlags are the flags of studio-url that shape the URL.
type studioURLFlags struct {
	user, space, landingURI string
	expires, session        boundedDuration
}

func (f *studioURLFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.user, "user", "", "the user profile to sign in as (required)")
	f.expires = boundedDuration{d: smdomain.DefaultStudioURLLifetime, min: minURLLifetime, max: maxURLLifetime}
	fs.Var(&f.expires, "expires", fmt.Sprintf("how long the URL can be used to sign in, a `duration` from %v to %v", minURLLifetime, maxURLLifetime))
	f.session = boundedDuration{d: smdomain.DefaultStudioSession, min: minSession, max: maxSession}
	fs.Var(&f.session, "session", fmt.Sprintf("how long the Studio session the URL opens lasts, a `duration` from %v to %v", minSession, maxSession))
	fs.StringVar(&f.space, "space", "", "open this space instead of Studio's home page")
	fs.StringVar(&f.landingURI, "landing-uri", "", "where Studio lands, e.g. studio:: or app:JupyterLab: (default: the profile's DefaultLandingUri)")
}

func (f *studioURLFlags) options() []smdomain.StudioURLOption {
	opts := []smdomain.StudioURLOption{smdomain.WithURLLifetime(f.expires.d), smdomain.WithSessionDuration(f.session.d)}
	if f.space != "" {
		opts = append(opts, smdomain.WithStudioSpace(f.space))
	}
	if f.landingURI != "" {
		opts = append(opts, smdomain.WithLandingURI(f.landingURI))
	}
	return opts
}

// studioURLFlagNames are the flags that set the CreatePresignedDomainUrl
// fields the service checks beyond what the flags do, for naming them in
// a problem.
var studioURLFlagNames = map[string]string{
	"UserProfileName": "--user",
	"SpaceName":       "--space",
	"LandingUri":      "--landing-uri",
}

// urlDoc is studio-url's -o json document, as create-presigned-domain-url
// prints it.
type urlDoc struct {
	AuthorizedURL string `json:"AuthorizedUrl"`
}

// runStudioURL is the studio-url command.
func runStudioURL(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	const prog = "smdomain studio-url"
	fs := flag.NewFlagSet("studio-url", flag.ContinueOnError)
	var (
		aws      awsFlags
		sf       studioURLFlags
		domainID string
	)
	sf.register(fs)
	registerDomainID(fs, &domainID)
	output := registerOutput(fs, "text", "json")
	aws.register(fs)
	pos, code := parseArgs(fs, args, studioURLUsage, stdout, stderr)
	if code >= 0 {
		return code
	}
	domain, ok := parseDomainArg(prog, pos, domainID, stderr)
	if !ok {
		return exitFail
	}
	if sf.user == "" {
		fmt.Fprintf(stderr, "%s: want --user PROFILE, the user profile to sign in as\n", prog)
		return exitFail
	}
	ctx, cancel := aws.withDeadline(ctx, 0)
	defer cancel()
	p := newProgress(prog)
	cfg, err := aws.load(ctx)
	if err != nil {
		return p.fail(ctx, stderr, err)
	}
	p.begin(false, "signing user profile %q in to domain %s", sf.user, domain)
	url, err := smdomain.NewFromConfig(cfg).StudioURL(ctx, domain.ref(), sf.user, sf.options()...)
	var verr *smdomain.ValidationError
	if errors.As(err, &verr) {
		for _, pr := range verr.Problems {
			fmt.Fprintf(stderr, "%s: %s %q: %s: %s (nothing was sent)\n", prog, studioURLFlagNames[pr.Field], pr.Value, pr.Rule, pr.Detail)
		}
		return exitFail
	}
	if err != nil {
		return p.fail(ctx, stderr, err)
	}
	if output.format == "json" {
		err = writeJSON(stdout, urlDoc{AuthorizedURL: url})
	} else {
		_, err = fmt.Fprintln(stdout, url)
	}
	if err != nil {
		return p.fail(ctx, stderr, err)
	}
	return exitOK
}
