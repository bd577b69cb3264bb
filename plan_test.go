package smdomain_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/google/go-cmp/cmp"

	"github.com/finegrained/smdomain"
)

// planString renders a plan with the random domain ID masked.
func planString(p *smdomain.Plan) string {
	if p.DomainID == "" {
		return p.String()
	}
	return strings.ReplaceAll(p.String(), p.DomainID, "d-xxxxxxxxxxxx")
}

func TestPlanRendering(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	seed := mustSpec(t, "plan", seedOptions()...)

	p, err := e.client.Plan(ctx, seed)
	if err != nil {
		t.Fatal(err)
	}
	wantCreate := `domain "plan" in 123456789012/us-east-1: create
  + AuthMode: "IAM"
  + DefaultUserSettings: {"ExecutionRole":"arn:aws:iam::123456789012:role/SageMakerExecutionRole","SecurityGroups":["sg-0abc1234def567890"]}
  + DomainName: "plan"
  + SubnetIds: ["subnet-0abc1234def567890"]
  + VpcId: "vpc-0abc1234def567890"
  + Tags.Environment: "Development"
  + Tags.Project: "MachineLearning"
`
	if diff := cmp.Diff(wantCreate, planString(p)); diff != "" {
		t.Errorf("create plan (-want +got):\n%s", diff)
	}
	mustEnsure(t, e.client, seed)

	tests := []struct {
		name string
		spec *smdomain.Spec
		want string
	}{
		{"no-op", seed, `domain "plan" (d-xxxxxxxxxxxx) in 123456789012/us-east-1: no-op
`},
		{"update", mustSpec(t, "plan", seedOptions(
			smdomain.WithAppNetworkAccessType(types.AppNetworkAccessTypeVpcOnly),
			smdomain.WithSecurityGroups("sg-0abc1234def567890", "sg-0fff1234def567890"),
			smdomain.WithTags(map[string]string{"Owner": "ml-team"}),
		)...), `domain "plan" (d-xxxxxxxxxxxx) in 123456789012/us-east-1: update, 3 changes
  ~ AppNetworkAccessType: "PublicInternetOnly" -> "VpcOnly"
  ~ DefaultUserSettings.SecurityGroups: ["sg-0abc1234def567890"] -> ["sg-0abc1234def567890","sg-0fff1234def567890"]
  + Tags.Owner: "ml-team"
`},
		{"replacement", mustSpec(t, "plan", seedOptions(
			smdomain.WithAuthMode(types.AuthModeSso),
			smdomain.WithVPC("vpc-0fff1234def567890", "subnet-0abc1234def567890"),
			smdomain.WithTagPropagation(types.TagPropagationEnabled),
		)...), `domain "plan" (d-xxxxxxxxxxxx) in 123456789012/us-east-1: replace-required, 3 changes (2 forcing replacement)
  ! AuthMode: "IAM" -> "SSO"
  ~ TagPropagation: "DISABLED" -> "ENABLED"
  ! VpcId: "vpc-0abc1234def567890" -> "vpc-0fff1234def567890"
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := e.client.Plan(ctx, tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, planString(p)); diff != "" {
				t.Errorf("plan (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPlanIgnoresServerDefaults checks that fields the server fills in
// (network access, tag propagation, user settings it adds) never show as
// changes for a spec that does not set them, and that a spec setting them
// to the server's value is a no-op too.
func TestPlanIgnoresServerDefaults(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	minimal := mustSpec(t, "defaults", smdomain.WithExecutionRole(testRole))
	res := mustEnsure(t, e.client, minimal)
	full := res.Domain.Description
	if full.AppNetworkAccessType == "" || full.TagPropagation == "" {
		t.Fatalf("the emulator filled no defaults; the test proves nothing: %+v", full)
	}
	explicit := mustSpec(t, "defaults", smdomain.WithExecutionRole(testRole),
		smdomain.WithAppNetworkAccessType(full.AppNetworkAccessType),
		smdomain.WithTagPropagation(full.TagPropagation))
	for _, spec := range []*smdomain.Spec{minimal, explicit} {
		p, err := e.client.Plan(ctx, spec)
		if err != nil {
			t.Fatal(err)
		}
		if p.Action != smdomain.PlanNoOp || len(p.Changes) != 0 {
			t.Errorf("plan over server defaults: %s", p)
		}
	}
}

// TestPlanListsAreSets checks that reordering a list is not a change.
func TestPlanListsAreSets(t *testing.T) {
	e := newEnv(t)
	sgs := []string{"sg-0aaa1234def567890", "sg-0bbb1234def567890", "sg-0ccc1234def567890"}
	mustEnsure(t, e.client, mustSpec(t, "sets", seedOptions(smdomain.WithSecurityGroups(sgs...))...))
	reversed := slices.Clone(sgs)
	slices.Reverse(reversed)
	p, err := e.client.Plan(context.Background(), mustSpec(t, "sets", seedOptions(smdomain.WithSecurityGroups(reversed...))...))
	if err != nil {
		t.Fatal(err)
	}
	if p.Action != smdomain.PlanNoOp {
		t.Errorf("reordered security groups: %s", p)
	}
}

// TestPlanNestedStructureSplit checks that a structure the domain lacks is
// planned field by field, so that an updatable field inside it is not
// reported as a replacement.
func TestPlanNestedStructureSplit(t *testing.T) {
	e := newEnv(t)
	mustEnsure(t, e.client, mustSpec(t, "nested", seedOptions()...))
	p, err := e.client.Plan(context.Background(), mustSpec(t, "nested", seedOptions(
		smdomain.WithDomainSettings(&types.DomainSettings{
			SecurityGroupIds: []string{"sg-0ddd1234def567890"},
			DockerSettings:   &types.DockerSettings{EnableDockerAccess: types.FeatureStatusEnabled},
		}))...))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range p.Changes {
		got = append(got, c.Path)
		if c.ForcesReplacement {
			t.Errorf("%s forces replacement; UpdateDomain can change it", c.Path)
		}
		if _, err := json.Marshal(c.To); err != nil {
			t.Errorf("%s: value not JSON: %v", c.Path, err)
		}
	}
	want := []string{"DomainSettings.DockerSettings.EnableDockerAccess", "DomainSettings.SecurityGroupIds"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("paths (-want +got):\n%s", diff)
	}
}

func TestZeroSpecRefused(t *testing.T) {
	e := newEnv(t)
	for _, spec := range []*smdomain.Spec{nil, {}} {
		var ve *smdomain.ValidationError
		if _, err := e.client.Plan(context.Background(), spec); !errors.As(err, &ve) {
			t.Errorf("Plan(%v): %v, want *ValidationError", spec, err)
		}
		if _, err := e.client.Ensure(context.Background(), spec); !errors.As(err, &ve) {
			t.Errorf("Ensure(%v): %v, want *ValidationError", spec, err)
		}
	}
	if calls := e.srv.Calls(); len(calls) != 0 {
		t.Errorf("calls made for an invalid spec: %v", calls)
	}
}
