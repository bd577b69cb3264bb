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

// checkRoles refuses, before any write, a resource whose IAM roles live
// in another partition than the caller's, or in another account unless
// WithCrossAccountRoles was given. doc is the JSON form of its Create
// input and prefix where it sits in the spec ("" for the domain,
// "UserProfiles[alice]"). Without an STS client nothing is checked.
func (c *Client) checkRoles(ctx context.Context, prefix string, doc map[string]any) error {
	if c.opts.sts == nil {
		return nil
	}
	roles := rolesIn(doc)
	if len(roles) == 0 {
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

// rolesIn returns every IAM role ARN in a JSON-form document, by dotted
// path.
func rolesIn(doc any) map[string]string {
	out := map[string]string{}
	var walk func(v any, path string)
	walk = func(v any, path string) {
		switch v := v.(type) {
		case map[string]any:
			for k, e := range v {
				walk(e, strings.TrimPrefix(path+"."+k, "."))
			}
		case []any:
			for i, e := range v {
				walk(e, fmt.Sprintf("%s[%d]", path, i))
			}
		case string:
			if roleARN.MatchString(v) {
				out[path] = v
			}
		}
	}
	walk(doc, "")
	return out
}
