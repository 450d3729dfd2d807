package lab

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"k8s.io/client-go/kubernetes/fake"

	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/kube"

	xansi "github.com/charmbracelet/x/ansi"
)

func envOf(cmd *exec.Cmd) map[string]string {
	out := map[string]string{}
	for _, kv := range cmd.Env {
		k, v, _ := strings.Cut(kv, "=")
		out[k] = v
	}
	return out
}

func TestShellCommand(t *testing.T) {
	p := testPaths(t)
	emptyPath := t.TempDir()
	cmd, err := ShellCommand(ShellConfig{Paths: p, Executable: "/opt/dslab's/dslab", Context: "kind-dslab",
		Environ: []string{"PATH=" + emptyPath, "SHELL=/bin/sh", "KUBECONFIG=/old", "HOME=/h"}})
	if err != nil {
		t.Fatal(err)
	}
	env := envOf(cmd)
	shim := filepath.Join(ShellDir(p), "kubeconfig")
	if env["KUBECONFIG"] != shim+":"+p.Kubeconfigs[0] {
		t.Errorf("KUBECONFIG=%s", env["KUBECONFIG"])
	}
	if data, _ := os.ReadFile(shim); !strings.Contains(string(data), "current-context: kind-dslab") {
		t.Errorf("shim:\n%s", data)
	}
	bin := filepath.Join(ShellDir(p), "bin")
	if !strings.HasPrefix(env["PATH"], bin+":") || env["HOME"] != "/h" || env["DSLAB_USER_SHELL"] != "/bin/sh" {
		t.Errorf("env: %v", env)
	}
	wrapper, err := os.ReadFile(filepath.Join(bin, "kubectl"))
	if err != nil || !strings.Contains(string(wrapper), `exec '/opt/dslab'\''s/dslab' kubectl "$@"`) {
		t.Errorf("wrapper: %s %v", wrapper, err)
	}
	if !strings.Contains(env["DSLAB_BANNER"], "exit") {
		t.Errorf("banner: %q", env["DSLAB_BANNER"])
	}

	// The wrapper and banner really run: a non-interactive "shell" that
	// resolves kubectl and prints what it would run.
	fakeShell := filepath.Join(t.TempDir(), "fakesh")
	os.WriteFile(fakeShell, []byte("#!/bin/sh\ncommand -v kubectl\necho KUBECONFIG=$KUBECONFIG\n"), 0o755)
	cmd, err = ShellCommand(ShellConfig{Paths: p, Executable: "/bin/echo", Environ: []string{"PATH=/usr/bin:/bin", "SHELL=" + fakeShell}})
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	s := string(out)
	if _, err := exec.LookPath("kubectl"); err != nil && !strings.Contains(s, filepath.Join(bin, "kubectl")) {
		t.Errorf("kubectl does not resolve to the wrapper:\n%s", s)
	}
	if !strings.Contains(s, "dslab 실습 셸") || !strings.Contains(s, "KUBECONFIG="+shim) {
		t.Errorf("output:\n%s", s)
	}
	// The screen is cleared before the banner: a shell opened again does
	// not show the previous one's output above it (issue 14).
	if !strings.HasPrefix(s, "\x1b[H\x1b[2J") || strings.Index(s, "\x1b[2J") > strings.Index(s, "dslab 실습 셸") {
		t.Errorf("the screen is not cleared before the banner: %q", s)
	}
}

