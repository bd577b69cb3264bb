// Package smdomaintest provides an in-process Amazon SageMaker (domains,
// user profiles, spaces, apps, tags and presigned Studio URLs) and AWS STS
// (GetCallerIdentity) that speak the real wire protocols, for tests, in
// the manner of net/http/httptest.
//
//	srv := smdomaintest.NewServer(smdomaintest.WithClock(clock))
//	defer srv.Close()
//	sm := sagemaker.NewFromConfig(srv.AWSConfig())
//	id := sts.NewFromConfig(srv.AWSConfig())
//
// Because requests go through the SDK's own serializers, signer, retryer
// and error decoders, a test against a Server exercises the same code as
// production. Emulator is the bare http.Handler, for serving on another
// server (the smdomain CLI's emulator command does, so that any AWS client
// can use it with --endpoint-url).
//
// # Protocols
//
// SageMaker requests are awsJson1_1: POST /, X-Amz-Target
// SageMaker.<Operation>, Content-Type application/x-amz-json-1.1. Errors
// are HTTP 400 {"__type": code, "Message": text} with codes
// ResourceNotFound, ResourceInUse, ResourceLimitExceeded,
// ValidationException, ThrottlingException, SerializationException, and
// HTTP 500 InternalFailure. Operations served: CreateDomain, DescribeDomain,
// UpdateDomain, DeleteDomain, ListDomains; CreateUserProfile,
// DescribeUserProfile, UpdateUserProfile, DeleteUserProfile,
// ListUserProfiles; CreateSpace, DescribeSpace, UpdateSpace, DeleteSpace,
// ListSpaces; CreateApp, DescribeApp,
// DeleteApp, ListApps; CreatePresignedDomainUrl; AddTags, DeleteTags,
// ListTags. Any other answers UnknownOperationException.
//
// STS requests are awsQuery (form-encoded Action=GetCallerIdentity and
// Version=2011-06-15) and are answered in XML. A request is taken for STS
// when it has no X-Amz-Target header and a form body.
//
// Every request needs a SigV4 Authorization header; without one SageMaker
// answers 400 MissingAuthenticationTokenException and STS 403
// MissingAuthenticationToken (a malformed one IncompleteSignatureException
// or IncompleteSignature, one scoped to the other service 403). Such a
// request, and a SageMaker request that is not a POST, is answered before
// its body is read and is not logged. The region in the credential scope
// goes into ARNs and Studio URLs, and domains live in the region they were
// created in.
//
// # In memory and in virtual time
//
// Emulator.InMemoryAWSConfig returns an aws.Config like Server.AWSConfig's
// whose HTTP client calls the emulator's ServeHTTP in the calling
// goroutine, with no server or connection: the SDK's serializers,
// signing, retryer and error decoding run as over TCP, a done context
// fails the call with its error, and CutConnection and LoseResponse fail
// it with ErrConnectionClosed, a connection error to the SDK.
//
// WithLatency(d) answers each request d after it was carried out, waiting
// on the emulator's clock with no lock held. With a VirtualClock, whose
// time moves only when every goroutine of the process is blocked,
// concurrent requests wait together as they would in real time, so a
// benchmark of concurrent clients measures requests per virtual second
// (with a FakeClock, each wait would move the shared time by d, and
// concurrent waits would add up). The clock counts a goroutine waiting on
// the network as blocked: code timed on a VirtualClock must reach the
// emulator in memory, not over TCP. SetRateLimit and
// SetOperationRateLimit change the rate limits of a running emulator, so
// that a benchmark can create what it needs unlimited and then measure
// under a limit.
//
//	clock := smdomaintest.NewVirtualClock(start)
//	e := smdomaintest.NewEmulator(smdomaintest.WithClock(clock),
//		smdomaintest.WithLatency(100*time.Millisecond))
//	sm := sagemaker.NewFromConfig(e.InMemoryAWSConfig())
//	// ... create what the benchmark needs, then:
//	e.SetOperationRateLimit("CreateUserProfile", 5, 1)
//
// # Serving under load
//
// The emulator holds its lock for each request, and no request does work
// in proportion to everything stored: a resource is reached through maps
// and per-domain indexes, settled (see Behaviour) only when a request
// reaches it, and a List page starts with a binary search in creation
// order, never a sort (a page whose filters, such as
// UserProfileNameContains, match little walks until it is full). Deletes,
// which name what blocks them, look at the whole domain or owner, and
// DomainIDs at the whole emulator.
//
// A request body is read within WithBodyReadTimeout (wall clock, default
// DefaultBodyReadTimeout) and up to WithMaxBodyBytes (default
// DefaultMaxBodyBytes): a slower client is answered 408 Request Timeout, a
// larger body 413 Request Entity Too Large, in plain text, and its
// connection closed. These hold on any http.Server; NewHTTPServer also sets
// the server's header, idle and write timeouts, and NewServer uses the
// same settings.
//
// # Behaviour
//
// Domain IDs are d- and 12 random lowercase letters and digits; ARNs are
// arn:<partition>:sagemaker:<region>:<account>:domain/<id>, the partition
// following the region (cn-* aws-cn, us-gov-* aws-us-gov, else aws); the
// Studio URL is https://<id>.studio.<region>.sagemaker.aws. Names need not
// be unique.
//
// A new domain gets these values from the server when the request leaves
// them out, so that clients can be tested for ignoring server-filled
// defaults: AppNetworkAccessType PublicInternetOnly; TagPropagation
// DISABLED; HomeEfsFileSystemId fs-<17 hex> unless HomeEfsFileSystemCreation
// is Disabled (HomeEfsFileSystemCreation itself is reported only if sent);
// SecurityGroupIdForDomainBoundary sg-<17 hex> only for a domain in a VPC
// (given at create or added by an update); DefaultUserSettings.StudioWebPortal
// ENABLED and DefaultUserSettings.DefaultLandingUri "studio::";
// DefaultSpaceSettings.ExecutionRole copied from
// DefaultUserSettings.ExecutionRole when DefaultSpaceSettings is not sent;
// DomainSettings.ExecutionRoleIdentityConfig DISABLED and
// DomainSettings.DockerSettings.EnableDockerAccess DISABLED; and for SSO
// domains a SingleSignOnManagedApplicationInstanceId and
// SingleSignOnApplicationArn.
//
// Status follows the Clock given with WithClock, computed from timestamps
// for each resource when a request reaches it (finds, lists or writes it,
// or something it belongs to): no goroutine runs in the background. Pending
// becomes InService after the create delay, Updating becomes InService
// after the update delay, Deleting disappears after the delete delay.
// LastModifiedTime is the time of the last change, transitions included.
//
// UpdateDomain merges only the members it is sent: structures member by
// member, lists and scalars replaced; DomainSettingsForUpdate merges into
// DomainSettings, its RStudioServerProDomainSettingsForUpdate into
// RStudioServerProDomainSettings. It is refused with ResourceInUse unless
// the domain is InService or Update_Failed. VpcId can be set only on a
// domain without one, and HomeEfsFileSystemCreation cannot go from Enabled
// to Disabled (ValidationException).
//
// DeleteDomain is refused with ResourceInUse while the domain is Pending or
// Updating (an assumption: the service documents no rule) and while it has
// any user profile or space, in any status, Deleting included (the message
// names them); it succeeds without effect while the domain is Deleting, and
// records the RetentionPolicy it carried (see Emulator.RetentionPolicy).
//
// # User profiles, spaces and apps
//
// Every one of their operations names a domain (DomainId) that must exist
// in the request's region, else ResourceNotFound. Creating one in a domain
// that is not InService (Pending, Updating, Deleting, Failed, ...) answers
// ResourceInUse; this is an assumption, the service documents no rule.
//
// A user profile's name is unique in its domain and, as the service
// documents, not case sensitive: CreateUserProfile "Alice" beside "alice"
// answers ResourceInUse, and every request that names a profile
// (UserProfileName, OwnershipSettings.OwnerUserProfileName,
// UserProfileNameEquals, UserProfileNameContains) finds it in any case.
// Descriptions, lists, apps, space owners and the ARN,
// arn:<partition>:sagemaker:<region>:<account>:user-profile/<domain>/<name>,
// show the name as the profile was created. UserSettings are stored as
// sent, except that when the request sends neither
// UserSettings.StudioWebPortal nor UserSettings.DefaultLandingUri both are
// copied from the domain's DefaultUserSettings (ENABLED and "studio::"
// for a domain created without them); the server fills
// HomeEfsFileSystemUid. In a domain whose AuthMode is SSO,
// SingleSignOnUserIdentifier and SingleSignOnUserValue are required; in an
// IAM domain they are refused (ValidationException).
//
// A space's name is unique in its domain and case sensitive (the model
// does not say otherwise: "lab" and "Lab" are two spaces); its ARN is
// .../space/<domain>/<name>. OwnershipSettings.OwnerUserProfileName, when
// sent, must name a user profile of the domain that exists and is not
// Deleting, else ValidationException (a choice: the owner is a setting of
// the space, not the resource the request acts on). A private space
// (SpaceSharingSettings.SharingType Private) needs OwnershipSettings and
// SpaceSettings with an AppType, else ValidationException ("SpaceSettings
// must be provided for creating private space", as the service says); a
// shared space, or one sent without SpaceSharingSettings, needs neither.
// SpaceSettings.JupyterServerAppSettings.CodeRepositories is refused on
// CreateSpace and UpdateSpace with ValidationException, as the service
// does ("Unknown parameter CodeRepositories in JupyterServerAppSettings
// for SpaceSettings."). SpaceSettings, SpaceSharingSettings and
// SpaceDisplayName are stored as sent, except that a JupyterLab or
// CodeEditor space sent without SpaceSettings.SpaceStorageSettings gets
// EbsStorageSettings.EbsVolumeSizeInGb from its domain's
// DefaultUserSettings (private space) or DefaultSpaceSettings (any other)
// SpaceStorageSettings.DefaultEbsStorageSettings.DefaultEbsVolumeSizeInGb,
// or 5 when the domain sets none. SpaceDisplayName has no default.
//
// UpdateUserProfile and UpdateSpace merge what they are sent into the
// description as UpdateDomain does: structures member by member (UserSettings,
// SpaceSettings and everything below them), lists and scalars replaced;
// SpaceDisplayName is replaced. They are refused with ResourceInUse unless
// the profile or space is InService or Update_Failed. UpdateSpace with
// SpaceSettings.AppType, even the space's own, answers ValidationException
// "Updating AppType for Space is not supported", as the service does. The
// create-only members (Tags, the SSO pair, OwnershipSettings,
// SpaceSharingSettings) are not members of the update inputs, so sending
// them answers SerializationException like any unknown member.
//
// An app belongs to a user profile (UserProfileName) or a space
// (SpaceName): a request that names both or neither answers
// ValidationException. The owner must exist (else ResourceNotFound) and,
// for CreateApp, be InService (else ResourceInUse). AppName is unique per
// owner and AppType among apps that are not Deleted. Its ARN is
// .../app/<domain>/<owner>/<apptype in lower case>/<name>, close to the
// service's form. ResourceSpec and RecoveryMode are stored as sent.
//
// User profiles and spaces go Pending -> InService after their delay
// (WithUserProfileDelay, WithSpaceDelay) and, once deleted, Deleting ->
// gone after the same delay; once updated, Updating -> InService after
// their update delay (WithUserProfileUpdateDelay, WithSpaceUpdateDelay),
// which is the same delay unless set. Apps go Pending -> InService and, once
// deleted, Deleting -> Deleted after WithAppDelay; a Deleted app stays
// listed and described, with Status Deleted, until its owner is gone
// (the service keeps them visible for a while). Where a name has both a
// Deleted app and a newer one, DescribeApp answers the newer.
//
// Deletes are refused with ResourceInUse, the message naming what blocks:
// DeleteUserProfile while the profile has apps that are not Deleted or
// owns spaces (in any status); DeleteSpace while it has apps that are not
// Deleted; and, as for domains, any of the three while the resource is
// Pending (or Updating). Deleting a resource that is Deleting succeeds
// without effect; DeleteApp of a Deleted app answers ResourceNotFound.
// The cascade that works is therefore: delete the apps and wait until they
// are Deleted, delete the spaces and wait until they are gone, delete the
// user profiles and wait until they are gone, then delete the domain.
//
// ListUserProfiles, ListSpaces and ListApps page like ListDomains
// (MaxResults 1..100, default 10, opaque NextToken) in creation order, or
// its reverse with SortOrder Descending; SortBy is accepted and ignored.
// They filter on DomainIdEquals, and UserProfileNameContains, SpaceNameContains,
// UserProfileNameEquals and SpaceNameEquals where the operation has them
// (the profile filters ignore case, the space filters do not).
// Items carry what the SDK's UserProfileDetails, SpaceDetails and
// AppDetails hold. Tags sent at creation are stored on the new ARN and go
// when the resource goes (for an app, when it is Deleted); AddTags,
// DeleteTags and ListTags answer ResourceNotFound for the ARN of a
// profile or space that does not exist or an app that does not exist or
// is Deleted.
//
// Requests are validated against the service model's constraints
// (required, length, pattern, count, enum, range), every problem listed in
// one ValidationException in the service's wording: "2 validation errors
// detected: Value 'bad name' at 'domainName' failed to satisfy constraint:
// Member must satisfy regular expression pattern: ...; Value ...". A value
// of the wrong JSON type or an unknown member answers SerializationException
// naming it. Cross-field rules checked: VpcId and SubnetIds go together;
// AppNetworkAccessType VpcOnly needs VpcId, SubnetIds and
// DefaultUserSettings.SecurityGroups, and with an RStudio domain execution
// role also AppSecurityGroupManagement; tag keys must not begin with aws:
// and must not repeat; a resource has at most 50 tags.
//
// ListDomains pages (MaxResults 1..100, default 10) in creation order with
// an opaque NextToken. Tags live on ARNs: CreateDomain's Tags are stored on
// the new ARN (DescribeDomain reports none; ListTags does, MaxResults 50 or
// more, default 50) and go when the domain goes. A domain ARN of a domain
// that does not exist answers ResourceNotFound; any other ARN is accepted.
// CreateDomain past the region's domain quota (WithDomainQuota) answers
// ResourceLimitExceeded.
//
// # Presigned Studio URLs
//
// CreatePresignedDomainUrl is validated against the model (ExpiresInSeconds
// 5..300, default 300; SessionExpirationDurationInSeconds 1800..43200,
// default 43200; the name patterns; LandingUri at most 1023 characters).
// The domain must exist (else ResourceNotFound) and be InService (else
// ResourceInUse, as for creates) and its AuthMode IAM: for an SSO domain
// it answers ValidationException, the model saying "This operation can
// only be called when the authentication mode equals IAM". The user
// profile must exist, in any case and any status, and the space, when
// SpaceName is sent, must exist (else ResourceNotFound, which the SDK
// reports as *types.ResourceNotFound). The answer is {"AuthorizedUrl":
// "https://<domain-id>.studio.<region>.sagemaker.aws/auth?token=<token>"},
// the token 64 random letters and digits. Emulator.PresignedURL reads back,
// by token, what the emulator remembers of each URL (a PresignedURL: the
// domain, the profile's name as created, space, landing URI, creation and
// expiry times and session duration), for the newest URLs, as many as the
// call log keeps calls. The token is in the response only, so never in the
// call log.
//
// # Rate limits
//
// WithRateLimit(rate, burst) gives every operation served (each SageMaker
// operation and GetCallerIdentity) a token bucket of its own, and
// WithOperationRateLimit(op, rate, burst) gives one operation its own in
// place of that one (rate 0 exempts it). The default is no limit. A bucket
// holds burst tokens to begin with and at most, and gains one every
// 1/rate seconds of the emulator's clock (WithClock; with a FakeClock,
// only Advance and Sleep refill it, so a rate test takes no real time). A
// call finding its bucket empty is answered HTTP 400
// {"__type":"ThrottlingException","Message":"Rate exceeded"} (for STS,
// the XML error Throttling), as the service answers a call over its
// limit; it takes no token, changes nothing and is logged with Fault
// "ratelimit". The limit is met before anything else the request asks:
// every call it admits takes a token, whatever then answers it (an armed
// fault, a validation error, an error of the operation), and a call it
// refuses leaves armed faults armed. The SDK retries ThrottlingException;
// with Server.AWSConfig's retryer it retries at once, in the same virtual
// instant, so a client that is to wait for tokens should sleep on the
// emulator's clock (a FakeClock, or a VirtualClock for concurrent
// clients). SetRateLimit and SetOperationRateLimit change the limits of a
// running emulator, the buckets they change starting full.
//
// # Faults and the call log
//
// Throttle, Fail, CutConnection and LoseResponse arm a number of failures
// for the next calls of an operation, any served operation (under a rate
// limit, the next calls it admits);
// SetDomainStatus moves a domain to any status, such as Failed with a
// FailureReason, and SetUserProfileStatus, SetSpaceStatus and SetAppStatus
// do the same for the other resources (to test Delete_Failed, say).
//
// Calls returns the call log: for each request that was authenticated,
// the operation, virtual time, body size, top-level fields, status and
// fault ("ratelimit" for a call the rate limit refused), and a copy of the
// body. The log is a ring of the newest
// WithCallLogCapacity calls (default DefaultCallLogCapacity), and keeps at
// most WithCallBodyLimit bytes of each body (default DefaultCallBodyLimit;
// RequestBytes is always the full size), so a long-running emulator's log
// stays bounded. A test that counts calls should ResetCalls first and
// stay under the capacity.
//
// # IAM Identity Center
//
// The same server answers the SSO Admin and Identity Store operations
// that assign users and groups to an SSO domain's Identity Center
// application, so ssoadmin.NewFromConfig and identitystore.NewFromConfig
// reach it with Server.AWSConfig, as sagemaker.NewFromConfig does. They
// are awsJson1_1 like SageMaker's, with X-Amz-Target
// SWBExternalService.<Operation> signed for the service sso, or
// AWSIdentityStore.<Operation> signed for identitystore; a request signed
// for another service than its target's answers 403. Operations served:
// CreateApplicationAssignment, DeleteApplicationAssignment,
// ListApplicationAssignments; GetUserId, GetGroupId. Requests are checked
// against the constraints the two API references state (ApplicationArn
// and PrincipalId patterns, PrincipalType USER or GROUP, MaxResults
// 1..100, IdentityStoreId by ID or ARN) with ValidationException, and
// unknown members answer SerializationException.
//
// The emulator has one identity store (IdentityStoreID), empty until a
// test adds users and groups (AddIdentityCenterUser,
// AddIdentityCenterGroup), whose IDs have the service's form. GetUserId
// finds a user by the unique attribute userName and GetGroupId a group by
// displayName, names compared exactly; any other store, an ExternalId or
// a user's emails.value find no one (ResourceNotFoundException).
//
// Every SSO domain's SingleSignOnApplicationArn is an application with
// its own assignments. CreateApplicationAssignment and
// DeleteApplicationAssignment need the application to belong to a domain
// that exists, in any region, and the principal to exist with the type
// given, else ResourceNotFoundException; creating an assignment that is
// already there answers ConflictException, deleting one that is not
// ResourceNotFoundException. ListApplicationAssignments pages (MaxResults
// 1..100, default 10, opaque NextToken) in the order the assignments were
// made; ApplicationAssignments reads them back. Fault injection and the
// call log work for these operations as for SageMaker's, by operation
// name ("CreateApplicationAssignment", "GetUserId").
//
// # Differences from the real service
//
// Known differences, beyond the operations not served:
//   - Signatures are not verified: any access key and secret are accepted,
//     and only the shape of the Authorization header and its credential
//     scope (region, service) are read. Requests presigned with SigV4
//     (the signature in the query string) are refused as unauthenticated.
//   - Only one account exists; IAM permissions, roles, KMS keys, VPCs,
//     subnets, security groups and EFS are not checked or created: any
//     well-formed ID is accepted.
//   - The domain quota defaults to DefaultDomainQuota per region, which is
//     not the real quota; Deleting domains do not count towards it.
//   - Unknown members answer SerializationException; the service may
//     ignore them or answer differently.
//   - Error messages are the emulator's own except for the validation
//     message form; do not match on them.
//   - Status changes only with time (or the Set*Status helpers): nothing
//     ever fails by itself. Running apps do not block UpdateDomain or a
//     change of AppNetworkAccessType or subnets the way they do on AWS.
//   - Other operations on these resources are not served; there is no
//     quota on user profiles, spaces or apps; no
//     app, and no owning profile for SpaceManagedResources, is created by
//     the service itself (the real service starts a default JupyterServer
//     or space app in some set-ups), and ResourceSpec is not filled in.
//   - Member updates are not checked against the domain's status, and the
//     merged result is not checked again; the private-space and owner
//     rules apply at create only. How deep the service merges
//     UserSettings and SpaceSettings is not documented.
//   - Which of a profile's names the service reports where a request used
//     another case (a space owner, an app's UserProfileName) is not
//     documented; the emulator always reports the name as created, and
//     keeps that case in ARNs (the service may lower-case them).
//   - The messages of the private-space rules other than the one quoted
//     are the emulator's own.
//   - Refusing creates in a domain that is not InService, and deletes of a
//     Pending resource, are assumptions. Which error the service answers
//     for a missing space owner, and for DeleteApp of a Deleted app, is a
//     choice (ValidationException, ResourceNotFound); the service's may
//     differ. CreateUserProfile, CreateSpace and CreateApp do not declare
//     ResourceNotFound in the service model, so the SDK reports it for
//     them as a generic smithy.APIError, not *types.ResourceNotFound.
//   - Deleted apps stay until their owner is gone; the service drops them
//     after a while of its own.
//   - The list operations default to creation order, ascending; the
//     service's default order (and its SortBy) is not emulated.
//   - Space Url, LastHealthCheckTimestamp, LastUserActivityTimestamp and
//     the SSO and trusted-identity members of apps are not reported.
//   - Which server-filled defaults the service reports varies with time
//     and account; the emulator's are a fixed, documented set.
//   - An UpdateDomain is checked against the merged result, not against
//     which members were sent together, and nested structures merge member
//     by member; the API reference does not say how deep the service
//     merges.
//   - The Studio URL, and the presigned URLs, use sagemaker.aws in every
//     partition.
//   - A presigned URL leads nowhere: the emulator serves no Studio, and
//     its token is random, not a signed credential. Restrictions of the
//     URL to IP addresses or VPC endpoints are not modelled. Whether the
//     service refuses a URL for a profile that is not InService, or for a
//     private space another profile owns, is not documented; the emulator
//     does not, and its choice of ResourceInUse for a domain that is not
//     InService is an assumption.
//   - The service publishes no rate for its operations, and its limits
//     are per account and region, perhaps shared between operations; the
//     emulator's are what WithRateLimit and WithOperationRateLimit say,
//     per operation across regions, and off by default.
//   - Latency (WithLatency) is one fixed time for every answer, and none
//     by default; the service's varies.
//   - In memory (InMemoryAWSConfig) there is no connection: the body read
//     timeout does not apply, and a cut connection is ErrConnectionClosed
//     rather than the error of a closed socket.
//   - The body size limit, and the 408 and 413 answers, are the
//     emulator's; the service's front end has limits and answers of its
//     own.
//   - ListDomains returns domains in creation order; the service's order
//     is not documented.
//   - Identity Center: one instance and identity store for the account;
//     users and groups come only from AddIdentityCenterUser and
//     AddIdentityCenterGroup (the Identity Store's own create, list and
//     describe operations are not served), and their names compare
//     exactly, where the service may ignore case. An assignment's
//     ConflictException when it already exists is an assumption (the API
//     reference describes ConflictException as a clash with another
//     write). Assignments outlive their domain, whose application the
//     service deletes with it. A unique attribute's value must be a JSON
//     string (SerializationException otherwise). Assignment order in lists
//     is the emulator's.
package smdomaintest
