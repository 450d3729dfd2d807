package grader

import (
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// labelsSnap is ptSnap with the given selector (matchLabels) and template
// labels.
func labelsSnap(sel, tpl map[string]string) Snapshot {
	s := ptSnap(PodTemplate{Labels: tpl, Containers: []Container{{Name: "c", Image: "img"}}}, pt0)
	s.DaemonSets[0].Selector = &metav1.LabelSelector{MatchLabels: sel}
	return s
}

const labelsQuote = "과제: “셀렉터와 파드 레이블: name: fluentd-elasticsearch”"

func labelsCheck() Check {
	return Check{Kind: KindLabels, Labels: map[string]string{"name": "fluentd-elasticsearch"},
		Constraint: "셀렉터와 파드 레이블: `name: fluentd-elasticsearch`"}
}

func TestCheckLabelsExact(t *testing.T) {
	l := map[string]string{"name": "fluentd-elasticsearch"}
	want(t, "exact", ptGrade(t, labelsCheck(), labelsSnap(l, l)), true, "셀렉터와 파드 레이블에 name=fluentd-elasticsearch 가 있습니다", "")
	// A one-value In is the same selector written another way.
	s := labelsSnap(nil, l)
	s.DaemonSets[0].Selector = &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{
		{Key: "name", Operator: metav1.LabelSelectorOpIn, Values: []string{"fluentd-elasticsearch"}}}}
	want(t, "matchExpressions In", ptGrade(t, labelsCheck(), s), true, "name=fluentd-elasticsearch", "")
}

// An extra label reaches the asked state: it passes, with a warning that
// names the risk (the exact set others expect, the immutable selector).
func TestCheckLabelsExtraWarns(t *testing.T) {
	both := map[string]string{"name": "fluentd-elasticsearch", "tier": "logging"}
	r := ptGrade(t, labelsCheck(), labelsSnap(both, both))
	want(t, "extra in selector and template", r, true, "name=fluentd-elasticsearch", "셀렉터(spec.selector)에 과제에 없는 tier=logging 도 있습니다")
	for _, w := range []string{"과제의 레이블 세트(name=fluentd-elasticsearch)를 그대로 기대하는", "immutable", "field is immutable", "데몬셋을 지우고 다시 만들어야"} {
		if !strings.Contains(r.Warning, w) {
			t.Errorf("selector warning lacks %q: %s", w, r.Warning)
		}
	}
	if strings.Contains(r.Warning, "파드 레이블에 과제에 없는") {
		t.Errorf("a selector label warned twice (selector and template): %s", r.Warning)
	}

	r = ptGrade(t, labelsCheck(), labelsSnap(map[string]string{"name": "fluentd-elasticsearch"}, both))
	want(t, "extra in template only", r, true, "name=fluentd-elasticsearch", "파드 레이블에 과제에 없는 tier=logging 도 있습니다")
	if strings.Contains(r.Warning, "immutable") {
		t.Errorf("template-only extra label blamed on the immutable selector: %s", r.Warning)
	}
}

// Only a stated label that is missing or has another value fails, and the
// message quotes the task.
func TestCheckLabelsStatedValueFails(t *testing.T) {
	typo := map[string]string{"name": "fluentd-elasticsearh"}
	want(t, "misspelled value", ptGrade(t, labelsCheck(), labelsSnap(typo, typo)), false,
		"셀렉터와 파드 레이블이 name=fluentd-elasticsearh 입니다: name=fluentd-elasticsearch 여야 합니다 — "+labelsQuote, "")

	upper := map[string]string{"name": "Fluentd-Elasticsearch"}
	want(t, "case", ptGrade(t, labelsCheck(), labelsSnap(upper, upper)), false, "(레이블 값은 대소문자를 구분합니다) — "+labelsQuote, "")

	key := map[string]string{"names": "fluentd-elasticsearch"}
	want(t, "misspelled key", ptGrade(t, labelsCheck(), labelsSnap(key, key)), false,
		"셀렉터와 파드 레이블에 name=fluentd-elasticsearch 가 없습니다 — key names 는 name 의 오타가 아닌가요? — "+labelsQuote, "")

	// The stated label only on the pods, another one in the selector: the
	// selector is stated too.
	other := map[string]string{"app": "fluentd"}
	r := ptGrade(t, labelsCheck(), labelsSnap(other, map[string]string{"app": "fluentd", "name": "fluentd-elasticsearch"}))
	want(t, "selector lacks it", r, false, "셀렉터(spec.selector)에 name=fluentd-elasticsearch 가 없습니다 — "+labelsQuote, "")
	if strings.Contains(r.Message, "파드 레이블(spec") {
		t.Errorf("template blamed although it has the label: %s", r.Message)
	}

	// Another value in the selector by expression.
	s := labelsSnap(nil, map[string]string{"name": "fluentd-elasticsearch"})
	s.DaemonSets[0].Selector = &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{
		{Key: "name", Operator: metav1.LabelSelectorOpExists}}}
	want(t, "exists", ptGrade(t, labelsCheck(), s), false, "셀렉터(spec.selector)의 name exists 입니다: name=fluentd-elasticsearch 여야 합니다", "")
}

func TestValidateLabels(t *testing.T) {
	for _, c := range []Check{{Kind: KindLabels}, {Kind: KindLabels, Labels: map[string]string{"a": "b"}}} {
		c.ID, c.Title, c.Points = "c", "t", 1
		spec := Spec{ID: "x", Target: ObjectRef{Namespace: "ns", Name: "agent"}, Checks: []Check{c}}
		if err := spec.Validate(); err == nil {
			t.Errorf("%+v validated", c)
		}
	}
}

// Image references compare as the runtime resolves them; only another
// image or tag is different.
func TestSameImage(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"busybox:1.37.0", "docker.io/library/busybox:1.37.0", true},
		{"library/busybox:1.37.0", "docker.io/library/busybox:1.37.0", true},
		{"index.docker.io/library/busybox:1.37.0", "busybox:1.37.0", true},
		{"busybox", "docker.io/library/busybox:latest", true},
		{"quay.io/prometheus/node-exporter:v1.9.1", "quay.io/prometheus/node-exporter:v1.9.1", true},
		{"busybox:1.36", "docker.io/library/busybox:1.37.0", false},
		{"busybox:1.37", "busybox:1.37.0", false},
		{"quay.io/busybox:1.37.0", "busybox:1.37.0", false},
		{"localhost:5000/busybox:1.37.0", "busybox:1.37.0", false},
		{"quay.io/prometheus/node-exporter:v1.9.1", "docker.io/prometheus/node-exporter:v1.9.1", false},
	} {
		if got := sameImage(tc.a, tc.b); got != tc.same {
			t.Errorf("sameImage(%q, %q) = %v", tc.a, tc.b, got)
		}
	}
}
