package server_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/testcluster"
)

// deployManifests reads deploy/*.yaml into its Deployment and Service
// (strict: an unknown field fails).
func deployManifests(t *testing.T) (*appsv1.Deployment, *corev1.Service) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "..", "deploy", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("deploy/*.yaml: %v", err)
	}
	var b []byte
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		b = append(append(b, data...), []byte("\n---\n")...)
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
	return dep, svc
}

// TestDeployManifests checks deploy/class-server.yaml: a Deployment of 2+
// replicas running `dslab class serve --db`, probes on /healthz and /readyz
// on the container's port, and a Service that selects its pods.
func TestDeployManifests(t *testing.T) {
	dep, svc := deployManifests(t)
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

// TestIntegrationClassDeployDryRun applies deploy/*.yaml to a real embedded
// cluster with a server-side dry run (dryRun=All, strict field validation):
// the API server validates and defaults every object without storing it.
func TestIntegrationClassDeployDryRun(t *testing.T) {
	dep, svc := deployManifests(t)
	c := testcluster.Start(t)
	ctx := context.Background()
	// The namespace must exist for namespaced objects to be admitted.
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: dep.Namespace}}
	if _, err := c.Client.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	opts := metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}, FieldValidation: metav1.FieldValidationStrict}
	gotDep, err := c.Client.AppsV1().Deployments(dep.Namespace).Create(ctx, dep, opts)
	if err != nil {
		t.Fatalf("Deployment refused by the API server: %v", err)
	}
	gotSvc, err := c.Client.CoreV1().Services(svc.Namespace).Create(ctx, svc, opts)
	if err != nil {
		t.Fatalf("Service refused by the API server: %v", err)
	}
	// The answers are the server's defaulted objects; nothing was stored.
	if gotDep.Spec.Strategy.Type != appsv1.RollingUpdateDeploymentStrategyType || *gotDep.Spec.Replicas < 2 {
		t.Fatalf("dry-run Deployment: strategy %q replicas %d", gotDep.Spec.Strategy.Type, *gotDep.Spec.Replicas)
	}
	p := gotDep.Spec.Template.Spec.Containers[0].ReadinessProbe
	if p == nil || p.HTTPGet.Path != api.PathReadyz || p.TimeoutSeconds == 0 {
		t.Fatalf("readiness probe not defaulted by the server: %+v", p)
	}
	if gotSvc.Spec.Type != corev1.ServiceTypeClusterIP || len(gotSvc.Spec.Ports) == 0 || gotSvc.Spec.Ports[0].Protocol != corev1.ProtocolTCP {
		t.Fatalf("dry-run Service: %+v", gotSvc.Spec)
	}
	if _, err := c.Client.AppsV1().Deployments(dep.Namespace).Get(ctx, dep.Name, metav1.GetOptions{}); err == nil {
		t.Fatal("a dry run stored the Deployment")
	}
}
