package lab

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
)

// A DaemonSet several exercises share is credited to the one started last
// (trainee trial on 32bac4b: on-delete's monitoring/node-exporter was
// credited to rolling-update), to all of them when none was started; the
// prepared exercise's own target is never listed. Every delete command
// fits 60 columns whole, the name before -n.
func TestOthersRunningCredit(t *testing.T) {
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	gpu, _ := cat.Get("gpu-only")
	nodeExporter := grader.ObjectRef{Namespace: "monitoring", Name: "node-exporter"}
	present := map[grader.ObjectRef]bool{nodeExporter: true, gpu.Spec.Target: true}
	t0 := time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC)
	started := map[string]time.Time{"rolling-update": t0, "on-delete": t0.Add(time.Minute)}
	rs := OthersRunning(cat.All(), gpu, present, func(id string) time.Time { return started[id] })
	if len(rs) != 1 || strings.Join(rs[0].Exercises, ",") != "on-delete" || rs[0].Ref != nodeExporter {
		t.Errorf("credited: %+v, want on-delete (started last)", rs)
	}
	rs = OthersRunning(cat.All(), gpu, present, nil)
	if len(rs) != 1 || len(rs[0].Exercises) < 2 || !strings.Contains(OthersRunningHead(rs), "rolling-update·on-delete") {
		t.Errorf("none started: %+v", rs)
	}
	note := OthersRunningNote(rs)
	if !strings.Contains(note, "\ndslab kubectl delete ds node-exporter -n monitoring") || strings.Contains(note, "gpu-monitor") {
		t.Errorf("note:\n%s", note)
	}
	for _, ex := range cat.All() {
		if cmd := DeleteCommand(ex.Spec.Target); ex.Spec.Target.Name != "" && ansi.StringWidth(cmd) > 60 {
			t.Errorf("%s: %q is wider than a 60-column screen's line", ex.ID, cmd)
		}
	}
}
