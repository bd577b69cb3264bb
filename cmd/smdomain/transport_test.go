package main

import (
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// tripwire is a loopback listener that accepts connections, counts them,
// and never answers: as HTTP_PROXY and HTTPS_PROXY it catches any request
// that would leave the machine, and as an endpoint it is a server that
// hangs.
type tripwire struct {
	ln    net.Listener
	mu    sync.Mutex
	conns []net.Conn
	seen  chan struct{} // gets a value per accepted connection, if room
}

func newTripwire(t *testing.T) *tripwire {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	w := &tripwire{ln: ln, seen: make(chan struct{}, 100)}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			w.mu.Lock()
			w.conns = append(w.conns, c)
			w.mu.Unlock()
			select {
			case w.seen <- struct{}{}:
			default:
			}
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		w.mu.Lock()
		defer w.mu.Unlock()
		for _, c := range w.conns {
			c.Close()
		}
	})
	return w
}

func (w *tripwire) url() string { return "http://" + w.ln.Addr().String() }

func (w *tripwire) count() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.conns)
}

// testNet1 is TEST-NET-1 (RFC 5737): no host answers there. The guard must
// refuse it before dialing; a proxy tripwire catches it if the guard fails.
const testNet1 = "http://192.0.2.1:9/"

// refusal is what the guard says, in part.
const refusal = "refused to send a request to http://192.0.2.1:9: plain http to a host that is not loopback"

