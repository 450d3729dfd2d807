package embedded

import (
	"errors"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
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

// linkedModuleDirs returns the directories of this module's packages that
// `GOOS=goos go build ./cmd/dslab` links, from `go list -deps` (reads
// imports and build constraints only: about a second, no compile), and
// fails t on any package error go list reports for that platform (an
// import that does not exist there, a package whose files all carry
// other platforms' build tags). This is the cheap half of a cross-build:
// what it cannot see (a name undefined on one platform) the AST checks
// here and TestPerOSFilesDeclareTheSameNames cover; `make crosscheck`
// type-checks and `make dist` compiles for real.
func linkedModuleDirs(t *testing.T, goos string) []string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("the go command is not on PATH: %v", err)
	}
	cmd := exec.Command(goTool, "list", "-e", "-deps", "-f",
		`{{if .Module}}{{if eq .Module.Path "github.com/dslab-kr/dslab"}}{{.Dir}}{{"\t"}}{{if .Error}}{{.Error}}{{end}}{{"\t"}}{{.DepsErrors}}{{end}}{{end}}`,
		"github.com/dslab-kr/dslab/cmd/dslab")
	cmd.Env = append(os.Environ(), "GOOS="+goos, "GOARCH=amd64", "CGO_ENABLED=0")
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("GOOS=%s go list -deps ./cmd/dslab: %v\n%s", goos, err, ee.Stderr)
		}
		t.Fatal(err)
	}
	var dirs []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if line == "" {
			continue
		}
		f := strings.SplitN(line, "\t", 3)
		if len(f) == 3 && (f[1] != "" || f[2] != "[]") {
			t.Errorf("GOOS=%s: %s does not build there: %s %s", goos, f[0], f[1], f[2])
		}
		dirs = append(dirs, f[0])
	}
	if len(dirs) < 20 {
		t.Fatalf("GOOS=%s: go list found only %d packages of the module linked into dslab:\n%s", goos, len(dirs), out)
	}
	return dirs
}

func TestNoUnixOnlySyscallsOnOtherPlatforms(t *testing.T) {
	for goos, names := range unixOnly {
		ctx := build.Default
		ctx.GOOS, ctx.GOARCH, ctx.CgoEnabled = goos, "amd64", false
		forbidden := map[string]bool{}
		for _, n := range names {
			forbidden[n] = true
		}
		// Every package of the module the dslab binary links there.
		for _, dir := range linkedModuleDirs(t, goos) {
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

// TestPerOSFilesDeclareTheSameNames guards the per-OS file split of every
// package of the module (without a cross-compile of Kubernetes): for each
// package, the top-level names declared by the files built for linux,
// darwin and windows must be the same set, or one of the make dist builds
// would fail with an undefined name.
func TestPerOSFilesDeclareTheSameNames(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	goos := []string{"linux", "darwin", "windows"}
	packages := 0
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		name := d.Name()
		if path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "vendor" || name == "node_modules") {
			return filepath.SkipDir
		}
		if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil && path != root {
			return filepath.SkipDir // another module (conformance/)
		}
		decls := map[string]map[string]bool{} // GOOS → names
		pkgName := map[string]string{}
		for _, g := range goos {
			ctx := build.Default
			ctx.GOOS, ctx.GOARCH, ctx.CgoEnabled = g, "amd64", false
			ents, err := os.ReadDir(path)
			if err != nil {
				return err
			}
			decls[g] = map[string]bool{}
			for _, ent := range ents {
				fn := ent.Name()
				if ent.IsDir() || !strings.HasSuffix(fn, ".go") || strings.HasSuffix(fn, "_test.go") {
					continue
				}
				if ok, err := ctx.MatchFile(path, fn); err != nil || !ok {
					continue
				}
				f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(path, fn), nil, parser.SkipObjectResolution)
				if err != nil {
					return err
				}
				pkgName[g] = f.Name.Name
				for _, n := range topLevelNames(f) {
					decls[g][n] = true
				}
			}
		}
		if len(decls["linux"]) == 0 && len(decls["darwin"]) == 0 && len(decls["windows"]) == 0 {
			return nil
		}
		packages++
		for _, g := range goos[1:] {
			if pkgName[g] != pkgName["linux"] {
				t.Errorf("%s: package %q on linux, %q on %s (a package missing on one platform breaks make dist)", path, pkgName["linux"], pkgName[g], g)
			}
			for n := range decls["linux"] {
				if !decls[g][n] {
					t.Errorf("%s: %s is declared for linux but not for %s", path, n, g)
				}
			}
			for n := range decls[g] {
				if !decls["linux"][n] {
					t.Errorf("%s: %s is declared for %s but not for linux", path, n, g)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if packages < 20 {
		t.Errorf("only %d packages checked: is the module root %s?", packages, root)
	}
}

// topLevelNames lists f's package-level names: functions, methods
// (Recv.Name), types, variables and constants ("_" left out).
func topLevelNames(f *ast.File) []string {
	var out []string
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			name := d.Name.Name
			if d.Recv != nil && len(d.Recv.List) > 0 {
				typ := d.Recv.List[0].Type
				if s, ok := typ.(*ast.StarExpr); ok {
					typ = s.X
				}
				if ix, ok := typ.(*ast.IndexExpr); ok {
					typ = ix.X
				}
				if ix, ok := typ.(*ast.IndexListExpr); ok {
					typ = ix.X
				}
				if id, ok := typ.(*ast.Ident); ok {
					name = id.Name + "." + name
				}
			}
			if name != "init" {
				out = append(out, name)
			}
		case *ast.GenDecl:
			for _, sp := range d.Specs {
				switch sp := sp.(type) {
				case *ast.TypeSpec:
					out = append(out, sp.Name.Name)
				case *ast.ValueSpec:
					for _, n := range sp.Names {
						if n.Name != "_" {
							out = append(out, n.Name)
						}
					}
				}
			}
		}
	}
	return out
}
