package lab

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/testcluster"
)

// TestIntegrationShellRunsDslab: the lab shell's environment runs the real
// dslab binary as `dslab` from a real shell, with no dslab on the
// learner's PATH (after `make run` the binary is only in bin/: lessons,
// hints and advice say `dslab …` and the shell answered "dslab: command
// not found", trainee trial on 32bac4b).
func TestIntegrationShellRunsDslab(t *testing.T) {
	if testing.Short() {
		t.Skip("integration: needs the dslab binary")
	}
	bin := testcluster.Binary(t)
	p := testPaths(t)
	if _, err := exec.LookPath("/bin/sh"); err != nil {
		t.Skip("no /bin/sh")
	}
	// The learner's PATH: system directories only, no dslab.
	path := "/usr/local/bin:/usr/bin:/bin"
	for _, d := range filepath.SplitList(path) {
		if _, err := os.Stat(filepath.Join(d, "dslab")); err == nil {
			t.Skipf("%s holds a dslab: the test needs a PATH without one", d)
		}
	}
	cmd, err := ShellCommand(ShellConfig{Paths: p, Executable: bin, Width: 200,
		Environ: []string{"PATH=" + path, "SHELL=/bin/sh", "HOME=" + t.TempDir()}})
	if err != nil {
		t.Fatal(err)
	}
	// The shell the learner gets, given a command instead of a terminal.
	run := exec.Command("/bin/sh", "-c", "command -v dslab && dslab version")
	run.Env, run.Dir = cmd.Env, cmd.Dir
	out, err := run.CombinedOutput()
	if err != nil {
		t.Fatalf("dslab version in the lab shell: %v\n%s", err, out)
	}
	want, err := exec.Command(bin, "version").CombinedOutput()
	if err != nil {
		t.Fatalf("%s version: %v\n%s", bin, err, want)
	}
	if !strings.Contains(string(out), filepath.Join(ShellDir(p), "bin", "dslab")) || !strings.Contains(string(out), strings.TrimSpace(string(want))) {
		t.Errorf("lab shell: %s\nwant the output of %s version:\n%s", out, bin, want)
	}
}
