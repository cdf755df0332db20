package stripe

import "unsafe"

// A body travels as a string (rendered, stored, written), and the JSON
// helpers of this package read it as []byte: they never write to their
// input, and what they change they build anew. These two views spare the
// copies between the two forms on the request path (a charge is 4 KB,
// and its create passed it between them six times).

// view is s's bytes without a copy. They must only be read: the helpers
// given them (member, setMembers, mergeInto, ...) copy before changing.
func view(s string) []byte {
	if s == "" {
		return nil
	}
	return unsafe.Slice(unsafe.StringData(s), len(s))
}

// text is b as a string without a copy; b must not change afterwards
// (pass only a buffer just built and then dropped).
func text(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// textOf is b, which is view(s) or a buffer built from it, as a string:
// s itself when b is still s's bytes, else text(b).
func textOf(b []byte, s string) string {
	if len(b) == len(s) && (len(b) == 0 || unsafe.SliceData(b) == unsafe.StringData(s)) {
		return s
	}
	return text(b)
}
