package smdomain

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/finegrained/smdomain/internal/model"
	"github.com/finegrained/smdomain/internal/wire"
)

// validateInput returns every problem with in, a CreateDomain request whose
// Tags are in the order the caller gave them (so Tags[i] names the i-th tag
// the caller wrote; NewSpec's tags are in key order). It checks the model's
// rules on every field (the table the emulator validates with) and then the
// cross-field rules the API documents. Cross-field problems are RuleConflict,
// except the execution role, which is RuleRequired.
func validateInput(in *sagemaker.CreateDomainInput) []FieldError {
	doc := wire.Encode(in)
	if doc == nil {
		doc = map[string]any{}
	}
	var out []FieldError
	for _, p := range model.ValidateInput("CreateDomain", doc) {
		out = append(out, fromModel(p))
	}
	return append(out, crossFieldProblems(in)...)
}

// validateDomainID checks a pinned domain ID against the model's DomainId
// shape; its problems are on field "DomainId".
func validateDomainID(id string) []FieldError {
	var out []FieldError
	for _, p := range model.Validate("DomainId", id) {
		p.Path = "DomainId"
		out = append(out, fromModel(p))
	}
	return out
}

func crossFieldProblems(in *sagemaker.CreateDomainInput) []FieldError {
	var out []FieldError
	add := func(field string, rule Rule, value, detail string) {
		out = append(out, FieldError{Field: field, Rule: rule, Value: displayValue(field, value), Detail: detail})
	}
	us := in.DefaultUserSettings
	if us == nil || us.ExecutionRole == nil {
		add("DefaultUserSettings.ExecutionRole", RuleRequired, "",
			"is required: the IAM role users' apps run as (WithExecutionRole)")
	}

	vpcOnly := in.AppNetworkAccessType == types.AppNetworkAccessTypeVpcOnly
	switch {
	case in.VpcId != nil:
	case vpcOnly:
		add("VpcId", RuleConflict, "", "is required when AppNetworkAccessType is VpcOnly")
	case in.SubnetIds != nil:
		add("VpcId", RuleConflict, "", "is required when SubnetIds is set")
	}
	switch {
	case in.SubnetIds != nil:
	case vpcOnly:
		add("SubnetIds", RuleConflict, "", "at least one subnet is required when AppNetworkAccessType is VpcOnly")
	case in.VpcId != nil:
		add("SubnetIds", RuleConflict, "", "is required when VpcId is set")
	}
	if vpcOnly && (us == nil || len(us.SecurityGroups) == 0) {
		add("DefaultUserSettings.SecurityGroups", RuleConflict, "",
			"at least one security group is required when AppNetworkAccessType is VpcOnly")
	}

	rstudio := in.DomainSettings != nil && in.DomainSettings.RStudioServerProDomainSettings != nil &&
		in.DomainSettings.RStudioServerProDomainSettings.DomainExecutionRoleArn != nil
	switch {
	case rstudio && vpcOnly && in.AppSecurityGroupManagement == "":
		add("AppSecurityGroupManagement", RuleConflict, "",
			"is required when AppNetworkAccessType is VpcOnly and DomainSettings.RStudioServerProDomainSettings.DomainExecutionRoleArn is set")
	case rstudio && in.AppSecurityGroupManagement == types.AppSecurityGroupManagementCustomer:
		add("AppSecurityGroupManagement", RuleConflict, string(in.AppSecurityGroupManagement),
			"must be Service when DomainSettings.RStudioServerProDomainSettings.DomainExecutionRoleArn is set")
	}

	return append(out, tagProblems(in.Tags, "")...)
}

// tagProblems finds the tag problems the model cannot: keys that AWS
// reserves, the keys the Client sets itself (OwnerTagKey, which a spec
// could otherwise use to give a domain away or orphan it, and
// CreateTokenTagKey), and keys given twice. prefix is where the list sits ("" for the
// domain's, "UserProfiles[alice]." for a member's).
func tagProblems(tags []types.Tag, prefix string) []FieldError {
	var out []FieldError
	first := make(map[string]int, len(tags))
	for i, t := range tags {
		if t.Key == nil {
			continue // the model reports the missing key
		}
		k, field := *t.Key, fmt.Sprintf("%sTags[%d].Key", prefix, i)
		if strings.HasPrefix(strings.ToLower(k), "aws:") {
			out = append(out, FieldError{Field: field, Rule: RulePattern, Value: displayValue(field, k),
				Detail: `must not begin with "aws:", which is reserved for AWS`})
		}
		if k == OwnerTagKey || k == CreateTokenTagKey {
			out = append(out, FieldError{Field: field, Rule: RuleConflict, Value: displayValue(field, k),
				Detail: "is set by the Client itself (WithOwner, and on every create), never by a spec"})
		}
		if j, dup := first[k]; dup {
			out = append(out, FieldError{Field: field, Rule: RuleConflict, Value: displayValue(field, k),
				Detail: fmt.Sprintf("duplicate tag key; first given at %sTags[%d]", prefix, j)})
			continue
		}
		first[k] = i
	}
	return out
}

