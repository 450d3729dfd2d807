package app

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/lab"
	"github.com/dslab-kr/dslab/internal/paths"
)

// Issue 14 (trial 2026-11-30): the work file says saving is the same as
// `dslab kubectl apply -f`, but with a manifest naming kube-sytem that
// command printed only kubectl's English error while the TUI explains it
// in Korean first. `dslab kubectl apply|create|replace -f` prints the TUI's
// explanation (lab.ExplainApplyError) on stderr first, kubectl's own words
// after unchanged; other commands print kubectl's text alone.
func TestKubectlApplyErrorExplainedFirst(t *testing.T) {
	dir := t.TempDir()
	work := filepath.Join(dir, "control-plane.yaml") // a work file: <id>.yaml
	manifest := "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: kube-proxy-lite\n  namespace: kube-sytem\n"
	if err := os.WriteFile(work, []byte(manifest), 0o600); err != nil {
		t.Fatal(err)
	}
	kubectlMsg := `Error from server (NotFound): error when creating "` + work + `": namespaces "kube-sytem" not found`
	for _, tc := range []struct {
		args   []string
		taskNS string
		want   string
	}{
		{[]string{"apply", "-f", work}, "", "네임스페이스 kube-sytem 이 없습니다 (NotFound) — 과제의 네임스페이스는 kube-system 입니다"},
		{[]string{"create", "--filename=" + work}, "", "네임스페이스 kube-sytem 이 없습니다 (NotFound) — 과제의 네임스페이스는 kube-system 입니다"},
		// Another file name: the started exercise's namespace.
		{[]string{"apply", "-f", filepath.Join(dir, "mine.yaml")}, "kube-system", "과제의 네임스페이스는 kube-system 입니다"},
		{[]string{"get", "ds", "-n", "kube-sytem"}, "", ""},
	} {
		var errb bytes.Buffer
		env := Env{Streams: Streams{Err: &errb}, Paths: paths.FromEnv(func(string) string { return "" }), Getenv: func(k string) string {
			if k == "COLUMNS" {
				return "300"
			}
			return ""
		}}
		var explain func(string) string
		if kubectlExplains(tc.args) {
			explain = func(msg string) string { return lab.ExplainApplyError(msg, kubectlFiles(tc.args), tc.taskNS) }
		}
		printKubectlFatal(env, kubectlMsg, explain, nil)
		lines := strings.Split(strings.TrimRight(errb.String(), "\n"), "\n")
		if last := lines[len(lines)-1]; last != kubectlMsg {
			t.Errorf("%v: kubectl's own line changed or not last: %q", tc.args, last)
		}
		if tc.want == "" {
			if len(lines) != 1 {
				t.Errorf("%v: want kubectl's text alone:\n%s", tc.args, errb.String())
			}
			continue
		}
		if !strings.Contains(lines[0], tc.want) {
			t.Errorf("%v: first line %q lacks %q", tc.args, lines[0], tc.want)
		}
	}
	// Nothing more specific than kubectl's words: still a Korean line
	// first, as the TUI says it (issue 14: kubectl's English alone).
	if s := lab.ExplainApplyError(`Error from server (InternalError): something odd`, []string{"/d/work/x.yaml"}, ""); !strings.HasPrefix(s, "kubectl apply 가 실패했습니다") || !strings.Contains(s, "dslab kubectl apply -f /d/work/x.yaml") {
		t.Errorf("generic error explained as %q", s)
	}
}
