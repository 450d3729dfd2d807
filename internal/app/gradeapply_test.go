package app

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/paths"
	"github.com/dslab-kr/dslab/internal/progress"
)

// `dslab grade` says the last apply from the lab failed only when that
// failure is newer than the DaemonSet's last change (or the DaemonSet is
// missing); a success recorded after it, or a change of the DaemonSet
// after it (the shell's kubectl apply), silences it.
func TestLastApplyFailure(t *testing.T) {
	c, _ := loadCatalog()
	ex, err := findExercise(c, "ds-basics")
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	ds := func(changed time.Time) *appsv1.DaemonSet {
		mt := metav1.NewTime(changed)
		st := metav1.NewTime(changed.Add(time.Hour)) // status writes do not count
		return &appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Namespace: ex.Spec.Target.Namespace, Name: ex.Spec.Target.Name,
			CreationTimestamp: metav1.NewTime(t0.Add(-time.Hour)),
			ManagedFields: []metav1.ManagedFieldsEntry{
				{Manager: "kubectl-client-side-apply", Operation: metav1.ManagedFieldsOperationUpdate, Time: &mt},
				{Manager: "kube-controller-manager", Operation: metav1.ManagedFieldsOperationUpdate, Time: &st, Subresource: "status"},
			}}}
	}
	failure := &progress.ApplyRecord{At: t0, Failed: true, Summary: "셀렉터가 레이블과 맞지 않아 거부했습니다", Detail: `The DaemonSet "fluentd-elasticsearch" is invalid: spec.template.metadata.labels: Invalid value`}
	for _, tc := range []struct {
		name string
		rec  *progress.ApplyRecord
		objs []*appsv1.DaemonSet
		want bool
	}{
		{"no DaemonSet", failure, nil, true},
		{"changed before the failure", failure, []*appsv1.DaemonSet{ds(t0.Add(-time.Minute))}, true},
		{"changed after the failure", failure, []*appsv1.DaemonSet{ds(t0.Add(time.Minute))}, false},
		{"a success after it", &progress.ApplyRecord{At: t0.Add(time.Second)}, nil, false},
		{"no apply recorded", nil, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store := progress.New(filepath.Join(t.TempDir(), "p.json"))
			store.UpdateExercise(ex.ID, func(e *progress.ExerciseProgress) { e.LastApply = tc.rec })
			// The simple clientset keeps managedFields as given (the
			// field-managing one rewrites them).
			var objs []runtime.Object
			for _, d := range tc.objs {
				objs = append(objs, d)
			}
			client := fake.NewSimpleClientset(objs...) //nolint:staticcheck // see above
			got := lastApplyFailure(context.Background(), store, &kube.Conn{Client: client}, ex)
			if (got != nil) != tc.want {
				t.Fatalf("lastApplyFailure = %+v, want failure %v", got, tc.want)
			}
			if got != nil && (got.Summary != failure.Summary || got.Detail != failure.Detail || !got.At.Equal(t0)) {
				t.Errorf("failure %+v", got)
			}
		})
	}
}

// The text report says first that the last apply failed, with the Korean
// cause and the server's words whole; JSON carries it as lastApplyFailure.
func TestGradeTextSaysLastApplyFailedFirst(t *testing.T) {
	r := grader.Result{Exercise: "ds-basics", Status: grader.StatusNotStarted, MaxScore: 10,
		Checks: []grader.CheckResult{{Title: "워커 노드마다 파드가 하나씩 있다", MaxPoints: 4, Message: "매니페스트를 kubectl apply -f 로 적용했는지 확인하세요"}},
		LastApplyFailure: &grader.ApplyFailure{At: time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC),
			Summary: "셀렉터(spec.selector.matchLabels)가 파드 템플릿의 레이블과 맞지 않아 거부했습니다",
			Detail:  `The DaemonSet "fluentd-elasticsearch" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"name":"fluentd"}: ` + "`selector` does not match template `labels`"}}
	var out bytes.Buffer
	env := Env{Streams: Streams{Out: &out, Err: &bytes.Buffer{}}, Getenv: func(k string) string {
		if k == "COLUMNS" {
			return "80"
		}
		return ""
	}}
	if err := writeResults(env, "text", 0, []grader.Result{r}); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	flat := strings.Join(strings.Fields(text), "")
	first := strings.Index(flat, "마지막으로작업파일을적용했을때")
	if first < 0 {
		t.Fatalf("no word of the failed apply:\n%s", text)
	}
	for _, want := range []string{"셀렉터(spec.selector.matchLabels)가", "`selector`doesnotmatchtemplate`labels`", `"fluentd-elasticsearch"isinvalid`} {
		if !strings.Contains(flat, want) {
			t.Errorf("the report does not say %q:\n%s", want, text)
		}
	}
	if i := strings.Index(flat, "워커노드마다"); i >= 0 && i < first {
		t.Errorf("the failed apply is not said first:\n%s", text)
	}

	out.Reset()
	if err := writeResults(env, "json", 0, []grader.Result{r}); err != nil {
		t.Fatal(err)
	}
	var got map[string]any // one result: one object
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("json: %v\n%s", err, out.String())
	}
	f, ok := got["lastApplyFailure"].(map[string]any)
	if !ok || f["summary"] != r.LastApplyFailure.Summary || f["detail"] != r.LastApplyFailure.Detail {
		t.Errorf("json lastApplyFailure: %v", got["lastApplyFailure"])
	}
}

// Issue 14: grade's advice named work/ds-basics.yaml, which exists only
// under the data directory; it names the work file by its absolute path,
// shell-quoted (a data directory with a space stays one word).
func TestGradeApplyFailureNamesTheWorkFileAbsolute(t *testing.T) {
	r := grader.Result{Exercise: "ds-basics", Status: grader.StatusNotStarted, MaxScore: 10,
		LastApplyFailure: &grader.ApplyFailure{At: time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC),
			Summary: "매니페스트를 읽지 못했습니다 — 다시 저장하세요", Detail: "error: yaml: line 3"}}
	data := "/home/kim/my data/dslab"
	var out bytes.Buffer
	writeApplyFailures(textOut{w: &out, width: 300}, []grader.Result{r}, paths.Paths{DataDir: data})
	want := "dslab kubectl apply -f '" + data + "/work/ds-basics.yaml'"
	if !strings.Contains(out.String(), want) {
		t.Fatalf("no %q in:\n%s", want, out.String())
	}
	if strings.Contains(out.String(), " work/ds-basics.yaml") {
		t.Errorf("a relative work/ path remains:\n%s", out.String())
	}
}
