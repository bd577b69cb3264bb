package smdomain_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	smithy "github.com/aws/smithy-go"

	"github.com/finegrained/smdomain"
	"github.com/finegrained/smdomain/smdomaintest"
)

// TestEnsureUnknownCreateAdoptsNothing makes another team's pipeline
// create a domain with the name, and other settings, at the moment our
// CreateDomain meets a fault that leaves its outcome unknown. Ensure must
// never report their domain as one it created: it plans against it like
// any existing domain (and updates it, or refuses it WithOwner), and when
// its own create did go through (a lost response), it deletes its own
// domain, younger than theirs, and keeps one.
func TestEnsureUnknownCreateAdoptsNothing(t *testing.T) {
	faults := []struct {
		name string
		arm  func(*smdomaintest.Server)
	}{
		{"throttle", func(s *smdomaintest.Server) { s.Throttle("CreateDomain", 3) }},
		{"fail", func(s *smdomaintest.Server) { s.Fail("CreateDomain", 3) }},
		{"cut", func(s *smdomaintest.Server) { s.CutConnection("CreateDomain", 1) }},
		{"lose", func(s *smdomaintest.Server) { s.LoseResponse("CreateDomain", 1) }},
	}
	for _, fault := range faults {
		for _, owner := range []string{"", "team-a"} {
			t.Run(fault.name+"/owner="+owner, func(t *testing.T) {
				e := newEnv(t)
				ctx := context.Background()
				const name = "contested"
				theirs := mustSpec(t, name, seedOptions(smdomain.WithSecurityGroups("sg-0fff1234def567890"),
					smdomain.WithTags(map[string]string{"Team": "other"}))...)
				var theirID string
				api := newHookedAPI(e.sm, map[string]func(int){"CreateDomain": func(n int) {
					if n != 1 {
						return
					}
					out, err := e.sm.CreateDomain(ctx, theirs.CreateDomainInput())
					if err != nil {
						t.Error(err)
						return
					}
					theirID = aws.ToString(out.DomainId)
					e.clk.Advance(time.Second) // theirs is the older
					fault.arm(e.srv)
				}})
				opts := []smdomain.ClientOption{smdomain.WithClock(e.clk)}
				if owner != "" {
					opts = append(opts, smdomain.WithOwner(owner))
				}
				c := smdomain.New(api, opts...)
				res, err := c.Ensure(ctx, mustSpec(t, name, seedOptions()...))
				if ids := e.srv.DomainIDs(); len(ids) != 1 || ids[0] != theirID {
					t.Errorf("domains %v, want only theirs (%s)", ids, theirID)
				}
				if owner != "" {
					var noe *smdomain.NotOwnedError
					if !errors.As(err, &noe) || noe.DomainID != theirID {
						t.Fatalf("Ensure WithOwner: %v (result %+v), want *NotOwnedError for %s", err, res, theirID)
					}
					if n := e.count("UpdateDomain") + e.count("AddTags") + e.count("DeleteTags"); n != 0 {
						t.Errorf("wrote to their domain: %v", e.writes())
					}
					return
				}
				if err != nil {
					t.Fatalf("Ensure: %v", err)
				}
				if res.Action != smdomain.ActionUpdated || res.Domain.ID != theirID {
					t.Fatalf("Ensure: %q domain %s, want %q of their %s", res.Action, res.Domain.ID, smdomain.ActionUpdated, theirID)
				}
				if !slices.ContainsFunc(res.Changes, func(c smdomain.Change) bool { return c.Path == "DefaultUserSettings.SecurityGroups" }) {
					t.Errorf("changes %v do not update their security groups", res.Changes)
				}
			})
		}
	}
}

// TestEnsureUnknownCreateFindsItsOwn checks the other side: when the
// create went through and its answer was lost, the domain carrying this
// Ensure's create token is recognised as its own: "created", one
// CreateDomain, one domain.
func TestEnsureUnknownCreateFindsItsOwn(t *testing.T) {
	e := newEnv(t)
	e.srv.LoseResponse("CreateDomain", 1)
	res := mustEnsure(t, e.client, mustSpec(t, "mine", seedOptions()...))
	if res.Action != smdomain.ActionCreated {
		t.Errorf("action %q, want created", res.Action)
	}
	if n := e.count("CreateDomain"); n != 1 {
		t.Errorf("CreateDomain sent %d times, want 1", n)
	}
	if ids := e.srv.DomainIDs(); len(ids) != 1 || ids[0] != res.Domain.ID {
		t.Errorf("domains %v, want %s", ids, res.Domain.ID)
	}
	tags, err := e.sm.ListTags(context.Background(), &sagemaker.ListTagsInput{ResourceArn: aws.String(res.Domain.ARN)})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(tags.Tags, func(tag types.Tag) bool { return aws.ToString(tag.Key) == smdomain.CreateTokenTagKey }) {
		t.Errorf("tags %v: no %s", tags.Tags, smdomain.CreateTokenTagKey)
	}
}

