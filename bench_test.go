package smdomain_test

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/finegrained/smdomain"
	"github.com/finegrained/smdomain/internal/backoff"
	"github.com/finegrained/smdomain/smdomaintest"
)

// The benchmarks report the figures BENCHMARKS.md tabulates. Run them with
//
//	go test -bench . -run '^$'
//
// Every count and byte figure comes from the emulator's call log, that is
// from the requests the SDK actually sent. scripts/instructions.sh counts
// the instructions per operation of BenchmarkNewSpec and
// BenchmarkPlan/in-memory, a CPU figure that holds on a loaded machine.

// callFigures sums what a slice of the call log cost.
func callFigures(calls []smdomaintest.Call) (n, bytes int) {
	for _, c := range calls {
		bytes += c.RequestBytes
	}
	return len(calls), bytes
}

// reportCalls reports calls/op and request-bytes/op over b.N operations.
func reportCalls(b *testing.B, calls, bytes int) {
	b.ReportMetric(float64(calls)/float64(b.N), "calls/op")
	b.ReportMetric(float64(bytes)/float64(b.N), "request-bytes/op")
}

// BenchmarkEnsure measures one Ensure from a fresh Client, as a new process
// (a CLI run, a CI job) would make it, against an emulator whose
// transitions are instant (a wait is one poll).
func BenchmarkEnsure(b *testing.B) {
	ctx := context.Background()
	b.Run("no-op", func(b *testing.B) {
		e := newInstantEnv(b)
		spec := mustSpec(b, "bench-noop", seedOptions()...)
		mustEnsure(b, e.client, spec)
		calls, bytes := 0, 0
		for b.Loop() {
			c := e.newClient()
			e.srv.ResetCalls()
			res, err := c.Ensure(ctx, spec)
			if err != nil || res.Action != smdomain.ActionUnchanged {
				b.Fatalf("Ensure: %v %v", res, err)
			}
			n, by := callFigures(e.srv.Calls())
			calls, bytes = calls+n, bytes+by
		}
		reportCalls(b, calls, bytes)
	})
	b.Run("create", func(b *testing.B) {
		e := newInstantEnv(b)
		sm := sagemaker.NewFromConfig(e.srv.AWSConfig())
		calls, bytes := 0, 0
		for b.Loop() {
			c := e.newClient()
			e.srv.ResetCalls()
			res, err := c.Ensure(ctx, mustSpec(b, "bench-create", seedOptions()...))
			if err != nil || res.Action != smdomain.ActionCreated {
				b.Fatalf("Ensure: %v %v", res, err)
			}
			n, by := callFigures(e.srv.Calls())
			calls, bytes = calls+n, bytes+by
			// Remove it so the next create starts from the same state.
			if _, err := sm.DeleteDomain(ctx, &sagemaker.DeleteDomainInput{DomainId: aws.String(res.Domain.ID)}); err != nil {
				b.Fatal(err)
			}
		}
		reportCalls(b, calls, bytes)
	})
	b.Run("one-field-update", func(b *testing.B) {
		e := newInstantEnv(b)
		sgs := []string{"sg-0abc1234def567890", "sg-0fff1234def567890"}
		mustEnsure(b, e.client, mustSpec(b, "bench-update", seedOptions()...))
		calls, bytes, i := 0, 0, 0
		for b.Loop() {
			i++
			spec := mustSpec(b, "bench-update", seedOptions(smdomain.WithSecurityGroups(sgs[i%2]))...)
			c := e.newClient()
			e.srv.ResetCalls()
			res, err := c.Ensure(ctx, spec)
			if err != nil || res.Action != smdomain.ActionUpdated {
				b.Fatalf("Ensure: %v %v", res, err)
			}
			n, by := callFigures(e.srv.Calls())
			calls, bytes = calls+n, bytes+by
		}
		reportCalls(b, calls, bytes)
	})
}

