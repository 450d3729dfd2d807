package grader

import (
	"fmt"
	"strings"
	"time"
)

// KindLabels: the selector and the pod template labels carry Labels, the
// label set a create-it task states ("셀렉터와 파드 레이블: `app: x`").
const KindLabels = "labels"

// reqString prints one requirement of selectorSet's form: "k=v" or
// "k in a,b" / "k exists".
func reqString(key, req string) string {
	if v, ok := strings.CutPrefix(req, "="); ok {
		return key + "=" + v
	}
	return strings.TrimSpace(key + " " + req)
}

// labelPairs prints labels as "k=v, k2=v2" in key order.
func labelPairs(m map[string]string) string {
	var parts []string
	for _, k := range sortedKeys(m) {
		parts = append(parts, k+"="+m[k])
	}
	return strings.Join(parts, ", ")
}

// checkLabels passes when the DaemonSet's spec.selector requires every
// label of c.Labels (matchLabels, or a one-value In) and its pod template
// carries every one of them with the stated value. Only a stated label
// that is missing or has another value fails, quoting the task. Labels
// beyond the stated set still reach the asked state and pass with a
// warning: an extra selector requirement cannot be taken back (spec.selector
// is immutable in apps/v1, k8s.io/kubernetes pkg/apis/apps/validation
// ValidateDaemonSetUpdate), an extra pod label makes other objects'
// selectors on that label pick these pods too.
func (g *gradeCtx) checkLabels(c Check) CheckResult {
	sel, err := selectorSet(g.ds.Selector)
	if err != nil {
		return CheckResult{Message: fmt.Sprintf("spec.selector 를 읽을 수 없습니다: %v", err)}
	}
	tpl := g.ds.Template.Labels
	stated := labelPairs(c.Labels)
	var problems []string
	for _, k := range sortedKeys(c.Labels) {
		v := c.Labels[k]
		want := k + "=" + v
		selReq, inSel := sel[k]
		tplVal, inTpl := tpl[k]
		selOK := inSel && selReq == "="+v
		tplOK := inTpl && tplVal == v
		caseHint := func(got string) string {
			if strings.EqualFold(got, v) {
				return " (레이블 값은 대소문자를 구분합니다)"
			}
			return ""
		}
		switch {
		case selOK && tplOK:
			continue
		case inSel && inTpl && selReq == "="+tplVal:
			// The same other value in both: the API server keeps them
			// matching, so this is the usual typo.
			problems = append(problems, fmt.Sprintf("셀렉터와 파드 레이블이 %s=%s 입니다: %s 합니다%s", k, tplVal, after(want, "여야"), caseHint(tplVal)))
			continue
		case !inSel && !inTpl:
			problems = append(problems, "셀렉터와 파드 레이블에 "+iga(want)+" 없습니다"+typoHint(k, sortedKeys(tpl)))
			continue
		}
		if !selOK {
			switch {
			case inSel:
				problems = append(problems, fmt.Sprintf("셀렉터(spec.selector)의 %s 입니다: %s 합니다%s", reqString(k, selReq), after(want, "여야"), caseHint(strings.TrimPrefix(selReq, "="))))
			default:
				problems = append(problems, "셀렉터(spec.selector)에 "+iga(want)+" 없습니다"+typoHint(k, sortedKeys(sel)))
			}
		}
		if !tplOK {
			switch {
			case inTpl:
				problems = append(problems, fmt.Sprintf("파드 레이블(spec.template.metadata.labels)의 %s=%s 입니다: %s 합니다%s", k, tplVal, after(want, "여야"), caseHint(tplVal)))
			default:
				problems = append(problems, "파드 레이블(spec.template.metadata.labels)에 "+iga(want)+" 없습니다"+typoHint(k, sortedKeys(tpl)))
			}
		}
	}
	if len(problems) > 0 {
		return CheckResult{Message: quote(c, strings.Join(problems, "; "))}
	}
	res := CheckResult{Passed: true, Message: fmt.Sprintf("셀렉터와 파드 레이블에 %s 있습니다", iga(stated))}
	var selExtra []string
	for _, k := range sortedKeys(sel) {
		if _, ok := c.Labels[k]; !ok {
			selExtra = append(selExtra, reqString(k, sel[k]))
		}
	}
	tplExtra := map[string]string{}
	for k, v := range tpl {
		if _, ok := c.Labels[k]; ok {
			continue
		}
		if _, ok := sel[k]; ok {
			continue
		}
		tplExtra[k] = v
	}
	var warns []string
	if len(selExtra) > 0 {
		warns = append(warns, fmt.Sprintf("셀렉터(spec.selector)에 과제에 없는 %s 도 있습니다: 데몬셋은 이 레이블까지 있는 파드만 자기 파드로 고릅니다. 과제의 레이블 세트(%s)를 그대로 기대하는 다른 도구나 셀렉터(과제대로 쓴 매니페스트, 모니터링·정책 설정)와 맞지 않을 수 있고, 데몬셋의 셀렉터는 만든 뒤 바꿀 수 없어(immutable) 과제의 셀렉터로 쓴 매니페스트를 나중에 apply 하면 \"field is immutable\" 로 거부됩니다 — 고치려면 데몬셋을 지우고 다시 만들어야 합니다",
			strings.Join(selExtra, ", "), stated))
	}
	if len(tplExtra) > 0 {
		warns = append(warns, fmt.Sprintf("파드 레이블에 과제에 없는 %s 도 있습니다: 이 레이블로 파드를 고르는 다른 오브젝트(서비스, 네트워크폴리시, 다른 컨트롤러의 셀렉터)가 이 파드까지 고를 수 있고, 과제의 레이블 세트(%s)를 그대로 기대하는 도구와 맞지 않을 수 있습니다",
			labelPairs(tplExtra), stated))
	}
	res.Warning = strings.Join(warns, " / ")
	return res
}

