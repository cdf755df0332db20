package main

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
)

// seedRoute is one route of routes.md: a "## METHOD /path" heading, its
// quoted HTML docs and the labels of its "### 200" variants.
type seedRoute struct {
	Method string
	Path   string
	Docs   string
	Labels []string
	Source string // "seed", or "spec" for the spec's routes the listing lacks
}

// parseSeed reads the route listing in its order.
func parseSeed(data []byte) ([]seedRoute, error) {
	var routes []seedRoute
	var cur *seedRoute
	var quote []string // the current "> " block
	inVariant := false
	flush := func() {
		if cur == nil || len(quote) == 0 {
			quote = nil
			return
		}
		text := strings.TrimSpace(strings.Join(quote, "\n"))
		quote = nil
		if inVariant {
			cur.Labels = append(cur.Labels, text)
			return
		}
		if cur.Docs == "" {
			var paras []string
			for _, p := range strings.Split(text, "\n\n") {
				if p = strings.TrimSpace(p); p != "" {
					paras = append(paras, p)
				}
			}
			cur.Docs = strings.Join(paras, "\n\n")
		}
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		switch {
		case strings.HasPrefix(line, "## "):
			flush()
			method, path, ok := strings.Cut(strings.TrimSpace(line[3:]), " ")
			if !ok {
				return nil, fmt.Errorf("bad route heading %q", line)
			}
			routes = append(routes, seedRoute{Method: method, Path: strings.ReplaceAll(strings.TrimSpace(path), `\_`, "_"), Source: "seed"})
			cur = &routes[len(routes)-1]
			inVariant = false
		case strings.HasPrefix(line, "### "):
			flush()
			inVariant = true
		case line == ">" || strings.HasPrefix(line, "> "):
			quote = append(quote, strings.TrimPrefix(strings.TrimPrefix(line, ">"), " "))
		default:
			flush()
		}
	}
	flush()
	return routes, sc.Err()
}