// BenchmarkDelete measures one Delete of an InService domain from a fresh
// Client, by name and by ID, against an emulator whose transitions are
// instant (the domain is gone at the first poll). Each domain is made with
// the SDK's own CreateDomain, outside the calls counted.
func BenchmarkDelete(b *testing.B) {
	ctx := context.Background()
	for _, bc := range []struct {
		name string
		ref  func(id string) smdomain.DomainRef
		opts []smdomain.DeleteOption
	}{
		{"by-name", func(string) smdomain.DomainRef { return smdomain.ByName("bench-delete") }, nil},
		{"by-name-delete-efs", func(string) smdomain.DomainRef { return smdomain.ByName("bench-delete") },
			[]smdomain.DeleteOption{smdomain.WithDeleteHomeEFS()}},
		{"by-id", smdomain.ByID, nil},
	} {
		b.Run(bc.name, func(b *testing.B) {
			e := newInstantEnv(b)
			sm := sagemaker.NewFromConfig(e.srv.AWSConfig())
			in := mustSpec(b, "bench-delete", seedOptions()...).CreateDomainInput()
			calls, bytes := 0, 0
			for b.Loop() {
				out, err := sm.CreateDomain(ctx, in)
				if err != nil {
					b.Fatal(err)
				}
				c := e.newClient()
				e.srv.ResetCalls()
				res, err := c.Delete(ctx, bc.ref(aws.ToString(out.DomainId)), bc.opts...)
				if err != nil || res.Action != smdomain.ActionDeleted {
					b.Fatalf("Delete: %v %v", res, err)
				}
				n, by := callFigures(e.srv.Calls())
				calls, bytes = calls+n, bytes+by
			}
			reportCalls(b, calls, bytes)
		})
	}
}

// richOptions is a domain with most of what a platform team sets, so that
// resending every setting, as Terraform does, has its real cost.
func richOptions(extra ...smdomain.Option) []smdomain.Option {
	opts := seedOptions(
		smdomain.WithAppNetworkAccessType(types.AppNetworkAccessTypeVpcOnly),
		smdomain.WithDomainSecurityGroups("sg-0ddd1234def567890"),
		smdomain.WithSourceIdentity(),
		smdomain.WithTagPropagation(types.TagPropagationEnabled),
		smdomain.WithDefaultUserSettings(&types.UserSettings{
			StudioWebPortal:   types.StudioWebPortalEnabled,
			DefaultLandingUri: aws.String("studio::"),
			SharingSettings: &types.SharingSettings{
				NotebookOutputOption: types.NotebookOutputOptionAllowed,
				S3OutputPath:         aws.String("s3://ml-platform-notebooks/shared"),
			},
			JupyterServerAppSettings: &types.JupyterServerAppSettings{
				DefaultResourceSpec: &types.ResourceSpec{InstanceType: types.AppInstanceTypeSystem},
			},
			KernelGatewayAppSettings: &types.KernelGatewayAppSettings{
				DefaultResourceSpec: &types.ResourceSpec{InstanceType: types.AppInstanceTypeMlT3Medium},
			},
		}),
		smdomain.WithDefaultSpaceSettings(&types.DefaultSpaceSettings{
			ExecutionRole:  aws.String(testRole),
			SecurityGroups: []string{"sg-0abc1234def567890"},
		}),
	)
	return append(opts, extra...)
}

// fullUpdateInput is the UpdateDomain request a tool that resends every
// setting makes for spec, as Terraform's provider does: every updatable
// member the spec sets, whatever changed.
func fullUpdateInput(id string, spec *smdomain.Spec) *sagemaker.UpdateDomainInput {
	in := spec.CreateDomainInput()
	full := &sagemaker.UpdateDomainInput{
		DomainId:                   aws.String(id),
		DefaultUserSettings:        in.DefaultUserSettings,
		DefaultSpaceSettings:       in.DefaultSpaceSettings,
		AppNetworkAccessType:       in.AppNetworkAccessType,
		AppSecurityGroupManagement: in.AppSecurityGroupManagement,
		SubnetIds:                  in.SubnetIds,
		TagPropagation:             in.TagPropagation,
	}
	if ds := in.DomainSettings; ds != nil {
		u := &types.DomainSettingsForUpdate{
			AmazonQSettings:                    ds.AmazonQSettings,
			DockerSettings:                     ds.DockerSettings,
			ExecutionRoleIdentityConfig:        ds.ExecutionRoleIdentityConfig,
			IpAddressType:                      ds.IpAddressType,
			SecurityGroupIds:                   ds.SecurityGroupIds,
			TrustedIdentityPropagationSettings: ds.TrustedIdentityPropagationSettings,
			UnifiedStudioSettings:              ds.UnifiedStudioSettings,
		}
		if r := ds.RStudioServerProDomainSettings; r != nil {
			u.RStudioServerProDomainSettingsForUpdate = &types.RStudioServerProDomainSettingsForUpdate{
				DomainExecutionRoleArn:   r.DomainExecutionRoleArn,
				DefaultResourceSpec:      r.DefaultResourceSpec,
				RStudioConnectUrl:        r.RStudioConnectUrl,
				RStudioPackageManagerUrl: r.RStudioPackageManagerUrl,
			}
		}
		full.DomainSettingsForUpdate = u
	}
	return full
}

