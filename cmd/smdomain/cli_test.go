package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/finegrained/smdomain/smdomaintest"
)

// binary is the smdomain command built once for the tests in this file,
// which run it as a user would: a separate process, flags, environment,
// standard input, exit status.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "smdomain-cli-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "smdomain")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build smdomain:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// cli runs the binary against one emulator, with an environment that has
// nothing from the machine's own AWS configuration.
type cli struct {
	t   *testing.T
	srv *smdomaintest.Server
	env []string
}

func newCLI(t *testing.T, opts ...smdomaintest.Option) *cli {
	t.Helper()
	// The emulator runs on the real clock here; its delays are zero (the
	// default), so every wait ends at its first poll.
	srv := smdomaintest.NewServer(opts...)
	t.Cleanup(srv.Close)
	home := t.TempDir()
	return &cli{t: t, srv: srv, env: []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"AWS_CONFIG_FILE=" + filepath.Join(home, "config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "credentials"),
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_ACCESS_KEY_ID=AKIDEXAMPLE",
		"AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
		"AWS_REGION=us-east-1",
	}}
}

type outcome struct {
	stdout, stderr string
	code           int
}

// run runs smdomain with args and --endpoint-url pointing at the emulator.
func (c *cli) run(stdin string, args ...string) outcome {
	c.t.Helper()
	return c.runEnv(c.env, stdin, append(args, "--endpoint-url", c.srv.URL)...)
}

func (c *cli) runEnv(env []string, stdin string, args ...string) outcome {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = env
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			c.t.Fatalf("smdomain %v: %v", args, err)
		}
		code = ee.ExitCode()
	}
	return outcome{stdout: stdout.String(), stderr: stderr.String(), code: code}
}

func (c *cli) writeFile(name, content string) string {
	c.t.Helper()
	p := filepath.Join(c.t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		c.t.Fatal(err)
	}
	return p
}

// writes returns the write operations in the emulator's call log: every
// Create, Update and Delete call, of any kind, and AddTags.
func (c *cli) writes() []string {
	var out []string
	for _, call := range c.srv.Calls() {
		if op := call.Operation; op == "AddTags" || strings.HasPrefix(op, "Create") || strings.HasPrefix(op, "Update") || strings.HasPrefix(op, "Delete") {
			out = append(out, op)
		}
	}
	return out
}

func want(t *testing.T, step string, got outcome, code int, stdout, stderr []string) {
	t.Helper()
	if got.code != code {
		t.Fatalf("%s: exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", step, got.code, code, got.stdout, got.stderr)
	}
	for _, s := range stdout {
		if !strings.Contains(got.stdout, s) {
			t.Errorf("%s: stdout lacks %q:\n%s", step, s, got.stdout)
		}
	}
	for _, s := range stderr {
		if !strings.Contains(got.stderr, s) {
			t.Errorf("%s: stderr lacks %q:\n%s", step, s, got.stderr)
		}
	}
}

// seedJSON is the seed program's domain in create-domain --cli-input-json form.
const seedJSON = `{
  "DomainName": "ml-platform",
  "AuthMode": "IAM",
  "VpcId": "vpc-0abc1234def567890",
  "SubnetIds": ["subnet-0abc1234def567890"],
  "DefaultUserSettings": {
    "ExecutionRole": "arn:aws:iam::123456789012:role/SageMakerExecutionRole",
    "SecurityGroups": ["sg-0abc1234def567890"]
  },
  "Tags": [
    {"Key": "Environment", "Value": "Development"},
    {"Key": "Project", "Value": "MachineLearning"}
  ]
}`

// changedJSON adds a security group and keeps traffic in the VPC.
var changedJSON = strings.NewReplacer(
	`"AuthMode": "IAM",`, `"AuthMode": "IAM", "AppNetworkAccessType": "VpcOnly",`,
	`["sg-0abc1234def567890"]`, `["sg-0abc1234def567890", "sg-0fed9876cba543210"]`,
).Replace(seedJSON)

