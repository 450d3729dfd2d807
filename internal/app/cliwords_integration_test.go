package app

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/internal/progress"
	"github.com/dslab-kr/dslab/internal/testcluster"
)

// TestIntegrationCLIWords: the trainee trial on 32bac4b, on one real
// cluster, through the dslab binary:
//   - course numbers work where exercise IDs do (`exercise start 1`,
//     `grade 2`);
//   - a start lists other exercises' DaemonSets still running, credited to
//     the exercise that was started, with a whole delete command a line;
//   - `dslab kubectl apply -f ds-basics.yaml` while gpu-only is started
//     names what the file applied and whose it is, never gpu-only's
//     DaemonSet as "변경 없음", and counts no attempt at gpu-only;
//   - `exercise reset` without an ID (not a terminal: no question) says
//     which exercise and what it does, and records a reset.
func TestIntegrationCLIWords(t *testing.T) {
	c := testcluster.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	run := func(args ...string) (string, string, error) {
		t.Helper()
		return c.Run(ctx, args...)
	}
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	basics, _ := cat.Get("ds-basics")
	gpu, _ := cat.Get("gpu-only")
	flat := func(s string) string { return strings.Join(strings.Fields(s), " ") }

	stdout, stderr, err := run("exercise", "start", strconv.Itoa(basics.Order))
	if err != nil || !strings.Contains(stdout, "연습 ds-basics 준비 완료") {
		t.Fatalf("exercise start %d: %v\n%s\n%s", basics.Order, err, stdout, stderr)
	}
	file := filepath.Join(t.TempDir(), "ds-basics.yaml")
	if err := os.WriteFile(file, basics.Solution, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, err := run("kubectl", "apply", "-f", file); err != nil {
		t.Fatalf("apply ds-basics: %v\n%s", err, stderr)
	}

	_, stderr, err = run("exercise", "start", strconv.Itoa(gpu.Order))
	if err != nil {
		t.Fatalf("exercise start %d: %v\n%s", gpu.Order, err, stderr)
	}
	if !strings.Contains(flat(stderr), "다른 연습의 데몬셋 1개가 아직 실행 중입니다: ds-basics(kube-system/fluentd-elasticsearch)") ||
		!strings.Contains(stderr, "\ndslab kubectl delete ds fluentd-elasticsearch -n kube-system\n") {
		t.Errorf("exercise start does not list ds-basics's DaemonSet:\n%s", stderr)
	}

	attempts := func() int {
		t.Helper()
		p, err := progress.Read(c.Paths.ProgressFile())
		if err != nil {
			t.Fatal(err)
		}
		return p.Exercises["gpu-only"].Attempts
	}
	before := attempts()
	stdout, stderr, err = run("kubectl", "apply", "-f", file)
	if err != nil {
		t.Fatalf("apply ds-basics again: %v\n%s", err, stderr)
	}
	if !strings.Contains(stdout, "fluentd-elasticsearch") || !strings.Contains(flat(stderr), "데몬셋 kube-system/fluentd-elasticsearch 는 연습 ds-basics 의 것이라 지금 연습 gpu-only 의 시도로 세지 않습니다") ||
		strings.Contains(stderr, "gpu-monitor") || strings.Contains(stderr, "변경 없음") {
		t.Errorf("the note of an apply of another exercise's file:\n%s\n%s", stdout, stderr)
	}
	if n := attempts(); n != before {
		t.Errorf("gpu-only attempts %d → %d after applying ds-basics's file", before, n)
	}

	stdout, stderr, err = run("grade", strconv.Itoa(gpu.Order))
	if code := testcluster.ExitCode(err); code != ExitFailure || strings.Contains(stderr, "알 수 없는 연습") || !strings.Contains(stdout, "gpu-only") {
		t.Errorf("grade %d: exit %d\n%s\n%s", gpu.Order, code, stdout, stderr)
	}

	_, stderr, err = run("exercise", "reset")
	if err != nil {
		t.Fatalf("exercise reset: %v\n%s", err, stderr)
	}
	for _, want := range []string{"(gpu-only): 데몬셋 dslab/gpu-monitor 를 지우고", "gpu-only.yaml 은 그대로 둡니다", "dslab kubectl delete ds fluentd-elasticsearch -n kube-system"} {
		if !strings.Contains(flat(stderr), want) {
			t.Errorf("reset without an ID does not say %q:\n%s", want, stderr)
		}
	}
	if p, err := progress.Read(c.Paths.ProgressFile()); err != nil || !p.Exercises["gpu-only"].StartedReset {
		t.Errorf("the reset is not recorded as one: %+v %v", p.Exercises["gpu-only"], err)
	}
}
