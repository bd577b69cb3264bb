package smdomain_test

import (
	"context"
	"testing"

	"github.com/finegrained/smdomain"
)

// BenchmarkMembers measures, from a fresh Client against an emulator whose
// transitions are instant, what one member costs: onboarding a user
// profile with its own role into an existing domain, changing that role in
// place, and offboarding it (no apps or spaces), each through
// EnsureMember or RemoveMember; and a no-op Ensure of a domain with 100
// declared user profiles and 50 shared spaces, whose calls are reads only.
func BenchmarkMembers(b *testing.B) {
	ctx := context.Background()
	setup := func(b *testing.B) (*env, smdomain.DomainRef) {
		e := newInstantEnv(b)
		id := mustEnsure(b, e.client, mustSpec(b, "bench-members", seedOptions()...)).Domain.ID
		return e, smdomain.ByID(id)
	}
	measure := func(b *testing.B, e *env, op func(c *smdomain.Client) error, reset func()) {
		calls, bytes := 0, 0
		for b.Loop() {
			c := e.newClient()
			e.srv.ResetCalls()
			if err := op(c); err != nil {
				b.Fatal(err)
			}
			n, by := callFigures(e.srv.Calls())
			calls, bytes = calls+n, bytes+by
			reset()
		}
		reportCalls(b, calls, bytes)
	}
	alice := mustProfile(b, "alice", smdomain.WithExecutionRole(aliceRole))
	changed := mustProfile(b, "alice", smdomain.WithExecutionRole(bobRole))
	b.Run("create", func(b *testing.B) {
		e, ref := setup(b)
		measure(b, e, func(c *smdomain.Client) error {
			_, err := c.EnsureMember(ctx, ref, alice)
			return err
		}, func() {
			if _, err := e.client.RemoveMember(ctx, ref, smdomain.KindUserProfile, "alice"); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("one-field-update", func(b *testing.B) {
		e, ref := setup(b)
		if _, err := e.client.EnsureMember(ctx, ref, alice); err != nil {
			b.Fatal(err)
		}
		flip := []*smdomain.UserProfileSpec{changed, alice}
		i := 0
		measure(b, e, func(c *smdomain.Client) error {
			res, err := c.EnsureMember(ctx, ref, flip[i%2])
			if err == nil && res.Action != smdomain.ActionUpdated {
				b.Fatalf("action %q", res.Action)
			}
			i++
			return err
		}, func() {})
	})
	b.Run("offboard", func(b *testing.B) {
		e, ref := setup(b)
		onboard := func() {
			if _, err := e.client.EnsureMember(ctx, ref, alice); err != nil {
				b.Fatal(err)
			}
		}
		onboard()
		measure(b, e, func(c *smdomain.Client) error {
			_, err := c.RemoveMember(ctx, ref, smdomain.KindUserProfile, "alice")
			return err
		}, onboard)
	})
	b.Run("no-op-100-members", func(b *testing.B) {
		e := newInstantEnv(b)
		spec := cohort(b, "bench-cohort", 100, userRole)
		mustEnsure(b, e.client, spec)
		measure(b, e, func(c *smdomain.Client) error {
			res, err := c.Ensure(ctx, spec)
			if err == nil && res.Action != smdomain.ActionUnchanged {
				b.Fatalf("action %q", res.Action)
			}
			return err
		}, func() {})
	})
}
