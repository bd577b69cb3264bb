package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/finegrained/smdomain"
	"github.com/finegrained/smdomain/smdomaintest"
)

func demoUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: smdomain demo")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Runs the whole life of a domain against an in-process emulator on a fake clock:")
	fmt.Fprintln(w, "plan, create, plan again with nothing to do, change a security group and the")
	fmt.Fprintln(w, "network access, plan, update; add two users with their own execution roles and")
	fmt.Fprintln(w, "a shared project space, plan, apply; change a user's role in place; offboard a")
	fmt.Fprintln(w, "user with --prune; get; delete with --cascade. Needs no AWS account and sends")
	fmt.Fprintln(w, "nothing outside this process; minutes of waiting take no real time. A step")
	fmt.Fprintln(w, "that does not do what it should is an error.")
	fmt.Fprintln(w)
}

// The demo's domain: the seed program's, in the emulator's account; and its
// team: two users who each run as their own role, and the project's space.
const (
	demoName      = "ml-platform"
	demoRole      = "arn:aws:iam::" + smdomaintest.DefaultAccount + ":role/SageMakerExecutionRole"
	demoVPC       = "vpc-0abc1234def567890"
	demoSubnet    = "subnet-0abc1234def567890"
	demoSG        = "sg-0abc1234def567890"
	demoSG2       = "sg-0fed9876cba543210"
	demoAliceRole = "arn:aws:iam::" + smdomaintest.DefaultAccount + ":role/alice-fraud-data"
	demoAliceNew  = "arn:aws:iam::" + smdomaintest.DefaultAccount + ":role/alice-fraud-and-churn"
	demoBobRole   = "arn:aws:iam::" + smdomaintest.DefaultAccount + ":role/bob-churn-data"
	demoSpace     = "fraud-detection"
)

// demoStart is the fake clock's start.
var demoStart = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

// runDemo is the demo command.
func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	pos, code := parseArgs(fs, args, demoUsage, stdout, stderr)
	if code >= 0 {
		return code
	}
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "smdomain demo: unexpected arguments %q\n", pos)
		return exitFail
	}
	if err := demo(ctx, stdout, stderr); err != nil {
		if stop := stopped(ctx); stop != nil {
			return stop.exitCode() // the step that stopped said so
		}
		fmt.Fprintf(stderr, "smdomain demo: %v\n", err)
		return exitFail
	}
	return exitOK
}

// demoSpec returns the demo's domain with opts applied on top of the seed
// program's settings (later options win).
func demoSpec(opts ...smdomain.Option) (*smdomain.Spec, error) {
	return smdomain.NewSpec(demoName, append([]smdomain.Option{
		smdomain.WithAuthMode(types.AuthModeIam),
		smdomain.WithVPC(demoVPC, demoSubnet),
		smdomain.WithExecutionRole(demoRole),
		smdomain.WithSecurityGroups(demoSG),
		smdomain.WithTags(map[string]string{"Environment": "Development", "Project": "MachineLearning"}),
	}, opts...)...)
}

// demoVpcOnly are step 5's changes: a second security group, and the
// apps' traffic kept in the VPC.
func demoVpcOnly() []smdomain.Option {
	return []smdomain.Option{
		smdomain.WithSecurityGroups(demoSG, demoSG2),
		smdomain.WithAppNetworkAccessType(types.AppNetworkAccessTypeVpcOnly),
	}
}

// demoTeamSpec returns the VpcOnly domain with its team: alice running as
// aliceRole, bob unless he has left, and the project's shared space, which
// alice owns; then extra.
func demoTeamSpec(aliceRole string, withBob bool, extra ...smdomain.Option) (*smdomain.Spec, error) {
	alice, err := smdomain.NewUserProfileSpec("alice", smdomain.WithExecutionRole(aliceRole))
	if err != nil {
		return nil, err
	}
	profiles := []*smdomain.UserProfileSpec{alice}
	if withBob {
		bob, err := smdomain.NewUserProfileSpec("bob", smdomain.WithExecutionRole(demoBobRole))
		if err != nil {
			return nil, err
		}
		profiles = append(profiles, bob)
	}
	project, err := smdomain.NewSpaceSpec(demoSpace,
		smdomain.WithSpaceSharing(types.SharingTypeShared), smdomain.WithSpaceOwner("alice"))
	if err != nil {
		return nil, err
	}
	team := []smdomain.Option{smdomain.WithUserProfiles(profiles...), smdomain.WithSpaces(project)}
	return demoSpec(slices.Concat(demoVpcOnly(), team, extra)...)
}

