package smdomain

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrNotFound is returned (wrapped) when no domain has the name or ID asked for.
var ErrNotFound = errors.New("domain not found")

// ErrWaitTimeout is matched (errors.Is) by every error of a wait that ran
// out of time before the resource reached the status waited for: a
// *WaitTimeoutError, which says which resource, or an error wrapping
// ErrWaitTimeout.
var ErrWaitTimeout = errors.New("exceeded max wait time")

// WaitTimeoutError is returned when a wait runs out of time (a waiter's
// maxWaitDur, or the WithMaxWait of Ensure and Delete) before the
// resource reaches the status waited for. It matches ErrWaitTimeout. The
// resource is left as it is: an Ensure that created a domain and timed
// out waiting for it returns this error with the new domain's DomainID,
// and running Ensure again resumes the wait.
type WaitTimeoutError struct {
	// DomainID is the domain waited for, or the domain of the user
	// profile or space waited for.
	DomainID string
	// Kind is "domain", "user profile" or "space"; Name is the user
	// profile's or space's name, "" for a domain.
	Kind, Name string
	// Target is the state waited for: "InService" or "deleted".
	Target string
	// Status is the last status a poll saw; "" when none was seen.
	Status string
	// Waited is how long the wait lasted, and Polls how many Describe
	// calls it made (0 when the budget was spent before this wait began).
	Waited time.Duration
	Polls  int
}

// Error names the resource, what it was waited for and how long.
func (e *WaitTimeoutError) Error() string {
	what := resourceLabel(e.Kind, e.Name, e.DomainID)
	if e.Polls == 0 {
		return fmt.Sprintf("wait for %s to be %s: the wait budget of %v was spent: %v", what, e.Target, e.Waited, ErrWaitTimeout)
	}
	status := e.Status
	if status == "" {
		status = "unknown"
	}
	return fmt.Sprintf("wait for %s to be %s: gave up after %v and %d polls, last status %s: %v",
		what, e.Target, e.Waited, e.Polls, status, ErrWaitTimeout)
}

// Is makes a *WaitTimeoutError match ErrWaitTimeout.
func (e *WaitTimeoutError) Is(target error) bool { return target == ErrWaitTimeout }

// WriteAttemptsError is returned by Ensure (and EnsureMember) when it sent
// one create or update as often as WithWriteAttempts allows and never
// learnt its outcome: every attempt was throttled, failed with a 5xx,
// timed out or lost its connection. Between attempts Ensure read the
// resource again, so a create that went through was not sent twice; an
// update may or may not have been made, and the next Ensure plans again.
type WriteAttemptsError struct {
	// Operation is the call sent, e.g. "CreateDomain" or
	// "UpdateUserProfile" ("" when the SDK did not say).
	Operation string
	// DomainID is the domain written, or the member's domain; "" for a
	// domain that was being created.
	DomainID string
	// Kind is "domain", "user profile" or "space"; Name is the domain's
	// name (as the spec gives it), or the member's.
	Kind, Name string
	// Attempts is how many times the write was sent.
	Attempts int
	// Err is the last attempt's error; the SDK's typed errors stay
	// reachable through it with errors.As.
	Err error
}

// Error says what was sent, how often, and the last attempt's error.
func (e *WriteAttemptsError) Error() string {
	var what string
	switch {
	case e.Kind != "domain":
		what = resourceLabel(e.Kind, e.Name, e.DomainID)
	case e.DomainID != "":
		what = "domain " + e.DomainID
	default:
		what = fmt.Sprintf("domain %q", e.Name)
	}
	op := e.Operation
	if op == "" {
		op = "write"
	}
	attempts := "1 attempt"
	if e.Attempts != 1 {
		attempts = fmt.Sprintf("%d attempts", e.Attempts)
	}
	return fmt.Sprintf("%s of %s: %s, none with a known outcome; the last: %v", op, what, attempts, e.Err)
}

// Unwrap returns the last attempt's error.
func (e *WriteAttemptsError) Unwrap() error { return e.Err }

