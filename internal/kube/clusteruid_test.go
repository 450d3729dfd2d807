package kube

import (
	"context"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/dslab-kr/dslab/grader"
)

func TestCaptureClusterUID(t *testing.T) {
	ctx := context.Background()
	opts := CaptureOptions{Targets: []grader.ObjectRef{{Namespace: "dslab", Name: "gpu-monitor"}}, Context: "dslab"}
	ks := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "kube-system", UID: "0b6f3c1e-kube-system"}}
	snap, err := Capture(ctx, fake.NewClientset(append(labNodes(), ks)...), opts)
	if err != nil {
		t.Fatal(err)
	}
	if snap.ClusterUID != "0b6f3c1e-kube-system" {
		t.Fatalf("ClusterUID %q, want the kube-system namespace UID", snap.ClusterUID)
	}
	// Without a readable kube-system namespace the snapshot has no
	// identity, and capturing still works.
	snap, err = Capture(ctx, fake.NewClientset(labNodes()...), opts)
	if err != nil || snap.ClusterUID != "" {
		t.Fatalf("without kube-system: %q %v", snap.ClusterUID, err)
	}
	if _, err := ClusterUID(ctx, fake.NewClientset()); err == nil {
		t.Fatal("ClusterUID without kube-system: want an error")
	}
}