func TestShellKeepsARealKubectl(t *testing.T) {
	p := testPaths(t)
	bin := t.TempDir()
	os.WriteFile(filepath.Join(bin, "kubectl"), []byte("#!/bin/sh\n"), 0o755)
	os.WriteFile(filepath.Join(bin, "dslab"), []byte("#!/bin/sh\n"), 0o755)
	cmd, err := ShellCommand(ShellConfig{Paths: p, Executable: "/x/dslab", Environ: []string{"PATH=" + bin}})
	if err != nil {
		t.Fatal(err)
	}
	// The shell's own bin comes first (for `dslab`), without a kubectl
	// wrapper that would shadow the learner's kubectl — also one left by an
	// earlier shell opened without kubectl.
	own := filepath.Join(ShellDir(p), "bin")
	os.WriteFile(filepath.Join(own, "kubectl"), []byte("#!/bin/sh\n"), 0o700)
	cmd, err = ShellCommand(ShellConfig{Paths: p, Executable: "/x/dslab", Environ: []string{"PATH=" + own + ":" + bin}})
	if err != nil {
		t.Fatal(err)
	}
	if env := envOf(cmd); env["PATH"] != own+":"+bin || env["DSLAB_USER_SHELL"] != "/bin/sh" {
		t.Errorf("env: %v", env)
	}
	if _, err := os.Stat(filepath.Join(own, "kubectl")); !os.IsNotExist(err) {
		t.Errorf("a kubectl wrapper shadows the learner's kubectl: %v", err)
	}
	if strings.Contains(envOf(cmd)["DSLAB_BANNER"], "dslab 내장") {
		t.Errorf("banner names the built-in kubectl: %q", envOf(cmd)["DSLAB_BANNER"])
	}
}

// `dslab` in the lab shell is the binary that opened it, whatever the
// learner's PATH holds (after `make run` it holds no dslab: "dslab: command
// not found", trainee trial on 32bac4b); a dslab elsewhere on PATH does not
// win.
func TestShellDslabIsThisBinary(t *testing.T) {
	p := testPaths(t)
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "dslab"), []byte("#!/bin/sh\necho OTHER\n"), 0o755)
	self := filepath.Join(t.TempDir(), "my dslab")
	os.WriteFile(self, []byte("#!/bin/sh\necho SELF \"$@\"\n"), 0o755)
	fakeShell := filepath.Join(t.TempDir(), "fakesh")
	os.WriteFile(fakeShell, []byte("#!/bin/sh\ndslab version --short\n"), 0o755)
	cmd, err := ShellCommand(ShellConfig{Paths: p, Executable: self, Width: 200,
		Environ: []string{"PATH=" + other + ":/usr/bin:/bin", "SHELL=" + fakeShell}})
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(string(out), "SELF version --short") || strings.Contains(string(out), "OTHER") {
		t.Errorf("dslab in the lab shell is not the binary that opened it:\n%s", out)
	}
}

// The lab shell starts in the work directory, with a prompt that says it
// is the lab shell and names the exercise, for bash (whose ~/.bashrc may
// set its own PS1) and POSIX sh alike; KUBECONFIG selects the lab context.
func TestShellPromptAndWorkDir(t *testing.T) {
	shells := map[string]string{"sh": "/bin/sh"}
	if bash, err := exec.LookPath("bash"); err == nil {
		shells["bash"] = bash
	}
	for name, sh := range shells {
		t.Run(name, func(t *testing.T) {
			p := testPaths(t)
			home := t.TempDir()
			// A learner's own bashrc that sets PS1: the label is still there.
			os.WriteFile(filepath.Join(home, ".bashrc"), []byte(`PS1='mine\$ '`+"\n"), 0o644)
			cmd, err := ShellCommand(ShellConfig{Paths: p, Executable: "/bin/echo", Context: "dslab", Exercise: "gpu-only",
				Environ: []string{"PATH=/usr/bin:/bin", "SHELL=" + sh, "HOME=" + home}})
			if err != nil {
				t.Fatal(err)
			}
			cmd.Stdin = strings.NewReader("echo DIR=$(pwd)\necho KC=$KUBECONFIG\nexit\n")
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			s := string(out)
			work := WorkDir(p)
			if !strings.Contains(s, "DIR="+work+"\n") {
				t.Errorf("not started in the work directory %s:\n%s", work, s)
			}
			if !strings.Contains(s, "KC="+filepath.Join(ShellDir(p), "kubeconfig")+":") {
				t.Errorf("KUBECONFIG:\n%s", s)
			}
			want := "(dslab 연습 gpu-only) "
			if name == "sh" {
				want += work + " $ " // the directory, expanded by the shell
			}
			if !strings.Contains(s, want) {
				t.Errorf("prompt %q not shown:\n%s", want, s)
			}
			if name == "bash" && !strings.Contains(s, "(dslab 연습 gpu-only) mine$ ") && !strings.Contains(s, "(dslab 연습 gpu-only) mine# ") {
				t.Errorf("bash: the label goes before the learner's own prompt:\n%s", s)
			}
		})
	}
	if got := shellPrompt(""); got != "(dslab 실습 셸)" {
		t.Errorf("no exercise: %q", got)
	}
}

