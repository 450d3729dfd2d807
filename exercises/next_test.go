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

// issue 12: in a class of ds-basics, taints and gpu-only, after taints
// passed the lab suggested control-plane (course order, not in the class)
// while gpu-only was unpassed: the suggestion picks from the class's list.
func TestNextUnpassedInClassStaysInTheClass(t *testing.T) {
	all := []Exercise{{ID: "ds-basics"}, {ID: "taints"}, {ID: "control-plane"}, {ID: "gpu-only"}, {ID: "rolling"}}
	class := []string{"ds-basics", "taints", "gpu-only"}
	passed := func(id string) bool { return id == "ds-basics" || id == "taints" }
	if got, ok := NextUnpassed(InClass(all, class), "taints", passed); !ok || got.ID != "gpu-only" {
		t.Errorf("in class: next after taints = %q (%v), want gpu-only", got.ID, ok)
	}
	if got, ok := NextUnpassed(InClass(all, class), "gpu-only", func(id string) bool { return id != "control-plane" }); ok {
		t.Errorf("every class exercise passed: got %q, want none (control-plane is not in the class)", got.ID)
	}
	// Outside a class (no list) every exercise counts, in course order.
	if got, _ := NextUnpassed(InClass(all, nil), "taints", passed); got.ID != "control-plane" {
		t.Errorf("no class: next after taints = %q, want control-plane", got.ID)
	}
}
