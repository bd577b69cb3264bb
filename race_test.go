package smdomain_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"

	"github.com/finegrained/smdomain"
	"github.com/finegrained/smdomain/smdomaintest"
)

// This file races Clients that share nothing (each its own smdomain.Client,
// sagemaker client and HTTP connections, as separate processes have), and
// separate processes, ensuring one new name at the same moment: each race
// must end with one domain of that name.

// raceOutcome is what one racer's Ensure returned.
type raceOutcome struct {
	Action   smdomain.Action `json:"action"`
	DomainID string          `json:"domain"`
	Err      string          `json:"error,omitempty"`
}

// domainsNamed lists the domains called name, in any status.
func domainsNamed(t testing.TB, sm *sagemaker.Client, name string) []string {
	t.Helper()
	var ids []string
	p := sagemaker.NewListDomainsPaginator(sm, &sagemaker.ListDomainsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range page.Domains {
			if aws.ToString(d.DomainName) == name {
				ids = append(ids, aws.ToString(d.DomainId))
			}
		}
	}
	slices.Sort(ids)
	return ids
}

// raceTally counts races by the number of domains they left.
type raceTally map[int]int

func (r raceTally) String() string {
	var parts []string
	for _, n := range slices.Sorted(maps.Keys(r)) {
		parts = append(parts, fmt.Sprintf("%d races left %d domain(s)", r[n], n))
	}
	return strings.Join(parts, ", ")
}

// checkRace checks one race's outcomes: no error, one "created", the
// others adopting it, and one domain left with the name.
func checkRace(t *testing.T, name string, outcomes []raceOutcome, left []string) {
	t.Helper()
	created := 0
	for _, o := range outcomes {
		if o.Err != "" {
			t.Errorf("%s: Ensure failed: %s", name, o.Err)
			continue
		}
		if o.Action == smdomain.ActionCreated {
			created++
		}
		if len(left) == 1 && o.DomainID != left[0] {
			t.Errorf("%s: a racer reports domain %s, but %v is left", name, o.DomainID, left)
		}
	}
	if len(left) != 1 {
		t.Errorf("%s: domains left %v, want one (outcomes %+v)", name, left, outcomes)
	}
	if created != 1 {
		t.Errorf("%s: %d racers report %q, want one (outcomes %+v)", name, created, smdomain.ActionCreated, outcomes)
	}
}

// TestEnsureRaceClients runs many races of 2 and of 4 Clients against one
// emulator on a fake clock that all of them share, each race for a new
// name, the racers released together by a barrier.
func TestEnsureRaceClients(t *testing.T) {
	for _, tt := range []struct{ racers, races int }{{2, 200}, {4, 100}} {
		t.Run(fmt.Sprintf("%d Clients", tt.racers), func(t *testing.T) {
			races := tt.races
			switch {
			case testing.Short():
				races /= 10
			case raceDetector:
				races /= 4
			}
			clk := smdomaintest.NewFakeClock(time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC))
			srv := smdomaintest.NewServer(smdomaintest.WithClock(clk), smdomaintest.WithDomainQuota(0),
				smdomaintest.WithCreateDelay(time.Minute), smdomaintest.WithDeleteDelay(time.Minute))
			t.Cleanup(srv.Close)
			sm := sagemaker.NewFromConfig(srv.AWSConfig())
			tally := raceTally{}
			for i := range races {
				name := fmt.Sprintf("race-%d-%03d", tt.racers, i)
				spec := mustSpec(t, name, seedOptions()...)
				outcomes := make([]raceOutcome, tt.racers)
				clients := make([]*smdomain.Client, tt.racers)
				for j := range clients {
					cfg := srv.AWSConfig()
					cfg.HTTPClient = &http.Client{Transport: &http.Transport{}} // connections of its own
					clients[j] = smdomain.NewFromConfig(cfg, smdomain.WithClock(clk))
				}
				srv.ResetCalls()
				start := make(chan struct{})
				var wg sync.WaitGroup
				for j, c := range clients {
					wg.Go(func() {
						<-start
						res, err := c.Ensure(context.Background(), spec)
						outcomes[j] = outcomeOf(res, err)
					})
				}
				close(start)
				wg.Wait()
				left := domainsNamed(t, sm, name)
				if len(left) != 1 || slices.ContainsFunc(outcomes, func(o raceOutcome) bool { return o.Err != "" }) {
					logCalls(t, srv)
				}
				tally[len(left)]++
				checkRace(t, name, outcomes, left)
			}
			t.Logf("%d races of %d Clients: %s", races, tt.racers, tally)
		})
	}
}

// logCalls logs the call log, for a race that went wrong.
func logCalls(t *testing.T, srv *smdomaintest.Server) {
	t.Helper()
	for _, c := range srv.Calls() {
		b := string(c.Body)
		if len(b) > 120 {
			b = b[:120]
		}
		t.Logf("%s %s %d %s", c.Time.Format("15:04:05.000"), c.Operation, c.StatusCode, b)
	}
}

func outcomeOf(res *smdomain.Result, err error) raceOutcome {
	if err != nil {
		return raceOutcome{Err: err.Error()}
	}
	return raceOutcome{Action: res.Action, DomainID: res.Domain.ID}
}

// Environment of a racing child process (TestEnsureRaceProcesses).
const (
	raceEndpointEnv = "SMDOMAIN_RACE_ENDPOINT"
	raceNameEnv     = "SMDOMAIN_RACE_NAME"
)