// Every source of endpoints the SDK reads is held to the loopback rule at
// the HTTP transport, before anything is dialed: the flag, the environment
// (global and per service), the shared config's endpoint_url and its
// services section (for SageMaker and for STS, also the STS client that
// assume-role credentials use).
func TestCLIInsecureEndpointEverywhere(t *testing.T) {
	c := newCLI(t)
	trip := newTripwire(t)
	config := filepath.Join(t.TempDir(), "config")
	spec := c.writeFile("domain.json", seedJSON)
	base := append(slices.Clone(c.env), "HTTP_PROXY="+trip.url(), "HTTPS_PROXY="+trip.url(), "AWS_CONFIG_FILE="+config)
	// services is a services section for SageMaker and STS, and the
	// profile line that uses it.
	services := func(sagemaker, sts string) (profileLine, section string) {
		return "services = tests\n", "[services tests]\nsagemaker =\n  endpoint_url = " + sagemaker + "\nsts =\n  endpoint_url = " + sts + "\n"
	}
	line, toSageMaker := services(testNet1, c.srv.URL)
	servicesSageMaker := "[default]\n" + line + "\n" + toSageMaker
	line, toSTS := services(c.srv.URL, testNet1)
	servicesSTS := "[default]\n" + line + "\n" + toSTS
	// A profile that assumes a role with the default profile's keys,
	// through the services section's STS endpoint.
	assumeRole := "[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = secret\n\n" +
		"[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/Deploy\nsource_profile = default\n" + line + "\n" + toSTS
	// --endpoint-url wins over every other source in the SDK, so the
	// cases that send SageMaker to the emulator and STS elsewhere use
	// the per-service sources.
	for _, tc := range []struct {
		name   string
		config string
		env    []string
		args   []string
		stderr string
	}{
		{name: "flag", args: []string{"get", "ml", "--endpoint-url", "http://192.0.2.1:9"}, stderr: "--endpoint-url: " + refusal},
		{name: "AWS_ENDPOINT_URL", env: []string{"AWS_ENDPOINT_URL=" + testNet1}, args: []string{"get", "ml"}},
		{name: "AWS_ENDPOINT_URL with a name", env: []string{"AWS_ENDPOINT_URL=http://sagemaker.example.com"}, args: []string{"get", "ml"},
			stderr: "refused to send a request to http://sagemaker.example.com"},
		{name: "AWS_ENDPOINT_URL_SAGEMAKER", env: []string{"AWS_ENDPOINT_URL_SAGEMAKER=" + testNet1}, args: []string{"delete", "ml"}},
		{name: "AWS_ENDPOINT_URL_STS", env: []string{"AWS_ENDPOINT_URL_SAGEMAKER=" + c.srv.URL, "AWS_ENDPOINT_URL_STS=" + testNet1},
			args: []string{"apply", "-f", spec}, stderr: "STS: GetCallerIdentity, https response error StatusCode: 0, RequestID: , request send failed, Post \"http://192.0.2.1:9/\""},
		{name: "profile endpoint_url", config: "[default]\nendpoint_url = " + testNet1 + "\n", args: []string{"get", "ml"}},
		{name: "services sagemaker", config: servicesSageMaker, args: []string{"get", "ml"}},
		{name: "services sts", config: servicesSTS, args: []string{"apply", "-f", spec}, stderr: "STS: GetCallerIdentity"},
		{name: "assume-role STS", config: assumeRole, args: []string{"plan", "-f", spec, "--profile", "deploy"}, stderr: "STS: AssumeRole"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c.srv.ResetCalls()
			if err := os.WriteFile(config, []byte(tc.config), 0o600); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			got := c.runEnv(append(slices.Clone(base), tc.env...), "", append(tc.args, "--cli-connect-timeout", "2", "--cli-read-timeout", "2")...)
			msg := tc.stderr
			if msg == "" {
				msg = refusal
			}
			want(t, tc.name, got, 1, nil, []string{msg, "plain http to a host that is not loopback", "nothing was sent", "--allow-insecure-endpoint"})
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v: the guard should refuse at once", d)
			}
			if n := trip.count(); n != 0 {
				t.Fatalf("%d connection(s) reached the proxy tripwire: a request was sent", n)
			}
			if w := c.writes(); len(w) != 0 {
				t.Errorf("the emulator saw writes %v", w)
			}
		})
	}

	// The tripwire does catch what is sent: with --allow-insecure-endpoint
	// the request leaves, through the proxy, and hangs there until
	// --cli-read-timeout.
	if err := os.WriteFile(config, []byte(servicesSageMaker), 0o600); err != nil {
		t.Fatal(err)
	}
	got := c.runEnv(base, "", "get", "ml", "--allow-insecure-endpoint", "--cli-read-timeout", "1")
	want(t, "--allow-insecure-endpoint", got, 1, nil, []string{"the endpoint sent nothing for 1s"})
	if trip.count() == 0 {
		t.Error("with --allow-insecure-endpoint, nothing reached the proxy tripwire")
	}

	got = c.runEnv(c.env, seedJSON, "plan", "-f", "-", "--endpoint-url", "ftp://127.0.0.1")
	want(t, "ftp", got, 1, nil, []string{"scheme"})
}

// Plain http to loopback works from every source: the flag with 127.0.0.1
// or localhost, and the shared config's services section.
func TestCLILoopbackEndpoints(t *testing.T) {
	c := newCLI(t)
	port := strings.TrimPrefix(c.srv.URL, "http://127.0.0.1:")
	config := c.writeFile("config", "[default]\nservices = emulator\n\n[services emulator]\nsagemaker =\n  endpoint_url = "+c.srv.URL+
		"\nsts =\n  endpoint_url = http://localhost:"+port+"\n")
	env := append(slices.Clone(c.env), "AWS_CONFIG_FILE="+config)
	want(t, "apply via services", c.runEnv(env, seedJSON, "apply", "-f", "-"), 0, []string{"created"}, nil)
	want(t, "get via localhost", c.runEnv(c.env, "", "get", "ml-platform", "--endpoint-url", "http://localhost:"+port), 0, []string{"InService"}, nil)
	want(t, "delete via AWS_ENDPOINT_URL", c.runEnv(append(slices.Clone(c.env), "AWS_ENDPOINT_URL="+c.srv.URL), "", "delete", "ml-platform"), 0, []string{"deleted"}, nil)
}

