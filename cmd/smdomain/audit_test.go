package main

import (
	"slices"
	"strings"
	"testing"
)

// hardenedJSON is seedJSON with every audited setting closed.
var hardenedJSON = strings.NewReplacer(
	`"AuthMode": "IAM",`, `"AuthMode": "SSO", "AppNetworkAccessType": "VpcOnly",
  "KmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  "DomainSettings": {"ExecutionRoleIdentityConfig": "USER_PROFILE_NAME"},`,
	`"SecurityGroups": ["sg-0abc1234def567890"]`, `"SecurityGroups": ["sg-0abc1234def567890"],
    "StudioWebPortalSettings": {"ExecutionRoleSessionNameMode": "USER_IDENTITY"},
    "JupyterLabAppSettings": {"AppLifecycleManagement": {"IdleSettings": {"LifecycleManagement": "ENABLED"}}}`,
).Replace(seedJSON)

// mediumJSON is hardenedJSON leaving the key and the source identity to
// the service: medium findings only.
var mediumJSON = strings.NewReplacer(
	`"KmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",`, ``,
	`"DomainSettings": {"ExecutionRoleIdentityConfig": "USER_PROFILE_NAME"},`, ``,
).Replace(hardenedJSON)

// lowJSON is hardenedJSON with RStudio admin for every user: one low finding.
var lowJSON = strings.Replace(hardenedJSON, `"SecurityGroups": ["sg-0abc1234def567890"]`,
	`"SecurityGroups": ["sg-0abc1234def567890"], "RStudioServerProAppSettings": {"UserGroup": "R_STUDIO_ADMIN"}`, 1)

func TestCLIAudit(t *testing.T) {
	c := newCLI(t)
	noRegion := slices.DeleteFunc(slices.Clone(c.env), func(s string) bool { return strings.HasPrefix(s, "AWS_REGION=") })

	t.Run("spec", func(t *testing.T) {
		for _, tc := range []struct {
			name, doc string
			failOn    string // "" leaves the default
			code      int
			stdout    []string
			lines     int
		}{
			{"seed", seedJSON, "", 2, []string{
				"HIGH  network-egress  AppNetworkAccessType: unset (the service uses PublicInternetOnly), so ",
				"WithAppNetworkAccessType(types.AppNetworkAccessTypeVpcOnly)",
				"MEDIUM  kms-key  KmsKeyId: unset",
				"MEDIUM  source-identity  DomainSettings.ExecutionRoleIdentityConfig: unset (the service uses DISABLED)",
				"LOW  sso-auth  AuthMode: IAM",
			}, 6},
			{"hardened", hardenedJSON, "", 0, nil, 0},
			{"hardened, fail on low", hardenedJSON, "low", 0, nil, 0},
			{"medium, fail on high", mediumJSON, "high", 0, []string{"MEDIUM  kms-key", "MEDIUM  source-identity"}, 2},
			{"medium, fail on medium", mediumJSON, "medium", 2, []string{"MEDIUM  kms-key"}, 2},
			{"low, fail on medium", lowJSON, "medium", 0, []string{"LOW  rstudio-admin  DefaultUserSettings.RStudioServerProAppSettings.UserGroup: R_STUDIO_ADMIN"}, 1},
			{"low, fail on low", lowJSON, "low", 2, []string{"LOW  rstudio-admin"}, 1},
		} {
			t.Run(tc.name, func(t *testing.T) {
				file := c.writeFile("domain.json", tc.doc)
				args := []string{"audit", "-f", file}
				if tc.failOn != "" {
					args = append(args, "--fail-on", tc.failOn)
				}
				// A spec is audited without AWS: no region, no endpoint needed.
				got := c.runEnv(noRegion, "", args...)
				want(t, tc.name, got, tc.code, tc.stdout, nil)
				if n := strings.Count(got.stdout, "\n"); n != tc.lines {
					t.Errorf("%d lines on stdout, want %d:\n%s", n, tc.lines, got.stdout)
				}
			})
		}
		if calls := c.srv.Calls(); len(calls) != 0 {
			t.Errorf("auditing specs called the emulator %d times, want 0", len(calls))
		}
		got := c.run(seedJSON, "audit", "-f", "-")
		want(t, "standard input", got, 2, []string{"HIGH  network-egress"}, []string{"1 of 6 finding(s) at or above high"})
	})

	t.Run("live", func(t *testing.T) {
		want(t, "apply", c.run(mediumJSON, "apply", "-f", "-"), 0, nil, nil)
		c.srv.ResetCalls()
		got := c.run("", "audit", "ml-platform")
		want(t, "audit", got, 0, []string{"MEDIUM  kms-key  KmsKeyId: unset",
			// The server filled the value in: the live audit names it.
			"MEDIUM  source-identity  DomainSettings.ExecutionRoleIdentityConfig: DISABLED, so"}, nil)
		got = c.run("", "audit", "ml-platform", "--fail-on", "medium")
		want(t, "audit --fail-on medium", got, 2, nil, []string{"2 of 2 finding(s) at or above medium"})
		if w := c.writes(); len(w) != 0 {
			t.Errorf("audit wrote %v", w)
		}
		got = c.run("", "audit", "no-such-domain")
		want(t, "missing domain", got, 1, nil, []string{"domain not found"})
	})

	t.Run("errors", func(t *testing.T) {
		for _, args := range [][]string{
			{"audit"},
			{"audit", "--no-such-flag"},
			{"audit", "-f", "-", "ml-platform"},
			{"audit", "ml-platform", "other"},
			{"audit", "-f", "-", "--fail-on", "critical"},
			{"audit", "-f", "-", "--fail-on", "HIGH"},
		} {
			got := c.run(hardenedJSON, args...)
			if got.code != 1 {
				t.Errorf("%v: exit status %d, want 1\n%s", args, got.code, got.stderr)
			}
		}
		got := c.run(`{"DomainName": "ml platform"}`, "audit", "-f", "-")
		want(t, "bad spec", got, 1, nil, []string{"smdomain audit: standard input: invalid spec"})
	})

	t.Run("help", func(t *testing.T) {
		got := c.runEnv(c.env, "", "audit", "--help")
		want(t, "audit --help", got, 0, []string{"Usage: smdomain audit", "-fail-on", "-region", "-profile", "-endpoint-url", "-allow-insecure-endpoint"}, nil)
		got = c.runEnv(c.env, "", "--help")
		want(t, "--help", got, 0, []string{"audit"}, nil)
	})
}
