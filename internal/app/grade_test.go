package app

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/paths"
	"github.com/dslab-kr/dslab/internal/progress"
)

func TestExercisesList(t *testing.T) {
	code, out, errOut := runCLI(t, "exercises")
	if code != ExitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	for _, id := range []string{"ds-basics", "control-plane", "gpu-only", "ssd-affinity", "new-node", "rolling-update", "on-delete", "taints", "monitoring-agent", "troubleshoot"} {
		if !strings.Contains(out, id) {
			t.Errorf("list lacks %s:\n%s", id, out)
		}
	}
}

func TestExerciseShowAndSolution(t *testing.T) {
	code, out, _ := runCLI(t, "exercise", "show", "gpu-only")
	if code != ExitOK || !strings.Contains(out, "hardware=gpu") || !strings.Contains(out, "dslab grade gpu-only") {
		t.Errorf("show: %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, "exercise", "show", "gpu-only", "--hint", "2")
	if code != ExitOK || !strings.Contains(out, "힌트 1:") || !strings.Contains(out, "힌트 2:") || strings.Contains(out, "힌트 3:") {
		t.Errorf("hints: %d\n%s", code, out)
	}
	if code, _, errOut := runCLI(t, "exercise", "show", "gpu-only", "--hint", "4"); code != ExitUsage || !strings.Contains(errOut, "--hint") {
		t.Errorf("bad hint: %d %s", code, errOut)
	}
	code, out, _ = runCLI(t, "exercise", "solution", "on-delete")
	if code != ExitOK || !strings.Contains(out, "type: OnDelete") || !strings.Contains(out, "--field-selector spec.nodeName=dslab-worker2") {
		t.Errorf("solution: %d\n%s", code, out)
	}
}

func TestGradeUsageErrors(t *testing.T) {
	cases := map[string][]string{
		"알 수 없는 연습":     {"grade", "nope"},
		"--all 이 필요합니다": {"grade"},
		"함께 쓸 수 없습니다":   {"grade", "--all", "ds-basics"},
		"--output(-o) 플래그(flag)의 값 \"yaml\" 은 쓸 수 없습니다": {"grade", "ds-basics", "-o", "yaml"},
	}
	for want, args := range cases {
		code, _, errOut := runCLI(t, args...)
		if code != ExitUsage || !strings.Contains(errOut, want) {
			t.Errorf("%v: exit %d, stderr %q (want %q)", args, code, errOut, want)
		}
	}
	code, _, errOut := runCLI(t, "exercise", "start", "nope")
	if code != ExitUsage || !strings.Contains(errOut, "ds-basics") {
		t.Errorf("start unknown: %d %s", code, errOut)
	}
}

// Without a cluster, an exercise with no recorded pass cannot be graded:
// exit 2, a Korean message, and the records (here: 시작 전) on stdout
// (a recorded pass: gradeoffline_test.go).
func TestGradeNoCluster(t *testing.T) {
	code, out, errOut := runCLI(t, "grade", "ds-basics")
	if code != ExitUsage || !strings.Contains(out, "시작 전") || !strings.Contains(errOut, "클러스터에 연결할 수 없습니다") || !strings.Contains(errOut, "dslab cluster up") || strings.Contains(errOut, "`") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, _, errOut = runCLI(t, "grade", "ds-basics", "--kubeconfig", filepath.Join(t.TempDir(), "nope"))
	if code != ExitUsage || !strings.Contains(errOut, "kubeconfig") {
		t.Errorf("bad kubeconfig: %d %s", code, errOut)
	}
}

// A saved snapshot grades without a cluster (what a class server does).
func TestGradeSnapshot(t *testing.T) {
	fixture := func(name string) string {
		return filepath.Join("..", "..", "grader", "testdata", "exercises", "control-plane", name+".json")
	}
	code, out, errOut := runCLI(t, "grade", "control-plane", "--snapshot", fixture("solution"), "-o", "json")
	if code != ExitOK {
		t.Fatalf("solution: exit %d %s", code, errOut)
	}
	var r grader.Result
	if err := json.Unmarshal([]byte(out), &r); err != nil || !r.Passed || r.Score != 10 {
		t.Fatalf("json %v: %s", err, out)
	}
	code, out, _ = runCLI(t, "grade", "control-plane", "--snapshot", fixture("seed-master-only"))
	if code != ExitFailure || !strings.Contains(out, "node-role.kubernetes.io/master") || !strings.Contains(out, "미통과") {
		t.Errorf("wrong answer: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, "grade", "control-plane", "--snapshot", fixture("seed-master-only"), "-o", "junit")
	if code != ExitFailure || !strings.HasPrefix(out, "<?xml") || !strings.Contains(out, `<failure message=`) {
		t.Errorf("junit: exit %d\n%s", code, out)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte("{"), 0o644)
	if code, _, errOut := runCLI(t, "grade", "control-plane", "--snapshot", bad); code != ExitUsage || !strings.Contains(errOut, "JSON") {
		t.Errorf("bad snapshot: %d %s", code, errOut)
	}
}

// Class grading: an unreachable cluster is a row with the reason (null
// scores and an error, in JSON and CSV alike); when no cluster could be
// graded the exit code is 2. Only kubeconfig files are students.
func TestClassGradeUnreachable(t *testing.T) {
	dir := t.TempDir()
	kc := `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: {server: "https://127.0.0.1:1"}
users:
- name: u
  user: {token: x}
contexts:
- name: dslab
  context: {cluster: c, user: u}
current-context: dslab
`
	// "김민준" saved on macOS: NFD (decomposed jamo).
	nfd := norm.NFD.String("김민준")
	for _, s := range []string{nfd + ".yaml", "lee.yml", "choi", "lee.yaml.bak", "park.yaml~", ".#kim.yaml", "README.md", "notes.txt"} {
		if err := os.WriteFile(filepath.Join(dir, s), []byte(kc), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(dir, "park"), []byte("not yaml: ["), 0o600)
	code, out, errOut := runCLI(t, "grade", "--all", "--kubeconfig-dir", dir, "-o", "csv")
	if code != ExitUsage || !strings.Contains(errOut, "어느 클러스터도 채점하지 못했습니다") {
		t.Errorf("exit %d, stderr %s", code, errOut)
	}
	if !strings.HasPrefix(out, "\ufeff") {
		t.Errorf("csv without UTF-8 BOM")
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || strings.Join(rows[0][:8], ",") != "학생,출처,오류,점수,만점,통과,힌트,시도" || rows[0][8] != "ds-basics.상태" {
		t.Fatalf("csv:\n%s", out)
	}
	var names []string
	for _, r := range rows[1:] {
		names = append(names, r[0])
		if !strings.Contains(r[2], "클러스터에 연결할 수 없습니다") || r[3] != "" || r[4] != "" {
			t.Errorf("unreachable row: %q", r)
		}
	}
	if strings.Join(names, ",") != "choi,lee,김민준" || names[2] != norm.NFC.String("김민준") {
		t.Errorf("students %q (want choi, lee, 김민준 in NFC)", names)
	}
	code, out, _ = runCLI(t, "grade", "ds-basics", "--kubeconfig-dir", dir, "-o", "json")
	var rep classReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != ExitUsage {
		t.Fatalf("json %d %v\n%s", code, err, out)
	}
	for _, s := range rep.Students {
		if s.Error == nil || s.Score != nil || s.MaxScore != nil {
			t.Errorf("unreachable student %+v", s)
		}
	}
	if !strings.Contains(out, `"score": null`) || !strings.Contains(out, `"error": "`) {
		t.Errorf("json lacks null score/error:\n%s", out)
	}
	code, out, _ = runCLI(t, "grade", "ds-basics", "--kubeconfig-dir", dir)
	if code != ExitUsage || !strings.Contains(out, "채점 불가") {
		t.Errorf("text table: %d\n%s", code, out)
	}
	// --kubeconfig with --contexts: the contexts of one merged file.
	merged := filepath.Join(dir, "lee.yml")
	code, out, _ = runCLI(t, "grade", "ds-basics", "--kubeconfig", merged, "--contexts", "dslab", "-o", "json")
	if code != ExitUsage || !strings.Contains(out, merged+" context dslab") {
		t.Errorf("--kubeconfig with --contexts: %d\n%s", code, out)
	}
}

// A snapshot saved for one exercise is refused for another (exit 2, Korean).
func TestGradeSnapshotOtherExercise(t *testing.T) {
	gpu := filepath.Join("..", "..", "grader", "testdata", "exercises", "gpu-only", "solution.json")
	code, _, errOut := runCLI(t, "grade", "control-plane", "--snapshot", gpu)
	if code != ExitUsage || !strings.Contains(errOut, "연습 gpu-only 를 채점할 때 저장한 것") {
		t.Errorf("exit %d: %s", code, errOut)
	}
}

func TestExerciseShowListsChecks(t *testing.T) {
	c, _ := exercises.Load()
	ex, _ := c.Get("control-plane")
	code, out, _ := runCLI(t, "exercise", "show", "control-plane")
	if code != ExitOK || !strings.Contains(out, "채점 항목") {
		t.Fatalf("%d\n%s", code, out)
	}
	for _, ch := range ex.Spec.Checks {
		if !strings.Contains(out, ch.ID) {
			t.Errorf("show lacks check %s", ch.ID)
		}
	}
}

// The CLI path records hints in progress.json.
func TestHintRecorded(t *testing.T) {
	vars := map[string]string{"HOME": t.TempDir(), "XDG_CONFIG_HOME": t.TempDir()}
	getenv := func(k string) string { return vars[k] }
	var out, errb bytes.Buffer
	env := Env{Streams: Streams{In: strings.NewReader(""), Out: &out, Err: &errb}, Paths: paths.FromEnv(getenv), Getenv: getenv}
	if code := Run(context.Background(), env, []string{"exercise", "show", "taints", "--hint", "2"}); code != ExitOK {
		t.Fatalf("exit %d %s", code, errb.String())
	}
	f, err := progress.Read(env.Paths.ProgressFile())
	if err != nil || f.Exercises["taints"].HintsUsed != 2 {
		t.Errorf("progress %+v %v", f.Exercises, err)
	}
}