func TestCLILifecycle(t *testing.T) {
	c := newCLI(t)
	file := c.writeFile("domain.json", seedJSON)

	got := c.run("", "plan", "-f", file)
	want(t, "plan before create", got, 2, []string{`domain "ml-platform" in 123456789012/us-east-1: create`, `+ VpcId: "vpc-0abc1234def567890"`, `+ Tags.Project: "MachineLearning"`}, nil)
	if w := c.writes(); len(w) != 0 {
		t.Fatalf("plan wrote: %v", w)
	}

	got = c.run("", "apply", "-f", file)
	want(t, "apply (create)", got, 0, []string{`domain "ml-platform" created: d-`, "InService", "Studio URL: https://d-"}, []string{"smdomain apply: waiting for d-", "InService"})
	if ids := c.srv.DomainIDs(); len(ids) != 1 {
		t.Fatalf("domains after apply: %v, want 1", ids)
	}
	id := c.srv.DomainIDs()[0]

	got = c.run("", "plan", "-f", file)
	want(t, "plan after create", got, 0, []string{`domain "ml-platform" (` + id + `) in 123456789012/us-east-1: no-op`}, nil)

	c.srv.ResetCalls()
	got = c.run("", "apply", "-f", file)
	want(t, "apply again", got, 0, []string{`domain "ml-platform" unchanged`}, nil)
	if w := c.writes(); len(w) != 0 {
		t.Errorf("second apply wrote: %v", w)
	}

	// The changed spec comes on standard input.
	got = c.run(changedJSON, "plan", "-f", "-")
	want(t, "plan update", got, 2, []string{
		"update, 2 changes",
		`~ AppNetworkAccessType: "PublicInternetOnly" -> "VpcOnly"`,
		`~ DefaultUserSettings.SecurityGroups: ["sg-0abc1234def567890"] -> ["sg-0abc1234def567890","sg-0fed9876cba543210"]`,
	}, nil)

	c.srv.ResetCalls()
	got = c.run(changedJSON, "apply", "-f", "-")
	want(t, "apply update", got, 0, []string{`domain "ml-platform" updated: ` + id}, []string{"waiting for " + id})
	if diff := slices.Compare(c.writes(), []string{"UpdateDomain"}); diff != 0 {
		t.Errorf("update writes: %v, want one UpdateDomain", c.writes())
	}

	got = c.run("", "get", "ml-platform", "-o", "json")
	want(t, "get -o json", got, 0, nil, nil)
	var desc struct {
		DomainId, DomainName, Status, AppNetworkAccessType, Url, CreationTime string
		DefaultUserSettings                                                   struct{ SecurityGroups []string }
	}
	if err := json.Unmarshal([]byte(got.stdout), &desc); err != nil {
		t.Fatalf("get -o json: %v\n%s", err, got.stdout)
	}
	if desc.DomainId != id || desc.DomainName != "ml-platform" || desc.Status != "InService" || desc.AppNetworkAccessType != "VpcOnly" ||
		!strings.HasPrefix(desc.Url, "https://"+id) || len(desc.DefaultUserSettings.SecurityGroups) != 2 {
		t.Errorf("get -o json: %+v", desc)
	}
	if _, err := time.Parse(time.RFC3339, desc.CreationTime); err != nil {
		t.Errorf("CreationTime %q: %v", desc.CreationTime, err)
	}

	got = c.run("", "get", "ml-platform")
	want(t, "get", got, 0, []string{"ID:", id, "Status:", "InService", "AppNetworkAccessType:", "VpcOnly", "Home EFS:", "fs-"}, nil)

	got = c.run("", "delete", "ml-platform")
	want(t, "delete", got, 0, []string{`domain "ml-platform" deleted`, "retained"}, []string{"smdomain delete: waiting for " + id})
	if p, ok := c.srv.RetentionPolicy(id); !ok || p != types.RetentionTypeRetain {
		t.Errorf("retention policy sent: %q (%v), want Retain", p, ok)
	}

	got = c.run("", "get", "ml-platform")
	want(t, "get after delete", got, 1, nil, []string{"not found"})
	if got.stdout != "" {
		t.Errorf("get after delete printed %q on stdout", got.stdout)
	}

	got = c.run("", "delete", "ml-platform")
	want(t, "delete again", got, 0, []string{"nothing to delete"}, nil)
}

