package render

import (
	"strings"
	"testing"
)

// The two breaks a trainee saw in dslab's CLI output (issue 14): a particle
// written one space after its word, and a unit after a number, each alone
// at the start of the next line. At every width, in both wrapping modes, no
// line may start with them.
func TestWrapKeepsParticleAndUnitWithTheirWord(t *testing.T) {
	cases := []struct {
		name, in string
		pair     string // must stand on one line
		orphan   string // must never start a line
	}{
		{
			name:   "particle after a parenthesised Latin word",
			in:     "  적용: dslab kubectl apply -f /home/u/.local/share/dslab/work/ds-basics.yaml (TUI 에서는 작업 파일을 저장하면 적용됩니다)",
			pair:   "(TUI 에서는",
			orphan: "에서는",
		},
		{
			name:   "unit after a number",
			in:     "! 메모리: 사용 가능 0.9 GiB: kind 노드 4개에는 약 10.2 GiB 가 필요합니다",
			pair:   "10.2 GiB 가",
			orphan: "GiB",
		},
	}
	for _, c := range cases {
		for _, wrap := range []struct {
			name string
			fn   func(string, int) string
		}{{"Wrap", Wrap}, {"WrapWhole", WrapWhole}} {
			longest := 0
			for _, f := range strings.Fields(c.in) {
				longest = max(longest, Width(f))
			}
			// From the narrowest width that cuts no word (Wrap cuts a word
			// wider than the line) to the width that needs no wrapping.
			for w := longest + 4; w <= Width(c.in); w++ {
				got := wrap.fn(c.in, w)
				for i, l := range strings.Split(got, "\n") {
					if i > 0 && strings.HasPrefix(strings.TrimLeft(l, " "), c.orphan) {
						t.Errorf("%s/%s at %d: line %d starts with %q:\n%s", c.name, wrap.name, w, i, c.orphan, got)
					}
				}
				if !strings.Contains(got, c.pair) {
					t.Errorf("%s/%s at %d: %q broken:\n%s", c.name, wrap.name, w, c.pair, got)
				}
				if strings.Join(strings.Fields(got), " ") != strings.Join(strings.Fields(c.in), " ") {
					t.Errorf("%s/%s at %d: words changed:\n%s", c.name, wrap.name, w, got)
				}
			}
		}
	}
}

// TestGluesTo is the table of what a line may not break before.
func TestGluesTo(t *testing.T) {
	cases := []struct {
		prev, word string
		want       bool
	}{
		// particles after a non-Hangul word (the house convention)
		{"gpu-only", "를", true},
		{"(TUI", "에서는", true},
		{"taints", "는", true},
		{"2026003", "으로", true},
		{"`kubectl`", "로", true},
		{"dslab-worker2", "의", true},
		{"NotReady", "이고", true},
		{"Ready", "입니다.", true},
		{"kubelet", "이", true},
		{"DaemonSet", "과", true},
		{"<none>", "이면", true},
		{"worker2", "까지", true},
		{"v1.37", "부터", true},
		{"API", "처럼", true},
		{"cache", "보다", true},
		{"\"app\"", "라고", true},
		{"spec.selector", "이라고", true},
		{"hostPort", "와", true},
		{"dslab", "도", true},
		{"dslab", "만", true},
		{"dslab", "에서는,", true},
		// not after Hangul or the end of a sentence: 이 is "this" there
		{"끝났습니다.", "이", false},
		{"노드", "이", false},
		{"dslab:", "이", false},
		// not a particle
		{"dslab", "노드", false},
		{"dslab", "이름", false},
		{"gpu-only", "연습", false},
		// units after a number
		{"10.2", "GiB", true},
		{"512", "MiB", true},
		{"1", "B", true},
		{"30", "초", true},
		{"30", "초가", true},
		{"5", "분", true},
		{"3", "개", true},
		{"3", "개를", true},
		{"2", "명", true},
		{"85", "%", true},
		{"20", "s", true},
		{"250", "ms", true},
		{"(10.2", "GiB)", true},
		// not a unit, or not after a number
		{"dslab", "GiB", false},
		{"10", "노드", false},
		{"10", "개발", false},
		{"3", "kubectl", false},
		// closing punctuation standing alone
		{"있음", ")", true},
		{"dslab", ").", true},
		{"dslab", "(", false},
		// a flag and its value ("-n kube-system", issue 14)
		{"-n", "kube-system", true},
		{"kubectl -n", "kube-system", true},
		{"--runtime", "embedded", true},
		{"(-o", "wide)", true},
		{"-l", "app=agent", true},
		// not a flag, or not a value
		{"-n", "--all", false},
		{"--all", "노드", false},
		{"-", "kube-system", false},
		{"—", "kube-system", false},
		{"--width=60", "dslab", false},
		{"-n", "→", false},
	}
	for _, c := range cases {
		if got := gluesTo(c.prev, c.word); got != c.want {
			t.Errorf("gluesTo(%q, %q) = %v, want %v", c.prev, c.word, got, c.want)
		}
	}
}

