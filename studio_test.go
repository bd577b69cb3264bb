package smdomain_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/finegrained/smdomain"
)

func TestStudioURL(t *testing.T) {
	var logs bytes.Buffer
	e := newEnv(t, smdomain.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	ctx := context.Background()
	res := mustEnsure(t, e.client, team{}.spec(t))
	ref := smdomain.ByName("fraud-ml")

	link, err := e.client.StudioURL(ctx, ref, "alice")
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(link)
	if err != nil || u.Scheme != "https" || !strings.HasPrefix(u.Host, res.Domain.ID+".") {
		t.Fatalf("URL %q is not the domain's", link)
	}
	got, ok := e.srv.PresignedURL(u.Query().Get("token"))
	if !ok {
		t.Fatalf("the emulator made no URL with token %q", u.Query().Get("token"))
	}
	if got.Expires.Sub(got.Created) != 5*time.Minute || got.SessionDuration != time.Hour || got.UserProfileName != "alice" {
		t.Errorf("defaults: %+v, want a 5-minute URL for a 1-hour session", got)
	}
	if strings.Contains(logs.String(), u.Query().Get("token")) {
		t.Error("the URL's token was logged")
	}

	link, err = e.client.StudioURL(ctx, ref, "alice", smdomain.WithURLLifetime(30*time.Second),
		smdomain.WithSessionDuration(2*time.Hour), smdomain.WithStudioSpace("alice-scratch"), smdomain.WithLandingURI("app:JupyterLab:"))
	if err != nil {
		t.Fatal(err)
	}
	u, _ = url.Parse(link)
	got, _ = e.srv.PresignedURL(u.Query().Get("token"))
	if got.Expires.Sub(got.Created) != 30*time.Second || got.SessionDuration != 2*time.Hour || got.SpaceName != "alice-scratch" || got.LandingURI != "app:JupyterLab:" {
		t.Errorf("options not sent: %+v", got)
	}

	e.srv.ResetCalls()
	var ve *smdomain.ValidationError
	for _, opt := range []smdomain.StudioURLOption{smdomain.WithURLLifetime(4 * time.Second), smdomain.WithURLLifetime(301 * time.Second),
		smdomain.WithSessionDuration(29 * time.Minute), smdomain.WithSessionDuration(13 * time.Hour),
		smdomain.WithSessionDuration(1 << 62), smdomain.WithURLLifetime(1500 * time.Millisecond)} {
		if _, err := e.client.StudioURL(ctx, ref, "alice", opt); !errors.As(err, &ve) {
			t.Errorf("out of bounds: %v, want *ValidationError", err)
		}
	}
	if n := len(e.srv.Calls()); n != 0 {
		t.Errorf("bad options made %d calls, want none", n)
	}
	if _, err := e.client.StudioURL(ctx, ref, "nobody"); !errors.As(err, new(*types.ResourceNotFound)) {
		t.Errorf("unknown profile: %v, want *types.ResourceNotFound", err)
	}
	if _, err := e.client.StudioURL(ctx, smdomain.ByName("nope"), "alice"); !errors.Is(err, smdomain.ErrNotFound) {
		t.Errorf("unknown domain: %v, want ErrNotFound", err)
	}
}

func TestStudioURLRefusesSSODomain(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	carol := mustProfile(t, "carol", smdomain.WithSSOUser("UserName", "carol@example.com"))
	mustEnsure(t, e.client, mustSpec(t, "sso-ml", seedOptions(smdomain.WithAuthMode(types.AuthModeSso), smdomain.WithUserProfiles(carol))...))
	e.srv.ResetCalls()
	_, err := e.client.StudioURL(ctx, smdomain.ByName("sso-ml"), "carol")
	var am *smdomain.AuthModeError
	if !errors.As(err, &am) || am.AuthMode != "SSO" {
		t.Fatalf("StudioURL on an SSO domain: %v, want *AuthModeError", err)
	}
	if e.count("CreatePresignedDomainUrl") != 0 {
		t.Error("CreatePresignedDomainUrl was sent for an SSO domain")
	}
}
