package render

import (
	"strings"
	"testing"
)

// A command in a code span longer than the line breaks between its
// arguments, never inside one (issue 14 §7: "fluentd-elastic" / "search").
func TestLongCodeSpanBreaksAtSpaces(t *testing.T) {
	r, err := New(Options{Plain: true})
	if err != nil {
		t.Fatal(err)
	}
	md := "확인: `dslab kubectl -n kube-system get pods -o wide -l name=fluentd-elasticsearch` 로 봅니다."
	out, err := r.RenderFlush(md, 40)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"name=fluentd-elasticsearch", "kube-system", "-o", "wide"} {
		found := false
		for _, w := range strings.Fields(out) {
			found = found || w == f
		}
		if !found {
			t.Errorf("%q is not whole:\n%s", f, out)
		}
	}
}

// RenderFlush has no margin and no blank lines around the text; its lines
// fill width (Render leaves two cells each side).
func TestRenderFlush(t *testing.T) {
	r, err := New(Options{Plain: true})
	if err != nil {
		t.Fatal(err)
	}
	md := "# 제목\n\n" + strings.Repeat("파드 ", 60)
	out, err := r.RenderFlush(md, 40)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(out, "\n")
	if lines[0] != "제목" || strings.TrimSpace(lines[len(lines)-1]) == "" {
		t.Errorf("flush output:\n%s", out)
	}
	widest := 0
	for _, l := range lines {
		widest = max(widest, width(l))
		if strings.HasPrefix(l, " ") {
			t.Errorf("line with a margin: %q", l)
		}
	}
	if widest > 40 || widest < 38 {
		t.Errorf("widest line %d cells, want 38..40:\n%s", widest, out)
	}
}

// WithWholeWords never cuts a word: one wider than the line stands whole
// on its own line; without it the word is cut to the width.
func TestWithWholeWords(t *testing.T) {
	r, err := New(Options{Plain: true})
	if err != nil {
		t.Fatal(err)
	}
	md := "보기: `custom-columns=NAME:.metadata.name,TAINTS:.spec.taints` 로 봅니다."
	out, err := r.WithWholeWords().RenderFlush(md, 30)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "\ncustom-columns=NAME:.metadata.name,TAINTS:.spec.taints\n") {
		t.Errorf("whole words:\n%s", out)
	}
	cut, _ := r.RenderFlush(md, 30)
	for _, l := range strings.Split(cut, "\n") {
		if width(l) > 30 {
			t.Errorf("cut: line of %d cells: %q", width(l), l)
		}
	}
}
