package app

import (
	"strings"
	"testing"
)

// TestExerciseListFooterSaysNumbersWork: `dslab exercises` ended with
// commands that take only "<ID>" though the number column works as well
// (issue 14); the footer says so, and its example runs.
func TestExerciseListFooterSaysNumbersWork(t *testing.T) {
	code, out, errOut := runCLIEnv(t, map[string]string{"COLUMNS": "80"}, "exercises")
	if code != 0 {
		t.Fatalf("dslab exercises: exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, exerciseListNumberNote) || !strings.Contains(exerciseListNumberNote, "번호") {
		t.Fatalf("footer does not say numbers work:\n%s", out)
	}
	_, example, ok := strings.Cut(exerciseListNumberNote, "예: ")
	if !ok {
		t.Fatalf("no example in %q", exerciseListNumberNote)
	}
	args := strings.Fields(strings.TrimSuffix(strings.TrimSuffix(example, "."), ")"))[1:]
	if code, _, errOut := runCLIEnv(t, map[string]string{"COLUMNS": "80"}, args...); code != 0 {
		t.Errorf("the footer's example %q: exit %d: %s", example, code, errOut)
	}
}