// tagMap turns a validated tag list into the spec's map; nil stays nil.
func tagMap(tags []types.Tag) map[string]string {
	if tags == nil {
		return nil
	}
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		m[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return m
}

// fromModel turns a model problem into a FieldError with a readable Detail.
func fromModel(p model.Problem) FieldError {
	fe := FieldError{Field: p.Path, Rule: modelRule(p.Rule), Detail: detail(p)}
	switch v := p.Value.(type) {
	case string:
		fe.Value = displayValue(p.Path, v)
	case json.Number:
		fe.Value = string(v)
	}
	return fe
}

func modelRule(r model.Rule) Rule {
	switch r {
	case model.RuleRequired:
		return RuleRequired
	case model.RuleLength:
		return RuleLength
	case model.RulePattern:
		return RulePattern
	case model.RuleCount:
		return RuleCount
	case model.RuleEnum:
		return RuleEnum
	case model.RuleRange:
		return RuleRange
	}
	return RuleType
}

// detail rewrites the model's constraint ("Member must have length less
// than or equal to 63") for people; wording it does not know is kept.
func detail(p model.Problem) string {
	c := p.Constraint
	bound := func(prefix string) (string, bool) {
		n, ok := strings.CutPrefix(c, prefix)
		if _, err := strconv.ParseInt(n, 10, 64); !ok || err != nil {
			return "", false
		}
		return n, true
	}
	switch p.Rule {
	case model.RuleRequired:
		return "is required"
	case model.RuleLength:
		if n, ok := bound("Member must have length greater than or equal to "); ok {
			return "must be at least " + n + " characters long"
		}
		if n, ok := bound("Member must have length less than or equal to "); ok {
			return "must be at most " + n + " characters long"
		}
	case model.RuleCount:
		have := fmt.Sprint(p.Value)
		if n, ok := bound("Member must have length greater than or equal to "); ok {
			return "has " + have + " entries; at least " + n + " required"
		}
		if n, ok := bound("Member must have length less than or equal to "); ok {
			return "has " + have + " entries; at most " + n + " allowed"
		}
	case model.RuleRange:
		if n, ok := bound("Member must have value greater than or equal to "); ok {
			return "must be at least " + n
		}
		if n, ok := bound("Member must have value less than or equal to "); ok {
			return "must be at most " + n
		}
	case model.RulePattern:
		if pat, ok := strings.CutPrefix(c, "Member must satisfy regular expression pattern: "); ok {
			return "must match the pattern " + pat
		}
	case model.RuleEnum:
		if list, ok := strings.CutPrefix(c, "Member must satisfy enum value set: ["); ok {
			vals := strings.Split(strings.TrimSuffix(list, "]"), ", ")
			if len(vals) > 8 {
				return fmt.Sprintf("must be one of %d values: %s, ... (the SDK's enum type lists them)",
					len(vals), strings.Join(vals[:6], ", "))
			}
			return "must be one of " + strings.Join(vals, ", ")
		}
	case model.RuleType:
		if shape, ok := strings.CutPrefix(c, "Member is not a member of "); ok {
			return "unknown field: not a member of " + strings.TrimSuffix(shape, "Request") + " (names are case-sensitive)"
		}
	}
	if rest, ok := strings.CutPrefix(c, "Member "); ok {
		return rest
	}
	return c
}

// Values in FieldError are shortened so that an error message, which ends up
// in logs, does not carry secrets.
const (
	maxShownRunes = 80 // longer values are cut to keepRunes runes
	keepRunes     = 64
)

// displayValue returns v as FieldError shows it for field: in full, cut
// short when long, or only its length when the field could be sensitive.
func displayValue(field, v string) string {
	if v == "" {
		return ""
	}
	name := field
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	if i := strings.IndexByte(name, '['); i >= 0 {
		name = name[:i]
	}
	n := utf8.RuneCountInString(v)
	if sensitiveName(name) {
		return fmt.Sprintf("[redacted: %d characters]", n)
	}
	if n > maxShownRunes {
		r := []rune(v)
		return string(r[:keepRunes]) + fmt.Sprintf("...[%d characters]", n)
	}
	return v
}

// sensitiveName reports whether a member name has, as one of the words of
// its CamelCase, a word that marks a possibly sensitive value: KMS key
// identifiers, secret ARNs, URLs and URIs (which can carry credentials or
// tokens), tokens and passwords. S3KmsKeyId and RepositoryUrl are;
// AppSecurityGroupManagement is not.
func sensitiveName(name string) bool {
	for _, w := range []string{"Kms", "Secret", "Url", "Uri", "Token", "Password", "KMS", "URL", "URI"} {
		for rest := name; ; {
			i := strings.Index(rest, w)
			if i < 0 {
				break
			}
			rest = rest[i+len(w):]
			after := strings.TrimPrefix(rest, "s") // plural: SecretArns, Urls
			if r, _ := utf8.DecodeRuneInString(after); after == "" || !unicode.IsLower(r) {
				return true
			}
		}
	}
	return false
}
