package smdomain

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
)

// userProfileKind is what is special about user profiles: nothing beyond
// the model. UpdateUserProfile carries UserSettings only, so the SSO pair
// is create-only, and tags go through AddTags and DeleteTags.
var userProfileKind = &memberKind{
	kind: &kind{
		noun:     string(KindUserProfile),
		update:   "UpdateUserProfileRequest",
		identity: []string{"DomainId", "UserProfileName"},
	},
	member:     KindUserProfile,
	plural:     "UserProfiles",
	nameMember: "UserProfileName",
	arnMember:  "UserProfileArn",
	create: func(ctx context.Context, api API, doc map[string]any) error {
		return decodeAndSend(ctx, doc, api.CreateUserProfile)
	},
	update: func(ctx context.Context, api API, doc map[string]any) error {
		return decodeAndSend(ctx, doc, api.UpdateUserProfile)
	},
	describe: func(ctx context.Context, api API, domainID, name string) (any, error) {
		return describeMember(api.DescribeUserProfile(ctx, userProfileInput(domainID, name)))
	},
	wait: func(ctx context.Context, c *Client, k *memberKind, domainID, name string, deleted bool, left time.Duration) (any, error) {
		return waitMember(ctx, c, k, domainID, name, deleted, left, c.api.DescribeUserProfile, userProfileInput(domainID, name))
	},
}

func userProfileInput(domainID, name string) *sagemaker.DescribeUserProfileInput {
	return &sagemaker.DescribeUserProfileInput{DomainId: aws.String(domainID), UserProfileName: aws.String(name)}
}
