package smdomaintest_test

import (
	"context"
	"math"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/finegrained/smdomain/smdomaintest"
)

// TestThroughputInVirtualTime is the workload of a benchmark, at a size a
// test can afford: 8 goroutines make 200 DescribeDomain calls between
// them through the SDK and the in-memory transport, each answered after
// 100ms, under a limit of 10 calls a second (burst 1), sleeping on the
// VirtualClock when throttled and trying again. The limit is what bounds
// them, so the calls take 200/10 = 20 virtual seconds, where the sleeps
// of a FakeClock would have added up to far more.
func TestThroughputInVirtualTime(t *testing.T) {
	const (
		workers = 8
		total   = 200
		rate    = 10.0
		latency = 100 * time.Millisecond
		backoff = 10 * time.Millisecond
	)
	clock := smdomaintest.NewVirtualClock(epoch0)
	e := smdomaintest.NewEmulator(smdomaintest.WithClock(clock), smdomaintest.WithLatency(latency))
	c := sagemaker.NewFromConfig(e.InMemoryAWSConfig(), func(o *sagemaker.Options) { o.RetryMaxAttempts = 1 })
	id := mustCreate(t, c, minimalCreate("busy")).DomainId
	e.SetOperationRateLimit("DescribeDomain", rate, 1)
	e.ResetCalls()

	realStart, start := time.Now(), clock.Now()
	var left atomic.Int64
	left.Store(total)
	var throttled atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for left.Add(-1) >= 0 {
				for {
					_, err := c.DescribeDomain(context.Background(), &sagemaker.DescribeDomainInput{DomainId: id})
					if err == nil {
						break
					}
					if apiCode(err) != "ThrottlingException" {
						t.Errorf("DescribeDomain: %v", err)
						return
					}
					throttled.Add(1)
					if err := clock.Sleep(context.Background(), backoff); err != nil {
						t.Error(err)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	elapsed, real := clock.Now().Sub(start), time.Since(realStart)

	want := time.Duration(total / rate * float64(time.Second))
	t.Logf("%d calls (%d throttled) by %d goroutines: %v of virtual time (%.2f calls a second), %v of real time",
		total, throttled.Load(), workers, elapsed, total/elapsed.Seconds(), real)
	if off := math.Abs(elapsed.Seconds()-want.Seconds()) / want.Seconds(); off > 0.03 {
		t.Errorf("the calls took %v of virtual time, want %v within 3%%", elapsed, want)
	}
	admitted := 0
	for _, call := range e.Calls() {
		if call.Operation == "DescribeDomain" && call.StatusCode == 200 {
			admitted++
		}
	}
	if admitted != total {
		t.Errorf("%d DescribeDomain calls answered 200, want %d", admitted, total)
	}
}
