package ui

import (
	"html"
	"slices"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/list"
	"github.com/sahilm/fuzzy"

	"github.com/routedeck/routedeck/catalog"
)

// filterValue is what the route filter searches: "get /v1/customers/:customer"
// (the key, lower case) followed by the summary and the docs as plain text.
// Lower-casing keeps rune offsets in the key, which the delegate underlines.
func filterValue(r *catalog.Route) string {
	return strings.ToLower(r.Method+" "+r.Path) + " [" + strings.ToLower(sampleIDs(r)) + "] " + strings.ToLower(r.Summary+" "+plainDocs(r.Docs))
}

// sampleIDs are the route's sample path parameters ("cus_NffrFeUfNV2Hib"),
// so an id typed into the filter finds the routes of its object.
func sampleIDs(r *catalog.Route) string {
	params := r.SampleParams()
	ids := make([]string, 0, len(params))
	for _, p := range r.Params {
		ids = append(ids, params[p])
	}
	return strings.Join(ids, " ")
}

// idsPart is the sample ids section of a filter value.
func idsPart(t string) string {
	_, rest, ok := strings.Cut(t, " [")
	if !ok {
		return ""
	}
	ids, _, _ := strings.Cut(rest, "] ")
	return ids
}

// plainDocs strips tags and entities for searching.
func plainDocs(s string) string {
	var b strings.Builder
	inTag := false
	for _, c := range s {
		switch {
		case c == '<':
			inTag = true
		case c == '>':
			inTag = false
			b.WriteByte(' ')
		case !inTag:
			b.WriteRune(c)
		}
	}
	return strings.Join(strings.Fields(html.UnescapeString(b.String())), " ")
}

// filterRoutes ranks routes for a filter term, best first:
//  1. the route's key is the term ("GET /v1/customers/:customer"), or the
//     term is a concrete request the route answers ("/v1/customers/cus_1",
//     "GET /v1/payment_intents/pi_1/confirm"), its method first;
//  2. the key contains the term, earlier and shorter first;
//  3. every word of the term appears in the key ("delete customer");
//  4. every word appears somewhere (key, summary or docs);
//  5. the key matches the term fuzzily (letters in order, as in "gcus"),
//     for a single word that is not an id or a path: "cus_" must not pull
//     in every route with a c, a u and an s.
func filterRoutes(term string, targets []string) []list.Rank {
	term = strings.ToLower(strings.TrimSpace(term))
	if term == "" {
		ranks := make([]list.Rank, len(targets))
		for i := range targets {
			ranks[i] = list.Rank{Index: i}
		}
		return ranks
	}
	if len(term) > 1 {
		term = strings.TrimSuffix(term, "/")
	}
	words := strings.Fields(term)
	reqMethod, reqPath := splitRequest(term)
	plain := plainWords(words)
	ids := idWords(words)
	type scored struct {
		rank  list.Rank
		tier  int
		pos   int
		width int
	}
	var hits []scored
	var a spanArena
	keys := make([]string, len(targets))
	taken := make([]bool, len(targets))
	for i, t := range targets {
		key := keyPart(t)
		keys[i] = key
		switch pos := strings.Index(key, term); {
		case key == term || key[strings.IndexByte(key, ' ')+1:] == term:
			hits = append(hits, scored{list.Rank{Index: i, MatchedIndexes: a.span(0, len(key))}, 0, -1000, len(key)})
		case reqPath != "" && answers(key, reqMethod, reqPath) > 0:
			// Method and static segments that match count for more.
			hits = append(hits, scored{list.Rank{Index: i, MatchedIndexes: a.span(0, len(key))}, 0, -answers(key, reqMethod, reqPath), len(key)})
		case pos >= 0:
			hits = append(hits, scored{list.Rank{Index: i, MatchedIndexes: a.span(pos, len(term))}, 1, pos, len(key)})
		case len(words) > 1 && containsAll(key, words):
			hits = append(hits, scored{list.Rank{Index: i, MatchedIndexes: wordSpans(key, words)}, 2, 0, len(key)})
		case containsAll(t, plain) && idsStart(idsPart(t), ids):
			hits = append(hits, scored{list.Rank{Index: i, MatchedIndexes: wordSpans(key, words)}, 3, 0, len(key)})
		default:
			continue
		}
		taken[i] = true
	}
	// Ties keep catalog order; an unstable sort with the index as the
	// last key is that order, and much faster than a stable one.
	slices.SortFunc(hits, func(x, y scored) int {
		if x.tier != y.tier {
			return x.tier - y.tier
		}
		if x.pos != y.pos {
			return x.pos - y.pos
		}
		if x.width != y.width {
			return x.width - y.width
		}
		return x.rank.Index - y.rank.Index
	})
	ranks := make([]list.Rank, 0, len(hits))
	for _, h := range hits {
		ranks = append(ranks, h.rank)
	}
	// Fuzzy matches come last, in catalog order, among the routes not
	// already matched.
	rest := make([]string, 0, len(keys)-len(hits))
	restIndex := make([]int, 0, len(keys)-len(hits))
	for i, k := range keys {
		if !taken[i] {
			rest = append(rest, k)
			restIndex = append(restIndex, i)
		}
	}
	if len(words) != 1 || strings.ContainsAny(term, "/_") {
		return ranks
	}
	for _, m := range fuzzy.FindNoSort(term, rest) {
		ranks = append(ranks, list.Rank{Index: restIndex[m.Index], MatchedIndexes: m.MatchedIndexes})
	}
	return ranks
}