// typoHint names a key among have that looks like a misspelling of key
// (" — key nmae 는 name 의 오타가 아닌가요?"), or "".
func typoHint(key string, have []string) string {
	for _, k := range have {
		if k != key && suggest(k, []string{key}) != "" {
			return fmt.Sprintf(" — key %s %s 의 오타가 아닌가요?", eun(k), key)
		}
	}
	return ""
}

// KindTemplateUnchanged: the target's pod template is still the one it had
// at exercise start (for tasks that say "데몬셋은 고치지 마세요").
const KindTemplateUnchanged = "templateUnchanged"

// checkTemplateUnchanged passes when the DaemonSet existed at exercise
// start (Baseline.Recorded) and its current template is a revision from
// before it: the newest ControllerRevision is the current template (`kubectl
// rollout undo` renumbers the old revision instead of creating one,
// pkg/controller/daemon/update.go constructHistory/dedupCurHistories), and
// a changed template makes a new one. Times are compared at the API's
// one-second resolution. Limitation: a change back to a template the
// DaemonSet already had before the start (an earlier or adopted revision,
// which the controller renumbers instead of creating one) is not seen; the
// baseline does not record the starting revision.
func (g *gradeCtx) checkTemplateUnchanged(c Check) CheckResult {
	b := g.snap.Baseline
	if b == nil || b.Source == "topology" || b.Recorded.IsZero() {
		return CheckResult{Message: fmt.Sprintf("연습을 시작한 시각(기준선)이 없어 데몬셋이 바뀌었는지 확인할 수 없습니다 — dslab exercise start %s 시작하세요", ro(g.spec.ID))}
	}
	start := b.Recorded.Truncate(time.Second)
	if g.ds.Created.After(start) {
		return CheckResult{Message: quote(c, fmt.Sprintf("데몬셋 %s 연습 시작(%s) 뒤 %s 에 새로 만들어졌습니다: 지우고 다시 만들면 모든 노드의 파드가 다시 시작됩니다. 데몬셋은 그대로 두고 노드에 레이블만 붙이면 됩니다 (dslab exercise reset %s 다시 시작할 수 있습니다)",
			iga(g.ds.Ref().String()), g.fmtTime(b.Recorded), g.fmtTime(g.ds.Created), ro(g.spec.ID)))}
	}
	rev, ok := g.ds.newestRevision()
	if ok && rev.Created.After(start) {
		return CheckResult{Message: quote(c, fmt.Sprintf("데몬셋 %s 의 파드 템플릿이 연습 시작(%s) 뒤 %s 에 바뀌었습니다 (리비전 %d): 노드에 레이블을 붙이면 데몬셋 컨트롤러가 알아서 그 노드에 파드를 만듭니다 — 템플릿을 되돌리세요 (dslab kubectl rollout undo ds/%s -n %s)",
			g.ds.Ref().String(), g.fmtTime(b.Recorded), g.fmtTime(rev.Created), rev.Revision, g.ds.Name, g.ds.Namespace))}
	}
	return CheckResult{Passed: true, Message: fmt.Sprintf("데몬셋 %s 의 파드 템플릿이 연습 시작 때 그대로입니다", g.ds.Ref().String())}
}
