package smdomaintest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
)

// jsonService is one awsJson1_1 service the emulator serves.
type jsonService struct {
	prefix      string // of the X-Amz-Target header: "SageMaker."
	signingName string // the service of the SigV4 credential scope
	lookup      func(op string) handler
}

// jsonServices are the awsJson1_1 services served: SageMaker, and IAM
// Identity Center's SSO Admin and Identity Store.
var jsonServices = [...]jsonService{
	{"SageMaker.", "sagemaker", lookupHandler},
	{"SWBExternalService.", "sso", lookupSSOAdminHandler},
	{"AWSIdentityStore.", "identitystore", lookupIdentityStoreHandler},
}

// jsonServiceOf returns the service whose prefix target has, and the
// operation it names; SageMaker and "" when no service claims it.
func jsonServiceOf(target string) (jsonService, string) {
	for _, s := range jsonServices {
		if op, ok := strings.CutPrefix(target, s.prefix); ok {
			return s, op
		}
	}
	return jsonServices[0], ""
}

// jsonOperation returns the operation an X-Amz-Target header names (the
// whole header when no service claims it) and its handler, nil when it is
// not served.
func jsonOperation(target string) (string, handler) {
	s, op := jsonServiceOf(target)
	if op == "" {
		return target, nil
	}
	return op, s.lookup(op)
}

func lookupSSOAdminHandler(op string) handler {
	switch op {
	case "CreateApplicationAssignment":
		return (*Emulator).createApplicationAssignment
	case "DeleteApplicationAssignment":
		return (*Emulator).deleteApplicationAssignment
	case "ListApplicationAssignments":
		return (*Emulator).listApplicationAssignments
	}
	return nil
}

func lookupIdentityStoreHandler(op string) handler {
	switch op {
	case "GetUserId":
		return (*Emulator).getUserID
	case "GetGroupId":
		return (*Emulator).getGroupID
	}
	return nil
}

// identityCenter is the emulator's one IAM Identity Center instance: its
// identity store's users and groups, and the assignments of each
// application.
type identityCenter struct {
	storeID    string
	users      map[string]string                 // user name -> ID
	groups     map[string]string                 // display name -> ID
	principals map[string]ssotypes.PrincipalType // ID -> USER or GROUP
	apps       map[string]*assignments           // by application ARN
}

// assignments are one application's, in creation order, and by principal
// key.
type assignments struct {
	order byCreation[ssotypes.ApplicationAssignment]
	byKey map[string]*resource[ssotypes.ApplicationAssignment]
}

// identityCenter returns the instance, made on first use. The caller holds
// e.mu.
func (e *Emulator) identityCenter() *identityCenter {
	if e.idc == nil {
		e.idc = &identityCenter{
			storeID:    "d-" + randomString("0123456789abcdef", 10),
			users:      map[string]string{},
			groups:     map[string]string{},
			principals: map[string]ssotypes.PrincipalType{},
			apps:       map[string]*assignments{},
		}
	}
	return e.idc
}

// IdentityStoreID returns the ID of the emulator's identity store, "d-"
// and 10 hexadecimal digits: what GetUserId and GetGroupId must name (or
// its ARN, arn:<partition>:identitystore::<account>:identitystore/<id>).
func (e *Emulator) IdentityStoreID() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.identityCenter().storeID
}

// AddIdentityCenterUser adds a user called userName to the identity store
// and returns its ID, in the service's form (the store's 10 digits, "-",
// a UUID). A user already called so keeps its ID, which is returned.
func (e *Emulator) AddIdentityCenterUser(userName string) (userID string) {
	return e.addPrincipal(ssotypes.PrincipalTypeUser, userName)
}

// AddIdentityCenterGroup adds a group with the display name to the
// identity store and returns its ID, as AddIdentityCenterUser does for a
// user.
func (e *Emulator) AddIdentityCenterGroup(displayName string) (groupID string) {
	return e.addPrincipal(ssotypes.PrincipalTypeGroup, displayName)
}

