package main

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/finegrained/smdomain"
	"github.com/finegrained/smdomain/smdomaintest"
)

// An endpoint that accepts connections and never answers: each command
// gives up after --cli-read-timeout (the SDK tries 3 times) instead of
// hanging, and says which flag to raise.
func TestCLIReadTimeout(t *testing.T) {
	c := newCLI(t)
	silent := newTripwire(t)
	spec := c.writeFile("domain.json", seedJSON)
	for _, args := range [][]string{
		{"get", "ml"},
		{"apply", "-f", spec},
		{"delete", "ml"},
	} {
		t.Run(args[0], func(t *testing.T) {
			t.Parallel()
			c := &cli{t: t, srv: c.srv, env: c.env}
			start := time.Now()
			got := c.runEnv(c.env, "", append(args, "--endpoint-url", silent.url(), "--cli-read-timeout", "1")...)
			want(t, args[0], got, 1, nil, []string{"read on body reach timeout limit, 1s", "the endpoint sent nothing for 1s; raise --cli-read-timeout"})
			if d := time.Since(start); d > 20*time.Second {
				t.Errorf("took %v, want a few seconds", d)
			}
		})
	}
}

// --timeout bounds the whole command, here with no read timeout at all.
func TestCLIOverallTimeout(t *testing.T) {
	c := newCLI(t)
	silent := newTripwire(t)
	start := time.Now()
	got := c.runEnv(c.env, "", "get", "ml", "--endpoint-url", silent.url(), "--cli-read-timeout", "0", "--timeout", "1s")
	want(t, "get", got, 1, nil, nil)
	if got.stderr != "smdomain get: gave up after 1s (--timeout) while reading domain \"ml\"; nothing was changed\n" {
		t.Errorf("stderr = %q, want the one line that says why and what", got.stderr)
	}
	if d := time.Since(start); d > 15*time.Second {
		t.Errorf("took %v, want about 1s", d)
	}
	for _, bad := range []string{"-1s", "soon"} {
		want(t, "--timeout "+bad, c.run("", "get", "ml", "--timeout", bad), exitFail, nil, []string{"want a duration"})
	}
}

// running is an smdomain process whose standard error is collected line
// by line as it comes.
type running struct {
	t    *testing.T
	cmd  *exec.Cmd
	mu   sync.Mutex
	err  []string
	line chan string // every line, if there is room
	done chan int    // the exit status
}

func (c *cli) start(args ...string) *running {
	c.t.Helper()
	r := &running{t: c.t, line: make(chan string, 1000), done: make(chan int, 1)}
	r.cmd = exec.Command(binary, args...)
	r.cmd.Env = c.env
	stderr, err := r.cmd.StderrPipe()
	if err != nil {
		c.t.Fatal(err)
	}
	if err := r.cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { r.cmd.Process.Kill() })
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			r.mu.Lock()
			r.err = append(r.err, sc.Text())
			r.mu.Unlock()
			select {
			case r.line <- sc.Text():
			default:
			}
		}
		r.cmd.Wait()
		r.done <- r.cmd.ProcessState.ExitCode()
	}()
	return r
}

// waitLine waits, at most 20s, for a line of standard error with s in it.
func (r *running) waitLine(s string) {
	r.t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case l := <-r.line:
			if strings.Contains(l, s) {
				return
			}
		case <-deadline:
			r.t.Fatalf("no line with %q on stderr after 20s:\n%s", s, r.stderr())
		}
	}
}

// exit waits, at most 20s, for the process to end and returns its status.
func (r *running) exit() int {
	r.t.Helper()
	select {
	case code := <-r.done:
		return code
	case <-time.After(20 * time.Second):
		r.t.Fatalf("still running 20s after it was told to stop:\n%s", r.stderr())
		return 0
	}
}

func (r *running) stderr() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.err, "\n")
}

