package kube

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/atomicfile"
	"github.com/dslab-kr/dslab/internal/cluster"
	"github.com/dslab-kr/dslab/internal/hangul"
	"github.com/dslab-kr/dslab/internal/paths"
)

// ExerciseDir is the state directory of one exercise on one cluster:
// $XDG_DATA_HOME/dslab/clusters/<cluster>/exercises/<id>.
func ExerciseDir(p paths.Paths, clusterName, id string) string {
	return filepath.Join(p.ClusterDir(clusterName), "exercises", id)
}

// BaselineFile is the baseline of an exercise in its state directory.
func BaselineFile(dir string) string { return filepath.Join(dir, "baseline.json") }

// RecorderDir is where the rollout recorder of an exercise writes.
func RecorderDir(dir string) string { return filepath.Join(dir, "recorder") }

var unsafeName = regexp.MustCompile(`[^a-zA-Z0-9._-]+`)

// StateName is the state directory name for a connection: the lab cluster
// name for the default context; for a kind context "kind-X" the kind
// cluster's own name X (kind names its context "kind-" + name, and
// `dslab cluster up --name X` keeps X's state under clusters/X); else the
// context name (an embedded cluster's context is its name) made path-safe.
func StateName(contextName string) string {
	if contextName == "" || slices.Contains(LabContexts, contextName) {
		return cluster.DefaultName
	}
	if name, ok := strings.CutPrefix(contextName, "kind-"); ok && name != "" {
		contextName = name
	}
	return unsafeName.ReplaceAllString(contextName, "_")
}

// writeFileAtomic writes data to path through a temporary file and rename,
// so that a crash never leaves half a file.
func writeFileAtomic(path string, data []byte) error {
	return atomicfile.WriteFile(path, data, 0o755)
}

// SaveBaseline writes b to path.
func SaveBaseline(path string, b grader.Baseline) error {
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(path, append(data, '\n'))
}

// LoadBaseline reads a baseline; a missing file is (nil, nil).
func LoadBaseline(path string) (*grader.Baseline, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var b grader.Baseline
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("기준선(baseline) 파일 %s %s 손상되었습니다: %w", path, hangul.IGa(path), err)
	}
	b.Source = "state"
	return &b, nil
}

// In-cluster copy of the baseline, so that an instructor grading a
// student's cluster through its kubeconfig sees the student's baseline.
const (
	baselineNamespace = "kube-system"
	baselineKey       = "baseline.json"
)

func baselineConfigMap(id string) string { return "dslab-baseline-" + id }

// SaveBaselineInCluster stores b in a ConfigMap in kube-system.
func SaveBaselineInCluster(ctx context.Context, client kubernetes.Interface, b grader.Baseline) error {
	data, err := json.Marshal(b)
	if err != nil {
		return err
	}
	cm := &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{
			Name: baselineConfigMap(b.Exercise), Namespace: baselineNamespace,
			Labels: map[string]string{"app.kubernetes.io/managed-by": "dslab", "dslab.kr/exercise": b.Exercise},
		},
		Data: map[string]string{baselineKey: string(data)},
	}
	cms := client.CoreV1().ConfigMaps(baselineNamespace)
	_, err = cms.Update(ctx, cm, metav1.UpdateOptions{})
	if apierrors.IsNotFound(err) {
		_, err = cms.Create(ctx, cm, metav1.CreateOptions{})
	}
	return err
}

// LoadBaselineFromCluster reads the in-cluster baseline of an exercise;
// none is (nil, nil).
func LoadBaselineFromCluster(ctx context.Context, client kubernetes.Interface, id string) (*grader.Baseline, error) {
	cm, err := client.CoreV1().ConfigMaps(baselineNamespace).Get(ctx, baselineConfigMap(id), metav1.GetOptions{})
	if apierrors.IsNotFound(err) || apierrors.IsForbidden(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var b grader.Baseline
	if err := json.Unmarshal([]byte(cm.Data[baselineKey]), &b); err != nil {
		return nil, nil
	}
	b.Source = "cluster"
	return &b, nil
}

// TopologyBaseline derives the baseline an exercise start would have
// recorded on a lab cluster: the lab topology plus the exercise's setup
// labels and taints. It returns nil when nodes are not a dslab lab.
func TopologyBaseline(ex exercises.Exercise, nodes []grader.Node) *grader.Baseline {
	name := grader.InferCluster(nodes)
	if name == "" {
		return nil
	}
	topo := cluster.Topology(name)
	if len(topo) != len(nodes) {
		return nil
	}
	byName := map[string]grader.Node{}
	for _, n := range nodes {
		byName[n.Name] = n
	}
	b := &grader.Baseline{Exercise: ex.ID, Cluster: name, Source: "topology"}
	for _, t := range topo {
		cur, ok := byName[t.Name]
		if !ok {
			return nil
		}
		// Labels the runtime adds beyond the topology (kind adds a few) are
		// taken as they are; the topology's own labels win.
		labels := map[string]string{}
		for k, v := range cur.Labels {
			labels[k] = v
		}
		labelKeys, _ := managedKeys(ex)
		for _, k := range labelKeys {
			delete(labels, k)
		}
		for k, v := range t.Labels {
			labels[k] = v
		}
		bn := grader.BaselineNode{Name: t.Name, Labels: labels}
		for _, tt := range t.Taints {
			bn.Taints = append(bn.Taints, corev1.Taint{Key: tt.Key, Value: tt.Value, Effect: corev1.TaintEffect(tt.Effect)})
		}
		b.Nodes = append(b.Nodes, bn)
	}
	for _, ch := range ex.Setup.Labels {
		for i := range b.Nodes {
			if b.Nodes[i].Name == expand(ch.Node, name) {
				if ch.Remove {
					delete(b.Nodes[i].Labels, ch.Key)
				} else {
					b.Nodes[i].Labels[ch.Key] = ch.Value
				}
			}
		}
	}
	for _, ch := range ex.Setup.Taints {
		for i := range b.Nodes {
			if b.Nodes[i].Name == expand(ch.Node, name) {
				b.Nodes[i].Taints = append(b.Nodes[i].Taints, corev1.Taint{Key: ch.Key, Value: ch.Value, Effect: ch.Effect})
			}
		}
	}
	sort.Slice(b.Nodes, func(i, j int) bool { return b.Nodes[i].Name < b.Nodes[j].Name })
	return b
}

// managedKeys are the label keys an exercise's setup touches (kept
// narrow: only this exercise's, plus the topology's hardware/disktype).
func managedKeys(ex exercises.Exercise) (labels, taints []string) {
	l := map[string]bool{"hardware": true, "disktype": true}
	for _, ch := range append(append([]grader.NodeChange(nil), ex.Setup.Labels...), ex.Spec.Changes...) {
		if ch.Kind != "taint" {
			l[ch.Key] = true
		}
	}
	for k := range l {
		labels = append(labels, k)
	}
	sort.Strings(labels)
	return labels, nil
}

// StopRecorders ends every rollout recorder of a cluster (before the
// cluster goes down: a recorder left behind would wait for a cluster that
// is gone).
func StopRecorders(p paths.Paths, clusterName string) error {
	dirs, err := filepath.Glob(filepath.Join(p.ClusterDir(clusterName), "exercises", "*", "recorder"))
	if err != nil {
		return err
	}
	var errs []error
	for _, dir := range dirs {
		errs = append(errs, StopRecorder(dir))
	}
	return errors.Join(errs...)
}
