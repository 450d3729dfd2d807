package testutil

import "testing"

func TestBashJoin(t *testing.T) {
	for _, tc := range []struct {
		name  string
		lines []string
		want  string
	}{
		{"empty", nil, ""},
		{"one line", []string{"kubectl get ds"}, "kubectl get ds"},
		{"continued, next line's blanks kept", []string{`kubectl get \`, "    ds"}, "kubectl get     ds"},
		{"break inside a word keeps it whole", []string{`kubectl get daemon\`, "sets"}, "kubectl get daemonsets"},
		{"stops at the first line without a backslash", []string{`a \`, "b", "c"}, "a b"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := BashJoin(tc.lines); got != tc.want {
				t.Errorf("BashJoin(%q) = %q, want %q", tc.lines, got, tc.want)
			}
		})
	}
}
