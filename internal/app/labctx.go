package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/dslab-kr/dslab/internal/cluster"
	"github.com/dslab-kr/dslab/internal/hangul"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/paths"
)

// labCluster is a dslab cluster created on this machine: its name and
// the kubeconfig context its runtime names (embedded: the cluster name;
// kind: "kind-" + name).
type labCluster struct{ name, context string }

// localLabClusters are the dslab clusters created on this machine: one per
// cluster directory under <DataDir>/clusters that records its runtime
// (cluster.RuntimeFile). Sorted by context; nil when there is none.
func localLabClusters(p paths.Paths) []labCluster {
	entries, err := os.ReadDir(filepath.Join(p.DataDir, "clusters"))
	if err != nil {
		return nil
	}
	var out []labCluster
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(p.ClusterDir(e.Name()), cluster.RuntimeFile))
		if err != nil {
			continue
		}
		switch strings.TrimSpace(string(b)) {
		case cluster.RuntimeEmbedded:
			out = append(out, labCluster{e.Name(), e.Name()})
		case cluster.RuntimeKind:
			out = append(out, labCluster{e.Name(), "kind-" + e.Name()})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].context < out[j].context })
	return out
}

// localLabContexts are the kubeconfig contexts of the dslab clusters
// created on this machine (localLabClusters). Sorted; nil when there is
// none.
func localLabContexts(p paths.Paths) []string {
	var out []string
	for _, c := range localLabClusters(p) {
		out = append(out, c.context)
	}
	return out
}

// isLabContext reports whether context names a dslab lab cluster of this
// machine: the default lab contexts (kube.LabContexts) or a cluster made by
// `dslab cluster up --name`.
func isLabContext(p paths.Paths, context string) bool {
	return slices.Contains(kube.LabContexts, context) || slices.Contains(localLabContexts(p), context)
}

// ownLab reports whether the chosen cluster is the learner's own lab (no
// explicit kubeconfig; the default lab context or the context of a dslab
// cluster of this machine): only then are grades recorded.
func (f clusterFlags) ownLab(p paths.Paths) bool {
	return f.kubeconfig == "" && (f.context == "" || isLabContext(p, f.context))
}

// explainMissingLab adds to a missing default context error the one dslab
// cluster of this machine under another name, with the --context to use;
// err is returned unchanged otherwise.
func explainMissingLab(p paths.Paths, t kube.Target, err error) error {
	var ce *kube.ConnectError
	if t.Kubeconfig != "" || t.Context != "" || !errors.As(err, &ce) || ce.Reason != "context" {
		return err
	}
	var others []string
	for _, c := range localLabContexts(p) {
		if !slices.Contains(kube.LabContexts, c) {
			others = append(others, c)
		}
	}
	if len(others) != 1 {
		return err
	}
	return fmt.Errorf("기본 컨텍스트(context) %q %s 없지만 dslab 클러스터 컨텍스트 %q %s 있습니다: --context %s %s 붙여 다시 실행하세요 (%w)",
		ce.Context, hangul.IGa(ce.Context), others[0], hangul.IGa(others[0]), others[0], hangul.EulReul(others[0]), err)
}
