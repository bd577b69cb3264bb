package smdomain_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	smithy "github.com/aws/smithy-go"

	"github.com/finegrained/smdomain"
)

// TestWriteAttemptsBudget answers every CreateDomain and UpdateDomain
// with a 500: Ensure sends each exactly as often as WithWriteAttempts says (default
// DefaultWriteAttempts), then returns a *WriteAttemptsError that counts
// them and wraps the last attempt's SDK error, without the SDK's
// "exceeded maximum number of attempts, 1", which was not true.
func TestWriteAttemptsBudget(t *testing.T) {
	for _, tt := range []struct {
		name     string
		opts     []smdomain.ClientOption
		attempts int
	}{
		{"default", nil, smdomain.DefaultWriteAttempts},
		{"two", []smdomain.ClientOption{smdomain.WithWriteAttempts(2)}, 2},
		{"one", []smdomain.ClientOption{smdomain.WithWriteAttempts(1)}, 1},
		{"zero leaves the default", []smdomain.ClientOption{smdomain.WithWriteAttempts(0)}, smdomain.DefaultWriteAttempts},
	} {
		for _, op := range []string{"CreateDomain", "UpdateDomain"} {
			t.Run(tt.name+"/"+op, func(t *testing.T) {
				e := newEnv(t)
				spec := mustSpec(t, "throttled", seedOptions()...)
				if op == "UpdateDomain" {
					mustEnsure(t, e.client, spec)
					spec = mustSpec(t, "throttled", seedOptions(smdomain.WithSecurityGroups("sg-0fff1234def567890"))...)
				}
				e.srv.ResetCalls()
				e.srv.Fail(op, 100)
				_, err := e.newClient(tt.opts...).Ensure(context.Background(), spec)
				if n := e.count(op); n != tt.attempts {
					t.Errorf("%s sent %d times, want %d", op, n, tt.attempts)
				}
				var wae *smdomain.WriteAttemptsError
				if !errors.As(err, &wae) || wae.Attempts != tt.attempts || wae.Operation != op {
					t.Fatalf("Ensure: %v, want a *WriteAttemptsError of %d %s", err, tt.attempts, op)
				}
				var oe *smithy.OperationError
				if !errors.As(err, &oe) || oe.Operation() != op {
					t.Errorf("Ensure: %v, want the SDK's *smithy.OperationError of %s reachable", err, op)
				}
				var me *retry.MaxAttemptsError
				if errors.As(err, &me) {
					t.Errorf("the error still carries the SDK's count of %d attempts: %v", me.Attempt, err)
				}
			})
		}
	}
}

// TestWaitTimeoutNamesTheDomain lets the wait after a create run out:
// the error is a *WaitTimeoutError (matching ErrWaitTimeout) carrying the
// new domain's ID, so the caller can find it; Ensure again resumes.
func TestWaitTimeoutNamesTheDomain(t *testing.T) {
	e := newEnv(t, smdomain.WithMaxWait(time.Minute))
	spec := mustSpec(t, "slow", seedOptions()...)
	_, err := e.client.Ensure(context.Background(), spec)
	var wte *smdomain.WaitTimeoutError
	if !errors.As(err, &wte) || !errors.Is(err, smdomain.ErrWaitTimeout) {
		t.Fatalf("Ensure: %v, want a *WaitTimeoutError matching ErrWaitTimeout", err)
	}
	ids := e.srv.DomainIDs()
	if len(ids) != 1 || wte.DomainID != ids[0] {
		t.Fatalf("WaitTimeoutError.DomainID %q, domains %v", wte.DomainID, ids)
	}
	if wte.Kind != "domain" || wte.Target != "InService" || wte.Status != "Pending" || wte.Polls == 0 {
		t.Errorf("WaitTimeoutError %+v", wte)
	}
	res := mustEnsure(t, e.newClient(), spec)
	if res.Domain.ID != wte.DomainID || e.count("CreateDomain") != 1 {
		t.Errorf("resumed Ensure: %s (%d CreateDomain), want %s", res.Domain.ID, e.count("CreateDomain"), wte.DomainID)
	}
}
