package lab

import (
	"context"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/testcluster"
)

// TestIntegrationInstructorResetRemovesLeftovers is the instructor trial
// on f9ad301: the instructor's reset-exercise left a same-name copy of the
// target in another namespace (default/…) running, while the learner's
// r r deleted it. Both resets are Starter.ResetWith now: on a real
// embedded cluster the instructor's reset deletes the copy and says so.
func TestIntegrationInstructorResetRemovesLeftovers(t *testing.T) {
	c := testcluster.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	conn, err := kube.Connect(ctx, c.Paths.Kubeconfigs, kube.Target{})
	if err != nil {
		t.Fatal(err)
	}
	ex := exercise(t, "gpu-only")
	st := Starter{Paths: c.Paths, Catalog: catalog(t), Executable: c.Bin, Logger: testLogger(t)}
	if _, err := st.Start(ctx, conn, ex, false, nil); err != nil {
		t.Fatal(err)
	}
	dss, err := exercises.DaemonSets(ex.Solution)
	if err != nil || len(dss) == 0 {
		t.Fatalf("solution: %v", err)
	}
	cp := dss[0].DeepCopy()
	cp.Namespace = "default"
	if _, err := conn.Client.AppsV1().DaemonSets("default").Create(ctx, cp, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	var said []string
	a := &ClassActions{Catalog: catalog(t), Starter: st,
		Conn:          func(context.Context) (*kube.Conn, error) { return conn, nil },
		ResetProgress: func(s string) { said = append(said, s) }}
	if err := a.Apply(ctx, api.Command{Seq: 1, Kind: api.CommandResetExercise, Exercise: ex.ID}); err != nil {
		t.Fatal(err)
	}
	if found, err := FindLeftovers(ctx, conn.Client, ex); err != nil || len(found) != 0 {
		t.Fatalf("after the instructor's reset, copies left: %+v %v", found, err)
	}
	if !strings.Contains(strings.Join(said, "\n"), "남은 데몬셋 default/"+ex.Spec.Target.Name) {
		t.Errorf("the reset did not say it deleted the copy: %q", said)
	}
}
