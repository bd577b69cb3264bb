package wire

import (
	"errors"
	"go/token"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/google/go-cmp/cmp"
)

func sample() *sagemaker.DescribeDomainOutput {
	created := time.Date(2026, 11, 1, 9, 0, 0, 250_000_000, time.UTC)
	return &sagemaker.DescribeDomainOutput{
		DomainId:     aws.String("d-abcdefghijkl"),
		AuthMode:     types.AuthModeIam,
		CreationTime: &created,
		SubnetIds:    []string{"subnet-1", "subnet-2"},
		DefaultUserSettings: &types.UserSettings{
			SecurityGroups: []string{},
			CustomFileSystemConfigs: []types.CustomFileSystemConfig{
				&types.CustomFileSystemConfigMemberEFSFileSystemConfig{Value: types.EFSFileSystemConfig{FileSystemId: aws.String("fs-12345678")}},
			},
			CodeEditorAppSettings: &types.CodeEditorAppSettings{
				AppLifecycleManagement: &types.AppLifecycleManagement{IdleSettings: &types.IdleSettings{IdleTimeoutInMinutes: aws.Int32(90)}},
			},
		},
	}
}

// ignoreUnexported skips every unexported struct field, as the SDK's
// structs carry some that go-cmp cannot read.
var ignoreUnexported = cmp.FilterPath(func(p cmp.Path) bool {
	sf, ok := p.Last().(cmp.StructField)
	return ok && !token.IsExported(sf.Name())
}, cmp.Ignore())

func TestMarshalShape(t *testing.T) {
	got, err := Marshal(sample())
	if err != nil {
		t.Fatal(err)
	}
	want := `{"AuthMode":"IAM","CreationTime":1793523600.25,` +
		`"DefaultUserSettings":{"CodeEditorAppSettings":{"AppLifecycleManagement":{"IdleSettings":{"IdleTimeoutInMinutes":90}}},` +
		`"CustomFileSystemConfigs":[{"EFSFileSystemConfig":{"FileSystemId":"fs-12345678"}}],"SecurityGroups":[]},` +
		`"DomainId":"d-abcdefghijkl","SubnetIds":["subnet-1","subnet-2"]}`
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("Marshal (-want +got):\n%s", diff)
	}
}

func TestRoundTripAndClone(t *testing.T) {
	in := sample()
	data, err := Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var back sagemaker.DescribeDomainOutput
	if err := Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	opts := ignoreUnexported
	if diff := cmp.Diff(in, &back, opts); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	c := Clone(in)
	if diff := cmp.Diff(in, c, opts); diff != "" {
		t.Errorf("Clone (-want +got):\n%s", diff)
	}
	c.SubnetIds[0] = "changed"
	*c.DomainId = "changed"
	if in.SubnetIds[0] != "subnet-1" || *in.DomainId != "d-abcdefghijkl" {
		t.Error("Clone shares memory with its source")
	}
}

func TestDecodeStrict(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		path string
	}{
		{"unknown top-level", `{"DomainName":"x","Bogus":1}`, "Bogus"},
		{"unknown nested", `{"DefaultUserSettings":{"ExecutionRol":"r"}}`, "DefaultUserSettings.ExecutionRol"},
		{"case matters", `{"domainName":"x"}`, "domainName"},
		{"wrong type", `{"SubnetIds":"subnet-1"}`, "SubnetIds"},
		{"wrong element type", `{"SubnetIds":["a",2]}`, "SubnetIds[1]"},
		{"integer overflow", `{"DefaultUserSettings":{"CodeEditorAppSettings":{"AppLifecycleManagement":{"IdleSettings":{"IdleTimeoutInMinutes":4294967296}}}}}`,
			"DefaultUserSettings.CodeEditorAppSettings.AppLifecycleManagement.IdleSettings.IdleTimeoutInMinutes"},
		{"unknown union member", `{"DefaultUserSettings":{"CustomFileSystemConfigs":[{"NFS":{}}]}}`, "DefaultUserSettings.CustomFileSystemConfigs[0].NFS"},
		{"union with two members", `{"DefaultUserSettings":{"CustomFileSystemConfigs":[{"EFSFileSystemConfig":{},"S3FileSystemConfig":{}}]}}`, "DefaultUserSettings.CustomFileSystemConfigs[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var in sagemaker.CreateDomainInput
			err := Unmarshal([]byte(tt.doc), &in)
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Path != tt.path {
				t.Fatalf("Unmarshal(%s) = %v, want a FieldError at %s", tt.doc, err, tt.path)
			}
		})
	}
}

func TestEncodeOmitsUnset(t *testing.T) {
	if got := Encode(&sagemaker.CreateDomainInput{}); !cmp.Equal(got, map[string]any{}) {
		t.Errorf("empty input encodes as %#v, want {}", got)
	}
	if got := Encode((*sagemaker.CreateDomainInput)(nil)); got != nil {
		t.Errorf("nil input encodes as %#v, want nil", got)
	}
}
