package docpath

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func doc(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestLookupAndSet(t *testing.T) {
	d := doc(t, `{"A":{"B":{"C":"x"}},"L":[1]}`).(map[string]any)
	if got := Lookup(d, []string{"A", "B", "C"}); got != "x" {
		t.Errorf("Lookup A.B.C = %v, want x", got)
	}
	for _, p := range [][]string{{"A", "Z"}, {"L", "0"}, {"A", "B", "C", "D"}} {
		if got := Lookup(d, p); got != nil {
			t.Errorf("Lookup %v = %v, want nil", p, got)
		}
	}
	Set(d, []string{"A", "B", "D"}, "y")
	Set(d, []string{"N", "M"}, true)
	Set(d, nil, "ignored")
	want := doc(t, `{"A":{"B":{"C":"x","D":"y"}},"L":[1],"N":{"M":true}}`)
	if diff := cmp.Diff(want, any(d)); diff != "" {
		t.Errorf("after Set (-want +got):\n%s", diff)
	}
}

func TestFindAndRemove(t *testing.T) {
	tests := []struct {
		path  string
		found any
		ok    bool
		after string
	}{
		{"A.L[1]", "b", true, `{"A":{"L":["a",null,{"K":1}]},"T":"t"}`},
		{"A.L[2].K", 1.0, true, `{"A":{"L":["a","b",{}]},"T":"t"}`},
		{"T", "t", true, `{"A":{"L":["a","b",{"K":1}]}}`},
		{"A.L[3]", nil, false, ""},
		{"A.M", nil, false, ""},
		{"T.X", nil, false, ""},
		{"A[0]", nil, false, ""},
		{"A.L[x]", nil, false, ""},
		{"", nil, false, ""},
	}
	for _, tt := range tests {
		d := doc(t, `{"A":{"L":["a","b",{"K":1}]},"T":"t"}`)
		got, ok := Find(d, tt.path)
		if ok != tt.ok || !cmp.Equal(got, tt.found) {
			t.Errorf("Find(%q) = %v, %v; want %v, %v", tt.path, got, ok, tt.found, tt.ok)
		}
		if removed := Remove(d, tt.path); removed != tt.ok {
			t.Errorf("Remove(%q) = %v, want %v", tt.path, removed, tt.ok)
		}
		if tt.ok {
			if diff := cmp.Diff(doc(t, tt.after), d); diff != "" {
				t.Errorf("after Remove(%q) (-want +got):\n%s", tt.path, diff)
			}
		}
	}
}

func TestPrune(t *testing.T) {
	desired := doc(t, `{"A":{"B":1},"L":[1],"Gone":{"X":1}}`)
	live := doc(t, `{"A":{"B":2,"C":3},"L":[2,3],"Other":4}`)
	want := doc(t, `{"A":{"B":2},"L":[2,3]}`)
	if diff := cmp.Diff(want, Prune(desired, live)); diff != "" {
		t.Errorf("Prune (-want +got):\n%s", diff)
	}
}

func TestMerge(t *testing.T) {
	dst := doc(t, `{"DefaultUserSettings":{"ExecutionRole":"r","SecurityGroups":["a","b"],"JupyterServerAppSettings":{"DefaultResourceSpec":{"InstanceType":"ml.t3.medium","SageMakerImageArn":"i"}}},"DomainName":"d"}`)
	src := doc(t, `{"DefaultUserSettings":{"SecurityGroups":["c"],"JupyterServerAppSettings":{"DefaultResourceSpec":{"InstanceType":"system"}}},"AppNetworkAccessType":"VpcOnly"}`)
	want := doc(t, `{"DefaultUserSettings":{"ExecutionRole":"r","SecurityGroups":["c"],"JupyterServerAppSettings":{"DefaultResourceSpec":{"InstanceType":"system","SageMakerImageArn":"i"}}},"DomainName":"d","AppNetworkAccessType":"VpcOnly"}`)
	before := doc(t, `{"DefaultUserSettings":{"ExecutionRole":"r","SecurityGroups":["a","b"],"JupyterServerAppSettings":{"DefaultResourceSpec":{"InstanceType":"ml.t3.medium","SageMakerImageArn":"i"}}},"DomainName":"d"}`)
	if diff := cmp.Diff(want, Merge("DescribeDomainResponse", dst, src)); diff != "" {
		t.Errorf("Merge (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(before, dst); diff != "" {
		t.Errorf("Merge changed dst (-want +got):\n%s", diff)
	}
	if got := Merge("NoSuchShape", dst, "x"); got != "x" {
		t.Errorf("Merge on an unknown shape = %v, want the source", got)
	}
}

func TestFit(t *testing.T) {
	described := doc(t, `{"DomainName":"d","DomainId":"d-1","Status":"InService","DefaultUserSettings":{"ExecutionRole":"r","Extra":1,
		"CustomFileSystemConfigs":[{"EFSFileSystemConfig":{"FileSystemId":"fs-1","Bogus":2}}]},"Url":"u"}`)
	want := doc(t, `{"DomainName":"d","DefaultUserSettings":{"ExecutionRole":"r",
		"CustomFileSystemConfigs":[{"EFSFileSystemConfig":{"FileSystemId":"fs-1"}}]}}`)
	if diff := cmp.Diff(want, Fit("CreateDomainRequest", described)); diff != "" {
		t.Errorf("Fit (-want +got):\n%s", diff)
	}
}
