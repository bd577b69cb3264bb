package smdomaintest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/finegrained/smdomain/smdomaintest"
	"github.com/google/go-cmp/cmp"
)

// callSummary is what the fault tests compare of the call log.
type callSummary struct {
	Operation  string
	StatusCode int
	Fault      string
}

func summarize(calls []smdomaintest.Call) []callSummary {
	out := make([]callSummary, len(calls))
	for i, c := range calls {
		out[i] = callSummary{c.Operation, c.StatusCode, c.Fault}
	}
	return out
}

// TestFaultsThroughSDKRetryer arms each fault kind and observes, through
// the SDK and its own retryer (3 attempts), over TCP and in memory, what
// the caller sees, what the server did and what it logged.
func TestFaultsThroughSDKRetryer(t *testing.T) {
	tests := []struct {
		name        string
		arm         func(*smdomaintest.Server)
		maxAttempts int // 0: the SDK's default
		wantCode    string
		wantConnErr bool
		wantDomains int
		wantCalls   []callSummary
	}{
		{
			name:        "throttled twice, retried, succeeds",
			arm:         func(s *smdomaintest.Server) { s.Throttle("CreateDomain", 2) },
			wantDomains: 1,
			wantCalls: []callSummary{
				{"CreateDomain", 400, "throttle"}, {"CreateDomain", 400, "throttle"}, {"CreateDomain", 200, ""},
			},
		},
		{
			name:        "throttled past the retries",
			arm:         func(s *smdomaintest.Server) { s.Throttle("CreateDomain", 5) },
			wantCode:    "ThrottlingException",
			wantDomains: 0,
			wantCalls: []callSummary{
				{"CreateDomain", 400, "throttle"}, {"CreateDomain", 400, "throttle"}, {"CreateDomain", 400, "throttle"},
			},
		},
		{
			name:        "500 once, retried, succeeds",
			arm:         func(s *smdomaintest.Server) { s.Fail("CreateDomain", 1) },
			wantDomains: 1,
			wantCalls:   []callSummary{{"CreateDomain", 500, "fail"}, {"CreateDomain", 200, ""}},
		},
		{
			name:        "connection cut once, retried, succeeds",
			arm:         func(s *smdomaintest.Server) { s.CutConnection("CreateDomain", 1) },
			wantDomains: 1,
			wantCalls:   []callSummary{{"CreateDomain", 0, "cut"}, {"CreateDomain", 200, ""}},
		},
		{
			name:        "connection cut, no retry: nothing done",
			arm:         func(s *smdomaintest.Server) { s.CutConnection("CreateDomain", 1) },
			maxAttempts: 1,
			wantConnErr: true,
			wantDomains: 0,
			wantCalls:   []callSummary{{"CreateDomain", 0, "cut"}},
		},
		{
			name:        "response lost, no retry: the domain exists",
			arm:         func(s *smdomaintest.Server) { s.LoseResponse("CreateDomain", 1) },
			maxAttempts: 1,
			wantConnErr: true,
			wantDomains: 1,
			wantCalls:   []callSummary{{"CreateDomain", 200, "lose"}},
		},
		{
			// The hazard the library must guard against: the SDK's retry of
			// a CreateDomain whose response was lost creates a second domain.
			name:        "response lost, SDK retries: two domains",
			arm:         func(s *smdomaintest.Server) { s.LoseResponse("CreateDomain", 1) },
			wantDomains: 2,
			wantCalls:   []callSummary{{"CreateDomain", 200, "lose"}, {"CreateDomain", 200, ""}},
		},
		{
			name:        "faults of another operation do not apply",
			arm:         func(s *smdomaintest.Server) { s.Throttle("UpdateDomain", 3); s.Fail("DeleteDomain", 3) },
			wantDomains: 1,
			wantCalls:   []callSummary{{"CreateDomain", 200, ""}},
		},
	}
	for _, tr := range transports {
		for _, tt := range tests {
			t.Run(tr.name+"/"+tt.name, func(t *testing.T) {
				srv, _, _ := newTest(t)
				c := sagemaker.NewFromConfig(tr.config(srv))
				tt.arm(srv)
				_, err := c.CreateDomain(context.Background(), minimalCreate("faulty"), func(o *sagemaker.Options) {
					if tt.maxAttempts > 0 {
						o.RetryMaxAttempts = tt.maxAttempts
					}
				})
				switch {
				case tt.wantConnErr:
					if err == nil || apiCode(err) != "" {
						t.Errorf("CreateDomain: %v, want a connection error without an API error code", err)
					}
					if tr.name == "in-memory" && !errors.Is(err, smdomaintest.ErrConnectionClosed) {
						t.Errorf("CreateDomain: %v, want smdomaintest.ErrConnectionClosed", err)
					}
				case apiCode(err) != tt.wantCode:
					t.Errorf("CreateDomain: code %q (%v), want %q", apiCode(err), err, tt.wantCode)
				}
				if got := len(srv.DomainIDs()); got != tt.wantDomains {
					t.Errorf("domains = %d, want %d", got, tt.wantDomains)
				}
				if diff := cmp.Diff(tt.wantCalls, summarize(srv.Calls())); diff != "" {
					t.Errorf("call log (-want +got):\n%s", diff)
				}
			})
		}
	}
}

func TestLostUpdateIsCommitted(t *testing.T) {
	srv, c, _ := newTest(t)
	id := mustCreate(t, c, minimalCreate("lost-update")).DomainId
	srv.LoseResponse("UpdateDomain", 1)
	_, err := c.UpdateDomain(context.Background(), &sagemaker.UpdateDomainInput{DomainId: id, TagPropagation: "ENABLED"}, noRetry)
	if err == nil {
		t.Fatal("UpdateDomain with a lost response succeeded")
	}
	if got := mustDescribe(t, c, *id).TagPropagation; got != "ENABLED" {
		t.Errorf("TagPropagation = %q after a committed update, want ENABLED", got)
	}
}

func TestSTSThrottleRetried(t *testing.T) {
	srv, _, _ := newTest(t)
	srv.Throttle("GetCallerIdentity", 2)
	out, err := sts.NewFromConfig(srv.AWSConfig()).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.Account) != smdomaintest.DefaultAccount {
		t.Errorf("Account = %q", aws.ToString(out.Account))
	}
	want := []callSummary{{"GetCallerIdentity", 400, "throttle"}, {"GetCallerIdentity", 400, "throttle"}, {"GetCallerIdentity", 200, ""}}
	if diff := cmp.Diff(want, summarize(srv.Calls())); diff != "" {
		t.Errorf("call log (-want +got):\n%s", diff)
	}
}
