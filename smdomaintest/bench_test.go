package smdomaintest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/finegrained/smdomain/smdomaintest"
)

const jsonType = "application/x-amz-json-1.1"

// benchEmulator returns an emulator configured by opts holding domains
// domains of members user profiles each, made through its handler, and
// the last domain's ID.
func benchEmulator(b *testing.B, domains, members int, opts ...smdomaintest.Option) (*smdomaintest.Emulator, string) {
	b.Helper()
	e := smdomaintest.NewEmulator(append([]smdomaintest.Option{smdomaintest.WithClock(smdomaintest.NewFakeClock(epoch0)), smdomaintest.WithDomainQuota(0)}, opts...)...)
	var id string
	for d := range domains {
		w := fuzzServe(e, "SageMaker.CreateDomain", jsonType,
			fmt.Appendf(nil, `{"DomainName":"d%d","AuthMode":"IAM","DefaultUserSettings":{"ExecutionRole":%q}}`, d, role))
		var out struct{ DomainId string }
		if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil || w.Code != http.StatusOK {
			b.Fatalf("CreateDomain: HTTP %d %s", w.Code, w.Body)
		}
		id = out.DomainId
		for m := range members {
			if w := fuzzServe(e, "SageMaker.CreateUserProfile", jsonType, fmt.Appendf(nil, `{"DomainId":%q,"UserProfileName":"u%d"}`, id, m)); w.Code != http.StatusOK {
				b.Fatalf("CreateUserProfile: HTTP %d %s", w.Code, w.Body)
			}
		}
	}
	return e, id
}

// BenchmarkRequestCost measures what one request costs the emulator (its
// handler, without HTTP) with 1 domain and with 1,000 domains of 5 user
// profiles each: a DescribeDomain, a ListUserProfiles page of one domain,
// and pages of every profile, the first and one halfway through. The
// resources metric is how many the emulator holds; the cost per request
// should not grow with it.
func BenchmarkRequestCost(b *testing.B) {
	for _, domains := range []int{1, 1000} {
		const members = 5
		e, id := benchEmulator(b, domains, members)
		// The token halfway through the listing of every profile.
		var half struct{ NextToken string }
		for range domains * members / 2 / 100 {
			w := fuzzServe(e, "SageMaker.ListUserProfiles", jsonType, fmt.Appendf(nil, `{"MaxResults":100,"NextToken":%q}`, half.NextToken))
			if err := json.Unmarshal(w.Body.Bytes(), &half); err != nil {
				b.Fatal(err)
			}
		}
		for _, r := range []struct{ name, target, body string }{
			{"DescribeDomain", "SageMaker.DescribeDomain", fmt.Sprintf(`{"DomainId":%q}`, id)},
			{"ListUserProfiles/domain", "SageMaker.ListUserProfiles", fmt.Sprintf(`{"DomainIdEquals":%q}`, id)},
			{"ListUserProfiles/all/first", "SageMaker.ListUserProfiles", `{"MaxResults":10}`},
			{"ListUserProfiles/all/halfway", "SageMaker.ListUserProfiles", fmt.Sprintf(`{"MaxResults":10,"NextToken":%q}`, half.NextToken)},
		} {
			if r.name == "ListUserProfiles/all/halfway" && half.NextToken == "" {
				continue // one domain's profiles are one page
			}
			b.Run(fmt.Sprintf("%s/domains=%d", r.name, domains), func(b *testing.B) {
				b.ReportAllocs()
				body := []byte(r.body)
				for b.Loop() {
					if w := fuzzServe(e, r.target, jsonType, body); w.Code != http.StatusOK {
						b.Fatalf("HTTP %d %s", w.Code, w.Body)
					}
				}
				b.ReportMetric(float64(domains*(1+members)), "resources")
			})
		}
	}
}

// BenchmarkRateLimit measures what the rate limit adds to a DescribeDomain
// (handler only, no HTTP) with 1 and 1,000 domains of 5 user profiles:
// no limit; a limit every call is within (the virtual clock moves one
// interval a call); and a limit every call is over. The limiter keeps one
// bucket per operation and no history, so none of the three grows with
// the resources held or the calls made.
func BenchmarkRateLimit(b *testing.B) {
	const rate = 1000.0
	interval := time.Duration(float64(time.Second) / rate)
	for _, domains := range []int{1, 1000} {
		for _, r := range []struct {
			name    string
			limit   smdomaintest.Option
			advance time.Duration
			status  int
		}{
			{"off", nil, 0, http.StatusOK},
			{"admitted", smdomaintest.WithOperationRateLimit("DescribeDomain", rate, 1), interval, http.StatusOK},
			{"refused", smdomaintest.WithOperationRateLimit("DescribeDomain", rate, 1), 0, http.StatusBadRequest},
		} {
			clock := smdomaintest.NewFakeClock(epoch0)
			e, id := benchEmulator(b, domains, 5, smdomaintest.WithClock(clock), r.limit)
			body := fmt.Appendf(nil, `{"DomainId":%q}`, id)
			fuzzServe(e, "SageMaker.DescribeDomain", jsonType, body) // takes the one token
			b.Run(fmt.Sprintf("%s/domains=%d", r.name, domains), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					clock.Advance(r.advance)
					if w := fuzzServe(e, "SageMaker.DescribeDomain", jsonType, body); w.Code != r.status {
						b.Fatalf("HTTP %d %s, want %d", w.Code, w.Body, r.status)
					}
				}
			})
		}
	}
}
