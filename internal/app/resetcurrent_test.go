package app

import (
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/internal/paths"
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

// `dslab exercise reset` without an ID says first which exercise it
// resets and what that does (the DaemonSet deleted, the work file kept);
// at a terminal it asks [y/N] unless --yes, and not at a terminal it goes
// on as kubectl does (trainee trial on 32bac4b: it reset at once with no
// word of which one).
func TestResetWithoutIDSaysWhatAndAsks(t *testing.T) {
	_, _, errOut := runCLIEnv(t, map[string]string{"HOME": t.TempDir(), ShellExerciseEnv: "gpu-only", "COLUMNS": "300"}, "exercise", "reset")
	flat := strings.Join(strings.Fields(errOut), " ")
	for _, want := range []string{"(gpu-only): 데몬셋 dslab/gpu-monitor 를 지우고 연습을 처음 상태로 다시 준비합니다", "gpu-only.yaml 은 그대로 둡니다"} {
		if !strings.Contains(flat, want) {
			t.Errorf("reset without an ID does not say %q:\n%s", want, errOut)
		}
	}
	if strings.Contains(errOut, "[y/N]") {
		t.Errorf("asked though stdin is not a terminal:\n%s", errOut)
	}
	if _, out, _ := runCLIEnv(t, map[string]string{"HOME": t.TempDir()}, "exercise", "reset", "--help"); !strings.Contains(out, "[y/N]") || !strings.Contains(out, "--yes") {
		t.Errorf("reset --help does not say it asks:\n%s", out)
	}

	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	ex, err := cat.Get("gpu-only")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		in       string
		yes, tty bool
		goOn     bool
		asked    bool
	}{
		{"y\n", false, true, true, true},
		{"네\n", false, true, true, true},
		{"\n", false, true, false, true},
		{"n\n", false, true, false, true},
		{"", false, true, false, true}, // EOF at the prompt: no
		{"", true, true, true, false},
		{"", false, false, true, false},
	} {
		var out, errb strings.Builder
		vars := map[string]string{"HOME": t.TempDir(), "COLUMNS": "300"}
		getenv := func(k string) string { return vars[k] }
		env := Env{Streams: Streams{In: strings.NewReader(tc.in), Out: &out, Err: &errb}, Paths: paths.FromEnv(getenv), Getenv: getenv}
		if got := confirmReset(env, ex, tc.yes, tc.tty); got != tc.goOn || strings.Contains(errb.String(), "[y/N]") != tc.asked {
			t.Errorf("%+v: go on %v\n%s", tc, got, errb.String())
		}
		if !tc.goOn && !strings.Contains(errb.String(), "되돌리지 않았습니다") {
			t.Errorf("%+v: a declined reset says nothing:\n%s", tc, errb.String())
		}
	}
}
