package kube

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/dslab-kr/dslab/grader"
)

func TestEvidenceRoundTrip(t *testing.T) {
	ctx := context.Background()
	client := fake.NewClientset()
	at := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	snap := grader.Snapshot{Version: grader.SnapshotVersion, Nodes: []grader.Node{{Name: "dslab-worker"}},
		Events: []grader.Event{{Message: strings.Repeat("x", maxEvidenceBytes)}}}
	if err := RecordPass(ctx, client, Evidence{Exercise: "gpu-only", PassedAt: at, HintsUsed: 2, Attempts: 3, Snapshot: snap}); err != nil {
		t.Fatal(err)
	}
	if err := RecordPass(ctx, client, Evidence{Exercise: "taints", PassedAt: at}); err != nil {
		t.Fatal(err)
	}
	cm, err := client.CoreV1().ConfigMaps(SystemNamespace).Get(ctx, "dslab-evidence-gpu-only", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if cm.Labels[labelKind] != "evidence" || cm.Labels[labelExercise] != "gpu-only" || len(cm.Data[evidenceKey]) > maxEvidenceBytes {
		t.Errorf("configmap %v, %d bytes", cm.Labels, len(cm.Data[evidenceKey]))
	}
	got, err := LoadEvidence(ctx, client)
	if err != nil || len(got) != 2 {
		t.Fatalf("load: %v %v", got, err)
	}
	ev := got["gpu-only"]
	if ev.Version != EvidenceVersion || ev.HintsUsed != 2 || ev.Attempts != 3 || !ev.PassedAt.Equal(at) || len(ev.Snapshot.Nodes) != 1 || ev.Snapshot.Events != nil {
		t.Errorf("evidence %+v", ev)
	}

	if c, err := LoadCurrent(ctx, client); c != nil || err != nil {
		t.Errorf("current before start: %v %v", c, err)
	}
	if err := RecordCurrent(ctx, client, Current{Exercise: "control-plane", Started: at}); err != nil {
		t.Fatal(err)
	}
	if c, err := LoadCurrent(ctx, client); err != nil || c.Exercise != "control-plane" || !c.Started.Equal(at) {
		t.Errorf("current %+v %v", c, err)
	}

	rec := &grader.Recording{Namespace: "kube-system", Name: "node-exporter", Started: at, Interval: 2 * time.Second}
	for i := range 5000 {
		rec.Samples = append(rec.Samples, grader.Sample{Time: at.Add(time.Duration(i) * 2 * time.Second), Desired: 4, Available: 4})
	}
	if err := SaveRecordingInCluster(ctx, client, "rolling-update", rec); err != nil {
		t.Fatal(err)
	}
	back, err := LoadRecordingFromCluster(ctx, client, "rolling-update")
	if err != nil || back == nil || len(back.Samples) != 5000 || !back.Running {
		t.Fatalf("recording %v", err)
	}
	cm, _ = client.CoreV1().ConfigMaps(SystemNamespace).Get(ctx, "dslab-recording-rolling-update", metav1.GetOptions{})
	if n := len(cm.BinaryData[recordingKey]); n > 200*1024 {
		t.Errorf("5000 samples take %d bytes compressed", n)
	}
}

// Setup objects carry the annotation client-side `kubectl apply` reads,
// holding the object itself as kubectl writes it.
func TestWithLastApplied(t *testing.T) {
	in := []byte(`{"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"a","namespace":"kube-system","annotations":{"x":"y"}},"spec":{"template":{"spec":{"tolerations":[{"key":"k","operator":"Exists"}]}}}}`)
	out, err := withLastApplied(in)
	if err != nil {
		t.Fatal(err)
	}
	var obj struct {
		Metadata struct {
			Annotations map[string]string `json:"annotations"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(out, &obj); err != nil {
		t.Fatal(err)
	}
	last := obj.Metadata.Annotations[LastAppliedAnnotation]
	if !strings.HasSuffix(last, "\n") || obj.Metadata.Annotations["x"] != "y" {
		t.Fatalf("annotations %v", obj.Metadata.Annotations)
	}
	var applied map[string]any
	if err := json.Unmarshal([]byte(last), &applied); err != nil {
		t.Fatal(err)
	}
	var orig map[string]any
	json.Unmarshal(in, &orig)
	a, _ := json.Marshal(applied)
	o, _ := json.Marshal(orig)
	if string(a) != string(o) {
		t.Errorf("last-applied %s\nwant %s", a, o)
	}
	// Applying twice does not nest the annotation.
	again, _ := withLastApplied(out)
	if strings.Count(string(again), "last-applied-configuration") != 1 {
		t.Errorf("nested annotation: %s", again)
	}
}

func TestAttemptRoundTrip(t *testing.T) {
	ctx := context.Background()
	client := fake.NewClientset()
	at := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	snap := grader.Snapshot{Version: grader.SnapshotVersion, Events: []grader.Event{{Message: strings.Repeat("x", maxEvidenceBytes)}}}
	if err := RecordAttempt(ctx, client, Attempt{Exercise: "gpu-only", GradedAt: at, HintsUsed: 1, Attempts: 2, Score: 4, MaxScore: 10, Snapshot: snap}); err != nil {
		t.Fatal(err)
	}
	if err := RecordPass(ctx, client, Evidence{Exercise: "taints", PassedAt: at}); err != nil {
		t.Fatal(err)
	}
	got, err := LoadAttempts(ctx, client)
	if err != nil || len(got) != 1 {
		t.Fatalf("attempts %v %v (a pass is not an attempt)", got, err)
	}
	a := got["gpu-only"]
	if a.Version != EvidenceVersion || !a.GradedAt.Equal(at) || a.HintsUsed != 1 || a.Attempts != 2 || a.Score != 4 || a.Snapshot.Events != nil {
		t.Errorf("attempt %+v", a)
	}
	if ev, _ := LoadEvidence(ctx, client); len(ev) != 1 {
		t.Errorf("evidence %v (an attempt is not a pass)", ev)
	}
}
