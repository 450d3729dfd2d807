package app

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"

	"github.com/dslab-kr/dslab/internal/hangul"
)

// kubectl's command-line errors (its cobra/pflag parsing and its own
// "missing argument" checks), matched by their English text so that a
// person at a terminal reads the cause in Korean first; kubectl's words
// follow unchanged (printKubectlFatal, runKubectl).
var (
	// "unknown flag: --bogus", "unknown shorthand flag: 'x' in -x"
	kubectlUnknownFlagRE = regexp.MustCompile(`(?m)^(?:error: )?unknown (?:shorthand )?flag: (?:'\S' in )?(-\S+)`)
	// "flag needs an argument: 'n' in -n", "flag needs an argument: --namespace"
	kubectlNeedsValueRE = regexp.MustCompile(`(?m)^(?:error: )?flag needs an argument: (?:'(\S)' in -\S+|(--\S+))`)
	// `invalid argument "x" for "-r, --replicas" flag: …`
	kubectlBadValueRE = regexp.MustCompile(`(?m)^(?:error: )?invalid argument "(.*?)" for "(?:-\S, )?(--?\S+?)" flag`)
	// `unknown command "gett" for "kubectl"`, then cobra's suggestions
	kubectlUnknownCommandRE = regexp.MustCompile(`(?m)^(?:error: )?unknown command "(.*?)" for "(.*?)"`)
	// "flags cannot be placed before plugin name: --bogus" (a flag kubectl
	// does not know before the command, k8s.io/kubectl/pkg/cmd/plugin.go)
	kubectlFlagBeforeRE = regexp.MustCompile(`(?m)^(?:Error: )?flags cannot be placed before plugin name: (\S+)`)
	// cobra's argument-count checks and kubectl's own missing arguments
	kubectlArgCountRE = regexp.MustCompile(`(?m)^(?:error: )?(?:accepts (?:at most |between )?\d+.* arg\(s\), received \d+|requires at least \d+ arg\(s\))`)
	kubectlMissingRE  = regexp.MustCompile(`(?im)required resource not specified|is a required argument|^(?:error: )?must specify|^(?:error: )?expected '|you must specify|^(?:error: )?at least one .* is required|^(?:error: )?name is required`)
	// "See 'kubectl get --help' for usage.", "See 'kubectl logs -h' for help and examples"
	kubectlSeeRE = regexp.MustCompile(`See '(kubectl(?: [a-z-]+)*) (?:--help|-h)'`)
)

// kubectlUsageKorean is the Korean first line for kubectl's command-line
// error msg of the command line args: an unknown flag or command, a flag
// without its value or with a bad one, a missing or extra argument — the
// cause named in Korean with kubectl's English term in parentheses and
// where to read more. "" when msg is not one of those (a server's answer,
// an apply failure: lab.ExplainApplyError's).
func kubectlUsageKorean(msg string, args []string) string {
	path := "kubectl"
	if v := kubectlVerb(args); v != "" {
		path += " " + v
	}
	if m := kubectlSeeRE.FindStringSubmatch(msg); m != nil {
		path = m[1]
	}
	help := fmt.Sprintf("도움말: dslab %s --help", path)
	switch {
	case kubectlFlagBeforeRE.MatchString(msg):
		flag := kubectlFlagBeforeRE.FindStringSubmatch(msg)[1]
		return fmt.Sprintf("kubectl 에는 %s 플래그(flag)가 없습니다 (unknown flag) — 명령(command) 앞에는 kubectl 공통 플래그만 쓸 수 있습니다. 공통 플래그 목록: dslab kubectl options", flag)
	case kubectlUnknownFlagRE.MatchString(msg):
		flag := kubectlUnknownFlagRE.FindStringSubmatch(msg)[1]
		return fmt.Sprintf("%s 에는 %s 플래그(flag)가 없습니다 (unknown flag) — 플래그 목록: dslab %s --help", path, flag, path)
	case kubectlNeedsValueRE.MatchString(msg):
		m := kubectlNeedsValueRE.FindStringSubmatch(msg)
		flag := m[2]
		if m[1] != "" {
			flag = "-" + m[1]
		}
		s := fmt.Sprintf("%s 플래그(flag)에 값이 빠졌습니다 (flag needs an argument) — 플래그 바로 뒤에 값을 적습니다", flag)
		if ex := kubectlFlagExample(flag); ex != "" {
			s += " (예: " + ex + ")"
		}
		return s + ". " + help
	case kubectlBadValueRE.MatchString(msg):
		m := kubectlBadValueRE.FindStringSubmatch(msg)
		q := fmt.Sprintf("%q", m[1])
		return fmt.Sprintf("%s 플래그(flag)의 값 %s %s 쓸 수 없습니다 (invalid argument) — 쓸 수 있는 값은 아래 kubectl 의 설명과 dslab %s --help 에 있습니다", m[2], q, hangul.EunNeun(q), path)
	case kubectlUnknownCommandRE.MatchString(msg):
		m := kubectlUnknownCommandRE.FindStringSubmatch(msg)
		s := fmt.Sprintf("%s 에는 %s 명령(command)이 없습니다 (unknown command)", m[2], m[1])
		if dym := didYouMean(kubectlSuggestions(m[1], msg)); dym != "" {
			s += ". " + dym
		}
		return s + fmt.Sprintf(" — 명령 목록: dslab %s --help", m[2])
	case kubectlArgCountRE.MatchString(msg):
		return fmt.Sprintf("%s 에 적은 인수(argument)의 개수가 맞지 않습니다 — 쓰는 법은 아래 kubectl 의 설명에 있습니다. %s", path, help)
	case kubectlMissingRE.MatchString(msg):
		return fmt.Sprintf("%s 에 필요한 인수(argument)가 빠졌습니다 — 무엇을 적는지는 아래 kubectl 의 설명에 있습니다. 예와 %s", path, help)
	}
	return ""
}

