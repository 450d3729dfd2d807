package kube

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/dslab-kr/dslab/grader"
)

// Evidence of a learner's work lives in the cluster, in the namespace
// SystemNamespace, so that an instructor who can read the cluster (even
// with a read-only kubeconfig) grades what the learner did, not what the
// cluster happens to look like today:
//
//   - ConfigMap dslab-evidence-<exercise>: the pass of one exercise (its
//     snapshot, when, hints used, attempts) as JSON in data["evidence.json"];
//   - ConfigMap dslab-attempt-<exercise>: the last failing grade of the
//     started exercise (Attempt: its snapshot, when, hints used, attempts)
//     as JSON in data["attempt.json"], so that an exercise the learner
//     left unfinished is graded as attempted, not as not started;
//   - ConfigMap dslab-current: the exercise currently started (data["exercise"]);
//   - ConfigMap dslab-recording-<exercise>: the rollout recorder's
//     observations, gzip-compressed JSON in binaryData["recording.json.gz"].
//
// Every one carries the labels app.kubernetes.io/managed-by=dslab and
// dslab.kr/kind=<evidence|attempt|current|recording> so that a grader can list them.
const (
	// SystemNamespace is where dslab keeps its evidence in a lab cluster.
	SystemNamespace = "dslab-system"
	// EvidenceVersion is the schema version of Evidence written by this code.
	EvidenceVersion = 1

	labelManagedBy = "app.kubernetes.io/managed-by"
	labelKind      = "dslab.kr/kind"
	labelExercise  = "dslab.kr/exercise"

	evidenceKey  = "evidence.json"
	attemptKey   = "attempt.json"
	currentName  = "dslab-current"
	recordingKey = "recording.json.gz"

	// maxEvidenceBytes keeps an evidence ConfigMap well below the 1 MiB
	// object limit of etcd; events are dropped from larger snapshots.
	maxEvidenceBytes = 700 * 1024
)

// Evidence is the recorded pass of one exercise. The stored Score is a
// record of what the learner saw; graders re-grade Snapshot and never
// trust it.
type Evidence struct {
	Version  int    `json:"version"`
	Exercise string `json:"exercise"`
	// PassedAt is when the exercise was first passed.
	PassedAt time.Time `json:"passedAt"`
	// HintsUsed is the number of hints the learner revealed (0..3);
	// Attempts how many times the exercise was started.
	HintsUsed int `json:"hintsUsed"`
	Attempts  int `json:"attempts"`
	Score     int `json:"score"`
	MaxScore  int `json:"maxScore"`
	// Snapshot is the cluster at the passing grade, with its baseline and,
	// for rolling-update, the rollout recording.
	Snapshot grader.Snapshot `json:"snapshot"`
	// Source is SourceLocal for a pass read from the learner's local
	// records (an earlier cluster's), "" for one read from the cluster.
	Source string `json:"source,omitempty"`
}

// Current is the exercise currently started on a cluster.
type Current struct {
	Exercise string    `json:"exercise"`
	Started  time.Time `json:"started"`
}

// Attempt is the last failing grade of an exercise the learner started
// (ConfigMap dslab-attempt-<exercise>). Like Evidence, graders re-grade
// Snapshot; the stored Score is only what the learner saw.
type Attempt struct {
	Version  int    `json:"version"`
	Exercise string `json:"exercise"`
	// GradedAt is when the failing grade was made.
	GradedAt time.Time `json:"gradedAt"`
	// HintsUsed and Attempts are as in Evidence, at GradedAt.
	HintsUsed int `json:"hintsUsed"`
	Attempts  int `json:"attempts"`
	Score     int `json:"score"`
	MaxScore  int `json:"maxScore"`
	// Snapshot is the cluster at the failing grade, with its baseline.
	Snapshot grader.Snapshot `json:"snapshot"`
	// Source is as in Evidence.
	Source string `json:"source,omitempty"`
}

func evidenceName(id string) string  { return "dslab-evidence-" + id }
func attemptName(id string) string   { return "dslab-attempt-" + id }
func recordingName(id string) string { return "dslab-recording-" + id }

func systemLabels(kind, id string) map[string]string {
	l := map[string]string{labelManagedBy: "dslab", labelKind: kind}
	if id != "" {
		l[labelExercise] = id
	}
	return l
}

// ensureSystemNamespace creates SystemNamespace if it does not exist.
func ensureSystemNamespace(ctx context.Context, client kubernetes.Interface) error {
	_, err := client.CoreV1().Namespaces().Get(ctx, SystemNamespace, metav1.GetOptions{})
	if err == nil {
		return nil
	}
	if !apierrors.IsNotFound(err) {
		return err
	}
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: SystemNamespace, Labels: map[string]string{labelManagedBy: "dslab"}}}
	_, err = client.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{})
	if apierrors.IsAlreadyExists(err) {
		return nil
	}
	return err
}

