package smdomaintest_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/google/go-cmp/cmp"
)

func tag(k, v string) types.Tag { return types.Tag{Key: aws.String(k), Value: aws.String(v)} }

func TestTags(t *testing.T) {
	_, c, _ := newTest(t)
	ctx := context.Background()
	in := minimalCreate("tagged")
	in.Tags = []types.Tag{tag("Environment", "Development"), tag("Project", "MachineLearning")}
	arn := mustCreate(t, c, in).DomainArn

	if _, err := c.AddTags(ctx, &sagemaker.AddTagsInput{ResourceArn: arn, Tags: []types.Tag{tag("Environment", "Production"), tag("Owner", "ml-platform")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteTags(ctx, &sagemaker.DeleteTagsInput{ResourceArn: arn, TagKeys: []string{"Project", "Absent"}}); err != nil {
		t.Fatal(err)
	}
	out, err := c.ListTags(ctx, &sagemaker.ListTagsInput{ResourceArn: arn})
	if err != nil {
		t.Fatal(err)
	}
	want := []types.Tag{tag("Environment", "Production"), tag("Owner", "ml-platform")}
	if diff := cmp.Diff(want, out.Tags, sdkCmp); diff != "" {
		t.Errorf("ListTags (-want +got):\n%s", diff)
	}
}

func TestTagsOnAnyARN(t *testing.T) {
	_, c, _ := newTest(t)
	ctx := context.Background()
	arn := aws.String("arn:aws:sagemaker:us-east-1:123456789012:notebook-instance/analysis")
	if _, err := c.AddTags(ctx, &sagemaker.AddTagsInput{ResourceArn: arn, Tags: []types.Tag{tag("Team", "Data")}}); err != nil {
		t.Fatal(err)
	}
	out, err := c.ListTags(ctx, &sagemaker.ListTagsInput{ResourceArn: arn})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]types.Tag{tag("Team", "Data")}, out.Tags, sdkCmp); diff != "" {
		t.Errorf("ListTags (-want +got):\n%s", diff)
	}
}

func TestListTagsPaginator(t *testing.T) {
	srv, c, _ := newTest(t)
	arn := mustCreate(t, c, minimalCreate("many-tags")).DomainArn
	// More than a page: only possible through SetTags, as AddTags allows 50.
	system := map[string]string{}
	var want []string
	for i := range 70 {
		k := fmt.Sprintf("aws:test:%02d", i)
		system[k] = "v"
		want = append(want, k)
	}
	srv.SetTags(*arn, system)
	var got []string
	p := sagemaker.NewListTagsPaginator(c, &sagemaker.ListTagsInput{ResourceArn: arn, MaxResults: aws.Int32(50)})
	pages := 0
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, tg := range page.Tags {
			got = append(got, *tg.Key)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tag keys (-want +got):\n%s", diff)
	}
	if pages != 2 {
		t.Errorf("pages = %d, want 2", pages)
	}
}

func TestTagErrors(t *testing.T) {
	srv, c, _ := newTest(t)
	ctx := context.Background()
	arn := mustCreate(t, c, minimalCreate("tag-errors")).DomainArn
	gone := mustCreate(t, c, minimalCreate("gone"))
	if _, err := c.DeleteDomain(ctx, &sagemaker.DeleteDomainInput{DomainId: gone.DomainId}); err != nil {
		t.Fatal(err)
	}
	if ids := srv.DomainIDs(); len(ids) != 1 {
		t.Fatalf("DomainIDs = %v, want only the first domain", ids)
	}
	fifty := make([]types.Tag, 50)
	for i := range fifty {
		fifty[i] = tag(fmt.Sprintf("k%d", i), "v")
	}
	if _, err := c.AddTags(ctx, &sagemaker.AddTagsInput{ResourceArn: arn, Tags: fifty}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"aws: prefix", func() error {
			_, err := c.AddTags(ctx, &sagemaker.AddTagsInput{ResourceArn: arn, Tags: []types.Tag{tag("aws:cloudformation:stack-name", "x")}})
			return err
		}, "ValidationException"},
		{"delete aws: key", func() error {
			_, err := c.DeleteTags(ctx, &sagemaker.DeleteTagsInput{ResourceArn: arn, TagKeys: []string{"aws:x"}})
			return err
		}, "ValidationException"},
		{"51st tag", func() error {
			_, err := c.AddTags(ctx, &sagemaker.AddTagsInput{ResourceArn: arn, Tags: []types.Tag{tag("one-more", "v")}})
			return err
		}, "ValidationException"},
		{"ListTags MaxResults below 50", func() error {
			_, err := c.ListTags(ctx, &sagemaker.ListTagsInput{ResourceArn: arn, MaxResults: aws.Int32(10)})
			return err
		}, "ValidationException"},
		{"deleted domain", func() error {
			_, err := c.ListTags(ctx, &sagemaker.ListTagsInput{ResourceArn: gone.DomainArn})
			return err
		}, "ResourceNotFound"},
		{"add to deleted domain", func() error {
			_, err := c.AddTags(ctx, &sagemaker.AddTagsInput{ResourceArn: gone.DomainArn, Tags: []types.Tag{tag("k", "v")}})
			return err
		}, "ResourceNotFound"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := apiCode(tt.call()); got != tt.want {
				t.Errorf("code %q, want %q", got, tt.want)
			}
		})
	}
}
