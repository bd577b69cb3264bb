package main

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/finegrained/smdomain/smdomaintest"
)

// presigned reads back, through the emulator, the URL that studio-url
// printed: the token is the URL's token query parameter. It fails the
// test when the emulator made no such URL, or when the URL shows on
// stderr.
func (c *cli) presigned(step string, got outcome, printed string) smdomaintest.PresignedURL {
	c.t.Helper()
	u, err := url.Parse(printed)
	if err != nil {
		c.t.Fatalf("%s: %q is not a URL: %v", step, printed, err)
	}
	token := u.Query().Get("token")
	p, ok := c.srv.PresignedURL(token)
	if !ok || p.URL != printed {
		c.t.Fatalf("%s: the emulator made no URL %q (token %q)", step, printed, token)
	}
	noURLOnStderr(c.t, step, got, token)
	return p
}

// noURLOnStderr fails the test when stderr holds a presigned URL, or the
// token of one.
func noURLOnStderr(t *testing.T, step string, got outcome, token string) {
	t.Helper()
	if strings.Contains(got.stderr, "token=") || token != "" && strings.Contains(got.stderr, token) {
		t.Errorf("%s: stderr shows the presigned URL:\n%s", step, got.stderr)
	}
}

// TestCLIStudioURL: studio-url prints the URL alone on stdout, with the
// tight defaults (5 minutes to sign in, a 1-hour session), and sends the
// options; -o json prints {"AuthorizedUrl"}; the URL is never on stderr.
func TestCLIStudioURL(t *testing.T) {
	c := newCLI(t)
	want(t, "--help", c.runEnv(c.env, "", "studio-url", "--help"), 0, []string{
		"The URL is a credential: whoever holds it is signed in to Studio as the user\nuntil it expires",
		`open "$(smdomain studio-url ml --user alice)"`, "-expires duration", "(default 5m0s)", "-session duration", "(default 1h0m0s)"}, nil)
	want(t, "apply", c.run(teamJSON, "apply", "-f", "-"), 0, nil, nil)
	id := c.srv.DomainIDs()[0]

	got := c.run("", "studio-url", "fraud-ml", "--user", "alice")
	want(t, "studio-url", got, 0, nil, nil)
	printed, ok := strings.CutSuffix(got.stdout, "\n")
	if !ok || strings.Contains(printed, "\n") {
		t.Fatalf("studio-url stdout is not one line: %q", got.stdout)
	}
	p := c.presigned("studio-url", got, printed)
	wantURL := smdomaintest.PresignedURL{DomainID: id, UserProfileName: "alice", SessionDuration: time.Hour}
	ignore := cmpopts.IgnoreFields(smdomaintest.PresignedURL{}, "URL", "Token", "Created", "Expires")
	if diff := cmp.Diff(wantURL, p, ignore); diff != "" || p.Expires.Sub(p.Created) != 5*time.Minute {
		t.Errorf("studio-url's URL (-want +got):\n%s\nvalid for %v, want 5m", diff, p.Expires.Sub(p.Created))
	}
	if got.stderr != "" {
		t.Errorf("studio-url stderr: %q, want nothing", got.stderr)
	}

	// Every option, at the bounds, with the domain by ID.
	got = c.run("", "studio-url", "--domain-id", id, "--user", "alice", "--expires", "5s", "--session", "12h",
		"--space", "fraud-detection", "--landing-uri", "app:JupyterLab:", "-o", "json")
	want(t, "studio-url -o json", got, 0, nil, nil)
	var doc map[string]string
	if err := json.Unmarshal([]byte(got.stdout), &doc); err != nil || len(doc) != 1 {
		t.Fatalf("studio-url -o json: %v, want one member AuthorizedUrl:\n%s", err, got.stdout)
	}
	p = c.presigned("studio-url -o json", got, doc["AuthorizedUrl"])
	wantURL = smdomaintest.PresignedURL{DomainID: id, UserProfileName: "alice", SpaceName: "fraud-detection",
		LandingURI: "app:JupyterLab:", SessionDuration: 12 * time.Hour}
	if diff := cmp.Diff(wantURL, p, ignore); diff != "" || p.Expires.Sub(p.Created) != 5*time.Second {
		t.Errorf("studio-url -o json's URL (-want +got):\n%s\nvalid for %v, want 5s", diff, p.Expires.Sub(p.Created))
	}
	got = c.run("", "studio-url", "fraud-ml", "--user", "bob", "--expires", "5m", "--session", "30m")
	p = c.presigned("studio-url at the other bounds", got, strings.TrimSpace(got.stdout))
	if p.UserProfileName != "bob" || p.Expires.Sub(p.Created) != 5*time.Minute || p.SessionDuration != 30*time.Minute {
		t.Errorf("studio-url at the other bounds: %+v", p)
	}

	// Missing members are the service's not-found, with nothing on stdout.
	for _, tc := range []struct {
		step string
		args []string
		msg  []string
	}{
		{"unknown user", []string{"--user", "carol"}, []string{`user profile "carol"`, "ResourceNotFound", "carol not found"}},
		{"unknown space", []string{"--user", "alice", "--space", "nope"}, []string{"ResourceNotFound", "nope not found"}},
	} {
		got = c.run("", append([]string{"studio-url", "fraud-ml"}, tc.args...)...)
		want(t, tc.step, got, 1, nil, tc.msg)
		if got.stdout != "" {
			t.Errorf("%s: stdout %q, want nothing", tc.step, got.stdout)
		}
		noURLOnStderr(t, tc.step, got, "")
	}
}

