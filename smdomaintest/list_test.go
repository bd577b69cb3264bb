package smdomaintest_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/finegrained/smdomain/smdomaintest"
	"github.com/google/go-cmp/cmp"
)

func TestListDomainsPaginatorWalks250Domains(t *testing.T) {
	srv, c, _ := newTest(t, smdomaintest.WithDomainQuota(1000))
	ctx := context.Background()
	var want []string
	for i := range 250 {
		want = append(want, *mustCreate(t, c, minimalCreate(fmt.Sprintf("d%03d", i))).DomainId)
	}
	srv.ResetCalls()
	var got []string
	pages := 0
	p := sagemaker.NewListDomainsPaginator(c, &sagemaker.ListDomainsInput{MaxResults: aws.Int32(100)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, d := range page.Domains {
			got = append(got, *d.DomainId)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("listed IDs (-want +got):\n%s", diff)
	}
	if pages != 3 || len(srv.Calls()) != 3 {
		t.Errorf("pages = %d, calls = %d; want 3 and 3", pages, len(srv.Calls()))
	}
}

func TestListDomainsDetailsAndDefaultPageSize(t *testing.T) {
	_, c, _ := newTest(t)
	var first *sagemaker.CreateDomainOutput
	for i := range 12 {
		out := mustCreate(t, c, minimalCreate(fmt.Sprintf("d%d", i)))
		if first == nil {
			first = out
		}
	}
	page, err := c.ListDomains(context.Background(), &sagemaker.ListDomainsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Domains) != 10 || page.NextToken == nil {
		t.Fatalf("default page: %d domains, NextToken %v; want 10 and a token", len(page.Domains), page.NextToken)
	}
	want := types.DomainDetails{
		DomainArn:        first.DomainArn,
		DomainId:         first.DomainId,
		DomainName:       aws.String("d0"),
		Status:           types.DomainStatusInService,
		CreationTime:     aws.Time(epoch0),
		LastModifiedTime: aws.Time(epoch0),
		Url:              first.Url,
	}
	if diff := cmp.Diff(want, page.Domains[0], sdkCmp); diff != "" {
		t.Errorf("first DomainDetails (-want +got):\n%s", diff)
	}
}

func TestListDomainsBadInput(t *testing.T) {
	_, c, _ := newTest(t)
	tests := []struct {
		name string
		in   sagemaker.ListDomainsInput
	}{
		{"MaxResults 0", sagemaker.ListDomainsInput{MaxResults: aws.Int32(0)}},
		{"MaxResults 101", sagemaker.ListDomainsInput{MaxResults: aws.Int32(101)}},
		{"forged token", sagemaker.ListDomainsInput{NextToken: aws.String("not-a-token")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.ListDomains(context.Background(), &tt.in)
			if got := apiCode(err); got != "ValidationException" {
				t.Errorf("code %q (%v), want ValidationException", got, err)
			}
		})
	}
}
