package model

import "maps"

// The IAM Identity Center operations the emulator serves, beside
// SageMaker's: written by hand from the SSO Admin (sso-admin 2020-07-20)
// and Identity Store (identitystore 2020-06-15) API references, with the
// constraints those references state and no others. Shape names carry the
// service's prefix so that they never meet a SageMaker shape; operation
// names do not meet SageMaker's either.
func init() {
	maps.Copy(operations, map[string]Operation{
		"CreateApplicationAssignment": {Input: "sso.CreateApplicationAssignmentRequest"},
		"DeleteApplicationAssignment": {Input: "sso.DeleteApplicationAssignmentRequest"},
		"ListApplicationAssignments":  {Input: "sso.ListApplicationAssignmentsRequest"},
		"GetUserId":                   {Input: "identitystore.GetUserIdRequest"},
		"GetGroupId":                  {Input: "identitystore.GetGroupIdRequest"},
	})
	assignment := []Member{
		{Name: "ApplicationArn", Shape: "sso.ApplicationArn", Required: true},
		{Name: "PrincipalId", Shape: "sso.PrincipalId", Required: true},
		{Name: "PrincipalType", Shape: "sso.PrincipalType", Required: true},
	}
	alternate := []Member{
		{Name: "AlternateIdentifier", Shape: "identitystore.AlternateIdentifier", Required: true},
		{Name: "IdentityStoreId", Shape: "identitystore.IdentityStoreId", Required: true},
	}
	maps.Copy(shapes, map[string]*Shape{
		"sso.ApplicationArn": {Type: "string", Min: bound(10), Max: bound(1224),
			Pattern: `arn:aws(-[a-z]{1,5}){0,3}:sso::\d{12}:application/(sso)?ins-[a-zA-Z0-9-.]{16}/apl-[a-zA-Z0-9]{16}`},
		"sso.PrincipalId": {Type: "string", Min: bound(1), Max: bound(47),
			Pattern: `([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}`},
		"sso.PrincipalType":                      {Type: "string", Enum: []string{"USER", "GROUP"}},
		"sso.MaxResults":                         {Type: "integer", Min: bound(1), Max: bound(100)},
		"sso.Token":                              {Type: "string"},
		"sso.CreateApplicationAssignmentRequest": {Type: "structure", Members: assignment},
		"sso.DeleteApplicationAssignmentRequest": {Type: "structure", Members: assignment},
		"sso.ListApplicationAssignmentsRequest": {Type: "structure", Members: []Member{
			{Name: "ApplicationArn", Shape: "sso.ApplicationArn", Required: true},
			{Name: "MaxResults", Shape: "sso.MaxResults"},
			{Name: "NextToken", Shape: "sso.Token"},
		}},

		"identitystore.IdentityStoreId": {Type: "string", Min: bound(1),
			Pattern: `d-[0-9a-f]{10}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|arn:aws(-[a-z]{1,5}){0,3}:identitystore::\d{12}:identitystore/(d-[0-9a-f]{10}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})`},
		"identitystore.String": {Type: "string"},
		"identitystore.AlternateIdentifier": {Type: "union", Members: []Member{
			{Name: "ExternalId", Shape: "identitystore.ExternalId"},
			{Name: "UniqueAttribute", Shape: "identitystore.UniqueAttribute"},
		}},
		"identitystore.ExternalId": {Type: "structure", Members: []Member{
			{Name: "Id", Shape: "identitystore.String", Required: true},
			{Name: "Issuer", Shape: "identitystore.String", Required: true},
		}},
		"identitystore.UniqueAttribute": {Type: "structure", Members: []Member{
			{Name: "AttributePath", Shape: "identitystore.String", Required: true},
			{Name: "AttributeValue", Shape: "identitystore.Document", Required: true},
		}},
		"identitystore.Document":          {Type: "document"}, // any JSON value
		"identitystore.GetUserIdRequest":  {Type: "structure", Members: alternate},
		"identitystore.GetGroupIdRequest": {Type: "structure", Members: alternate},
	})
}