// TestCLIStudioURLBounds: a lifetime or session the service would refuse,
// or a user name it would, is a usage error naming the range or the flag,
// and nothing is sent.
func TestCLIStudioURLBounds(t *testing.T) {
	c := newCLI(t)
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--expires", "4s"}, "-expires: want whole seconds from 5s to 5m0s"},
		{[]string{"--expires", "5m1s"}, "-expires: want whole seconds from 5s to 5m0s"},
		{[]string{"--expires", "1.5s"}, "-expires: want whole seconds from 5s to 5m0s"},
		{[]string{"--expires", "300"}, "-expires: want whole seconds from 5s to 5m0s"},
		{[]string{"--session", "29m59s"}, "-session: want whole seconds from 30m0s to 12h0m0s"},
		{[]string{"--session", "13h"}, "-session: want whole seconds from 30m0s to 12h0m0s"},
		{[]string{"--user", "bad name"}, `smdomain studio-url: --user "bad name": pattern: `},
		{[]string{"--user", ""}, "want --user PROFILE"},
		{[]string{"-o", "spec"}, "want text, json"},
	} {
		args := append([]string{"studio-url", "fraud-ml", "--user", "alice"}, tc.args...)
		got := c.run("", args...)
		want(t, strings.Join(tc.args, " "), got, 1, nil, []string{tc.msg})
		if got.stdout != "" {
			t.Errorf("%q: stdout %q, want nothing", tc.args, got.stdout)
		}
	}
	if calls := c.srv.Calls(); len(calls) != 0 {
		t.Errorf("the emulator was called %d times, want 0 (first: %s)", len(calls), calls[0].Operation)
	}
}

// TestCLIStudioURLSSO: an SSO domain is refused with where its users sign
// in, and no URL is asked for.
func TestCLIStudioURLSSO(t *testing.T) {
	c := newCLI(t)
	sm := sagemaker.NewFromConfig(c.srv.AWSConfig())
	out, err := sm.CreateDomain(context.Background(), &sagemaker.CreateDomainInput{
		DomainName: aws.String("sso-ml"), AuthMode: types.AuthModeSso,
		DefaultUserSettings: &types.UserSettings{ExecutionRole: aws.String("arn:aws:iam::123456789012:role/SageMakerExecutionRole")},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := c.run("", "studio-url", "sso-ml", "--user", "alice")
	want(t, "studio-url", got, 1, nil, []string{"smdomain studio-url: domain " + aws.ToString(out.DomainId) + " uses auth mode SSO: " +
		"presigned Studio URLs are for IAM domains only; SSO users sign in through the AWS access portal"})
	if got.stdout != "" {
		t.Errorf("stdout %q, want nothing", got.stdout)
	}
	if n := strings.Count(got.stderr, "\n"); n != 1 {
		t.Errorf("stderr has %d lines, want 1:\n%s", n, got.stderr)
	}
	noGoOptions(t, "studio-url", got)
	for _, call := range c.srv.Calls() {
		if call.Operation == "CreatePresignedDomainUrl" {
			t.Error("studio-url asked for a URL of an SSO domain")
		}
	}
}