// putConfigMap creates or replaces cm in SystemNamespace.
func putConfigMap(ctx context.Context, client kubernetes.Interface, cm *corev1.ConfigMap) error {
	if err := ensureSystemNamespace(ctx, client); err != nil {
		return err
	}
	cm.Namespace = SystemNamespace
	cms := client.CoreV1().ConfigMaps(SystemNamespace)
	_, err := cms.Update(ctx, cm, metav1.UpdateOptions{FieldManager: FieldManager})
	if apierrors.IsNotFound(err) {
		_, err = cms.Create(ctx, cm, metav1.CreateOptions{FieldManager: FieldManager})
	}
	return err
}

// RecordPass stores the pass of an exercise in the cluster (ConfigMap
// dslab-evidence-<exercise> in SystemNamespace), replacing an earlier one.
// Both the TUI and `dslab grade` call it. Events are dropped from a
// snapshot too large for a ConfigMap.
func RecordPass(ctx context.Context, client kubernetes.Interface, ev Evidence) error {
	ev.Version = EvidenceVersion
	data, err := marshalCapped(&ev, func() { ev.Snapshot.Events = nil })
	if err != nil {
		return err
	}
	cm := &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{Name: evidenceName(ev.Exercise), Labels: systemLabels("evidence", ev.Exercise)},
		Data:       map[string]string{evidenceKey: string(data)},
	}
	if err := putConfigMap(ctx, client, cm); err != nil {
		return fmt.Errorf("연습 %s 의 통과 기록을 클러스터에 저장하지 못했습니다: %w", ev.Exercise, err)
	}
	return nil
}

// marshalCapped is v as JSON; when larger than maxEvidenceBytes, it is
// marshalled again after drop (which removes the snapshot's events).
func marshalCapped(v any, drop func()) ([]byte, error) {
	data, err := json.Marshal(v)
	if err != nil || len(data) <= maxEvidenceBytes {
		return data, err
	}
	drop()
	return json.Marshal(v)
}

// RecordAttempt stores the last failing grade of the started exercise in
// the cluster (ConfigMap dslab-attempt-<exercise> in SystemNamespace),
// replacing the earlier one. `dslab grade` writes it once per grade; the
// live lab at most every few seconds (lab.AttemptWriter). Events are
// dropped from a snapshot too large for a ConfigMap.
func RecordAttempt(ctx context.Context, client kubernetes.Interface, a Attempt) error {
	a.Version = EvidenceVersion
	data, err := marshalCapped(&a, func() { a.Snapshot.Events = nil })
	if err != nil {
		return err
	}
	cm := &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{Name: attemptName(a.Exercise), Labels: systemLabels("attempt", a.Exercise)},
		Data:       map[string]string{attemptKey: string(data)},
	}
	if err := putConfigMap(ctx, client, cm); err != nil {
		return fmt.Errorf("연습 %s 의 시도 기록을 클러스터에 저장하지 못했습니다: %w", a.Exercise, err)
	}
	return nil
}

// LoadAttempts lists the recorded attempts of a cluster by exercise id,
// like LoadEvidence (none, or not allowed to read: an empty map).
func LoadAttempts(ctx context.Context, client kubernetes.Interface) (map[string]Attempt, error) {
	out := map[string]Attempt{}
	list, err := client.CoreV1().ConfigMaps(SystemNamespace).List(ctx, metav1.ListOptions{LabelSelector: labelKind + "=attempt"})
	if apierrors.IsNotFound(err) || apierrors.IsForbidden(err) {
		return out, nil
	}
	if err != nil {
		return nil, fmt.Errorf("시도 기록을 읽을 수 없습니다: %w", err)
	}
	for _, cm := range list.Items {
		var a Attempt
		if json.Unmarshal([]byte(cm.Data[attemptKey]), &a) != nil || a.Exercise == "" || a.Version > EvidenceVersion {
			continue
		}
		out[a.Exercise] = a
	}
	return out, nil
}

// LoadEvidence lists the recorded passes of a cluster by exercise id. A
// cluster without evidence (or a grader not allowed to read it) is an
// empty map; an evidence ConfigMap that cannot be parsed is skipped.
func LoadEvidence(ctx context.Context, client kubernetes.Interface) (map[string]Evidence, error) {
	out := map[string]Evidence{}
	list, err := client.CoreV1().ConfigMaps(SystemNamespace).List(ctx, metav1.ListOptions{LabelSelector: labelKind + "=evidence"})
	if apierrors.IsNotFound(err) || apierrors.IsForbidden(err) {
		return out, nil
	}
	if err != nil {
		return nil, fmt.Errorf("통과 기록(evidence)을 읽을 수 없습니다: %w", err)
	}
	for _, cm := range list.Items {
		var ev Evidence
		if json.Unmarshal([]byte(cm.Data[evidenceKey]), &ev) != nil || ev.Exercise == "" || ev.Version > EvidenceVersion {
			continue
		}
		out[ev.Exercise] = ev
	}
	return out, nil
}

