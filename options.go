package smdomain

import (
	"maps"
	"reflect"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/finegrained/smdomain/internal/wire"
)

// Option sets one part of the domain a Spec describes; pass options to
// NewSpec. Options only record values: they do no I/O, never panic, and a
// nil Option is ignored. Every value is checked when NewSpec builds the
// Spec, so an option given a bad value shows up as a problem in NewSpec's
// *ValidationError, not here.
//
// Options apply in order and later options win, field by field:
//
//   - A narrow option (WithExecutionRole, WithSecurityGroups, WithSourceIdentity,
//     WithDomainSecurityGroups, ...) sets exactly one field and leaves the
//     rest of its struct alone.
//   - WithDefaultUserSettings, WithDomainSettings and WithDefaultSpaceSettings
//     deep-copy their argument and merge it into what earlier options set:
//     every field the argument sets (a non-nil pointer, slice, map or union,
//     or a non-empty enum) replaces the spec's field, except that a nested
//     struct given through a pointer is itself merged field by field. Lists
//     are replaced whole, never appended to. Fields the argument leaves unset
//     keep their earlier value. A nil argument changes nothing.
//
// So WithExecutionRole(r) followed by WithDefaultUserSettings(&types.UserSettings{
// SecurityGroups: sgs}) keeps r, and WithDefaultUserSettings(&types.UserSettings{
// ExecutionRole: r2}) followed by WithExecutionRole(r) ends with r.
//
// Options that mean something for user profiles too (WithExecutionRole,
// WithSecurityGroups, WithUserSettings, WithTags) have types that are also
// a UserProfileOption (and WithTags a SpaceOption); the others are domain
// options only, so WithVPC in NewUserProfileSpec does not compile.
type Option interface {
	applyDomain(*specBuilder)
}

// domainOption is an option that only a domain has.
type domainOption func(*specBuilder)

func (f domainOption) applyDomain(b *specBuilder) { f(b) }

// UserSettingsOption sets user settings: passed to NewSpec it sets the
// domain's DefaultUserSettings, passed to NewUserProfileSpec the profile's
// UserSettings. It is both an Option and a UserProfileOption.
type UserSettingsOption func(*types.UserSettings)

func (f UserSettingsOption) applyDomain(b *specBuilder) {
	if b.input.DefaultUserSettings == nil {
		b.input.DefaultUserSettings = &types.UserSettings{}
	}
	f(b.input.DefaultUserSettings)
}

func (f UserSettingsOption) applyUserProfile(b *userProfileBuilder) {
	if b.input.UserSettings == nil {
		b.input.UserSettings = &types.UserSettings{}
	}
	f(b.input.UserSettings)
}

// TagsOption adds tags to whatever spec it is passed to: a domain's
// (NewSpec), a user profile's (NewUserProfileSpec) or a space's
// (NewSpaceSpec). It is an Option, a UserProfileOption and a SpaceOption.
type TagsOption func(*map[string]string)

func (f TagsOption) applyDomain(b *specBuilder)             { f(&b.tags) }
func (f TagsOption) applyUserProfile(b *userProfileBuilder) { f(&b.tags) }
func (f TagsOption) applySpace(b *spaceBuilder)             { f(&b.tags) }

// specBuilder is what options write into. NewSpec owns it, so options may
// write into its structs directly.
type specBuilder struct {
	input        *sagemaker.CreateDomainInput // Tags unused: see tags
	tags         map[string]string
	domainID     string
	domainIDSet  bool
	userProfiles []*UserProfileSpec
	spaces       []*SpaceSpec
	prune        bool
	ssoGroups    []string // WithSSOGroups (identitycenter.go)
}

func (b *specBuilder) domainSettings() *types.DomainSettings {
	if b.input.DomainSettings == nil {
		b.input.DomainSettings = &types.DomainSettings{}
	}
	return b.input.DomainSettings
}

// WithAuthMode sets how users authenticate: types.AuthModeIam or
// types.AuthModeSso. Default: IAM. The auth mode cannot change once the
// domain exists.
func WithAuthMode(mode types.AuthMode) Option {
	return domainOption(func(b *specBuilder) { b.input.AuthMode = mode })
}

