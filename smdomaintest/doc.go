// Package smdomaintest provides an in-process Amazon SageMaker (domains and
// tags) and AWS STS (GetCallerIdentity) that speak the real wire protocols,
// for tests, in the manner of net/http/httptest.
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
// UpdateDomain, DeleteDomain, ListDomains, AddTags, DeleteTags, ListTags;
// any other answers UnknownOperationException.
//
// STS requests are awsQuery (form-encoded Action=GetCallerIdentity and
// Version=2011-06-15) and are answered in XML. A request is taken for STS
// when it has no X-Amz-Target header and a form body.
//
// Every request needs a SigV4 Authorization header; without one SageMaker
// answers 400 MissingAuthenticationTokenException and STS 403
// MissingAuthenticationToken. The region in the credential scope goes into
// ARNs and Studio URLs, and domains live in the region they were created in.
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
// when a request arrives (no goroutine runs in the background): Pending
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
// Updating (an assumption: the service documents no rule), succeeds without
// effect while it is Deleting, and records the RetentionPolicy it carried
// (see Emulator.RetentionPolicy).
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
// # Faults and the call log
//
// Throttle, Fail, CutConnection and LoseResponse arm a number of failures
// for the next calls of an operation; SetDomainStatus moves a domain to any
// status, such as Failed with a FailureReason. Calls records every request
// (operation, virtual time, body size, top-level fields, status, fault).
//
// # Differences from the real service
//
// Known differences, beyond the operations not served:
//   - Signatures are not verified: any access key and secret are accepted,
//     and only the shape of the Authorization header and its credential
//     scope (region, service) are read. Presigned URLs are not supported.
//   - Only one account exists; IAM permissions, roles, KMS keys, VPCs,
//     subnets, security groups and EFS are not checked or created: any
//     well-formed ID is accepted.
//   - The domain quota defaults to DefaultDomainQuota per region, which is
//     not the real quota; Deleting domains do not count towards it.
//   - Unknown members answer SerializationException; the service may
//     ignore them or answer differently.
//   - Error messages are the emulator's own except for the validation
//     message form; do not match on them.
//   - Status changes only with time (or SetDomainStatus): no domain ever
//     fails by itself. Apps, spaces and user profiles do not exist, so
//     nothing blocks DeleteDomain, UpdateDomain or a change of
//     AppNetworkAccessType or subnets the way running apps do on AWS.
//   - Which server-filled defaults the service reports varies with time
//     and account; the emulator's are a fixed, documented set.
//   - An UpdateDomain is checked against the merged result, not against
//     which members were sent together, and nested structures merge member
//     by member; the API reference does not say how deep the service
//     merges.
//   - The Studio URL uses sagemaker.aws in every partition.
//   - ListDomains returns domains in creation order; the service's order
//     is not documented.
package smdomaintest
