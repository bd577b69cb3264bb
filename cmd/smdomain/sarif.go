package main

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"strings"

	"github.com/finegrained/smdomain"
)

// audit -o sarif writes SARIF 2.1.0 as GitHub code scanning ingests it:
// one run, the rules the findings broke, one result per finding.
const (
	sarifSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	sarifVersion = "2.1.0"
	// sarifRulesURI documents every rule: what it checks and what it rests on.
	sarifRulesURI = "https://pkg.go.dev/github.com/finegrained/smdomain#Spec.Audit"
	sarifToolURI  = "https://github.com/finegrained/smdomain"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string              `json:"id"`
	ShortDescription     sarifText           `json:"shortDescription"`
	Help                 sarifText           `json:"help"`
	HelpURI              string              `json:"helpUri"`
	DefaultConfiguration sarifConfiguration  `json:"defaultConfiguration"`
	Properties           sarifRuleProperties `json:"properties"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifConfiguration struct {
	Level string `json:"level"`
}

// sarifRuleProperties carry the matching rules of other scanners
// (Finding.References) and the tags and security-severity GitHub shows.
type sarifRuleProperties struct {
	Tags             []string `json:"tags"`
	SecuritySeverity string   `json:"security-severity"`
	References       []string `json:"references"`
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	RuleIndex int             `json:"ruleIndex"`
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysicalLocation `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogicalLocation `json:"logicalLocations"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           sarifRegion           `json:"region"`
}

type sarifArtifactLocation struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
}

type sarifLogicalLocation struct {
	Name               string `json:"name"`
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

// sarifLevels and sarifSeverities render a Severity as a result's level
// and as the security-severity score GitHub ranks alerts by (high is 7.0
// to 8.9, medium 4.0 to 6.9, low 0.1 to 3.9).
var (
	sarifLevels     = map[smdomain.Severity]string{smdomain.SeverityHigh: "error", smdomain.SeverityMedium: "warning", smdomain.SeverityLow: "note"}
	sarifSeverities = map[smdomain.Severity]string{smdomain.SeverityHigh: "8.0", smdomain.SeverityMedium: "5.0", smdomain.SeverityLow: "2.0"}
)

// newSARIF returns the log of findings about target. A result is located
// in the logical tree domain/resource/setting, and, for a spec file, at
// the line of the setting in the file (of the resource's name when the
// file leaves the setting out).
func newSARIF(target auditTarget, findings []smdomain.Finding) sarifLog {
	run := sarifRun{Tool: sarifTool{Driver: sarifDriver{Name: "smdomain", InformationURI: sarifToolURI, Rules: []sarifRule{}}},
		Results: make([]sarifResult, 0, len(findings))}
	var lines *specLines
	if target.file != "" && target.file != "-" {
		lines = newSpecLines(target.text)
	}
	for _, f := range findings {
		index := slices.IndexFunc(run.Tool.Driver.Rules, func(r sarifRule) bool { return r.ID == f.ID })
		if index < 0 {
			index = len(run.Tool.Driver.Rules)
			run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, newSARIFRule(f))
		}
		fqn := strings.Join(slices.DeleteFunc([]string{cmp.Or(target.domain.id, target.domain.name), f.Resource, f.Path}, func(s string) bool { return s == "" }), "/")
		loc := sarifLocation{LogicalLocations: []sarifLogicalLocation{{Name: f.Path, FullyQualifiedName: fqn, Kind: "property"}}}
		if lines != nil {
			loc.PhysicalLocation = &sarifPhysicalLocation{
				ArtifactLocation: sarifArtifactLocation{URI: (&url.URL{Path: filepath.ToSlash(target.file)}).String()},
				Region:           sarifRegion{StartLine: lines.find(f.Resource, f.Path)},
			}
		}
		run.Results = append(run.Results, sarifResult{RuleID: f.ID, RuleIndex: index, Level: sarifLevels[f.Severity],
			Message: sarifText{Text: findingText(f)}, Locations: []sarifLocation{loc}})
	}
	return sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}}
}

// newSARIFRule describes the rule f broke, from f: the library lists no
// rules apart from their findings.
func newSARIFRule(f smdomain.Finding) sarifRule {
	of := "the domain"
	if f.Resource != "" {
		of = "a member of the domain"
	}
	help := fmt.Sprintf("smdomain's %s rule (%s) judges %s of %s.", f.ID, f.Severity, f.Path, of)
	if len(f.References) > 0 {
		help += " It matches " + strings.Join(f.References, ", ") + "."
	}
	help += " What each rule checks, and what it rests on: " + sarifRulesURI
	return sarifRule{
		ID:                   f.ID,
		ShortDescription:     sarifText{Text: fmt.Sprintf("%s: %s of %s", f.ID, f.Path, of)},
		Help:                 sarifText{Text: help},
		HelpURI:              sarifRulesURI,
		DefaultConfiguration: sarifConfiguration{Level: sarifLevels[f.Severity]},
		Properties: sarifRuleProperties{Tags: []string{"security", "sagemaker"}, SecuritySeverity: sarifSeverities[f.Severity],
			References: append([]string{}, f.References...)},
	}
}

// specLines knows on which line of a spec file each setting is: the line of
// its key, found by its path, members by their names.
type specLines struct {
	root     *jsonNode
	newlines []int // the offsets of the text's newlines
}

// jsonNode is a JSON value with the line of the key that holds it.
type jsonNode struct {
	line   int
	fields map[string]*jsonNode
	items  []*jsonNode
	str    string
}

func newSpecLines(text []byte) *specLines {
	l := &specLines{}
	for i, b := range text {
		if b == '\n' {
			l.newlines = append(l.newlines, i)
		}
	}
	dec := json.NewDecoder(bytes.NewReader(text))
	l.root, _ = l.parse(dec, 1) // a spec that loaded is JSON; what parsed is kept regardless
	return l
}

// parse reads the value that starts at dec's next token.
func (l *specLines) parse(dec *json.Decoder, line int) (*jsonNode, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	n := &jsonNode{line: line}
	switch tok {
	case json.Delim('{'):
		n.fields = map[string]*jsonNode{}
		for dec.More() {
			key, err := dec.Token()
			if err != nil {
				return n, err
			}
			child, err := l.parse(dec, l.lineAt(dec.InputOffset()))
			if child != nil {
				n.fields[fmt.Sprint(key)] = child
			}
			if err != nil {
				return n, err
			}
		}
	case json.Delim('['):
		for dec.More() {
			child, err := l.parse(dec, line)
			if child != nil {
				n.items = append(n.items, child)
			}
			if err != nil {
				return n, err
			}
		}
	default:
		n.str, _ = tok.(string)
		return n, nil
	}
	_, err = dec.Token() // the closing delimiter
	return n, err
}

// lineAt is the line, from 1, of the byte at offset.
func (l *specLines) lineAt(offset int64) int {
	line, _ := slices.BinarySearch(l.newlines, int(offset))
	return line + 1
}

// memberNameKeys are the name members of a spec's member arrays.
var memberNameKeys = map[string]string{"UserProfiles": "UserProfileName", "Spaces": "SpaceName"}

// find returns the line of the setting at path in resource (a Finding's
// Resource and Path): of its key, or of the nearest enclosing key the file
// has, or else of the resource's name; 1 when the file has none of them.
func (l *specLines) find(resource, path string) int {
	n := l.root
	if n == nil {
		return 1
	}
	nameKey := "DomainName"
	if kind, name, ok := strings.Cut(resource, "."); ok {
		nameKey = memberNameKeys[kind]
		var member *jsonNode
		if list := n.fields[kind]; list != nil {
			i := slices.IndexFunc(list.items, func(m *jsonNode) bool { return m.fields[nameKey] != nil && m.fields[nameKey].str == name })
			if i >= 0 {
				member = list.items[i]
			}
		}
		if member == nil {
			return 1
		}
		n = member
	}
	line := 1
	if name := n.fields[nameKey]; name != nil {
		line = name.line
	}
	for _, key := range strings.Split(path, ".") {
		if n = n.fields[key]; n == nil {
			break
		}
		line = n.line
	}
	return line
}