func demo(ctx context.Context, stdout, stderr io.Writer) error {
	realStart := time.Now()
	clock := smdomaintest.NewFakeClock(demoStart)
	srv := smdomaintest.NewServer(smdomaintest.WithClock(clock),
		smdomaintest.WithCreateDelay(6*time.Minute),
		smdomaintest.WithUpdateDelay(3*time.Minute),
		smdomaintest.WithDeleteDelay(4*time.Minute),
		smdomaintest.WithUserProfileDelay(time.Minute),
		smdomaintest.WithSpaceDelay(2*time.Minute),
		smdomaintest.WithAppDelay(time.Minute))
	defer srv.Close()
	// In the demo, progress goes to standard output with the rest, so the
	// whole story reads in order; apply and delete write it to standard error.
	// Members are written one at a time: their waits would otherwise take
	// turns advancing the one fake clock, and their lines interleave.
	p := newProgress("smdomain demo")
	p.inProcess = true
	d := &demoRun{ctx: ctx, srv: srv, p: p, stdout: stdout, stderr: stderr,
		client: smdomain.NewFromConfig(srv.AWSConfig(), append([]smdomain.ClientOption{smdomain.WithClock(clock), smdomain.WithConcurrency(1)},
			p.reportOptions(stdout, "  ", time.Minute)...)...)}

	fmt.Fprintln(stdout, "smdomain demo: the life of a SageMaker domain, against an in-process emulator")
	fmt.Fprintln(stdout, "on a fake clock (account "+smdomaintest.DefaultAccount+", "+smdomaintest.Region+"): no AWS account, no real waiting.")

	spec, err := demoSpec()
	if err != nil {
		return err
	}
	step(stdout, "1. The domain, as domain.json (the input of aws sagemaker create-domain --cli-input-json)")
	if err := printSpecJSON(stdout, spec); err != nil {
		return err
	}
	step(stdout, "2. $ smdomain plan -f domain.json")
	if err := d.plan(spec, exitChanges); err != nil {
		return err
	}
	step(stdout, "3. $ smdomain apply -f domain.json")
	if err := d.apply(spec, ""); err != nil {
		return err
	}
	step(stdout, "4. $ smdomain plan -f domain.json   # again: the domain matches")
	if err := d.plan(spec, exitOK); err != nil {
		return err
	}

	changed, err := demoSpec(demoVpcOnly()...)
	if err != nil {
		return err
	}
	step(stdout, "5. Edit domain.json: add security group "+demoSG2+`, and "AppNetworkAccessType": "VpcOnly"`)
	fmt.Fprintln(stdout, "   (the apps' traffic stays in the VPC). Both change in place; the users keep their home directories.")
	if err := d.change(changed, "6. $ smdomain apply -f domain.json   # one UpdateDomain carrying only the changed fields", "UpdateDomain"); err != nil {
		return err
	}

	team, err := demoTeamSpec(demoAliceRole, true)
	if err != nil {
		return err
	}
	step(stdout, "7. Edit domain.json: add the team, as create-user-profile and create-space input without DomainId:")
	fmt.Fprintln(stdout, "   alice and bob, each running as their own execution role, and the project's shared space.")
	if err := printMembersJSON(stdout, team); err != nil {
		return err
	}
	if err := d.change(team, "8. $ smdomain apply -f domain.json   # the user profiles first, then the space alice owns", ""); err != nil {
		return err
	}

	moved, err := demoTeamSpec(demoAliceNew, true)
	if err != nil {
		return err
	}
	step(stdout, "9. Edit domain.json: alice joins the churn project; her role becomes alice-fraud-and-churn.")
	fmt.Fprintln(stdout, "   It changes in place: her profile, and her home directory, stay.")
	if err := d.change(moved, "10. $ smdomain apply -f domain.json   # one UpdateUserProfile carrying only her role", "UpdateUserProfile"); err != nil {
		return err
	}

	left, err := demoTeamSpec(demoAliceNew, false, smdomain.WithPrune())
	if err != nil {
		return err
	}
	step(stdout, "11. bob opens Studio (here the SDK starts his app, as Studio would); an hour later he leaves")
	fmt.Fprintln(stdout, "    the team. Take him out of domain.json; --prune offboards what the file does not declare.")
	if err := demoStartApp(ctx, srv, "bob"); err != nil {
		return err
	}
	clock.Advance(time.Hour)
	fmt.Fprintln(stdout, "$ smdomain apply --prune -f domain.json   # the plan says what bob loses; apply deletes in that order")
	if err := d.apply(left, ""); err != nil {
		return err
	}

	step(stdout, "12. $ smdomain get "+demoName)
	if err := expect(getDomain(ctx, d.client, domainArg{name: demoName}, "text", p, stdout, stderr), exitOK, stdout); err != nil {
		return err
	}
	step(stdout, "13. $ smdomain delete "+demoName+" --cascade   # alice and the space go first; home EFS volume retained")
	if err := expect(deleteDomain(ctx, d.client, domainArg{name: demoName}, []smdomain.DeleteOption{smdomain.WithCascade()}, false, "text", p, stdout, stderr), exitOK, stdout); err != nil {
		return err
	}

	step(stdout, "Done.")
	fmt.Fprintf(stdout, "The emulator's clock moved %s; real time taken: %s.\n",
		clock.Now().Sub(demoStart).Round(time.Second), time.Since(realStart).Round(time.Millisecond))
	fmt.Fprintln(stdout, "Next: `smdomain emulator` serves the same emulator for your own plan/apply runs")
	fmt.Fprintln(stdout, "(--endpoint-url http://127.0.0.1:4599); against AWS, drop --endpoint-url.")
	return nil
}