// A glued pair is still one word for the rest of wrapping: a particle
// after a backticked command that fits moves with it, and one after a
// command wider than the line follows on the next line without a space.
func TestWrapWholeParticleAfterCommand(t *testing.T) {
	in := "다음 명령 `dslab class join http://192.168.0.10:8080 --code 123456` 으로 참여합니다"
	got := WrapWhole(in, 40)
	for i, l := range strings.Split(got, "\n") {
		if i > 0 && strings.HasPrefix(l, "으로") && !strings.HasPrefix(l, "으로 ") {
			t.Errorf("line %d: %q", i, l)
		}
		if strings.HasPrefix(l, " ") {
			t.Errorf("line %d starts with a space: %q\n%s", i, l, got)
		}
	}
	if strings.Join(strings.Fields(strings.ReplaceAll(got, "`", "")), " ") != strings.Join(strings.Fields(strings.ReplaceAll(in, "`", "")), " ") {
		t.Errorf("words changed:\n%s", got)
	}
	got = WrapWhole(in, 79)
	if !strings.Contains(got, "123456` 으로") {
		t.Errorf("a command that fits keeps its particle:\n%s", got)
	}
}

// Lessons wrap the same way: a particle written one space after a code
// span ("`Terminating` 이") or a unit after a number never starts a line
// of a rendered lesson, at any width.
func TestRenderKeepsParticleWithCodeSpan(t *testing.T) {
	md := "30초가 지나자 `web` 파드는 축출(eviction)되어 `Terminating` 이 되었고, 디플로이먼트는 다른 노드에 새 파드를 만들어 `1/1` 을 되찾았습니다. 여유 메모리는 10.2 GiB 입니다.\n"
	r, err := New(Options{Plain: true})
	if err != nil {
		t.Fatal(err)
	}
	for w := 30; w <= 120; w++ {
		out, err := r.Render(md, w)
		if err != nil {
			t.Fatal(err)
		}
		for i, l := range strings.Split(out, "\n") {
			rest := strings.TrimLeft(l, " ")
			for _, orphan := range []string{"이 되었고", "을 되찾았습니다", "GiB"} {
				if i > 0 && strings.HasPrefix(rest, orphan) {
					t.Errorf("width %d: line %d starts with %q:\n%s", w, i, orphan, out)
				}
			}
		}
	}
}

// Commands of every program dslab's texts name, written without backticks
// (issue 14: `dslab doctor` split "podman machine start"), stay on one line
// when they fit, in both wrapping modes (the TUI's Wrap too); product
// names in prose ("Docker Desktop", "Podman 은") start none.
func TestWrapWholeKeepsShellCommands(t *testing.T) {
	in := "데몬을 시작하세요: sudo systemctl start docker (Docker Desktop 은 앱을 실행, Podman 은 podman machine start 또는 systemctl --user start podman.socket). docker info 가 성공하면 다시 시도하세요. 포트는 ss -ltnp 로 확인하고 -n kube-system 을 붙이세요."
	cmds := []string{"sudo systemctl start docker", "podman machine start", "systemctl --user start podman.socket).", "docker info 가", "ss -ltnp 로", "-n kube-system 을"}
	for name, wrap := range map[string]func(string, int) string{"Wrap": Wrap, "WrapWhole": WrapWhole} {
		for w := 40; w <= Width(in); w++ {
			got := wrap(in, w)
			for _, c := range cmds {
				if Width(c) <= w && !strings.Contains(got, c) {
					t.Errorf("%s at %d: %q split:\n%s", name, w, c, got)
				}
			}
			if strings.Join(strings.Fields(got), " ") != strings.Join(strings.Fields(in), " ") {
				t.Errorf("%s at %d: words changed:\n%s", name, w, got)
			}
		}
	}
	toks := glueCommands(tokens("Docker Desktop 은 Podman 을"), 80)
	if len(toks) != 5 {
		t.Errorf("product names glued as a command: %q", toks)
	}
}
