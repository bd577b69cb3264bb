package smdomaintest_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/document"
	idstypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/google/go-cmp/cmp"

	"github.com/finegrained/smdomain/smdomaintest"
)

// idcTest is a server with an SSO domain, and SSO Admin and Identity Store
// clients from the server's AWSConfig.
type idcTest struct {
	srv    *smdomaintest.Server
	sso    *ssoadmin.Client
	ids    *identitystore.Client
	appARN string
}

func newIDCTest(t *testing.T) *idcTest {
	t.Helper()
	srv, c, _ := newTest(t)
	in := minimalCreate("sso")
	in.AuthMode = types.AuthModeSso
	d := mustDescribe(t, c, aws.ToString(mustCreate(t, c, in).DomainId))
	cfg := srv.AWSConfig()
	return &idcTest{srv: srv, sso: ssoadmin.NewFromConfig(cfg), ids: identitystore.NewFromConfig(cfg), appARN: aws.ToString(d.SingleSignOnApplicationArn)}
}

func (tt *idcTest) userID(t *testing.T, name string) (string, error) {
	t.Helper()
	out, err := tt.ids.GetUserId(context.Background(), &identitystore.GetUserIdInput{
		IdentityStoreId: aws.String(tt.srv.IdentityStoreID()),
		AlternateIdentifier: &idstypes.AlternateIdentifierMemberUniqueAttribute{Value: idstypes.UniqueAttribute{
			AttributePath: aws.String("userName"), AttributeValue: document.NewLazyDocument(name)}},
	})
	if err != nil {
		return "", err
	}
	return aws.ToString(out.UserId), nil
}

func (tt *idcTest) assign(id string, typ ssotypes.PrincipalType) error {
	return tt.assignTo(tt.appARN, id, typ)
}

func (tt *idcTest) assignTo(app, id string, typ ssotypes.PrincipalType) error {
	_, err := tt.sso.CreateApplicationAssignment(context.Background(), &ssoadmin.CreateApplicationAssignmentInput{
		ApplicationArn: aws.String(app), PrincipalId: aws.String(id), PrincipalType: typ})
	return err
}

