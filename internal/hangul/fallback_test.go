package hangul

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// fallbackRE matches the "either particle" fallbacks a message writes when
// it does not know the word: 을(를) 이(가) 은(는) 와(과) (으)로, and the same
// with the forms swapped.
var fallbackRE = regexp.MustCompile(`을\(를\)|를\(을\)|이\(가\)|가\(이\)|은\(는\)|는\(은\)|와\(과\)|과\(와\)|\(으\)로`)

// placeholderParticleRE matches a particle written after a placeholder the
// user replaces (`--server http://주소:포트 로`, `--student-id 학번 으로`):
// once a real value stands there the particle reads wrong for it.
var placeholderParticleRE = regexp.MustCompile(`(학번|이름|참가코드|주소:포트) (으로|로|을|를|이|가|은|는|입니다)[ .,)]`)

// TestNoParticleFallbacksInGoStrings fails on any fallback left in a string
// literal of the module's non-test Go files: messages must choose the
// particle with this package.
func TestNoParticleFallbacksInGoStrings(t *testing.T) {
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	files := 0
	err := walkModuleGo(root, fset, func(f *ast.File) {
		files++
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				s = lit.Value
			}
			if m := fallbackRE.FindString(s); m != "" {
				t.Errorf("%s: particle fallback %q in a string; choose it with internal/hangul: %s", fset.Position(lit.Pos()), m, lit.Value)
			}
			if m := placeholderParticleRE.FindString(s + " "); m != "" {
				t.Errorf("%s: a particle after a placeholder the user replaces %q; name the option instead (그 주소를 --server 옵션에): %s", fset.Position(lit.Pos()), m, lit.Value)
			}
			return true
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 50 {
		t.Fatalf("scanned only %d Go files under %s; is the module root right?", files, root)
	}
}

// walkModuleGo parses every non-test Go file of the module under root
// (skipping .git, .cache, bin, testdata, vendor, node_modules) and calls
// visit with each; a walk or parse error ends it.
func walkModuleGo(root string, fset *token.FileSet, visit func(*ast.File)) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", ".cache", "bin", "testdata", "vendor", "node_modules":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		visit(f)
		return nil
	})
}

// walkFormatCalls calls visit for every call of the module's non-test Go
// files whose arguments hold a string literal with a %: the call, that
// format (unquoted) and the arguments after it (the spacing and the
// particle-after-verb scans read the same calls).
func walkFormatCalls(root string, fset *token.FileSet, visit func(call *ast.CallExpr, format string, args []ast.Expr)) error {
	return walkModuleGo(root, fset, func(f *ast.File) {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			for i, a := range call.Args {
				if lit, ok := a.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if s, err := strconv.Unquote(lit.Value); err == nil && strings.Contains(s, "%") {
						visit(call, s, call.Args[i+1:])
						return true
					}
				}
			}
			return true
		})
	})
}

// The scanner must see a fallback where one is.
func TestFallbackPattern(t *testing.T) {
	for _, s := range []string{"노드 %s 을(를) 지웠습니다", "%s 이(가)", "kubectl 은(는)", "A 와(과) B", "%s (으)로"} {
		if !fallbackRE.MatchString(s) {
			t.Errorf("fallbackRE misses %q", s)
		}
	}
	for _, s := range []string{"노드를 지웠습니다", "(가) 항목", "이 (가)"} {
		if fallbackRE.MatchString(s) {
			t.Errorf("fallbackRE matches %q", s)
		}
	}
}
