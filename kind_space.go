package smdomain

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
)

// spaceKind is what is special about spaces: UpdateSpace carries
// SpaceSettings and SpaceDisplayName only, so ownership and sharing are
// create-only; and although SpaceSettings has AppType, the service
// refuses to change it ("Updating AppType for Space is not supported"),
// so a change to it forces replacement and it is never sent on update.
var spaceKind = defineMember(memberKind{
	kind: &kind{
		noun:     string(KindSpace),
		update:   "UpdateSpaceRequest",
		identity: []string{"DomainId", "SpaceName"},
		replaces: func(path string, _, _ any, _ map[string]any) bool { return path == "SpaceSettings.AppType" },
	},
	member:      KindSpace,
	plural:      "Spaces",
	createShape: "CreateSpaceRequest",
	nameMember:  "SpaceName",
	arnMember:   "SpaceArn",
}, API.CreateSpace, API.UpdateSpace, API.DescribeSpace,
	func(domainID, name string) *sagemaker.DescribeSpaceInput {
		return &sagemaker.DescribeSpaceInput{DomainId: aws.String(domainID), SpaceName: aws.String(name)}
	})
