package editdist

import "testing"

func TestLevenshtein(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"body", "body", 0},
		{"bodyy", "body", 1},
		{"", "abc", 3},
		{"kitten", "sitting", 3},
		{"customer.creatd", "customer.created", 1},
	}
	for _, tt := range tests {
		if got := Levenshtein(tt.a, tt.b); got != tt.want {
			t.Errorf("Levenshtein(%q, %q) = %d; want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestClosest(t *testing.T) {
	names := []string{"success", "error", "429", "card_declined/insufficient_funds"}
	tests := []struct{ word, want string }{
		{"sucess", "success"},
		{"ERROR", "error"},
		{"eror", "error"},
		{"card_declined/insufficent_funds", "card_declined/insufficient_funds"},
		{"428", ""}, // one edit in three characters is no typo of a status
		{"teapot", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Closest(tt.word, names); got != tt.want {
			t.Errorf("Closest(%q) = %q; want %q", tt.word, got, tt.want)
		}
	}
}
