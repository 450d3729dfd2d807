package lab

import "errors"

// genericApplySummary is applySummary's answer when it knows nothing more
// specific than kubectl's own words.
const genericApplySummary = "kubectl apply 가 실패했습니다"

// ExplainApplyError is the Korean explanation the TUI gives a failed apply
// (applySummary), for the error text msg that `kubectl apply|create|replace
// -f files` printed (`dslab kubectl`, which prints it before kubectl's own
// words): e.g. for `Error from server (NotFound): … namespaces "kube-sytem"
// not found` "네임스페이스 kube-sytem 이 없습니다 (NotFound) — 과제의
// 네임스페이스는 kube-system 입니다 …". taskNS is the started exercise's
// target namespace ("" when none; a work file <id>.yaml among files names
// its exercise's). When there is nothing more specific to say it still
// says, as the TUI does, that the apply failed and that kubectl's words
// follow (issue 14: a learner got kubectl's English alone). It is read at
// the CLI: its advice applies files again with dslab kubectl apply (never
// the TUI's "다시 저장하세요").
func ExplainApplyError(msg string, files []string, taskNS string) string {
	namespaces := map[string]string{}
	for _, f := range files {
		for k, v := range fileNamespaces(f, "") {
			namespaces[k] = v
		}
		if taskNS == "" {
			taskNS = taskNamespace(f)
		}
	}
	s := applySummary(errors.New(msg), namespaces, taskNS, applyAgain(files))
	if where := yamlContext(msg, files); where != "" {
		return s + "\n" + where
	}
	if s == genericApplySummary {
		return s + " — 원인은 아래 kubectl 의 메시지(영문)에 있습니다. 파일을 고친 뒤 " + applyAgain(files)
	}
	return s
}
