package lab

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/testcluster"
)

// TestIntegrationApplyTypeErrorsInKorean: a value of the wrong YAML type
// (a string where a map or list is expected) and an unsupported enum value
// get their Korean cause on a real embedded cluster, both when the apply
// creates the object and when it patches it (issue 14: on create only
// "kubectl apply 가 실패했습니다", on update "cannot restore map from string"
// after ~500 characters of patch).
func TestIntegrationApplyTypeErrorsInKorean(t *testing.T) {
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
	const good = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: %NAME%
  namespace: default
spec:
  selector:
    matchLabels: {app: %NAME%}
  template:
    metadata:
      labels:
        app: %NAME%
    spec:
      tolerations:
      - {key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}
      containers:
      - name: agent
        image: registry.k8s.io/pause:3.10
`
	doc := func(name string, pairs ...string) string {
		s := strings.ReplaceAll(good, "%NAME%", name)
		return strings.NewReplacer(pairs...).Replace(s)
	}
	cases := []struct {
		name string
		bad  func(name string) string
		want []string
	}{
		{"labels-string", func(n string) string {
			return doc(n, "      labels:\n        app: "+n+"\n", "      labels: app="+n+"\n")
		}, []string{"spec.template.metadata.labels", "맵(map)", "문자열"}},
		{"containers-map", func(n string) string {
			return doc(n, "      containers:\n      - name: agent\n        image: registry.k8s.io/pause:3.10\n", "      containers:\n        name: agent\n        image: registry.k8s.io/pause:3.10\n")
		}, []string{"containers", "목록(list)"}},
		{"effect-case", func(n string) string {
			return doc(n, "effect: NoSchedule", "effect: Noschedule")
		}, []string{"Noschedule", "NoSchedule, PreferNoSchedule, NoExecute", "대소문자"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			check := func(when string, err error) {
				t.Helper()
				var ae *ApplyError
				if !errors.As(err, &ae) {
					t.Fatalf("%s: not an apply error: %v", when, err)
				}
				t.Logf("%s detail:\n%s\nsummary: %s", when, ae.Detail, ae.Summary)
				for _, w := range tc.want {
					if !strings.Contains(ae.Summary, w) {
						t.Errorf("%s: summary %q lacks %q", when, ae.Summary, w)
					}
				}
				if strings.Contains(ae.Summary, genericApplySummary) {
					t.Errorf("%s: summary is the generic %q", when, ae.Summary)
				}
			}
			// On create.
			_, err := ApplyFile(ctx, target, write(tc.name+"-create.yaml", tc.bad(tc.name+"-c")))
			check("create", err)
			// On update: the object exists, the patch is refused.
			upd := tc.name + "-u"
			if _, err := ApplyFile(ctx, target, write(tc.name+"-update.yaml", doc(upd))); err != nil {
				t.Fatalf("good apply: %v", err)
			}
			_, err = ApplyFile(ctx, target, write(tc.name+"-update.yaml", tc.bad(upd)))
			check("update", err)
		})
	}
}
