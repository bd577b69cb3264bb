package smdomaintest_test

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/finegrained/smdomain/smdomaintest"
)

func TestConcurrentCreateDescribeDelete(t *testing.T) {
	srv, c, clock := newTest(t, smdomaintest.WithDomainQuota(1000), smdomaintest.WithDeleteDelay(time.Minute))
	ctx := context.Background()
	const n = 50
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := c.CreateDomain(ctx, minimalCreate(fmt.Sprintf("c%d", i)))
			if err != nil {
				errs <- err
				return
			}
			d, err := c.DescribeDomain(ctx, &sagemaker.DescribeDomainInput{DomainId: out.DomainId})
			if err != nil {
				errs <- err
				return
			}
			if d.Status != types.DomainStatusInService {
				errs <- fmt.Errorf("%s is %s", *out.DomainId, d.Status)
				return
			}
			if _, err := c.ListDomains(ctx, &sagemaker.ListDomainsInput{}); err != nil {
				errs <- err
				return
			}
			if _, err := c.DeleteDomain(ctx, &sagemaker.DeleteDomainInput{DomainId: out.DomainId}); err != nil {
				errs <- err
			}
			_ = srv.Calls()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := len(srv.DomainIDs()); got != n {
		t.Errorf("%d domains Deleting, want %d", got, n)
	}
	clock.Advance(time.Minute)
	if ids := srv.DomainIDs(); len(ids) != 0 {
		t.Errorf("domains left after the delete delay: %v", ids)
	}
	if got := len(srv.Calls()); got != 4*n {
		t.Errorf("%d calls logged, want %d", got, 4*n)
	}
}

// TestCloseLeavesNoGoroutines checks that Close shuts down the server and
// the connections of clients made from AWSConfig.
func TestCloseLeavesNoGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	srv := smdomaintest.NewServer(smdomaintest.WithClock(smdomaintest.NewFakeClock(epoch0)))
	c := sagemaker.NewFromConfig(srv.AWSConfig())
	mustCreate(t, c, minimalCreate("leak"))
	srv.CutConnection("ListDomains", 1)
	srv.LoseResponse("ListDomains", 1)
	if _, err := c.ListDomains(context.Background(), &sagemaker.ListDomainsInput{}); err != nil {
		t.Fatal(err)
	}
	srv.Close()
	// Connection goroutines notice the close asynchronously: give them a
	// moment of real time (this waits on the runtime, not on the emulator).
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		runtime.Gosched()
		time.Sleep(10 * time.Millisecond)
	}
	if after := runtime.NumGoroutine(); after > before {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines before, %d after Close:\n%s", before, after, buf[:runtime.Stack(buf, true)])
	}
}
