package smdomaintest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/finegrained/smdomain/smdomaintest"
	"github.com/google/go-cmp/cmp"
)

// memberKind is what the tests that hold for user profiles and spaces
// alike need of each: how to create one, update it, read its status and
// force one, and its delay options.
type memberKind struct {
	name        string
	delay       func(time.Duration) smdomaintest.Option
	updateDelay func(time.Duration) smdomaintest.Option
	create      func(t *testing.T, c *sagemaker.Client, domainID, name string)
	update      func(c *sagemaker.Client, domainID, name string, optFns ...func(*sagemaker.Options)) error
	status      func(t *testing.T, c *sagemaker.Client, domainID, name string) string
	setStatus   func(srv *smdomaintest.Server, domainID, name, status string) error
}

var memberKinds = []memberKind{
	{
		name:        "user profile",
		delay:       smdomaintest.WithUserProfileDelay,
		updateDelay: smdomaintest.WithUserProfileUpdateDelay,
		create:      func(t *testing.T, c *sagemaker.Client, id, name string) { mustCreateProfile(t, c, id, name) },
		update: func(c *sagemaker.Client, id, name string, optFns ...func(*sagemaker.Options)) error {
			_, err := c.UpdateUserProfile(context.Background(), &sagemaker.UpdateUserProfileInput{
				DomainId: aws.String(id), UserProfileName: aws.String(name),
				UserSettings: &types.UserSettings{SecurityGroups: []string{"sg-0fedcba9876543210"}},
			}, optFns...)
			return err
		},
		status: profileStatus,
		setStatus: func(srv *smdomaintest.Server, id, name, status string) error {
			return srv.SetUserProfileStatus(id, name, status, "")
		},
	},
	{
		name:        "space",
		delay:       smdomaintest.WithSpaceDelay,
		updateDelay: smdomaintest.WithSpaceUpdateDelay,
		create:      func(t *testing.T, c *sagemaker.Client, id, name string) { mustCreateSpace(t, c, id, name, "") },
		update: func(c *sagemaker.Client, id, name string, optFns ...func(*sagemaker.Options)) error {
			_, err := c.UpdateSpace(context.Background(), &sagemaker.UpdateSpaceInput{
				DomainId: aws.String(id), SpaceName: aws.String(name), SpaceDisplayName: aws.String("Renamed"),
			}, optFns...)
			return err
		},
		status: spaceStatus,
		setStatus: func(srv *smdomaintest.Server, id, name, status string) error {
			return srv.SetSpaceStatus(id, name, status, "")
		},
	},
}

