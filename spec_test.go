package smdomain

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// ignoreSDK ignores the SDK structs' unexported fields in comparisons.
var ignoreSDK = cmpopts.IgnoreUnexported(
	sagemaker.CreateDomainInput{}, types.UserSettings{}, types.DomainSettings{}, types.DefaultSpaceSettings{},
	types.Tag{}, types.RStudioServerProDomainSettings{}, types.SharingSettings{}, types.JupyterLabAppSettings{},
	types.CodeRepository{}, types.CustomPosixUserConfig{}, types.DockerSettings{},
)

func seedOptions() []Option {
	return []Option{
		WithAuthMode(types.AuthModeIam),
		WithVPC("vpc-0123456789abcdef0", "subnet-0123456789abcdef0"),
		WithExecutionRole(testRole),
		WithSecurityGroups("sg-0123456789abcdef0"),
		WithTags(map[string]string{"Environment": "Development", "Project": "MachineLearning"}),
	}
}

// mustSpec returns a function that fails t on an error and returns the
// spec: mustSpec(t)(NewSpec(...)).
func mustSpec(t *testing.T) func(*Spec, error) *Spec {
	t.Helper()
	return func(s *Spec, err error) *Spec {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return s
	}
}

func TestNewSpecSeed(t *testing.T) {
	s := mustSpec(t)(NewSpec("my-sagemaker-domain", seedOptions()...))
	if diff := cmp.Diff(seedInput(), s.CreateDomainInput(), ignoreSDK); diff != "" {
		t.Errorf("CreateDomainInput (-want +got):\n%s", diff)
	}
	if s.Name() != "my-sagemaker-domain" || s.DomainID() != "" {
		t.Errorf("Name, DomainID = %q, %q", s.Name(), s.DomainID())
	}
}

