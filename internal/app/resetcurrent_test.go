package app

import (
	"strings"
	"testing"
)

// Issue 14: `dslab exercise reset` without an ID failed with "연습 ID 하나가
// 필요합니다" while `dslab grade` uses the current exercise. reset chooses
// as grade does and says which: the lab shell's exercise (DSLAB_EXERCISE),
// else the one started on the cluster; without either it says why it
// cannot tell (here: no cluster).
func TestExerciseResetWithoutIDUsesTheCurrentExercise(t *testing.T) {
	home := t.TempDir()
	_, _, errOut := runCLIEnv(t, map[string]string{"HOME": home, ShellExerciseEnv: "gpu-only", "COLUMNS": "300"}, "exercise", "reset")
	if want := "실습 셸의 연습 gpu-only 를 처음 상태로 되돌립니다"; !strings.Contains(errOut, want) {
		t.Errorf("reset in the lab shell does not say %q:\n%s", want, errOut)
	}
	code, _, errOut := runCLIEnv(t, map[string]string{"HOME": t.TempDir(), "COLUMNS": "300"}, "exercise", "reset")
	if code != ExitUsage || !strings.Contains(errOut, "되돌릴 연습 ID 가 필요합니다") || strings.Contains(errOut, "연습 ID 하나가 필요합니다") {
		t.Errorf("reset without an ID or cluster: code %d:\n%s", code, errOut)
	}
	if code, _, errOut := runCLIEnv(t, map[string]string{"HOME": t.TempDir()}, "exercise", "reset", "a", "b"); code != ExitUsage || !strings.Contains(errOut, "하나만") {
		t.Errorf("reset with two IDs: code %d:\n%s", code, errOut)
	}
}
