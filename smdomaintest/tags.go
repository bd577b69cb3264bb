package smdomaintest

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// maxTags is the number of tags a resource may carry.
const maxTags = 50

// ownARNRE matches the ARN of a domain, user profile, space or app: the
// kinds of resource the emulator holds.
var ownARNRE = regexp.MustCompile(`^arn:aws[a-z-]*:sagemaker:[a-z0-9-]*:[0-9]{12}:(domain|user-profile|space|app)/`)

// checkResource answers ResourceNotFound for the ARN of a domain, user
// profile or space that does not exist, or of an app that does not exist
// or is Deleted. Any other ARN is accepted: the emulator keeps tags for
// ARNs of resources it does not otherwise model.
func (e *Emulator) checkResource(req *request, arn string) *apiError {
	if !ownARNRE.MatchString(arn) || e.exists(e.byARN[arn], req.now) {
		return nil
	}
	return errorf(400, "ResourceNotFound", "Resource %s not found", arn)
}

// exists settles r, a resource of any kind (nil for none), and reports
// whether it exists, not Deleted.
func (e *Emulator) exists(r any, now time.Time) bool {
	switch r := r.(type) {
	case *domain:
		return settle(e, domainLife{}, r, now)
	case *userProfile:
		return settle(e, profileLife{}, r, now)
	case *space:
		return settle(e, spaceLife{}, r, now)
	case *app:
		return settle(e, appLife{}, r, now) && r.out.Status != types.AppStatusDeleted
	}
	return false
}

// checkTags applies the rules the model does not express: no aws: prefix,
// no key twice in one request.
func checkTags(tags []types.Tag) *apiError {
	seen := map[string]bool{}
	for _, t := range tags {
		k := aws.ToString(t.Key)
		if strings.HasPrefix(strings.ToLower(k), "aws:") {
			return crossFieldError("Tag key %q: keys beginning with aws: are reserved for AWS use", k)
		}
		if seen[k] {
			return crossFieldError("Tag key %q appears more than once", k)
		}
		seen[k] = true
	}
	return nil
}

// mergeTags returns cur with add applied: new keys appended in order,
// existing keys given the new value.
func mergeTags(cur, add []types.Tag) []types.Tag {
	out := slices.Clone(cur)
	for _, t := range add {
		t := types.Tag{Key: aws.String(aws.ToString(t.Key)), Value: aws.String(aws.ToString(t.Value))}
		i := slices.IndexFunc(out, func(o types.Tag) bool { return aws.ToString(o.Key) == *t.Key })
		if i >= 0 {
			out[i] = t
		} else {
			out = append(out, t)
		}
	}
	return out
}

func (e *Emulator) addTags(req *request) (any, *apiError) {
	var in sagemaker.AddTagsInput
	if err := checkInput("AddTags", req.doc, &in); err != nil {
		return nil, err
	}
	arn := aws.ToString(in.ResourceArn)
	if err := e.checkResource(req, arn); err != nil {
		return nil, err
	}
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	next := mergeTags(e.tags[arn], in.Tags)
	if len(next) > maxTags {
		return nil, errorf(400, "ValidationException", "Resource %s would have %d tags; at most %d are allowed", arn, len(next), maxTags)
	}
	e.tags[arn] = next
	return &sagemaker.AddTagsOutput{Tags: mergeTags(nil, in.Tags)}, nil
}

func (e *Emulator) deleteTags(req *request) (any, *apiError) {
	var in sagemaker.DeleteTagsInput
	if err := checkInput("DeleteTags", req.doc, &in); err != nil {
		return nil, err
	}
	arn := aws.ToString(in.ResourceArn)
	if err := e.checkResource(req, arn); err != nil {
		return nil, err
	}
	for _, k := range in.TagKeys {
		if strings.HasPrefix(strings.ToLower(k), "aws:") {
			return nil, crossFieldError("Tag key %q: keys beginning with aws: are reserved for AWS use", k)
		}
	}
	next := slices.DeleteFunc(slices.Clone(e.tags[arn]), func(t types.Tag) bool {
		return slices.Contains(in.TagKeys, aws.ToString(t.Key))
	})
	if len(next) == 0 {
		delete(e.tags, arn)
	} else {
		e.tags[arn] = next
	}
	return &sagemaker.DeleteTagsOutput{}, nil
}

func (e *Emulator) listTags(req *request) (any, *apiError) {
	var in sagemaker.ListTagsInput
	if err := checkInput("ListTags", req.doc, &in); err != nil {
		return nil, err
	}
	arn := aws.ToString(in.ResourceArn)
	if err := e.checkResource(req, arn); err != nil {
		return nil, err
	}
	limit := 50
	if in.MaxResults != nil {
		limit = int(*in.MaxResults)
	}
	start, apiErr := decodeToken(in.NextToken, "tags")
	if apiErr != nil {
		return nil, apiErr
	}
	all := e.tags[arn]
	out := &sagemaker.ListTagsOutput{Tags: []types.Tag{}}
	if int(start) < len(all) {
		end := min(int(start)+limit, len(all))
		out.Tags = mergeTags(nil, all[start:end])
		if end < len(all) {
			out.NextToken = encodeToken("tags", int64(end))
		}
	}
	return out, nil
}

// SetTags stores tags on arn directly, bypassing the checks AddTags makes,
// so a test can put aws:-prefixed system tags (as CloudFormation or
// Service Catalog would) on a domain. Existing keys are overwritten.
func (e *Emulator) SetTags(arn string, tags map[string]string) {
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	add := make([]types.Tag, len(keys))
	for i, k := range keys {
		add[i] = types.Tag{Key: aws.String(k), Value: aws.String(tags[k])}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.tags[arn] = mergeTags(e.tags[arn], add)
}
