package smdomaintest_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/finegrained/smdomain/smdomaintest"
	"github.com/google/go-cmp/cmp"
)

// TestSlowBodyIsCut opens a connection on loopback that sends a request's
// headers and then too little of its body, and checks that the emulator
// answers 408 and closes the connection once the body read timeout runs
// out, without logging the request; and that the timeout does not reach
// past the request, into the idle time of a keep-alive connection. It
// runs on the wall clock, for about 0.8 s.
func TestSlowBodyIsCut(t *testing.T) {
	const timeout = 300 * time.Millisecond
	srv, _, _ := newTest(t, smdomaintest.WithBodyReadTimeout(timeout))
	host, auth := strings.TrimPrefix(srv.URL, "http://"), fakeAuth("us-east-1", "sagemaker")
	conn, err := net.Dial("tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	fmt.Fprintf(conn, "POST / HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-amz-json-1.1\r\n"+
		"X-Amz-Target: SageMaker.ListDomains\r\nAuthorization: %s\r\nContent-Length: 1000\r\n\r\n{\"MaxRe", host, auth)
	if err := conn.SetReadDeadline(start.Add(2 * time.Second)); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(conn)
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatalf("no answer to a slow body: %v", err)
	}
	elapsed := time.Since(start)
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestTimeout || elapsed < timeout || elapsed > timeout+time.Second {
		t.Errorf("HTTP %d after %v, want 408 after about %v", resp.StatusCode, elapsed, timeout)
	}
	if _, err := r.ReadByte(); !errors.Is(err, io.EOF) && !errors.Is(err, syscall.ECONNRESET) {
		t.Errorf("connection still open after the answer: read %v", err)
	}
	if calls := srv.Calls(); len(calls) != 0 {
		t.Errorf("slow request logged: %+v", summarize(calls))
	}

	// A keep-alive connection idle for longer than the body read timeout
	// serves its next request.
	idle, err := net.Dial("tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	ir := bufio.NewReader(idle)
	for i := range 2 {
		if i > 0 {
			time.Sleep(timeout + 200*time.Millisecond)
		}
		fmt.Fprintf(idle, "POST / HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-amz-json-1.1\r\n"+
			"X-Amz-Target: SageMaker.ListDomains\r\nAuthorization: %s\r\nContent-Length: 2\r\n\r\n{}", host, auth)
		resp, err := http.ReadResponse(ir, nil)
		if err != nil {
			t.Fatalf("request %d on a kept-alive connection: %v", i, err)
		}
		if _, err := io.Copy(io.Discard, resp.Body); err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("request %d on a kept-alive connection: HTTP %d", i, resp.StatusCode)
		}
	}
}

func TestNewHTTPServerLimits(t *testing.T) {
	e := smdomaintest.NewEmulator(smdomaintest.WithBodyReadTimeout(5 * time.Second))
	srv := smdomaintest.NewHTTPServer("127.0.0.1:0", e)
	got := []any{srv.Addr, srv.Handler == http.Handler(e), srv.ReadHeaderTimeout, srv.IdleTimeout, srv.WriteTimeout, srv.MaxHeaderBytes}
	want := []any{"127.0.0.1:0", true, smdomaintest.ServerReadHeaderTimeout, smdomaintest.ServerIdleTimeout,
		5*time.Second + smdomaintest.ServerReadHeaderTimeout, smdomaintest.ServerMaxHeaderBytes}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Addr, Handler, ReadHeaderTimeout, IdleTimeout, WriteTimeout, MaxHeaderBytes (-want +got):\n%s", diff)
	}
}
