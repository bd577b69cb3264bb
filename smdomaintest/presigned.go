package smdomaintest

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// The defaults of CreatePresignedDomainUrl, as the service documents them.
const (
	defaultURLExpiry       = 300 * time.Second
	defaultSessionDuration = 43200 * time.Second
)

// PresignedURL is what the emulator remembers of a URL that
// CreatePresignedDomainUrl answered, for a test to read back with
// Emulator.PresignedURL.
type PresignedURL struct {
	// URL is the AuthorizedUrl answered:
	// https://<domain-id>.studio.<region>.sagemaker.aws/auth?token=<Token>.
	URL string
	// Token is the URL's token query parameter: 64 random letters and
	// digits, unique among the URLs remembered.
	Token string
	// DomainID is the domain the URL signs in to.
	DomainID string
	// UserProfileName is the user profile the URL signs in as, its name
	// as the profile was created, whatever case the request used.
	UserProfileName string
	// SpaceName is the space the request named; "" for none.
	SpaceName string
	// LandingURI is the request's LandingUri as sent; "" for none.
	LandingURI string
	// Created is when the URL was made, on the emulator's clock.
	Created time.Time
	// Expires is when the URL stops working: Created plus
	// ExpiresInSeconds (300 when not sent).
	Expires time.Time
	// SessionDuration is how long a session begun with the URL lasts:
	// SessionExpirationDurationInSeconds (43200, 12 hours, when not
	// sent).
	SessionDuration time.Duration
}

// PresignedURL returns what the emulator remembers of the presigned URL
// whose token (the token query parameter of the AuthorizedUrl) is token,
// and whether it remembers it. It remembers the newest URLs, as many as
// the call log keeps calls (WithCallLogCapacity, DefaultCallLogCapacity),
// whether or not they have expired.
func (e *Emulator) PresignedURL(token string) (PresignedURL, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	u, ok := e.presigned[token]
	return u, ok
}

// newPresignedToken returns a token no remembered URL has.
func (e *Emulator) newPresignedToken() string {
	for {
		t := randomString(alnum, 64)
		if _, taken := e.presigned[t]; !taken {
			return t
		}
	}
}

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ" + lowerAlnum

func (e *Emulator) createPresignedDomainURL(req *request) (any, *apiError) {
	var in sagemaker.CreatePresignedDomainUrlInput
	if err := checkInput("CreatePresignedDomainUrl", req.doc, &in); err != nil {
		return nil, err
	}
	domainID := aws.ToString(in.DomainId)
	d, err := e.domainForCreate(req, domainID, "presigned URL")
	if err != nil {
		return nil, err
	}
	if d.out.AuthMode != types.AuthModeIam {
		// The service model: "This operation can only be called when the
		// authentication mode equals IAM."
		return nil, errorf(400, "ValidationException", "Domain %s has AuthMode %s: this operation can only be called when the authentication mode equals IAM", domainID, d.out.AuthMode)
	}
	p, err := e.findUserProfile(req, domainID, aws.ToString(in.UserProfileName))
	if err != nil {
		return nil, err
	}
	if in.SpaceName != nil {
		if _, err := e.findSpace(req, domainID, *in.SpaceName); err != nil {
			return nil, err
		}
	}
	u := PresignedURL{
		Token:           e.newPresignedToken(),
		DomainID:        domainID,
		UserProfileName: aws.ToString(p.out.UserProfileName),
		SpaceName:       aws.ToString(in.SpaceName),
		LandingURI:      aws.ToString(in.LandingUri),
		Created:         req.now,
		Expires:         req.now.Add(seconds(in.ExpiresInSeconds, defaultURLExpiry)),
		SessionDuration: seconds(in.SessionExpirationDurationInSeconds, defaultSessionDuration),
	}
	u.URL = aws.ToString(d.out.Url) + "/auth?token=" + u.Token
	if dropped, full := e.presignedOrder.add(u.Token, e.opts.callLogCapacity); full {
		delete(e.presigned, dropped)
	}
	e.presigned[u.Token] = u
	return &sagemaker.CreatePresignedDomainUrlOutput{AuthorizedUrl: aws.String(u.URL)}, nil
}

// seconds returns n seconds, or def when n is nil.
func seconds(n *int32, def time.Duration) time.Duration {
	if n == nil {
		return def
	}
	return time.Duration(*n) * time.Second
}