// A signal while apply or delete waits on a slow domain: the command exits
// 128+signal with one line on what it was doing, the domain's last status,
// and that running again resumes; and running again does.
func TestCLISignalWhileWaiting(t *testing.T) {
	clock := smdomaintest.NewFakeClock(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC))
	c := newCLI(t, smdomaintest.WithClock(clock), smdomaintest.WithCreateDelay(time.Hour), smdomaintest.WithDeleteDelay(time.Hour))
	spec := c.writeFile("domain.json", seedJSON)
	endpoint := []string{"--endpoint-url", c.srv.URL}

	apply := c.start(append([]string{"apply", "-f", spec}, endpoint...)...)
	apply.waitLine("waiting for d-")
	apply.cmd.Process.Signal(os.Interrupt)
	if code := apply.exit(); code != 130 {
		t.Errorf("apply after SIGINT: exit status %d, want 130\n%s", code, apply.stderr())
	}
	id := c.srv.DomainIDs()[0]
	wantLastLine(t, apply.stderr(), `smdomain apply: interrupted (SIGINT) while applying domain "ml-platform" (`+id+`, last seen Pending); run the same command again to resume`)

	clock.Advance(time.Hour)
	want(t, "apply again", c.run("", append([]string{"apply", "-f", spec}, endpoint...)...), 0, []string{`domain "ml-platform" unchanged: ` + id}, nil)

	del := c.start(append([]string{"delete", "ml-platform"}, endpoint...)...)
	del.waitLine("waiting for " + id + ": Deleting")
	del.cmd.Process.Signal(syscall.SIGTERM)
	if code := del.exit(); code != 143 {
		t.Errorf("delete after SIGTERM: exit status %d, want 143\n%s", code, del.stderr())
	}
	wantLastLine(t, del.stderr(), `smdomain delete: terminated (SIGTERM) while deleting domain "ml-platform" (`+id+`, last seen Deleting); run the same command again to resume`)

	clock.Advance(time.Hour)
	want(t, "delete again", c.run("", append([]string{"delete", "ml-platform"}, endpoint...)...), 0, []string{`domain "ml-platform" not found`}, nil)
	if ids := c.srv.DomainIDs(); len(ids) != 0 {
		t.Errorf("domains left: %v", ids)
	}
}

// A signal while a read-only command waits for an answer says that
// nothing was changed.
func TestCLISignalWhileReading(t *testing.T) {
	c := newCLI(t)
	silent := newTripwire(t)
	get := c.start("get", "ml", "--endpoint-url", silent.url(), "--cli-read-timeout", "0")
	select {
	case <-silent.seen:
	case <-time.After(20 * time.Second):
		t.Fatal("get did not connect within 20s")
	}
	get.cmd.Process.Signal(os.Interrupt)
	if code := get.exit(); code != 130 {
		t.Errorf("exit status %d, want 130", code)
	}
	if got := get.stderr(); got != `smdomain get: interrupted (SIGINT) while reading domain "ml"; nothing was changed` {
		t.Errorf("stderr = %q, want the one line", got)
	}
}

// wantLastLine checks that stderr ends with line, and that it is the only
// line about the stop.
func wantLastLine(t *testing.T, stderr, line string) {
	t.Helper()
	lines := strings.Split(stderr, "\n")
	if lines[len(lines)-1] != line {
		t.Errorf("last line of stderr:\n  %s\nwant:\n  %s\nall:\n%s", lines[len(lines)-1], line, stderr)
	}
	if n := len(regexp.MustCompile(`(?m)(interrupted|terminated|canceled)`).FindAllString(stderr, -1)); n != 1 {
		t.Errorf("stderr speaks of the stop %d times, want once:\n%s", n, stderr)
	}
}

