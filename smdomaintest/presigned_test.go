package smdomaintest_test

import (
	"bytes"
	"context"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/finegrained/smdomain/smdomaintest"
	"github.com/google/go-cmp/cmp"
)

// presignedDomain returns a test server with an IAM domain holding the
// user profile Alice and the space lab, and the domain's ID.
func presignedDomain(t *testing.T, opts ...smdomaintest.Option) (*smdomaintest.Server, *sagemaker.Client, *smdomaintest.FakeClock, string) {
	t.Helper()
	srv, c, clock := newTest(t, opts...)
	id := aws.ToString(mustCreate(t, c, minimalCreate("studio")).DomainId)
	mustCreateProfile(t, c, id, "Alice")
	mustCreateSpace(t, c, id, "lab", "")
	return srv, c, clock, id
}

// presignedToken returns the token of an AuthorizedUrl, checking the
// URL's form.
func presignedToken(t *testing.T, domainID, authorized string) string {
	t.Helper()
	u, err := url.Parse(authorized)
	if err != nil {
		t.Fatal(err)
	}
	token := u.Query().Get("token")
	if want := "https://" + domainID + ".studio." + smdomaintest.Region + ".sagemaker.aws/auth"; u.Scheme+"://"+u.Host+u.Path != want ||
		!regexp.MustCompile(`^[A-Za-z0-9]{64}$`).MatchString(token) {
		t.Fatalf("AuthorizedUrl %s, want %s?token=<64 letters and digits>", authorized, want)
	}
	return token
}

func TestPresignedURLDefaultsAndSettings(t *testing.T) {
	srv, c, clock, id := presignedDomain(t)
	ctx := context.Background()
	tests := []struct {
		name string
		in   *sagemaker.CreatePresignedDomainUrlInput
		want smdomaintest.PresignedURL
	}{
		{
			name: "defaults",
			in:   &sagemaker.CreatePresignedDomainUrlInput{DomainId: aws.String(id), UserProfileName: aws.String("Alice")},
			want: smdomaintest.PresignedURL{DomainID: id, UserProfileName: "Alice", Created: epoch0,
				Expires: epoch0.Add(300 * time.Second), SessionDuration: 12 * time.Hour},
		},
		{
			name: "lowest bounds, a space and a landing URI, the profile in another case",
			in: &sagemaker.CreatePresignedDomainUrlInput{DomainId: aws.String(id), UserProfileName: aws.String("alice"),
				ExpiresInSeconds: aws.Int32(5), SessionExpirationDurationInSeconds: aws.Int32(1800),
				SpaceName: aws.String("lab"), LandingUri: aws.String("app:JupyterLab:lab/tree")},
			want: smdomaintest.PresignedURL{DomainID: id, UserProfileName: "Alice", SpaceName: "lab", LandingURI: "app:JupyterLab:lab/tree",
				Created: epoch0, Expires: epoch0.Add(5 * time.Second), SessionDuration: 30 * time.Minute},
		},
		{
			name: "highest bounds",
			in: &sagemaker.CreatePresignedDomainUrlInput{DomainId: aws.String(id), UserProfileName: aws.String("ALICE"),
				ExpiresInSeconds: aws.Int32(300), SessionExpirationDurationInSeconds: aws.Int32(43200)},
			want: smdomaintest.PresignedURL{DomainID: id, UserProfileName: "Alice", Created: epoch0,
				Expires: epoch0.Add(300 * time.Second), SessionDuration: 12 * time.Hour},
		},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := c.CreatePresignedDomainUrl(ctx, tt.in)
			if err != nil {
				t.Fatal(err)
			}
			token := presignedToken(t, id, aws.ToString(out.AuthorizedUrl))
			if seen[token] {
				t.Errorf("token %s answered twice", token)
			}
			seen[token] = true
			got, ok := srv.PresignedURL(token)
			if !ok {
				t.Fatalf("PresignedURL(%s) not remembered", token)
			}
			tt.want.URL, tt.want.Token = aws.ToString(out.AuthorizedUrl), token
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("PresignedURL (-want +got):\n%s", diff)
			}
		})
	}
	if _, ok := srv.PresignedURL("no-such-token"); ok {
		t.Error("PresignedURL of an unknown token found one")
	}

	clock.Advance(time.Minute)
	out, err := c.CreatePresignedDomainUrl(ctx, tests[0].in)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := srv.PresignedURL(presignedToken(t, id, aws.ToString(out.AuthorizedUrl))); !got.Expires.Equal(epoch0.Add(time.Minute + 300*time.Second)) {
		t.Errorf("a minute later, Expires = %v, want the clock's time plus 300 s", got.Expires)
	}
}

