package grader

import (
	"fmt"
	"strings"
	"testing"
	"time"

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

func TestCheckTemplateUnchanged(t *testing.T) {
	c := Check{Kind: KindTemplateUnchanged, Constraint: "데몬셋은 고치지 마세요."}
	snap := func(dsCreated time.Time, revs ...time.Time) Snapshot {
		s := ptSnap(PodTemplate{}, pt0)
		s.DaemonSets[0].Created = dsCreated
		for i, r := range revs {
			s.DaemonSets[0].Revisions = append(s.DaemonSets[0].Revisions, Revision{Revision: int64(i + 1), Hash: fmt.Sprint("h", i), Created: r})
		}
		return s
	}
	before := pt0.Add(-time.Minute)
	want(t, "unchanged", ptGrade(t, c, snap(before, before)), true, "파드 템플릿이 연습 시작 때 그대로입니다", "")
	// The baseline's own second counts as before it.
	s := snap(before, pt0)
	s.Baseline.Recorded = pt0.Add(700 * time.Millisecond)
	want(t, "same second", ptGrade(t, c, s), true, "그대로입니다", "")
	want(t, "changed", ptGrade(t, c, snap(before, before, pt0.Add(time.Minute))), false, "연습 시작(09:00:00) 뒤 09:01:00 에 바뀌었습니다 (리비전 2)", "")
	// rollout undo renumbers the old revision: it is the newest again.
	s = snap(before, before, pt0.Add(time.Minute))
	s.DaemonSets[0].Revisions[0].Revision = 3
	want(t, "undone", ptGrade(t, c, s), true, "그대로입니다", "")
	want(t, "recreated", ptGrade(t, c, snap(pt0.Add(time.Minute), pt0.Add(time.Minute))), false, "새로 만들어졌습니다", "")
	s = snap(before, before)
	s.Baseline = nil
	want(t, "no baseline", ptGrade(t, c, s), false, "dslab exercise start x", "")
}
