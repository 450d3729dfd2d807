package kubeletsim

import (
	"net/http"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestContainerLog(t *testing.T) {
	node := testNode()
	pod := testPod("nginx:1.27")
	pod.Status, _, _ = desiredStatus(pod, node, "10.244.1.2", metav1.Now(), testPuller())

	lines, status, _ := containerLog(pod, "app", false)
	if status != http.StatusOK || len(lines) == 0 || !strings.Contains(lines[0].text, "nginx:1.27") {
		t.Fatalf("running container: %d %+v", status, lines)
	}
	if _, status, msg := containerLog(pod, "app", true); status != http.StatusBadRequest || !strings.Contains(msg, `previous terminated container "app"`) {
		t.Errorf("previous without a restart: %d %q", status, msg)
	}
	if _, status, msg := containerLog(pod, "nope", false); status != http.StatusBadRequest || !strings.Contains(msg, `container "nope"`) {
		t.Errorf("unknown container: %d %q", status, msg)
	}

	// After an in-place image change the previous run has a log too.
	pod.Spec.Containers[0].Image = "nginx:1.28"
	pod.Status, _, _ = desiredStatus(pod, node, "", metav1.Now(), testPuller())
	if _, status, _ := containerLog(pod, "app", true); status != http.StatusOK {
		t.Errorf("previous after restart: %d", status)
	}

	bad := testPod("Bad:Image!")
	bad.Status, _, _ = desiredStatus(bad, node, "10.244.1.3", metav1.Now(), testPuller())
	if _, status, msg := containerLog(bad, "app", false); status != http.StatusBadRequest || msg != `container "app" in pod "p" is waiting to start: InvalidImageName` {
		t.Errorf("waiting container: %d %q", status, msg)
	}
}
