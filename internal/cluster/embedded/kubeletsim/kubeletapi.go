package kubeletsim

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// KubeletAPI configures the simulated kubelet API: the part of the
// kubelet's HTTPS API the apiserver proxies to (`kubectl logs`). One
// listener serves every simulated node.
type KubeletAPI struct {
	Addr     string // 127.0.0.1:port
	CertFile string // serving certificate valid for "localhost"
	KeyFile  string
}

func (k KubeletAPI) port() int {
	_, p, err := net.SplitHostPort(k.Addr)
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(p)
	return n
}

func (s *Simulator) serveKubeletAPI(ctx context.Context) error {
	cert, err := tls.LoadX509KeyPair(s.opts.KubeletAPI.CertFile, s.opts.KubeletAPI.KeyFile)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /containerLogs/{namespace}/{pod}/{container}", s.handleContainerLogs)
	// kubectl exec, attach, port-forward and the kubelet's /run: streams to
	// a process the simulator does not run.
	for _, p := range []string{"/exec/", "/attach/", "/portForward/", "/run/"} {
		mux.HandleFunc(p, handleNoStreams)
	}
	srv := &http.Server{
		Addr:              s.opts.KubeletAPI.Addr,
		Handler:           mux,
		TLSConfig:         &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12},
		ReadHeaderTimeout: 10 * time.Second,
	}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	s.log.Info("simulated kubelet API listening", "addr", s.opts.KubeletAPI.Addr)
	if err := srv.ListenAndServeTLS("", ""); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// handleContainerLogs answers `kubectl logs`: the kubelet's errors for
// containers that never ran, otherwise a few lines that say what ran and
// that the container is simulated.
func (s *Simulator) handleContainerLogs(w http.ResponseWriter, r *http.Request) {
	ns, name, container := r.PathValue("namespace"), r.PathValue("pod"), r.PathValue("container")
	pod, err := s.pods.Pods(ns).Get(name)
	if apierrors.IsNotFound(err) {
		http.Error(w, fmt.Sprintf("pod %q not found", ns+"/"+name), http.StatusNotFound)
		return
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	lines, status, msg := containerLog(pod, container, r.URL.Query().Get("previous") == "true")
	if status != http.StatusOK {
		http.Error(w, msg, status)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = io.WriteString(w, logBody(lines, r.URL.Query()))
}

// logBody is the log text for the kubelet's query options that kubectl
// logs sends: timestamps, tailLines (--tail), limitBytes (--limit-bytes).
func logBody(lines []logLine, q url.Values) string {
	if n, err := strconv.Atoi(q.Get("tailLines")); err == nil && n >= 0 && n < len(lines) {
		lines = lines[len(lines)-n:]
	}
	var b strings.Builder
	for _, l := range lines {
		if q.Get("timestamps") == "true" {
			fmt.Fprintf(&b, "%s %s\n", l.at.UTC().Format(time.RFC3339Nano), l.text)
		} else {
			fmt.Fprintln(&b, l.text)
		}
	}
	out := b.String()
	if n, err := strconv.Atoi(q.Get("limitBytes")); err == nil && n >= 0 && n < len(out) {
		out = out[:n]
	}
	return out
}

// NoStreamsMessage is what `kubectl exec`, `attach` and `port-forward`
// say on the embedded runtime: its kubelets run no containers. kubectl
// prints it after its own prefix ("error: unable to upgrade connection: "),
// so it starts on a line of its own, and no line is wider than 60 cells
// (Hangul two): a terminal would otherwise split a word ("ki/nd",
// "por/t-forward"; issue 14).
const NoStreamsMessage = "\n" +
	"embedded 런타임의 kubelet 은 컨테이너를 실행하지 않으므로\n" +
	"kubectl exec, attach, port-forward 를 쓸 수 없습니다.\n" +
	"파드 상태는 dslab kubectl describe pod <파드> 로 보세요.\n" +
	"컨테이너 안에서 명령을 실행하려면 Docker 가 있는 컴퓨터에서\n" +
	"dslab cluster up --runtime kind 로 클러스터를 만드세요."

// handleNoStreams answers exec, attach, port-forward and run with a Status
// (the apiserver and kubectl show its message) instead of "404 page not
// found".
func handleNoStreams(w http.ResponseWriter, _ *http.Request) {
	st := metav1.Status{
		TypeMeta: metav1.TypeMeta{Kind: "Status", APIVersion: "v1"},
		Status:   metav1.StatusFailure,
		Message:  NoStreamsMessage,
		Reason:   metav1.StatusReasonBadRequest,
		Code:     http.StatusBadRequest,
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadRequest)
	_ = json.NewEncoder(w).Encode(st)
}

type logLine struct {
	at   time.Time
	text string
}

// containerLog returns the simulated log of one container, or the HTTP
// status and message the kubelet would answer with.
func containerLog(pod *corev1.Pod, container string, previous bool) ([]logLine, int, string) {
	var cs *corev1.ContainerStatus
	for i := range pod.Status.ContainerStatuses {
		if pod.Status.ContainerStatuses[i].Name == container {
			cs = &pod.Status.ContainerStatuses[i]
		}
	}
	if cs == nil {
		return nil, http.StatusBadRequest, fmt.Sprintf("container %q in pod %q is not available", container, pod.Name)
	}
	state := cs.State
	if previous {
		if cs.LastTerminationState.Terminated == nil {
			return nil, http.StatusBadRequest, fmt.Sprintf("previous terminated container %q in pod %q not found", container, pod.Name)
		}
		state = cs.LastTerminationState
	}
	if w := state.Waiting; w != nil {
		return nil, http.StatusBadRequest, fmt.Sprintf("container %q in pod %q is waiting to start: %s", container, pod.Name, w.Reason)
	}
	var started time.Time
	switch {
	case state.Running != nil:
		started = state.Running.StartedAt.Time
	case state.Terminated != nil:
		started = state.Terminated.StartedAt.Time
	}
	image := cs.Image
	if previous {
		image = "(이전 실행)"
	}
	return []logLine{
		{started, fmt.Sprintf("[dslab] 컨테이너 %s 시작: 이미지 %s, 노드 %s", container, image, pod.Spec.NodeName)},
		{started, "[dslab] 이 클러스터(embedded 런타임)의 kubelet 은 시뮬레이터라서 컨테이너를 실제로 실행하지 않습니다."},
		{started, "[dslab] 그래서 이 로그는 애플리케이션의 진짜 출력이 아닙니다. 파드의 상태와 이벤트는 다음 명령으로 보세요: kubectl describe pod " + pod.Name + " -n " + pod.Namespace},
		{started, "[dslab] 진짜 컨테이너 로그가 필요하면 Docker 가 있는 컴퓨터에서 kind 런타임을 쓰세요: dslab cluster up --runtime kind"},
	}, http.StatusOK, ""
}