// WithVPC sets the VPC (VpcId) and the subnets (SubnetIds) the domain's apps
// run in; the subnet list replaces any set before. Default: unset, and the
// service's default stands. A VPC without subnets, or subnets without a VPC,
// is a RuleConflict problem in NewSpec. The VPC cannot change once the domain
// exists.
func WithVPC(vpcID string, subnetIDs ...string) Option {
	subnets := cloneStrings(subnetIDs)
	return domainOption(func(b *specBuilder) {
		b.input.VpcId = aws.String(vpcID)
		b.input.SubnetIds = cloneStrings(subnets)
	})
}

// WithExecutionRole sets the IAM role users' apps run as
// (DefaultUserSettings.ExecutionRole). Default: none; NewSpec requires one,
// from this option or from WithDefaultUserSettings.
//
// In NewUserProfileSpec it sets the role that user's apps and private
// spaces run as (UserSettings.ExecutionRole); unset there, the domain's
// default stands.
func WithExecutionRole(roleARN string) UserSettingsOption {
	return func(s *types.UserSettings) { s.ExecutionRole = aws.String(roleARN) }
}

// WithSecurityGroups sets the security groups users' apps use
// (DefaultUserSettings.SecurityGroups), replacing any set before; with no
// IDs the list is managed as empty. At most 5. Default: unset. A domain with
// AppNetworkAccessType VpcOnly needs at least one. In NewUserProfileSpec
// it sets the profile's own (UserSettings.SecurityGroups), which apply to
// the user's private spaces.
func WithSecurityGroups(ids ...string) UserSettingsOption {
	sgs := cloneStrings(ids)
	if sgs == nil {
		sgs = []string{}
	}
	return func(s *types.UserSettings) { s.SecurityGroups = cloneStrings(sgs) }
}

// WithTags adds tags to the spec; a key given again takes the later value.
// Default: tags are not managed, and Ensure leaves the domain's tags alone.
// Once any WithTags call passes a non-nil map (even an empty one), tags are
// managed authoritatively: Ensure removes tags that the spec does not list,
// except keys beginning with "aws:", which AWS owns and Ensure never
// touches, and the tags the Client sets itself (OwnerTagKey,
// CreateTokenTagKey). A nil map changes nothing. Keys beginning with
// "aws:" (in any case) and the Client's own keys are a problem in NewSpec,
// as are keys and values outside the service's lengths and patterns and
// more than 50 tags; a domain's create also needs room for its create
// token (and WithOwner's tag) within the 50. In
// NewUserProfileSpec and NewSpaceSpec it sets that member's tags, with the
// same rules, reconciled through AddTags and DeleteTags on the member's
// ARN.
func WithTags(tags map[string]string) TagsOption {
	if tags == nil {
		return func(*map[string]string) {}
	}
	own := maps.Clone(tags)
	return func(dst *map[string]string) {
		if *dst == nil {
			*dst = make(map[string]string, len(own))
		}
		maps.Copy(*dst, own)
	}
}

// WithKMSKey sets the KMS key (ID, ARN or alias) that encrypts the domain's
// home EFS volume and its apps' storage (KmsKeyId). Default: unset, and an
// AWS managed key is used. The key cannot change once the domain exists.
func WithKMSKey(keyID string) Option {
	return domainOption(func(b *specBuilder) { b.input.KmsKeyId = aws.String(keyID) })
}

// WithAppNetworkAccessType sets where the apps' traffic may go:
// types.AppNetworkAccessTypeVpcOnly keeps all of it inside the VPC (and then
// the spec needs a VPC, subnets and at least one user security group);
// types.AppNetworkAccessTypePublicInternetOnly lets it reach the internet
// through SageMaker. Default: unset, and the service uses
// PublicInternetOnly.
func WithAppNetworkAccessType(t types.AppNetworkAccessType) Option {
	return domainOption(func(b *specBuilder) { b.input.AppNetworkAccessType = t })
}

