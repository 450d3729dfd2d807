package app

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/exercises"
)

// What a `dslab kubectl -f` command line applied: the DaemonSets of its
// files, known only when every file can be read here.
func TestAppliedDaemonSets(t *testing.T) {
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	basics, _ := cat.Get("ds-basics")
	dir := t.TempDir()
	file := filepath.Join(dir, "ds-basics.yaml")
	os.WriteFile(file, basics.Solution, 0o644)
	noNS := filepath.Join(t.TempDir(), "plain.yml")
	os.WriteFile(noNS, []byte("apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"), 0o644)
	for _, tc := range []struct {
		args  []string
		want  []string
		known bool
	}{
		{[]string{"apply", "-f", file}, []string{"kube-system/fluentd-elasticsearch"}, true},
		{[]string{"apply", "--filename=" + file, "--field-manager=dslab-lab"}, []string{"kube-system/fluentd-elasticsearch"}, true},
		{[]string{"apply", "-f", dir}, []string{"kube-system/fluentd-elasticsearch"}, true},
		{[]string{"apply", "-n", "dslab", "-f", noNS}, []string{"dslab/a"}, true},
		{[]string{"create", "-f", noNS}, []string{"default/a"}, true},
		{[]string{"apply", "-f", "-"}, nil, false},
		{[]string{"apply", "-f", "https://example.com/ds.yaml"}, nil, false},
		{[]string{"apply", "-R", "-f", dir}, nil, false},
		{[]string{"apply", "-f", filepath.Join(dir, "missing.yaml")}, nil, false},
		{[]string{"patch", "ds", "x", "-p", "{}"}, nil, false},
	} {
		got, known := appliedDaemonSets(tc.args)
		if known != tc.known || !slices.Equal(got, tc.want) {
			t.Errorf("%q: %v %v, want %v %v", tc.args, got, known, tc.want, tc.known)
		}
	}
}

// The note of a file that did not hold the started exercise's DaemonSet
// names what the file applied and the exercise it belongs to — never the
// started exercise's DaemonSet as "변경 없음" (trainee trial on 32bac4b).
func TestOtherDaemonSetsNote(t *testing.T) {
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	note := otherDaemonSetsNote(cat, []string{"kube-system/fluentd-elasticsearch"}, []string{"/w/ds-basics.yaml"}, "noexecute-churn", "dslab/metrics-agent")
	for _, want := range []string{"데몬셋 kube-system/fluentd-elasticsearch 는 연습 ds-basics 의 것이라", "noexecute-churn 의 시도로 세지 않습니다", "dslab exercise start ds-basics 로"} {
		if !strings.Contains(note, want) {
			t.Errorf("note lacks %q: %s", want, note)
		}
	}
	if strings.Contains(note, "변경 없음") || strings.Contains(note, "metrics-agent") {
		t.Errorf("note speaks of the started exercise's DaemonSet: %s", note)
	}
	// The same DaemonSet in two exercises: the file's name tells which,
	// else both are named.
	note = otherDaemonSetsNote(cat, []string{"kube-system/fluentd-elasticsearch"}, []string{"fix.yaml"}, "noexecute-churn", "dslab/metrics-agent")
	if !strings.Contains(note, "연습 ds-basics 또는 control-plane 의 것이라") {
		t.Errorf("note: %s", note)
	}
	note = otherDaemonSetsNote(cat, []string{"default/mine"}, nil, "gpu-only", "dslab/gpu-monitor")
	if !strings.Contains(note, "데몬셋 default/mine 은 지금 연습 gpu-only 의 데몬셋(dslab/gpu-monitor)이 아니라") {
		t.Errorf("note: %s", note)
	}
	if note := otherDaemonSetsNote(cat, nil, nil, "gpu-only", "dslab/gpu-monitor"); note != "" {
		t.Errorf("no DaemonSet applied, yet: %s", note)
	}
}

// Only a command that may write the started exercise's DaemonSet is marked
// as the lab's own write (--field-manager=dslab-lab): another exercise's
// file keeps kubectl's field manager.
func TestMayWriteTarget(t *testing.T) {
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	basics, _ := cat.Get("ds-basics")
	file := filepath.Join(t.TempDir(), "ds-basics.yaml")
	os.WriteFile(file, basics.Solution, 0o644)
	a := &kubectlAttempt{exercise: "gpu-only", ns: "dslab", name: "gpu-monitor"}
	if a.mayWriteTarget([]string{"apply", "-f", file}) {
		t.Error("ds-basics.yaml may write gpu-only's DaemonSet")
	}
	for _, args := range [][]string{{"apply", "-f", "-"}, {"edit", "ds", "gpu-monitor", "-n", "dslab"}} {
		if !a.mayWriteTarget(args) {
			t.Errorf("%q: a command whose writes are not known is not followed", args)
		}
	}
	b := &kubectlAttempt{exercise: "ds-basics", ns: "kube-system", name: "fluentd-elasticsearch"}
	if !b.mayWriteTarget([]string{"apply", "-f", file}) {
		t.Error("ds-basics.yaml does not write ds-basics's DaemonSet")
	}
}
