package app

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/grader"
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
		"알 수 없는 출력 형식":  {"grade", "ds-basics", "-o", "yaml"},
		"-o csv 는":      {"grade", "ds-basics", "-o", "csv"},
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

// Without a cluster, grading cannot run: exit 2 and a Korean message.
func TestGradeNoCluster(t *testing.T) {
	code, out, errOut := runCLI(t, "grade", "ds-basics")
	if code != ExitUsage || out != "" || !strings.Contains(errOut, "클러스터에 연결할 수 없습니다") || !strings.Contains(errOut, "dslab cluster up") {
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

// Class grading: an unreachable cluster is a row with the reason; when no
// cluster could be graded the exit code is 2.
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
	for _, s := range []string{"김민준.yaml", "lee.kubeconfig"} {
		if err := os.WriteFile(filepath.Join(dir, s), []byte(kc), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(dir, "park"), []byte("not yaml: ["), 0o600)
	code, out, errOut := runCLI(t, "grade", "--all", "--kubeconfig-dir", dir, "-o", "csv")
	if code != ExitUsage || !strings.Contains(errOut, "어느 클러스터도 채점하지 못했습니다") {
		t.Errorf("exit %d, stderr %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "student,source,ds-basics,") {
		t.Fatalf("csv:\n%s", out)
	}
	for _, l := range lines[1:] {
		if !strings.Contains(l, "클러스터에 연결할 수 없습니다") {
			t.Errorf("row without reason: %s", l)
		}
	}
	if !strings.HasPrefix(lines[1], "lee,") || !strings.HasPrefix(lines[2], "park,") || !strings.HasPrefix(lines[3], "김민준,") {
		t.Errorf("rows not sorted by student:\n%s", out)
	}
	code, out, _ = runCLI(t, "grade", "ds-basics", "--kubeconfig-dir", dir)
	if code != ExitUsage || !strings.Contains(out, "채점 불가") {
		t.Errorf("text table: %d\n%s", code, out)
	}
}
