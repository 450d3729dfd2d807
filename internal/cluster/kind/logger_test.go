package kind

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

func TestTranslateLine(t *testing.T) {
	for in, want := range map[string]string{
		`Creating cluster "dslab" ...`:                          `kind: 클러스터 "dslab" 을 만듭니다`,
		` • Ensuring node image (kindest/node:v1.37.0) 🖼  ...`:  "kind: • 노드 이미지(node image) 확인 (kindest/node:v1.37.0) …",
		` ✓ Ensuring node image (kindest/node:v1.37.0) 🖼`:       "kind: ✓ 노드 이미지(node image) 확인 (kindest/node:v1.37.0)",
		` ✗ Ensuring node image (kindest/node:v1.37.0) 🖼`:       "kind: ✗ 노드 이미지(node image) 확인 (kindest/node:v1.37.0) 실패",
		` • Preparing nodes 📦 📦 📦 📦   ...`:                      "kind: • 노드 컨테이너 준비 …",
		` ✓ Writing configuration 📜`:                            "kind: ✓ 설정(configuration) 쓰기",
		` ✓ Starting control-plane 🕹️`:                          "kind: ✓ 컨트롤 플레인(control plane) 시작",
		` ✓ Installing CNI 🔌`:                                   "kind: ✓ 네트워크 플러그인(CNI) 설치",
		` ✓ Installing StorageClass 💾`:                          "kind: ✓ 스토리지클래스(StorageClass) 설치",
		` ✓ Joining worker nodes 🚜`:                             "kind: ✓ 워커 노드(worker node) 합류",
		` • Waiting ≤ 5m0s for control-plane = Ready ⏳  ...`:    "kind: • 컨트롤 플레인 Ready 대기 …",
		` • Ready after 12s 💚`:                                  "kind: 컨트롤 플레인 Ready (12s)",
		`Deleting cluster "dslab" ...`:                          `kind: 클러스터 "dslab" 을 지웁니다`,
		`Deleted nodes: ["dslab-worker" "dslab-control-plane"]`: `kind: Deleted nodes: ["dslab-worker" "dslab-control-plane"]`,
		` • Something new in a later kind 🎉 ...`:                "kind: • Something new in a later kind",
	} {
		if got := TranslateLine(in); got != want {
			t.Errorf("TranslateLine(%q)\n got %q\nwant %q", in, got, want)
		}
	}
}

func TestProgressLoggerForwardsOnlyUserLines(t *testing.T) {
	var lines []string
	var logBuf bytes.Buffer
	l := newProgressLogger(func(s string) { lines = append(lines, s) },
		slog.New(slog.NewTextHandler(&logBuf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	l.V(0).Infof("Creating cluster %q ...\n", "dslab")
	l.V(0).Infof(" • %s  ...\n", "Ensuring node image (kindest/node:v1.37.0) 🖼")
	l.V(1).Infof("Pulling image: %s ...", "kindest/node:v1.37.0")
	l.Warn("cgroup v1 is deprecated in Kubernetes and will not be supported in a future kind release, please upgrade to cgroup v2")
	l.V(0).Info("\n")
	if len(lines) != 2 { // kind's "Creating cluster" is announced by Up itself
		t.Fatalf("progress lines %q", lines)
	}
	if !strings.Contains(lines[1], "cgroup v1") || !strings.Contains(lines[1], "지원을 중단(deprecated)") {
		t.Errorf("warning %q", lines[1])
	}
	if !strings.Contains(logBuf.String(), "Pulling image") {
		t.Errorf("debug line not in the log file:\n%s", logBuf.String())
	}
	if !l.V(1).Enabled() || !l.V(0).Enabled() {
		t.Error("levels not enabled with a debug log")
	}
	quiet := newProgressLogger(nil, nil)
	if quiet.V(1).Enabled() {
		t.Error("debug enabled without a log")
	}
	quiet.V(0).Info("no progress callback must not panic")
}
