package smdomain

import (
	"maps"
	"reflect"
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
type Option func(*specBuilder)

// specBuilder is what options write into. NewSpec owns it, so options may
// write into its structs directly.
type specBuilder struct {
	input       *sagemaker.CreateDomainInput // Tags unused: see tags
	tags        map[string]string
	domainID    string
	domainIDSet bool
}

func (b *specBuilder) userSettings() *types.UserSettings {
	if b.input.DefaultUserSettings == nil {
		b.input.DefaultUserSettings = &types.UserSettings{}
	}
	return b.input.DefaultUserSettings
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
	return func(b *specBuilder) { b.input.AuthMode = mode }
}

// WithVPC sets the VPC (VpcId) and the subnets (SubnetIds) the domain's apps
// run in; the subnet list replaces any set before. Default: unset, and the
// service's default stands. A VPC without subnets, or subnets without a VPC,
// is a RuleConflict problem in NewSpec. The VPC cannot change once the domain
// exists.
func WithVPC(vpcID string, subnetIDs ...string) Option {
	subnets := cloneStrings(subnetIDs)
	return func(b *specBuilder) {
		b.input.VpcId = aws.String(vpcID)
		b.input.SubnetIds = cloneStrings(subnets)
	}
}

// WithExecutionRole sets the IAM role users' apps run as
// (DefaultUserSettings.ExecutionRole). Default: none; NewSpec requires one,
// from this option or from WithDefaultUserSettings.
func WithExecutionRole(roleARN string) Option {
	return func(b *specBuilder) { b.userSettings().ExecutionRole = aws.String(roleARN) }
}

// WithSecurityGroups sets the security groups users' apps use
// (DefaultUserSettings.SecurityGroups), replacing any set before; with no
// IDs the list is managed as empty. At most 5. Default: unset. A domain with
// AppNetworkAccessType VpcOnly needs at least one.
func WithSecurityGroups(ids ...string) Option {
	sgs := cloneStrings(ids)
	if sgs == nil {
		sgs = []string{}
	}
	return func(b *specBuilder) { b.userSettings().SecurityGroups = cloneStrings(sgs) }
}

// WithTags adds tags to the spec; a key given again takes the later value.
// Default: tags are not managed, and Ensure leaves the domain's tags alone.
// Once any WithTags call passes a non-nil map (even an empty one), tags are
// managed authoritatively: Ensure removes tags that the spec does not list,
// except keys beginning with "aws:", which AWS owns and Ensure never
// touches. A nil map changes nothing. Keys beginning with "aws:" (in any
// case) are a problem in NewSpec, as are keys and values outside the
// service's lengths and patterns and more than 50 tags.
func WithTags(tags map[string]string) Option {
	if tags == nil {
		return func(*specBuilder) {}
	}
	own := maps.Clone(tags)
	return func(b *specBuilder) {
		if b.tags == nil {
			b.tags = make(map[string]string, len(own))
		}
		maps.Copy(b.tags, own)
	}
}

// WithKMSKey sets the KMS key (ID, ARN or alias) that encrypts the domain's
// home EFS volume and its apps' storage (KmsKeyId). Default: unset, and an
// AWS managed key is used. The key cannot change once the domain exists.
func WithKMSKey(keyID string) Option {
	return func(b *specBuilder) { b.input.KmsKeyId = aws.String(keyID) }
}

// WithAppNetworkAccessType sets where the apps' traffic may go:
// types.AppNetworkAccessTypeVpcOnly keeps all of it inside the VPC (and then
// the spec needs a VPC, subnets and at least one user security group);
// types.AppNetworkAccessTypePublicInternetOnly lets it reach the internet
// through SageMaker. Default: unset, and the service uses
// PublicInternetOnly.
func WithAppNetworkAccessType(t types.AppNetworkAccessType) Option {
	return func(b *specBuilder) { b.input.AppNetworkAccessType = t }
}

// WithSourceIdentity makes every call an app makes carry the user profile's
// name as sts:SourceIdentity (DomainSettings.ExecutionRoleIdentityConfig =
// USER_PROFILE_NAME), so data access policies and CloudTrail can tell users
// apart even when they share an execution role. Default: unset, and the
// service uses DISABLED.
func WithSourceIdentity() Option {
	return func(b *specBuilder) {
		b.domainSettings().ExecutionRoleIdentityConfig = types.ExecutionRoleIdentityConfigUserProfileName
	}
}

// WithDomainSecurityGroups sets the security groups for communication
// between the domain and its RStudio apps (DomainSettings.SecurityGroupIds),
// replacing any set before. At most 3. Default: unset.
func WithDomainSecurityGroups(ids ...string) Option {
	sgs := cloneStrings(ids)
	if sgs == nil {
		sgs = []string{}
	}
	return func(b *specBuilder) { b.domainSettings().SecurityGroupIds = cloneStrings(sgs) }
}

// WithAppSecurityGroupManagement sets who creates the security groups apps
// use to talk to each other in VpcOnly mode (AppSecurityGroupManagement:
// Service or Customer). Default: unset. NewSpec requires it when the domain
// is VpcOnly and has an RStudio domain execution role, and requires Service
// whenever an RStudio domain execution role is set.
func WithAppSecurityGroupManagement(m types.AppSecurityGroupManagement) Option {
	return func(b *specBuilder) { b.input.AppSecurityGroupManagement = m }
}

// WithTagPropagation sets whether the domain's tags are copied onto the
// resources its apps create (TagPropagation: ENABLED or DISABLED). Default:
// unset, and the service uses DISABLED.
func WithTagPropagation(p types.TagPropagation) Option {
	return func(b *specBuilder) { b.input.TagPropagation = p }
}

// WithHomeEFSCreation sets whether the domain gets a home EFS file system
// (HomeEfsFileSystemCreation: Enabled or Disabled). Default: unset, and the
// service uses Enabled. Going from Enabled to Disabled needs a new domain.
func WithHomeEFSCreation(c types.HomeEfsFileSystemCreation) Option {
	return func(b *specBuilder) { b.input.HomeEfsFileSystemCreation = c }
}

// WithDefaultUserSettings merges s into the domain's DefaultUserSettings, so
// every user setting the API has is reachable. s is deep-copied when the
// option is made; see Option for how it combines with the narrow options.
// A nil s changes nothing. Default: unset except for what other options set.
func WithDefaultUserSettings(s *types.UserSettings) Option {
	own := wire.Clone(s)
	return func(b *specBuilder) {
		if own == nil {
			return
		}
		mergeStruct(reflect.ValueOf(b.userSettings()).Elem(), reflect.ValueOf(wire.Clone(own)).Elem())
	}
}

// WithDomainSettings merges s into the domain's DomainSettings (domain
// security groups, RStudio, identity propagation, Docker, Amazon Q, ...).
// s is deep-copied when the option is made; see Option for how it combines
// with WithSourceIdentity and WithDomainSecurityGroups. A nil s changes
// nothing. Default: unset.
func WithDomainSettings(s *types.DomainSettings) Option {
	own := wire.Clone(s)
	return func(b *specBuilder) {
		if own == nil {
			return
		}
		mergeStruct(reflect.ValueOf(b.domainSettings()).Elem(), reflect.ValueOf(wire.Clone(own)).Elem())
	}
}

// WithDefaultSpaceSettings merges s into the domain's DefaultSpaceSettings,
// the defaults for shared spaces. s is deep-copied when the option is made;
// see Option for how repeated calls combine. A nil s changes nothing.
// Default: unset.
func WithDefaultSpaceSettings(s *types.DefaultSpaceSettings) Option {
	own := wire.Clone(s)
	return func(b *specBuilder) {
		if own == nil {
			return
		}
		if b.input.DefaultSpaceSettings == nil {
			b.input.DefaultSpaceSettings = &types.DefaultSpaceSettings{}
		}
		mergeStruct(reflect.ValueOf(b.input.DefaultSpaceSettings).Elem(), reflect.ValueOf(wire.Clone(own)).Elem())
	}
}

// WithDomainID pins the spec to an existing domain by ID ("d-" and 1 to 61
// lowercase letters, digits and hyphens, as the service model's DomainId),
// so Plan and Ensure skip the lookup by name. Default: unset, and the domain
// is found by name. An ID outside the pattern is a problem on field
// "DomainId" in NewSpec. The ID is not part of the spec's JSON form.
func WithDomainID(id string) Option {
	return func(b *specBuilder) {
		b.domainID = id
		b.domainIDSet = true
	}
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