// TestCurrentExercise: the exercise the cluster is set up for comes from
// the in-cluster record (dslab-current) when there is one — even when
// this machine started another exercise last — else from the baselines
// this machine recorded; none is "".
func TestCurrentExercise(t *testing.T) {
	p := testPaths(t)
	ctx := context.Background()
	if got := CurrentExercise(ctx, fake.NewClientset(), p, "dslab"); got != "" {
		t.Errorf("nothing started: %q", got)
	}
	b := grader.Baseline{Exercise: "gpu-only", Recorded: time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)}
	if err := kube.SaveBaseline(kube.BaselineFile(kube.ExerciseDir(p, kube.StateName("dslab"), "gpu-only")), b); err != nil {
		t.Fatal(err)
	}
	if got := CurrentExercise(ctx, nil, p, "dslab"); got != "gpu-only" {
		t.Errorf("local baseline only: %q", got)
	}
	if got := CurrentExercise(ctx, fake.NewClientset(), p, "dslab"); got != "gpu-only" {
		t.Errorf("no in-cluster record: %q", got)
	}
	client := fake.NewClientset()
	if err := kube.RecordCurrent(ctx, client, kube.Current{Exercise: "ds-basics", Started: b.Recorded.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if got := CurrentExercise(ctx, client, p, "dslab"); got != "ds-basics" {
		t.Errorf("in-cluster record ds-basics, local gpu-only: %q", got)
	}
	// Another cluster's local state is not this one's.
	if got := CurrentExercise(ctx, nil, p, "lab2"); got != "" {
		t.Errorf("another cluster: %q", got)
	}
}

// TestShellPromptNamesCurrent: the prompt names the exercise given (the
// one the cluster is set up for), or says it is the lab shell without one.
func TestShellPromptNamesCurrent(t *testing.T) {
	p := testPaths(t)
	for _, tc := range []struct{ ex, want string }{{"ds-basics", "(dslab 연습 ds-basics)"}, {"", "(dslab 실습 셸)"}} {
		// A DSLAB_EXERCISE inherited from an outer lab shell is replaced.
		cmd, err := ShellCommand(ShellConfig{Paths: p, Exercise: tc.ex, Environ: []string{"SHELL=/bin/sh", "DSLAB_EXERCISE=gpu-only"}})
		if err != nil {
			t.Fatal(err)
		}
		if env := envOf(cmd); env["DSLAB_PROMPT"] != tc.want || !strings.HasPrefix(env["PS1"], tc.want) {
			t.Errorf("exercise %q: prompt %q PS1 %q", tc.ex, env["DSLAB_PROMPT"], env["PS1"])
		}
		// dslab grade / exercise show inside the shell default to it.
		if env := envOf(cmd); env["DSLAB_EXERCISE"] != tc.ex {
			t.Errorf("exercise %q: DSLAB_EXERCISE %q", tc.ex, env["DSLAB_EXERCISE"])
		}
	}
}

// The banner fits the terminal (ShellConfig.Width, else $COLUMNS) and
// never breaks inside a word: the work directory's path stays whole.
func TestShellBannerWraps(t *testing.T) {
	p := testPaths(t)
	for _, w := range []int{60, 80} {
		for _, cfg := range []ShellConfig{
			{Paths: p, Executable: "/x/dslab", Exercise: "cordon-maintenance", Context: "kind-dslab", Width: w, Environ: []string{"PATH=/nonexistent"}},
			{Paths: p, Executable: "/x/dslab", Exercise: "gpu-only", Environ: []string{"PATH=/nonexistent", "COLUMNS=" + strconv.Itoa(w)}},
		} {
			cmd, err := ShellCommand(cfg)
			if err != nil {
				t.Fatal(err)
			}
			banner := envOf(cmd)["DSLAB_BANNER"]
			for _, l := range strings.Split(banner, "\n") {
				if cw := xansi.StringWidth(l); cw > w && len(strings.Fields(l)) > 1 {
					t.Errorf("width %d: line of %d cells: %q", w, cw, l)
				}
			}
			words := strings.Fields(banner)
			for _, want := range []string{WorkDir(p), "kubectl(dslab", "Ctrl-D", "hardware,disktype", cfg.Exercise} {
				if !slices.Contains(words, want) {
					t.Errorf("width %d: %q not whole in the banner:\n%s", w, want, banner)
				}
			}
		}
	}
}

// TestShellBannerNamesExerciseAndDownCluster: the banner's head names the
// exercise once and never repeats its label ("── dslab 실습 셸 (dslab 실습
// 셸) ──", trainee trial), and a cluster that is not running is said
// before kubectl fails in English.
func TestShellBannerNamesExerciseAndDownCluster(t *testing.T) {
	p := testPaths(t)
	cmd, err := ShellCommand(ShellConfig{Paths: p, Executable: "/x/dslab", Exercise: "gpu-only", Context: "dslab", ClusterDown: true, Width: 200, Environ: []string{"PATH=/nonexistent"}})
	if err != nil {
		t.Fatal(err)
	}
	banner := envOf(cmd)["DSLAB_BANNER"]
	head, _, _ := strings.Cut(banner, "\n")
	if head != "── dslab 실습 셸 · 연습 gpu-only ──" {
		t.Errorf("head %q does not name the exercise", head)
	}
	if !strings.Contains(banner, "클러스터가 실행 중이 아니라서") || !strings.Contains(banner, "c → u 로 먼저 시작하세요") {
		t.Errorf("the banner does not say the cluster is down:\n%s", banner)
	}
	cmd, err = ShellCommand(ShellConfig{Paths: p, Executable: "/x/dslab", Context: "dslab", Width: 200, Environ: []string{"PATH=/nonexistent"}})
	if err != nil {
		t.Fatal(err)
	}
	banner = envOf(cmd)["DSLAB_BANNER"]
	if strings.Count(banner, "실습 셸") != 1 || strings.Contains(banner, "실행 중이 아니라서") {
		t.Errorf("banner without an exercise, cluster up:\n%s", banner)
	}
}

// TestShellRunsDslabWithoutItOnPath: lessons and hints type `dslab …`
// (`dslab kubectl …`, `dslab grade`) in the lab shell; run from a checkout
// (bin/dslab via make run) dslab is not on PATH, so the shell gets a dslab
// that runs the binary that opened it — and no kubectl wrapper when PATH
// has a kubectl, nor a stale one from an earlier shell.
func TestShellRunsDslabWithoutItOnPath(t *testing.T) {
	p := testPaths(t)
	fakeShell := filepath.Join(t.TempDir(), "fakesh")
	os.WriteFile(fakeShell, []byte("#!/bin/sh\ndslab kubectl get nodes\n"), 0o755)
	// an earlier shell without kubectl on PATH left a kubectl wrapper
	if _, err := ShellCommand(ShellConfig{Paths: p, Executable: "/bin/echo", Environ: []string{"PATH=" + t.TempDir()}}); err != nil {
		t.Fatal(err)
	}
	realBin := t.TempDir()
	os.WriteFile(filepath.Join(realBin, "kubectl"), []byte("#!/bin/sh\n"), 0o755)
	cmd, err := ShellCommand(ShellConfig{Paths: p, Executable: "/bin/echo", Environ: []string{"PATH=" + realBin + ":/usr/bin:/bin", "SHELL=" + fakeShell}})
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(string(out), "\nkubectl get nodes\n") {
		t.Errorf("`dslab kubectl get nodes` did not run the binary that opened the shell:\n%s", out)
	}
	bin := filepath.Join(ShellDir(p), "bin")
	if _, err := os.Stat(filepath.Join(bin, "kubectl")); err == nil {
		t.Error("a kubectl wrapper shadows the kubectl on PATH")
	}
	if env := envOf(cmd); !strings.HasPrefix(env["PATH"], bin+":"+realBin) {
		t.Errorf("PATH=%s", env["PATH"])
	}
}