func TestIdentityStoreFindsSeededPrincipals(t *testing.T) {
	tt := newIDCTest(t)
	ctx := context.Background()
	if !regexp.MustCompile(`^d-[0-9a-f]{10}$`).MatchString(tt.srv.IdentityStoreID()) {
		t.Fatalf("IdentityStoreID() = %q", tt.srv.IdentityStoreID())
	}
	alice := tt.srv.AddIdentityCenterUser("alice")
	if again := tt.srv.AddIdentityCenterUser("alice"); again != alice {
		t.Errorf("AddIdentityCenterUser twice: %s then %s", alice, again)
	}
	idPattern := regexp.MustCompile(`^` + tt.srv.IdentityStoreID()[2:] + `-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	if !idPattern.MatchString(alice) {
		t.Errorf("user ID %q is not in the service's form", alice)
	}
	got, err := tt.userID(t, "alice")
	if err != nil || got != alice {
		t.Errorf("GetUserId(alice) = %q, %v; want %q", got, err, alice)
	}
	if _, err := tt.userID(t, "nobody"); !errorsAs(err, new(*idstypes.ResourceNotFoundException)) {
		t.Errorf("GetUserId(nobody): %v, want ResourceNotFoundException", err)
	}
	team := tt.srv.AddIdentityCenterGroup("fraud team")
	out, err := tt.ids.GetGroupId(ctx, &identitystore.GetGroupIdInput{
		IdentityStoreId: aws.String("arn:aws:identitystore::123456789012:identitystore/" + tt.srv.IdentityStoreID()),
		AlternateIdentifier: &idstypes.AlternateIdentifierMemberUniqueAttribute{Value: idstypes.UniqueAttribute{
			AttributePath: aws.String("displayName"), AttributeValue: document.NewLazyDocument("fraud team")}},
	})
	if err != nil || aws.ToString(out.GroupId) != team {
		t.Errorf("GetGroupId by store ARN = %v, %v; want %s", out, err, team)
	}

	for _, bad := range []struct {
		name string
		in   *identitystore.GetUserIdInput
		code string
	}{
		{"other store", &identitystore.GetUserIdInput{IdentityStoreId: aws.String("d-0000000000"),
			AlternateIdentifier: &idstypes.AlternateIdentifierMemberUniqueAttribute{Value: idstypes.UniqueAttribute{AttributePath: aws.String("userName"), AttributeValue: document.NewLazyDocument("alice")}}},
			"ResourceNotFoundException"},
		{"bad store ID", &identitystore.GetUserIdInput{IdentityStoreId: aws.String("store"),
			AlternateIdentifier: &idstypes.AlternateIdentifierMemberUniqueAttribute{Value: idstypes.UniqueAttribute{AttributePath: aws.String("userName"), AttributeValue: document.NewLazyDocument("alice")}}},
			"ValidationException"},
		{"unsupported path", &identitystore.GetUserIdInput{IdentityStoreId: aws.String(tt.srv.IdentityStoreID()),
			AlternateIdentifier: &idstypes.AlternateIdentifierMemberUniqueAttribute{Value: idstypes.UniqueAttribute{AttributePath: aws.String("displayName"), AttributeValue: document.NewLazyDocument("alice")}}},
			"ValidationException"},
		{"external ID", &identitystore.GetUserIdInput{IdentityStoreId: aws.String(tt.srv.IdentityStoreID()),
			AlternateIdentifier: &idstypes.AlternateIdentifierMemberExternalId{Value: idstypes.ExternalId{Issuer: aws.String("okta"), Id: aws.String("alice")}}},
			"ResourceNotFoundException"},
	} {
		if _, err := tt.ids.GetUserId(ctx, bad.in); apiCode(err) != bad.code {
			t.Errorf("%s: GetUserId: %v, want %s", bad.name, err, bad.code)
		}
	}
}

func TestApplicationAssignmentsLifecycle(t *testing.T) {
	tt := newIDCTest(t)
	ctx := context.Background()
	alice := tt.srv.AddIdentityCenterUser("alice")
	team := tt.srv.AddIdentityCenterGroup("fraud team")
	if err := tt.assign(alice, ssotypes.PrincipalTypeUser); err != nil {
		t.Fatal(err)
	}
	if err := tt.assign(team, ssotypes.PrincipalTypeGroup); err != nil {
		t.Fatal(err)
	}
	if err := tt.assign(alice, ssotypes.PrincipalTypeUser); !errorsAs(err, new(*ssotypes.ConflictException)) {
		t.Errorf("assigning alice twice: %v, want ConflictException", err)
	}
	want := []ssotypes.ApplicationAssignment{
		{ApplicationArn: aws.String(tt.appARN), PrincipalId: aws.String(alice), PrincipalType: ssotypes.PrincipalTypeUser},
		{ApplicationArn: aws.String(tt.appARN), PrincipalId: aws.String(team), PrincipalType: ssotypes.PrincipalTypeGroup},
	}
	if diff := cmp.Diff(want, tt.srv.ApplicationAssignments(tt.appARN), sdkCmp); diff != "" {
		t.Errorf("ApplicationAssignments (-want +got):\n%s", diff)
	}
	list, err := tt.sso.ListApplicationAssignments(ctx, &ssoadmin.ListApplicationAssignmentsInput{ApplicationArn: aws.String(tt.appARN)})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, list.ApplicationAssignments, sdkCmp); diff != "" {
		t.Errorf("ListApplicationAssignments (-want +got):\n%s", diff)
	}
	if _, err := tt.sso.DeleteApplicationAssignment(ctx, &ssoadmin.DeleteApplicationAssignmentInput{
		ApplicationArn: aws.String(tt.appARN), PrincipalId: aws.String(alice), PrincipalType: ssotypes.PrincipalTypeUser}); err != nil {
		t.Fatal(err)
	}
	if _, err := tt.sso.DeleteApplicationAssignment(ctx, &ssoadmin.DeleteApplicationAssignmentInput{
		ApplicationArn: aws.String(tt.appARN), PrincipalId: aws.String(alice), PrincipalType: ssotypes.PrincipalTypeUser}); !errorsAs(err, new(*ssotypes.ResourceNotFoundException)) {
		t.Errorf("deleting alice's assignment twice: %v, want ResourceNotFoundException", err)
	}
	if diff := cmp.Diff(want[1:], tt.srv.ApplicationAssignments(tt.appARN), sdkCmp); diff != "" {
		t.Errorf("after the delete (-want +got):\n%s", diff)
	}
}

func TestApplicationAssignmentRefusals(t *testing.T) {
	tt := newIDCTest(t)
	alice := tt.srv.AddIdentityCenterUser("alice")
	other := strings.Replace(tt.appARN, "/apl-", "/apl-0", 1)[:len(tt.appARN)]
	for _, bad := range []struct {
		name, app, id string
		typ           ssotypes.PrincipalType
		code          string
	}{
		{"unknown application", other, alice, ssotypes.PrincipalTypeUser, "ResourceNotFoundException"},
		{"malformed application", "arn:aws:sso:::application/x", alice, ssotypes.PrincipalTypeUser, "ValidationException"},
		{"unknown user", tt.appARN, tt.srv.IdentityStoreID()[2:] + "-00000000-0000-0000-0000-000000000000", ssotypes.PrincipalTypeUser, "ResourceNotFoundException"},
		{"a user as a group", tt.appARN, alice, ssotypes.PrincipalTypeGroup, "ResourceNotFoundException"},
		{"malformed principal", tt.appARN, "alice", ssotypes.PrincipalTypeUser, "ValidationException"},
		{"bad principal type", tt.appARN, alice, "ROLE", "ValidationException"},
	} {
		if err := tt.assignTo(bad.app, bad.id, bad.typ); apiCode(err) != bad.code {
			t.Errorf("%s: %v, want %s", bad.name, err, bad.code)
		}
	}
	if _, err := tt.sso.ListApplicationAssignments(context.Background(), &ssoadmin.ListApplicationAssignmentsInput{
		ApplicationArn: aws.String(tt.appARN), MaxResults: aws.Int32(101)}); apiCode(err) != "ValidationException" {
		t.Errorf("MaxResults 101: %v, want ValidationException", err)
	}
	if got := tt.srv.ApplicationAssignments(tt.appARN); got != nil {
		t.Errorf("refused requests assigned %v", got)
	}
}

func TestApplicationAssignmentsPage(t *testing.T) {
	tt := newIDCTest(t)
	var want []string
	for i := range 25 {
		id := tt.srv.AddIdentityCenterUser(fmt.Sprintf("user%02d", i))
		if err := tt.assign(id, ssotypes.PrincipalTypeUser); err != nil {
			t.Fatal(err)
		}
		want = append(want, id)
	}
	var got []string
	pages := ssoadmin.NewListApplicationAssignmentsPaginator(tt.sso, &ssoadmin.ListApplicationAssignmentsInput{ApplicationArn: aws.String(tt.appARN)})
	n := 0
	for pages.HasMorePages() {
		page, err := pages.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		n++
		for _, a := range page.ApplicationAssignments {
			got = append(got, aws.ToString(a.PrincipalId))
		}
	}
	if diff := cmp.Diff(want, got); diff != "" || n != 3 {
		t.Errorf("%d pages (want 3 of at most 10); IDs (-want +got):\n%s", n, diff)
	}
}

func TestIdentityCenterFaultsAndCallLog(t *testing.T) {
	tt := newIDCTest(t)
	alice := tt.srv.AddIdentityCenterUser("alice")
	tt.srv.ResetCalls()
	tt.srv.Throttle("CreateApplicationAssignment", 1)
	tt.srv.LoseResponse("CreateApplicationAssignment", 1)
	// Throttled, retried by the SDK; carried out with its answer lost,
	// retried again: ConflictException, the assignment made once.
	err := tt.assign(alice, ssotypes.PrincipalTypeUser)
	if !errorsAs(err, new(*ssotypes.ConflictException)) {
		t.Errorf("assign after a throttle and a lost answer: %v, want ConflictException", err)
	}
	if n := len(tt.srv.ApplicationAssignments(tt.appARN)); n != 1 {
		t.Errorf("%d assignments, want 1", n)
	}
	tt.srv.Fail("GetUserId", 5)
	if _, err := tt.userID(t, "alice"); apiCode(err) != "InternalFailure" {
		t.Errorf("GetUserId with failures armed: %v, want InternalFailure", err)
	}
	tt.srv.Fail("GetUserId", 0)
	var faults []string
	for _, c := range tt.srv.Calls() {
		faults = append(faults, c.Operation+":"+c.Fault)
	}
	want := []string{"CreateApplicationAssignment:throttle", "CreateApplicationAssignment:lose", "CreateApplicationAssignment:",
		"GetUserId:fail", "GetUserId:fail", "GetUserId:fail"}
	if diff := cmp.Diff(want, faults); diff != "" {
		t.Errorf("call log (-want +got):\n%s", diff)
	}
}

func TestIdentityCenterNeedsItsOwnSigningScope(t *testing.T) {
	srv, _, _ := newTest(t)
	for _, tc := range []struct{ target, service string }{
		{"SWBExternalService.ListApplicationAssignments", "sagemaker"},
		{"AWSIdentityStore.GetUserId", "sso"},
		{"SageMaker.ListDomains", "identitystore"},
	} {
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader("{}"))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		req.Header.Set("X-Amz-Target", tc.target)
		req.Header.Set("Authorization", fakeAuth(smdomaintest.Region, tc.service))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s signed for %s: status %d, want 403", tc.target, tc.service, resp.StatusCode)
		}
	}
	if calls := srv.Calls(); len(calls) != 0 {
		t.Errorf("refused requests were logged: %v", calls)
	}
}