// TestEnsureRaceProcesses runs races of 2 and of 4 operating-system
// processes (this test binary run again as TestEnsureRaceChild) against
// one emulator served on 127.0.0.1 by this process on the real clock.
// Each child connects, then blocks on its standard input, which the parent
// closes for all the racers at once: that is the barrier.
func TestEnsureRaceProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts operating-system processes")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Skip("cannot find the test binary:", err)
	}
	srv := smdomaintest.NewServer(smdomaintest.WithDomainQuota(0))
	t.Cleanup(srv.Close)
	sm := sagemaker.NewFromConfig(srv.AWSConfig())
	for _, tt := range []struct{ racers, races int }{{2, 20}, {4, 10}} {
		t.Run(fmt.Sprintf("%d processes", tt.racers), func(t *testing.T) {
			tally := raceTally{}
			for i := range tt.races {
				name := fmt.Sprintf("proc-%d-%03d", tt.racers, i)
				outcomes := runRacers(t, exe, srv.URL, name, tt.racers)
				left := domainsNamed(t, sm, name)
				tally[len(left)]++
				checkRace(t, name, outcomes, left)
			}
			t.Logf("%d races of %d processes: %s", tt.races, tt.racers, tally)
		})
	}
}

// runRacers starts n children racing for name and returns their outcomes.
func runRacers(t *testing.T, exe, endpoint, name string, n int) []raceOutcome {
	t.Helper()
	type child struct {
		cmd   *exec.Cmd
		stdin interface{ Close() error }
		out   *bufio.Scanner
	}
	children := make([]child, n)
	for i := range children {
		cmd := exec.Command(exe, "-test.run=^TestEnsureRaceChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), raceEndpointEnv+"="+endpoint, raceNameEnv+"="+name)
		cmd.Stderr = os.Stderr
		stdin, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		children[i] = child{cmd: cmd, stdin: stdin, out: bufio.NewScanner(stdout)}
	}
	// Each child says "ready" once its Client is built and its first
	// connection made; then all are released together.
	for _, c := range children {
		if !scanUntil(c.out, "ready") {
			t.Fatalf("a racer never got ready")
		}
	}
	for _, c := range children {
		_ = c.stdin.Close()
	}
	outcomes := make([]raceOutcome, n)
	for i, c := range children {
		for c.out.Scan() {
			line, ok := strings.CutPrefix(c.out.Text(), "outcome ")
			if !ok {
				continue
			}
			if err := json.Unmarshal([]byte(line), &outcomes[i]); err != nil {
				t.Fatal(err)
			}
		}
		if err := c.cmd.Wait(); err != nil {
			t.Fatalf("racer: %v", err)
		}
	}
	return outcomes
}

func scanUntil(s *bufio.Scanner, line string) bool {
	for s.Scan() {
		if s.Text() == line {
			return true
		}
	}
	return false
}

// TestEnsureRaceChild is one racer of TestEnsureRaceProcesses; run on its
// own, without the environment it needs, it is skipped.
func TestEnsureRaceChild(t *testing.T) {
	endpoint, name := os.Getenv(raceEndpointEnv), os.Getenv(raceNameEnv)
	if endpoint == "" || name == "" {
		t.Skip("run by TestEnsureRaceProcesses")
	}
	cfg := aws.Config{
		Region:       smdomaintest.Region,
		BaseEndpoint: aws.String(endpoint),
		Credentials: aws.NewCredentialsCache(aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIASMDOMAINTEST0000", SecretAccessKey: "race"}, nil
		})),
		Retryer: func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) { o.RateLimiter = ratelimit.None })
		},
	}
	client := smdomain.NewFromConfig(cfg)
	// Connect (and ask STS, once per Client) before the barrier, so that
	// the race is between the racers' creates, not their start-up.
	if _, err := client.Plan(context.Background(), mustSpec(t, name, seedOptions()...)); err != nil {
		t.Fatal(err)
	}
	fmt.Println("ready")
	_, _ = bufio.NewReader(os.Stdin).ReadByte() // blocks until the parent closes stdin
	res, err := client.Ensure(context.Background(), mustSpec(t, name, seedOptions()...))
	line, _ := json.Marshal(outcomeOf(res, err))
	fmt.Println("outcome " + string(line))
}

// TestTwoPipelinesOnboardTheSameTeam: two Clients (two pipelines) apply
// the same 60-user team at once against a limit of 5 calls a second: both
// succeed, each profile is created once (the loser of each race finds
// the winner's and plans against it), and each profile is reported
// created by exactly one of them.
func TestTwoPipelinesOnboardTheSameTeam(t *testing.T) {
	const n, limit = 60, 5.0
	s := newScaleEnv(t)
	spec := mustSpec(t, "scale", seedOptions(scaleProfiles(t, n, false)...)...)
	s.em.SetRateLimit(limit, int(limit))
	s.em.ResetCalls()
	var wg sync.WaitGroup
	results := make([]*smdomain.Result, 2)
	errs := make([]error, 2)
	for i := range 2 {
		wg.Go(func() { results[i], errs[i] = s.newClient().Ensure(context.Background(), spec) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("pipeline %d: %v", i, err)
		}
	}
	created := countActions(results[0].Members, smdomain.ActionCreated) + countActions(results[1].Members, smdomain.ActionCreated)
	if created != n {
		t.Errorf("%d profiles reported created between the two, want %d", created, n)
	}
	if ph := phases(s.em.Calls()); ph["CreateUserProfile"].taken < n {
		t.Errorf("%d CreateUserProfile taken, want at least %d", ph["CreateUserProfile"].taken, n)
	}
	again, err := s.newClient().Ensure(context.Background(), spec)
	if err != nil || again.Action != smdomain.ActionUnchanged {
		t.Errorf("a third Ensure: %v, %v; want unchanged", again, err)
	}
}