// CurrentName is the name of the ConfigMap (in SystemNamespace) that
// records the exercise started on the cluster (RecordCurrent).
const CurrentName = currentName

// RecordCurrent stores which exercise is started now (ConfigMap
// dslab-current); `exercise start`/`reset` and the TUI call it through
// Preparer.Start.
func RecordCurrent(ctx context.Context, client kubernetes.Interface, c Current) error {
	cm := &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{Name: currentName, Labels: systemLabels("current", "")},
		Data:       map[string]string{"exercise": c.Exercise, "started": c.Started.UTC().Format(time.RFC3339)},
	}
	return putConfigMap(ctx, client, cm)
}

// LoadCurrent reads the exercise currently started; none is (nil, nil).
func LoadCurrent(ctx context.Context, client kubernetes.Interface) (*Current, error) {
	cm, err := client.CoreV1().ConfigMaps(SystemNamespace).Get(ctx, currentName, metav1.GetOptions{})
	if apierrors.IsNotFound(err) || apierrors.IsForbidden(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("시작한 연습 기록을 읽을 수 없습니다: %w", err)
	}
	c := &Current{Exercise: cm.Data["exercise"]}
	if c.Exercise == "" {
		return nil, nil
	}
	c.Started, _ = time.Parse(time.RFC3339, cm.Data["started"])
	return c, nil
}

// SaveRecordingInCluster stores a rollout recording (gzip-compressed JSON:
// eight hours of 2-second heartbeats stay far below the ConfigMap limit).
func SaveRecordingInCluster(ctx context.Context, client kubernetes.Interface, id string, rec *grader.Recording) error {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if err := json.NewEncoder(zw).Encode(rec); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	cm := &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{Name: recordingName(id), Labels: systemLabels("recording", id)},
		BinaryData: map[string][]byte{recordingKey: buf.Bytes()},
	}
	return putConfigMap(ctx, client, cm)
}

// LoadRecordingFromCluster reads the in-cluster rollout recording of an
// exercise; none is (nil, nil). Running is true when the recorder had not
// said it stopped (the grader's machine cannot see the process).
func LoadRecordingFromCluster(ctx context.Context, client kubernetes.Interface, id string) (*grader.Recording, error) {
	cm, err := client.CoreV1().ConfigMaps(SystemNamespace).Get(ctx, recordingName(id), metav1.GetOptions{})
	if apierrors.IsNotFound(err) || apierrors.IsForbidden(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("롤아웃 기록을 읽을 수 없습니다: %w", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(cm.BinaryData[recordingKey]))
	if err != nil {
		return nil, nil
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		return nil, nil
	}
	var rec grader.Recording
	if json.Unmarshal(data, &rec) != nil {
		return nil, nil
	}
	rec.Running = rec.Stopped == nil
	return &rec, nil
}

// DeleteRecordingInCluster removes the in-cluster recording of an
// exercise (an earlier attempt's observations must not mix with a new one).
func DeleteRecordingInCluster(ctx context.Context, client kubernetes.Interface, id string) error {
	err := client.CoreV1().ConfigMaps(SystemNamespace).Delete(ctx, recordingName(id), metav1.DeleteOptions{})
	if apierrors.IsNotFound(err) {
		return nil
	}
	return err
}

// Bundle is everything a grader needs to grade one cluster on every
// exercise: the recorded passes and attempts, the exercise currently started and, for
// it, the live snapshot. `dslab grade --all --save-snapshot FILE` writes
// one; `--snapshot FILE` grades it.
type Bundle struct {
	Kind       string              `json:"kind"` // BundleKind
	Version    int                 `json:"version"`
	CapturedAt time.Time           `json:"capturedAt"`
	Context    string              `json:"context,omitempty"`
	Current    *Current            `json:"current,omitempty"`
	Passes     map[string]Evidence `json:"passes"`
	// Attempts are the last failing grades of exercises the learner started.
	Attempts map[string]Attempt `json:"attempts,omitempty"`
	// Live is the cluster now, with the baseline (and recording) of the
	// current exercise; nil when no exercise is started.
	Live *grader.Snapshot `json:"live,omitempty"`
}

// BundleKind marks a Bundle file (a plain snapshot file has no kind).
const BundleKind = "dslab-evidence-bundle"

// PassedIDs are the exercise ids with a recorded pass, sorted.
func (b Bundle) PassedIDs() []string {
	ids := make([]string, 0, len(b.Passes))
	for id := range b.Passes {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}
