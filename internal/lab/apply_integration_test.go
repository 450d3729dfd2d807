package lab

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/testcluster"
)

// TestIntegrationApplyFile: the work-file apply is `kubectl apply -f` on a
// real embedded cluster — an object without metadata.namespace goes to the
// context's namespace, every document of a file is applied, and what the
// API server refuses comes back in its own words, whole.
func TestIntegrationApplyFile(t *testing.T) {
	c := testcluster.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	conn, err := kube.Connect(ctx, c.Paths.Kubeconfigs, kube.Target{})
	if err != nil {
		t.Fatal(err)
	}
	target := TargetOf(conn)
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	const ds = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: %NAME%
spec:
  selector:
    matchLabels: {app: %NAME%}
  template:
    metadata:
      labels: {app: %SEL%}
    spec:
      containers:
      - name: agent
        image: registry.k8s.io/pause:3.10
`
	doc := func(name, sel string) string {
		return strings.NewReplacer("%NAME%", name, "%SEL%", sel).Replace(ds)
	}

	// Without metadata.namespace: the context's namespace ("default" for
	// the lab context, as with kubectl).
	ns := "default"
	if raw, err := (&clientcmd.ClientConfigLoadingRules{Precedence: target.Kubeconfigs}).Load(); err == nil {
		if kc := raw.Contexts[target.Context]; kc != nil && kc.Namespace != "" {
			ns = kc.Namespace
		}
	}
	res, err := ApplyFile(ctx, target, write("no-ns.yaml", doc("no-ns", "no-ns")))
	if err != nil {
		t.Fatalf("apply without namespace: %v", err)
	}
	if _, err := conn.Client.AppsV1().DaemonSets(ns).Get(ctx, "no-ns", metav1.GetOptions{}); err != nil {
		t.Fatalf("not in the context's namespace %s: %v (printed %v)", ns, err, res.Lines)
	}
	// kubectl's line, and a Korean note: the namespace came from the context.
	if want := "daemonset.apps/no-ns created (네임스페이스 " + ns + ")"; res.Summary() != want {
		t.Errorf("summary: %q, want %q", res.Summary(), want)
	}

	// Several documents, one of them a namespace the next one uses.
	multi := "apiVersion: v1\nkind: Namespace\nmetadata: {name: applytest}\n---\n" +
		strings.Replace(doc("one", "one"), "  name: one\n", "  name: one\n  namespace: applytest\n", 1) +
		"---\n" + doc("two", "two")
	res, err = ApplyFile(ctx, target, write("multi.yaml", multi))
	if err != nil {
		t.Fatalf("multi-document apply: %v", err)
	}
	if want := []string{"namespace/applytest created", "daemonset.apps/one created", "daemonset.apps/two created (네임스페이스 " + ns + ")"}; strings.Join(res.Lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("multi-document output: %q, want %q (a note only where the file has no namespace)", res.Lines, want)
	}
	for _, r := range [][2]string{{"applytest", "one"}, {ns, "two"}} {
		if _, err := conn.Client.AppsV1().DaemonSets(r[0]).Get(ctx, r[1], metav1.GetOptions{}); err != nil {
			t.Errorf("%s/%s: %v", r[0], r[1], err)
		}
	}

	// Invalid: the selector does not match the template's labels. The
	// server's message is there whole (field path and reason).
	_, err = ApplyFile(ctx, target, write("invalid.yaml", doc("bad", "other")))
	var ae *ApplyError
	if !errors.As(err, &ae) {
		t.Fatalf("invalid object: %v", err)
	}
	for _, want := range []string{`DaemonSet.apps "bad" is invalid`, "spec.template.metadata.labels", "`selector` does not match template `labels`"} {
		if !strings.Contains(ae.Detail, want) {
			t.Errorf("detail lacks %q:\n%s", want, ae.Detail)
		}
	}
	if ae.Summary == "" || strings.Contains(ae.Summary, "invalid") {
		t.Errorf("summary should be Korean: %q", ae.Summary)
	}

	// A misspelt field: strict validation on the server.
	_, err = ApplyFile(ctx, target, write("typo.yaml", strings.Replace(doc("typo", "typo"), "      containers:", "      nodeSelecter: {a: b}\n      containers:", 1)))
	// Client-side apply words it as `kubectl apply -f` prints it.
	if !errors.As(err, &ae) || !strings.Contains(ae.Detail, `unknown field "spec.template.spec.nodeSelecter"`) {
		t.Errorf("typo: %v", err)
	}

	// A YAML error: the parser's message whole.
	_, err = ApplyFile(ctx, target, write("yaml.yaml", "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: x\n spec: [\n"))
	if !errors.As(err, &ae) || !strings.Contains(ae.Detail, "yaml: line") || !strings.HasPrefix(ae.Summary, "YAML") {
		t.Errorf("yaml error: %v", err)
	}

	onePath(t, ctx, c, conn, target, write)
}

// onePath: the TUI's apply and the lab shell's `kubectl apply -f` are one
// apply path — a field applied by either and removed from the file is gone
// after the other applies the file (issue 14 item 1). With the former
// server-side apply (field manager dslab) a toleration set by the shell's
// kubectl stayed after the TUI applied the file without it.
func onePath(t *testing.T, ctx context.Context, c *testcluster.Cluster, conn *kube.Conn, target ApplyTarget, write func(name, content string) string) {
	const base = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: %NAME%
  namespace: default
spec:
  selector:
    matchLabels: {app: %NAME%}
  template:
    metadata:
      labels: {app: %NAME%}
    spec:
%TOL%      containers:
      - name: agent
        image: registry.k8s.io/pause:3.10
`
	const tol = "      tolerations:\n      - {key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}\n"
	manifest := func(name string, withTol bool) string {
		t := ""
		if withTol {
			t = tol
		}
		return strings.NewReplacer("%NAME%", name, "%TOL%", t).Replace(base)
	}
	shellApply := func(path string) {
		t.Helper()
		if _, stderr, err := c.Run(ctx, "kubectl", "apply", "-f", path); err != nil {
			t.Fatalf("shell kubectl apply -f %s: %v\n%s", path, err, stderr)
		}
	}
	tuiApply := func(path string) {
		t.Helper()
		if _, err := ApplyFile(ctx, target, path); err != nil {
			t.Fatalf("TUI apply %s: %v", path, err)
		}
	}
	tolerations := func(name string) int {
		t.Helper()
		ds, err := conn.Client.AppsV1().DaemonSets("default").Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return len(ds.Spec.Template.Spec.Tolerations)
	}
	for _, tc := range []struct {
		name         string
		first, later func(string)
	}{
		{"shell-then-tui", shellApply, tuiApply},
		{"tui-then-shell", tuiApply, shellApply},
	} {
		file := tc.name + ".yaml"
		tc.first(write(file, manifest(tc.name, true)))
		if n := tolerations(tc.name); n != 1 {
			t.Fatalf("%s: %d tolerations after the first apply, want 1", tc.name, n)
		}
		tc.later(write(file, manifest(tc.name, false)))
		if n := tolerations(tc.name); n != 0 {
			t.Errorf("%s: the toleration removed from the file is still there (%d)", tc.name, n)
		}
	}
}
