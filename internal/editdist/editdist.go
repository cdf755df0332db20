// Package editdist measures how far apart two words are, for "did you
// mean" suggestions (an unknown helper, an unknown event type).
package editdist

// Levenshtein is the edit distance of a and b, in bytes: the fewest
// insertions, deletions and substitutions that turn a into b.
func Levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Closest is the candidate nearest to word, ignoring case, when it is near
// enough to be a likely typo (at most a third of its length away, and at
// least 1, at most 3 edits); "" when none is. Ties go to the earlier
// candidate.
func Closest(word string, candidates []string) string {
	best, bestD := "", 0
	for _, c := range candidates {
		d := Levenshtein(toLower(word), toLower(c))
		if d > min(3, (len(c)-1)/3) {
			continue
		}
		if best == "" || d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// toLower lower-cases ASCII letters, which is all the names compared here use.
func toLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
