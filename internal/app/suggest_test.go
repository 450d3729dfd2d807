package app

import (
	"slices"
	"strings"
	"testing"
)

// TestMistypedSuggestions: a mistyped command or exercise id gets a Korean
// "혹시 … 를 찾으셨나요?" (exit code 2) and none of cobra's English.
func TestMistypedSuggestions(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"grde"}, "혹시 grade 를 찾으셨나요?"},
		{[]string{"exercise", "strat"}, "혹시 start 를 찾으셨나요?"},
		{[]string{"clustr", "up"}, "혹시 cluster 를 찾으셨나요?"},
		{[]string{"exercise", "start", "gpu_only"}, "혹시 gpu-only 를 찾으셨나요?"},
		{[]string{"exercise", "show", "gpuonly"}, "혹시 gpu-only 를 찾으셨나요?"},
		{[]string{"grade", "taint"}, "혹시 taints 를 찾으셨나요?"},
		{[]string{"exercise", "reset", "Control_Plane"}, "혹시 control-plane 을 찾으셨나요?"},
		{[]string{"exercise", "solution", "gpuonly"}, "혹시 gpu-only 를 찾으셨나요?"},
		{[]string{"exercise", "start", "gpuonly"}, "혹시 gpu-only 를 찾으셨나요?"},
		{[]string{"lessons", "show", "node-selectr"}, "혹시 node-selector 를 찾으셨나요?"},
		{[]string{"lessons", "show", "taints_tolerations"}, "혹시 taints-tolerations 를 찾으셨나요?"},
		{[]string{"class", "jion"}, "혹시 join 을 찾으셨나요?"},
		{[]string{"cluster", "stauts"}, "혹시 status 를 찾으셨나요?"},
	} {
		code, stdout, stderr := runCLI(t, tc.args...)
		if code != ExitUsage {
			t.Errorf("%v: exit %d, want %d", tc.args, code, ExitUsage)
		}
		if !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: stderr lacks %q:\n%s", tc.args, tc.want, stderr)
		}
		for _, english := range []string{"Did you mean", "unknown command", "for \"dslab"} {
			if strings.Contains(stderr+stdout, english) {
				t.Errorf("%v: cobra's English leaks (%q):\n%s", tc.args, english, stderr)
			}
		}
	}
	// Nothing close: no suggestion, the list of ids instead.
	_, _, stderr := runCLI(t, "exercise", "show", "xyzzy")
	if strings.Contains(stderr, "혹시") || !strings.Contains(stderr, "ds-basics, gpu-only") {
		t.Errorf("far typo:\n%s", stderr)
	}
}

func TestSuggest(t *testing.T) {
	ids := []string{"ds-basics", "gpu-only", "taints", "control-plane", "on-delete", "new-node"}
	for typed, want := range map[string][]string{
		"gpu_only":    {"gpu-only"},
		"GPUONLY":     {"gpu-only"},
		"taint":       {"taints"},
		"ondelete":    {"on-delete"},
		"ds-basisc":   {"ds-basics"},
		"control":     {"control-plane"},
		"zzz":         nil,
		"":            nil,
		"rolling":     nil,
		"new-nodes":   {"new-node"},
		"dsbasics":    {"ds-basics"},
		"controlplan": {"control-plane"},
	} {
		if got := suggest(typed, ids); !slices.Equal(got, want) {
			t.Errorf("suggest(%q) = %q, want %q", typed, got, want)
		}
	}
	if d := editDistance("strat", "start"); d != 1 {
		t.Errorf("a swap is one edit: %d", d)
	}
}

// A learner who types the command under another name gets the real one
// (issue 14: `dslab exercise hint ds-basics` said only that `dslab
// exercise` takes no arguments); any unknown word under a group is an
// unknown command, never "takes no arguments".
func TestIntentSuggestions(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"exercise", "hint", "ds-basics"}, "dslab exercise show ds-basics --hint 1"},
		{[]string{"exercise", "hint"}, "dslab exercise show <ID> --hint 1"},
		{[]string{"exercise", "list"}, "dslab exercises"},
		{[]string{"exercise", "grade", "gpu-only"}, "dslab grade gpu-only"},
		{[]string{"exercise", "foo"}, "알 수 없는 명령입니다: dslab exercise foo"},
	} {
		code, _, errOut := runCLIEnv(t, map[string]string{"COLUMNS": "100000"}, tc.args...)
		if code != ExitUsage || !strings.Contains(errOut, tc.want) || strings.Contains(errOut, "인수를 받지 않습니다") {
			t.Errorf("%v: exit %d, stderr %q, want %q", tc.args, code, errOut, tc.want)
		}
	}
}
