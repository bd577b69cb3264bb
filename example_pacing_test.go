package smdomain_test

import (
	"context"
	"fmt"

	"github.com/finegrained/smdomain"
	"github.com/finegrained/smdomain/smdomaintest"
)

// A cohort of 30 users against a service that takes 2 CreateUserProfile a
// second: the throttles slow the Client down and fail nothing. Progress
// reports the batch as it goes; Pace says what the Client learnt.
func ExampleWithProgress() {
	clock := smdomaintest.NewFakeClock(exampleStart)
	srv := smdomaintest.NewServer(smdomaintest.WithClock(clock),
		smdomaintest.WithOperationRateLimit("CreateUserProfile", 2, 2))
	defer srv.Close()
	var profiles []*smdomain.UserProfileSpec
	for i := range 30 {
		p, err := smdomain.NewUserProfileSpec(fmt.Sprintf("user-%02d", i),
			smdomain.WithExecutionRole(fmt.Sprintf("arn:aws:iam::123456789012:role/user-%02d", i)))
		if err != nil {
			fmt.Println(err)
			return
		}
		profiles = append(profiles, p)
	}
	spec, err := smdomain.NewSpec("cohort", smdomain.WithExecutionRole(role), smdomain.WithUserProfiles(profiles...))
	if err != nil {
		fmt.Println(err)
		return
	}
	client := smdomain.NewFromConfig(srv.AWSConfig(), smdomain.WithClock(clock),
		smdomain.WithProgress(func(p smdomain.Progress) {
			if p.Done%10 == 0 {
				fmt.Printf("%s: %d of %d\n", p.Doing, p.Done, p.Total)
			}
		}))

	res, err := client.Ensure(context.Background(), spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("members:", len(res.Members))
	for _, s := range client.Pace() {
		if s.Operation == "CreateUserProfile" {
			fmt.Println(s.Operation, "accepted:", s.Accepted, "paced:", s.Rate > 0, "throttled at least once:", s.Throttled > 0)
		}
	}
	// Output:
	// user profiles: 10 of 30
	// user profiles: 20 of 30
	// user profiles: 30 of 30
	// members: 30
	// CreateUserProfile accepted: 30 paced: true throttled at least once: true
}
