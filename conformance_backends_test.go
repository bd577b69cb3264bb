package smdomain_test

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/smithy-go/middleware"

	"github.com/finegrained/smdomain"
)

// The environment the conformance suite reads.
const (
	// envMotoEndpoint is the URL of a moto server someone else started
	// (.ci/run does); unset, the suite starts one itself.
	envMotoEndpoint = "SMDOMAIN_MOTO_ENDPOINT"
	// envAWS=1 runs the suite against the AWS account of the default
	// configuration, with the resources the other envAWS* variables name.
	envAWS           = "SMDOMAIN_CONFORMANCE_AWS"
	envAWSVPC        = "SMDOMAIN_CONFORMANCE_VPC_ID"
	envAWSSubnets    = "SMDOMAIN_CONFORMANCE_SUBNET_IDS" // comma-separated
	envAWSRole       = "SMDOMAIN_CONFORMANCE_ROLE_ARN"
	envAWSUserRole   = "SMDOMAIN_CONFORMANCE_USER_ROLE_ARN"
	envAWSSecurityGr = "SMDOMAIN_CONFORMANCE_SECURITY_GROUP_ID" // optional
)

// backend is what the conformance suite runs against: an aws.Config and
// the clock and waits that suit it, and the IDs its specs use.
type backend struct {
	name  string
	cfg   aws.Config
	clock smdomain.Clock // nil: the real clock
	wait  func(*smdomain.DomainInServiceWaiterOptions)
	fixtures
}

// fixtures are the network and roles the suite's specs name: any
// well-formed IDs for the emulators, real ones for AWS.
type fixtures struct {
	vpc           string
	subnets       []string
	securityGroup string // may be ""
	role          string // the domain's and the shared space's execution role
	userRole      string // the user profile's own role, before it changes to role
}

// fakeFixtures are IDs in the account of smdomaintest and moto,
// 123456789012.
var fakeFixtures = fixtures{vpc: "vpc-0abc1234def567890", subnets: []string{"subnet-0abc1234def567890"},
	securityGroup: "sg-0abc1234def567890", role: testRole, userRole: aliceRole}

// emulatorBackend is smdomaintest on a fake clock: waits of minutes take
// no real time.
func emulatorBackend(t *testing.T) *backend {
	e := newEnv(t)
	return &backend{cfg: e.srv.AWSConfig(), clock: e.clk, fixtures: fakeFixtures}
}

// motoBackend points the suite at the moto server named by
// envMotoEndpoint, or else at one it starts on a free loopback port and
// stops at the end. Without python3 or moto it skips, in one line; with
// CI=true it fails instead, since CI must run it.
func motoBackend(t *testing.T) *backend {
	endpoint := os.Getenv(envMotoEndpoint)
	if endpoint == "" {
		var why string
		if endpoint, why = startMoto(t); endpoint == "" {
			if os.Getenv("CI") == "true" {
				t.Fatalf("moto: %s; with CI=true the moto backend must run (.ci/run starts moto and sets %s)", why, envMotoEndpoint)
			}
			t.Skipf("moto: %s; skipped (pip install 'moto[server]' to run it)", why)
		}
	}
	if err := awaitAnswer(t.Context(), endpoint, 30*time.Second); err != nil {
		t.Fatalf("moto at %s: %v", endpoint, err)
	}
	return &backend{
		cfg: aws.Config{
			Region:       "us-east-1",
			BaseEndpoint: aws.String(endpoint),
			Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		},
		// moto answers InService at once: poll often, in real time.
		wait: func(o *smdomain.DomainInServiceWaiterOptions) {
			o.MinDelay, o.MaxDelay = 10*time.Millisecond, 100*time.Millisecond
		},
		fixtures: fakeFixtures,
	}
}

var motoListening = regexp.MustCompile(`Running on (http://127\.0\.0\.1:\d+)`)

