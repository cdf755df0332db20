package stripe

import (
	"encoding/json"
	"testing"
)

// addMember writes a new member's name as json.Marshal writes it, in a
// compact object and in an indented one.
func TestAddMemberNamesAsMarshal(t *testing.T) {
	for _, key := range []string{"display_brand", "a<b", "x&y", "é", `q"uote`, "back\\slash", "tab\t"} {
		name, _ := json.Marshal(key)
		got, err := addMember([]byte(`{"x":1}`), key, []byte(`"v"`))
		if want := `{` + string(name) + `:"v","x":1}`; err != nil || string(got) != want {
			t.Errorf("addMember(compact, %q) = %s, %v; want %s", key, got, err, want)
		}
		got, err = addMember([]byte("{\n  \"x\": 1\n}"), key, []byte(`"v"`))
		if want := "{\n  " + string(name) + ": \"v\",\n  \"x\": 1\n}"; err != nil || string(got) != want {
			t.Errorf("addMember(indented, %q) = %q, %v; want %q", key, got, err, want)
		}
	}
}
