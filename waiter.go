package smdomain

import (
	"context"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
)

// DescribeDomainAPIClient is the one call the domain waiters make.
type DescribeDomainAPIClient interface {
	DescribeDomain(context.Context, *sagemaker.DescribeDomainInput, ...func(*sagemaker.Options)) (*sagemaker.DescribeDomainOutput, error)
}

var _ DescribeDomainAPIClient = (*sagemaker.Client)(nil)

// WaitProgress is reported after each poll of a waiter.
type WaitProgress struct {
	DomainID string
	Status   string // as DescribeDomain reported it; "" when the domain is gone
	Attempt  int    // 1 for the first poll
	Elapsed  time.Duration
}

// DomainInServiceWaiterOptions configures a DomainInServiceWaiter.
type DomainInServiceWaiterOptions struct {
	// ClientOptions are passed to every DescribeDomain call.
	ClientOptions []func(*sagemaker.Options)
	// MinDelay is the shortest wait between polls.
	MinDelay time.Duration
	// MaxDelay is the longest wait between polls.
	MaxDelay time.Duration
	// LogWaitAttempts logs every poll to Logger at Info level.
	LogWaitAttempts bool
	// Logger receives progress. Default: nothing is logged.
	Logger *slog.Logger
	// Clock is the time source. Default: the real clock.
	Clock Clock
	// Progress, when set, is called after every poll.
	Progress func(WaitProgress)
	// Retryable decides after each poll whether to poll again (true), stop
	// successfully (false, nil) or stop with an error.
	Retryable func(context.Context, *sagemaker.DescribeDomainInput, *sagemaker.DescribeDomainOutput, error) (bool, error)
}
