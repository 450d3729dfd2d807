package kubeletsim

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
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

// `kubectl logs --tail=2` and --limit-bytes reach the kubelet as tailLines
// and limitBytes (issue 14: --tail=2 still printed all four lines).
func TestLogBodyHonoursTailAndLimit(t *testing.T) {
	pod := testPod("nginx:1.27")
	pod.Status, _, _ = desiredStatus(pod, testNode(), "10.244.1.2", metav1.Now(), testPuller())
	lines, _, _ := containerLog(pod, "app", false)
	if len(lines) < 3 {
		t.Fatalf("want at least 3 log lines, have %d", len(lines))
	}
	all := logBody(lines, url.Values{})
	if got := strings.Count(all, "\n"); got != len(lines) {
		t.Fatalf("whole log has %d lines, want %d", got, len(lines))
	}
	tail := logBody(lines, url.Values{"tailLines": {"2"}})
	if got := strings.Split(strings.TrimSuffix(tail, "\n"), "\n"); len(got) != 2 || got[1] != lines[len(lines)-1].text {
		t.Errorf("tailLines=2 gave %q", tail)
	}
	if got := logBody(lines, url.Values{"tailLines": {"0"}}); got != "" {
		t.Errorf("tailLines=0 gave %q", got)
	}
	if got := logBody(lines, url.Values{"tailLines": {"100"}}); got != all {
		t.Errorf("tailLines beyond the log gave %q", got)
	}
	if got := logBody(lines, url.Values{"limitBytes": {"7"}}); got != all[:7] {
		t.Errorf("limitBytes=7 gave %q", got)
	}
}

// exec, attach and port-forward answer with a Korean Status, not the mux's
// "404 page not found".
func TestNoStreamsAnswersInKorean(t *testing.T) {
	for _, path := range []string{"/exec/default/p/app?command=sh", "/attach/default/p/app", "/portForward/default/p", "/run/default/p/app"} {
		rec := httptest.NewRecorder()
		handleNoStreams(rec, httptest.NewRequest(http.MethodPost, path, nil))
		var st metav1.Status
		if err := json.Unmarshal(rec.Body.Bytes(), &st); err != nil {
			t.Fatalf("%s: body is not a Status: %v: %q", path, err, rec.Body.String())
		}
		if rec.Code != http.StatusBadRequest || st.Message != NoStreamsMessage {
			t.Errorf("%s: %d %q", path, rec.Code, st.Message)
		}
	}
}

// TestNoStreamsMessageFitsSixtyColumns: the exec/attach/port-forward line
// was one long line that a terminal split inside words ("ki/nd",
// "por/t-forward"; issue 14); kubectl prints it after its own prefix, so
// it starts on a new line and every line is at most 60 cells (Hangul two).
func TestNoStreamsMessageFitsSixtyColumns(t *testing.T) {
	if !strings.HasPrefix(NoStreamsMessage, "\n") {
		t.Errorf("message does not start on a line of its own after kubectl's prefix: %q", NoStreamsMessage)
	}
	for _, l := range strings.Split(NoStreamsMessage, "\n") {
		if w := ansi.StringWidth(l); w > 60 {
			t.Errorf("%d cells > 60: %q", w, l)
		}
	}
}