// lastRequestBytes returns the body size of the last call of op in the log.
func lastRequestBytes(b *testing.B, srv *smdomaintest.Server, op string) int {
	b.Helper()
	calls := srv.Calls()
	for i := len(calls) - 1; i >= 0; i-- {
		if calls[i].Operation == op {
			return calls[i].RequestBytes
		}
	}
	b.Fatalf("no %s in the call log", op)
	return 0
}

// BenchmarkUpdatePayload changes one field (the users' security groups) of
// a richly configured domain and compares the UpdateDomain body Ensure
// sends with the body of an UpdateDomain that resends every setting of the
// same spec. Both are sent to the emulator and measured from its log.
func BenchmarkUpdatePayload(b *testing.B) {
	ctx := context.Background()
	e := newInstantEnv(b)
	sm := sagemaker.NewFromConfig(e.srv.AWSConfig())
	sgs := []string{"sg-0abc1234def567890", "sg-0fff1234def567890"}
	id := mustEnsure(b, e.client, mustSpec(b, "bench-payload", richOptions()...)).Domain.ID
	ours, full, i := 0, 0, 0
	for b.Loop() {
		i++
		spec := mustSpec(b, "bench-payload", richOptions(smdomain.WithSecurityGroups(sgs[i%2]))...)
		res, err := e.client.Ensure(ctx, spec)
		if err != nil || res.Action != smdomain.ActionUpdated || len(res.Changes) != 1 {
			b.Fatalf("Ensure: %v %v", res, err)
		}
		ours += lastRequestBytes(b, e.srv, "UpdateDomain")
		if _, err := sm.UpdateDomain(ctx, fullUpdateInput(id, spec)); err != nil {
			b.Fatalf("full UpdateDomain: %v", err)
		}
		full += lastRequestBytes(b, e.srv, "UpdateDomain")
	}
	b.ReportMetric(float64(ours)/float64(b.N), "ours-bytes/op")
	b.ReportMetric(float64(full)/float64(b.N), "full-bytes/op")
	b.ReportMetric(float64(full)/float64(ours), "full/ours")
}

// sdkWaiterDelays are the delays of the sagemaker package's notebook
// instance waiters (api_op_DescribeNotebookInstance.go, aws-sdk-go-v2
// service/sagemaker v1.289.0), the nearest thing it has to a domain waiter.
const (
	sdkMinDelay = 30 * time.Second
	sdkMaxDelay = 1800 * time.Second
)

// sdkSchedule simulates the SDK's generated waiter loop over smithy-go's
// waiter delay for a transition of t: the first poll at once; after poll
// k, a delay drawn uniformly between minDelay and minDelay*2^(k-1) (capped
// at maxDelay; exactly minDelay after the first poll), shortened so that
// at least minDelay of maxWait is left for the last poll, and no poll once
// less than minDelay is left. It returns the polls up to the one that sees
// the change and how late that poll is, or ok false if none does.
func sdkSchedule(t, maxWait time.Duration, rnd func() float64) (polls int, late time.Duration, ok bool) {
	at, remaining := time.Duration(0), maxWait
	for k := 1; ; k++ {
		if at >= t {
			return k, at - t, true
		}
		if remaining < sdkMinDelay {
			return k, 0, false
		}
		ceiling := sdkMaxDelay
		if k <= int(math.Log2(float64(sdkMaxDelay/sdkMinDelay)))+1 {
			ceiling = sdkMinDelay << (k - 1)
		}
		delay := ceiling
		if ceiling != sdkMinDelay {
			delay = sdkMinDelay + time.Duration(rnd()*float64(ceiling-sdkMinDelay))
		}
		if remaining-delay <= sdkMinDelay {
			delay = remaining - sdkMinDelay
		}
		remaining -= delay
		at += delay
	}
}

// benchMaxWait is the wait every schedule is given.
const benchMaxWait = time.Hour

