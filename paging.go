package smdomain

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// pages reads a paginated listing: page is called with a nil token, then
// with each NextToken it returns, until one is nil or empty. The SDK's
// paginators trust the service to end; a service that answers with a
// token it gave before (a bug, or a proxy replaying pages) would make them
// read until the context ends. pages stops at the first token seen
// before, with an error wrapping ErrRepeatedNextToken, having called page
// at most once per distinct token.
func pages(ctx context.Context, page func(ctx context.Context, token *string) (next *string, err error)) error {
	seen := map[string]bool{}
	var token *string
	for n := 1; ; n++ {
		next, err := page(ctx, token)
		if err != nil {
			return err
		}
		if aws.ToString(next) == "" {
			return nil
		}
		if seen[*next] {
			return fmt.Errorf("page %d: NextToken repeats an earlier page's: %w", n, ErrRepeatedNextToken)
		}
		seen[*next] = true
		token = next
	}
}
