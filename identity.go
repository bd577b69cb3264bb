package smdomain

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// callerIdentity is the account and partition of the credentials in use.
type callerIdentity struct {
	account   string
	partition string
}

// identity asks STS who the caller is, once per Client; a failed call is
// not remembered, so the next one asks again.
func (c *Client) identity(ctx context.Context) (callerIdentity, error) {
	c.idMu.Lock()
	defer c.idMu.Unlock()
	if c.id != nil {
		return *c.id, nil
	}
	out, err := c.opts.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return callerIdentity{}, fmt.Errorf("get caller identity: %w", err)
	}
	id := callerIdentity{account: deref(out.Account)}
	if parts := strings.SplitN(deref(out.Arn), ":", 3); len(parts) == 3 {
		id.partition = parts[1]
	}
	c.id = &id
	return id, nil
}

// roleARN matches an IAM role ARN and captures its partition and account.
var roleARN = regexp.MustCompile(`^arn:(aws[a-z-]*):iam::(\d{12}):role/`)

// checkRoles refuses, before any write, IAM roles that live in another
// partition than the caller's, or in another account unless
// WithCrossAccountRoles was given. roles are the role ARNs the write
// carries, by dotted path within the resource (rolesIn, changedRoles),
// and prefix is where the resource sits in the spec ("" for the domain,
// "UserProfiles[alice]"). It asks STS who the caller is only when there is
// a role to check; without an STS client nothing is checked.
func (c *Client) checkRoles(ctx context.Context, prefix string, roles map[string]string) error {
	if c.opts.sts == nil || len(roles) == 0 {
		return nil
	}
	id, err := c.identity(ctx)
	if err != nil {
		return err
	}
	for _, field := range sortedKeys(roles) {
		role := roles[field]
		m := roleARN.FindStringSubmatch(role)
		if m[1] != id.partition || (m[2] != id.account && !c.opts.crossAccountRoles) {
			if prefix != "" {
				field = prefix + "." + field
			}
			return &RoleAccountError{Field: field, Role: role, RolePartition: m[1], RoleAccount: m[2],
				CallerAccount: id.account, CallerPartition: id.partition}
		}
	}
	return nil
}

// plannedRoles returns the role ARNs that carrying out p sends: for a
// create every one in desired, the resource's whole JSON-form document;
// for an update those in its changes (changedRoles); for anything else
// none.
func plannedRoles(p *planned, desired map[string]any) map[string]string {
	if p == nil {
		return nil
	}
	switch p.action {
	case PlanCreate:
		return rolesIn(desired)
	case PlanUpdate:
		return changedRoles(p.changes)
	}
	return nil
}

// changedRoles returns the role ARNs among the new values of changes, by
// dotted path: the roles an update sends, since it carries only the
// changed fields. A role the update resends unchanged (the RStudio domain
// role, which the API wants with any RStudio setting) is the one the
// resource already runs as, so it is not among them.
func changedRoles(changes []Change) map[string]string {
	out := map[string]string{}
	for _, ch := range changes {
		if !isTag(ch.Path) {
			collectRoles(out, ch.To, ch.Path)
		}
	}
	return out
}

// rolesIn returns every IAM role ARN in a JSON-form document, by dotted
// path.
func rolesIn(doc any) map[string]string {
	out := map[string]string{}
	collectRoles(out, doc, "")
	return out
}

// collectRoles adds to out every IAM role ARN in the JSON-form value v,
// which sits at path.
func collectRoles(out map[string]string, v any, path string) {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			collectRoles(out, e, strings.TrimPrefix(path+"."+k, "."))
		}
	case []any:
		for i, e := range v {
			collectRoles(out, e, fmt.Sprintf("%s[%d]", path, i))
		}
	case string:
		if roleARN.MatchString(v) {
			out[path] = v
		}
	}
}