func TestCLIDeleteEFS(t *testing.T) {
	c := newCLI(t)
	want(t, "apply", c.run(seedJSON, "apply", "-f", "-"), 0, nil, nil)
	id := c.srv.DomainIDs()[0]
	want(t, "delete --delete-efs", c.run("", "delete", "--delete-efs", "ml-platform"), 0, []string{"deleted"}, nil)
	if p, _ := c.srv.RetentionPolicy(id); p != types.RetentionTypeDelete {
		t.Errorf("retention policy sent: %q, want Delete", p)
	}
}

// A bad spec prints every problem, exits 1, and sends nothing.
func TestCLIBadSpec(t *testing.T) {
	bad := `{
  "DomainName": "ml platform",
  "AuthMode": "IAM",
  "AppNetworkAccessType": "VpcOnly",
  "DefaultUserSettings": {
    "SecurityGroups": ["sg-1", "sg-2", "sg-3", "sg-4", "sg-5", "sg-6"]
  },
  "Tags": [{"Key": "aws:owner", "Value": "me"}]
}`
	// NewSpec's problems for this document, one line each.
	problems := []string{
		"DomainName", "DefaultUserSettings.SecurityGroups", "DefaultUserSettings.ExecutionRole",
		"VpcId", "SubnetIds", "Tags[0].Key",
	}
	for _, cmd := range []string{"plan", "apply"} {
		t.Run(cmd, func(t *testing.T) {
			c := newCLI(t)
			file := c.writeFile("bad.json", bad)
			got := c.run("", cmd, "-f", file)
			want(t, cmd, got, 1, nil, []string{file + ": invalid spec, 6 problems (nothing was sent):"})
			lines := strings.Split(strings.TrimSpace(got.stderr), "\n")
			if len(lines) != 1+len(problems) {
				t.Errorf("stderr has %d lines, want a header and %d problems:\n%s", len(lines), len(problems), got.stderr)
			}
			for _, p := range problems {
				if !regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(p) + `[: ]`).MatchString(got.stderr) {
					t.Errorf("stderr lacks a line for %s:\n%s", p, got.stderr)
				}
			}
			if got.stdout != "" {
				t.Errorf("stdout: %q, want nothing", got.stdout)
			}
			if calls := c.srv.Calls(); len(calls) != 0 {
				t.Errorf("the emulator was called %d times, want 0 (first: %s)", len(calls), calls[0].Operation)
			}
		})
	}

	t.Run("not JSON", func(t *testing.T) {
		c := newCLI(t)
		want(t, "plan", c.run("{\n", "plan", "-f", "-"), 1, nil, []string{"smdomain plan: standard input:", "line 2, column 1: unexpected end of JSON input"})
		if calls := c.srv.Calls(); len(calls) != 0 {
			t.Errorf("the emulator was called %d times, want 0", len(calls))
		}
	})
	t.Run("duplicate member and trailing data", func(t *testing.T) {
		c := newCLI(t)
		doc := strings.Replace(seedJSON, `"AuthMode": "IAM",`, `"AuthMode": "IAM", "AuthMode": "SSO",`, 1) + "\n{}"
		want(t, "apply", c.run(doc, "apply", "-f", "-"), 1, nil, []string{
			"standard input: invalid spec, 2 problems (nothing was sent):",
			"  AuthMode: conflict: key given more than once: at line 3, column 3, line 3, column 22",
			"  (document): type: data after the JSON value at line 15, column 1",
		})
		if calls := c.srv.Calls(); len(calls) != 0 {
			t.Errorf("the emulator was called %d times, want 0", len(calls))
		}
	})
	t.Run("missing file", func(t *testing.T) {
		c := newCLI(t)
		want(t, "plan", c.run("", "plan", "-f", filepath.Join(t.TempDir(), "nope.json")), 1, nil, []string{"nope.json"})
	})
}