// The stop's line for each state of knowledge, and the exit statuses.
func TestProgressFail(t *testing.T) {
	sigint := &stopError{signal: syscall.SIGINT}
	for _, tc := range []struct {
		name  string
		setup func(p *progress)
		stop  *stopError
		line  string
		code  int
	}{
		{"read-only", func(p *progress) { p.begin(false, "planning domain %q", "ml") }, sigint,
			`smdomain x: interrupted (SIGINT) while planning domain "ml"; nothing was changed`, 130},
		{"before any poll", func(p *progress) { p.begin(true, "applying domain %q", "ml") }, &stopError{signal: syscall.SIGTERM},
			`smdomain x: terminated (SIGTERM) while applying domain "ml"; a change may already have been sent; run the same command again to resume`, 143},
		{"after a poll", func(p *progress) {
			p.begin(true, "applying domain %q", "ml")
			p.polled, p.resource, p.status = true, "d-abc", "Updating"
		}, &stopError{timeout: time.Hour},
			`smdomain x: gave up after 1h0m0s (--timeout) while applying domain "ml" (d-abc, last seen Updating); run the same command again to resume`, exitFail},
		{"in process", func(p *progress) { p.inProcess = true; p.begin(true, "applying domain %q", "ml") }, sigint,
			`smdomain x: interrupted (SIGINT) while applying domain "ml"; nothing outside this process was changed`, 130},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newProgress("smdomain x")
			tc.setup(p)
			ctx, cancel := context.WithCancelCause(context.Background())
			cancel(tc.stop)
			var w strings.Builder
			if code := p.fail(ctx, &w, context.Canceled); code != tc.code || w.String() != tc.line+"\n" {
				t.Errorf("fail = %d, %q; want %d, %q", code, w.String(), tc.code, tc.line)
			}
		})
	}
	var w strings.Builder
	if code := newProgress("smdomain x").fail(context.Background(), &w, os.ErrNotExist); code != exitFail || w.String() != "smdomain x: file does not exist\n" {
		t.Errorf("fail without a stop = %d, %q", code, w.String())
	}
}

// Wait lines name the member polled, and each resource's lines are thinned
// on their own, so members waited for together do not hide each other's.
func TestProgressReporter(t *testing.T) {
	var w strings.Builder
	p := newProgress("smdomain x")
	report := p.reporter(&w, "> ", time.Minute)
	alice := smdomain.WaitProgress{DomainID: "d-abc", Kind: "user profile", Name: "alice", Status: "Pending"}
	space := smdomain.WaitProgress{DomainID: "d-abc", Kind: "space", Name: "fraud", Status: "Pending"}
	for _, wp := range []smdomain.WaitProgress{
		{DomainID: "d-abc", Kind: "domain", Status: "Updating", Attempt: 1},
		atPoll(alice, 1, 0), atPoll(space, 1, 0),
		atPoll(alice, 2, 10*time.Second), atPoll(space, 2, 10*time.Second), // thinned: same status within a minute
		atPoll(alice, 3, 70*time.Second), // a minute since alice's last line
		{DomainID: "d-abc", Kind: "space", Name: "fraud", Status: "InService", Attempt: 3, Elapsed: 75 * time.Second},
		{DomainID: "d-abc", Kind: "space", Name: "fraud", Status: "", Attempt: 4, Elapsed: 80 * time.Second},
	} {
		report(wp)
	}
	want := `> waiting for d-abc: Updating, 0s elapsed
> waiting for user profile "alice" in d-abc: Pending, 0s elapsed
> waiting for space "fraud" in d-abc: Pending, 0s elapsed
> waiting for user profile "alice" in d-abc: Pending, 1m10s elapsed
> waiting for space "fraud" in d-abc: InService, 1m15s elapsed
> waiting for space "fraud" in d-abc: gone, 1m20s elapsed
`
	if w.String() != want {
		t.Errorf("lines:\n%s\nwant:\n%s", w.String(), want)
	}
	if p.resource != `space "fraud" in d-abc` || p.status != "gone" {
		t.Errorf("last seen %s, %s", p.resource, p.status)
	}
}

func atPoll(wp smdomain.WaitProgress, attempt int, elapsed time.Duration) smdomain.WaitProgress {
	wp.Attempt, wp.Elapsed = attempt, elapsed
	return wp
}
