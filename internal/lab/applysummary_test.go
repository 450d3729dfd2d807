package lab

import (
	"errors"
	"strings"
	"testing"
)

// The learner's most common apply mistakes get a Korean explanation that
// says what to do, not a generic "검증 실패"; the texts are what the
// v1.37 API server and kubectl's strict decoding return.
func TestApplySummaryExplainsCommonMistakes(t *testing.T) {
	for _, tc := range []struct {
		name, err string
		want      []string
		not       string
	}{
		{"immutable selector",
			`DaemonSet.apps "fluentd-elasticsearch" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"name":"fluentd-elasticsearch"}}: field is immutable`,
			[]string{"셀렉터(spec.selector)는 만든 뒤에 바꿀 수 없습니다", "dslab kubectl delete daemonset"}, "검증 실패"},
		{"selector does not match labels",
			`DaemonSet.apps "fluentd-elasticsearch" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"name":"fluentd"}: ` + "`selector` does not match template `labels`",
			[]string{"셀렉터(spec.selector.matchLabels)가 파드 템플릿의 레이블"}, "검증 실패"},
		{"pod field at the DaemonSet's spec",
			`error validating data: unknown field "spec.nodeSelector"`,
			[]string{"spec.nodeSelector 는 이 위치에 올 수 없습니다", "spec.template.spec 아래"}, "철자를 확인하세요"},
		{"misspelled field",
			`strict decoding error: unknown field "spec.template.spec.nodeSelecter"`,
			[]string{"모르는 필드 spec.template.spec.nodeSelecter 가 있어", "철자와 들여쓰기"}, ""},
		{"other validation",
			`DaemonSet.apps "x" is invalid: spec.template.spec.containers[0].image: Required value`,
			[]string{"검증 실패", "spec.template.spec.containers[0].image: Required value"}, ""},
		{"validation after kubectl's patch dump (the reason was off the panel)",
			"error when applying patch:\n{\"spec\":{\"updateStrategy\":{\"rollingUpdate\":{\"maxSurge\":0}}}}\nto:\nResource: \"apps/v1, Resource=daemonsets\"\nfor: \"surge-hostport.yaml\": error when patching \"surge-hostport.yaml\": DaemonSet.apps \"node-exporter\" is invalid: spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0",
			[]string{"검증 실패): spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0"}, "patch"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := applySummary(errors.New(tc.err))
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("summary %q lacks %q", got, w)
				}
			}
			if tc.not != "" && strings.Contains(got, tc.not) {
				t.Errorf("summary %q still says %q", got, tc.not)
			}
		})
	}
}