// WithSourceIdentity makes every call an app makes carry the user profile's
// name as sts:SourceIdentity (DomainSettings.ExecutionRoleIdentityConfig =
// USER_PROFILE_NAME), so data access policies and CloudTrail can tell users
// apart even when they share an execution role. Default: unset, and the
// service uses DISABLED.
func WithSourceIdentity() Option {
	return domainOption(func(b *specBuilder) {
		b.domainSettings().ExecutionRoleIdentityConfig = types.ExecutionRoleIdentityConfigUserProfileName
	})
}

// WithDomainSecurityGroups sets the security groups for communication
// between the domain and its RStudio apps (DomainSettings.SecurityGroupIds),
// replacing any set before. At most 3. Default: unset.
func WithDomainSecurityGroups(ids ...string) Option {
	sgs := cloneStrings(ids)
	if sgs == nil {
		sgs = []string{}
	}
	return domainOption(func(b *specBuilder) { b.domainSettings().SecurityGroupIds = cloneStrings(sgs) })
}

// WithAppSecurityGroupManagement sets who creates the security groups apps
// use to talk to each other in VpcOnly mode (AppSecurityGroupManagement:
// Service or Customer). Default: unset. NewSpec requires it when the domain
// is VpcOnly and has an RStudio domain execution role, and requires Service
// whenever an RStudio domain execution role is set.
func WithAppSecurityGroupManagement(m types.AppSecurityGroupManagement) Option {
	return domainOption(func(b *specBuilder) { b.input.AppSecurityGroupManagement = m })
}

// WithTagPropagation sets whether the domain's tags are copied onto the
// resources its apps create (TagPropagation: ENABLED or DISABLED). Default:
// unset, and the service uses DISABLED.
func WithTagPropagation(p types.TagPropagation) Option {
	return domainOption(func(b *specBuilder) { b.input.TagPropagation = p })
}

// WithHomeEFSCreation sets whether the domain gets a home EFS file system
// (HomeEfsFileSystemCreation: Enabled or Disabled). Default: unset, and the
// service uses Enabled. Going from Enabled to Disabled needs a new domain.
func WithHomeEFSCreation(c types.HomeEfsFileSystemCreation) Option {
	return domainOption(func(b *specBuilder) { b.input.HomeEfsFileSystemCreation = c })
}

// WithDefaultUserSettings merges s into the domain's DefaultUserSettings, so
// every user setting the API has is reachable. s is deep-copied when the
// option is made; see Option for how it combines with the narrow options.
// A nil s changes nothing. Default: unset except for what other options set.
func WithDefaultUserSettings(s *types.UserSettings) Option {
	return WithUserSettings(s)
}

// WithUserSettings merges s into the user settings of the spec it is
// passed to: a user profile's UserSettings (NewUserProfileSpec), or the
// domain's DefaultUserSettings (NewSpec, where it is WithDefaultUserSettings).
// s is deep-copied when the option is made and merges as Option describes.
// A nil s changes nothing. Default: unset, and the domain's defaults stand
// for the user.
func WithUserSettings(s *types.UserSettings) UserSettingsOption {
	own := wire.Clone(s)
	return func(dst *types.UserSettings) {
		if own != nil {
			mergeValue(dst, wire.Clone(own))
		}
	}
}

// WithDomainSettings merges s into the domain's DomainSettings (domain
// security groups, RStudio, identity propagation, Docker, Amazon Q, ...).
// s is deep-copied when the option is made; see Option for how it combines
// with WithSourceIdentity and WithDomainSecurityGroups. A nil s changes
// nothing. Default: unset.
func WithDomainSettings(s *types.DomainSettings) Option {
	own := wire.Clone(s)
	return domainOption(func(b *specBuilder) {
		if own == nil {
			return
		}
		mergeValue(b.domainSettings(), wire.Clone(own))
	})
}