// startMoto starts `python3 -m moto.server` on a port the system picks and
// returns its URL, read from the line it logs once listening; or "" and
// why it did not start. The server is stopped when the test ends.
func startMoto(t *testing.T) (endpoint, why string) {
	python, err := exec.LookPath("python3")
	if err != nil {
		return "", "no python3 on PATH"
	}
	cmd := exec.Command(python, "-m", "moto.server", "-H", "127.0.0.1", "-p", "0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		return "", "python3 -m moto.server: " + err.Error()
	}
	found := make(chan string, 1)
	logEnded := make(chan struct{})
	var last string // moto's last line, read once logEnded is closed
	go func() {
		defer close(logEnded)
		sc := bufio.NewScanner(stderr) // drained to the end, or moto would block on its request log
		for sc.Scan() {
			last = sc.Text()
			if m := motoListening.FindStringSubmatch(last); m != nil && len(found) == 0 {
				found <- m[1]
			}
		}
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-logEnded
		_ = cmd.Wait()
	})
	select {
	case endpoint = <-found:
		return endpoint, ""
	case <-logEnded:
		return "", "python3 -m moto.server exited: " + last
	case <-time.After(30 * time.Second):
		return "", "python3 -m moto.server did not listen within 30s"
	}
}

// awaitAnswer polls endpoint until it answers HTTP, for at most limit.
func awaitAnswer(ctx context.Context, endpoint string, limit time.Duration) error {
	hc := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(limit)
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint+"/moto-api/", nil)
		if err != nil {
			return err
		}
		resp, err := hc.Do(req)
		if err == nil {
			resp.Body.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return errors.New("no answer within " + limit.String() + ": " + err.Error())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// awsBackend is the AWS account of the default configuration, only when
// envAWS is 1, never in CI.
func awsBackend(t *testing.T) *backend {
	if os.Getenv(envAWS) != "1" {
		t.Skipf("aws: set %s=1 (see README: Conformance) to run against an AWS account; skipped", envAWS)
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("aws: %s=1 with CI=true: the suite never runs against AWS in CI", envAWS)
	}
	var missing []string
	get := func(name string) string {
		v := os.Getenv(name)
		if v == "" {
			missing = append(missing, name)
		}
		return v
	}
	b := &backend{fixtures: fixtures{vpc: get(envAWSVPC), subnets: strings.Split(get(envAWSSubnets), ","),
		role: get(envAWSRole), userRole: get(envAWSUserRole), securityGroup: os.Getenv(envAWSSecurityGr)}}
	if len(missing) > 0 {
		t.Fatalf("aws: %s=1 needs %s", envAWS, strings.Join(missing, ", "))
	}
	cfg, err := config.LoadDefaultConfig(t.Context())
	if err != nil {
		t.Fatalf("aws: load default config: %v", err)
	}
	b.cfg = cfg
	return b
}

// callLog records the operations every client built from a config calls,
// once per call (retries are not counted), in order.
type callLog struct {
	mu  sync.Mutex
	ops []string
}

// instrument returns a copy of cfg whose clients record their calls in l.
func (l *callLog) instrument(cfg aws.Config) aws.Config {
	cfg = cfg.Copy()
	cfg.APIOptions = append(slices.Clone(cfg.APIOptions), func(s *middleware.Stack) error {
		return s.Initialize.Add(middleware.InitializeMiddlewareFunc("conformanceCallLog",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				l.mu.Lock()
				l.ops = append(l.ops, awsmiddleware.GetOperationName(ctx))
				l.mu.Unlock()
				return next.HandleInitialize(ctx, in)
			}), middleware.After)
	})
	return cfg
}

// writes returns the write calls recorded since the last call, and forgets
// every call.
func (l *callLog) writes() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, op := range l.ops {
		if op == "AddTags" || strings.HasPrefix(op, "Create") || strings.HasPrefix(op, "Update") || strings.HasPrefix(op, "Delete") {
			out = append(out, op)
		}
	}
	l.ops = nil
	return out
}

// newRunID returns 8 random hex digits: the conformance tag's value and
// the suffix of the run's domain name.
func newRunID(t *testing.T) string {
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}
