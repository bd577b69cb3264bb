package smdomain

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
)

// userProfileKind is what is special about user profiles: nothing beyond
// the model. UpdateUserProfile carries UserSettings only, so the SSO pair
// is create-only, and tags go through AddTags and DeleteTags.
var userProfileKind = defineMember(memberKind{
	kind: &kind{
		noun:     string(KindUserProfile),
		update:   "UpdateUserProfileRequest",
		identity: []string{"DomainId", "UserProfileName"},
	},
	member:      KindUserProfile,
	plural:      "UserProfiles",
	createShape: "CreateUserProfileRequest",
	nameMember:  "UserProfileName",
	arnMember:   "UserProfileArn",
}, API.CreateUserProfile, API.UpdateUserProfile, API.DescribeUserProfile,
	func(domainID, name string) *sagemaker.DescribeUserProfileInput {
		return &sagemaker.DescribeUserProfileInput{DomainId: aws.String(domainID), UserProfileName: aws.String(name)}
	})
