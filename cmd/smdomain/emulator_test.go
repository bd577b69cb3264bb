package main

import (
	"bytes"
	"context"
	"net"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/document"
	idstypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/google/go-cmp/cmp"
)

// syncBuffer is a bytes.Buffer safe for a writer and a reader in
// different goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// emulatorRun is serveEmulator serving on a loopback port in a goroutine.
type emulatorRun struct {
	endpoint       string
	cfg            aws.Config // for SDK clients of it
	stdout, stderr syncBuffer
	cancel         context.CancelFunc
	done           chan int // serveEmulator's status; nil once stopped
}

// startEmulator serves an emulator configured by cfg until the test ends,
// when it must stop cleanly.
func startEmulator(t *testing.T, cfg emulatorConfig) *emulatorRun {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &emulatorRun{endpoint: "http://" + ln.Addr().String(), cancel: cancel, done: make(chan int, 1)}
	r.cfg = aws.Config{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(r.endpoint),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}, nil
		}),
	}
	go func() { r.done <- serveEmulator(ctx, ln, cfg, &r.stdout, &r.stderr) }()
	t.Cleanup(func() { r.stop(t) })
	return r
}

// stop stops the emulator, once, and fails the test unless it stopped
// cleanly.
func (r *emulatorRun) stop(t *testing.T) {
	t.Helper()
	if r.done == nil {
		return
	}
	r.cancel()
	if code := <-r.done; code != exitOK {
		t.Errorf("exit status %d, stderr %q", code, r.stderr.String())
	}
	r.done = nil
}

func TestEmulatorServesSDKAndShutsDown(t *testing.T) {
	r := startEmulator(t, emulatorConfig{account: "111122223333"})
	c := sagemaker.NewFromConfig(r.cfg)
	out, err := c.CreateDomain(context.Background(), &sagemaker.CreateDomainInput{
		DomainName: aws.String("cli"), AuthMode: types.AuthModeIam, DefaultUserSettings: &types.UserSettings{},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(aws.ToString(out.DomainArn), ":111122223333:domain/") {
		t.Errorf("DomainArn %q is not in account 111122223333", aws.ToString(out.DomainArn))
	}
	r.stop(t)
	if !strings.Contains(r.stdout.String(), "--endpoint-url "+r.endpoint) {
		t.Errorf("stdout does not show the aws CLI line:\n%s", r.stdout.String())
	}
}

// TestEmulatorSeedsIdentityCenter: --idc-user and --idc-group fill the
// identity store, whose ID the emulator prints at startup, for an
// Identity Store client to find them by name.
func TestEmulatorSeedsIdentityCenter(t *testing.T) {
	r := startEmulator(t, emulatorConfig{account: "123456789012",
		idcUsers: stringsFlag{"alice@example.com", "bob@example.com"}, idcGroups: stringsFlag{"fraud team"}})
	ids := identitystore.NewFromConfig(r.cfg)
	unique := func(path, value string) idstypes.AlternateIdentifier {
		return &idstypes.AlternateIdentifierMemberUniqueAttribute{Value: idstypes.UniqueAttribute{
			AttributePath: aws.String(path), AttributeValue: document.NewLazyDocument(value)}}
	}
	// The first call is answered once the emulator serves, after its
	// startup lines.
	if _, err := ids.GetGroupId(context.Background(), &identitystore.GetGroupIdInput{
		IdentityStoreId: aws.String("d-0000000000"), AlternateIdentifier: unique("displayName", "fraud team")}); err == nil {
		t.Error("another identity store has the group")
	}
	stdout := r.stdout.String()
	m := regexp.MustCompile(`\n  Identity Center: identity store (d-[0-9a-f]{10}), users \["alice@example.com" "bob@example.com"\], groups \["fraud team"\]`).
		FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("stdout does not show the identity store and its users:\n%s", stdout)
	}
	if !strings.Contains(stdout, "\n  smdomain apply -f sso-team.json --endpoint-url "+r.endpoint+" --identity-store-id "+m[1]+"\n") {
		t.Errorf("stdout does not show how to apply with the identity store:\n%s", stdout)
	}
	for _, name := range []string{"alice@example.com", "bob@example.com"} {
		if _, err := ids.GetUserId(context.Background(), &identitystore.GetUserIdInput{
			IdentityStoreId: aws.String(m[1]), AlternateIdentifier: unique("userName", name)}); err != nil {
			t.Errorf("user %s: %v", name, err)
		}
	}
	if _, err := ids.GetGroupId(context.Background(), &identitystore.GetGroupIdInput{
		IdentityStoreId: aws.String(m[1]), AlternateIdentifier: unique("displayName", "fraud team")}); err != nil {
		t.Errorf("group: %v", err)
	}
}

func TestEmulatorFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"help", []string{"--help"}, exitOK},
		{"non-loopback refused", []string{"--addr", "0.0.0.0:4599"}, exitFail},
		{"all interfaces refused", []string{"--addr", ":4599"}, exitFail},
		{"non-loopback allowed", []string{"--addr", "0.0.0.0:4599", "--allow-non-loopback"}, -1},
		{"localhost", []string{"--addr", "localhost:4599"}, -1},
		{"ipv6 loopback", []string{"--addr", "[::1]:4599"}, -1},
		{"bad duration", []string{"--create-delay", "soon"}, exitFail},
		{"stray argument", []string{"now"}, exitFail},
		{"identity center", []string{"--idc-user", "alice", "--idc-user", "bob", "--idc-group", "fraud team"}, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			_, got := parseEmulatorFlags(tt.args, &stdout, &stderr)
			if got != tt.want {
				t.Errorf("status %d, want %d (stderr %q)", got, tt.want, stderr.String())
			}
		})
	}
}

func TestDispatch(t *testing.T) {
	tests := []struct {
		args []string
		want int
	}{
		{nil, exitFail},
		{[]string{"--help"}, exitOK},
		{[]string{"frobnicate"}, exitFail},
		{[]string{"emulator", "--help"}, exitOK},
	}
	var got, want []int
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		got = append(got, run(context.Background(), tt.args, &stdout, &stderr))
		want = append(want, tt.want)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("exit statuses (-want +got):\n%s", diff)
	}
}
