package grader

import (
	"strings"
	"testing"
	"unicode"
)

// koreanThenServer fails unless msg says something in Korean first and
// then quotes the server's words (server) whole, at the end, in
// parentheses (issue 14: quota-limits' FailedCreate showed the English
// event before any Korean).
func koreanThenServer(t *testing.T, msg, server string) {
	t.Helper()
	at := strings.Index(msg, server)
	if at < 0 {
		t.Errorf("the server's words are not quoted whole:\n%s\nwant %q", msg, server)
		return
	}
	if !strings.HasSuffix(msg, server+")") {
		t.Errorf("the server's words do not close the message in parentheses:\n%s", msg)
	}
	before := msg[:at]
	if !strings.Contains(before, "(") || !strings.ContainsFunc(before[:strings.LastIndex(before, "(")], func(r rune) bool { return unicode.Is(unicode.Hangul, r) }) {
		t.Errorf("no Korean cause before the server's words:\n%s", msg)
	}
}

// Every DaemonSet warning the grader quotes (the node reason of a
// placement check) names the cause in Korean, then the event whole — the
// messages as the API server words them.
func TestDaemonSetEventKoreanFirst(t *testing.T) {
	cases := []struct{ reason, message, cause string }{
		{"FailedCreate", `Error creating: pods "log-agent-7xk2p" is forbidden: failed quota: compute: must specify limits.cpu for: log-agent; limits.memory for: log-agent`,
			"리소스 쿼터(ResourceQuota) compute 가 제한하는 자원의 값(requests/limits)이 컨테이너에 없어"},
		{"FailedCreate", `Error creating: pods "log-agent-7xk2p" is forbidden: exceeded quota: compute, requested: requests.cpu=400m, used: requests.cpu=800m, limited: requests.cpu=1`,
			"리소스 쿼터(ResourceQuota) compute 의 상한을 넘어"},
		{"FailedCreate", `Error creating: pods "agent-7xk2p" is forbidden: maximum cpu usage per Container is 500m, but limit is 1`,
			"리밋 레인지(LimitRange)의 컨테이너당 cpu 최댓값을 벗어나"},
		{"FailedCreate", `Error creating: pods "agent-7xk2p" is forbidden: minimum memory usage per Pod is 64Mi, but request is 32Mi`,
			"리밋 레인지(LimitRange)의 파드당 memory 최솟값을 벗어나"},
		{"FailedCreate", `Error creating: pods "agent-7xk2p" is forbidden: violates PodSecurity "baseline:latest": host namespaces (hostNetwork=true)`,
			"파드 보안 기준(Pod Security Standards)을 어겨"},
		{"FailedCreate", `Error creating: pods "agent-7xk2p" is forbidden: error looking up service account team-a/agent: serviceaccount "agent" not found`,
			"서비스 어카운트(ServiceAccount)가 없어"},
		{"FailedCreate", `Error creating: Pod "agent-7xk2p" is invalid: spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1`,
			"파드 템플릿이 올바르지 않아"},
		{"FailedCreate", `Error creating: Timeout: request did not complete within requested timeout`, "데몬셋 컨트롤러가 파드를 만들지 못했습니다"},
		{"FailedDaemonPod", `Found failed daemon pod team-a/agent-7xk2p on node dslab-worker, will try to kill it`, "실패한 파드를"},
		{"SomethingNew", `a message`, "데몬셋에 경고 이벤트가 있습니다"},
	}
	for _, c := range cases {
		snap := Snapshot{Events: []Event{{Namespace: "team-a", Kind: "DaemonSet", Name: "log-agent", Type: "Warning", Reason: c.reason, Message: c.message}}}
		g := &gradeCtx{snap: snap, ds: &DaemonSet{Namespace: "team-a", Name: "log-agent"}}
		got := g.dsWarnings()
		if !strings.Contains(got, c.cause) {
			t.Errorf("%s %q:\n%s\nwant it to say %q", c.reason, c.message, got, c.cause)
		}
		koreanThenServer(t, got, "데몬셋 이벤트 "+c.reason+": "+c.message)
	}
}

// A pod that is not Ready for a reason the kubelet words (a container
// state, an eviction, the scheduler) is explained in Korean first, the
// kubelet's or scheduler's words after, whole.
func TestPodProblemKoreanFirst(t *testing.T) {
	cases := []struct {
		pod          Pod
		cause, words string
	}{
		{Pod{Name: "a-1", Containers: []ContainerStatus{{Name: "agent", Reason: "CreateContainerConfigError", Message: `configmap "agent-config" not found`}}},
			"파드 a-1 의 컨테이너 agent 가 설정이 잘못되어", `CreateContainerConfigError: configmap "agent-config" not found`},
		{Pod{Name: "a-1", Containers: []ContainerStatus{{Name: "agent", Reason: "OOMKilled"}}},
			"파드 a-1 의 컨테이너 agent 가 메모리 한도", "OOMKilled"},
		{Pod{Name: "a-1", Containers: []ContainerStatus{{Name: "agent", Reason: "RunContainerError", Message: `exec: "agentd": executable file not found in $PATH`}}},
			"파드 a-1 의 컨테이너 agent 가 시작되지 못했습니다", `RunContainerError: exec: "agentd": executable file not found in $PATH`},
		{Pod{Name: "a-1", Phase: "Failed", Reason: "Evicted", Message: "The node was low on resource: memory."},
			"파드 a-1 이 실패(Failed)했습니다: 노드에서 축출(eviction)되었습니다", "Evicted: The node was low on resource: memory."},
		{Pod{Name: "a-1", Phase: "Failed", Reason: "UnexpectedAdmissionError", Message: "Allocate failed"},
			"파드 a-1 이 실패(Failed)했습니다", "UnexpectedAdmissionError: Allocate failed"},
		{Pod{Name: "a-1", Phase: "Pending", Unschedulable: "Unschedulable: 0/4 nodes are available: 4 Insufficient cpu."},
			"파드 a-1 이 스케줄되지 못했습니다", "Unschedulable: 0/4 nodes are available: 4 Insufficient cpu."},
	}
	for _, c := range cases {
		got := podProblem(c.pod)
		if !strings.HasPrefix(got, c.cause) {
			t.Errorf("podProblem = %q, want it to start with %q", got, c.cause)
		}
		koreanThenServer(t, got, c.words)
	}
}