// ErrRepeatedNextToken is returned (wrapped, naming the listing and the
// page) when a paginated read (ListDomains, ListTags, ListUserProfiles,
// ListSpaces, ListApps) answers with a NextToken it gave before: paging on
// would never end, so the read stops there.
var ErrRepeatedNextToken = errors.New("the service repeated a pagination token")

// Rule is the kind of check a FieldError failed.
type Rule string

// The rules a spec is checked against. The first six come from the service
// model; RuleConflict is a cross-field rule the API documents.
const (
	RuleRequired Rule = "required" // a required field is missing
	RuleLength   Rule = "length"   // a string is too short or too long
	RulePattern  Rule = "pattern"  // a string does not match the field's pattern
	RuleCount    Rule = "count"    // a list or map has too few or too many entries
	RuleEnum     Rule = "enum"     // a value is not one of the allowed values
	RuleRange    Rule = "range"    // a number is out of its range
	RuleType     Rule = "type"     // a JSON value has the wrong type, or a field is unknown
	RuleConflict Rule = "conflict" // fields that do not go together, or one that needs another
)

// FieldError is one problem with one field of a spec.
//
// Field is the field's dotted path as in CreateDomainInput, member names as
// in the API and list indexes in brackets:
// "DefaultUserSettings.SecurityGroups[5]",
// "DomainSettings.RStudioServerProDomainSettings.DomainExecutionRoleArn".
// Tags are a list in the API, so a tag problem is on "Tags[i].Key" or
// "Tags[i].Value", where i is the tag's index in the list the caller gave
// (LoadSpecJSON, SpecFromCreateDomainInput) or, for NewSpec's tag map, its
// index in key order, as CreateDomainInput lists them. A pinned ID
// (WithDomainID) is on "DomainId", and the Client's WithOwner value on
// "WithOwner". A problem with the whole document (not a JSON object) has
// an empty Field.
//
// Value is the offending value as a string, but never a secret in full: a
// value is replaced by "[redacted: N characters]" when the field's name
// (its last path element) has one of the words Kms, Secret, Url, Uri, Token
// or Password (or KMS, URL, URI) in its CamelCase (KmsKeyId, S3KmsKeyId,
// SecretArn, RepositoryUrl, S3Uri, DefaultLandingUri, ...; not
// AppSecurityGroupManagement), and any other value longer than 80
// characters is cut to its first 64 followed by "...[N characters]". Value
// is empty for missing fields and for count problems (Detail gives the
// count).
type FieldError struct {
	// Field is the dotted path of the field, e.g.
	// "DefaultUserSettings.SecurityGroups[5]".
	Field string
	// Value is the offending value, shortened or redacted as described
	// above; empty when there is none.
	Value string
	// Rule is the kind of check that failed; match on it in code.
	Rule Rule
	// Detail says, for people, what the rule wants, e.g. "has 6 entries;
	// at most 5 allowed".
	Detail string
}

// Error formats the problem as `Field "Value": rule: Detail`.
func (e FieldError) Error() string {
	var b strings.Builder
	if e.Field == "" {
		b.WriteString("(document)")
	}
	b.WriteString(e.Field)
	if e.Value != "" {
		fmt.Fprintf(&b, " %q", e.Value)
	}
	fmt.Fprintf(&b, ": %s: %s", e.Rule, e.Detail)
	return b.String()
}

// ValidationError holds every problem found in a spec, so that all of them
// can be fixed at once; NewSpec, LoadSpecJSON and SpecFromCreateDomainInput
// return it and no Spec, so nothing is sent to AWS for an invalid spec.
// Problems come in one order, the same for the same input on every run:
// the domain's, then its members' in the order declared; for each, the
// model's rules in field order (members of a structure, unknown ones
// included, sorted by name), then what the decoder refused, then the
// cross-field rules. Match problems in code with Has or by ranging over
// Problems, not by comparing Error's text.
type ValidationError struct {
	Problems []FieldError
	// What names what was checked: "" for a domain spec (its members'
	// problems included), "user profile spec" or "space spec" for a member
	// spec on its own, "Studio URL request" for StudioURL's options.
	What string
}

