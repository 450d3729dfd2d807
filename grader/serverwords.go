package grader

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/dslab-kr/dslab/internal/hangul"
)

// Messages that quote the API server, the controllers or the kubelet
// (events, container states, pod conditions) say the cause in Korean
// first and then the server's own English words, whole, in parentheses
// after their reason: "리소스 쿼터(ResourceQuota) compute 의 상한을 넘어
// API 서버가 파드를 만들지 않습니다 (데몬셋 이벤트 FailedCreate: Error
// creating: …)". The Korean cause is what a learner reads; the server's
// words are what they search for.

// serverWords is "(label reason: message)", the server's words whole,
// without empty parts.
func serverWords(label, reason, message string) string {
	words := strings.TrimSpace(strings.Join(nonEmpty(reason, strings.TrimSpace(message)), ": "))
	if label != "" {
		words = strings.TrimSpace(label + " " + words)
	}
	if words == "" {
		return ""
	}
	return "(" + words + ")"
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// withServerWords joins a Korean cause and the server's words.
func withServerWords(cause, label, reason, message string) string {
	if w := serverWords(label, reason, message); w != "" {
		return cause + " " + w
	}
	return cause
}

var (
	exceededQuotaRE = regexp.MustCompile(`exceeded quota: ([^,\s]+)`)
	failedQuotaRE   = regexp.MustCompile(`failed quota: ([^:\s]+): must specify`)
	limitRangeRE    = regexp.MustCompile(`(maximum|minimum) (\S+) usage per (Container|Pod) is`)
)

// dsEventCause is the Korean cause of a DaemonSet warning event (the
// DaemonSet controller's FailedCreate, FailedDaemonPod, …), decided from
// the event's reason and message as Kubernetes words them.
func dsEventCause(reason, message string) string {
	switch reason {
	case "FailedCreate":
		switch {
		case failedQuotaRE.MatchString(message):
			q := failedQuotaRE.FindStringSubmatch(message)[1]
			return fmt.Sprintf("리소스 쿼터(ResourceQuota) %s 제한하는 자원의 값(requests/limits)이 컨테이너에 없어 API 서버가 파드를 만들지 않습니다", iga(q))
		case exceededQuotaRE.MatchString(message):
			q := exceededQuotaRE.FindStringSubmatch(message)[1]
			return fmt.Sprintf("리소스 쿼터(ResourceQuota) %s 의 상한을 넘어 API 서버가 파드를 더 만들지 않습니다", q)
		case limitRangeRE.MatchString(message):
			m := limitRangeRE.FindStringSubmatch(message)
			bound := "최댓값"
			if m[1] == "minimum" {
				bound = "최솟값"
			}
			per := "컨테이너당"
			if m[3] == "Pod" {
				per = "파드당"
			}
			return fmt.Sprintf("리밋 레인지(LimitRange)의 %s %s %s 벗어나 API 서버가 파드를 만들지 않습니다", per, m[2], bound+hangul.EulReul(bound))
		case strings.Contains(message, "violates PodSecurity"):
			return "네임스페이스의 파드 보안 기준(Pod Security Standards)을 어겨 API 서버가 파드를 만들지 않습니다"
		case strings.Contains(message, "serviceaccount") || strings.Contains(message, "service account"):
			return "파드 템플릿의 서비스 어카운트(ServiceAccount)가 없어 API 서버가 파드를 만들지 않습니다"
		case strings.Contains(message, " is invalid"):
			return "파드 템플릿이 올바르지 않아 API 서버가 파드를 만들지 않습니다"
		case strings.Contains(message, "forbidden"):
			return "API 서버가 파드 생성을 거부했습니다"
		}
		return "데몬셋 컨트롤러가 파드를 만들지 못했습니다"
	case "FailedDaemonPod":
		return "실패한 파드를 데몬셋 컨트롤러가 지우고 다시 만드는 중입니다"
	case "FailedPlacement":
		return "데몬셋 컨트롤러가 파드를 노드에 배치하지 못했습니다"
	}
	return "데몬셋에 경고 이벤트가 있습니다"
}

// containerCause is the Korean state of a container that is not Ready,
// for a waiting or terminated reason the image and crash cases of
// podProblem do not cover.
func containerCause(reason string) string {
	switch reason {
	case "ContainerCreating":
		return "아직 만들어지는 중입니다"
	case "PodInitializing":
		return "초기화 컨테이너(init container)가 끝나기를 기다리는 중입니다"
	case "CreateContainerConfigError":
		return "설정이 잘못되어 만들어지지 못했습니다 (없는 컨피그맵(ConfigMap)이나 시크릿(Secret)을 참조하는지 보세요)"
	case "CreateContainerError", "RunContainerError", "StartError", "ContainerCannotRun":
		return "시작되지 못했습니다"
	case "OOMKilled":
		return "메모리 한도(limits.memory)를 넘어 강제 종료되었습니다"
	case "Error":
		return "오류로 종료되었습니다"
	case "Completed":
		return "끝나 버렸습니다 (데몬셋의 컨테이너는 계속 실행되어야 합니다)"
	}
	return "Ready 가 아닙니다"
}

// podFailedCause is the Korean cause of a pod in phase Failed.
func podFailedCause(reason string) string {
	switch reason {
	case "Evicted":
		return "노드에서 축출(eviction)되었습니다"
	case "NodeAffinity":
		return "노드가 파드의 노드 조건에 맞지 않아 kubelet 이 거부했습니다"
	case "OutOfcpu", "OutOfmemory", "OutOfpods":
		return "노드의 자원이 모자라 kubelet 이 거부했습니다"
	case "Shutdown", "Terminated":
		return "노드가 꺼지면서 종료되었습니다"
	}
	return ""
}
