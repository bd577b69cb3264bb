package smdomain_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/finegrained/smdomain"
	"github.com/finegrained/smdomain/smdomaintest"
)

// The scale benchmarks model a throttled control plane: every operation
// has its own token bucket (rate limit L a second, a burst of L), every
// request takes scaleLatency to answer, a new user profile or space is
// Pending for scaleSettle, and the Client is left at its defaults
// (WithConcurrency 4, the SDK's standard retryer). They run on a
// VirtualClock, on which concurrent waits overlap as in real time, with
// the SDK reaching the emulator through the in-memory transport: the
// SDK's serializers, signing, retryer and error decoding all run, and the
// figures are virtual seconds.
const (
	scaleMembers = 500
	scaleLatency = 100 * time.Millisecond
	scaleSettle  = 5 * time.Second // a new user profile or space is Pending this long
)

var scaleLimits = []float64{2, 5, 10}

// scaleEnv is an emulator on a virtual clock, served in memory, and a
// Client on the same clock.
type scaleEnv struct {
	em     *smdomaintest.Emulator
	clk    *smdomaintest.VirtualClock
	client *smdomain.Client
	sm     *sagemaker.Client
	id     string
}

// newScaleEnv makes the environment and its domain, unlimited.
func newScaleEnv(b testing.TB) *scaleEnv {
	b.Helper()
	clk := smdomaintest.NewVirtualClock(benchEpoch)
	em := smdomaintest.NewEmulator(smdomaintest.WithClock(clk), smdomaintest.WithLatency(scaleLatency),
		smdomaintest.WithDomainQuota(0), smdomaintest.WithCallLogCapacity(1<<20),
		smdomaintest.WithUserProfileDelay(scaleSettle), smdomaintest.WithSpaceDelay(scaleSettle))
	cfg := em.InMemoryAWSConfig()
	s := &scaleEnv{em: em, clk: clk, client: smdomain.NewFromConfig(cfg, smdomain.WithClock(clk)), sm: sagemaker.NewFromConfig(cfg)}
	s.id = mustEnsure(b, s.client, mustSpec(b, "scale", seedOptions()...)).Domain.ID
	return s
}

// newClient is a fresh Client on the environment, as a new process makes.
func (s *scaleEnv) newClient() *smdomain.Client {
	return smdomain.NewFromConfig(s.em.InMemoryAWSConfig(), smdomain.WithClock(s.clk))
}

// scaleProfiles are n user profiles, each with its own role; with
// private, each owns a private JupyterLab space.
func scaleProfiles(b testing.TB, n int, private bool) []smdomain.Option {
	var profiles []*smdomain.UserProfileSpec
	var spaces []*smdomain.SpaceSpec
	for i := range n {
		user := fmt.Sprintf("user-%03d", i)
		profiles = append(profiles, mustProfile(b, user, smdomain.WithExecutionRole(userRole(i))))
		if private {
			spaces = append(spaces, mustSpace(b, user+"-private", smdomain.WithSpaceSharing(types.SharingTypePrivate),
				smdomain.WithSpaceOwner(user), smdomain.WithSpaceSettings(&types.SpaceSettings{AppType: types.AppTypeJupyterLab})))
		}
	}
	return []smdomain.Option{smdomain.WithUserProfiles(profiles...), smdomain.WithSpaces(spaces...)}
}

// phase is what one operation's calls in the call log show.
type phase struct {
	taken, throttled int
	first, last      time.Time // of the calls taken
}

// phases sums the call log by operation.
func phases(calls []smdomaintest.Call) map[string]*phase {
	out := map[string]*phase{}
	for _, c := range calls {
		p := out[c.Operation]
		if p == nil {
			p = &phase{}
			out[c.Operation] = p
		}
		if c.Fault == "ratelimit" || c.Fault == "throttle" {
			p.throttled++
			continue
		}
		if p.taken == 0 {
			p.first = c.Time
		}
		p.taken, p.last = p.taken+1, c.Time
	}
	return out
}

