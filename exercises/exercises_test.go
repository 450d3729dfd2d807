package exercises_test

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/grader/gradertest"
)

func load(t *testing.T) *exercises.Catalog {
	t.Helper()
	c, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The ids and their order are part of the CLI contract; the order follows
// the course (issue 9 §4: control-plane needs lessons 07–08, taints comes
// before the lesson-09 exercises).
func TestIDs(t *testing.T) {
	want := []string{"ds-basics", "gpu-only", "ssd-affinity", "new-node", "taints", "control-plane", "rolling-update", "on-delete", "monitoring-agent", "troubleshoot", "bad-image-rollback",
		"cordon-maintenance", "noexecute-churn", "surge-hostport", "quota-limits", "selector-change"}
	if got := load(t).IDs(); !slices.Equal(got, want) {
		t.Errorf("ids %v, want %v", got, want)
	}
	nn, _ := load(t).Get("new-node")
	if nn.Lesson != "node-selector" {
		t.Errorf("new-node belongs to lesson %s, want node-selector (lesson 05)", nn.Lesson)
	}
}

// squash collapses runs of white space, so a quote may cross the task's
// line breaks.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

// Only a constraint written in the task text may fail an answer that
// reaches the asked state: every check's constraint is quoted verbatim
// from its task, and integrity checks that forbid changes say which
// sentence forbids them.
func TestConstraintsQuoteTheTask(t *testing.T) {
	for _, ex := range load(t).All() {
		task := squash(ex.Task)
		for _, c := range ex.Spec.Checks {
			if c.Constraint != "" && !strings.Contains(task, squash(c.Constraint)) {
				t.Errorf("%s/%s: constraint %q is not in the task text", ex.ID, c.ID, c.Constraint)
			}
			if c.Kind == grader.KindIntegrity && len(c.Forbid) > 0 && c.Constraint == "" {
				t.Errorf("%s/%s: forbids %v without quoting the task", ex.ID, c.ID, c.Forbid)
			}
			if (c.Kind == grader.KindNodeSelector || c.Kind == grader.KindNodeAffinity) && c.Constraint == "" {
				t.Errorf("%s/%s: a %s check fails answers that reach the asked placement another way; quote the task's words", ex.ID, c.ID, c.Kind)
			}
		}
	}
}

// Banned variants (contract.md) stay out of what the grader part of an
// exercise shows: titles, check titles, hints.
func TestGradingTerms(t *testing.T) {
	banned := []string{"견디", "견딥", "견뎌", "허용", "효과", "객체", "가비지 컬렉션", "입양", "우선순위 클래스", "파드 보안 어드미션", "을(를)", "이(가)", "은(는)", "와(과)", "(으)로"}
	for _, ex := range load(t).All() {
		texts := append([]string{ex.Title}, ex.Hints...)
		for _, c := range ex.Spec.Checks {
			texts = append(texts, c.Title)
		}
		for _, s := range texts {
			for _, b := range banned {
				if strings.Contains(s, b) {
					t.Errorf("%s: %q contains %q", ex.ID, s, b)
				}
			}
		}
	}
}

// Fixed object names per exercise (other tools script them).
func TestTargets(t *testing.T) {
	want := map[string]string{
		"ds-basics": "kube-system/fluentd-elasticsearch", "control-plane": "kube-system/fluentd-elasticsearch",
		"gpu-only": "dslab/gpu-monitor", "ssd-affinity": "dslab/ssd-cache", "new-node": "dslab/gpu-monitor",
		"rolling-update": "monitoring/node-exporter", "on-delete": "monitoring/node-exporter", "taints": "dslab/log-shipper",
		"monitoring-agent": "monitoring/node-exporter", "troubleshoot": "dslab/broken-agent",
		"bad-image-rollback": "monitoring/node-exporter",
		"cordon-maintenance": "dslab/log-agent", "noexecute-churn": "dslab/metrics-agent", "surge-hostport": "monitoring/port-exporter",
		"quota-limits": "team-a/log-agent", "selector-change": "dslab/node-agent",
	}
	for _, ex := range load(t).All() {
		if got := ex.Spec.Target.String(); got != want[ex.ID] {
			t.Errorf("%s: target %s, want %s", ex.ID, got, want[ex.ID])
		}
		if ex.Spec.MaxScore() != 10 {
			t.Errorf("%s: max score %d, want 10", ex.ID, ex.Spec.MaxScore())
		}
		for _, h := range ex.Hints {
			if strings.TrimSpace(h) == "" {
				t.Errorf("%s: empty hint", ex.ID)
			}
		}
	}
}

// Every reference solution passes with full score on the simulated lab
// after the exercise's own setup.
func TestSolutionsPass(t *testing.T) {
	for _, ex := range load(t).All() {
		l := gradertest.NewLab("dslab")
		l.StartExercise(ex)
		l.Tick(time.Minute)
		l.Solve(ex)
		l.Tick(time.Minute)
		res := grader.Grade(ex.Spec, l.Snapshot())
		if !res.Passed || res.Score != res.MaxScore {
			for _, c := range res.Checks {
				if !c.Passed {
					t.Errorf("%s: %s: %s", ex.ID, c.ID, c.Message)
				}
			}
		}
	}
}

// Doing nothing after `exercise start` never passes.
func TestNothingDoneFails(t *testing.T) {
	for _, ex := range load(t).All() {
		l := gradertest.NewLab("dslab")
		l.StartExercise(ex)
		l.Tick(time.Minute)
		if res := grader.Grade(ex.Spec, l.Snapshot()); res.Passed {
			t.Errorf("%s passes without any work", ex.ID)
		}
	}
}

func TestImages(t *testing.T) {
	got := load(t).Images()
	want := []string{
		"docker.io/library/busybox:1.37.0",
		"quay.io/fluentd_elasticsearch/fluentd:v2.5.2",
		"quay.io/prometheus/node-exporter:v1.8.2",
		"quay.io/prometheus/node-exporter:v1.9.1",
	}
	if !slices.Equal(got, want) {
		t.Errorf("images %v, want %v", got, want)
	}
}

func TestManagedKeys(t *testing.T) {
	labels, taints := load(t).ManagedKeys()
	if !slices.Equal(labels, []string{"hardware", "maintenance"}) || !slices.Equal(taints, []string{"dedicated", "maintenance", "nvidia.com/gpu"}) {
		t.Errorf("managed keys %v %v", labels, taints)
	}
}

func TestStepCommands(t *testing.T) {
	c := load(t)
	nn, _ := c.Get("new-node")
	od, _ := c.Get("on-delete")
	if got := nn.SolutionSteps[0].Command("dslab"); got != "dslab kubectl label node dslab-worker hardware=gpu" {
		t.Errorf("new-node step %q", got)
	}
	if got := od.SolutionSteps[0].Command("dslab"); got != "dslab kubectl -n monitoring delete pod -l app.kubernetes.io/name=node-exporter --field-selector spec.nodeName=dslab-worker2" {
		t.Errorf("on-delete step %q", got)
	}
	cm, _ := c.Get("cordon-maintenance")
	if got := cm.SolutionSteps[0].Command("dslab") + "; " + cm.SolutionSteps[1].Command("dslab"); got != "dslab kubectl cordon dslab-worker2; dslab kubectl taint node dslab-worker2 maintenance=true:NoExecute" {
		t.Errorf("cordon-maintenance steps %q", got)
	}
	sc, _ := c.Get("selector-change")
	if s := sc.SolutionSteps[0]; !s.Before || s.Command("dslab") != "dslab kubectl -n dslab delete daemonset node-agent" {
		t.Errorf("selector-change step %+v %q", s, s.Command("dslab"))
	}
	untaint := exercises.Step{Taint: &grader.NodeChange{Node: "{cluster}-worker2", Key: "maintenance", Effect: "NoExecute", Remove: true}}
	if got := untaint.Command("lab"); got != "dslab kubectl taint node lab-worker2 maintenance:NoExecute-" {
		t.Errorf("untaint step %q", got)
	}
}

// A broken exercise directory is reported, not loaded half.
func TestLoadErrors(t *testing.T) {
	base := "title: t\nlesson: node-selector\ntask: x\nhints: [a, b, c]\ngrading:\n  target: {namespace: a, name: b}\n  checks: [{id: e, kind: exists, title: t, points: 1}]\n"
	sol := "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: b, namespace: a}\nspec: {selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: i}]}}}\n"
	cases := map[string]fstest.MapFS{
		"id mismatch":     {"x/exercise.yaml": {Data: []byte("id: y\n" + base)}, "x/solution.yaml": {Data: []byte(sol)}},
		"unknown field":   {"x/exercise.yaml": {Data: []byte("id: x\nbogus: 1\n" + base)}, "x/solution.yaml": {Data: []byte(sol)}},
		"no solution":     {"x/exercise.yaml": {Data: []byte("id: x\n" + base)}},
		"unknown lesson":  {"x/exercise.yaml": {Data: []byte("id: x\n" + strings.Replace(base, "node-selector", "nope", 1))}, "x/solution.yaml": {Data: []byte(sol)}},
		"two hints":       {"x/exercise.yaml": {Data: []byte("id: x\n" + strings.Replace(base, "[a, b, c]", "[a, b]", 1))}, "x/solution.yaml": {Data: []byte(sol)}},
		"wrong target":    {"x/exercise.yaml": {Data: []byte("id: x\n" + base)}, "x/solution.yaml": {Data: []byte(strings.Replace(sol, "name: b,", "name: c,", 1))}},
		"unknown kind":    {"x/exercise.yaml": {Data: []byte("id: x\n" + strings.Replace(base, "kind: exists", "kind: magic", 1))}, "x/solution.yaml": {Data: []byte(sol)}},
		"missing setup":   {"x/exercise.yaml": {Data: []byte("id: x\nsetup: {apply: [seed.yaml]}\n" + base)}, "x/solution.yaml": {Data: []byte(sol)}},
		"strict manifest": {"x/exercise.yaml": {Data: []byte("id: x\n" + base)}, "x/solution.yaml": {Data: []byte(strings.Replace(sol, "containers", "containerz", 1))}},
	}
	for name, fsys := range cases {
		if _, err := exercises.LoadFS(fsys); err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
	ok := fstest.MapFS{"x/exercise.yaml": {Data: []byte("id: x\n" + base)}, "x/solution.yaml": {Data: []byte(sol)}}
	if _, err := exercises.LoadFS(ok); err != nil {
		t.Errorf("valid exercise: %v", err)
	}
}