func (e *Emulator) addPrincipal(typ ssotypes.PrincipalType, name string) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	ic := e.identityCenter()
	byName := ic.users
	if typ == ssotypes.PrincipalTypeGroup {
		byName = ic.groups
	}
	if id, ok := byName[name]; ok {
		return id
	}
	hex := "0123456789abcdef"
	id := fmt.Sprintf("%s-%s-%s-%s-%s-%s", ic.storeID[2:], randomString(hex, 8), randomString(hex, 4),
		randomString(hex, 4), randomString(hex, 4), randomString(hex, 12))
	byName[name] = id
	ic.principals[id] = typ
	return id
}

// ApplicationAssignments returns the assignments of the Identity Center
// application applicationARN (an SSO domain's SingleSignOnApplicationArn)
// in the order they were made; nil when it has none.
func (e *Emulator) ApplicationAssignments(applicationARN string) []ssotypes.ApplicationAssignment {
	e.mu.Lock()
	defer e.mu.Unlock()
	as := e.identityCenter().apps[applicationARN]
	if as == nil {
		return nil
	}
	var out []ssotypes.ApplicationAssignment
	for _, r := range as.order {
		out = append(out, *r.out)
	}
	return out
}

// application checks that arn is the Identity Center application of an
// SSO domain that exists, in any region (Identity Center lives in one
// region and serves domains in all). It looks at every domain.
func (e *Emulator) application(req *request, arn string) *apiError {
	for _, d := range e.domains {
		if aws.ToString(d.out.SingleSignOnApplicationArn) == arn && settle(e, domainLife{}, d, req.now) {
			return nil
		}
	}
	return errorf(400, "ResourceNotFoundException", "Application %s not found", arn)
}

// assignmentInput is what CreateApplicationAssignment and
// DeleteApplicationAssignment both take.
type assignmentInput struct {
	ApplicationArn, PrincipalId *string
	PrincipalType               ssotypes.PrincipalType
}

// assignmentRequest reads and checks a request of op, one of the two
// operations assignmentInput serves: the application exists, and so does
// the principal, of its type. It returns the input, the application's
// assignments (made on first use) and the principal's key.
func (e *Emulator) assignmentRequest(req *request, op string) (*assignmentInput, *assignments, string, *apiError) {
	var in assignmentInput
	if err := checkInput(op, req.doc, &in); err != nil {
		return nil, nil, "", err
	}
	appARN, id := aws.ToString(in.ApplicationArn), aws.ToString(in.PrincipalId)
	if err := e.application(req, appARN); err != nil {
		return nil, nil, "", err
	}
	ic := e.identityCenter()
	if ic.principals[id] != in.PrincipalType {
		return nil, nil, "", errorf(400, "ResourceNotFoundException", "%s %s not found", in.PrincipalType, id)
	}
	as := ic.apps[appARN]
	if as == nil {
		as = &assignments{byKey: map[string]*resource[ssotypes.ApplicationAssignment]{}}
		ic.apps[appARN] = as
	}
	return &in, as, string(in.PrincipalType) + "/" + id, nil
}

func (e *Emulator) createApplicationAssignment(req *request) (any, *apiError) {
	in, as, key, err := e.assignmentRequest(req, "CreateApplicationAssignment")
	if err != nil {
		return nil, err
	}
	if as.byKey[key] != nil {
		return nil, errorf(400, "ConflictException", "%s %s is already assigned to %s", in.PrincipalType, aws.ToString(in.PrincipalId), aws.ToString(in.ApplicationArn))
	}
	e.seq++
	r := &resource[ssotypes.ApplicationAssignment]{seq: e.seq, since: req.now, region: req.region, out: &ssotypes.ApplicationAssignment{
		ApplicationArn: in.ApplicationArn, PrincipalId: in.PrincipalId, PrincipalType: in.PrincipalType}}
	as.byKey[key] = r
	as.order.add(r)
	return &ssoadmin.CreateApplicationAssignmentOutput{}, nil
}

func (e *Emulator) deleteApplicationAssignment(req *request) (any, *apiError) {
	in, as, key, err := e.assignmentRequest(req, "DeleteApplicationAssignment")
	if err != nil {
		return nil, err
	}
	r := as.byKey[key]
	if r == nil {
		return nil, errorf(400, "ResourceNotFoundException", "%s %s is not assigned to %s", in.PrincipalType, aws.ToString(in.PrincipalId), aws.ToString(in.ApplicationArn))
	}
	delete(as.byKey, key)
	as.order.remove(r)
	return &ssoadmin.DeleteApplicationAssignmentOutput{}, nil
}