// rate is the operation's calls taken a second, from its first to its
// last: n calls span n-1 intervals.
func (p *phase) rate() float64 {
	if p == nil || p.taken < 2 {
		return 0
	}
	return float64(p.taken-1) / p.last.Sub(p.first).Seconds()
}

// scaleRun is what the calls since the log was reset show of a batch.
type scaleRun struct {
	percent      map[string]float64 // each write operation's rate, as a percentage of the limit
	lowest       float64            // the lowest of them
	callsPer     float64            // calls taken per member
	throttledPer float64            // throttled answers per member
	virtual      time.Duration      // since start
}

func measureScale(t testing.TB, s *scaleEnv, limit float64, members int, writes []string, start time.Time) scaleRun {
	ph := phases(s.em.Calls())
	r := scaleRun{percent: map[string]float64{}, virtual: s.clk.Now().Sub(start)}
	for i, op := range writes {
		p := ph[op]
		if p == nil || p.taken == 0 {
			t.Fatalf("no %s taken", op)
		}
		r.percent[op] = 100 * p.rate() / limit
		if i == 0 || r.percent[op] < r.lowest {
			r.lowest = r.percent[op]
		}
	}
	taken, throttled := 0, 0
	for _, p := range ph {
		taken, throttled = taken+p.taken, throttled+p.throttled
	}
	r.callsPer = float64(taken) / float64(members)
	r.throttledPer = float64(throttled) / float64(members)
	return r
}

// scaleFigures reports a batch's figures (those of the benchmark's last
// iteration, which the others repeat but for jitter): each write
// operation's rate as a percentage of the limit (the lowest of them as
// %limit), the calls taken and the throttled answers per member, and the
// virtual seconds the batch took.
func scaleFigures(b *testing.B, s *scaleEnv, limit float64, members int, writes []string, start time.Time) {
	r := measureScale(b, s, limit, members, writes, start)
	for _, op := range writes {
		b.ReportMetric(r.percent[op], op+"-%limit")
	}
	b.ReportMetric(r.lowest, "%limit")
	b.ReportMetric(r.callsPer, "calls/member")
	b.ReportMetric(r.throttledPer, "throttled/member")
	b.ReportMetric(r.virtual.Seconds(), "virtual-s")
}