func TestPresignedURLRefused(t *testing.T) {
	srv, c, clock, id := presignedDomain(t, smdomaintest.WithUpdateDelay(time.Minute))
	ctx := context.Background()
	sso := minimalCreate("sso")
	sso.AuthMode = types.AuthModeSso
	ssoID := aws.ToString(mustCreate(t, c, sso).DomainId)
	busy := aws.ToString(mustCreate(t, c, minimalCreate("busy")).DomainId)
	mustCreateProfile(t, c, busy, "alice")
	if _, err := c.UpdateDomain(ctx, &sagemaker.UpdateDomainInput{DomainId: aws.String(busy), TagPropagation: types.TagPropagationEnabled}); err != nil {
		t.Fatal(err)
	}
	srv.ResetCalls()

	in := func(f func(*sagemaker.CreatePresignedDomainUrlInput)) *sagemaker.CreatePresignedDomainUrlInput {
		in := &sagemaker.CreatePresignedDomainUrlInput{DomainId: aws.String(id), UserProfileName: aws.String("alice")}
		f(in)
		return in
	}
	tests := []struct {
		name     string
		in       *sagemaker.CreatePresignedDomainUrlInput
		wantCode string
		wantMsg  string
	}{
		{"URL for 4 seconds", in(func(in *sagemaker.CreatePresignedDomainUrlInput) { in.ExpiresInSeconds = aws.Int32(4) }),
			"ValidationException", "Value '4' at 'expiresInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 5"},
		{"URL for 301 seconds", in(func(in *sagemaker.CreatePresignedDomainUrlInput) { in.ExpiresInSeconds = aws.Int32(301) }),
			"ValidationException", "Value '301' at 'expiresInSeconds' failed to satisfy constraint: Member must have value less than or equal to 300"},
		{"session too short", in(func(in *sagemaker.CreatePresignedDomainUrlInput) {
			in.SessionExpirationDurationInSeconds = aws.Int32(1799)
		}),
			"ValidationException", "sessionExpirationDurationInSeconds"},
		{"session too long", in(func(in *sagemaker.CreatePresignedDomainUrlInput) {
			in.SessionExpirationDurationInSeconds = aws.Int32(43201)
		}),
			"ValidationException", "sessionExpirationDurationInSeconds"},
		{"bad profile name", in(func(in *sagemaker.CreatePresignedDomainUrlInput) { in.UserProfileName = aws.String("no_underscores") }),
			"ValidationException", "userProfileName"},
		{"landing URI too long", in(func(in *sagemaker.CreatePresignedDomainUrlInput) {
			in.LandingUri = aws.String(strings.Repeat("x", 1024))
		}),
			"ValidationException", "landingUri"},
		{"SSO domain", in(func(in *sagemaker.CreatePresignedDomainUrlInput) { in.DomainId = aws.String(ssoID) }),
			"ValidationException", "can only be called when the authentication mode equals IAM"},
		{"domain updating", in(func(in *sagemaker.CreatePresignedDomainUrlInput) { in.DomainId = aws.String(busy) }),
			"ResourceInUse", "InService"},
		{"no such domain", in(func(in *sagemaker.CreatePresignedDomainUrlInput) { in.DomainId = aws.String("d-000000000000") }),
			"ResourceNotFound", "d-000000000000"},
		{"no such profile", in(func(in *sagemaker.CreatePresignedDomainUrlInput) { in.UserProfileName = aws.String("bob") }),
			"ResourceNotFound", "bob"},
		{"no such space", in(func(in *sagemaker.CreatePresignedDomainUrlInput) { in.SpaceName = aws.String("Lab") }),
			"ResourceNotFound", "Lab"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := c.CreatePresignedDomainUrl(ctx, tt.in)
			if got := apiCode(err); got != tt.wantCode || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Fatalf("got %v (%+v), want %s containing %q", err, out, tt.wantCode, tt.wantMsg)
			}
			if tt.wantCode == "ResourceNotFound" && !errorsAs(err, new(*types.ResourceNotFound)) {
				t.Errorf("%v is not a *types.ResourceNotFound", err)
			}
		})
	}
	for _, call := range srv.Calls() {
		if call.StatusCode == 200 {
			t.Errorf("a refused request answered 200: %s", call.Body)
		}
	}
	clock.Advance(time.Minute)
	if _, err := c.CreatePresignedDomainUrl(ctx, in(func(in *sagemaker.CreatePresignedDomainUrlInput) { in.DomainId = aws.String(busy) })); err != nil {
		t.Errorf("once the domain is InService again: %v", err)
	}
}