func (e *Emulator) listApplicationAssignments(req *request) (any, *apiError) {
	var in ssoadmin.ListApplicationAssignmentsInput
	if err := checkInput("ListApplicationAssignments", req.doc, &in); err != nil {
		return nil, err
	}
	if err := e.application(req, aws.ToString(in.ApplicationArn)); err != nil {
		return nil, err
	}
	out := &ssoadmin.ListApplicationAssignmentsOutput{ApplicationAssignments: []ssotypes.ApplicationAssignment{}}
	as := e.identityCenter().apps[aws.ToString(in.ApplicationArn)]
	if as == nil {
		return out, nil
	}
	page, next, err := walk(&as.order, in.MaxResults, in.NextToken, "assignments", false,
		func(*resource[ssotypes.ApplicationAssignment]) bool { return true })
	if err != nil {
		return nil, err
	}
	for _, r := range page {
		out.ApplicationAssignments = append(out.ApplicationAssignments, *r.out)
	}
	out.NextToken = next
	return out, nil
}

func (e *Emulator) getUserID(req *request) (any, *apiError) {
	id, err := e.principalID(req, "GetUserId", ssotypes.PrincipalTypeUser, "userName")
	if err != nil {
		return nil, err
	}
	return &identitystore.GetUserIdOutput{IdentityStoreId: aws.String(e.identityCenter().storeID), UserId: aws.String(id)}, nil
}

func (e *Emulator) getGroupID(req *request) (any, *apiError) {
	id, err := e.principalID(req, "GetGroupId", ssotypes.PrincipalTypeGroup, "displayName")
	if err != nil {
		return nil, err
	}
	return &identitystore.GetGroupIdOutput{IdentityStoreId: aws.String(e.identityCenter().storeID), GroupId: aws.String(id)}, nil
}

// principalID answers GetUserId or GetGroupId (op): the ID of the
// principal of type typ whose unique attribute path (userName,
// displayName) has the value the request gives. The identity store must
// be the emulator's. An ExternalId, or another attribute the service
// allows (a user's emails.value), finds no one, since the emulator keeps
// neither. The attribute's value, a document to the SDK, must be a string.
func (e *Emulator) principalID(req *request, op string, typ ssotypes.PrincipalType, path string) (string, *apiError) {
	var in struct {
		IdentityStoreId     *string
		AlternateIdentifier struct {
			ExternalId      *struct{ Id, Issuer *string }
			UniqueAttribute *struct{ AttributePath, AttributeValue *string }
		}
	}
	if err := checkInput(op, req.doc, &in); err != nil {
		return "", err
	}
	ic := e.identityCenter()
	if store := aws.ToString(in.IdentityStoreId); store != ic.storeID && !strings.HasSuffix(store, ":identitystore/"+ic.storeID) {
		return "", errorf(400, "ResourceNotFoundException", "Identity store %s not found", store)
	}
	byName, allowed := ic.users, []string{path, "emails.value"}
	if typ == ssotypes.PrincipalTypeGroup {
		byName, allowed = ic.groups, []string{path}
	}
	var id string
	if u := in.AlternateIdentifier.UniqueAttribute; u != nil {
		attr := aws.ToString(u.AttributePath)
		if !slices.Contains(allowed, attr) {
			return "", errorf(400, "ValidationException", "AttributePath %s is not supported; use %s", attr, strings.Join(allowed, " or "))
		}
		if attr == path {
			id = byName[aws.ToString(u.AttributeValue)]
		}
	}
	if id == "" {
		return "", errorf(400, "ResourceNotFoundException", "%s not found", strings.ToLower(string(typ)))
	}
	return id, nil
}

// wantService is the SigV4 service an awsJson1_1 request must be signed
// for: the one its X-Amz-Target names.
func wantService(r *http.Request) string {
	s, _ := jsonServiceOf(r.Header.Get("X-Amz-Target"))
	return s.signingName
}