// BenchmarkScale onboards 500 user profiles (each with its own role) and
// offboards them (Ensure WithPrune), and cascade-deletes a domain of 500
// users with a private space and 2 apps each, at per-operation limits of
// 2, 5 and 10 requests a second; and makes a no-op Ensure with 500
// declared members. Any failure ends the benchmark. BENCHMARKS.md states
// the floors.
func BenchmarkScale(b *testing.B) {
	ctx := context.Background()
	onboard := mustSpec(b, "scale", seedOptions(scaleProfiles(b, scaleMembers, false)...)...)
	pruned := mustSpec(b, "scale", seedOptions(smdomain.WithPrune())...)
	private := mustSpec(b, "scale", seedOptions(scaleProfiles(b, scaleMembers, true)...)...)
	cases := []struct {
		name    string
		prepare func(b *testing.B, s *scaleEnv) // unlimited
		act     func(c *smdomain.Client, s *scaleEnv) (done int, err error)
		want    int // what act must report done
		writes  []string
	}{
		{"onboard", func(*testing.B, *scaleEnv) {}, func(c *smdomain.Client, s *scaleEnv) (int, error) {
			res, err := c.Ensure(ctx, onboard)
			if err != nil {
				return 0, err
			}
			return countActions(res.Members, smdomain.ActionCreated), nil
		}, scaleMembers, []string{"CreateUserProfile"}},
		{"offboard", func(b *testing.B, s *scaleEnv) { mustEnsure(b, s.client, onboard) }, func(c *smdomain.Client, s *scaleEnv) (int, error) {
			res, err := c.Ensure(ctx, pruned)
			if err != nil {
				return 0, err
			}
			return countActions(res.Members, smdomain.ActionDeleted), nil
		}, scaleMembers, []string{"DeleteUserProfile"}},
		{"cascade", func(b *testing.B, s *scaleEnv) {
			mustEnsure(b, s.client, private)
			s.startApps(b, scaleMembers)
		}, func(c *smdomain.Client, s *scaleEnv) (int, error) {
			res, err := c.Delete(ctx, smdomain.ByID(s.id), smdomain.WithCascade())
			if err != nil {
				return 0, err
			}
			if slices.Contains(s.em.DomainIDs(), s.id) {
				return 0, fmt.Errorf("domain %s still there", s.id)
			}
			return len(res.Changes), nil // its apps, spaces and user profiles
		}, 4 * scaleMembers, []string{"DeleteApp", "DeleteSpace", "DeleteUserProfile"}},
	}
	for _, limit := range scaleLimits {
		for _, tc := range cases {
			b.Run(fmt.Sprintf("%s-%d/limit=%g", tc.name, scaleMembers, limit), func(b *testing.B) {
				for b.Loop() {
					b.StopTimer()
					s := newScaleEnv(b)
					tc.prepare(b, s)
					s.em.SetRateLimit(limit, int(limit))
					s.em.ResetCalls()
					start := s.clk.Now()
					b.StartTimer()
					done, err := tc.act(s.newClient(), s)
					b.StopTimer()
					if err != nil || done != tc.want {
						b.Fatalf("%s: %d done, want %d: %v", tc.name, done, tc.want, err)
					}
					scaleFigures(b, s, limit, scaleMembers, tc.writes, start)
					b.StartTimer()
				}
			})
		}
	}
	b.Run(fmt.Sprintf("no-op-%d", scaleMembers), func(b *testing.B) {
		spec := onboard
		s := newScaleEnv(b)
		mustEnsure(b, s.client, spec)
		calls := 0
		for b.Loop() {
			c := s.newClient()
			s.em.ResetCalls()
			res, err := c.Ensure(ctx, spec)
			if err != nil || res.Action != smdomain.ActionUnchanged {
				b.Fatalf("Ensure: %v, %v", res, err)
			}
			for _, call := range s.em.Calls() {
				if !isRead(call.Operation) {
					b.Fatalf("a no-op Ensure sent %s", call.Operation)
				}
			}
			calls += len(s.em.Calls())
		}
		b.ReportMetric(float64(calls)/float64(b.N), "calls/op")
		b.ReportMetric(float64(calls)/float64(b.N)/scaleMembers, "calls/member")
	})
}

// startApps starts, for each user, the user's JupyterServer app and the
// JupyterLab app of the user's private space: two apps a user.
func (s *scaleEnv) startApps(b testing.TB, n int) {
	b.Helper()
	ctx := context.Background()
	for i := range n {
		user := fmt.Sprintf("user-%03d", i)
		for _, in := range []*sagemaker.CreateAppInput{
			{DomainId: aws.String(s.id), UserProfileName: aws.String(user), AppType: types.AppTypeJupyterServer, AppName: aws.String("default")},
			{DomainId: aws.String(s.id), SpaceName: aws.String(user + "-private"), AppType: types.AppTypeJupyterLab, AppName: aws.String("default")},
		} {
			if _, err := s.sm.CreateApp(ctx, in); err != nil {
				b.Fatalf("CreateApp: %v", err)
			}
		}
	}
}

// countActions counts the member results with the action.
func countActions(rs []smdomain.MemberResult, a smdomain.Action) int {
	n := 0
	for _, r := range rs {
		if r.Action == a {
			n++
		}
	}
	return n
}

// isRead reports whether a SageMaker or STS operation only reads.
func isRead(op string) bool {
	for _, p := range []string{"List", "Describe", "Get"} {
		if len(op) > len(p) && op[:len(p)] == p {
			return true
		}
	}
	return false
}
