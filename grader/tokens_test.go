package grader_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/grader"
)

// kebab finds kebab-case identifiers (created-after-label, not-ready) in
// a text; a "--flag" is not one.
var kebab = regexp.MustCompile(`(^|[^A-Za-z0-9_./:=-])([a-z][a-z0-9]*(?:-[a-z0-9]+)+)`)

// namesIn collects every string of a snapshot (keys and values, and their
// pieces split at / = : , and spaces): the Kubernetes names a message may
// quote.
func namesIn(v any, out map[string]bool) {
	add := func(s string) {
		out[s] = true
		for _, f := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune("/=:, .@()[]\"'", r) }) {
			out[f] = true
		}
	}
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			add(k)
			namesIn(x, out)
		}
	case []any:
		for _, x := range v {
			namesIn(x, out)
		}
	case string:
		add(v)
	}
}

// Every text the grader produces for a learner — the report, and each
// node's expected and actual values — is Korean or a Kubernetes name from
// the graded snapshot (a node, a DaemonSet, a label, a pod, an image …) or
// an id the learner types (an exercise or check id): never an internal
// token such as "created-after-label" (issue 14: new-node said "(기대:
// created-after-label, 실제: 파드 없음)"). Every recorded scenario of
// every exercise is graded and scanned.
func TestGraderTextHasNoInternalTokens(t *testing.T) {
	c := catalog(t)
	// Kubernetes' own names a message may cite (the namespace of system
	// components, the controller that evicts for NoExecute taints).
	allowed := map[string]bool{"kube-system": true, "taint-eviction": true}
	for _, ex := range c.All() {
		allowed[ex.ID] = true
		allowed[ex.Spec.Target.Namespace], allowed[ex.Spec.Target.Name] = true, true
		for _, ch := range ex.Spec.Checks {
			allowed[ch.ID] = true
		}
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "exercises", "*", "*.json"))
	if len(files) == 0 {
		t.Fatal("no scenario fixtures")
	}
	bad := map[string][]string{}
	for _, f := range files {
		id := filepath.Base(filepath.Dir(f))
		ex, err := c.Get(id)
		if err != nil {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var snap grader.Snapshot
		var raw any
		if err := json.Unmarshal(data, &snap); err != nil {
			t.Fatal(err)
		}
		_ = json.Unmarshal(data, &raw)
		names := map[string]bool{}
		namesIn(raw, names)
		// The spec's own values (an image, a label) are names too.
		var rawSpec any
		if specJSON, err := json.Marshal(ex.Spec); err == nil && json.Unmarshal(specJSON, &rawSpec) == nil {
			namesIn(rawSpec, names)
		}
		res := grader.Grade(ex.Spec, snap)
		var b strings.Builder
		if err := grader.WriteText(&b, []grader.Result{res}); err != nil {
			t.Fatal(err)
		}
		texts := []string{b.String()}
		for _, ch := range res.Checks {
			texts = append(texts, ch.Message, ch.Warning)
			for _, n := range ch.Nodes {
				texts = append(texts, n.Reason, grader.StateText(n.Expected), grader.StateText(n.Actual))
				// A node's expected/actual value is Korean or a name
				// (issue 14: noexecute-churn said "(기대: running>=60s, 실제:
				// Ready 파드)").
				for _, v := range []string{grader.StateText(n.Expected), grader.StateText(n.Actual)} {
					if v != "-" && !hasHangul(v) && !allNames(v, names) {
						bad[v] = append(bad[v], f+": node "+n.Node+" of check "+ch.ID)
					}
				}
			}
		}
		for _, text := range texts {
			for _, m := range kebab.FindAllStringSubmatch(text, -1) {
				tok := m[2]
				if allowed[tok] || names[tok] {
					continue
				}
				bad[tok] = append(bad[tok], f+": "+firstLineWith(text, tok))
			}
		}
	}
	var toks []string
	for tok := range bad {
		toks = append(toks, tok)
	}
	sort.Strings(toks)
	for _, tok := range toks {
		t.Errorf("internal token %q in grader text, e.g. %s", tok, bad[tok][0])
	}
}

// allNames reports whether every piece of v (split as namesIn splits) is
// a name: "hardware=gpu" and "maintenance=true:NoSchedule" are a label and
// a taint of the snapshot; "running>=60s" is not.
func allNames(v string, names map[string]bool) bool {
	if names[v] {
		return true
	}
	fields := strings.FieldsFunc(v, func(r rune) bool { return strings.ContainsRune("/=:, .@()[]\"'", r) })
	for _, f := range fields {
		if !names[f] {
			return false
		}
	}
	return len(fields) > 0
}

func hasHangul(s string) bool {
	for _, r := range s {
		if r >= 0xAC00 && r <= 0xD7A3 {
			return true
		}
	}
	return false
}

func firstLineWith(text, tok string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, tok) {
			return strings.TrimSpace(l)
		}
	}
	return ""
}
