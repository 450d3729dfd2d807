package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/cluster"
)

// Issue 14 (trial 2026-11-30): after `dslab cluster down --keep-data`,
// `dslab grade` said `연결 오류: 클러스터에 연결할 수 없습니다: 컨텍스트(context)
// "dslab" 의 API 서버가 응답하지 않습니다 (Get "https://…/readyz…": dial tcp
// …)` while the TUI says the cluster is 중지됨. Every CLI command that
// needs the cluster asks the runtime first and says 중지됨 in Korean, the
// technical cause after, shortened (no client-go request line).
func TestStoppedClusterSaidFirst(t *testing.T) {
	want := "클러스터 dslab 이 멈춰 있습니다 (중지됨) — dslab cluster up 으로 시작하세요"
	for _, args := range [][]string{
		{"grade"},
		{"grade", "ds-basics"},
		{"exercise", "start", "ds-basics"},
		{"exercise", "reset", "ds-basics"},
		{"kubectl", "get", "nodes"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			env, out, errb, _ := kubectlEnv(t) // the dslab context: https://127.0.0.1:1, refused
			dir := env.Paths.ClusterDir(cluster.DefaultName)
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte("{}"), 0o600); err != nil {
				t.Fatal(err)
			}
			code := Run(context.Background(), env, args)
			if code == ExitOK {
				t.Fatalf("exit 0 with a stopped cluster: %s", out.String())
			}
			msg := errb.String()
			t.Log(msg)
			flat := strings.Join(strings.Fields(msg), " ")
			if !strings.Contains(flat, want) {
				t.Fatalf("stderr lacks %q:\n%s", want, msg)
			}
			if i := strings.Index(flat, "connection refused"); i >= 0 && i < strings.Index(flat, want) {
				t.Errorf("the technical cause comes before the Korean state:\n%s", msg)
			}
			for _, bad := range []string{"응답하지 않습니다", "readyz", `Get "https://`} {
				if strings.Contains(msg, bad) {
					t.Errorf("stderr still has %q:\n%s", bad, msg)
				}
			}
		})
	}
}

// The Korean state line of every state that is not running, and none for
// a running cluster (labStateText), names the command that helps.
func TestLabStateText(t *testing.T) {
	for _, st := range []cluster.State{cluster.StateStopped, cluster.StateStopping, cluster.StateStarting, cluster.StateAbsent} {
		if s := labStateText("dslab", st); !strings.Contains(s, "클러스터 dslab 이 ") || !strings.Contains(s, "dslab cluster ") || strings.Contains(s, "없습니다 (없음)") {
			t.Errorf("%s: %q", st, s)
		}
	}
	for _, st := range []cluster.State{cluster.StateRunning, cluster.StateDegraded} {
		if s := labStateText("dslab", st); s != "" {
			t.Errorf("%s: %q, want none", st, s)
		}
	}
}