// kubectlSuggestions orders cobra's "Did you mean this?" candidates in msg
// (tab-indented lines after it) by closeness to typed, the closest first
// (cobra lists them in command order: "set" before "get" for "gett").
func kubectlSuggestions(typed, msg string) []string {
	_, after, ok := strings.Cut(msg, "Did you mean this?")
	if !ok {
		return nil
	}
	var cands []string
	for _, l := range strings.Split(after, "\n") {
		if c := strings.TrimSpace(l); c != "" && strings.HasPrefix(l, "\t") {
			cands = append(cands, c)
		}
	}
	if near := suggest(typed, cands); len(near) > 0 {
		return near
	}
	return cands
}

// kubectlFlagExample is an example of flag with its value for the flags a
// trainee types most ("" for others).
func kubectlFlagExample(flag string) string {
	switch flag {
	case "-n", "--namespace":
		return flag + " kube-system"
	case "-f", "--filename":
		return flag + " ds.yaml"
	case "-o", "--output":
		return flag + " wide"
	case "-l", "--selector":
		return flag + " app=log-agent"
	}
	return ""
}

// heldErr holds what kubectl writes on stderr until it first writes on
// stdout (releasing) or the command ends (release), so that the Korean
// first line of a command-line error comes before kubectl's own lines
// about it ("You must specify the type of resource to get …" is written
// before kubectl's error). Only at a terminal, and not for commands that
// stream (kubectlStreams).
type heldErr struct {
	mu   sync.Mutex
	w    io.Writer
	buf  bytes.Buffer
	open bool
}

func newHeldErr(w io.Writer) *heldErr { return &heldErr{w: w} }

func (h *heldErr) Write(p []byte) (int, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.open {
		return h.w.Write(p)
	}
	return h.buf.Write(p)
}

// release writes what was held and lets later writes through; a nil h
// does nothing.
func (h *heldErr) release() {
	if h == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.open {
		h.open = true
		_, _ = h.w.Write(h.buf.Bytes())
		h.buf.Reset()
	}
}

// releasing is kubectl's stdout while stderr is held: its first write
// releases stderr first.
type releasing struct {
	w io.Writer
	h *heldErr
}

func (r releasing) Write(p []byte) (int, error) {
	r.h.release()
	return r.w.Write(p)
}

// kubectlStreams reports whether the kubectl command line args may run for
// long writing on stderr as it goes (exec, logs, watches …): its stderr is
// never held.
func kubectlStreams(args []string) bool {
	switch kubectlVerb(args) {
	case "exec", "attach", "run", "debug", "logs", "port-forward", "proxy", "edit", "wait", "rollout", "events", "top", "cp", "plugin":
		return true
	}
	for _, a := range args {
		switch {
		case a == "--":
			return false
		case a == "-w", a == "--watch", a == "--watch-only", strings.HasPrefix(a, "--watch="), strings.HasPrefix(a, "--watch-only="):
			return true
		}
	}
	return false
}
