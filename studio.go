package smdomain

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/finegrained/smdomain/internal/model"
)

// The defaults of StudioURL: tighter than the service's own (a URL valid
// 5 minutes, as the service's default; a session of 1 hour, against the
// service's 12).
const (
	DefaultStudioURLLifetime = 5 * time.Minute
	DefaultStudioSession     = time.Hour
)

// StudioURLOption configures StudioURL.
type StudioURLOption func(*studioURLOptions)

type studioURLOptions struct {
	lifetime, session time.Duration
	space, landingURI string
}

// WithURLLifetime sets how long the URL may be used to sign in
// (ExpiresInSeconds): whole seconds from 5 s to 5 minutes, as the service
// allows. Default DefaultStudioURLLifetime (5 minutes).
func WithURLLifetime(d time.Duration) StudioURLOption {
	return func(o *studioURLOptions) { o.lifetime = d }
}

// WithSessionDuration sets how long the Studio session the URL opens lasts
// (SessionExpirationDurationInSeconds): whole seconds from 30 minutes to
// 12 hours, as the service allows. Default DefaultStudioSession (1 hour).
func WithSessionDuration(d time.Duration) StudioURLOption {
	return func(o *studioURLOptions) { o.session = d }
}

// WithStudioSpace makes the URL open the named space (SpaceName). Default:
// none, and Studio opens its home page.
func WithStudioSpace(name string) StudioURLOption {
	return func(o *studioURLOptions) { o.space = name }
}

// WithLandingURI sets where Studio lands (LandingUri: "studio::",
// "app:JupyterLab:", ...). Default: unset, and the user profile's
// DefaultLandingUri stands.
func WithLandingURI(uri string) StudioURLOption {
	return func(o *studioURLOptions) { o.landingURI = uri }
}

// AuthModeError is returned by StudioURL for a domain whose users sign in
// through IAM Identity Center: the service makes presigned URLs for IAM
// domains only. Nothing was sent for the URL.
type AuthModeError struct {
	DomainID string
	AuthMode string
}

// Error names the domain and its auth mode.
func (e *AuthModeError) Error() string {
	return fmt.Sprintf("domain %s uses auth mode %s: presigned Studio URLs are for IAM domains only; its users sign in through IAM Identity Center",
		e.DomainID, e.AuthMode)
}

// seconds is d in whole seconds, saturated to what an int32 holds so that
// the service's bounds, not an overflow, judge it.
func seconds(d time.Duration) *int32 {
	s := max(min(int64(d/time.Second), math.MaxInt32), math.MinInt32)
	return aws.Int32(int32(s))
}

// StudioURL returns a presigned URL that signs userProfile in to Studio
// (CreatePresignedDomainUrl), valid for WithURLLifetime and opening a
// session of WithSessionDuration: 5 minutes and 1 hour unless set. Whoever
// holds the URL is signed in as the user until it expires, so treat it as
// a credential: smdomain never logs it. A lifetime or session outside the
// service's bounds is a *ValidationError before any call; an SSO domain is
// an *AuthModeError; a missing domain wraps ErrNotFound; a missing profile
// or space is the service's *types.ResourceNotFound.
func (c *Client) StudioURL(ctx context.Context, domain DomainRef, userProfile string, opts ...StudioURLOption) (string, error) {
	o := studioURLOptions{lifetime: DefaultStudioURLLifetime, session: DefaultStudioSession}
	for _, fn := range opts {
		fn(&o)
	}
	in := &sagemaker.CreatePresignedDomainUrlInput{
		UserProfileName:                    aws.String(userProfile),
		ExpiresInSeconds:                   seconds(o.lifetime),
		SessionExpirationDurationInSeconds: seconds(o.session),
	}
	if o.space != "" {
		in.SpaceName = aws.String(o.space)
	}
	if o.landingURI != "" {
		in.LandingUri = aws.String(o.landingURI)
	}
	var problems []FieldError
	for _, p := range model.ValidateInput("CreatePresignedDomainUrl", encodeMap(in)) {
		if p.Path != "DomainId" {
			problems = append(problems, fromModel(p))
		}
	}
	for _, d := range []struct {
		field string
		v     time.Duration
	}{{"ExpiresInSeconds", o.lifetime}, {"SessionExpirationDurationInSeconds", o.session}} {
		if d.v%time.Second != 0 {
			problems = append(problems, FieldError{Field: d.field, Rule: RuleRange, Value: d.v.String(), Detail: "must be whole seconds"})
		}
	}
	if len(problems) > 0 {
		return "", &ValidationError{Problems: problems, What: "Studio URL request"}
	}
	live, err := c.lookup(ctx, domain)
	if err != nil {
		return "", err
	}
	id := aws.ToString(live.DomainId)
	if live.AuthMode != types.AuthModeIam {
		return "", &AuthModeError{DomainID: id, AuthMode: string(live.AuthMode)}
	}
	in.DomainId = aws.String(id)
	out, err := c.api.CreatePresignedDomainUrl(ctx, in)
	if err != nil {
		return "", fmt.Errorf("presigned URL for user profile %q in domain %s: %w", userProfile, id, err)
	}
	return aws.ToString(out.AuthorizedUrl), nil
}