// TestCreateTagsLeaveRoomForToken: a create carries the spec's tags, the
// owner tag (WithOwner) and the create token, and the service takes at
// most 50. A spec that leaves no room is refused before any write, by
// Plan and Ensure alike; so is a spec that would grow the tags of a
// domain that keeps its token past 50.
func TestCreateTagsLeaveRoomForToken(t *testing.T) {
	tags := func(n int) map[string]string {
		m := map[string]string{}
		for i := range n {
			m[fmt.Sprintf("k%02d", i)] = "v"
		}
		return m
	}
	for _, tt := range []struct {
		name  string
		opts  []smdomain.ClientOption
		tags  int
		fits  bool
		field string
	}{
		{"49 tags and the token", nil, 49, true, ""},
		{"50 tags and the token", nil, 50, false, "Tags"},
		{"48 tags, owner and token", []smdomain.ClientOption{smdomain.WithOwner("team-a")}, 48, true, ""},
		{"49 tags, owner and token", []smdomain.ClientOption{smdomain.WithOwner("team-a")}, 49, false, "Tags"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, tt.opts...)
			spec := mustSpec(t, "many-tags", smdomain.WithExecutionRole(testRole), smdomain.WithTags(tags(tt.tags)))
			_, planErr := e.client.Plan(context.Background(), spec)
			res, err := e.client.Ensure(context.Background(), spec)
			if tt.fits {
				if planErr != nil || err != nil {
					t.Fatalf("Plan: %v; Ensure: %v", planErr, err)
				}
				if n := len(liveTags(t, e, res.Domain.ARN)); n != tt.tags+len(tt.opts) {
					t.Errorf("%d tags besides the token, want %d", n, tt.tags+len(tt.opts))
				}
				return
			}
			for _, err := range []error{planErr, err} {
				var ve *smdomain.ValidationError
				if !errors.As(err, &ve) || !ve.Has(tt.field, smdomain.RuleCount) {
					t.Errorf("%v, want a *ValidationError counting %s", err, tt.field)
				}
			}
			if w := e.writes(); len(w) != 0 {
				t.Errorf("wrote %v", w)
			}
		})
	}
	t.Run("growing past 50 with the token kept", func(t *testing.T) {
		e := newEnv(t)
		mustEnsure(t, e.client, mustSpec(t, "many-tags", smdomain.WithExecutionRole(testRole), smdomain.WithTags(tags(49))))
		e.srv.ResetCalls()
		_, err := e.client.Ensure(context.Background(), mustSpec(t, "many-tags", smdomain.WithExecutionRole(testRole),
			smdomain.WithSecurityGroups("sg-0fff1234def567890"), smdomain.WithTags(tags(50))))
		var ve *smdomain.ValidationError
		if !errors.As(err, &ve) || !ve.Has("Tags", smdomain.RuleCount) {
			t.Errorf("Ensure: %v, want a *ValidationError counting Tags", err)
		}
		if w := e.writes(); len(w) != 0 {
			t.Errorf("wrote %v, want nothing (not even the UpdateDomain)", w)
		}
	})
}

// TestEnsureRaceListingFaults arms each fault on the listing that settles
// a race, made after the new domain is InService: the listing is tried
// again past the SDK's own retries, and when it still fails the Ensure
// fails with the SDK's typed error and leaves the domain, which a fresh
// Ensure finds as its own: one domain, one CreateDomain.
func TestEnsureRaceListingFaults(t *testing.T) {
	for _, fault := range []struct {
		name      string
		arm       func(*smdomaintest.Server)
		converges bool
	}{
		{"throttle3", func(s *smdomaintest.Server) { s.Throttle("ListDomains", 3) }, true},
		{"fail500x5", func(s *smdomaintest.Server) { s.Fail("ListDomains", 5) }, true},
		{"cut", func(s *smdomaintest.Server) { s.CutConnection("ListDomains", 1) }, true},
		{"lose", func(s *smdomaintest.Server) { s.LoseResponse("ListDomains", 1) }, true},
		{"throttled for good", func(s *smdomaintest.Server) { s.Throttle("ListDomains", 1000) }, false},
	} {
		t.Run(fault.name, func(t *testing.T) {
			e := newEnv(t)
			api := newHookedAPI(e.sm, map[string]func(int){"ListDomains": func(n int) {
				if n == 2 {
					fault.arm(e.srv)
				}
			}})
			spec := mustSpec(t, "listed", seedOptions()...)
			res, err := smdomain.New(api, smdomain.WithClock(e.clk)).Ensure(context.Background(), spec)
			e.srv.Throttle("ListDomains", 0)
			if fault.converges {
				if err != nil || res.Action != smdomain.ActionCreated {
					t.Fatalf("Ensure: %v, want created", err)
				}
			} else {
				var oe *smithy.OperationError
				if !errors.As(err, &oe) || oe.Operation() != "ListDomains" {
					t.Fatalf("Ensure: %v, want the SDK's ListDomains error", err)
				}
				if res := mustEnsure(t, e.newClient(), spec); res.Action != smdomain.ActionUnchanged {
					t.Errorf("fresh Ensure: %q, want unchanged", res.Action)
				}
			}
			if ids := e.srv.DomainIDs(); len(ids) != 1 || e.count("CreateDomain") != 1 {
				t.Errorf("domains %v after %d CreateDomain, want one after one", ids, e.count("CreateDomain"))
			}
		})
	}
}
