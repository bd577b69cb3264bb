package main

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
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
			{"audit", "-f", "-", "-o", "yaml"},
			{"audit", "ml-platform", "--domain-id", "d-abc"},
			{"audit", "-f", "-", "--domain-id", "d-abc"},
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
		want(t, "audit --help", got, 0, []string{"Usage: smdomain audit", "-fail-on", "output format: text, json, sarif", "SARIF 2.1.0", "-domain-id", "-region", "-profile", "-endpoint-url", "-allow-insecure-endpoint"}, nil)
		got = c.runEnv(c.env, "", "--help")
		want(t, "--help", got, 0, []string{"audit"}, nil)
	})
}

// sarifDoc is what checkSARIF reads of a SARIF log.
type sarifDoc struct {
	Schema  *string `json:"$schema"`
	Version *string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name           string
				InformationURI string `json:"informationUri"`
				Rules          []struct {
					ID               string `json:"id"`
					ShortDescription struct{ Text string }
					Help             struct{ Text string }
					Properties       struct {
						Tags             []string
						SecuritySeverity string `json:"security-severity"`
						References       []string
					}
				}
			}
		}
		Results []struct {
			RuleID    *string `json:"ruleId"`
			RuleIndex int     `json:"ruleIndex"`
			Level     string
			Message   struct{ Text *string }
			Locations []struct {
				PhysicalLocation *struct {
					ArtifactLocation struct{ URI string }
					Region           struct{ StartLine int }
				}
				LogicalLocations []struct{ Name, FullyQualifiedName, Kind string }
			}
		}
	}
}

// checkSARIF decodes a SARIF log and checks what the 2.1.0 schema
// requires, and what GitHub code scanning reads: version "2.1.0", $schema a
// URL, runs, tool.driver.name, each result's message.text and a ruleId
// that driver.rules describes (at ruleIndex), each result located.
func checkSARIF(t *testing.T, step, out string) sarifDoc {
	t.Helper()
	var log sarifDoc
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatalf("%s: not JSON: %v\n%s", step, err, out)
	}
	if log.Version == nil || *log.Version != "2.1.0" {
		t.Errorf("%s: version %v, want 2.1.0", step, log.Version)
	}
	if log.Schema == nil {
		t.Errorf("%s: no $schema", step)
	} else if u, err := url.Parse(*log.Schema); err != nil || u.Scheme != "https" || !strings.HasSuffix(u.Path, "sarif-schema-2.1.0.json") {
		t.Errorf("%s: $schema %q is not the 2.1.0 schema's URL", step, *log.Schema)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("%s: %d runs, want 1", step, len(log.Runs))
	}
	driver := log.Runs[0].Tool.Driver
	if driver.Name != "smdomain" || !strings.HasPrefix(driver.InformationURI, "https://") {
		t.Errorf("%s: driver %q, %q", step, driver.Name, driver.InformationURI)
	}
	for i, r := range driver.Rules {
		if r.ID == "" || r.ShortDescription.Text == "" || r.Help.Text == "" || r.Properties.SecuritySeverity == "" || r.Properties.References == nil {
			t.Errorf("%s: rule %d: %+v", step, i, r)
		}
	}
	for i, r := range log.Runs[0].Results {
		if r.RuleID == nil || r.RuleIndex < 0 || r.RuleIndex >= len(driver.Rules) || driver.Rules[r.RuleIndex].ID != *r.RuleID {
			t.Errorf("%s: result %d: ruleId %v at ruleIndex %d is not in driver.rules", step, i, r.RuleID, r.RuleIndex)
		}
		if r.Message.Text == nil || *r.Message.Text == "" {
			t.Errorf("%s: result %d has no message.text", step, i)
		}
		if !slices.Contains([]string{"error", "warning", "note"}, r.Level) {
			t.Errorf("%s: result %d: level %q", step, i, r.Level)
		}
		if len(r.Locations) != 1 || len(r.Locations[0].LogicalLocations) != 1 || r.Locations[0].LogicalLocations[0].FullyQualifiedName == "" {
			t.Errorf("%s: result %d: locations %+v", step, i, r.Locations)
		}
	}
	return log
}