// WithDefaultSpaceSettings merges s into the domain's DefaultSpaceSettings,
// the defaults for shared spaces. s is deep-copied when the option is made;
// see Option for how repeated calls combine. A nil s changes nothing.
// Default: unset.
func WithDefaultSpaceSettings(s *types.DefaultSpaceSettings) Option {
	own := wire.Clone(s)
	return domainOption(func(b *specBuilder) {
		if own == nil {
			return
		}
		if b.input.DefaultSpaceSettings == nil {
			b.input.DefaultSpaceSettings = &types.DefaultSpaceSettings{}
		}
		mergeValue(b.input.DefaultSpaceSettings, wire.Clone(own))
	})
}

// WithDomainID pins the spec to an existing domain by ID ("d-" and 1 to 61
// lowercase letters, digits and hyphens, as the service model's DomainId),
// so Plan and Ensure skip the lookup by name. Default: unset, and the domain
// is found by name. An ID outside the pattern is a problem on field
// "DomainId" in NewSpec. The ID is not part of the spec's JSON form.
func WithDomainID(id string) Option {
	return domainOption(func(b *specBuilder) {
		b.domainID = id
		b.domainIDSet = true
	})
}

// mergeValue merges src into dst as mergeStruct does.
func mergeValue[T any](dst, src *T) {
	mergeStruct(reflect.ValueOf(dst).Elem(), reflect.ValueOf(src).Elem())
}

// mergeStruct copies every set field of src into dst (both addressable
// struct values of one type, src owned by the caller): nil pointers,
// slices, maps and interfaces and empty strings are unset; a set pointer to
// a struct is merged into dst's struct when dst has one; anything else set
// replaces dst's field whole.
func mergeStruct(dst, src reflect.Value) {
	t := src.Type()
	for i := 0; i < t.NumField(); i++ {
		if !t.Field(i).IsExported() {
			continue
		}
		sf, df := src.Field(i), dst.Field(i)
		if sf.IsZero() {
			continue
		}
		if sf.Kind() == reflect.Pointer && sf.Elem().Kind() == reflect.Struct && !df.IsNil() &&
			sf.Elem().Type() != reflect.TypeFor[time.Time]() {
			mergeStruct(df.Elem(), sf.Elem())
			continue
		}
		df.Set(sf)
	}
}

// cloneStrings copies s, keeping nil as nil.
func cloneStrings(s []string) []string {
	if s == nil {
		return nil
	}
	return append([]string{}, s...)
}

// WithUserProfiles declares user profiles of the domain; Ensure creates or
// updates each after the domain, and Plan lists their changes under
// "UserProfiles.<name>.". Later calls add to earlier ones. Names must be
// unique without regard to case, as the service compares them. Declared
// profiles are managed as NewUserProfileSpec describes; live profiles the
// spec does not declare are left alone unless WithPrune is given. A nil
// element is a problem in NewSpec. Default: none, and no profile is read
// or written.
func WithUserProfiles(profiles ...*UserProfileSpec) Option {
	own := slices.Clone(profiles)
	return domainOption(func(b *specBuilder) { b.userProfiles = append(b.userProfiles, own...) })
}

// WithSpaces declares spaces of the domain, shared or private; Ensure
// creates or updates them after the user profiles, and Plan lists their
// changes under "Spaces.<name>.". Later calls add to earlier ones. A
// private space's owner must be one of the spec's user profiles or exist
// in the domain. A nil element is a problem in NewSpec. Default: none.
func WithSpaces(spaces ...*SpaceSpec) Option {
	own := slices.Clone(spaces)
	return domainOption(func(b *specBuilder) { b.spaces = append(b.spaces, own...) })
}

// WithPrune makes Plan and Ensure offboard the live user profiles and
// spaces the spec does not declare: for a user profile, its apps, then the
// spaces it owns (and their apps), then the profile, and with it the
// user's access to their home directory; for a space, its apps, then the
// space. Declared members and the domain itself are never deleted by it.
// With WithPrune, every space the spec declares must be owned (if at all)
// by a declared profile. Default: off, and undeclared members are neither
// listed nor touched.
func WithPrune() Option {
	return domainOption(func(b *specBuilder) { b.prune = true })
}
