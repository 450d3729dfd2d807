package embedded

import (
	"errors"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

func TestWindowsUnsupportedIsKoreanAndNamesWayOut(t *testing.T) {
	err := WindowsUnsupported()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("WindowsUnsupported() = %T, want *Error", err)
	}
	if !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("WindowsUnsupported() does not wrap errors.ErrUnsupported: %v", err)
	}
	hangul := 0
	for _, r := range e.Message {
		if unicode.Is(unicode.Hangul, r) {
			hangul++
		}
	}
	if hangul < 20 {
		t.Errorf("message is not Korean (%d Hangul runes): %q", hangul, e.Message)
	}
	for _, want := range []string{"WSL2", "kind", "--runtime kind", "Windows"} {
		if !strings.Contains(e.Message, want) {
			t.Errorf("message does not name %q: %q", want, e.Message)
		}
	}
}

// unixOnly lists, per GOOS, syscall names that do not exist there. The
// dslab binary is cross-built for these (make dist); a file compiled for
// them must not use these names. This guards the per-OS file split without a
// cross-compile of Kubernetes.
var unixOnly = map[string][]string{
	"darwin":  {"Pdeathsig"},
	"windows": {"Pdeathsig", "Setsid", "Setpgid", "Kill", "Flock", "LOCK_EX", "LOCK_NB", "EWOULDBLOCK", "Statfs", "Statfs_t", "Credential"},
}

func TestNoUnixOnlySyscallsOnOtherPlatforms(t *testing.T) {
	// The packages the dslab binary links that do process control.
	dirs := []string{".", "supervisor", "../../kube", "../../app", "../../lab"}
	for goos, names := range unixOnly {
		ctx := build.Default
		ctx.GOOS, ctx.GOARCH, ctx.CgoEnabled = goos, "amd64", false
		forbidden := map[string]bool{}
		for _, n := range names {
			forbidden[n] = true
		}
		for _, dir := range dirs {
			ents, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			checked := 0
			for _, ent := range ents {
				name := ent.Name()
				if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
					continue
				}
				if ok, err := ctx.MatchFile(dir, name); err != nil || !ok {
					continue
				}
				checked++
				path := filepath.Join(dir, name)
				f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
				if err != nil {
					t.Fatal(err)
				}
				ast.Inspect(f, func(n ast.Node) bool {
					switch n := n.(type) {
					case *ast.SelectorExpr:
						if x, ok := n.X.(*ast.Ident); ok && x.Name == "syscall" && forbidden[n.Sel.Name] {
							t.Errorf("%s (GOOS=%s): syscall.%s does not exist there; move it to a _unix/_linux file", path, goos, n.Sel.Name)
						}
					case *ast.KeyValueExpr:
						if k, ok := n.Key.(*ast.Ident); ok && forbidden[k.Name] {
							t.Errorf("%s (GOOS=%s): SysProcAttr.%s does not exist there; move it to a _unix/_linux file", path, goos, k.Name)
						}
					}
					return true
				})
			}
			if checked == 0 {
				t.Errorf("GOOS=%s: no Go file of %s checked", goos, dir)
			}
		}
	}
}
