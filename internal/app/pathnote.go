package app

import (
	"os"
	"path/filepath"

	"github.com/dslab-kr/dslab/internal/hangul"
	"github.com/dslab-kr/dslab/internal/lab"
	"github.com/dslab-kr/dslab/internal/paths"
)

// dslabPathNote says how to get `dslab` in another terminal when `dslab`
// on PATH is not the running binary exe: lessons, hints, the work file's
// header and every advice line say `dslab …`, and after `make run` the
// binary is only in bin/ ("dslab: command not found", trainee trial on
// 32bac4b). lookPath is exec.LookPath. "" when PATH's dslab is exe (also
// through a symlink) or the lab shell's wrapper, which runs the binary
// that opened the shell.
func dslabPathNote(exe string, p paths.Paths, lookPath func(string) (string, error)) string {
	found, err := lookPath("dslab")
	if err != nil {
		return "다른 터미널에서 dslab 명령을 쓰려면 make install (실습 셸 s 에서는 그대로 됩니다)"
	}
	if sameFile(found, exe) || sameFile(found, filepath.Join(lab.ShellDir(p), "bin", "dslab")) {
		return ""
	}
	return "PATH 의 dslab(" + found + ")" + hangul.EunNeun("dslab") + " 이 랩과 다른 바이너리입니다 — make install 로 바꾸세요 (실습 셸 s 에서는 이 랩의 dslab 입니다)"
}

// sameFile reports whether a and b name the same file.
func sameFile(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	if err != nil {
		return false
	}
	return os.SameFile(fa, fb)
}