// BenchmarkWaiter drives the DomainInServiceWaiter with its defaults
// (random jitter, as in production) through a Pending -> InService
// transition of each length on the emulator's fake clock, and reports the
// polls it made (including the one that saw InService) and its detection
// delay (from the moment the domain became InService to the waiter
// returning), averaged over b.N waits. Beside them, computed in the same
// run: Terraform's schedule (first poll at once, then 0.2 s doubling to a
// 10 s cap) and the SDK waiter defaults (MinDelay 30 s, MaxDelay 1800 s,
// averaged over 10000 seeded draws of its jitter), and both as ratios to
// ours (above 1: they poll more or see the change later).
func BenchmarkWaiter(b *testing.B) {
	for _, transition := range transitions {
		b.Run(transition.String(), func(b *testing.B) {
			ctx := context.Background()
			clk := smdomaintest.NewFakeClock(benchEpoch)
			srv := smdomaintest.NewServer(smdomaintest.WithClock(clk), smdomaintest.WithCreateDelay(transition))
			b.Cleanup(srv.Close)
			sm := sagemaker.NewFromConfig(srv.AWSConfig())
			out, err := sm.CreateDomain(ctx, mustSpec(b, "bench-wait", seedOptions()...).CreateDomainInput())
			if err != nil {
				b.Fatal(err)
			}
			in := &sagemaker.DescribeDomainInput{DomainId: out.DomainId}
			w := smdomain.NewDomainInServiceWaiter(sm, func(o *smdomain.DomainInServiceWaiterOptions) { o.Clock = clk })

			polls, late, worst := 0, time.Duration(0), time.Duration(0)
			first := true
			for b.Loop() {
				if !first { // start the transition again
					if err := srv.SetDomainStatus(*out.DomainId, "Pending", ""); err != nil {
						b.Fatal(err)
					}
				}
				first = false
				start := clk.Now()
				srv.ResetCalls()
				if _, err := w.WaitForOutput(ctx, in, benchMaxWait); err != nil {
					b.Fatalf("WaitForOutput: %v", err)
				}
				polls += len(srv.Calls())
				l := clk.Now().Sub(start.Add(transition))
				late += l
				worst = max(worst, l)
			}
			oursPolls := float64(polls) / float64(b.N)
			oursLate := late.Seconds() / float64(b.N)

			tfPollsN, tfLateD := terraformPolls(transition)
			tfPolls, tfLate := float64(tfPollsN), tfLateD.Seconds()

			const draws = 10000
			rng := rand.New(rand.NewPCG(6, uint64(transition)))
			var sdkPolls, sdkLate float64
			for range draws {
				p, l, ok := sdkSchedule(transition, benchMaxWait, rng.Float64)
				if !ok {
					b.Fatalf("SDK schedule never saw a %v transition within %v", transition, benchMaxWait)
				}
				sdkPolls += float64(p)
				sdkLate += l.Seconds()
			}
			sdkPolls /= draws
			sdkLate /= draws

			if worst > 10*time.Second {
				b.Errorf("InService seen %v late, want within 10s", worst)
			}
			if oursPolls > tfPolls {
				b.Errorf("%.1f polls, more than Terraform's %v", oursPolls, tfPolls)
			}
			b.ReportMetric(oursPolls, "polls")
			b.ReportMetric(oursLate, "late-s")
			b.ReportMetric(worst.Seconds(), "worst-late-s")
			b.ReportMetric(tfPolls, "tf-polls")
			b.ReportMetric(tfLate, "tf-late-s")
			b.ReportMetric(sdkPolls, "sdk-polls")
			b.ReportMetric(sdkLate, "sdk-late-s")
			b.ReportMetric(tfPolls/oursPolls, "tf/ours-polls")
			b.ReportMetric(tfLate/oursLate, "tf/ours-late")
			b.ReportMetric(sdkPolls/oursPolls, "sdk/ours-polls")
			b.ReportMetric(sdkLate/oursLate, "sdk/ours-late")
		})
	}
	b.Run("sweep", benchmarkWaiterSweep)
}

// oursSchedule is the default schedule as a pure function over
// internal/backoff, the same computation the waiter makes.
func oursSchedule(t, maxWait time.Duration, rnd func() float64) (polls int, late time.Duration) {
	at := time.Duration(0)
	for k := 1; ; k++ {
		if at >= t {
			return k, at - t
		}
		at += backoff.Delay(k, smdomain.DefaultWaitMinDelay, smdomain.DefaultWaitMaxDelay, maxWait-at, rnd())
	}
}

