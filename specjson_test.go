package smdomain

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/finegrained/smdomain/internal/model"
	"github.com/finegrained/smdomain/internal/wire"
)

const seedJSON = `{
  "DomainName": "my-sagemaker-domain",
  "AuthMode": "IAM",
  "DefaultUserSettings": {
    "ExecutionRole": "arn:aws:iam::123456789012:role/SageMakerExecutionRole",
    "SecurityGroups": ["sg-0123456789abcdef0"]
  },
  "SubnetIds": ["subnet-0123456789abcdef0"],
  "VpcId": "vpc-0123456789abcdef0",
  "Tags": [
    {"Key": "Project", "Value": "MachineLearning"},
    {"Key": "Environment", "Value": "Development"}
  ]
}`

func TestLoadSpecJSONSeed(t *testing.T) {
	s := mustSpec(t)(LoadSpecJSON(strings.NewReader(seedJSON)))
	want := mustSpec(t)(NewSpec("my-sagemaker-domain", seedOptions()...))
	if diff := cmp.Diff(want.CreateDomainInput(), s.CreateDomainInput(), ignoreSDK); diff != "" {
		t.Errorf("LoadSpecJSON and NewSpec differ (-NewSpec +LoadSpecJSON):\n%s", diff)
	}
}

func TestLoadSpecJSONTags(t *testing.T) {
	const head = `{"DomainName":"d","AuthMode":"IAM","DefaultUserSettings":{"ExecutionRole":"` + testRole + `"}`
	tests := []struct {
		name string
		doc  string
		want map[string]string
	}{
		{"absent: unmanaged", head + `}`, nil},
		{"null: unmanaged", head + `,"Tags":null}`, nil},
		{"empty: managed, none", head + `,"Tags":[]}`, map[string]string{}},
		{"tags", head + `,"Tags":[{"Key":"b","Value":""},{"Key":"a","Value":"1"}]}`, map[string]string{"a": "1", "b": ""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := mustSpec(t)(LoadSpecJSON(strings.NewReader(tc.doc))).Tags()
			if (got == nil) != (tc.want == nil) {
				t.Fatalf("Tags() = %#v, want %#v", got, tc.want)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Tags (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadSpecJSONProblems(t *testing.T) {
	const role = `"DefaultUserSettings":{"ExecutionRole":"` + testRole + `"}`
	tests := []struct {
		name string
		doc  string
		want []problem
	}{
		{"unknown top-level field", `{"DomainName":"d","AuthMode":"IAM",` + role + `,"DomainNmae":"x"}`,
			[]problem{{"DomainNmae", RuleType}}},
		{"unknown nested field", `{"DomainName":"d","AuthMode":"IAM","DefaultUserSettings":{"ExecutionRoleArn":"` + testRole + `"}}`,
			[]problem{{"DefaultUserSettings.ExecutionRole", RuleRequired}, {"DefaultUserSettings.ExecutionRoleArn", RuleType}}},
		{"names are case-sensitive", `{"domainName":"d","AuthMode":"IAM",` + role + `}`,
			[]problem{{"DomainName", RuleRequired}, {"domainName", RuleType}}},
		{"wrong type", `{"DomainName":"d","AuthMode":"IAM",` + role + `,"SubnetIds":"subnet-1","VpcId":"vpc-1"}`,
			[]problem{{"SubnetIds", RuleType}}},
		{"wrong number type", `{"DomainName":"d","AuthMode":"IAM","DefaultUserSettings":{"ExecutionRole":"` + testRole +
			`","CustomPosixUserConfig":{"Uid":10000.5,"Gid":2000}}}`,
			[]problem{{"DefaultUserSettings.CustomPosixUserConfig.Uid", RuleType}}},
		{"unknown tag field", `{"DomainName":"d","AuthMode":"IAM",` + role + `,"Tags":[{"Key":"a","Value":"b","Color":"red"}]}`,
			[]problem{{"Tags[0].Color", RuleType}}},
		{"unknown union member", `{"DomainName":"d","AuthMode":"IAM","DefaultUserSettings":{"ExecutionRole":"` + testRole +
			`","CustomFileSystemConfigs":[{"NFS":{}}]}}`,
			[]problem{{"DefaultUserSettings.CustomFileSystemConfigs[0].NFS", RuleType}}},
		{"two union members", `{"DomainName":"d","AuthMode":"IAM","DefaultUserSettings":{"ExecutionRole":"` + testRole +
			`","CustomFileSystemConfigs":[{"EFSFileSystemConfig":{"FileSystemId":"fs-0123456789abcdef0"},"S3FileSystemConfig":{"S3Uri":"s3://b/p"}}]}}`,
			[]problem{{"DefaultUserSettings.CustomFileSystemConfigs[0]", RuleType}}},
		{"every problem with an unknown field", `{"DomainName":"-d","AuthMode":"LDAP","Extra":1}`,
			[]problem{
				{"AuthMode", RuleEnum}, {"DefaultUserSettings", RuleRequired}, {"DefaultUserSettings.ExecutionRole", RuleRequired},
				{"DomainName", RulePattern}, {"Extra", RuleType},
			}},
		{"cross-field rules with a wrong type", `{"DomainName":"d","AuthMode":"IAM","VpcId":"vpc-1","SubnetIds":{"a":1},"DefaultUserSettings":{"ExecutionRoleArn":"` + testRole + `"}}`,
			[]problem{
				{"DefaultUserSettings.ExecutionRole", RuleRequired}, {"DefaultUserSettings.ExecutionRoleArn", RuleType},
				{"SubnetIds", RuleType},
			}},
		{"duplicate tag keys", `{"DomainName":"d","AuthMode":"IAM",` + role + `,"Tags":[{"Key":"a","Value":"1"},{"Key":"b","Value":"2"},{"Key":"a","Value":"3"}]}`,
			[]problem{{"Tags[2].Key", RuleConflict}}},
		{"not an object", `["DomainName"]`, []problem{{"", RuleType}}},
		{"no AuthMode default", `{"DomainName":"d",` + role + `}`, []problem{{"AuthMode", RuleRequired}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := LoadSpecJSON(strings.NewReader(tc.doc))
			if s != nil {
				t.Errorf("got a spec with error %v", err)
			}
			if diff := cmp.Diff(sortedProblems(tc.want), sortedProblems(problemsOf(t, err))); diff != "" {
				t.Errorf("problems (-want +got):\n%s\nerror: %v", diff, err)
			}
		})
	}
}

func TestLoadSpecJSONNotJSON(t *testing.T) {
	tests := []struct {
		name string
		doc  string
	}{
		{"empty", ""},
		{"truncated", `{"DomainName":`},
		{"too large", `{"DomainName":"` + strings.Repeat("a", maxSpecJSON) + `"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := LoadSpecJSON(strings.NewReader(tc.doc))
			var ve *ValidationError
			if s != nil || err == nil || errors.As(err, &ve) {
				t.Errorf("LoadSpecJSON = %v, %v; want a non-validation error", s, err)
			}
		})
	}
}

// sampleStrings holds, by model shape, a value that satisfies the shape's
// length and pattern. The fill test fails when it reaches a string shape
// with no enum that is not here, and when an entry here goes unused.
var sampleStrings = map[string]string{
	"AccountId":                         "123456789012",
	"AppImageConfigName":                "my-image-config",
	"DomainName":                        "my-sagemaker-domain",
	"FileSystemId":                      "fs-0123456789abcdef0",
	"FileSystemPath":                    "/home/shared",
	"ImageArn":                          "arn:aws:sagemaker:us-east-1:123456789012:image/my-image",
	"ImageName":                         "my-image",
	"ImageVersionAlias":                 "1.2.3",
	"ImageVersionAliasPattern":          "2.1",
	"ImageVersionArn":                   "arn:aws:sagemaker:us-east-1:123456789012:image-version/my-image/1",
	"KmsKeyId":                          "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	"LandingUri":                        "studio::",
	"QProfileArn":                       "arn:aws:codewhisperer:us-east-1:123456789012:profile/ABCDEF",
	"RegionName":                        "us-east-1",
	"RepositoryUrl":                     "https://github.com/org/repo",
	"RoleArn":                           testRole,
	"S3SchemaUri":                       "s3://bucket/prefix/",
	"S3Uri":                             "s3://bucket/path",
	"SecretArn":                         "arn:aws:secretsmanager:us-east-1:123456789012:secret:oauth-AbCdEf",
	"SecurityGroupId":                   "sg-0123456789abcdef0",
	"SingleSignOnApplicationArn":        "arn:aws:sso::123456789012:application/ssoins-1234/apl-abcd1234",
	"String":                            "https://rstudio.example.com",
	"String1024":                        "/mnt/s3",
	"StudioLifecycleConfigArn":          "arn:aws:sagemaker:us-east-1:123456789012:studio-lifecycle-config/lcc",
	"StudioResourceSpecTrainingPlanArn": "arn:aws:sagemaker:us-east-1:123456789012:training-plan/plan",
	"SubnetId":                          "subnet-0123456789abcdef0",
	"TagKey":                            "Environment",
	"TagValue":                          "Development",
	"UnifiedStudioDomainId":             "dzd_abc123",
	"UnifiedStudioEnvironmentId":        "env-1",
	"UnifiedStudioProjectId":            "proj-1",
	"VpcId":                             "vpc-0123456789abcdef0",
}

// unionMembers lists the Go member types of each union the request uses;
// the fill test checks it against the model's union members.
var unionMembers = map[reflect.Type][]reflect.Type{
	reflect.TypeFor[types.CustomFileSystemConfig](): {
		reflect.TypeFor[types.CustomFileSystemConfigMemberEFSFileSystemConfig](),
		reflect.TypeFor[types.CustomFileSystemConfigMemberFSxLustreFileSystemConfig](),
		reflect.TypeFor[types.CustomFileSystemConfigMemberS3FileSystemConfig](),
	},
}

// filler sets every field of an SDK struct, walking the Go type and the
// model shape together, to values the model accepts.
type filler struct {
	t       testing.TB
	used    map[string]bool       // sample shapes used
	missing map[string]string     // string shape -> a path that needs a sample
	structs map[reflect.Type]bool // struct types seen, for IgnoreUnexported
	leaves  int
}

func newFiller(t testing.TB) *filler {
	return &filler{t: t, used: map[string]bool{}, missing: map[string]string{}, structs: map[reflect.Type]bool{}}
}

func (f *filler) ignoreUnexported() cmp.Option {
	var ts []any
	for t := range f.structs {
		ts = append(ts, reflect.New(t).Elem().Interface())
	}
	return cmpopts.IgnoreUnexported(ts...)
}

func (f *filler) fill(v reflect.Value, shapeName, path string) {
	f.t.Helper()
	s := model.Lookup(shapeName)
	if s == nil {
		f.t.Errorf("%s: shape %s is not in the model table", path, shapeName)
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		f.fill(p.Elem(), shapeName, path)
		v.Set(p)
	case reflect.Struct:
		f.structs[v.Type()] = true
		seen := map[string]bool{}
		for i := 0; i < v.NumField(); i++ {
			sf := v.Type().Field(i)
			if !sf.IsExported() {
				continue
			}
			m, ok := s.Member(sf.Name)
			if !ok {
				f.t.Errorf("%s.%s: the SDK has the field, model shape %s has no such member", path, sf.Name, shapeName)
				continue
			}
			seen[m.Name] = true
			f.fill(v.Field(i), m.Shape, joinPath(path, sf.Name))
		}
		for _, m := range s.Members {
			if !seen[m.Name] {
				f.t.Errorf("%s.%s: model member has no field in %s", path, m.Name, v.Type())
			}
		}
	case reflect.Slice:
		if s.Type != "list" {
			f.t.Errorf("%s: Go slice, model %s", path, s.Type)
			return
		}
		et := v.Type().Elem()
		if et.Kind() == reflect.Interface {
			f.fillUnionList(v, s.Elem, path)
			return
		}
		l := reflect.MakeSlice(v.Type(), 1, 1)
		f.fill(l.Index(0), s.Elem, path+"[0]")
		v.Set(l)
	case reflect.String:
		f.leaves++
		switch {
		case len(s.Enum) > 0:
			v.SetString(s.Enum[len(s.Enum)/2])
			if shapeName == "AppSecurityGroupManagement" {
				v.SetString(string(types.AppSecurityGroupManagementService)) // RStudio needs Service
			}
		case sampleStrings[shapeName] != "":
			v.SetString(sampleStrings[shapeName])
			f.used[shapeName] = true
		default:
			f.missing[shapeName] = path
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		f.leaves++
		n := int64(1)
		if s.Min != nil {
			n = *s.Min
		}
		if s.Max != nil && n > *s.Max {
			n = *s.Max
		}
		v.SetInt(n)
	case reflect.Bool:
		f.leaves++
		v.SetBool(true)
	case reflect.Float32, reflect.Float64:
		f.leaves++
		v.SetFloat(1)
	default:
		f.t.Errorf("%s: the fill test does not handle %s", path, v.Type())
	}
}

func (f *filler) fillUnionList(v reflect.Value, unionShape, path string) {
	f.t.Helper()
	us := model.Lookup(unionShape)
	members, ok := unionMembers[v.Type().Elem()]
	if !ok || us == nil || us.Type != "union" {
		f.t.Errorf("%s: union %s (%s) is not in unionMembers", path, v.Type().Elem(), unionShape)
		return
	}
	l := reflect.MakeSlice(v.Type(), 0, len(members))
	covered := map[string]bool{}
	for _, mt := range members {
		name := mt.Name()[strings.Index(mt.Name(), "Member")+len("Member"):]
		m, ok := us.Member(name)
		if !ok {
			f.t.Errorf("%s: %s is not a member of model union %s", path, name, unionShape)
			continue
		}
		covered[name] = true
		f.structs[mt] = true
		p := reflect.New(mt)
		f.fill(p.Elem().FieldByName("Value"), m.Shape, fmt.Sprintf("%s[%d].%s", path, l.Len(), name))
		l = reflect.Append(l, p)
	}
	for _, m := range us.Members {
		if !covered[m.Name] {
			f.t.Errorf("%s: model union member %s has no Go type in unionMembers", path, m.Name)
		}
	}
	v.Set(l)
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// fullInput returns a CreateDomain request with every field set, found by
// walking the SDK struct, so a field the SDK adds is covered without
// touching this test.
func fullInput(t testing.TB) (*sagemaker.CreateDomainInput, cmp.Option) {
	t.Helper()
	f := newFiller(t)
	in := new(sagemaker.CreateDomainInput)
	f.fill(reflect.ValueOf(in).Elem(), "CreateDomainRequest", "")
	for shape, path := range f.missing {
		t.Errorf("no sample value for string shape %s (reached at %s): add one to sampleStrings", shape, path)
	}
	for shape := range sampleStrings {
		if !f.used[shape] {
			t.Errorf("sampleStrings[%q] is not used by CreateDomainRequest: remove it", shape)
		}
	}
	if f.leaves < 100 {
		t.Errorf("filled only %d leaf values; the walk is broken", f.leaves)
	}
	return in, f.ignoreUnexported()
}

func TestSpecRoundTripEveryField(t *testing.T) {
	in, ignore := fullInput(t)
	if t.Failed() {
		t.FailNow()
	}
	orig := wire.Clone(in)

	// Input -> Spec -> Input.
	s, err := SpecFromCreateDomainInput(in)
	if err != nil {
		t.Fatalf("the filled request is not valid: %v", err)
	}
	if diff := cmp.Diff(orig, s.CreateDomainInput(), ignore); diff != "" {
		t.Errorf("Input -> Spec -> Input lost data (-in +out):\n%s", diff)
	}
	if diff := cmp.Diff(orig, in, ignore); diff != "" {
		t.Errorf("SpecFromCreateDomainInput changed its argument (-before +after):\n%s", diff)
	}

	// JSON -> Spec -> JSON.
	doc, err := wire.Marshal(orig)
	if err != nil {
		t.Fatal(err)
	}
	s2, err := LoadSpecJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("LoadSpecJSON: %v", err)
	}
	out, err := s2.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	want, _ := wire.Parse(doc)
	got, err := wire.Parse(out)
	if err != nil {
		t.Fatalf("MarshalJSON wrote bad JSON: %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("JSON -> Spec -> JSON lost data (-in +out):\n%s", diff)
	}

	// Spec -> JSON -> Spec.
	s3, err := LoadSpecJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("LoadSpecJSON(MarshalJSON()): %v", err)
	}
	if diff := cmp.Diff(orig, s3.CreateDomainInput(), ignore); diff != "" {
		t.Errorf("Spec -> JSON -> Spec lost data (-in +out):\n%s", diff)
	}

	// The narrow and struct options reach every field too.
	ds, us, ss := orig.DomainSettings, orig.DefaultUserSettings, orig.DefaultSpaceSettings
	s4, err := NewSpec(*orig.DomainName,
		WithAuthMode(orig.AuthMode),
		WithVPC(*orig.VpcId, orig.SubnetIds...),
		WithKMSKey(*orig.KmsKeyId),
		WithAppNetworkAccessType(orig.AppNetworkAccessType),
		WithAppSecurityGroupManagement(orig.AppSecurityGroupManagement),
		WithTagPropagation(orig.TagPropagation),
		WithHomeEFSCreation(orig.HomeEfsFileSystemCreation),
		WithDefaultUserSettings(us), WithDomainSettings(ds), WithDefaultSpaceSettings(ss),
		WithTags(map[string]string{*orig.Tags[0].Key: *orig.Tags[0].Value}),
	)
	if err != nil {
		t.Fatalf("NewSpec with every field: %v", err)
	}
	want4 := wire.Clone(orig)
	//lint:ignore SA1019 the deprecated field is still part of the request and must round-trip
	want4.HomeEfsFileSystemKmsKeyId = nil // no option: deprecated in favour of KmsKeyId
	if diff := cmp.Diff(want4, s4.CreateDomainInput(), ignore); diff != "" {
		t.Errorf("NewSpec with every field (-want +got):\n%s", diff)
	}
}

// TestSpecRoundTripSorted checks that a spec's JSON does not depend on the
// order tags were given in.
func TestSpecRoundTripSorted(t *testing.T) {
	a := mustSpec(t)(LoadSpecJSON(strings.NewReader(seedJSON)))
	opts := seedOptions()
	slices.Reverse(opts)
	b := mustSpec(t)(NewSpec("my-sagemaker-domain", opts...))
	ja, _ := a.MarshalJSON()
	jb, _ := b.MarshalJSON()
	if !bytes.Equal(ja, jb) {
		t.Errorf("MarshalJSON differs:\n%s\n%s", ja, jb)
	}
}
