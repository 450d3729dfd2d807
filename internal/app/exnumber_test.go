package app

import (
	"strconv"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/exercises"
)

// Course numbers work wherever an exercise ID does (one resolver,
// findExercise): the TUI and `dslab progress` say "연습 5", and `dslab
// grade 5` / `dslab exercise start 3` said 알 수 없는 연습 (trainee trial
// on 32bac4b).
func TestExerciseNumbers(t *testing.T) {
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	all := cat.All()
	for _, ex := range all {
		got, err := findExercise(cat, strconv.Itoa(ex.Order))
		if err != nil || got.ID != ex.ID {
			t.Errorf("exercise %d: %s %v, want %s", ex.Order, got.ID, err, ex.ID)
		}
	}
	if _, err := findExercise(cat, strconv.Itoa(len(all)+1)); err == nil || !strings.Contains(err.Error(), "1 부터 "+strconv.Itoa(len(all))+" 까지") {
		t.Errorf("a number past the course: %v", err)
	}
	// Through the command lines: show prints the exercise, the help says so.
	vars := map[string]string{"HOME": t.TempDir(), "XDG_CONFIG_HOME": t.TempDir(), "XDG_DATA_HOME": t.TempDir(), "COLUMNS": "200"}
	code, out, errs := runCLIEnv(t, vars, "exercise", "show", "5")
	if code != ExitOK || !strings.Contains(out, all[4].Title) {
		t.Errorf("exercise show 5: exit %d\n%s\n%s", code, out, errs)
	}
	for _, args := range [][]string{{"grade", "--help"}, {"exercise", "start", "--help"}, {"exercise", "reset", "--help"}, {"exercise", "show", "--help"}} {
		if _, out, _ := runCLIEnv(t, vars, args...); !strings.Contains(out, "연습 번호") {
			t.Errorf("%q does not say numbers work:\n%s", args, out)
		}
	}
	// Completion offers the IDs, and the numbers once a digit is typed.
	_, out, _ = runCLIEnv(t, vars, "__complete", "grade", "")
	if !strings.Contains(out, all[0].ID+"\t연습 1 · ") {
		t.Errorf("completion of grade:\n%s", out)
	}
	_, out, _ = runCLIEnv(t, vars, "__complete", "exercise", "start", "1")
	if !strings.Contains(out, "1\t"+all[0].ID+" · ") {
		t.Errorf("completion of exercise start 1:\n%s", out)
	}
}