// Error lists every problem, one a line when there are several.
func (e *ValidationError) Error() string {
	what := "domain spec"
	if e.What != "" {
		what = e.What
	}
	if len(e.Problems) == 1 {
		return "invalid " + what + ": " + e.Problems[0].Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "invalid %s: %d problems:", what, len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  - ")
		b.WriteString(p.Error())
	}
	return b.String()
}

// Has reports whether some problem is on field (a path as in FieldError)
// with rule. A nil ValidationError has no problems.
func (e *ValidationError) Has(field string, rule Rule) bool {
	if e == nil {
		return false
	}
	for _, p := range e.Problems {
		if p.Field == field && p.Rule == rule {
			return true
		}
	}
	return false
}

// ReplacementRequiredError is returned by Ensure (and EnsureMember) when
// the spec differs from the live domain, or one of its user profiles or
// spaces, in fields that UpdateDomain, UpdateUserProfile or UpdateSpace
// cannot change. Replacing a domain deletes its users' home directories,
// and replacing a user profile the user's, so smdomain never does it
// implicitly: nothing was written.
type ReplacementRequiredError struct {
	DomainID string
	// Changes are the changes that force replacement.
	Changes []Change
}

// Error names the fields that cannot change in place.
func (e *ReplacementRequiredError) Error() string {
	paths := make([]string, len(e.Changes))
	for i, c := range e.Changes {
		paths[i] = c.Path
	}
	what := "a new user profile or space"
	for _, p := range paths {
		if !strings.HasPrefix(p, "UserProfiles.") && !strings.HasPrefix(p, "Spaces.") {
			what = "a new domain"
		}
	}
	return fmt.Sprintf("domain %s: cannot change %s in place; %s would be needed (nothing was changed)",
		e.DomainID, strings.Join(paths, ", "), what)
}

// StatusError reports a domain, user profile or space in a status that
// waiting cannot fix, with the reason the service gave.
type StatusError struct {
	DomainID string
	// Kind is "domain", "user profile" or "space"; Name is the user
	// profile's or space's name, "" for a domain.
	Kind, Name    string
	Status        string // e.g. Failed, Update_Failed, Delete_Failed
	FailureReason string
}

// Error names the resource, its status and the service's reason.
func (e *StatusError) Error() string {
	msg := fmt.Sprintf("%s is %s", resourceLabel(e.Kind, e.Name, e.DomainID), e.Status)
	if e.FailureReason != "" {
		msg += ": " + e.FailureReason
	}
	return msg
}

// resourceLabel names a resource in messages: "domain d-abc", or
// `user profile "alice" in domain d-abc`.
func resourceLabel(kind, name, domainID string) string {
	if name == "" {
		return "domain " + domainID
	}
	return fmt.Sprintf("%s %q in domain %s", kind, name, domainID)
}

// AmbiguousNameError is returned when more than one domain has the name
// asked for. AWS does not promise that domain names are unique; pin the one
// you mean by its ID (WithDomainID, ByID).
type AmbiguousNameError struct {
	Name      string
	DomainIDs []string
}

// Error names every domain with the name.
func (e *AmbiguousNameError) Error() string {
	return fmt.Sprintf("%d domains are named %q (%s); name the one you mean by its ID",
		len(e.DomainIDs), e.Name, strings.Join(e.DomainIDs, ", "))
}

// RoleAccountError is returned before any write when an execution role in
// the spec belongs to another partition, or to another account than the
// caller's and cross-account roles were not allowed (WithCrossAccountRoles).
type RoleAccountError struct {
	Field           string // where the role is set, e.g. DefaultUserSettings.ExecutionRole
	Role            string // the role ARN
	RoleAccount     string
	RolePartition   string
	CallerAccount   string
	CallerPartition string
}