// A change that needs a new domain: plan says so (status 2, "!"), apply
// refuses with status 1 and writes nothing.
func TestCLIReplaceRequired(t *testing.T) {
	c := newCLI(t)
	want(t, "apply", c.run(seedJSON, "apply", "-f", "-"), 0, nil, nil)
	sso := strings.Replace(seedJSON, `"AuthMode": "IAM"`, `"AuthMode": "SSO"`, 1)

	got := c.run(sso, "plan", "-f", "-")
	want(t, "plan", got, 2, []string{"replace-required", `! AuthMode: "IAM" -> "SSO"`}, []string{"apply will refuse"})

	c.srv.ResetCalls()
	got = c.run(sso, "apply", "-f", "-")
	want(t, "apply", got, 1, nil, []string{"AuthMode", "nothing was changed"})
	if w := c.writes(); len(w) != 0 {
		t.Errorf("apply wrote %v", w)
	}
}

// Usage errors are status 1 in every command, so a pipeline never takes
// one for plan's changes or audit's findings (2); nothing is sent.
func TestCLIUsageErrors(t *testing.T) {
	c := newCLI(t)
	for _, args := range [][]string{
		{},
		{"frobnicate"},
		{"plan"},
		{"plan", "--no-such-flag"},
		{"plan", "-f", "-", "extra"},
		{"plan", "-f", "-", "-o", "yaml"},
		{"apply"},
		{"apply", "--no-such-flag"},
		{"apply", "-f", "-", "extra"},
		{"get"},
		{"get", "ml-platform", "other"},
		{"get", "ml-platform", "-o", "yaml"},
		{"get", "ml-platform", "--timeout", "soon"},
		{"list", "extra"},
		{"list", "-o", "yaml"},
		{"delete", "ml-platform", "-o", "spec"},
		{"apply", "-f", "-", "-o", "spec"},
		{"delete"},
		{"delete", "ml-platform", "other"},
		{"delete", "ml-platform", "--no-such-flag"},
		{"emulator", "--no-such-flag"},
		{"emulator", "now"},
		{"demo", "now"},
		{"version", "now"},
		{"plan", "-f", "-", "--sso-group", "fraud team"},
		{"apply", "-f", "-", "--sso-group", "fraud team"},
		{"studio-url", "--user", "alice"},
		{"studio-url", "ml-platform"},
		{"studio-url", "ml-platform", "other", "--user", "alice"},
		{"studio-url", "ml-platform", "--user", "alice", "--session", "1d"},
	} {
		got := c.runEnv(c.env, seedJSON, args...)
		if got.code != exitFail {
			t.Errorf("%q: exit status %d, want 1\n%s", args, got.code, got.stderr)
		}
		if got.stdout != "" || got.stderr == "" {
			t.Errorf("%q: stdout %q, stderr %q; want the problem on stderr alone", args, got.stdout, got.stderr)
		}
	}
	if calls := c.srv.Calls(); len(calls) != 0 {
		t.Errorf("the emulator was called %d times, want 0", len(calls))
	}
}

