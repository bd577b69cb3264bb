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

func TestEmulatorServesSDKAndShutsDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- serveEmulator(ctx, ln, emulatorConfig{account: "111122223333"}, &stdout, &stderr)
	}()

	cfg := aws.Config{
		Region:       "us-east-1",
		BaseEndpoint: aws.String("http://" + ln.Addr().String()),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}, nil
		}),
	}
	c := sagemaker.NewFromConfig(cfg)
	out, err := c.CreateDomain(context.Background(), &sagemaker.CreateDomainInput{
		DomainName: aws.String("cli"), AuthMode: types.AuthModeIam, DefaultUserSettings: &types.UserSettings{},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(aws.ToString(out.DomainArn), ":111122223333:domain/") {
		t.Errorf("DomainArn %q is not in account 111122223333", aws.ToString(out.DomainArn))
	}
	cancel()
	if code := <-done; code != exitOK {
		t.Errorf("exit status %d, stderr %q", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "--endpoint-url http://"+ln.Addr().String()) {
		t.Errorf("stdout does not show the aws CLI line:\n%s", stdout.String())
	}
}

// TestEmulatorSeedsIdentityCenter: --idc-user and --idc-group fill the
// identity store, whose ID the emulator prints at startup, for an
// Identity Store client to find them by name.
func TestEmulatorSeedsIdentityCenter(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- serveEmulator(ctx, ln, emulatorConfig{account: "123456789012",
			idcUsers: stringsFlag{"alice@example.com", "bob@example.com"}, idcGroups: stringsFlag{"fraud team"}}, &stdout, &stderr)
	}()
	defer func() {
		cancel()
		if code := <-done; code != exitOK {
			t.Errorf("exit status %d, stderr %q", code, stderr.String())
		}
	}()

	endpoint := "http://" + ln.Addr().String()
	cfg := aws.Config{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(endpoint),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}, nil
		}),
	}
	ids := identitystore.NewFromConfig(cfg)
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
	m := regexp.MustCompile(`\n  Identity Center: identity store (d-[0-9a-f]{10}), users \["alice@example.com" "bob@example.com"\], groups \["fraud team"\]`).
		FindStringSubmatch(stdout.String())
	if m == nil {
		t.Fatalf("stdout does not show the identity store and its users:\n%s", stdout.String())
	}
	if !strings.Contains(stdout.String(), "\n  smdomain apply -f sso-team.json --endpoint-url "+endpoint+" --identity-store-id "+m[1]+"\n") {
		t.Errorf("stdout does not show how to apply with the identity store:\n%s", stdout.String())
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