// demoRun is what the demo's plan and apply steps run with.
type demoRun struct {
	ctx            context.Context
	client         *smdomain.Client
	srv            *smdomaintest.Server
	p              *progress
	stdout, stderr io.Writer
}

// plan runs plan for spec and checks its exit status.
func (d *demoRun) plan(spec *smdomain.Spec, want int) error {
	return expect(planSpec(d.ctx, d.client, spec, "text", d.p, d.stdout, d.stderr), want, d.stdout)
}

// change runs plan for spec, an edit of domain.json, and checks that it
// has changes to make; then, under the step title applyTitle, applies
// spec as apply does.
func (d *demoRun) change(spec *smdomain.Spec, applyTitle, op string) error {
	fmt.Fprintln(d.stdout, "$ smdomain plan -f domain.json")
	if err := d.plan(spec, exitChanges); err != nil {
		return err
	}
	step(d.stdout, applyTitle)
	return d.apply(spec, op)
}

// apply runs apply for spec and checks that it succeeds; with op, it then
// shows the body of each op call apply made: what the write carried.
func (d *demoRun) apply(spec *smdomain.Spec, op string) error {
	d.srv.ResetCalls()
	code := applySpec(d.ctx, d.client, spec, "text", d.p, d.stdout, d.stderr)
	for _, c := range d.srv.Calls() {
		if c.Operation == op {
			fmt.Fprintf(d.stdout, "  (%s carried %s)\n", op, c.Body)
		}
	}
	return expect(code, exitOK, d.stdout)
}

// demoStartApp starts a JupyterServer app for the user profile in the
// demo's domain, straight through the SDK, as Studio does when the user
// opens it.
func demoStartApp(ctx context.Context, srv *smdomaintest.Server, profile string) error {
	_, err := sagemaker.NewFromConfig(srv.AWSConfig()).CreateApp(ctx, &sagemaker.CreateAppInput{
		DomainId: aws.String(srv.DomainIDs()[0]), UserProfileName: aws.String(profile),
		AppType: types.AppTypeJupyterServer, AppName: aws.String("default")})
	return err
}

func step(w io.Writer, title string) {
	fmt.Fprintf(w, "\n== %s\n", title)
}

// expect prints a command's exit status and checks it.
func expect(got, want int, w io.Writer) error {
	meaning := map[int]string{exitOK: "success", exitChanges: "changes to make"}
	if m, ok := meaning[got]; ok && got == want {
		fmt.Fprintf(w, "(exit status %d: %s)\n", got, m)
		return nil
	}
	if got == want {
		return nil
	}
	return fmt.Errorf("step ended with exit status %d, want %d", got, want)
}

// printMembersJSON prints the "UserProfiles" and "Spaces" of spec's JSON,
// one member a line.
func printMembersJSON(w io.Writer, spec *smdomain.Spec) error {
	raw, err := spec.MarshalJSON()
	if err != nil {
		return err
	}
	var doc struct{ UserProfiles, Spaces []json.RawMessage }
	if err := json.Unmarshal(raw, &doc); err != nil {
		return err
	}
	for _, group := range []struct {
		key     string
		members []json.RawMessage
	}{{"UserProfiles", doc.UserProfiles}, {"Spaces", doc.Spaces}} {
		fmt.Fprintf(w, "  %q: [\n", group.key)
		for i, m := range group.members {
			sep := ","
			if i == len(group.members)-1 {
				sep = ""
			}
			fmt.Fprintf(w, "    %s%s\n", m, sep)
		}
		fmt.Fprintln(w, "  ],")
	}
	return nil
}

func printSpecJSON(w io.Writer, spec *smdomain.Spec) error {
	raw, err := spec.MarshalJSON()
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, "", "  "); err != nil {
		return err
	}
	buf.WriteByte('\n')
	_, err = buf.WriteTo(w)
	return err
}