func TestCLIHelp(t *testing.T) {
	c := newCLI(t)
	for _, cmd := range []string{"plan", "apply", "list", "get", "delete", "studio-url", "emulator", "demo"} {
		for _, flag := range []string{"--help", "-h"} {
			got := c.runEnv(c.env, "", cmd, flag)
			want(t, cmd+" "+flag, got, 0, []string{"Usage: smdomain " + cmd}, nil)
		}
	}
	got := c.runEnv(c.env, "", "--help")
	want(t, "--help", got, 0, []string{"plan", "apply", "list", "get", "delete", "studio-url", "emulator", "demo"}, nil)
	for _, cmd := range []string{"plan", "apply", "list", "get", "delete", "audit", "studio-url"} {
		got := c.runEnv(c.env, "", cmd, "--help")
		want(t, cmd+" --help", got, 0, []string{"-region", "-profile", "-endpoint-url", "-allow-insecure-endpoint",
			"-cli-connect-timeout seconds", "-cli-read-timeout seconds", "(default 60)", "-timeout duration"}, nil)
	}
	// One exit status table, at the end of every command's help and of the
	// command list.
	for _, args := range [][]string{{"--help"}, {"plan", "--help"}, {"apply", "-h"}, {"list", "--help"}, {"get", "--help"}, {"delete", "--help"},
		{"audit", "--help"}, {"studio-url", "--help"}, {"emulator", "--help"}, {"demo", "--help"}} {
		got := c.runEnv(c.env, "", args...)
		_, table, ok := strings.Cut(got.stdout, "\nExit status, the same for every command:\n")
		if !ok || !strings.HasPrefix(table, "  0    success") || !strings.Contains(table, "\n  1    any error, a usage error") ||
			!strings.Contains(table, "\n  2    plan: changes to make") || !strings.Contains(table, "\n  130  SIGINT, 143 SIGTERM") {
			t.Errorf("%q: no exit status table at the end:\n%s", args, got.stdout)
		}
	}
	for _, cmd := range []string{"plan", "apply"} {
		got := c.runEnv(c.env, "", cmd, "--help")
		want(t, cmd+" --help", got, 0, []string{`"UserProfiles" and "Spaces"`, "-prune", "offboard the user profiles and spaces the file does not declare",
			"loses access to their home directory",
			"-identity-store-id identity store", "-sso-group name", "With --identity-store-id d-..., apply\nassigns each declared profile's user",
			"With --prune, apply also\nunassigns the users of the profiles it offboards"}, nil)
	}
}

func TestCheckEndpoint(t *testing.T) {
	for _, tc := range []struct {
		url   string
		allow bool
		ok    bool
	}{
		{"https://api.sagemaker.us-east-1.amazonaws.com", false, true},
		{"http://127.0.0.1:4599", false, true},
		{"http://127.1.2.3:4599", false, true},
		{"http://localhost:4599", false, true},
		{"http://[::1]:4599", false, true},
		{"http://10.0.0.5:4599", false, false},
		{"http://10.0.0.5:4599", true, true},
		{"http://emulator.internal", false, false},
		{"ftp://127.0.0.1", true, false},
		{"127.0.0.1:4599", false, false},
		{"", false, false},
	} {
		err := checkEndpoint("--endpoint-url", tc.url, tc.allow)
		if (err == nil) != tc.ok {
			t.Errorf("checkEndpoint(%q, allow=%v) = %v, want ok=%v", tc.url, tc.allow, err, tc.ok)
		}
	}
}

func TestCLINoRegion(t *testing.T) {
	c := newCLI(t)
	env := slices.DeleteFunc(slices.Clone(c.env), func(s string) bool { return strings.HasPrefix(s, "AWS_REGION=") })
	got := c.runEnv(env, seedJSON, "plan", "-f", "-", "--endpoint-url", c.srv.URL)
	want(t, "plan", got, 1, nil, []string{"no AWS region"})
	got = c.runEnv(env, seedJSON, "plan", "-f", "-", "--endpoint-url", c.srv.URL, "--region", "us-east-1")
	want(t, "plan --region", got, 2, []string{"create"}, nil)
}

