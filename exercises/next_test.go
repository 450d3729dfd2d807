package exercises

import "testing"

func TestNextUnpassedFollowsCourseOrderAfterCurrent(t *testing.T) {
	all := []Exercise{{ID: "a"}, {ID: "b"}, {ID: "c"}, {ID: "d"}}
	set := func(ids ...string) func(string) bool {
		return func(id string) bool {
			for _, p := range ids {
				if p == id {
					return true
				}
			}
			return false
		}
	}
	cases := []struct {
		current string
		passed  []string
		want    string
	}{
		// issue 14: after c passed, the CLI named a (first from the start)
		// while the TUI named d (next after c): both say d.
		{"c", []string{"c"}, "d"},
		{"d", []string{"d"}, "a"},          // wraps around
		{"b", []string{"b", "c"}, "d"},     // skips passed ones
		{"", nil, "a"},                     // no current: from the start
		{"b", []string{"a", "c", "d"}, ""}, // only current left
	}
	for _, tc := range cases {
		got, ok := NextUnpassed(all, tc.current, set(tc.passed...))
		if tc.want == "" {
			if ok {
				t.Errorf("NextUnpassed(%q, %v) = %q, want none", tc.current, tc.passed, got.ID)
			}
			continue
		}
		if !ok || got.ID != tc.want {
			t.Errorf("NextUnpassed(%q, %v) = %q/%v, want %q", tc.current, tc.passed, got.ID, ok, tc.want)
		}
	}
}
