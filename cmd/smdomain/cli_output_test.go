package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// jsonDoc decodes what a command printed with -o json: one JSON object,
// with no null anywhere (an empty list is []) and every key named as AWS
// names its members (DomainId, not DomainID or ID).
func jsonDoc(t *testing.T, step string, got outcome) map[string]any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(got.stdout))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil || dec.More() {
		t.Fatalf("%s: stdout is not one JSON object (%v):\n%s", step, err, got.stdout)
	}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case nil:
			t.Errorf("%s: %s is null", step, path)
		case map[string]any:
			for k, e := range v {
				if strings.Contains(k, "ID") {
					t.Errorf("%s: %s.%s is not AWS's casing", step, path, k)
				}
				walk(path+"."+k, e)
			}
		case []any:
			for _, e := range v {
				walk(path+"[]", e)
			}
		}
	}
	walk("", doc)
	return doc
}

// TestCLIJSON: every command that prints a result prints one JSON document
// with -o json, AWS's member names and [] for empty lists, from an empty
// account to a deleted domain.
func TestCLIJSON(t *testing.T) {
	c := newCLI(t)
	file := c.writeFile("team.json", teamJSON)

	got := c.run("", "list", "-o", "json")
	want(t, "list, no domains", got, 0, nil, nil)
	if diff := cmp.Diff(map[string]any{"Domains": []any{}}, jsonDoc(t, "list", got)); diff != "" {
		t.Errorf("list -o json (-want +got):\n%s", diff)
	}
	got = c.run("", "list")
	want(t, "list text, no domains", got, 0, nil, []string{"smdomain list: no domains in us-east-1"})

	got = c.run("", "plan", "-f", file, "-o", "json")
	want(t, "plan", got, 2, nil, nil)
	plan := jsonDoc(t, "plan", got)
	if plan["Action"] != "create" || plan["DomainName"] != "fraud-ml" || plan["DomainId"] != nil || plan["Account"] != "123456789012" ||
		len(plan["Changes"].([]any)) == 0 || len(plan["Members"].([]any)) != 4 {
		t.Errorf("plan -o json: %v", plan)
	}

	got = c.run("", "apply", "-f", file, "-o", "json")
	want(t, "apply", got, 0, nil, []string{"waiting for"})
	applied := jsonDoc(t, "apply", got)
	id := c.srv.DomainIDs()[0]
	var members []string
	for _, m := range applied["Members"].([]any) {
		m := m.(map[string]any)
		members = append(members, m["Kind"].(string)+" "+m["Name"].(string)+" "+m["Action"].(string))
	}
	wantMembers := []string{"user profile alice created", "user profile bob created", "space alice-scratch created", "space fraud-detection created"}
	if applied["Action"] != "created" || applied["DomainId"] != id || applied["Status"] != "InService" || !strings.HasPrefix(applied["Url"].(string), "https://"+id) ||
		!cmp.Equal(wantMembers, members) {
		t.Errorf("apply -o json: %v\nmembers %q", applied, members)
	}
	got = c.run("", "apply", "-f", file, "-o", "json")
	want(t, "apply again", got, 0, nil, nil)
	if again := jsonDoc(t, "apply again", got); again["Action"] != "unchanged" || len(again["Changes"].([]any)) != 0 {
		t.Errorf("apply again -o json: %v", again)
	}

	got = c.run("", "list", "-o", "json")
	want(t, "list", got, 0, nil, nil)
	listed := jsonDoc(t, "list", got)["Domains"].([]any)
	if len(listed) != 1 || listed[0].(map[string]any)["DomainId"] != id || listed[0].(map[string]any)["DomainName"] != "fraud-ml" ||
		listed[0].(map[string]any)["Status"] != "InService" {
		t.Errorf("list -o json: %v", listed)
	}
	want(t, "list text", c.run("", "list"), 0, []string{"NAME ", "ID ", "STATUS ", "URL\n", "fraud-ml ", id + " ", "InService ", "https://" + id}, nil)

	got = c.run("", "get", "fraud-ml", "-o", "json")
	want(t, "get", got, 0, nil, nil)
	if desc := jsonDoc(t, "get", got); desc["DomainId"] != id {
		t.Errorf("get -o json: %v", desc)
	}

	got = c.run("", "delete", "fraud-ml", "--cascade", "-o", "json")
	want(t, "delete", got, 0, nil, nil)
	deleted := jsonDoc(t, "delete", got)
	if deleted["Action"] != "deleted" || deleted["DomainId"] != id || !strings.HasPrefix(deleted["HomeEfsFileSystemId"].(string), "fs-") ||
		!cmp.Equal(deleted["RetentionPolicy"], map[string]any{"HomeEfsFileSystem": "Retain"}) || len(deleted["Changes"].([]any)) != 4 {
		t.Errorf("delete -o json: %v", deleted)
	}
	got = c.run("", "delete", "fraud-ml", "-o", "json")
	want(t, "delete again", got, 0, nil, nil)
	if diff := cmp.Diff(map[string]any{"Action": "unchanged", "DomainName": "fraud-ml", "Changes": []any{}}, jsonDoc(t, "delete again", got)); diff != "" {
		t.Errorf("delete again -o json (-want +got):\n%s", diff)
	}
}

// TestCLIGetSpec: the team file get -o spec prints of a live domain plans
// as a no-op against it, with --prune too, and applies writing nothing.
func TestCLIGetSpec(t *testing.T) {
	c := newCLI(t)
	want(t, "apply", c.run(teamJSON, "apply", "-f", "-"), 0, nil, nil)
	id := c.srv.DomainIDs()[0]

	c.srv.ResetCalls()
	got := c.run("", "get", "fraud-ml", "-o", "spec")
	want(t, "get -o spec", got, 0, []string{"\n  \"AuthMode\": \"IAM\",\n", `"DomainName": "fraud-ml"`,
		`"UserProfileName": "alice"`, `"UserProfileName": "bob"`, `"SpaceName": "alice-scratch"`, `"SpaceName": "fraud-detection"`}, nil)
	if w := c.writes(); len(w) != 0 {
		t.Errorf("get -o spec wrote %v", w)
	}
	exported := c.writeFile("exported.json", got.stdout)
	byID := c.run("", "get", "--domain-id", id, "-o", "spec")
	want(t, "get --domain-id -o spec", byID, 0, nil, nil)
	if byID.stdout != got.stdout {
		t.Errorf("get --domain-id -o spec differs from get NAME -o spec:\n%s", cmp.Diff(got.stdout, byID.stdout))
	}

	for _, args := range [][]string{{"plan", "-f", exported}, {"plan", "-f", exported, "--prune"}} {
		got := c.run("", args...)
		want(t, strings.Join(args, " "), got, 0, []string{`domain "fraud-ml" (` + id + `) in 123456789012/us-east-1: no-op` + "\n"}, nil)
		if n := len(changeLines.FindAllString(got.stdout, -1)); n != 0 || strings.Count(got.stdout, "\n") != 1 {
			t.Errorf("%q: the exported spec is not a no-op:\n%s", args, got.stdout)
		}
	}
	c.srv.ResetCalls()
	want(t, "apply the exported spec", c.run("", "apply", "-f", exported, "--prune"), 0, []string{`domain "fraud-ml" unchanged`}, nil)
	if w := c.writes(); len(w) != 0 {
		t.Errorf("applying the exported spec wrote %v", w)
	}
}
