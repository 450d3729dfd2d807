package app

import (
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/cluster"
	"github.com/dslab-kr/dslab/internal/cluster/embedded"
	"github.com/dslab-kr/dslab/internal/paths"
)

// While `dslab cluster down` stops the embedded cluster from another
// terminal, `dslab cluster status` says 멈추는 중, not 일부 이상
// (degraded): the state directory holds what a stopping supervisor leaves
// (its lock, held here by the test, and phase stopping in status.json, with
// a component already gone).
func TestClusterStatusWhileStopping(t *testing.T) {
	vars := map[string]string{"HOME": t.TempDir(), "COLUMNS": "100000"}
	p := paths.FromEnv(func(k string) string { return vars[k] })
	const name = "stoptest"
	d := embedded.Dir(p.ClusterDir(name))
	if err := d.SaveConfig(embedded.Config{Name: name, Runtime: cluster.RuntimeEmbedded}); err != nil {
		t.Fatal(err)
	}
	lock, err := d.TryLock()
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	if err := d.SaveStatus(embedded.SupervisorStatus{Phase: embedded.PhaseStopping, Components: []embedded.ComponentStatus{
		{Name: "etcd", Running: true}, {Name: "kube-apiserver", Running: false},
	}}); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLIEnv(t, vars, "cluster", "status", "--name", name)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if !strings.Contains(out, "상태:       멈추는 중 (stopping)") || strings.Contains(out, "degraded") || strings.Contains(out, "재시작 중인") {
		t.Errorf("cluster status while stopping:\n%s", out)
	}
}