// splitRequest reads a term as a request, "[method] /path[?query]"; path
// is "" when the term is not one.
func splitRequest(term string) (method, path string) {
	f := strings.Fields(term)
	switch {
	case len(f) == 1 && strings.HasPrefix(f[0], "/"):
		path = f[0]
	case len(f) == 2 && strings.HasPrefix(f[1], "/"):
		method, path = f[0], f[1]
	default:
		return "", ""
	}
	path, _, _ = strings.Cut(path, "?")
	if strings.Contains(path, ":") {
		return "", "" // a route's own pattern, not a request
	}
	return method, strings.TrimSuffix(path, "/")
}

// answers scores how well the route with key ("post /v1/x/:id/confirm")
// answers a request: 0 when it does not; else one point per segment, two
// per static one, and a bonus when the method matches too.
func answers(key, method, path string) int {
	km, kp, _ := strings.Cut(key, " ")
	ks, ps := strings.Split(kp, "/"), strings.Split(path, "/")
	if len(ks) != len(ps) {
		return 0
	}
	score := 1
	for i := range ks {
		switch {
		case ks[i] == ps[i]:
			score += 2
		case strings.HasPrefix(ks[i], ":") && ps[i] != "" && !strings.HasPrefix(ps[i], ":"):
			score++
		default:
			return 0
		}
	}
	if method == km {
		score += 100
	}
	return score
}

// idLike reports whether a word is a Stripe id or id prefix (cus_, pi_3Mt):
// letters, an underscore, then letters and digits. Such words name an
// object, not a route, so they are not searched for in docs.
func idLike(w string) bool {
	prefix, rest, ok := strings.Cut(w, "_")
	if !ok || len(prefix) < 2 || len(prefix) > 8 || strings.Contains(rest, "_") {
		return false
	}
	for _, c := range prefix {
		if c < 'a' || c > 'z' {
			return false
		}
	}
	for _, c := range rest {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// idsStart reports whether every id word starts one of the ids.
func idsStart(ids string, words []string) bool {
	for _, w := range words {
		if !strings.HasPrefix(ids, w) && !strings.Contains(ids, " "+w) {
			return false
		}
	}
	return true
}

// idWords are the words idLike accepts, prefixes of sample ids.
func idWords(words []string) []string {
	out := make([]string, 0, len(words))
	for _, w := range words {
		if idLike(w) {
			out = append(out, w)
		}
	}
	return out
}

func plainWords(words []string) []string {
	out := make([]string, 0, len(words))
	for _, w := range words {
		if !idLike(w) {
			out = append(out, w)
		}
	}
	return out
}

// keyPart is "method /path", the first two fields of a filter value.
func keyPart(t string) string {
	sp := strings.IndexByte(t, ' ')
	if sp < 0 {
		return t
	}
	if end := strings.IndexByte(t[sp+1:], ' '); end >= 0 {
		return t[:sp+1+end]
	}
	return t
}

func containsAll(s string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
}

// spanArena hands out index spans from shared chunks: a keystroke on a
// big catalog matches thousands of routes, and one allocation per match
// was most of its cost.
type spanArena struct{ buf []int }

func (a *spanArena) span(from, n int) []int {
	if len(a.buf)+n > cap(a.buf) {
		a.buf = make([]int, 0, max(4096, n))
	}
	start := len(a.buf)
	for i := range n {
		a.buf = append(a.buf, from+i)
	}
	return a.buf[start:len(a.buf):len(a.buf)]
}

func span(from, n int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = from + i
	}
	return idx
}

func wordSpans(key string, words []string) []int {
	var idx []int
	for _, w := range words {
		if p := strings.Index(key, w); p >= 0 {
			idx = append(idx, span(p, len(w))...)
		}
	}
	sort.Ints(idx)
	return idx
}