func TestCLIDemo(t *testing.T) {
	c := newCLI(t)
	got := c.runEnv(c.env, "", "demo")
	want(t, "demo", got, 0, []string{
		": create", "created: d-", ": no-op", "update, 2 changes", "updated: d-", "AppNetworkAccessType:  VpcOnly",
		// The team joins: two users with their own roles, then their space.
		`"UserProfiles": [`, `{"UserProfileName":"bob","UserSettings":{"ExecutionRole":"arn:aws:iam::123456789012:role/bob-churn-data"}}`,
		`  user profile "alice": create`, `  + Spaces.fraud-detection.SpaceSharingSettings: {"SharingType":"Shared"}`,
		"\nuser profile \"alice\" created\nuser profile \"bob\" created\nspace \"fraud-detection\" created\n",
		`waiting for user profile "alice" in d-`,
		// alice's role changes in place: one UpdateUserProfile with her role alone.
		`"UserSettings":{"ExecutionRole":"arn:aws:iam::123456789012:role/alice-fraud-and-churn"}})` + "\n(exit status 0: success)",
		"\nuser profile \"alice\" updated\nuser profile \"bob\" unchanged\n",
		// bob is offboarded: his app, then his profile.
		`user profile "bob": offboard: `, "loses access to their home directory",
		"\nuser profile \"bob\" deleted\n  deleted Apps.bob/JupyterServer/default\n  deleted UserProfiles.bob\n",
		// The domain goes, alice and the space first.
		"  deleted Spaces.fraud-detection\n  deleted UserProfiles.alice\ndomain \"ml-platform\" deleted\n", "retained",
	}, nil)
	if got.stderr != "" {
		t.Errorf("demo stderr: %q", got.stderr)
	}
	// The role change is one change in the plan and one write.
	_, roleStep, _ := strings.Cut(got.stdout, "\n== 9. ")
	roleStep, _, _ = strings.Cut(roleStep, "\n== 10. ")
	if n := len(changeLines.FindAllString(roleStep, -1)); n != 1 || !strings.Contains(roleStep, "  ~ UserProfiles.alice.UserSettings.ExecutionRole: ") {
		t.Errorf("the role change's plan lists %d changes, want UserProfiles.alice.UserSettings.ExecutionRole alone:\n%s", n, roleStep)
	}
	if n := strings.Count(got.stdout, "(UpdateUserProfile carried "); n != 1 {
		t.Errorf("the demo shows %d UpdateUserProfile calls, want 1", n)
	}
}

// A new user following the README: the emulator command on a loopback port,
// then apply and get against it with --endpoint-url.
func TestCLIAgainstEmulatorCommand(t *testing.T) {
	c := newCLI(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	emu := exec.Command(binary, "emulator", "--addr", addr, "--create-delay", "0s", "--update-delay", "0s", "--delete-delay", "0s",
		"--resource-delay", "0s", "--idc-user", "alice@example.com", "--idc-user", "bob@example.com")
	emu.Env = c.env
	out, err := emu.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := emu.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		emu.Process.Signal(os.Interrupt)
		done := make(chan error, 1)
		go func() { done <- emu.Wait() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			emu.Process.Kill()
			<-done
		}
	})
	// ready gets the startup lines, once they are all out.
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		var startup strings.Builder
		signalled := false
		for sc.Scan() {
			startup.WriteString(sc.Text() + "\n")
			if !signalled && sc.Text() == "Press Ctrl-C to stop." {
				ready <- startup.String()
				signalled = true
			}
		}
		if !signalled {
			ready <- ""
		}
	}()
	var startup string
	select {
	case startup = <-ready:
		if !strings.Contains(startup, "SageMaker, STS and Identity Center on") {
			t.Fatalf("emulator exited before it was ready:\n%s", startup)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("emulator not ready after 20s")
	}

	endpoint := "http://" + addr
	got := c.runEnv(c.env, seedJSON, "apply", "-f", "-", "--endpoint-url", endpoint)
	want(t, "apply", got, 0, []string{"created"}, nil)
	got = c.runEnv(c.env, "", "get", "ml-platform", "-o", "json", "--endpoint-url", endpoint)
	want(t, "get", got, 0, []string{`"DomainName": "ml-platform"`, `"Status": "InService"`}, nil)
	got = c.runEnv(c.env, "", "delete", "ml-platform", "--endpoint-url", endpoint)
	want(t, "delete", got, 0, []string{"deleted"}, nil)

	// The SSO team, its users assigned through the identity store the
	// emulator printed.
	m := regexp.MustCompile(`--identity-store-id (d-[0-9a-f]{10})\n`).FindStringSubmatch(startup)
	if m == nil {
		t.Fatalf("the emulator does not print its identity store:\n%s", startup)
	}
	got = c.runEnv(c.env, ssoTeamJSON, "apply", "-f", "-", "--endpoint-url", endpoint, "--identity-store-id", m[1])
	want(t, "apply SSO team", got, 0, []string{`assigned user "alice@example.com"`, `assigned user "bob@example.com"`}, nil)
}

// goOption matches the name of a Go option of the library (WithCascade,
// WithCrossAccountRoles), which the CLI's messages never name.
var goOption = regexp.MustCompile(`\bWith[A-Z]\w*`)

