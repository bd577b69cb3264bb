package smdomain

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
)

// spaceKind is what is special about spaces: UpdateSpace carries
// SpaceSettings and SpaceDisplayName only, so ownership and sharing are
// create-only; and although SpaceSettings has AppType, the service
// refuses to change it ("Updating AppType for Space is not supported"),
// so a change to it forces replacement and it is never sent on update.
var spaceKind = &memberKind{
	kind: &kind{
		noun:     string(KindSpace),
		update:   "UpdateSpaceRequest",
		identity: []string{"DomainId", "SpaceName"},
		replaces: func(path string, _, _ any, _ map[string]any) bool { return path == "SpaceSettings.AppType" },
	},
	member:     KindSpace,
	plural:     "Spaces",
	nameMember: "SpaceName",
	arnMember:  "SpaceArn",
	create: func(ctx context.Context, api API, doc map[string]any) error {
		return decodeAndSend(ctx, doc, api.CreateSpace)
	},
	update: func(ctx context.Context, api API, doc map[string]any) error {
		return decodeAndSend(ctx, doc, api.UpdateSpace)
	},
	describe: func(ctx context.Context, api API, domainID, name string) (any, error) {
		return describeMember(api.DescribeSpace(ctx, spaceInput(domainID, name)))
	},
	wait: func(ctx context.Context, c *Client, k *memberKind, domainID, name string, deleted bool, left time.Duration) (any, error) {
		return waitMember(ctx, c, k, domainID, name, deleted, left, c.api.DescribeSpace, spaceInput(domainID, name))
	},
}

func spaceInput(domainID, name string) *sagemaker.DescribeSpaceInput {
	return &sagemaker.DescribeSpaceInput{DomainId: aws.String(domainID), SpaceName: aws.String(name)}
}
