package smdomain_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/finegrained/smdomain"
)

func TestGetAndDelete(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if _, err := e.client.Get(ctx, smdomain.ByName("nothing")); !errors.Is(err, smdomain.ErrNotFound) {
		t.Fatalf("Get missing: %v, want ErrNotFound", err)
	}
	res, err := e.client.Delete(ctx, smdomain.ByName("nothing"))
	if err != nil || res.Action != smdomain.ActionUnchanged {
		t.Fatalf("Delete missing: %v %v, want unchanged", res, err)
	}
	created := mustEnsure(t, e.client, mustSpec(t, "doomed", seedOptions()...))
	got, err := e.client.Get(ctx, smdomain.ByName("doomed"))
	if err != nil || got.ID != created.Domain.ID {
		t.Fatalf("Get: %v %v", got, err)
	}
	e.srv.ResetCalls()
	res, err = e.client.Delete(ctx, smdomain.ByName("doomed"), smdomain.WithDeleteHomeEFS())
	if err != nil || res.Action != smdomain.ActionDeleted {
		t.Fatalf("Delete: %v %v", res, err)
	}
	if ids := e.srv.DomainIDs(); len(ids) != 0 {
		t.Errorf("domains after delete: %v", ids)
	}
	if n := e.count("DeleteDomain"); n != 1 {
		t.Errorf("DeleteDomain calls = %d, want 1", n)
	}
	if p, ok := e.srv.RetentionPolicy(created.Domain.ID); !ok || p != types.RetentionTypeDelete {
		t.Errorf("retention policy sent = %q (%v), want Delete", p, ok)
	}
}

func TestGetAmbiguous(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	spec := mustSpec(t, "twin", seedOptions()...)
	for range 2 {
		if _, err := e.sm.CreateDomain(ctx, spec.CreateDomainInput()); err != nil {
			t.Fatal(err)
		}
	}
	_, err := e.client.Get(ctx, smdomain.ByName("twin"))
	var ae *smdomain.AmbiguousNameError
	if !errors.As(err, &ae) || len(ae.DomainIDs) != 2 {
		t.Fatalf("Get: %v, want *AmbiguousNameError with two IDs", err)
	}
	if _, err := e.client.Ensure(ctx, spec); !errors.As(err, &ae) {
		t.Fatalf("Ensure: %v, want *AmbiguousNameError", err)
	}
}

// Delete by ID deletes that domain even while another has its name, and
// leaves the other alone.
func TestDeleteByID(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	first := mustEnsure(t, e.client, mustSpec(t, "twin", seedOptions()...)).Domain.ID
	in := mustSpec(t, "twin", seedOptions()...).CreateDomainInput()
	if _, err := e.sm.CreateDomain(ctx, in); err != nil {
		t.Fatal(err)
	}
	var amb *smdomain.AmbiguousNameError
	if _, err := e.client.Delete(ctx, smdomain.ByName("twin")); !errors.As(err, &amb) {
		t.Fatalf("Delete by a shared name: %v, want *AmbiguousNameError", err)
	}
	res, err := e.client.Delete(ctx, smdomain.ByID(first))
	if err != nil || res.Action != smdomain.ActionDeleted || res.Domain.ID != first {
		t.Fatalf("Delete by ID: %+v, %v", res, err)
	}
	if ids := e.srv.DomainIDs(); len(ids) != 1 || ids[0] == first {
		t.Errorf("domains after: %v, want only the other", ids)
	}
	if res, err := e.client.Delete(ctx, smdomain.ByID(first)); err != nil || res.Action != smdomain.ActionUnchanged {
		t.Errorf("Delete by a gone ID: %+v, %v; want unchanged", res, err)
	}
}