func noGoOptions(t *testing.T, step string, got outcome) {
	t.Helper()
	if m := goOption.FindString(got.stdout + got.stderr); m != "" {
		t.Errorf("%s speaks of the Go option %s:\nstdout:\n%s\nstderr:\n%s", step, m, got.stdout, got.stderr)
	}
}

// TestCLIDomainID pins a domain whose name another domain shares: without
// --domain-id every command that names the domain stops at the ambiguity
// and says to pass --domain-id; with it plan, apply, get and audit work on
// the pinned domain, and delete, which finds a domain by name, deletes it
// once the name is its alone.
func TestCLIDomainID(t *testing.T) {
	c := newCLI(t)
	spec := c.writeFile("domain.json", seedJSON)
	want(t, "apply", c.run("", "apply", "-f", spec), 0, nil, nil)
	first := c.srv.DomainIDs()[0]
	// A second domain with the same name, made behind smdomain's back.
	sm := sagemaker.NewFromConfig(c.srv.AWSConfig())
	if _, err := sm.CreateDomain(context.Background(), &sagemaker.CreateDomainInput{
		DomainName: aws.String("ml-platform"), AuthMode: types.AuthModeIam,
		DefaultUserSettings: &types.UserSettings{ExecutionRole: aws.String("arn:aws:iam::123456789012:role/Other")},
	}); err != nil {
		t.Fatal(err)
	}
	ambiguous := []string{"2 domains are named", first, "name the one you mean with --domain-id d-"}
	for _, args := range [][]string{{"plan", "-f", spec}, {"apply", "-f", spec}, {"get", "ml-platform"}, {"audit", "ml-platform"}, {"delete", "ml-platform"}} {
		got := c.run("", args...)
		want(t, args[0]+" by name", got, 1, nil, ambiguous)
		noGoOptions(t, args[0]+" by name", got)
	}
	want(t, "plan pinned", c.run("", "plan", "-f", spec, "--domain-id", first), 0, []string{first, "no-op"}, nil)
	drifted := c.writeFile("drifted.json", strings.Replace(seedJSON, `"Development"`, `"Production"`, 1))
	want(t, "plan pinned, drifted", c.run("", "plan", "-f", drifted, "--domain-id", first), 2,
		[]string{`~ Tags.Environment: "Development" -> "Production"`}, nil)
	want(t, "apply pinned", c.run("", "apply", "-f", drifted, "--domain-id", first), 0, []string{"updated"}, nil)
	if got := c.run("", "apply", "-f", spec, "--domain-id", "d-doesnotexist0"); got.code != 1 {
		t.Fatalf("apply pinned to a missing domain: exit %d, want 1\n%s", got.code, got.stderr)
	}
	if n := len(c.srv.DomainIDs()); n != 2 {
		t.Errorf("domains = %d, want the two made above", n)
	}
	want(t, "bad ID", c.run("", "plan", "-f", spec, "--domain-id", "nope"), 1, nil, []string{"DomainId"})

	want(t, "get pinned", c.run("", "get", "--domain-id", first), 0, []string{"ID:", first, "Name:", "ml-platform"}, nil)
	got := c.run("", "get", "--domain-id", first, "-o", "json")
	want(t, "get pinned -o json", got, 0, []string{`"DomainId": "` + first + `"`}, nil)
	want(t, "get missing ID", c.run("", "get", "--domain-id", "d-doesnotexist0"), 1, nil, []string{"d-doesnotexist0", "not found"})
	want(t, "audit pinned", c.run("", "audit", "--domain-id", first), 2, []string{"HIGH  network-egress"}, nil)

	// By ID, delete deletes that domain even while another has its name,
	// and leaves the other alone.
	got = c.run("", "delete", "--domain-id", first)
	want(t, "delete pinned, name shared", got, 0, []string{`domain "ml-platform" deleted`}, nil)
	noGoOptions(t, "delete pinned, name shared", got)
	if ids := c.srv.DomainIDs(); len(ids) != 1 || ids[0] == first {
		t.Errorf("domains after delete --domain-id: %v, want only the other one", ids)
	}
	want(t, "delete pinned again", c.run("", "delete", "--domain-id", first), 0, []string{"domain " + first + " not found: nothing to delete"}, nil)
}

