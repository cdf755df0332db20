package catalog

import "context"

// Warm parses every template not parsed yet, one at a time, so that the
// routes of a lazily loaded catalog answer their first request without
// parsing. It is meant for a background goroutine, and returns early once
// ctx is done. A template that fails keeps its error for the requests to
// its route, which answer it.
func (c *Catalog) Warm(ctx context.Context) {
	for _, r := range c.Routes {
		for _, v := range r.Variants {
			if ctx.Err() != nil {
				return
			}
			_, _ = v.Template()
		}
	}
}