// TestCLIAuditFormats: -o json and -o sarif say what the text says, with
// the same exit status at each --fail-on; a spec file's results are at
// the setting's line, a live domain's at domain/resource/setting.
func TestCLIAuditFormats(t *testing.T) {
	c := newCLI(t)
	file := c.writeFile("team.json", teamJSON)
	text := c.run("", "audit", "-f", file)
	want(t, "text", text, 2, nil, nil)
	lines := strings.Split(strings.TrimSuffix(text.stdout, "\n"), "\n")

	got := c.run("", "audit", "-f", file, "-o", "json")
	want(t, "json", got, 2, nil, []string{"1 of 11 finding(s) at or above high"})
	doc := jsonDoc(t, "json", got)
	findings := doc["Findings"].([]any)
	if doc["DomainName"] != "fraud-ml" || doc["File"] != file || len(findings) != len(lines) {
		t.Fatalf("audit -o json: %v, want %d findings", doc, len(lines))
	}
	for i, f := range findings {
		f := f.(map[string]any)
		where := f["Path"].(string)
		if r, ok := f["Resource"].(string); ok {
			where = r + " " + where
		}
		line := strings.ToUpper(f["Severity"].(string)) + "  " + f["RuleId"].(string) + "  " + where + ": " + f["Detail"].(string)
		if line != lines[i] {
			t.Errorf("finding %d:\njson %s\ntext %s", i, line, lines[i])
		}
	}
	if f := findings[0].(map[string]any); f["RuleId"] != "network-egress" || f["Resource"] != nil ||
		!cmp.Equal(f["References"], []any{"prowler:sagemaker_domain_vpc_only_enabled", "aws-config:SAGEMAKER_DOMAIN_IN_VPC"}) {
		t.Errorf("first finding: %v", f)
	}

	got = c.run("", "audit", "-f", file, "-o", "sarif")
	want(t, "sarif", got, 2, nil, []string{"1 of 11 finding(s) at or above high"})
	log := checkSARIF(t, "sarif", got.stdout)
	results, rules := log.Runs[0].Results, log.Runs[0].Tool.Driver.Rules
	if len(results) != len(lines) || len(rules) != 9 {
		t.Fatalf("%d results and %d rules, want %d and 9 (member-untagged three times)", len(results), len(rules), len(lines))
	}
	if r := rules[0]; r.ID != "network-egress" || r.Properties.SecuritySeverity != "8.0" ||
		!cmp.Equal(r.Properties.References, []string{"prowler:sagemaker_domain_vpc_only_enabled", "aws-config:SAGEMAKER_DOMAIN_IN_VPC"}) {
		t.Errorf("first rule: %+v", r)
	}
	teamLines := strings.Split(teamJSON, "\n")
	wantAt := map[string]string{ // a result's logical location, and what its line in the file holds
		"fraud-ml/AppNetworkAccessType":                                    `"DomainName": "fraud-ml"`, // unset: the domain's name
		"fraud-ml/AuthMode":                                                `"AuthMode": "IAM"`,
		"fraud-ml/UserProfiles.bob/Tags":                                   `"UserProfileName": "bob"`,
		"fraud-ml/Spaces.fraud-detection/SpaceSharingSettings.SharingType": `"SharingType": "Shared"`,
		"fraud-ml/DefaultUserSettings.JupyterLabAppSettings.AppLifecycleManagement.IdleSettings.LifecycleManagement": `"DefaultUserSettings"`,
	}
	for i, r := range results {
		loc := r.Locations[0]
		if loc.PhysicalLocation == nil || loc.PhysicalLocation.ArtifactLocation.URI != file || loc.PhysicalLocation.Region.StartLine < 1 {
			t.Fatalf("result %d: physical location %+v, want %s at a line", i, loc.PhysicalLocation, file)
		}
		if !strings.HasSuffix(lines[i], *r.Message.Text) || r.Level != map[string]string{"HIGH": "error", "MEDIUM": "warning", "LOW": "note"}[strings.Fields(lines[i])[0]] {
			t.Errorf("result %d: %s %q, text says %s", i, r.Level, *r.Message.Text, lines[i])
		}
		fqn := loc.LogicalLocations[0].FullyQualifiedName
		if holds, ok := wantAt[fqn]; ok {
			delete(wantAt, fqn)
			if n := loc.PhysicalLocation.Region.StartLine; n > len(teamLines) || !strings.Contains(teamLines[n-1], holds) {
				t.Errorf("%s: at line %d, want the line with %s", fqn, n, holds)
			}
		}
	}
	if len(wantAt) > 0 {
		t.Errorf("no results at %v", wantAt)
	}

	// From standard input there is no file to point at.
	got = c.run(teamJSON, "audit", "-f", "-", "-o", "sarif")
	want(t, "sarif from standard input", got, 2, nil, nil)
	for _, r := range checkSARIF(t, "standard input", got.stdout).Runs[0].Results {
		if r.Locations[0].PhysicalLocation != nil {
			t.Fatalf("a result from standard input has a physical location: %+v", r.Locations[0].PhysicalLocation)
		}
	}
	got = c.run(teamJSON, "audit", "-f", "-", "-o", "json")
	if doc := jsonDoc(t, "json from standard input", got); doc["File"] != nil {
		t.Errorf("audit -f - -o json names a file: %v", doc["File"])
	}

	// --fail-on gates every format alike.
	mediumFile := c.writeFile("medium.json", mediumJSON)
	for _, format := range []string{"text", "json", "sarif"} {
		want(t, format+" --fail-on high", c.run("", "audit", "-f", mediumFile, "-o", format), 0, nil, nil)
		want(t, format+" --fail-on medium", c.run("", "audit", "-f", mediumFile, "-o", format, "--fail-on", "medium"), 2, nil, []string{"2 of 2 finding(s) at or above medium"})
	}
	got = c.run("", "audit", "-f", c.writeFile("hardened.json", hardenedJSON), "-o", "sarif", "--fail-on", "low")
	want(t, "hardened", got, 0, nil, nil)
	if log := checkSARIF(t, "hardened", got.stdout); len(log.Runs[0].Results) != 0 || len(log.Runs[0].Tool.Driver.Rules) != 0 ||
		!strings.Contains(got.stdout, `"results": []`) || !strings.Contains(got.stdout, `"rules": []`) {
		t.Errorf("no findings, yet:\n%s", got.stdout)
	}

	// A live domain's results are logical locations: domain/resource/setting.
	want(t, "apply", c.run("", "apply", "-f", file), 0, nil, nil)
	id := c.srv.DomainIDs()[0]
	for _, named := range [][]string{{"fraud-ml"}, {"--domain-id", id}} {
		got = c.run("", append([]string{"audit", "-o", "sarif"}, named...)...)
		want(t, "live sarif", got, 2, nil, nil)
		label := named[len(named)-1]
		var fqns []string
		for _, r := range checkSARIF(t, "live", got.stdout).Runs[0].Results {
			if r.Locations[0].PhysicalLocation != nil {
				t.Errorf("a live result has a physical location: %+v", r.Locations[0].PhysicalLocation)
			}
			fqns = append(fqns, r.Locations[0].LogicalLocations[0].FullyQualifiedName)
		}
		for _, fqn := range []string{label + "/AppNetworkAccessType", label + "/Spaces.fraud-detection/SpaceSharingSettings.SharingType"} {
			if !slices.Contains(fqns, fqn) {
				t.Errorf("live results %q lack %s", fqns, fqn)
			}
		}
		got = c.run("", append([]string{"audit", "-o", "json"}, named...)...)
		want(t, "live json", got, 2, nil, nil)
		wantDoc := map[string]any{"DomainName": "fraud-ml"}
		if named[0] == "--domain-id" {
			wantDoc = map[string]any{"DomainId": id}
		}
		if doc := jsonDoc(t, "live json", got); doc["DomainName"] != wantDoc["DomainName"] || doc["DomainId"] != wantDoc["DomainId"] || doc["File"] != nil {
			t.Errorf("live -o json names %v", doc)
		}
	}
}
