package smdomain

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"

	"github.com/finegrained/smdomain/smdomaintest"
)

// withoutClientValidation removes the SDK's client-side check of required
// members, so that a request missing one reaches the server.
func withoutClientValidation(o *sagemaker.Options) {
	o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
		_, err := s.Initialize.Remove("OperationInputValidation")
		return err
	})
}

// isModelRule reports whether p is a rule of the service model, which the
// emulator enforces from the same table, rather than one of the spec's own
// cross-field rules.
func isModelRule(p problem) bool {
	switch {
	case p.Rule == RuleConflict:
		return false
	case p.Field == "DefaultUserSettings.ExecutionRole" && p.Rule == RuleRequired:
		return false // the API lets a user profile set it later; the spec insists
	case strings.HasPrefix(p.Field, "Tags[") && p.Rule == RulePattern:
		return false // the aws: prefix rule is ours; the model's tag pattern allows it
	}
	return true
}

// TestSpecAgreesWithEmulator sends CreateDomain requests to smdomaintest,
// which validates with the model table the spec uses: every request the
// spec accepts must be accepted by the server, and every request the spec
// rejects for a model rule must be rejected with a ValidationException.
func TestSpecAgreesWithEmulator(t *testing.T) {
	srv := smdomaintest.NewServer(smdomaintest.WithDomainQuota(10000))
	defer srv.Close()
	client := sagemaker.NewFromConfig(srv.AWSConfig(), withoutClientValidation)

	type request struct {
		name string
		in   *sagemaker.CreateDomainInput
		want []problem // the spec's problems
	}
	var reqs []request
	for _, tc := range validateCases() {
		in := seedInput()
		tc.mutate(in)
		reqs = append(reqs, request{tc.name, in, tc.want})
	}
	full, _ := fullInput(t)
	reqs = append(reqs, request{"every field set", full, nil})
	for _, opts := range [][]Option{
		seedOptions(),
		append(seedOptions(), WithAppNetworkAccessType(types.AppNetworkAccessTypeVpcOnly), WithSourceIdentity(),
			WithKMSKey("alias/domain"), WithDomainSecurityGroups("sg-1", "sg-2", "sg-3"),
			WithTagPropagation(types.TagPropagationEnabled), WithHomeEFSCreation(types.HomeEfsFileSystemCreationDisabled)),
		{WithExecutionRole(testRole), WithAuthMode(types.AuthModeSso), WithTags(map[string]string{})},
	} {
		s := mustSpec(t)(NewSpec("options", opts...))
		reqs = append(reqs, request{fmt.Sprintf("NewSpec with %d options", len(opts)), s.CreateDomainInput(), nil})
	}

	ctx := context.Background()
	for _, r := range reqs {
		t.Run(r.name, func(t *testing.T) {
			_, specErr := SpecFromCreateDomainInput(r.in)
			got := problemsOf(t, specErr)
			_, err := client.CreateDomain(ctx, r.in)
			var apiErr smithy.APIError
			serverRejected := errors.As(err, &apiErr) && apiErr.ErrorCode() == "ValidationException"
			if err != nil && !serverRejected {
				t.Fatalf("CreateDomain: unexpected error %v", err)
			}
			modelRejected := false
			for _, p := range got {
				modelRejected = modelRejected || isModelRule(p)
			}
			switch {
			case specErr == nil && serverRejected:
				t.Errorf("the spec accepts the request, the server rejects it: %v", err)
			case modelRejected && !serverRejected:
				t.Errorf("the spec rejects the request for a model rule (%v), the server accepts it", specErr)
			case specErr != nil && !serverRejected:
				t.Logf("only the spec's own rules reject it: %v", specErr)
			}
		})
	}
}
