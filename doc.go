// Package smdomain declares Amazon SageMaker domains in Go and converges AWS
// to them: a spec is checked before anything is sent, previewed as a plan,
// and applied with one idempotent call that waits until the domain is usable.
//
// # Spec, plan, ensure, wait
//
// A Spec is built with NewSpec and options, or read with LoadSpecJSON from
// the JSON that `aws sagemaker create-domain --cli-input-json` takes. Either
// way every field is checked against the service model and the API's
// cross-field rules, and every problem comes back at once in a
// *ValidationError; an invalid spec never reaches AWS.
//
//	spec, err := smdomain.NewSpec("ml-platform",
//		smdomain.WithVPC("vpc-0abc...", "subnet-0abc..."),
//		smdomain.WithExecutionRole("arn:aws:iam::123456789012:role/SageMakerExecutionRole"),
//		smdomain.WithSecurityGroups("sg-0abc..."),
//		smdomain.WithTags(map[string]string{"Environment": "Development"}),
//	)
//	client := smdomain.NewFromConfig(cfg)  // cfg from config.LoadDefaultConfig
//	plan, err := client.Plan(ctx, spec)    // read-only: create, update, replace-required or no-op
//	fmt.Print(plan)                        // one line per changed field
//	res, err := client.Ensure(ctx, spec)   // create or update, then wait for InService
//	fmt.Println(res.Action, res.Domain.URL) // "created https://d-....studio.us-east-1.sagemaker.aws"
//
// Ensure creates the domain when no domain has the name, or sends one
// UpdateDomain carrying only the fields that differ (and AddTags/DeleteTags
// for tags), then waits with the same waiter that NewDomainInServiceWaiter
// returns. A second Ensure with the same spec makes no write call and reports
// ActionUnchanged. Get reads a domain by name; Delete removes it and waits
// until it is gone, keeping the home EFS volume unless WithDeleteHomeEFS is
// given; WithCascade first deletes the domain's apps, spaces and user
// profiles, in the order the service requires. Waits are bounded by WithMaxWait and report progress through
// WithLogger or WithWaitOptions.
// Spec.Audit lists, without I/O, the settings that widen how far users can
// reach (internet egress, no sts:SourceIdentity, an AWS managed key, ...),
// judging unset fields by the service's defaults; Client.AuditDomain applies
// the same rules to a live domain.
//
// # Users and projects: user profiles and spaces
//
// Fine-grained access is granted below the domain: a user profile can run
// as its own execution role with its own security groups, a shared space is
// a project's, a private space is one user's. Declare them with the domain
// (or as "UserProfiles" and "Spaces" arrays in the JSON, each element what
// create-user-profile or create-space --cli-input-json takes):
//
//	alice, _ := smdomain.NewUserProfileSpec("alice",
//		smdomain.WithExecutionRole("arn:aws:iam::123456789012:role/alice-fraud-data"),
//		smdomain.WithTags(map[string]string{"team": "fraud"}))
//	project, _ := smdomain.NewSpaceSpec("fraud-detection",
//		smdomain.WithSpaceSharing(types.SharingTypeShared))
//	spec, _ := smdomain.NewSpec("fraud-ml", /* domain options */,
//		smdomain.WithUserProfiles(alice), smdomain.WithSpaces(project))
//
// WithExecutionRole, WithSecurityGroups, WithUserSettings and WithTags work
// for a user profile as for the domain; an option that means nothing for a
// member (WithVPC, say) does not compile there. Plan lists member changes
// under "UserProfiles.<name>." and "Spaces.<name>."; Ensure converges the
// domain, then the profiles, then the spaces, each with one minimal
// UpdateUserProfile or UpdateSpace (never AppType), and a second Ensure
// writes nothing. The name, the SSO pair, a space's owner, its sharing type
// and its AppType are create-only: a change is refused, typed, with nothing
// written. Live members the spec does not declare are left alone unless
// WithPrune: then each is offboarded (its apps, the spaces it owns, then the
// profile). EnsureMember, PlanMember and RemoveMember do the same for one
// member of an existing domain, for a service that onboards users one by
// one.
//
// In an SSO domain a user profile is of no use until its Identity Center
// user is assigned to the domain's Identity Center application. With
// WithIdentityCenter, Plan lists the missing assignments
// ("Assignments.USER.<user name>", and "Assignments.GROUP.<name>" for
// WithSSOGroups), Ensure makes them once the profiles are InService, and
// WithPrune removes those of the users it offboards; a user name the
// identity store does not have is a *PrincipalNotFoundError before any
// write.
//
// # Existing domains, Studio URLs, races
//
// Get, Delete, AuditDomain, Export and the one-member calls name an
// existing domain with ByName or ByID. List reads every domain; Export
// turns a live domain with its members into the spec that plans as a
// no-op, to adopt a domain made by hand. StudioURL signs a user of an IAM
// domain in to Studio with tight defaults (a URL valid 5 minutes, a
// 1-hour session), never logged; an SSO domain is an *AuthModeError.
//
// CreateDomain takes no client token, so Ensure tags each domain it creates
// with a random create token (CreateTokenTagKey): after a create whose
// answer was lost it recognises its own domain, never adopting another's
// as "created", and when several Clients or processes create one name at
// once, the domain created first survives and the others remove theirs and
// adopt it, so one domain is left (see Ensure for the guarantee and its
// window).
//
// Domains, user profiles and spaces go through one reconcile engine: which
// fields can change in place is read from the service model's Update
// inputs, and what is special about a kind (the domain's VPC rule, a
// space's AppType) is data beside it.
//
// # Unset means unmanaged
//
// A field the spec leaves unset is neither compared nor sent: the domain's own
// value, or the service's default, stands, so server-filled defaults never
// show as a perpetual diff. A field that is set is managed exactly; lists that
// are sets (subnets, security groups) compare without order. Tags are left
// alone unless WithTags is given; then they are authoritative, except keys
// beginning with "aws:" (in any case), which are never touched. The same
// holds for each member's tags.
//
// # Replacement is never implicit
//
// UpdateDomain cannot change the name, the auth mode, the KMS key, an existing
// VPC, or turn home EFS creation from Enabled to Disabled. A plan marks such
// changes ForcesReplacement and has action PlanReplaceRequired, and Ensure
// returns a *ReplacementRequiredError naming them and writes nothing: a new
// domain means a new home EFS volume, and the users' home directories would be
// lost. Replace a domain deliberately, with Delete and then Ensure.
//
// # Throttling and pacing
//
// SageMaker publishes no rate per operation and answers ThrottlingException
// beyond one. A Client paces each operation on its own: an operation that has
// never been throttled is not slowed at all; at a throttle its pace drops to
// 90 % of the rate it was achieving, and then creeps up again (0.5 % a second)
// to find the limit, so that a long batch runs just under it. A throttled call
// was not carried out, so it is sent again at the new pace, until the
// operation's wait budget (WithMaxWait) is spent: throttling slows a cohort
// of 500 users down and does not fail it. Client.Pace reports what was
// learnt; WithProgress reports how far a batch has got; WithConcurrency bounds
// how many members are written at once. Members waiting to be InService wait
// together: one listing (100 a page) looks at all of them.
//
// # Errors
//
// Match errors with errors.Is and errors.As, never by their text:
//
//   - *ValidationError: every problem in a spec (FieldError: Field, Value,
//     Rule, Detail); test one with Has(field, rule).
//   - *ReplacementRequiredError: the changes that need a new domain, user
//     profile or space.
//   - *StatusError: the domain, or one of its members (Kind and Name say
//     which), is in a status that waiting cannot fix (Failed,
//     Delete_Failed, Update_Failed with nothing left to change), with the
//     service's FailureReason.
//   - *AmbiguousNameError: several domains share the name; name one by its
//     ID (ByID, WithDomainID).
//   - *RoleAccountError: an execution role from another account, refused
//     before any write unless WithCrossAccountRoles.
//   - *DomainInUseError: Delete was refused because the domain still has
//     user profiles or spaces; it names them.
//   - *NotOwnedError: a Client given WithOwner met a domain another owner,
//     or nobody, created; nothing was written.
//   - *CascadeError: Delete WithCascade or an offboarding stopped part way;
//     it lists what was deleted and wraps why it stopped.
//   - *HomeEFSRetainedError: Delete WithDeleteHomeEFS found the domain
//     already being deleted by someone else, whose delete keeps the volume.
//   - *WaitTimeoutError (matching ErrWaitTimeout): a wait ran out; it names
//     the domain, so an Ensure that created one and timed out says which.
//   - *WriteAttemptsError: a create or update was sent WithWriteAttempts
//     times and none of the answers said whether it was carried out.
//   - *AuthModeError: StudioURL for an SSO domain.
//   - *PrincipalNotFoundError: Identity Center user or group names the
//     identity store does not have, before any write.
//   - ErrNotFound: no such domain (Get); ErrRepeatedNextToken: a listing
//     would never end.
//
// SDK errors stay reachable too, for example *types.ResourceNotFound or
// smithy.APIError.
//
// # Testing
//
// Package smdomaintest is an in-process SageMaker that speaks the real wire
// protocol, so tests run the SDK's serializers, signing, retries and error
// decoding. Give the server and the client one fake clock and waits of
// minutes take no real time:
//
//	clock := smdomaintest.NewFakeClock(time.Now())
//	srv := smdomaintest.NewServer(smdomaintest.WithClock(clock),
//		smdomaintest.WithCreateDelay(5*time.Minute))
//	defer srv.Close()
//	client := smdomain.NewFromConfig(srv.AWSConfig(), smdomain.WithClock(clock))
//
// The server can throttle, fail, cut or lose the response of a call, move a
// domain to any status, and keeps a log of the calls it received. Its package
// documentation lists where it differs from SageMaker. The smdomain command
// (cmd/smdomain) plans and applies JSON specs from a shell or CI pipeline and
// serves the emulator on a loopback port.
package smdomain
