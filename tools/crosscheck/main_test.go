package main

import (
	"os"
	"strings"
	"testing"
)

func TestParsePlatforms(t *testing.T) {
	got, err := parsePlatforms([]string{"windows/amd64", "darwin/arm64"})
	if err != nil || len(got) != 2 || got[0].String() != "windows/amd64" || got[1].String() != "darwin/arm64" {
		t.Fatalf("parsePlatforms: %v %v", got, err)
	}
	for _, bad := range [][]string{nil, {"windows"}, {"/amd64"}, {"linux/"}, {"linux/amd64/v2"}} {
		if _, err := parsePlatforms(bad); err == nil {
			t.Errorf("parsePlatforms(%q) accepted", bad)
		}
	}
}

// TestCrossCheckFindsUnixOnlyCode type-checks real packages with the real
// go command: a package using syscall.SysProcAttr.Setsid passes for linux
// and darwin and fails for windows, naming the field; a portable one passes
// everywhere.
func TestCrossCheckFindsUnixOnlyCode(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list for three platforms")
	}
	var out strings.Builder
	if code := run([]string{"-pkg", "./testdata/portable", "linux/amd64", "darwin/arm64", "windows/amd64"}, &out, os.Environ()); code != 0 {
		t.Fatalf("portable package: exit %d\n%s", code, out.String())
	}
	if c := strings.Count(out.String(), "타입 검사 통과"); c != 3 {
		t.Errorf("portable package passed on %d of 3 platforms:\n%s", c, out.String())
	}
	out.Reset()
	if code := run([]string{"-pkg", "./testdata/unixonly", "linux/amd64", "darwin/arm64"}, &out, os.Environ()); code != 0 {
		t.Fatalf("unixonly on Unix: exit %d\n%s", code, out.String())
	}
	out.Reset()
	code := run([]string{"-pkg", "./testdata/unixonly", "windows/amd64"}, &out, os.Environ())
	if code != 1 || !strings.Contains(out.String(), "windows/amd64: 타입 검사 실패") || !strings.Contains(out.String(), "Setsid") {
		t.Fatalf("unixonly on windows: exit %d, want 1 naming Setsid:\n%s", code, out.String())
	}
}
