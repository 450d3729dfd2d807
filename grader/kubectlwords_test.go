package grader

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// bareKubectlRE matches a kubectl command a text tells the learner to run
// written without dslab in front: "kubectl" and at least two more words
// of a command line ("kubectl label node", "kubectl -n %s delete",
// "kubectl apply -f"), not "dslab kubectl …" and not kubectl named in
// prose ("kubectl 의 메시지", "kubectl apply 가 실패했습니다").
var bareKubectlRE = regexp.MustCompile(`(^|[^\w/-])kubectl( +[-a-z%/.=][^ 가-힣]*){2,}`)

// adviceKubectlAllowed are the strings that may show bare kubectl: the
// lab shell's banner, read inside the lab shell where kubectl is dslab's
// own (internal/lab/shell.go).
var adviceKubectlAllowed = map[string]bool{
	"예: kubectl get nodes -L hardware,disktype": true,
}

// TestAdviceSaysDslabKubectl: lesson 1 says bare kubectl is for the lab
// shell and `dslab kubectl …` runs in any terminal, but the grader's and
// the lab's advice said "kubectl label node dslab-worker hardware=gpu",
// "kubectl -n team-a delete pod …", "kubectl -n dslab delete ds
// node-agent" (issue 14). Every string literal of the packages that write
// advice (grader, internal/lab, internal/kube, exercises' solution steps)
// is scanned for a bare kubectl command line.
func TestAdviceSaysDslabKubectl(t *testing.T) {
	scanned := 0
	for _, dir := range []string{".", "../internal/lab", "../internal/kube", "../exercises"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			fs := token.NewFileSet()
			file, err := parser.ParseFile(fs, f, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(file, func(n ast.Node) bool {
				lit, ok := n.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				s, err := strconv.Unquote(lit.Value)
				if err != nil {
					return true
				}
				scanned++
				for _, line := range strings.Split(s, "\n") {
					if adviceKubectlAllowed[line] {
						continue
					}
					for _, m := range bareKubectlRE.FindAllStringIndex(line, -1) {
						if strings.HasSuffix(line[:m[0]+1], "dslab ") || strings.HasSuffix(line[:m[0]], "dslab") {
							continue
						}
						t.Errorf("%s: advice names bare kubectl (write dslab kubectl …): %q", fs.Position(lit.Pos()), line)
					}
				}
				return true
			})
		}
	}
	if scanned == 0 {
		t.Fatal("no string scanned")
	}
}

// TestBareKubectlRECatchesAdvice checks the scan on the strings
// and on kubectl named in prose.
func TestBareKubectlRECatchesAdvice(t *testing.T) {
	for _, s := range []string{"고치세요: kubectl label node dslab-worker hardware=gpu", "(kubectl -n %s delete pod …)", "지우고(kubectl -n dslab delete ds node-agent)", "kubectl apply -f 로 적용"} {
		if !bareKubectlRE.MatchString(s) {
			t.Errorf("not caught: %q", s)
		}
	}
	for _, s := range []string{"kubectl apply 가 실패했습니다", "아래 kubectl 의 메시지(영문)", "exec x kubectl \"$@\""} {
		if bareKubectlRE.MatchString(s) {
			t.Errorf("prose caught: %q", s)
		}
	}
}