// Error names the role, its account or partition, and the caller's.
func (e *RoleAccountError) Error() string {
	if e.RolePartition != e.CallerPartition {
		return fmt.Sprintf("%s: role %s is in partition %s, but the caller is in %s",
			e.Field, e.Role, e.RolePartition, e.CallerPartition)
	}
	return fmt.Sprintf("%s: role %s belongs to account %s, but the caller is account %s (allow with WithCrossAccountRoles)",
		e.Field, e.Role, e.RoleAccount, e.CallerAccount)
}

// DomainInUseError is returned by Delete when the domain still has user
// profiles, spaces or apps, which the service refuses to delete it with.
// Nothing was deleted. WithCascade deletes them first.
type DomainInUseError struct {
	DomainID     string
	UserProfiles []string
	Spaces       []string
	Apps         []string // as "<user profile or space>/<app type>/<app name>"
}

// Error counts what is in the way and names the way out.
func (e *DomainInUseError) Error() string {
	var parts []string
	for _, p := range []struct {
		n    int
		what string
	}{{len(e.UserProfiles), "user profile"}, {len(e.Spaces), "space"}, {len(e.Apps), "app"}} {
		switch {
		case p.n == 1:
			parts = append(parts, "1 "+p.what)
		case p.n > 1:
			parts = append(parts, fmt.Sprintf("%d %ss", p.n, p.what))
		}
	}
	return fmt.Sprintf("domain %s still has %s; delete them first, or delete with WithCascade (nothing was deleted)",
		e.DomainID, strings.Join(parts, ", "))
}

// HomeEFSRetainedError is returned by Delete given WithDeleteHomeEFS,
// together with its Result, when the domain's home EFS volume may well
// outlive it: someone else's DeleteDomain was under way (or done) before
// Delete could send its own, and the service keeps the volume unless that
// DeleteDomain asked otherwise, which it does not report. The domain is
// gone; delete the volume through Amazon EFS if it must go.
type HomeEFSRetainedError struct {
	DomainID     string
	FileSystemID string // the home EFS volume
}

// Error names the domain and the volume.
func (e *HomeEFSRetainedError) Error() string {
	return fmt.Sprintf("domain %s was deleted by another caller, whose DeleteDomain decided its home EFS volume %s: it is retained unless that call asked otherwise (WithDeleteHomeEFS could not apply)",
		e.DomainID, e.FileSystemID)
}

// CascadeError is returned when Delete WithCascade, or an offboarding
// (Ensure WithPrune, RemoveMember), stops part way. Deleted lists what it
// had deleted by then, in order, as the Result's Changes do; Err is why it
// stopped, and errors.As reaches through it: a *NotOwnedError when the
// domain's owner tag changed under it (WithOwner), a *StatusError, the
// SDK's error of a call that kept failing after the retries,
// ErrWaitTimeout. Running the same call again resumes.
type CascadeError struct {
	DomainID string
	Deleted  []Change
	Err      error
}

// Error counts what was deleted and says why the cascade stopped.
func (e *CascadeError) Error() string {
	return fmt.Sprintf("domain %s: stopped after deleting %d of its apps, spaces and user profiles: %v", e.DomainID, len(e.Deleted), e.Err)
}

// Unwrap returns why the cascade stopped.
func (e *CascadeError) Unwrap() error { return e.Err }

// NotOwnedError is returned when a Client given WithOwner meets a domain
// whose OwnerTagKey tag is missing or names another owner. Nothing was
// written.
type NotOwnedError struct {
	DomainID string
	Owner    string // the tag's value; "" when the domain has none
	Want     string // the Client's owner
}

// Error names the domain, its owner and the Client's.
func (e *NotOwnedError) Error() string {
	has := fmt.Sprintf("is owned by %q", e.Owner)
	if e.Owner == "" {
		has = "has no " + OwnerTagKey + " tag"
	}
	return fmt.Sprintf("domain %s %s, not by %q: left alone (tag it %s=%s to adopt it)",
		e.DomainID, has, e.Want, OwnerTagKey, e.Want)
}
