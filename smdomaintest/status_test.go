package smdomaintest_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/finegrained/smdomain/smdomaintest"
	"github.com/google/go-cmp/cmp"
)

func TestStatusTransitionsOnFakeClock(t *testing.T) {
	const (
		createDelay = 5 * time.Minute
		updateDelay = 3 * time.Minute
		deleteDelay = 2 * time.Minute
	)
	srv, c, clock := newTest(t,
		smdomaintest.WithCreateDelay(createDelay),
		smdomaintest.WithUpdateDelay(updateDelay),
		smdomaintest.WithDeleteDelay(deleteDelay))
	ctx := context.Background()
	id := mustCreate(t, c, minimalCreate("lifecycle")).DomainId

	// status reads the domain's status, or "gone".
	status := func() string {
		out, err := c.DescribeDomain(ctx, &sagemaker.DescribeDomainInput{DomainId: id})
		var nf *types.ResourceNotFound
		if errorsAs(err, &nf) {
			return "gone"
		}
		if err != nil {
			t.Fatal(err)
		}
		return string(out.Status)
	}
	update := func() {
		t.Helper()
		_, err := c.UpdateDomain(ctx, &sagemaker.UpdateDomainInput{DomainId: id, TagPropagation: types.TagPropagationEnabled})
		if err != nil {
			t.Fatalf("UpdateDomain: %v", err)
		}
	}
	del := func() {
		t.Helper()
		if _, err := c.DeleteDomain(ctx, &sagemaker.DeleteDomainInput{DomainId: id}); err != nil {
			t.Fatalf("DeleteDomain: %v", err)
		}
	}

	steps := []struct {
		name    string
		do      func()
		advance time.Duration
		want    string
	}{
		{"just created", nil, 0, "Pending"},
		{"create almost done", nil, createDelay - time.Second, "Pending"},
		{"create done", nil, time.Second, "InService"},
		{"update sent", update, 0, "Updating"},
		{"update almost done", nil, updateDelay - time.Millisecond, "Updating"},
		{"update done", nil, time.Millisecond, "InService"},
		{"delete sent", del, 0, "Deleting"},
		{"delete almost done", nil, deleteDelay - time.Second, "Deleting"},
		{"delete done", nil, time.Second, "gone"},
	}
	var got, want []string
	for _, s := range steps {
		if s.do != nil {
			s.do()
		}
		clock.Advance(s.advance)
		got = append(got, s.name+": "+status())
		want = append(want, s.name+": "+s.want)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	if ids := srv.DomainIDs(); len(ids) != 0 {
		t.Errorf("DomainIDs after delete = %v, want none", ids)
	}
}

func TestLastModifiedTimeFollowsTransitions(t *testing.T) {
	_, c, clock := newTest(t, smdomaintest.WithCreateDelay(time.Minute), smdomaintest.WithUpdateDelay(time.Minute))
	id := *mustCreate(t, c, minimalCreate("times")).DomainId
	clock.Advance(10 * time.Minute)
	d := mustDescribe(t, c, id)
	got := []time.Time{*d.CreationTime, *d.LastModifiedTime}
	want := []time.Time{epoch0, epoch0.Add(time.Minute)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CreationTime, LastModifiedTime (-want +got):\n%s", diff)
	}
}

func TestWritesRefusedByStatus(t *testing.T) {
	tests := []struct {
		status     string // "" leaves the domain Pending
		wantUpdate string // error code, "" for success
		wantDelete string
	}{
		{"", "ResourceInUse", "ResourceInUse"},
		{"Updating", "ResourceInUse", "ResourceInUse"},
		{"InService", "", ""},
		{"Update_Failed", "", ""},
		{"Failed", "ResourceInUse", ""},
		{"Delete_Failed", "ResourceInUse", ""},
		{"Deleting", "ResourceInUse", ""},
	}
	for _, tt := range tests {
		t.Run(tt.status, func(t *testing.T) {
			srv, c, _ := newTest(t, smdomaintest.WithCreateDelay(time.Hour), smdomaintest.WithUpdateDelay(time.Hour), smdomaintest.WithDeleteDelay(time.Hour))
			ctx := context.Background()
			id := mustCreate(t, c, minimalCreate("status")).DomainId
			if tt.status != "" {
				if err := srv.SetDomainStatus(*id, tt.status, ""); err != nil {
					t.Fatal(err)
				}
			}
			_, err := c.UpdateDomain(ctx, &sagemaker.UpdateDomainInput{DomainId: id, TagPropagation: types.TagPropagationEnabled})
			if got := apiCode(err); got != tt.wantUpdate {
				t.Errorf("UpdateDomain in %s: code %q (%v), want %q", tt.status, got, err, tt.wantUpdate)
			}
			var inUse *types.ResourceInUse
			if tt.wantUpdate == "ResourceInUse" && !errorsAs(err, &inUse) {
				t.Errorf("UpdateDomain error %T is not *types.ResourceInUse", err)
			}
			if err := srv.SetDomainStatus(*id, orPending(tt.status), ""); err != nil {
				t.Fatal(err)
			}
			_, err = c.DeleteDomain(ctx, &sagemaker.DeleteDomainInput{DomainId: id})
			if got := apiCode(err); got != tt.wantDelete {
				t.Errorf("DeleteDomain in %s: code %q (%v), want %q", tt.status, got, err, tt.wantDelete)
			}
		})
	}
}

func orPending(s string) string {
	if s == "" {
		return "Pending"
	}
	return s
}

func TestSetDomainStatus(t *testing.T) {
	srv, c, _ := newTest(t)
	id := *mustCreate(t, c, minimalCreate("fails")).DomainId
	if err := srv.SetDomainStatus(id, "Failed", "The VPC has no route to the internet"); err != nil {
		t.Fatal(err)
	}
	d := mustDescribe(t, c, id)
	got := []string{string(d.Status), aws.ToString(d.FailureReason)}
	if diff := cmp.Diff([]string{"Failed", "The VPC has no route to the internet"}, got); diff != "" {
		t.Errorf("status, reason (-want +got):\n%s", diff)
	}
	if err := srv.SetDomainStatus(id, "Broken", ""); err == nil {
		t.Error("SetDomainStatus accepted an unknown status")
	}
	if err := srv.SetDomainStatus("d-000000000000", "Failed", ""); err == nil {
		t.Error("SetDomainStatus accepted an unknown domain")
	}
	// An update from Update_Failed clears the reason.
	if err := srv.SetDomainStatus(id, "Update_Failed", "bad role"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateDomain(context.Background(), &sagemaker.UpdateDomainInput{DomainId: &id, TagPropagation: types.TagPropagationEnabled}); err != nil {
		t.Fatal(err)
	}
	if d := mustDescribe(t, c, id); d.FailureReason != nil {
		t.Errorf("FailureReason after a successful update = %q, want none", *d.FailureReason)
	}
}

func TestFakeClock(t *testing.T) {
	clock := smdomaintest.NewFakeClock(epoch0)
	if err := clock.Sleep(context.Background(), 10*time.Minute); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Second)
	clock.Advance(-time.Hour) // ignored
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := clock.Sleep(ctx, time.Hour); err != context.Canceled {
		t.Errorf("Sleep with a cancelled ctx = %v, want context.Canceled", err)
	}
	if diff := cmp.Diff(epoch0.Add(10*time.Minute+time.Second), clock.Now()); diff != "" {
		t.Errorf("Now (-want +got):\n%s", diff)
	}
}
