package lab

import (
	"errors"
	"os"
	"path/filepath"
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
			[]string{"셀렉터(spec.selector)는 만든 뒤에 바꿀 수 없습니다", "dslab kubectl delete daemonset fluentd-elasticsearch -n kube-system 으로 지운 뒤"}, "<"},
		{"immutable selector after kubectl's patch dump",
			"error when applying patch:\n{}\nto:\nResource: \"apps/v1, Resource=daemonsets\"\nfor: \"ds-basics.yaml\": error when patching \"ds-basics.yaml\": DaemonSet.apps \"fluentd-elasticsearch\" is invalid: spec.selector: Invalid value: v1.LabelSelector{}: field is immutable",
			[]string{"dslab kubectl delete daemonset fluentd-elasticsearch -n kube-system 으로"}, "<"},
		{"selector does not match labels",
			`DaemonSet.apps "fluentd-elasticsearch" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"name":"fluentd"}: ` + "`selector` does not match template `labels`",
			[]string{"셀렉터(spec.selector.matchLabels)가 파드 템플릿의 레이블"}, "검증 실패"},
		{"immutable selector and labels that do not match it: both explained (trainee trial)",
			`The DaemonSet "fluentd-elasticsearch" is invalid: ` + "\n* spec.selector: Invalid value: {\"matchLabels\":{\"name\":\"fluentd\"}}: field is immutable\n* spec.template.metadata.labels: Invalid value: {\"name\":\"fluentd-elasticsearch\"}: `selector` does not match template `labels`",
			[]string{"셀렉터(spec.selector)는 만든 뒤에 바꿀 수 없습니다", "\n셀렉터(spec.selector.matchLabels)가 파드 템플릿의 레이블"}, "검증 실패"},
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
			[]string{"maxUnavailable 과 maxSurge 가 둘 다 0 이라 거부했습니다", "하나를 1 이상으로", "(rollingUpdate.maxUnavailable: cannot be 0 when maxSurge is 0)"}, "patch"},
		// Issue 14: the DaemonSet update strategy's validation errors get
		// their Korean cause, each kind (apps/validation, v1.37).
		{"maxSurge and maxUnavailable both set",
			`DaemonSet.apps "x" is invalid: spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero`,
			[]string{"하나만 0 이 아닐 수 있어", "(rollingUpdate.maxSurge: may not be set when maxUnavailable is non-zero)"}, "검증 실패"},
		{"more than 100%",
			`DaemonSet.apps "x" is invalid: spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater than 100%`,
			[]string{"maxUnavailable 은 100% 를 넘을 수 없어"}, "검증 실패"},
		{"negative",
			`DaemonSet.apps "x" is invalid: spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: -1: must be greater than or equal to 0`,
			[]string{"maxSurge 는 음수일 수 없어"}, "검증 실패"},
		{"not a percent",
			`DaemonSet.apps "x" is invalid: spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: "25": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`,
			[]string{"정수(1)나 퍼센트 문자열"}, "검증 실패"},
		{"unknown strategy type",
			`DaemonSet.apps "x" is invalid: spec.updateStrategy.type: Unsupported value: "Rolling": supported values: "OnDelete", "RollingUpdate"`,
			[]string{"RollingUpdate 나 OnDelete 만"}, "검증 실패"},
		// Issue 14: a value of the wrong YAML type, on create (the
		// decoder names the field) and on update (the patch converter does
		// not: the field is found in the patch), and an enum value in the
		// wrong case. Texts from the v1.37 API server.
		{"string where a map is expected, on create",
			`Error from server (BadRequest): error when creating "x.yaml": DaemonSet in version "v1" cannot be handled as a DaemonSet: json: cannot unmarshal string into Go struct field ObjectMeta.spec.template.metadata.labels of type map[string]string`,
			[]string{"spec.template.metadata.labels 값은 종류(type)가 틀려", "맵(map) 이 와야 하는데 문자열(string) 이 왔습니다", "키: 값"}, genericApplySummary},
		{"map where a list is expected, on create",
			`Error from server (BadRequest): error when creating "x.yaml": DaemonSet in version "v1" cannot be handled as a DaemonSet: json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container`,
			[]string{"spec.template.spec.containers 값은", "목록(list) 이 와야 하는데 맵(map) 이 왔습니다", "- 로 시작"}, genericApplySummary},
		{"string where a map is expected, on update (after kubectl's patch dump)",
			"error when applying patch:\n" + `{"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\"x\":1}\n"}},"spec":{"template":{"metadata":{"labels":"app=x"}}}}` +
				"\nto:\nResource: \"apps/v1, Resource=daemonsets\", GroupVersionKind: \"apps/v1, Kind=DaemonSet\"\nName: \"x\", Namespace: \"default\"\n" +
				`for: "x.yaml": error when patching "x.yaml":  "" is invalid: patch: Invalid value: "map[spec:map[template:map[metadata:map[labels:app=x]]]]": cannot restore map from string`,
			[]string{"spec.template.metadata.labels 값은", "맵(map) 이 와야 하는데 문자열(string) 이 왔습니다"}, "검증 실패"},
		{"map where a list is expected, on update (strategic merge directives skipped)",
			"error when applying patch:\n" + `{"spec":{"template":{"spec":{"$setElementOrder/tolerations":[{"key":"a"}],"tolerations":[{"key":"a","effect":"NoSchedule"}],"containers":{"image":"x","name":"agent"}}}}}` +
				"\nto:\nResource: \"apps/v1, Resource=daemonsets\", GroupVersionKind: \"apps/v1, Kind=DaemonSet\"\nName: \"x\", Namespace: \"default\"\n" +
				`for: "x.yaml": error when patching "x.yaml":  "" is invalid: patch: Invalid value: "map[]": cannot restore slice from map`,
			[]string{"spec.template.spec.containers 값은", "목록(list) 이 와야 하는데 맵(map) 이 왔습니다"}, "검증 실패"},
		{"enum value in the wrong case",
			`Error from server (Invalid): error when creating "x.yaml": DaemonSet.apps "x" is invalid: spec.template.spec.tolerations[0].effect: Unsupported value: "Noschedule": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"`,
			[]string{"spec.template.spec.tolerations[0].effect 값 Noschedule 은 쓸 수 없어", "NoSchedule, PreferNoSchedule, NoExecute 중 하나여야", "대소문자를 구분", "NoSchedule 로 고치세요"}, "검증 실패"},
		{"namespace that does not exist (trainee trial: only kubectl's English)",
			`Error from server (NotFound): error when creating "ds-basics.yaml": namespaces "logging" not found`,
			[]string{"네임스페이스 logging 이 없습니다", "과제의 네임스페이스는 kube-system 입니다", "metadata.namespace 를 kube-system 으로 고치세요"}, "kubectl apply 가 실패했습니다"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := applySummary(errors.New(tc.err), map[string]string{"DaemonSet/fluentd-elasticsearch": "kube-system"}, "kube-system", saveAgain)
			if strings.ContainsAny(got, "`<>") {
				t.Errorf("summary %q has a markdown backtick or a <placeholder>", got)
			}
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

// The namespace in the advice is where kubectl apply put the object: the
// file's metadata.namespace, else the context's.
func TestFileNamespacesDefaultsToTheContext(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.yaml")
	doc := "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: a\n  namespace: monitoring\n---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: b\n"
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	got := fileNamespaces(path, "dslab")
	if got["DaemonSet/a"] != "monitoring" || got["DaemonSet/b"] != "dslab" || len(got) != 2 {
		t.Errorf("fileNamespaces = %v, want a→monitoring, b→dslab", got)
	}
	msg := `DaemonSet.apps "b" is invalid: spec.selector: Invalid value: v1.LabelSelector{}: field is immutable`
	if s := applySummary(errors.New(msg), got, "", saveAgain); !strings.Contains(s, "dslab kubectl delete daemonset b -n dslab 으로 지운 뒤") {
		t.Errorf("summary %q lacks the filled-in command", s)
	}
}

// The task's namespace comes from the work file's name (WorkFile), and a
// missing namespace that is the task's own asks to prepare the exercise
// again.
func TestMissingNamespaceSummary(t *testing.T) {
	if got := taskNamespace(filepath.Join("x", "ds-basics.yaml")); got != "kube-system" {
		t.Errorf("taskNamespace(ds-basics.yaml) = %q, want kube-system", got)
	}
	if got := taskNamespace("notes.yaml"); got != "" {
		t.Errorf("taskNamespace(notes.yaml) = %q, want \"\"", got)
	}
	if got := missingNamespaceSummary("kube-system", "kube-system"); !strings.Contains(got, "연습을 다시 준비하세요") {
		t.Errorf("the task's own namespace missing: %q", got)
	}
	if got := missingNamespaceSummary("logging", ""); !strings.Contains(got, "과제의 네임스페이스로 고치세요") {
		t.Errorf("task namespace unknown: %q", got)
	}
}

// A failed patch's reason comes before the patch kubectl sent (issue 14:
// surge-hostport's 8-line JSON dump came first).
func TestReasonFirst(t *testing.T) {
	detail := "Error from server (Invalid): error when applying patch:\n{\"spec\":{}}\nto:\nResource: \"apps/v1, Resource=daemonsets\"\nName: \"node-exporter\", Namespace: \"monitoring\"\n" +
		"for: \"surge-hostport.yaml\": error when patching \"surge-hostport.yaml\": DaemonSet.apps \"node-exporter\" is invalid: spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0"
	got := reasonFirst(detail)
	lines := strings.Split(got, "\n")
	if !strings.HasPrefix(lines[0], "Error from server (Invalid): for: ") || !strings.HasSuffix(lines[0], "cannot be 0 when maxSurge is 0") {
		t.Errorf("first line is not the reason: %q", lines[0])
	}
	if lines[1] != "보낸 패치(patch):" || lines[2] != `{"spec":{}}` || len(lines) != 6 {
		t.Errorf("the patch does not follow the reason whole:\n%s", got)
	}
	if plain := "DaemonSet.apps \"x\" is invalid: spec.selector: field is immutable"; reasonFirst(plain) != plain {
		t.Errorf("a text without a patch changed: %q", reasonFirst(plain))
	}
}

// The panel shows the server's reason, not kubectl's patch dump (issue
// 14: 50–100 lines per rejection, "6/106줄" at 60x12), and says where the
// whole text is; a short detail is shown as it is.
func TestPanelDetailLeavesThePatchToTheCLI(t *testing.T) {
	long := strings.Repeat(`{\"a\":1},`, 60)
	raw := "error when applying patch:\n" + strings.Repeat(`{"spec":{"x":1}}`+"\n", 80) +
		"to:\nResource: \"apps/v1, Resource=daemonsets\"\nName: \"x\", Namespace: \"default\"\n" +
		`for: "x.yaml": error when patching "x.yaml":  "" is invalid: patch: Invalid value: "` + long + `": cannot restore map from string`
	detail := reasonFirst(raw)
	if !strings.Contains(detail, patchHeading) {
		t.Fatalf("reasonFirst did not move the patch after the reason:\n%s", detail)
	}
	got := PanelDetail(detail)
	if n := strings.Count(got, "\n") + 1; n > panelReasonLines+1 {
		t.Errorf("panel detail has %d lines, want at most %d:\n%s", n, panelReasonLines+1, got)
	}
	for _, w := range []string{"cannot restore map from string", "…\"", "줄 생략", "dslab grade"} {
		if !strings.Contains(got, w) {
			t.Errorf("panel detail lacks %q:\n%s", w, got)
		}
	}
	if strings.Contains(got, `{"spec":{"x":1}}`) || strings.Contains(got, long) {
		t.Errorf("panel detail still has the patch or the long value:\n%s", got)
	}
	short := `DaemonSet.apps "x" is invalid: spec.template.spec.containers[0].image: Required value`
	if got := PanelDetail(short); got != short {
		t.Errorf("short detail changed: %q", got)
	}
}
