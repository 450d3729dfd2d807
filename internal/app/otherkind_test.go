package app

import (
	"strings"
	"testing"
)

// Issue 14: `dslab lessons show gpu_only` listed the lessons without saying
// that gpu-only is an exercise. An ID of (or close to) an exercise given to
// lessons show, or of a lesson given to exercise show, names the command
// that shows it.
func TestShowNamesTheOtherKind(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"lessons", "show", "gpu_only"}, "gpu-only 는 연습입니다: dslab exercise show gpu-only"},
		{[]string{"lessons", "show", "taints"}, "taints 는 연습입니다: dslab exercise show taints"},
		{[]string{"exercise", "show", "node-affinity"}, "node-affinity 는 강의입니다: dslab lessons show node-affinity"},
	} {
		code, _, errOut := runCLIEnv(t, map[string]string{"COLUMNS": "300"}, tc.args...)
		if code != ExitUsage || !strings.Contains(strings.Join(strings.Fields(errOut), " "), tc.want) {
			t.Errorf("%v: code %d, stderr lacks %q:\n%s", tc.args, code, tc.want, errOut)
		}
	}
	// Close to an exercise and to nothing else of the other kind: the
	// exercise's own suggestion stays.
	if _, _, errOut := runCLIEnv(t, map[string]string{"COLUMNS": "300"}, "exercise", "show", "taint"); !strings.Contains(errOut, "혹시 taints 를 찾으셨나요?") || strings.Contains(errOut, "강의입니다") {
		t.Errorf("exercise show taint:\n%s", errOut)
	}
}
