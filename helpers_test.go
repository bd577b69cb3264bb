package smdomain_test

import (
	"context"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/sagemaker"

	"github.com/finegrained/smdomain"
)

// hookedAPI is the real *sagemaker.Client with a hook run before chosen
// calls: the narrow way for a test to make something happen at an exact
// moment of a Client's work (another team's create while ours is
// throttled, a tag changed in the middle of a cascade). Every call still
// goes over HTTP to smdomaintest.
type hookedAPI struct {
	smdomain.API
	mu     sync.Mutex
	before map[string]func(n int) // by operation; n counts that operation's calls from 1
	calls  map[string]int
}

func newHookedAPI(api smdomain.API, before map[string]func(n int)) *hookedAPI {
	return &hookedAPI{API: api, before: before, calls: map[string]int{}}
}

func (h *hookedAPI) hook(op string) {
	h.mu.Lock()
	h.calls[op]++
	n, fn := h.calls[op], h.before[op]
	h.mu.Unlock()
	if fn != nil {
		fn(n)
	}
}

func (h *hookedAPI) CreateDomain(ctx context.Context, in *sagemaker.CreateDomainInput, opts ...func(*sagemaker.Options)) (*sagemaker.CreateDomainOutput, error) {
	h.hook("CreateDomain")
	return h.API.CreateDomain(ctx, in, opts...)
}

func (h *hookedAPI) DeleteApp(ctx context.Context, in *sagemaker.DeleteAppInput, opts ...func(*sagemaker.Options)) (*sagemaker.DeleteAppOutput, error) {
	h.hook("DeleteApp")
	return h.API.DeleteApp(ctx, in, opts...)
}

func (h *hookedAPI) DeleteDomain(ctx context.Context, in *sagemaker.DeleteDomainInput, opts ...func(*sagemaker.Options)) (*sagemaker.DeleteDomainOutput, error) {
	h.hook("DeleteDomain")
	return h.API.DeleteDomain(ctx, in, opts...)
}

func (h *hookedAPI) ListDomains(ctx context.Context, in *sagemaker.ListDomainsInput, opts ...func(*sagemaker.Options)) (*sagemaker.ListDomainsOutput, error) {
	h.hook("ListDomains")
	return h.API.ListDomains(ctx, in, opts...)
}
