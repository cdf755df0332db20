package catalog

import (
	"context"
	"fmt"
)

// Warm parses every template not parsed yet, one at a time, so that the
// routes of a lazily loaded catalog answer their first request without
// parsing. It is meant for a background goroutine, and returns early once
// ctx is done. A template that fails keeps its error for the requests to
// its route, which answer it with a 500; Warm lists them (the first ten,
// then how many more), as warnings for the user.
func (c *Catalog) Warm(ctx context.Context) []string {
	var out []string
	n := 0
	for _, r := range c.Routes {
		for _, v := range r.Variants {
			if ctx.Err() != nil {
				return out
			}
			if _, err := v.Template(); err != nil {
				if n++; n <= 10 {
					out = append(out, fmt.Sprintf("template error, answers 500: %s (variant %q): %v", r.Key(), v.Name, err))
				}
			}
		}
	}
	if n > 10 {
		out = append(out, fmt.Sprintf("template errors in %d more variants", n-10))
	}
	return out
}
