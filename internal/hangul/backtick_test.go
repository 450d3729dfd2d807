package hangul

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// plainOutputDirs are the module's directories whose Korean strings reach
// a terminal as plain text (CLI messages, errors, grader messages, cluster
// progress, the class server's messages the CLI and the board print),
// never through the markdown renderer, relative to the module
// root. internal/tui and internal/lab render some texts as markdown and
// are not scanned here.
var plainOutputDirs = []string{"internal/app", "grader", "internal/cluster", "internal/kube", "internal/class/server", "internal/class/client"}

// TestNoBackticksInPlainKoreanStrings fails on a markdown backtick in a
// Korean string literal (or in a literal joined by + to one) of the
// plain-output packages: a terminal shows the backtick itself ("(`dslab
// exercises` 로 …)", issue 14); plain text quotes a command with nothing.
func TestNoBackticksInPlainKoreanStrings(t *testing.T) {
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	files := 0
	err := walkModuleGo(root, fset, func(f *ast.File) {
		rel, err := filepath.Rel(root, fset.Position(f.Pos()).Filename)
		if err != nil || !inPlainOutputDir(filepath.ToSlash(rel)) {
			return
		}
		files++
		for _, lit := range backtickKoreanLiterals(f) {
			t.Errorf("%s: markdown backtick in plain terminal text (write the command without quotes): %s", fset.Position(lit.Pos()), lit.Value)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 30 {
		t.Fatalf("scanned only %d Go files of %v; is the module root right?", files, plainOutputDirs)
	}
}

func inPlainOutputDir(rel string) bool {
	for _, d := range plainOutputDirs {
		if strings.HasPrefix(rel, d+"/") {
			return true
		}
	}
	return false
}

// backtickKoreanLiterals are f's interpreted string literals with a
// backtick that either contain Hangul or are joined by + to one that does
// (`"(`dslab exercise start " + id + "`)"`).
func backtickKoreanLiterals(f *ast.File) []*ast.BasicLit {
	var out []*ast.BasicLit
	seen := map[*ast.BasicLit]bool{}
	flag := func(lits []*ast.BasicLit) {
		korean := false
		for _, l := range lits {
			korean = korean || hasHangul(unquote(l))
		}
		for _, l := range lits {
			if korean && !seen[l] && strings.HasPrefix(l.Value, `"`) && strings.Contains(unquote(l), "`") {
				seen[l] = true
				out = append(out, l)
			}
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BinaryExpr:
			if n.Op == token.ADD {
				flag(concatLiterals(n))
			}
		case *ast.BasicLit:
			if n.Kind == token.STRING {
				flag([]*ast.BasicLit{n})
			}
		}
		return true
	})
	return out
}

// concatLiterals are the string literals of a chain of + expressions.
func concatLiterals(e ast.Expr) []*ast.BasicLit {
	switch e := e.(type) {
	case *ast.BinaryExpr:
		if e.Op == token.ADD {
			return append(concatLiterals(e.X), concatLiterals(e.Y)...)
		}
	case *ast.ParenExpr:
		return concatLiterals(e.X)
	case *ast.BasicLit:
		if e.Kind == token.STRING {
			return []*ast.BasicLit{e}
		}
	}
	return nil
}

func unquote(l *ast.BasicLit) string {
	s, err := strconv.Unquote(l.Value)
	if err != nil {
		return l.Value
	}
	return s
}

func hasHangul(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Hangul, r) }) >= 0
}

// The scanner sees a backtick in a Korean literal and in a literal joined
// to one, and leaves English and code literals alone.
func TestBacktickScanner(t *testing.T) {
	src := "package p\nvar a = \"(`dslab exercises` 로 봅니다)\"\nvar b = \"시작 (dslab exercise start \" + id + \"`)\"\nvar c = \"could not record `x`\"\nvar d = \"```\"\nvar e = \"노드 dslab-worker\"\n"
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range backtickKoreanLiterals(f) {
		got = append(got, l.Value)
	}
	want := []string{"\"(`dslab exercises` 로 봅니다)\"", "\"`)\""}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("flagged %q, want %q", got, want)
	}
}
