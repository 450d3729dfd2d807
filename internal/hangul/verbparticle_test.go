package hangul

import (
	"go/ast"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

// variantAfterRE matches, at the start of the text after a fmt verb, a space
// and a particle or copula ending whose form depends on the word before it
// ("%s 여야 합니다", "%s 로 시작하세요", "%s 가 필요합니다"): the verb's value
// decides the form, so the message must choose it with this package.
var variantAfterRE = regexp.MustCompile(`^ (이어야|여야|이에요|예요|이라고|라고|이라는|라는|이라서|라서|이라도|라도|이라면|라면|이라|라|이나|나|이고|고|이며|며|이면|면|이든|든|이랑|랑|이란|란|이지만|지만|이었습니다|였습니다|이었다|였다|이어서|여서|이어도|여도|으로|로|을|를|은|는|이|가|과|와)([\s.,:;!?)"'\]]|$)`)

// TestNoHardCodedParticleAfterAFormatVerb fails on a format string of the
// module's non-test Go files that writes a two-form particle after a verb
// whose argument does not choose it ("%s 여야 합니다" with an image that ends
// in 1, read 일: 이어야). An argument that already ends in its particle
// (hangul.IGa(…), the grader's iga/eul/eun/ro/wa helpers) is fine: the word
// after it is then not a particle ("파드 %s 이 노드에서" with iga(name)).
func TestNoHardCodedParticleAfterAFormatVerb(t *testing.T) {
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	formats := 0
	err := walkFormatCalls(root, fset, func(call *ast.CallExpr, format string, args []ast.Expr) {
		formats++
		argi := 0
		for _, loc := range verbRE.FindAllStringIndex(format, -1) {
			if format[loc[0]:loc[1]] == "%%" {
				continue
			}
			if m := variantAfterRE.FindStringSubmatch(format[loc[1]:]); m != nil && (argi >= len(args) || !carriesParticle(args[argi])) {
				t.Errorf("%s: particle %q written after %s whatever its value; choose it with hangul.After (or IGa, EulReul, …): %q",
					fset.Position(call.Pos()), m[1], format[loc[0]:loc[1]], format)
			}
			argi++
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	// The same after a value joined with +: `name + " 로 되돌릴 수"`.
	err = walkModuleGo(root, fset, func(f *ast.File) {
		ast.Inspect(f, func(n ast.Node) bool {
			bin, ok := n.(*ast.BinaryExpr)
			if !ok || bin.Op != token.ADD {
				return true
			}
			lit, ok := bin.Y.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				return true
			}
			left := bin.X
			if b, ok := left.(*ast.BinaryExpr); ok && b.Op == token.ADD {
				left = b.Y
			}
			if l, ok := left.(*ast.BasicLit); ok && l.Kind == token.STRING {
				return true
			}
			if m := variantAfterRE.FindStringSubmatch(s); m != nil && !carriesParticle(left) {
				t.Errorf("%s: particle %q joined after a value whatever it is; choose it with hangul.After (or IGa, EulReul, …): %s", fset.Position(lit.Pos()), m[1], lit.Value)
			}
			return true
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if formats < 100 {
		t.Fatalf("found only %d format strings under %s; is the scanner right?", formats, root)
	}
}

// carriesParticle reports whether e is a call that returns a word with its
// particle or a particle itself: hangul.*(…) or a package's own helper named
// like the grader's (iga, eul, eun, ro, wa, after).
func carriesParticle(e ast.Expr) bool {
	c, ok := e.(*ast.CallExpr)
	if !ok {
		return false
	}
	switch fn := c.Fun.(type) {
	case *ast.SelectorExpr:
		if pkg, ok := fn.X.(*ast.Ident); ok && pkg.Name == "hangul" {
			return true
		}
	case *ast.Ident:
		switch fn.Name {
		case "iga", "eul", "eun", "ro", "wa", "after":
			return true
		}
	}
	return false
}

// The scanner must see a hard-coded particle where one is, and only there.
func TestVariantAfterPattern(t *testing.T) {
	for _, s := range []string{" 여야 합니다", " 이어야 합니다", " 로 시작하세요", " 가 필요합니다", " 이 없습니다", " 예요.", " 이라고"} {
		if !variantAfterRE.MatchString(s) {
			t.Errorf("variantAfterRE misses %q", s)
		}
	}
	for _, s := range []string{" 입니다", " 에 있습니다", " 의 값", "개여야", " 이미지", " 노드", " 로그", " 가장"} {
		if variantAfterRE.MatchString(s) {
			t.Errorf("variantAfterRE matches %q", s)
		}
	}
}

func TestAfter(t *testing.T) {
	tests := []struct{ word, particle, want string }{
		{"quay.io/prometheus/node-exporter:v1.9.1", "여야", "이어야"}, // 일
		{"quay.io/prometheus/node-exporter:v1.9.2", "이어야", "여야"}, // 이
		{"OnDelete", "이에요", "예요"},                                // 딜리트
		{"RollingUpdate", "예요", "예요"},
		{"noexecute-churn", "로", "으로"}, // 처언
		{"control-plane", "로", "으로"},
		{"kubectl", "으로", "로"},
		{"bad-image-rollback", "이라", "이라"}, // 롤백
		{"gpu-only", "이나", "나"},
		{"taints", "을", "를"},
		{"dslab", "에", "에"},
	}
	for _, tt := range tests {
		if got := After(tt.word, tt.particle); got != tt.want {
			t.Errorf("After(%q, %q) = %q, want %q", tt.word, tt.particle, got, tt.want)
		}
	}
}
