// Command crosscheck type-checks a package and every package it imports,
// from source, for other GOOS/GOARCH pairs (CGO_ENABLED=0), without
// generating code: it finds what would not compile for a platform well
// before a first full cross-compile of Kubernetes for a new GOOS would
// (2026-11-30, nice 19 under load ~28 on 2 cores: 20-25 min for the check,
// while the compile reached a fifth of its packages in 90 min). A clean check is not a
// build (linking and assembly are not checked): `make dist` still decides
// which platforms are offered. Used by `make crosscheck`.
//
// Usage: go run ./tools/crosscheck [-pkg PACKAGE] GOOS/GOARCH...
//
// It prints each platform's result in Korean and every error as
// "import/path: error", and exits 1 when any platform has errors, 2 on bad
// arguments. Memory: about 4 GB for ./cmd/dslab (all of Kubernetes'
// syntax and types, one platform at a time).
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/tools/go/packages"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Environ()))
}

func run(args []string, out io.Writer, env []string) int {
	fs := flag.NewFlagSet("crosscheck", flag.ContinueOnError)
	fs.SetOutput(out)
	pkg := fs.String("pkg", "./cmd/dslab", "type-check this package and its imports")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	platforms, err := parsePlatforms(fs.Args())
	if err != nil {
		fmt.Fprintf(out, "사용법: go run ./tools/crosscheck [-pkg 패키지] GOOS/GOARCH...: %v\n", err)
		return 2
	}
	code := 0
	for _, p := range platforms {
		start := time.Now()
		n, errs, err := check(*pkg, p, env)
		if err != nil {
			fmt.Fprintf(out, "%s: 패키지를 읽지 못했습니다: %v\n", p, err)
			code = 1
			continue
		}
		if len(errs) > 0 {
			fmt.Fprintf(out, "%s: 타입 검사 실패 (type check): 패키지 %d개 가운데 오류 %d건 (%s)\n", p, n, len(errs), time.Since(start).Round(time.Second))
			for _, e := range errs {
				fmt.Fprintln(out, "  "+e)
			}
			code = 1
			continue
		}
		fmt.Fprintf(out, "%s: 타입 검사 통과 (type check): 패키지 %d개, 오류 없음 (%s; 빌드·링크는 make dist 로 확인)\n", p, n, time.Since(start).Round(time.Second))
	}
	return code
}

// platform is one GOOS/GOARCH pair.
type platform struct{ goos, goarch string }

func (p platform) String() string { return p.goos + "/" + p.goarch }

// parsePlatforms reads GOOS/GOARCH arguments (as in the Makefile's
// DIST_PLATFORMS); it errs on none or on one without exactly one slash.
func parsePlatforms(args []string) ([]platform, error) {
	if len(args) == 0 {
		return nil, fmt.Errorf("플랫폼이 없습니다 (예: windows/amd64)")
	}
	var out []platform
	for _, a := range args {
		goos, goarch, ok := strings.Cut(a, "/")
		if !ok || goos == "" || goarch == "" || strings.Contains(goarch, "/") {
			return nil, fmt.Errorf("GOOS/GOARCH 가 아닙니다: %q", a)
		}
		out = append(out, platform{goos, goarch})
	}
	return out, nil
}

// check loads pkg and all its imports with syntax and types for p and
// returns the number of packages and every error as "path: error".
func check(pkg string, p platform, env []string) (int, []string, error) {
	cfg := &packages.Config{
		Mode: packages.LoadAllSyntax,
		Env:  append(env[:len(env):len(env)], "GOOS="+p.goos, "GOARCH="+p.goarch, "CGO_ENABLED=0"),
	}
	pkgs, err := packages.Load(cfg, pkg)
	if err != nil {
		return 0, nil, err
	}
	n := 0
	var errs []string
	packages.Visit(pkgs, nil, func(lp *packages.Package) {
		n++
		for _, e := range lp.Errors {
			errs = append(errs, lp.PkgPath+": "+e.Error())
		}
	})
	return n, errs, nil
}
