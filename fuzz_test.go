package smdomain

import (
	"bytes"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/google/go-cmp/cmp"

	"github.com/finegrained/smdomain/internal/wire"
)

// FuzzNewSpec builds specs from arbitrary option values. NewSpec must not
// panic, must fail only with a *ValidationError, and a spec it accepts must
// survive the trip through its JSON and through CreateDomainInput.
func FuzzNewSpec(f *testing.F) {
	f.Add("my-sagemaker-domain", "IAM", "vpc-0123456789abcdef0", "subnet-0123456789abcdef0", testRole,
		"sg-0123456789abcdef0", "Environment", "Development", "", "", "", false)
	f.Add("ml-platform", "SSO", "vpc-1", "subnet-1", testRole, "sg-1", "Project", "", "alias/key", "VpcOnly", "d-abc123", true)
	f.Add("-bad", "LDAP", "vpc_1", "", "role", "sg 1", "aws:owner", "x{}", "key id", "VPCOnly", "x", true)
	f.Add("", "", "", "", "", "", "", "", "", "", "", false)
	f.Add("a", "IAM", "\x00", "\xff", "arn:aws:iam::123456789012:role/\u00e9", "\u2028", "\u00e9\u3000", "\U0001F600", "", "", "d-", false)
	f.Fuzz(func(t *testing.T, name, auth, vpc, subnet, role, sg, tagKey, tagValue, kms, access, domainID string, identity bool) {
		opts := []Option{
			WithAuthMode(types.AuthMode(auth)),
			WithExecutionRole(role),
			WithTags(map[string]string{tagKey: tagValue}),
			WithAppNetworkAccessType(types.AppNetworkAccessType(access)),
		}
		if vpc != "" {
			opts = append(opts, WithVPC(vpc, subnet))
		}
		if sg != "" {
			opts = append(opts, WithSecurityGroups(sg), WithDomainSecurityGroups(sg))
		}
		if kms != "" {
			opts = append(opts, WithKMSKey(kms))
		}
		if identity {
			opts = append(opts, WithSourceIdentity())
		}
		if domainID != "" {
			opts = append(opts, WithDomainID(domainID))
		}
		s, err := NewSpec(name, opts...)
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) == 0 || s != nil {
				t.Fatalf("NewSpec = %v, %v; want nil and a *ValidationError with problems", s, err)
			}
			_ = err.Error()
			return
		}
		checkSpecRoundTrip(t, s)
	})
}

// FuzzLoadSpecJSON feeds arbitrary documents to LoadSpecJSON. It must not
// panic, and a spec it accepts must read back from its own JSON unchanged.
func FuzzLoadSpecJSON(f *testing.F) {
	f.Add([]byte(seedJSON))
	f.Add([]byte(`{}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"DomainName":`))
	f.Add([]byte(`{"DomainName":"d","AuthMode":"IAM","DefaultUserSettings":{"ExecutionRole":"` + testRole + `"},"Tags":[]}`))
	f.Add([]byte(`{"DomainName":"d","AuthMode":"IAM","DefaultUserSettings":{"ExecutionRole":"` + testRole +
		`","CustomFileSystemConfigs":[{"EFSFileSystemConfig":{"FileSystemId":"fs-0123456789abcdef0"}},{"NFS":{}},{}],` +
		`"CustomPosixUserConfig":{"Uid":1e400,"Gid":-1}},"Tags":[{"Key":"a","Value":"1"},{"Key":"a","Value":"2"},{"Key":null}]}`))
	f.Add([]byte(`{"SubnetIds":[1,[2],{"3":4}],"VpcId":{"Extra":[null]},"Tags":{"Key":"k"},"DomainSettings":[]}`))
	if full, err := wire.Marshal(mustFullInput(f)); err == nil {
		f.Add(full)
	}
	f.Add([]byte(teamJSON))
	f.Add([]byte(`{"DomainName":"d","AuthMode":"SSO","DefaultUserSettings":{"ExecutionRole":"` + testRole +
		`"},"UserProfiles":[{"UserProfileName":"a","SingleSignOnUserIdentifier":"UserName"},{"UserProfileName":"A"},null,[],{"DomainId":"d-x"}],` +
		`"Spaces":{"SpaceName":"s"}}`))
	f.Add([]byte(`{"DomainName":"d","AuthMode":"IAM","DefaultUserSettings":{"ExecutionRole":"` + testRole +
		`"},"Spaces":[{"SpaceName":"p","SpaceSharingSettings":{"SharingType":"Private"}},{"SpaceName":1,"SpaceSettings":{"AppType":"Nope"}}],"UserProfiles":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := LoadSpecJSON(bytes.NewReader(data))
		if err != nil {
			if s != nil {
				t.Fatalf("LoadSpecJSON returned a spec and %v", err)
			}
			var ve *ValidationError
			if errors.As(err, &ve) && len(ve.Problems) == 0 {
				t.Fatal("a *ValidationError with no problems")
			}
			_ = err.Error()
			return
		}
		checkSpecRoundTrip(t, s)
	})
}

func mustFullInput(f *testing.F) any {
	in, _ := fullInput(f)
	return in
}

// checkSpecRoundTrip checks that s reads back unchanged from its JSON and
// from its CreateDomainInput.
func checkSpecRoundTrip(t *testing.T, s *Spec) {
	t.Helper()
	data, err := s.MarshalJSON()
	if err != nil {
		t.Fatalf("MarshalJSON: %v", err)
	}
	back, err := LoadSpecJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("LoadSpecJSON(MarshalJSON()) = %v\nJSON: %s", err, data)
	}
	again, err := back.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, again) {
		t.Fatalf("JSON changed on a round trip:\n%s\n%s", data, again)
	}
	fromInput, err := SpecFromCreateDomainInput(s.CreateDomainInput())
	if err != nil {
		t.Fatalf("SpecFromCreateDomainInput(CreateDomainInput()) = %v", err)
	}
	if diff := cmp.Diff(s.Tags(), fromInput.Tags()); diff != "" || (s.Tags() == nil) != (fromInput.Tags() == nil) {
		t.Fatalf("tags changed (-before +after):\n%s", diff)
	}
	if s.Name() != back.Name() || s.Name() != fromInput.Name() {
		t.Fatalf("names: %q, %q, %q", s.Name(), back.Name(), fromInput.Name())
	}
}