// An instance's credentials come from the metadata service over plain
// http, which the guard lets through: here the request reaches the proxy
// tripwire instead of 169.254.169.254, and no credentials come back.
func TestCLIInstanceMetadataAllowed(t *testing.T) {
	c := newCLI(t)
	trip := newTripwire(t)
	env := slices.DeleteFunc(slices.Clone(c.env), func(s string) bool {
		return strings.HasPrefix(s, "AWS_ACCESS_KEY_ID=") || strings.HasPrefix(s, "AWS_SECRET_ACCESS_KEY=") || strings.HasPrefix(s, "AWS_EC2_METADATA_DISABLED=")
	})
	env = append(env, "HTTP_PROXY="+trip.url(), "HTTPS_PROXY="+trip.url())
	got := c.runEnv(env, "", "get", "ml", "--endpoint-url", c.srv.URL, "--cli-read-timeout", "1", "--timeout", "30s")
	want(t, "get", got, 1, nil, []string{"EC2 IMDS"})
	if strings.Contains(got.stderr, "refused") || trip.count() == 0 {
		t.Errorf("the metadata service was not asked (%d connections to the tripwire):\n%s", trip.count(), got.stderr)
	}
	if calls := c.srv.Calls(); len(calls) != 0 {
		t.Errorf("the emulator was called without credentials: %v", calls[0].Operation)
	}
}

func TestPlainHTTPAllowed(t *testing.T) {
	for _, tc := range []struct {
		url string
		ok  bool
	}{
		{"https://api.sagemaker.us-east-1.amazonaws.com/", true},
		{"https://192.0.2.1:9/", true},
		{"http://127.0.0.1:4599/", true},
		{"http://127.9.8.7/", true},
		{"http://[::1]:4599/", true},
		{"http://localhost:4599/", true},
		{"http://169.254.169.254/latest/api/token", true},
		{"http://[fd00:ec2::254]/latest/api/token", true},
		{"http://169.254.170.2/v2/credentials/x", false},
		{"http://192.0.2.1:9/", false},
		{"http://10.0.0.5/", false},
		{"http://169.254.1.1/", false},
		{"http://localhost.example.com/", false},
		{"http://127.0.0.1.example.com/", false},
		{"http://[::ffff:192.0.2.1]/", false},
		{"http://sagemaker.us-east-1.amazonaws.com/", false},
	} {
		u, err := url.Parse(tc.url)
		if err != nil {
			t.Fatal(err)
		}
		if err := checkPlainHTTP(u); (err == nil) != tc.ok {
			t.Errorf("checkPlainHTTP(%s) = %v, want ok=%v", tc.url, err, tc.ok)
		}
	}
	u, _ := url.Parse("http://192.0.2.1:9/?X-Amz-Signature=secret")
	if err := checkPlainHTTP(u); err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("checkPlainHTTP = %v, want a refusal that leaves the query out", err)
	}
}

// The flags reach the HTTP client: the dialer's timeout and the SDK's read
// timeout, 0 meaning none.
func TestHTTPClientTimeouts(t *testing.T) {
	for _, tc := range []struct{ connect, read time.Duration }{
		{60 * time.Second, 60 * time.Second},
		{5 * time.Second, 0},
	} {
		c := newHTTPClient(tc.connect, tc.read, false)
		if got := c.GetDialer().Timeout; got != tc.connect {
			t.Errorf("connect timeout = %v, want %v", got, tc.connect)
		}
		if got, ok := c.GetReadTimeout(); !ok || got != tc.read {
			t.Errorf("read timeout = %v (set %v), want %v", got, ok, tc.read)
		}
	}
}

func TestSecondsFlag(t *testing.T) {
	var s seconds
	if err := s.Set("7"); err != nil || time.Duration(s) != 7*time.Second || s.String() != "7" {
		t.Errorf("Set(7): %v, %v", err, time.Duration(s))
	}
	for _, bad := range []string{"-1", "1.5", "1s", ""} {
		if err := s.Set(bad); err == nil {
			t.Errorf("Set(%q) accepted", bad)
		}
	}
}