func TestUpdateUserProfileMergesOnlyWhatIsSent(t *testing.T) {
	_, c, clock := newTest(t)
	ctx := context.Background()
	id := aws.ToString(mustCreate(t, c, minimalCreate("merge")).DomainId)
	_, err := c.CreateUserProfile(ctx, &sagemaker.CreateUserProfileInput{
		DomainId: aws.String(id), UserProfileName: aws.String("alice"),
		UserSettings: &types.UserSettings{
			ExecutionRole:  aws.String(role),
			SecurityGroups: []string{"sg-0aaa", "sg-0bbb"},
			JupyterServerAppSettings: &types.JupyterServerAppSettings{
				DefaultResourceSpec: &types.ResourceSpec{InstanceType: types.AppInstanceTypeSystem, SageMakerImageArn: aws.String("arn:aws:sagemaker:us-east-1:123456789012:image/img")},
			},
			SharingSettings: &types.SharingSettings{NotebookOutputOption: types.NotebookOutputOptionDisabled},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	before, err := c.DescribeUserProfile(ctx, &sagemaker.DescribeUserProfileInput{DomainId: aws.String(id), UserProfileName: aws.String("alice")})
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)
	if _, err := c.UpdateUserProfile(ctx, &sagemaker.UpdateUserProfileInput{
		DomainId: aws.String(id), UserProfileName: aws.String("alice"),
		UserSettings: &types.UserSettings{
			SecurityGroups: []string{"sg-0ccc"},
			JupyterServerAppSettings: &types.JupyterServerAppSettings{
				DefaultResourceSpec: &types.ResourceSpec{InstanceType: types.AppInstanceTypeMlT3Medium},
				LifecycleConfigArns: []string{"arn:aws:sagemaker:us-east-1:123456789012:studio-lifecycle-config/lc"},
			},
		},
	}); err != nil {
		t.Fatal(err)
	}
	after, err := c.DescribeUserProfile(ctx, &sagemaker.DescribeUserProfileInput{DomainId: aws.String(id), UserProfileName: aws.String("alice")})
	if err != nil {
		t.Fatal(err)
	}

	want := *before
	want.Status = types.UserProfileStatusInService // the update delay is 0
	want.LastModifiedTime = aws.Time(epoch0.Add(time.Minute))
	want.UserSettings = &types.UserSettings{
		ExecutionRole:  aws.String(role),
		SecurityGroups: []string{"sg-0ccc"},
		JupyterServerAppSettings: &types.JupyterServerAppSettings{
			DefaultResourceSpec: &types.ResourceSpec{InstanceType: types.AppInstanceTypeMlT3Medium, SageMakerImageArn: aws.String("arn:aws:sagemaker:us-east-1:123456789012:image/img")},
			LifecycleConfigArns: []string{"arn:aws:sagemaker:us-east-1:123456789012:studio-lifecycle-config/lc"},
		},
		SharingSettings:   &types.SharingSettings{NotebookOutputOption: types.NotebookOutputOptionDisabled},
		StudioWebPortal:   types.StudioWebPortalEnabled,
		DefaultLandingUri: aws.String("studio::"),
	}
	if diff := cmp.Diff(&want, after, sdkCmp); diff != "" {
		t.Errorf("DescribeUserProfile after the update (-want +got):\n%s", diff)
	}
}

func TestUpdateSpaceMergesOnlyWhatIsSent(t *testing.T) {
	_, c, clock := newTest(t)
	ctx := context.Background()
	id := aws.ToString(mustCreate(t, c, minimalCreate("merge")).DomainId)
	mustCreateProfile(t, c, id, "alice")
	image := aws.String("arn:aws:sagemaker:us-east-1:123456789012:image/sagemaker-distribution-cpu")
	_, err := c.CreateSpace(ctx, &sagemaker.CreateSpaceInput{
		DomainId: aws.String(id), SpaceName: aws.String("lab"), SpaceDisplayName: aws.String("Lab"),
		OwnershipSettings:    &types.OwnershipSettings{OwnerUserProfileName: aws.String("alice")},
		SpaceSharingSettings: &types.SpaceSharingSettings{SharingType: types.SharingTypePrivate},
		SpaceSettings: &types.SpaceSettings{
			AppType: types.AppTypeJupyterLab,
			JupyterLabAppSettings: &types.SpaceJupyterLabAppSettings{
				DefaultResourceSpec: &types.ResourceSpec{InstanceType: types.AppInstanceTypeMlT3Medium, SageMakerImageArn: image},
				CodeRepositories:    []types.CodeRepository{{RepositoryUrl: aws.String("https://example.com/a.git")}},
			},
			RemoteAccess: types.FeatureStatusDisabled,
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	before, err := c.DescribeSpace(ctx, &sagemaker.DescribeSpaceInput{DomainId: aws.String(id), SpaceName: aws.String("lab")})
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)
	if _, err := c.UpdateSpace(ctx, &sagemaker.UpdateSpaceInput{
		DomainId: aws.String(id), SpaceName: aws.String("lab"),
		SpaceSettings: &types.SpaceSettings{
			JupyterLabAppSettings: &types.SpaceJupyterLabAppSettings{
				DefaultResourceSpec: &types.ResourceSpec{InstanceType: types.AppInstanceTypeMlT3Large},
				CodeRepositories:    []types.CodeRepository{{RepositoryUrl: aws.String("https://example.com/b.git")}},
			},
			SpaceStorageSettings: &types.SpaceStorageSettings{EbsStorageSettings: &types.EbsStorageSettings{EbsVolumeSizeInGb: aws.Int32(50)}},
		},
	}); err != nil {
		t.Fatal(err)
	}
	after, err := c.DescribeSpace(ctx, &sagemaker.DescribeSpaceInput{DomainId: aws.String(id), SpaceName: aws.String("lab")})
	if err != nil {
		t.Fatal(err)
	}

	want := *before
	want.Status = types.SpaceStatusInService
	want.LastModifiedTime = aws.Time(epoch0.Add(time.Minute))
	want.SpaceSettings = &types.SpaceSettings{
		AppType: types.AppTypeJupyterLab,
		JupyterLabAppSettings: &types.SpaceJupyterLabAppSettings{
			DefaultResourceSpec: &types.ResourceSpec{InstanceType: types.AppInstanceTypeMlT3Large, SageMakerImageArn: image},
			CodeRepositories:    []types.CodeRepository{{RepositoryUrl: aws.String("https://example.com/b.git")}},
		},
		RemoteAccess:         types.FeatureStatusDisabled,
		SpaceStorageSettings: &types.SpaceStorageSettings{EbsStorageSettings: &types.EbsStorageSettings{EbsVolumeSizeInGb: aws.Int32(50)}},
	}
	if diff := cmp.Diff(&want, after, sdkCmp); diff != "" {
		t.Errorf("DescribeSpace after the update (-want +got):\n%s", diff)
	}
	if got := aws.ToString(after.SpaceDisplayName); got != "Lab" {
		t.Errorf("SpaceDisplayName = %q after an update that did not send it, want Lab", got)
	}
}

// TestMemberUpdateStatus walks a user profile and a space through an
// update on the fake clock, with the update delay given or left to follow
// the create delay.
func TestMemberUpdateStatus(t *testing.T) {
	const createDelay = 2 * time.Minute
	for _, k := range memberKinds {
		for _, tt := range []struct {
			name        string
			opts        []smdomaintest.Option
			updateDelay time.Duration
		}{
			{"default follows the create delay", []smdomaintest.Option{k.delay(createDelay)}, createDelay},
			{"own delay", []smdomaintest.Option{k.delay(createDelay), k.updateDelay(30 * time.Second)}, 30 * time.Second},
			{"own delay given first", []smdomaintest.Option{k.updateDelay(30 * time.Second), k.delay(createDelay)}, 30 * time.Second},
		} {
			t.Run(k.name+"/"+tt.name, func(t *testing.T) {
				_, c, clock := newTest(t, tt.opts...)
				id := aws.ToString(mustCreate(t, c, minimalCreate("updates")).DomainId)
				k.create(t, c, id, "m")
				var got, want []string
				step := func(name, status string) {
					got = append(got, name+": "+k.status(t, c, id, "m"))
					want = append(want, name+": "+status)
				}
				step("created", "Pending")
				if err := k.update(c, id, "m"); !errorsAs(err, new(*types.ResourceInUse)) {
					t.Errorf("update while Pending: %v, want ResourceInUse", err)
				}
				step("update refused", "Pending")
				clock.Advance(createDelay)
				step("create done", "InService")
				if err := k.update(c, id, "m"); err != nil {
					t.Fatalf("update: %v", err)
				}
				step("update sent", "Updating")
				if err := k.update(c, id, "m"); !errorsAs(err, new(*types.ResourceInUse)) {
					t.Errorf("update while Updating: %v, want ResourceInUse", err)
				}
				clock.Advance(tt.updateDelay - time.Millisecond)
				step("update almost done", "Updating")
				clock.Advance(time.Millisecond)
				step("update done", "InService")
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("statuses (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// TestMemberUpdateByStatus checks in which statuses an update is taken.
func TestMemberUpdateByStatus(t *testing.T) {
	for _, k := range memberKinds {
		for _, tt := range []struct {
			status string
			ok     bool
		}{
			{"InService", true},
			{"Update_Failed", true},
			{"Failed", false},
			{"Pending", false},
			{"Updating", false},
			{"Deleting", false},
			{"Delete_Failed", false},
		} {
			t.Run(k.name+"/"+tt.status, func(t *testing.T) {
				// A delay keeps Pending, Updating and Deleting from settling.
				srv, c, _ := newTest(t, k.delay(time.Minute))
				id := aws.ToString(mustCreate(t, c, minimalCreate("updates")).DomainId)
				k.create(t, c, id, "m")
				if err := k.setStatus(srv, id, "m", tt.status); err != nil {
					t.Fatal(err)
				}
				err := k.update(c, id, "m")
				switch {
				case tt.ok && err != nil:
					t.Errorf("update: %v, want success", err)
				case !tt.ok && !errorsAs(err, new(*types.ResourceInUse)):
					t.Errorf("update: %v, want ResourceInUse", err)
				}
			})
		}
		t.Run(k.name+"/missing", func(t *testing.T) {
			_, c, _ := newTest(t)
			id := aws.ToString(mustCreate(t, c, minimalCreate("updates")).DomainId)
			for _, dom := range []string{id, "d-000000000000"} {
				if err := k.update(c, dom, "nobody"); !errorsAs(err, new(*types.ResourceNotFound)) {
					t.Errorf("update in %s: %v, want ResourceNotFound", dom, err)
				}
			}
		})
	}
}

// withMembers adds members to the JSON body the SDK serialized, so that a
// test can send, through the SDK and its error decoding, members its input
// struct does not have.
func withMembers(extra map[string]any) func(*sagemaker.Options) {
	mw := middleware.SerializeMiddlewareFunc("smdomaintestExtraMembers", func(ctx context.Context, in middleware.SerializeInput, next middleware.SerializeHandler) (middleware.SerializeOutput, middleware.Metadata, error) {
		req := in.Request.(*smithyhttp.Request)
		body, err := io.ReadAll(req.GetStream())
		if err != nil {
			return middleware.SerializeOutput{}, middleware.Metadata{}, err
		}
		doc := map[string]any{}
		if err := json.Unmarshal(body, &doc); err != nil {
			return middleware.SerializeOutput{}, middleware.Metadata{}, err
		}
		for k, v := range extra {
			doc[k] = v
		}
		if body, err = json.Marshal(doc); err != nil {
			return middleware.SerializeOutput{}, middleware.Metadata{}, err
		}
		if in.Request, err = req.SetStream(bytes.NewReader(body)); err != nil {
			return middleware.SerializeOutput{}, middleware.Metadata{}, err
		}
		return next.HandleSerialize(ctx, in)
	})
	return func(o *sagemaker.Options) {
		o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error { return s.Serialize.Add(mw, middleware.After) })
	}
}

// TestMemberUpdateRefusals covers what UpdateUserProfile and UpdateSpace
// refuse before they change anything: AppType, the settings the service
// rejects in a space, the model's constraints, and the create-only members,
// which are not members of the update inputs at all.
func TestMemberUpdateRefusals(t *testing.T) {
	srv, c, _ := newTest(t)
	ctx := context.Background()
	id := aws.ToString(mustCreate(t, c, minimalCreate("refusals")).DomainId)
	mustCreateProfile(t, c, id, "alice")
	mustCreateSpace(t, c, id, "lab", "alice")
	space := func(ss *types.SpaceSettings) *sagemaker.UpdateSpaceInput {
		return &sagemaker.UpdateSpaceInput{DomainId: aws.String(id), SpaceName: aws.String("lab"), SpaceSettings: ss}
	}
	profile := &sagemaker.UpdateUserProfileInput{DomainId: aws.String(id), UserProfileName: aws.String("alice")}
	tag := []map[string]any{{"Key": "team", "Value": "ml"}}

	tests := []struct {
		name  string
		call  func() error
		code  string
		field string // the member the call log must show, beyond the input's own
	}{
		{"AppType, the same as the space's", func() error {
			_, err := c.UpdateSpace(ctx, space(&types.SpaceSettings{AppType: types.AppTypeJupyterLab}))
			return err
		}, "ValidationException", ""},
		{"AppType, another", func() error {
			_, err := c.UpdateSpace(ctx, space(&types.SpaceSettings{AppType: types.AppTypeCodeEditor}))
			return err
		}, "ValidationException", ""},
		{"JupyterServerAppSettings.CodeRepositories in a space", func() error {
			_, err := c.UpdateSpace(ctx, space(&types.SpaceSettings{JupyterServerAppSettings: &types.JupyterServerAppSettings{
				CodeRepositories: []types.CodeRepository{{RepositoryUrl: aws.String("https://example.com/a.git")}},
			}}))
			return err
		}, "ValidationException", ""},
		{"SpaceDisplayName too long", func() error {
			in := space(nil)
			in.SpaceDisplayName = aws.String(fmt.Sprintf("%065d", 0))
			_, err := c.UpdateSpace(ctx, in)
			return err
		}, "ValidationException", ""},
		{"six security groups", func() error {
			in := *profile
			in.UserSettings = &types.UserSettings{SecurityGroups: []string{"sg-1", "sg-2", "sg-3", "sg-4", "sg-5", "sg-6"}}
			_, err := c.UpdateUserProfile(ctx, &in)
			return err
		}, "ValidationException", ""},
		{"space OwnershipSettings", func() error {
			_, err := c.UpdateSpace(ctx, space(nil), withMembers(map[string]any{"OwnershipSettings": map[string]any{"OwnerUserProfileName": "alice"}}))
			return err
		}, "SerializationException", "OwnershipSettings"},
		{"space SpaceSharingSettings", func() error {
			_, err := c.UpdateSpace(ctx, space(nil), withMembers(map[string]any{"SpaceSharingSettings": map[string]any{"SharingType": "Shared"}}))
			return err
		}, "SerializationException", "SpaceSharingSettings"},
		{"space Tags", func() error {
			_, err := c.UpdateSpace(ctx, space(nil), withMembers(map[string]any{"Tags": tag}))
			return err
		}, "SerializationException", "Tags"},
		{"profile SSO pair", func() error {
			_, err := c.UpdateUserProfile(ctx, profile, withMembers(map[string]any{"SingleSignOnUserIdentifier": "UserName", "SingleSignOnUserValue": "alice"}))
			return err
		}, "SerializationException", "SingleSignOnUserIdentifier"},
		{"profile Tags", func() error {
			_, err := c.UpdateUserProfile(ctx, profile, withMembers(map[string]any{"Tags": tag}))
			return err
		}, "SerializationException", "Tags"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv.ResetCalls()
			err := tt.call()
			if got := apiCode(err); got != tt.code {
				t.Fatalf("code %q (%v), want %q", got, err, tt.code)
			}
			calls := srv.Calls()
			if len(calls) != 1 || calls[0].StatusCode != 400 {
				t.Fatalf("call log %+v, want one call answered 400", summarize(calls))
			}
			if tt.field != "" && !slices.Contains(calls[0].Fields, tt.field) {
				t.Errorf("request carried %v, want %s among them", calls[0].Fields, tt.field)
			}
		})
	}
	// Nothing was changed.
	if s := profileStatus(t, c, id, "alice"); s != "InService" {
		t.Errorf("profile is %s, want InService", s)
	}
	if s := spaceStatus(t, c, id, "lab"); s != "InService" {
		t.Errorf("space is %s, want InService", s)
	}
}

// TestMemberUpdateFaultsAndCallLog arms one fault of each kind on the
// update operations and checks what the caller saw, what the emulator did
// and what its call log holds.
func TestMemberUpdateFaultsAndCallLog(t *testing.T) {
	profile, space := memberKinds[0], memberKinds[1]
	tests := []struct {
		name     string
		kind     memberKind
		op       string
		arm      func(srv *smdomaintest.Server, op string)
		attempts int
		wantErr  bool
		status   string // the member's status afterwards
		calls    []callSummary
	}{
		{"throttled once, retried", profile, "UpdateUserProfile", func(s *smdomaintest.Server, op string) { s.Throttle(op, 1) }, 3, false, "Updating",
			[]callSummary{{"UpdateUserProfile", 400, "throttle"}, {"UpdateUserProfile", 200, ""}}},
		{"500 once, retried", space, "UpdateSpace", func(s *smdomaintest.Server, op string) { s.Fail(op, 1) }, 3, false, "Updating",
			[]callSummary{{"UpdateSpace", 500, "fail"}, {"UpdateSpace", 200, ""}}},
		{"connection cut, not retried: nothing done", profile, "UpdateUserProfile", func(s *smdomaintest.Server, op string) { s.CutConnection(op, 1) }, 1, true, "InService",
			[]callSummary{{"UpdateUserProfile", 0, "cut"}}},
		{"response lost, not retried: the update is committed", space, "UpdateSpace", func(s *smdomaintest.Server, op string) { s.LoseResponse(op, 1) }, 1, true, "Updating",
			[]callSummary{{"UpdateSpace", 200, "lose"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, c, _ := newTest(t, tt.kind.delay(time.Minute))
			id := aws.ToString(mustCreate(t, c, minimalCreate("faults")).DomainId)
			tt.kind.create(t, c, id, "m")
			if err := tt.kind.setStatus(srv, id, "m", "InService"); err != nil {
				t.Fatal(err)
			}
			srv.ResetCalls()
			tt.arm(srv, tt.op)
			err := tt.kind.update(c, id, "m", func(o *sagemaker.Options) { o.RetryMaxAttempts = tt.attempts })
			if (err != nil) != tt.wantErr {
				t.Errorf("update: %v, want error %v", err, tt.wantErr)
			}
			calls := srv.Calls()
			if diff := cmp.Diff(tt.calls, summarize(calls)); diff != "" {
				t.Errorf("call log (-want +got):\n%s", diff)
			}
			for _, call := range calls {
				if call.RequestBytes == 0 || call.RequestBytes != len(call.Body) {
					t.Errorf("%s logged with RequestBytes %d and a body of %d bytes", call.Operation, call.RequestBytes, len(call.Body))
				}
			}
			if s := tt.kind.status(t, c, id, "m"); s != tt.status {
				t.Errorf("%s is %s, want %s", tt.kind.name, s, tt.status)
			}
		})
	}
}
