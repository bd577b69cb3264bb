package smdomain_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/finegrained/smdomain"
)

// TestDeleteOnlyWhatItResolved creates a new domain with the name while
// Delete waits for the old one to go: the new one must survive, and the
// Result must describe the old one.
func TestDeleteOnlyWhatItResolved(t *testing.T) {
	ctx := context.Background()
	var newID string
	var e *env
	e = newEnv(t, smdomain.WithWaitOptions(func(o *smdomain.DomainInServiceWaiterOptions) {
		o.Progress = func(p smdomain.WaitProgress) {
			if newID != "" || p.Status != string(types.DomainStatusDeleting) {
				return
			}
			out, err := e.sm.CreateDomain(ctx, mustSpec(t, "reused", seedOptions()...).CreateDomainInput())
			if err != nil {
				t.Error(err)
				return
			}
			newID = aws.ToString(out.DomainId)
		}
	}))
	old := mustEnsure(t, e.newClient(), mustSpec(t, "reused", seedOptions()...)).Domain
	res, err := e.client.Delete(ctx, smdomain.ByName("reused"))
	if err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if newID == "" {
		t.Fatal("the new domain was never created")
	}
	if ids := e.srv.DomainIDs(); len(ids) != 1 || ids[0] != newID {
		t.Errorf("domains after Delete: %v, want the new %s kept", ids, newID)
	}
	if res.Action != smdomain.ActionDeleted || res.Domain == nil || res.Domain.ID != old.ID {
		t.Errorf("Delete: %q %+v, want deleted %s", res.Action, res.Domain, old.ID)
	}
	if n := e.count("DeleteDomain"); n != 1 {
		t.Errorf("DeleteDomain sent %d times, want 1", n)
	}
}

// TestDeleteReportsRetainedHomeEFS checks what Delete says of the home
// EFS volume: retained by default, deleted WithDeleteHomeEFS, and, when
// someone else's DeleteDomain with Retain is already under way, retained
// even WithDeleteHomeEFS: the Result says so and so does a typed error.
func TestDeleteReportsRetainedHomeEFS(t *testing.T) {
	tests := []struct {
		name        string
		othersFirst bool // someone else's DeleteDomain (Retain) is under way
		opts        []smdomain.DeleteOption
		retained    bool
		wantErr     bool
	}{
		{name: "default retains", retained: true},
		{name: "WithDeleteHomeEFS deletes", opts: []smdomain.DeleteOption{smdomain.WithDeleteHomeEFS()}},
		{name: "already deleting, retained", othersFirst: true, retained: true},
		{name: "already deleting with Retain, WithDeleteHomeEFS", othersFirst: true,
			opts: []smdomain.DeleteOption{smdomain.WithDeleteHomeEFS()}, retained: true, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			ctx := context.Background()
			d := mustEnsure(t, e.client, mustSpec(t, "volume", seedOptions()...)).Domain
			if tt.othersFirst {
				if _, err := e.sm.DeleteDomain(ctx, &sagemaker.DeleteDomainInput{DomainId: aws.String(d.ID),
					RetentionPolicy: &types.RetentionPolicy{HomeEfsFileSystem: types.RetentionTypeRetain}}); err != nil {
					t.Fatal(err)
				}
			}
			res, err := e.newClient().Delete(ctx, smdomain.ByName("volume"), tt.opts...)
			var re *smdomain.HomeEFSRetainedError
			switch {
			case tt.wantErr && !errors.As(err, &re):
				t.Fatalf("Delete: %v, want *HomeEFSRetainedError", err)
			case tt.wantErr && (re.DomainID != d.ID || re.FileSystemID != d.HomeEFSFileSystemID):
				t.Errorf("HomeEFSRetainedError %+v, want domain %s volume %s", re, d.ID, d.HomeEFSFileSystemID)
			case !tt.wantErr && err != nil:
				t.Fatalf("Delete: %v", err)
			}
			if res == nil || res.Action != smdomain.ActionDeleted {
				t.Fatalf("Delete result %+v, want %q", res, smdomain.ActionDeleted)
			}
			want := ""
			if tt.retained {
				want = d.HomeEFSFileSystemID
			}
			if res.RetainedHomeEFSFileSystemID != want {
				t.Errorf("RetainedHomeEFSFileSystemID %q, want %q", res.RetainedHomeEFSFileSystemID, want)
			}
			if ids := e.srv.DomainIDs(); len(ids) != 0 {
				t.Errorf("domains after Delete: %v", ids)
			}
		})
	}
}

// TestDeleteWaitsOutPending deletes a domain that is still being created:
// Delete waits until it is InService and deletes it, and the poll that saw
// it InService is the description it deletes from, with no DescribeDomain
// of its own in between.
func TestDeleteWaitsOutPending(t *testing.T) {
	ctx := context.Background()
	polls := 0
	e := newEnv(t, smdomain.WithWaitOptions(func(o *smdomain.DomainInServiceWaiterOptions) {
		o.Progress = func(smdomain.WaitProgress) { polls++ }
	}))
	out, err := e.sm.CreateDomain(ctx, mustSpec(t, "young", seedOptions()...).CreateDomainInput())
	if err != nil {
		t.Fatal(err)
	}
	e.srv.ResetCalls()
	res, err := e.client.Delete(ctx, smdomain.ByName("young"))
	if err != nil || res.Action != smdomain.ActionDeleted || res.Domain.ID != aws.ToString(out.DomainId) {
		t.Fatalf("Delete: %+v %v", res, err)
	}
	if res.Domain.Status != string(types.DomainStatusInService) || res.RetainedHomeEFSFileSystemID == "" {
		t.Errorf("Delete's Domain status %q, retained volume %q: want the InService description and its volume",
			res.Domain.Status, res.RetainedHomeEFSFileSystemID)
	}
	ops := e.ops()
	i := slices.Index(ops, "DeleteDomain")
	if i < 0 || slices.Contains(ops[i+1:], "DeleteDomain") {
		t.Fatalf("calls %v, want one DeleteDomain", ops)
	}
	// Before the DeleteDomain: the listing, the description that saw it
	// Pending, and the InService waiter's polls (the deleted waiter's come
	// after it, so every progress report but theirs is counted).
	describes := 0
	for _, op := range ops[:i] {
		if op == "DescribeDomain" {
			describes++
		}
	}
	if after := len(ops) - i - 1; describes != 1+polls-after {
		t.Errorf("%d DescribeDomain before the DeleteDomain, %d polls in all, %d calls after it: %v", describes, polls, after, ops)
	}
	if ids := e.srv.DomainIDs(); len(ids) != 0 {
		t.Errorf("domains after Delete: %v", ids)
	}
}
