package smdomain

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
)

// pacedAPI is the API a Client calls: each call goes through the
// Client's pacer (pacing.go) to the API the Client was given.
type pacedAPI struct {
	api API
	c   *Client
}

var _ API = pacedAPI{}

func (a pacedAPI) CreateDomain(ctx context.Context, in *sagemaker.CreateDomainInput, o ...func(*sagemaker.Options)) (*sagemaker.CreateDomainOutput, error) {
	return paced(ctx, a.c, "CreateDomain", in, a.api.CreateDomain, o)
}

func (a pacedAPI) DescribeDomain(ctx context.Context, in *sagemaker.DescribeDomainInput, o ...func(*sagemaker.Options)) (*sagemaker.DescribeDomainOutput, error) {
	return paced(ctx, a.c, "DescribeDomain", in, a.api.DescribeDomain, o)
}

func (a pacedAPI) UpdateDomain(ctx context.Context, in *sagemaker.UpdateDomainInput, o ...func(*sagemaker.Options)) (*sagemaker.UpdateDomainOutput, error) {
	return paced(ctx, a.c, "UpdateDomain", in, a.api.UpdateDomain, o)
}

func (a pacedAPI) DeleteDomain(ctx context.Context, in *sagemaker.DeleteDomainInput, o ...func(*sagemaker.Options)) (*sagemaker.DeleteDomainOutput, error) {
	return paced(ctx, a.c, "DeleteDomain", in, a.api.DeleteDomain, o)
}

func (a pacedAPI) ListDomains(ctx context.Context, in *sagemaker.ListDomainsInput, o ...func(*sagemaker.Options)) (*sagemaker.ListDomainsOutput, error) {
	return paced(ctx, a.c, "ListDomains", in, a.api.ListDomains, o)
}

func (a pacedAPI) AddTags(ctx context.Context, in *sagemaker.AddTagsInput, o ...func(*sagemaker.Options)) (*sagemaker.AddTagsOutput, error) {
	return paced(ctx, a.c, "AddTags", in, a.api.AddTags, o)
}

func (a pacedAPI) DeleteTags(ctx context.Context, in *sagemaker.DeleteTagsInput, o ...func(*sagemaker.Options)) (*sagemaker.DeleteTagsOutput, error) {
	return paced(ctx, a.c, "DeleteTags", in, a.api.DeleteTags, o)
}

func (a pacedAPI) ListTags(ctx context.Context, in *sagemaker.ListTagsInput, o ...func(*sagemaker.Options)) (*sagemaker.ListTagsOutput, error) {
	return paced(ctx, a.c, "ListTags", in, a.api.ListTags, o)
}

func (a pacedAPI) CreateUserProfile(ctx context.Context, in *sagemaker.CreateUserProfileInput, o ...func(*sagemaker.Options)) (*sagemaker.CreateUserProfileOutput, error) {
	return paced(ctx, a.c, "CreateUserProfile", in, a.api.CreateUserProfile, o)
}

func (a pacedAPI) DescribeUserProfile(ctx context.Context, in *sagemaker.DescribeUserProfileInput, o ...func(*sagemaker.Options)) (*sagemaker.DescribeUserProfileOutput, error) {
	return paced(ctx, a.c, "DescribeUserProfile", in, a.api.DescribeUserProfile, o)
}

func (a pacedAPI) UpdateUserProfile(ctx context.Context, in *sagemaker.UpdateUserProfileInput, o ...func(*sagemaker.Options)) (*sagemaker.UpdateUserProfileOutput, error) {
	return paced(ctx, a.c, "UpdateUserProfile", in, a.api.UpdateUserProfile, o)
}

func (a pacedAPI) CreateSpace(ctx context.Context, in *sagemaker.CreateSpaceInput, o ...func(*sagemaker.Options)) (*sagemaker.CreateSpaceOutput, error) {
	return paced(ctx, a.c, "CreateSpace", in, a.api.CreateSpace, o)
}

func (a pacedAPI) DescribeSpace(ctx context.Context, in *sagemaker.DescribeSpaceInput, o ...func(*sagemaker.Options)) (*sagemaker.DescribeSpaceOutput, error) {
	return paced(ctx, a.c, "DescribeSpace", in, a.api.DescribeSpace, o)
}

func (a pacedAPI) UpdateSpace(ctx context.Context, in *sagemaker.UpdateSpaceInput, o ...func(*sagemaker.Options)) (*sagemaker.UpdateSpaceOutput, error) {
	return paced(ctx, a.c, "UpdateSpace", in, a.api.UpdateSpace, o)
}

func (a pacedAPI) CreatePresignedDomainUrl(ctx context.Context, in *sagemaker.CreatePresignedDomainUrlInput, o ...func(*sagemaker.Options)) (*sagemaker.CreatePresignedDomainUrlOutput, error) {
	return paced(ctx, a.c, "CreatePresignedDomainUrl", in, a.api.CreatePresignedDomainUrl, o)
}

func (a pacedAPI) ListApps(ctx context.Context, in *sagemaker.ListAppsInput, o ...func(*sagemaker.Options)) (*sagemaker.ListAppsOutput, error) {
	return paced(ctx, a.c, "ListApps", in, a.api.ListApps, o)
}

func (a pacedAPI) DeleteApp(ctx context.Context, in *sagemaker.DeleteAppInput, o ...func(*sagemaker.Options)) (*sagemaker.DeleteAppOutput, error) {
	return paced(ctx, a.c, "DeleteApp", in, a.api.DeleteApp, o)
}

func (a pacedAPI) ListSpaces(ctx context.Context, in *sagemaker.ListSpacesInput, o ...func(*sagemaker.Options)) (*sagemaker.ListSpacesOutput, error) {
	return paced(ctx, a.c, "ListSpaces", in, a.api.ListSpaces, o)
}

func (a pacedAPI) DeleteSpace(ctx context.Context, in *sagemaker.DeleteSpaceInput, o ...func(*sagemaker.Options)) (*sagemaker.DeleteSpaceOutput, error) {
	return paced(ctx, a.c, "DeleteSpace", in, a.api.DeleteSpace, o)
}

func (a pacedAPI) ListUserProfiles(ctx context.Context, in *sagemaker.ListUserProfilesInput, o ...func(*sagemaker.Options)) (*sagemaker.ListUserProfilesOutput, error) {
	return paced(ctx, a.c, "ListUserProfiles", in, a.api.ListUserProfiles, o)
}

func (a pacedAPI) DeleteUserProfile(ctx context.Context, in *sagemaker.DeleteUserProfileInput, o ...func(*sagemaker.Options)) (*sagemaker.DeleteUserProfileOutput, error) {
	return paced(ctx, a.c, "DeleteUserProfile", in, a.api.DeleteUserProfile, o)
}
