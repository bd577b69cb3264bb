package main

import (
	"runtime"
	"runtime/debug"
	"testing"
)

func TestCLIVersion(t *testing.T) {
	c := newCLI(t)
	// The tests' binary is built from the working tree, so its version is
	// "(devel)", with a revision when the build recorded one.
	for _, args := range [][]string{{"version"}, {"--version"}, {"-version"}} {
		got := c.runEnv(c.env, "", args...)
		want(t, args[0], got, 0, []string{"smdomain ", " " + runtime.Version() + "\n"}, nil)
		if got.stderr != "" {
			t.Errorf("%s: stderr %q", args[0], got.stderr)
		}
	}
	want(t, "version extra", c.runEnv(c.env, "", "version", "x"), exitFail, nil, []string{"unexpected arguments"})
}

func TestVersionLine(t *testing.T) {
	for _, tc := range []struct {
		info debug.BuildInfo
		want string
	}{
		{debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/finegrained/smdomain", Version: "v1.4.0"}},
			"smdomain v1.4.0 go1.26.8"},
		{debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "8acf4da0123456789abcdef"}, {Key: "vcs.modified", Value: "true"}}},
			"smdomain (devel) (revision 8acf4da01234, modified) go1.26.8"},
		{debug.BuildInfo{GoVersion: "go1.26.8", Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc"}, {Key: "vcs.modified", Value: "false"}}},
			"smdomain (devel) (revision abc) go1.26.8"},
	} {
		if got := versionLine(&tc.info); got != tc.want {
			t.Errorf("versionLine = %q, want %q", got, tc.want)
		}
	}
}