// benchmarkWaiterSweep averages the three schedules over every transition
// from 30 s to 20 min in 1 s steps, so that the comparison does not hang on
// where the five fixed transitions fall between polls. Pure arithmetic:
// ours over internal/backoff with seeded random jitter, Terraform's, and
// the SDK's with seeded random jitter.
func benchmarkWaiterSweep(b *testing.B) {
	type sums struct{ polls, late float64 }
	var (
		ours, tf, sdk sums
		worst         time.Duration
		n             int
	)
	for b.Loop() {
		ours, tf, sdk, worst, n = sums{}, sums{}, sums{}, 0, 0
		rng := rand.New(rand.NewPCG(6, 20))
		for t := 30 * time.Second; t <= 20*time.Minute; t += time.Second {
			n++
			p, l := oursSchedule(t, benchMaxWait, rng.Float64)
			ours.polls, ours.late = ours.polls+float64(p), ours.late+l.Seconds()
			worst = max(worst, l)
			p, l = terraformPolls(t)
			tf.polls, tf.late = tf.polls+float64(p), tf.late+l.Seconds()
			p, l, ok := sdkSchedule(t, benchMaxWait, rng.Float64)
			if !ok {
				b.Fatalf("SDK schedule never saw a %v transition", t)
			}
			sdk.polls, sdk.late = sdk.polls+float64(p), sdk.late+l.Seconds()
		}
	}
	if worst > 10*time.Second {
		b.Errorf("InService seen %v late, want within 10s", worst)
	}
	b.ReportMetric(ours.polls/float64(n), "polls")
	b.ReportMetric(ours.late/float64(n), "late-s")
	b.ReportMetric(worst.Seconds(), "worst-late-s")
	b.ReportMetric(tf.polls/float64(n), "tf-polls")
	b.ReportMetric(tf.late/float64(n), "tf-late-s")
	b.ReportMetric(sdk.polls/float64(n), "sdk-polls")
	b.ReportMetric(sdk.late/float64(n), "sdk-late-s")
	b.ReportMetric(tf.polls/ours.polls, "tf/ours-polls")
	b.ReportMetric(tf.late/ours.late, "tf/ours-late")
	b.ReportMetric(sdk.polls/ours.polls, "sdk/ours-polls")
	b.ReportMetric(sdk.late/ours.late, "sdk/ours-late")
}

// cannedAPI answers the reads of one domain from memory, so that
// BenchmarkPlan/in-memory measures the library's own work without the SDK's
// HTTP round trips.
type cannedAPI struct {
	smdomain.API // nil: any other call panics, and none is made
	list         *sagemaker.ListDomainsOutput
	describe     *sagemaker.DescribeDomainOutput
	tags         *sagemaker.ListTagsOutput
}

func (c *cannedAPI) ListDomains(context.Context, *sagemaker.ListDomainsInput, ...func(*sagemaker.Options)) (*sagemaker.ListDomainsOutput, error) {
	return c.list, nil
}

func (c *cannedAPI) DescribeDomain(context.Context, *sagemaker.DescribeDomainInput, ...func(*sagemaker.Options)) (*sagemaker.DescribeDomainOutput, error) {
	return c.describe, nil
}

func (c *cannedAPI) ListTags(context.Context, *sagemaker.ListTagsInput, ...func(*sagemaker.Options)) (*sagemaker.ListTagsOutput, error) {
	return c.tags, nil
}

// BenchmarkNewSpec measures building and validating the rich spec.
func BenchmarkNewSpec(b *testing.B) {
	b.ReportAllocs()
	opts := richOptions()
	for b.Loop() {
		if _, err := smdomain.NewSpec("bench-spec", opts...); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlan measures Plan of a one-field update of the rich spec (built
// once: BenchmarkNewSpec measures that): over the emulator (the SDK's serialisation and HTTP included) and
// over answers held in memory (the library's own work).
func BenchmarkPlan(b *testing.B) {
	ctx := context.Background()
	e := newInstantEnv(b)
	id := mustEnsure(b, e.client, mustSpec(b, "bench-plan", richOptions()...)).Domain.ID
	sm := sagemaker.NewFromConfig(e.srv.AWSConfig())
	opts := richOptions(smdomain.WithSecurityGroups("sg-0fff1234def567890"))

	spec, err := smdomain.NewSpec("bench-plan", opts...)
	if err != nil {
		b.Fatal(err)
	}
	run := func(b *testing.B, c *smdomain.Client) {
		b.ReportAllocs()
		for b.Loop() {
			p, err := c.Plan(ctx, spec)
			if err != nil || p.Action != smdomain.PlanUpdate || len(p.Changes) != 1 {
				b.Fatalf("Plan: %v %v", p, err)
			}
		}
	}
	b.Run("emulator", func(b *testing.B) { run(b, e.client) })
	b.Run("in-memory", func(b *testing.B) {
		list, err := sm.ListDomains(ctx, &sagemaker.ListDomainsInput{})
		if err != nil {
			b.Fatal(err)
		}
		desc, err := sm.DescribeDomain(ctx, &sagemaker.DescribeDomainInput{DomainId: aws.String(id)})
		if err != nil {
			b.Fatal(err)
		}
		tags, err := sm.ListTags(ctx, &sagemaker.ListTagsInput{ResourceArn: desc.DomainArn})
		if err != nil {
			b.Fatal(err)
		}
		run(b, smdomain.New(&cannedAPI{list: list, describe: desc, tags: tags}))
	})
}