// TestNewSpecOptions checks what each option writes and how options
// combine, on the CreateDomainInput the spec produces.
func TestNewSpecOptions(t *testing.T) {
	base := func() *sagemaker.CreateDomainInput {
		return &sagemaker.CreateDomainInput{
			DomainName:          aws.String("d"),
			AuthMode:            types.AuthModeIam,
			DefaultUserSettings: &types.UserSettings{ExecutionRole: aws.String(testRole)},
		}
	}
	rs := &types.RStudioServerProDomainSettings{DomainExecutionRoleArn: aws.String(testRole2)}
	tests := []struct {
		name string
		opts []Option
		want func(in *sagemaker.CreateDomainInput)
	}{
		{"defaults: IAM and nothing else", nil, func(*sagemaker.CreateDomainInput) {}},
		{"nil option ignored", []Option{nil}, func(*sagemaker.CreateDomainInput) {}},
		{"WithAuthMode", []Option{WithAuthMode(types.AuthModeSso)}, func(in *sagemaker.CreateDomainInput) {
			in.AuthMode = types.AuthModeSso
		}},
		{"WithVPC replaces subnets", []Option{WithVPC("vpc-1", "subnet-1", "subnet-2"), WithVPC("vpc-2", "subnet-3")},
			func(in *sagemaker.CreateDomainInput) {
				in.VpcId, in.SubnetIds = aws.String("vpc-2"), []string{"subnet-3"}
			}},
		{"WithSecurityGroups replaces", []Option{WithSecurityGroups("sg-1", "sg-2"), WithSecurityGroups("sg-3")},
			func(in *sagemaker.CreateDomainInput) { in.DefaultUserSettings.SecurityGroups = []string{"sg-3"} }},
		{"WithSecurityGroups none is managed empty", []Option{WithSecurityGroups()},
			func(in *sagemaker.CreateDomainInput) { in.DefaultUserSettings.SecurityGroups = []string{} }},
		{"WithKMSKey", []Option{WithKMSKey("alias/domain")}, func(in *sagemaker.CreateDomainInput) {
			in.KmsKeyId = aws.String("alias/domain")
		}},
		{"network, SG management, propagation, EFS", []Option{
			WithVPC("vpc-1", "subnet-1"), WithSecurityGroups("sg-1"),
			WithAppNetworkAccessType(types.AppNetworkAccessTypeVpcOnly),
			WithAppSecurityGroupManagement(types.AppSecurityGroupManagementService),
			WithTagPropagation(types.TagPropagationEnabled),
			WithHomeEFSCreation(types.HomeEfsFileSystemCreationDisabled),
		}, func(in *sagemaker.CreateDomainInput) {
			in.VpcId, in.SubnetIds = aws.String("vpc-1"), []string{"subnet-1"}
			in.DefaultUserSettings.SecurityGroups = []string{"sg-1"}
			in.AppNetworkAccessType = types.AppNetworkAccessTypeVpcOnly
			in.AppSecurityGroupManagement = types.AppSecurityGroupManagementService
			in.TagPropagation = types.TagPropagationEnabled
			in.HomeEfsFileSystemCreation = types.HomeEfsFileSystemCreationDisabled
		}},
		{"WithSourceIdentity and domain security groups", []Option{WithSourceIdentity(), WithDomainSecurityGroups("sg-9")},
			func(in *sagemaker.CreateDomainInput) {
				in.DomainSettings = &types.DomainSettings{
					ExecutionRoleIdentityConfig: types.ExecutionRoleIdentityConfigUserProfileName,
					SecurityGroupIds:            []string{"sg-9"},
				}
			}},
		{"WithDefaultUserSettings after narrow options merges set fields", []Option{
			WithSecurityGroups("sg-1"),
			WithDefaultUserSettings(&types.UserSettings{
				SecurityGroups:  []string{"sg-2"},
				SharingSettings: &types.SharingSettings{NotebookOutputOption: types.NotebookOutputOptionDisabled},
			}),
		}, func(in *sagemaker.CreateDomainInput) {
			in.DefaultUserSettings.SecurityGroups = []string{"sg-2"}
			in.DefaultUserSettings.SharingSettings = &types.SharingSettings{NotebookOutputOption: types.NotebookOutputOptionDisabled}
		}},
		{"narrow option after WithDefaultUserSettings wins", []Option{
			WithDefaultUserSettings(&types.UserSettings{ExecutionRole: aws.String(testRole2), SecurityGroups: []string{"sg-2"}}),
			WithExecutionRole(testRole),
		}, func(in *sagemaker.CreateDomainInput) { in.DefaultUserSettings.SecurityGroups = []string{"sg-2"} }},
		{"nested structs merge field by field", []Option{
			WithDefaultUserSettings(&types.UserSettings{SharingSettings: &types.SharingSettings{S3OutputPath: aws.String("s3://b/p")}}),
			WithDefaultUserSettings(&types.UserSettings{SharingSettings: &types.SharingSettings{NotebookOutputOption: types.NotebookOutputOptionAllowed}}),
		}, func(in *sagemaker.CreateDomainInput) {
			in.DefaultUserSettings.SharingSettings = &types.SharingSettings{
				S3OutputPath: aws.String("s3://b/p"), NotebookOutputOption: types.NotebookOutputOptionAllowed,
			}
		}},
		{"WithDomainSettings keeps WithSourceIdentity", []Option{
			WithSourceIdentity(),
			WithDomainSettings(&types.DomainSettings{RStudioServerProDomainSettings: rs}),
		}, func(in *sagemaker.CreateDomainInput) {
			in.DomainSettings = &types.DomainSettings{
				ExecutionRoleIdentityConfig:    types.ExecutionRoleIdentityConfigUserProfileName,
				RStudioServerProDomainSettings: rs,
			}
		}},
		{"WithDefaultSpaceSettings", []Option{
			WithDefaultSpaceSettings(&types.DefaultSpaceSettings{ExecutionRole: aws.String(testRole2)}),
			WithDefaultSpaceSettings(&types.DefaultSpaceSettings{SecurityGroups: []string{"sg-5"}}),
		}, func(in *sagemaker.CreateDomainInput) {
			in.DefaultSpaceSettings = &types.DefaultSpaceSettings{ExecutionRole: aws.String(testRole2), SecurityGroups: []string{"sg-5"}}
		}},
		{"nil structs change nothing", []Option{
			WithDefaultUserSettings(nil), WithDomainSettings(nil), WithDefaultSpaceSettings(nil),
		}, func(*sagemaker.CreateDomainInput) {}},
		{"WithTags merges, later wins", []Option{
			WithTags(map[string]string{"a": "1", "b": "2"}), WithTags(nil), WithTags(map[string]string{"b": "3"}),
		}, func(in *sagemaker.CreateDomainInput) {
			in.Tags = []types.Tag{{Key: aws.String("a"), Value: aws.String("1")}, {Key: aws.String("b"), Value: aws.String("3")}}
		}},
		{"WithTags empty manages no tags", []Option{WithTags(map[string]string{})}, func(in *sagemaker.CreateDomainInput) {
			in.Tags = []types.Tag{}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := append([]Option{WithExecutionRole(testRole)}, tc.opts...)
			s := mustSpec(t)(NewSpec("d", opts...))
			want := base()
			tc.want(want)
			if diff := cmp.Diff(want, s.CreateDomainInput(), ignoreSDK); diff != "" {
				t.Errorf("CreateDomainInput (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNewSpecTagsManagement(t *testing.T) {
	tests := []struct {
		name string
		opts []Option
		want map[string]string
	}{
		{"unmanaged", nil, nil},
		{"nil map", []Option{WithTags(nil)}, nil},
		{"empty map", []Option{WithTags(map[string]string{})}, map[string]string{}},
		{"tags", []Option{WithTags(map[string]string{"k": ""})}, map[string]string{"k": ""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := mustSpec(t)(NewSpec("d", append(tc.opts, WithExecutionRole(testRole))...))
			got := s.Tags()
			if (got == nil) != (tc.want == nil) {
				t.Fatalf("Tags() = %#v, want %#v", got, tc.want)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Tags (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNewSpecWithDomainID(t *testing.T) {
	tests := []struct {
		id      string
		wantErr bool
	}{
		{"d-abc123def456", false},
		{"d-a", false},
		{"", true},
		{"d-", true},
		{"d-ABC", true},
		{"x-abc", true},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			s, err := NewSpec("d", WithExecutionRole(testRole), WithDomainID(tc.id))
			if tc.wantErr {
				var ve *ValidationError
				if !errors.As(err, &ve) || !ve.Has("DomainId", RulePattern) {
					t.Fatalf("err = %v, want a DomainId pattern problem", err)
				}
				return
			}
			if s = mustSpec(t)(s, err); s.DomainID() != tc.id {
				t.Errorf("DomainID() = %q, want %q", s.DomainID(), tc.id)
			}
		})
	}
}

// TestSpecImmutable changes everything that went into or came out of a
// spec and checks the spec did not change.
func TestSpecImmutable(t *testing.T) {
	subnets := []string{"subnet-1"}
	tags := map[string]string{"a": "1"}
	us := &types.UserSettings{ExecutionRole: aws.String(testRole), SecurityGroups: []string{"sg-1"}}
	opts := []Option{WithVPC("vpc-1", subnets...), WithTags(tags), WithDefaultUserSettings(us)}
	s := mustSpec(t)(NewSpec("d", opts...))
	want := s.CreateDomainInput()

	subnets[0], tags["a"], tags["b"] = "subnet-x", "x", "y"
	*us.ExecutionRole = "changed"
	us.SecurityGroups[0] = "sg-x"
	out := s.CreateDomainInput()
	out.DefaultUserSettings.SecurityGroups[0] = "sg-y"
	*out.DomainName = "other"
	out.Tags[0].Value = aws.String("z")
	s.Tags()["a"] = "w"

	if diff := cmp.Diff(want, s.CreateDomainInput(), ignoreSDK); diff != "" {
		t.Errorf("spec changed (-before +after):\n%s", diff)
	}
	// An option value can be reused: a second spec sees the values the
	// option was made with.
	s2 := mustSpec(t)(NewSpec("d", opts...))
	if diff := cmp.Diff(want, s2.CreateDomainInput(), ignoreSDK); diff != "" {
		t.Errorf("reused options (-want +got):\n%s", diff)
	}

	in := seedInput()
	s3 := mustSpec(t)(SpecFromCreateDomainInput(in))
	in.DefaultUserSettings.ExecutionRole = aws.String("changed")
	in.Tags[0].Key = aws.String("changed")
	if diff := cmp.Diff(seedInput(), s3.CreateDomainInput(), ignoreSDK); diff != "" {
		t.Errorf("spec from input changed (-want +got):\n%s", diff)
	}
}

// TestSpecConcurrentUse reads one spec from many goroutines; run with -race.
func TestSpecConcurrentUse(t *testing.T) {
	s := mustSpec(t)(NewSpec("my-sagemaker-domain", seedOptions()...))
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			in := s.CreateDomainInput()
			in.DefaultUserSettings.SecurityGroups = append(in.DefaultUserSettings.SecurityGroups, "sg-2")
			_ = s.Tags()
			_, _ = s.MarshalJSON()
			_ = s.Name()
		})
	}
	wg.Wait()
}

func TestZeroSpec(t *testing.T) {
	for _, s := range []*Spec{nil, {}} {
		if s.Name() != "" || s.DomainID() != "" || s.Tags() != nil {
			t.Errorf("zero spec: Name %q DomainID %q Tags %v", s.Name(), s.DomainID(), s.Tags())
		}
		if in := s.CreateDomainInput(); in == nil {
			t.Error("CreateDomainInput() = nil")
		}
	}
}

func TestSpecFromCreateDomainInputNil(t *testing.T) {
	_, err := SpecFromCreateDomainInput(nil)
	want := []problem{
		{"AuthMode", RuleRequired},
		{"DefaultUserSettings", RuleRequired},
		{"DefaultUserSettings.ExecutionRole", RuleRequired},
		{"DomainName", RuleRequired},
	}
	if diff := cmp.Diff(want, sortedProblems(problemsOf(t, err))); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

// TestConstructorsTakeOptions checks that options apply on top of a JSON
// document or a CreateDomain request: a pinned ID, an override, and tags
// that replace or join the document's.
func TestConstructorsTakeOptions(t *testing.T) {
	doc := `{"DomainName":"ml","AuthMode":"IAM","DefaultUserSettings":{"ExecutionRole":"arn:aws:iam::123456789012:role/A"},
		"Tags":[{"Key":"Team","Value":"a"},{"Key":"Env","Value":"dev"}]}`
	opts := []Option{
		WithDomainID("d-abcdefghijkl"),
		WithExecutionRole("arn:aws:iam::123456789012:role/B"),
		WithTags(map[string]string{"Env": "prod", "Owner": "ml"}),
	}
	fromJSON, err := LoadSpecJSON(strings.NewReader(doc), opts...)
	if err != nil {
		t.Fatal(err)
	}
	in := fromJSON.CreateDomainInput()
	in.Tags = nil
	fromReq, err := SpecFromCreateDomainInput(in, opts...)
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]*Spec{"LoadSpecJSON": fromJSON, "SpecFromCreateDomainInput": fromReq} {
		if s.DomainID() != "d-abcdefghijkl" {
			t.Errorf("%s: domain ID %q", name, s.DomainID())
		}
		if got := *s.CreateDomainInput().DefaultUserSettings.ExecutionRole; got != "arn:aws:iam::123456789012:role/B" {
			t.Errorf("%s: execution role %s, want the option's", name, got)
		}
	}
	if diff := cmp.Diff(map[string]string{"Team": "a", "Env": "prod", "Owner": "ml"}, fromJSON.Tags()); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
	var ve *ValidationError
	if _, err := LoadSpecJSON(strings.NewReader(doc), WithDomainID("nope")); !errors.As(err, &ve) || !ve.Has("DomainId", RulePattern) {
		t.Errorf("bad pinned ID: %v, want a DomainId pattern problem", err)
	}
}
