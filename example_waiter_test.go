package smdomain_test

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/finegrained/smdomain"
	"github.com/finegrained/smdomain/smdomaintest"
)

// ExampleDomainInServiceWaiter creates a domain on the emulator, where it
// stays Pending for five virtual minutes, and waits for it on the same fake
// clock, so the example takes no real time.
func ExampleDomainInServiceWaiter() {
	clock := smdomaintest.NewFakeClock(time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC))
	srv := smdomaintest.NewServer(smdomaintest.WithClock(clock), smdomaintest.WithCreateDelay(5*time.Minute))
	defer srv.Close()
	sm := sagemaker.NewFromConfig(srv.AWSConfig())

	ctx := context.Background()
	created, err := sm.CreateDomain(ctx, &sagemaker.CreateDomainInput{
		DomainName:          aws.String("research"),
		AuthMode:            types.AuthModeIam,
		DefaultUserSettings: &types.UserSettings{ExecutionRole: aws.String("arn:aws:iam::123456789012:role/SageMakerExecutionRole")},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	start := clock.Now()
	w := smdomain.NewDomainInServiceWaiter(sm, func(o *smdomain.DomainInServiceWaiterOptions) {
		o.Clock = clock
	})
	out, err := w.WaitForOutput(ctx, &sagemaker.DescribeDomainInput{DomainId: created.DomainId}, 30*time.Minute)
	if err != nil {
		fmt.Println(err) // *smdomain.StatusError for Failed, ErrWaitTimeout, ...
		return
	}
	waited := clock.Now().Sub(start)
	fmt.Println(out.Status)
	fmt.Println("seen within 10s of the change:", waited >= 5*time.Minute && waited <= 5*time.Minute+10*time.Second)
	// Output:
	// InService
	// seen within 10s of the change: true
}

// ExampleDomainDeletedWaiter deletes a domain that takes three virtual
// minutes to go, and waits until DescribeDomain no longer finds it.
func ExampleDomainDeletedWaiter() {
	clock := smdomaintest.NewFakeClock(time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC))
	srv := smdomaintest.NewServer(smdomaintest.WithClock(clock), smdomaintest.WithDeleteDelay(3*time.Minute))
	defer srv.Close()
	sm := sagemaker.NewFromConfig(srv.AWSConfig())

	ctx := context.Background()
	created, err := sm.CreateDomain(ctx, &sagemaker.CreateDomainInput{
		DomainName:          aws.String("scratch"),
		AuthMode:            types.AuthModeIam,
		DefaultUserSettings: &types.UserSettings{ExecutionRole: aws.String("arn:aws:iam::123456789012:role/SageMakerExecutionRole")},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := sm.DeleteDomain(ctx, &sagemaker.DeleteDomainInput{DomainId: created.DomainId}); err != nil {
		fmt.Println(err)
		return
	}
	w := smdomain.NewDomainDeletedWaiter(sm, func(o *smdomain.DomainDeletedWaiterOptions) {
		o.Clock = clock
		o.Progress = func(p smdomain.WaitProgress) {
			if p.Status == "" {
				fmt.Println("seen gone within 10s:", p.Elapsed >= 3*time.Minute && p.Elapsed <= 3*time.Minute+10*time.Second)
			}
		}
	})
	if err := w.Wait(ctx, &sagemaker.DescribeDomainInput{DomainId: created.DomainId}, 10*time.Minute); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("domains left:", len(srv.DomainIDs()))
	// Output:
	// seen gone within 10s: true
	// domains left: 0
}
