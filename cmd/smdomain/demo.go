package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/finegrained/smdomain"
	"github.com/finegrained/smdomain/smdomaintest"
)

func demoUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: smdomain demo")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Runs the whole life of a domain against an in-process emulator on a fake clock:")
	fmt.Fprintln(w, "plan, create, plan again with nothing to do, change a security group and the")
	fmt.Fprintln(w, "network access, plan, update, get, delete. Needs no AWS account and sends")
	fmt.Fprintln(w, "nothing outside this process; minutes of waiting take no real time.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Exit status: 0 when every step did what it should, 1 otherwise.")
	stopUsage(w)
}

// The demo's domain: the seed program's, in the emulator's account.
const (
	demoName   = "ml-platform"
	demoRole   = "arn:aws:iam::" + smdomaintest.DefaultAccount + ":role/SageMakerExecutionRole"
	demoVPC    = "vpc-0abc1234def567890"
	demoSubnet = "subnet-0abc1234def567890"
	demoSG     = "sg-0abc1234def567890"
	demoSG2    = "sg-0fed9876cba543210"
)

// runDemo is the demo command.
func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	pos, code := parseArgs(fs, args, demoUsage, stdout, stderr, exitUsage)
	if code >= 0 {
		return code
	}
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "smdomain demo: unexpected arguments %q\n", pos)
		return exitUsage
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

func demo(ctx context.Context, stdout, stderr io.Writer) error {
	realStart := time.Now()
	clock := smdomaintest.NewFakeClock(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC))
	srv := smdomaintest.NewServer(smdomaintest.WithClock(clock),
		smdomaintest.WithCreateDelay(6*time.Minute),
		smdomaintest.WithUpdateDelay(3*time.Minute),
		smdomaintest.WithDeleteDelay(4*time.Minute))
	defer srv.Close()
	// In the demo, progress goes to standard output with the rest, so the
	// whole story reads in order; apply and delete write it to standard error.
	p := newProgress("smdomain demo")
	p.inProcess = true
	client := smdomain.NewFromConfig(srv.AWSConfig(), smdomain.WithClock(clock), p.waitOption(stdout, "  ", time.Minute))

	fmt.Fprintln(stdout, "smdomain demo: the life of a SageMaker domain, against an in-process emulator")
	fmt.Fprintln(stdout, "on a fake clock (account "+smdomaintest.DefaultAccount+", "+smdomaintest.Region+"): no AWS account, no real waiting.")

	spec, err := smdomain.NewSpec(demoName,
		smdomain.WithAuthMode(types.AuthModeIam),
		smdomain.WithVPC(demoVPC, demoSubnet),
		smdomain.WithExecutionRole(demoRole),
		smdomain.WithSecurityGroups(demoSG),
		smdomain.WithTags(map[string]string{"Environment": "Development", "Project": "MachineLearning"}),
	)
	if err != nil {
		return err
	}
	step(stdout, "1. The domain, as domain.json (the input of aws sagemaker create-domain --cli-input-json)")
	if err := printSpecJSON(stdout, spec); err != nil {
		return err
	}

	step(stdout, "2. $ smdomain plan -f domain.json")
	if err := expect(planSpec(ctx, client, spec, "text", p, stdout, stderr), exitChanges, stdout); err != nil {
		return err
	}

	step(stdout, "3. $ smdomain apply -f domain.json")
	if err := expect(applySpec(ctx, client, spec, p, stdout, stderr), exitOK, stdout); err != nil {
		return err
	}

	step(stdout, "4. $ smdomain plan -f domain.json   # again: the domain matches")
	if err := expect(planSpec(ctx, client, spec, "text", p, stdout, stderr), exitOK, stdout); err != nil {
		return err
	}

	changed, err := smdomain.NewSpec(demoName,
		smdomain.WithAuthMode(types.AuthModeIam),
		smdomain.WithVPC(demoVPC, demoSubnet),
		smdomain.WithExecutionRole(demoRole),
		smdomain.WithSecurityGroups(demoSG, demoSG2),
		smdomain.WithAppNetworkAccessType(types.AppNetworkAccessTypeVpcOnly),
		smdomain.WithTags(map[string]string{"Environment": "Development", "Project": "MachineLearning"}),
	)
	if err != nil {
		return err
	}
	step(stdout, "5. Edit domain.json: add security group "+demoSG2+`, and "AppNetworkAccessType": "VpcOnly"`)
	fmt.Fprintln(stdout, "   (the apps' traffic stays in the VPC). Both change in place; the users keep their home directories.")
	fmt.Fprintln(stdout, "$ smdomain plan -f domain.json")
	if err := expect(planSpec(ctx, client, changed, "text", p, stdout, stderr), exitChanges, stdout); err != nil {
		return err
	}

	step(stdout, "6. $ smdomain apply -f domain.json   # one UpdateDomain carrying only the changed fields")
	srv.ResetCalls()
	if err := expect(applySpec(ctx, client, changed, p, stdout, stderr), exitOK, stdout); err != nil {
		return err
	}
	for _, c := range srv.Calls() {
		if c.Operation == "UpdateDomain" {
			fmt.Fprintf(stdout, "  (UpdateDomain carried %v)\n", c.Fields)
		}
	}

	step(stdout, "7. $ smdomain get "+demoName)
	if err := expect(getDomain(ctx, client, demoName, "text", p, stdout, stderr), exitOK, stdout); err != nil {
		return err
	}

	step(stdout, "8. $ smdomain delete "+demoName+"   # home EFS volume retained unless --delete-efs")
	if err := expect(deleteDomain(ctx, client, demoName, nil, false, p, stdout, stderr), exitOK, stdout); err != nil {
		return err
	}

	step(stdout, "Done.")
	fmt.Fprintf(stdout, "The emulator's clock moved %s; real time taken: %s.\n",
		clock.Now().Sub(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)).Round(time.Second), time.Since(realStart).Round(time.Millisecond))
	fmt.Fprintln(stdout, "Next: `smdomain emulator` serves the same emulator for your own plan/apply runs")
	fmt.Fprintln(stdout, "(--endpoint-url http://127.0.0.1:4599); against AWS, drop --endpoint-url.")
	return nil
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