// TestPresignedURLFaultsAndLog: faults arm on the operation like any
// other, and the token, which is in the response, appears nowhere in the
// call log.
func TestPresignedURLFaultsAndLog(t *testing.T) {
	srv, c, _, id := presignedDomain(t)
	ctx := context.Background()
	in := &sagemaker.CreatePresignedDomainUrlInput{DomainId: aws.String(id), UserProfileName: aws.String("Alice"), SpaceName: aws.String("lab")}
	srv.ResetCalls()
	srv.Throttle("CreatePresignedDomainUrl", 1)
	srv.Fail("CreatePresignedDomainUrl", 1)
	out, err := c.CreatePresignedDomainUrl(ctx, in) // throttled, failed, then answered
	if err != nil {
		t.Fatal(err)
	}
	srv.Throttle("CreatePresignedDomainUrl", 1)
	if _, err := c.CreatePresignedDomainUrl(ctx, in, noRetry); apiCode(err) != "ThrottlingException" {
		t.Errorf("armed throttle: %v, want ThrottlingException", err)
	}
	want := []callSummary{
		{"CreatePresignedDomainUrl", 400, "throttle"}, {"CreatePresignedDomainUrl", 500, "fail"},
		{"CreatePresignedDomainUrl", 200, ""}, {"CreatePresignedDomainUrl", 400, "throttle"},
	}
	calls := srv.Calls()
	if diff := cmp.Diff(want, summarize(calls)); diff != "" {
		t.Errorf("call log (-want +got):\n%s", diff)
	}

	token := presignedToken(t, id, aws.ToString(out.AuthorizedUrl))
	for _, call := range calls {
		if !slices.Equal(call.Fields, []string{"DomainId", "SpaceName", "UserProfileName"}) {
			t.Errorf("Fields %q, want the request's members", call.Fields)
		}
		if bytes.Contains(call.Body, []byte(token)) || slices.ContainsFunc(call.Fields, func(f string) bool { return strings.Contains(f, token) }) {
			t.Errorf("the token is in the call log: %+v", call)
		}
	}

	srv.LoseResponse("CreatePresignedDomainUrl", 1)
	if _, err := c.CreatePresignedDomainUrl(ctx, in, noRetry); err == nil {
		t.Error("a lost response answered")
	}
}

// TestPresignedURLMemoryBounded: the emulator remembers the newest URLs,
// as many as the call log keeps calls.
func TestPresignedURLMemoryBounded(t *testing.T) {
	srv, c, _, id := presignedDomain(t, smdomaintest.WithCallLogCapacity(3))
	ctx := context.Background()
	var tokens []string
	for range 5 {
		out, err := c.CreatePresignedDomainUrl(ctx, &sagemaker.CreatePresignedDomainUrlInput{DomainId: aws.String(id), UserProfileName: aws.String("Alice")})
		if err != nil {
			t.Fatal(err)
		}
		tokens = append(tokens, presignedToken(t, id, aws.ToString(out.AuthorizedUrl)))
	}
	var remembered []bool
	for _, tok := range tokens {
		_, ok := srv.PresignedURL(tok)
		remembered = append(remembered, ok)
	}
	if diff := cmp.Diff([]bool{false, false, true, true, true}, remembered); diff != "" {
		t.Errorf("remembered (-want +got):\n%s", diff)
	}
}
