package main

import (
	"bytes"
	"context"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
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
