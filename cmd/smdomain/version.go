package main

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
)

// runVersion is the version command (and --version).
func runVersion(_ context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintf(stderr, "smdomain version: unexpected arguments %q\n", args)
		return exitFail
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		fmt.Fprintln(stderr, "smdomain version: the binary carries no build information")
		return exitFail
	}
	fmt.Fprintln(stdout, versionLine(info))
	return exitOK
}

// versionLine renders info as "smdomain v1.2.3 go1.26.8": the module
// version (a tag or pseudo-version when built with go install
// module@version, "(devel)" for a build from a working tree), the VCS
// revision when the build recorded one, and the Go version.
func versionLine(info *debug.BuildInfo) string {
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var revision, modified string
	for _, s := range info.Settings {
		switch {
		case s.Key == "vcs.revision":
			revision = s.Value
		case s.Key == "vcs.modified" && s.Value == "true":
			modified = ", modified"
		}
	}
	if revision != "" {
		v += fmt.Sprintf(" (revision %.12s%s)", revision, modified)
	}
	return "smdomain " + v + " " + info.GoVersion
}
