package server_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"

	"github.com/dslab-kr/dslab/internal/class/api"
)

// TestDeployManifests checks deploy/class-server.yaml: a Deployment of 2+
// replicas running `dslab class serve --db`, probes on /healthz and /readyz
// on the container's port, and a Service that selects its pods. (A
// server-side dry-run against the embedded cluster is not done here.)
func TestDeployManifests(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "deploy", "class-server.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var dep *appsv1.Deployment
	var svc *corev1.Service
	for _, doc := range strings.Split(string(b), "\n---\n") {
		var meta struct{ Kind string }
		if err := yaml.Unmarshal([]byte(doc), &meta); err != nil {
			t.Fatal(err)
		}
		switch meta.Kind {
		case "Deployment":
			dep = &appsv1.Deployment{}
			if err := yaml.UnmarshalStrict([]byte(doc), dep); err != nil {
				t.Fatal(err)
			}
		case "Service":
			svc = &corev1.Service{}
			if err := yaml.UnmarshalStrict([]byte(doc), svc); err != nil {
				t.Fatal(err)
			}
		}
	}
	if dep == nil || svc == nil {
		t.Fatal("want a Deployment and a Service")
	}
	if dep.Spec.Replicas == nil || *dep.Spec.Replicas < 2 {
		t.Fatalf("replicas %v, want 2+", dep.Spec.Replicas)
	}
	c := dep.Spec.Template.Spec.Containers[0]
	if !slices.Contains(c.Command, "serve") || !slices.Contains(c.Command, "--db") {
		t.Fatalf("command %v", c.Command)
	}
	if c.ReadinessProbe == nil || c.ReadinessProbe.HTTPGet.Path != api.PathReadyz || c.LivenessProbe == nil || c.LivenessProbe.HTTPGet.Path != api.PathHealthz {
		t.Fatal("probes must be /readyz (readiness) and /healthz (liveness)")
	}
	if c.ReadinessProbe.HTTPGet.Port.String() != c.Ports[0].Name {
		t.Fatalf("probe port %s, container port %s", c.ReadinessProbe.HTTPGet.Port.String(), c.Ports[0].Name)
	}
	for k, v := range svc.Spec.Selector {
		if dep.Spec.Template.Labels[k] != v {
			t.Fatalf("service selector %s=%s does not select the pods", k, v)
		}
	}
	if svc.Spec.Ports[0].TargetPort.String() != c.Ports[0].Name {
		t.Fatal("service targetPort is not the container port")
	}
}