// TestCLICrossAccountRole: a role in another account is refused at plan,
// and the message names the flag that allows it.
func TestCLICrossAccountRole(t *testing.T) {
	c := newCLI(t)
	other := strings.Replace(seedJSON, "123456789012:role", "999999999999:role", 1)
	got := c.run(other, "plan", "-f", "-")
	want(t, "plan", got, 1, nil, []string{
		"smdomain plan: DefaultUserSettings.ExecutionRole: role arn:aws:iam::999999999999:role/SageMakerExecutionRole belongs to account 999999999999, but the caller is account 123456789012\n",
		"run it again with --allow-cross-account-roles"})
	noGoOptions(t, "plan", got)
	want(t, "plan --allow-cross-account-roles", c.run(other, "plan", "-f", "-", "--allow-cross-account-roles"), 2, []string{": create"}, nil)
}

// TestCLIDeleteCascade: delete refuses a domain with a user profile and an
// app, naming them, and --cascade deletes them and then the domain.
func TestCLIDeleteCascade(t *testing.T) {
	c := newCLI(t)
	want(t, "apply", c.run("", "apply", "-f", c.writeFile("domain.json", seedJSON)), 0, nil, nil)
	id := c.srv.DomainIDs()[0]
	sm := sagemaker.NewFromConfig(c.srv.AWSConfig())
	ctx := context.Background()
	if _, err := sm.CreateUserProfile(ctx, &sagemaker.CreateUserProfileInput{
		DomainId: aws.String(id), UserProfileName: aws.String("alice")}); err != nil {
		t.Fatal(err)
	}
	if _, err := sm.CreateApp(ctx, &sagemaker.CreateAppInput{DomainId: aws.String(id), UserProfileName: aws.String("alice"),
		AppType: types.AppTypeJupyterServer, AppName: aws.String("default")}); err != nil {
		t.Fatal(err)
	}
	got := c.run("", "delete", "ml-platform")
	want(t, "delete", got, 1, nil, []string{"still has user profiles, spaces or apps", "(nothing was deleted)\n",
		"\n  user profiles: alice\n  apps: alice/JupyterServer/default\n", "run it again with --cascade"})
	noGoOptions(t, "delete", got)
	if len(c.srv.DomainIDs()) != 1 {
		t.Fatal("a refused delete deleted the domain")
	}
	want(t, "delete --cascade", c.run("", "delete", "ml-platform", "--cascade"), 0,
		[]string{"deleted Apps.alice/JupyterServer/default", "deleted UserProfiles.alice", `domain "ml-platform" deleted`}, nil)
	if ids := c.srv.DomainIDs(); len(ids) != 0 {
		t.Errorf("domains after --cascade: %v", ids)
	}
}

// TestCLIOwner: a domain applied with --owner is left alone by another
// owner's apply and delete, and deleted by its own.
func TestCLIOwner(t *testing.T) {
	c := newCLI(t)
	spec := c.writeFile("domain.json", seedJSON)
	want(t, "apply as team-a", c.run("", "apply", "-f", spec, "--owner", "team-a"), 0, []string{"Tags.smdomain:owner"}, nil)
	drifted := c.writeFile("drifted.json", strings.Replace(seedJSON, `"Development"`, `"Production"`, 1))
	c.srv.ResetCalls()
	want(t, "apply as team-b", c.run("", "apply", "-f", drifted, "--owner", "team-b"), 1, nil, []string{`owned by "team-a"`})
	want(t, "delete as team-b", c.run("", "delete", "ml-platform", "--owner", "team-b"), 1, nil, []string{`owned by "team-a"`})
	if w := c.writes(); len(w) != 0 {
		t.Errorf("another owner wrote %v", w)
	}
	want(t, "delete as team-a", c.run("", "delete", "ml-platform", "--owner", "team-a"), 0, []string{"deleted"}, nil)
}
