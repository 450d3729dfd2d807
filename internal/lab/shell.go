package lab

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"k8s.io/client-go/kubernetes"

	"github.com/charmbracelet/x/term"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/hangul"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/paths"
	"github.com/dslab-kr/dslab/internal/render"
)

// ShellConfig says how to open the lab shell.
type ShellConfig struct {
	Paths paths.Paths
	// Executable is the dslab binary (its `kubectl` subcommand stands in
	// for kubectl when none is on PATH).
	Executable string
	// Environ is the environment the shell inherits (os.Environ()).
	Environ []string
	// Context is the lab's kubeconfig context ("dslab" or "kind-dslab").
	Context string
	// Exercise is the id of the exercise the cluster is set up for
	// (CurrentExercise; "" when none); the prompt names it.
	Exercise string
	// Width is the terminal's width in cells, for the banner: 0 means the
	// width of the terminal on stdout (where the shell runs), else $COLUMNS
	// from Environ, else 80. The banner never breaks inside a word, a path
	// or a command (render.WrapWhole).
	Width int
	// ClusterDown says the lab's cluster is not running: the banner says
	// so first (kubectl would fail with English errors otherwise).
	ClusterDown bool
}

// bannerWidth is the width the banner wraps to (see ShellConfig.Width).
func bannerWidth(cfg ShellConfig, env map[string]string) int {
	if cfg.Width > 0 {
		return cfg.Width
	}
	if term.IsTerminal(os.Stdout.Fd()) {
		if w, _, err := term.GetSize(os.Stdout.Fd()); err == nil && w > 0 {
			return w
		}
	}
	if n, err := strconv.Atoi(env["COLUMNS"]); err == nil && n > 0 {
		return n
	}
	return 80
}

// shellPrompt is the lab shell's prompt label: "(dslab 연습 gpu-only)", or
// "(dslab 실습 셸)" without an exercise.
func shellPrompt(exercise string) string {
	if exercise == "" {
		return "(dslab 실습 셸)"
	}
	return "(dslab 연습 " + exercise + ")"
}

// ShellDir holds the lab shell's kubeconfig and kubectl wrapper:
// $XDG_DATA_HOME/dslab/shell.
func ShellDir(p paths.Paths) string { return filepath.Join(p.DataDir, "shell") }

// clearScreen is the shell command that clears the terminal and homes the
// cursor (ESC [H ESC [2J); the lab shell runs on the TUI's terminal.
const clearScreen = `printf '\033[H\033[2J'; `

// ShellCommand prepares the lab shell: $SHELL (else /bin/sh) started in the
// work directory (WorkDir) with a prompt that says it is the lab shell
// ("(dslab 연습 gpu-only) ~/…$", bash and POSIX sh alike), KUBECONFIG set so that the current context is the lab's (a small
// kubeconfig naming the context comes first, the learner's files after it,
// untouched), `kubectl` resolving to dslab's built-in one when there is no
// kubectl on PATH, and a Korean banner saying how to come back.
func ShellCommand(cfg ShellConfig) (*exec.Cmd, error) {
	env := map[string]string{}
	var order []string
	for _, kv := range cfg.Environ {
		k, v, _ := strings.Cut(kv, "=")
		if _, dup := env[k]; !dup {
			order = append(order, k)
		}
		env[k] = v
	}
	set := func(k, v string) {
		if _, ok := env[k]; !ok {
			order = append(order, k)
		}
		env[k] = v
	}

	dir := ShellDir(cfg.Paths)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("셸 준비 디렉터리 %s %s 만들 수 없습니다: %w", dir, hangul.EulReul(dir), err)
	}
	ctxName := cfg.Context
	if ctxName == "" {
		ctxName = "dslab"
	}
	shim := filepath.Join(dir, "kubeconfig")
	content := "# dslab 실습 셸이 현재 컨텍스트를 정하려고 만든 파일입니다 (다른 설정은 아래 KUBECONFIG 파일들에 있습니다)\n" +
		"apiVersion: v1\nkind: Config\ncurrent-context: " + ctxName + "\n"
	if err := os.WriteFile(shim, []byte(content), 0o600); err != nil {
		return nil, fmt.Errorf("셸용 kubeconfig 를 쓸 수 없습니다: %w", err)
	}
	set("KUBECONFIG", strings.Join(append([]string{shim}, cfg.Paths.Kubeconfigs...), string(os.PathListSeparator)))

	// The shell's bin directory comes first on PATH with a `dslab` that runs
	// this very binary: lessons, hints and advice all say `dslab …`, and
	// after `make run` no dslab is on the learner's PATH ("dslab: command
	// not found", trainee trial). A wrapper rather than the binary's own
	// directory: nothing else that directory holds shadows the learner's
	// commands. `kubectl` there is dslab's built-in one, only when the
	// learner has no kubectl (a stale wrapper is removed otherwise).
	kubectlNote := "kubectl"
	if cfg.Executable != "" {
		bin := filepath.Join(dir, "bin")
		if err := os.MkdirAll(bin, 0o700); err != nil {
			return nil, fmt.Errorf("셸 준비 디렉터리 %s %s 만들 수 없습니다: %w", bin, hangul.EulReul(bin), err)
		}
		self := "#!/bin/sh\n# 이 랩(TUI)을 실행한 dslab\nexec " + api.ShellArg(cfg.Executable) + " \"$@\"\n"
		if err := os.WriteFile(filepath.Join(bin, "dslab"), []byte(self), 0o700); err != nil {
			return nil, fmt.Errorf("dslab 래퍼를 쓸 수 없습니다: %w", err)
		}
		// A shell opened from a lab shell: its PATH already holds bin.
		var rest []string
		for _, d := range filepath.SplitList(env["PATH"]) {
			if d != bin {
				rest = append(rest, d)
			}
		}
		restPath := strings.Join(rest, string(os.PathListSeparator))
		wrapper := filepath.Join(bin, "kubectl")
		if _, ok := lookPath(restPath, "kubectl"); ok {
			if err := os.Remove(wrapper); err != nil && !os.IsNotExist(err) {
				return nil, fmt.Errorf("지난 kubectl 래퍼를 지울 수 없습니다: %w", err)
			}
		} else {
			script := "#!/bin/sh\n# dslab 의 내장 kubectl\nexec " + api.ShellArg(cfg.Executable) + " kubectl \"$@\"\n"
			if err := os.WriteFile(wrapper, []byte(script), 0o700); err != nil {
				return nil, fmt.Errorf("kubectl 래퍼를 쓸 수 없습니다: %w", err)
			}
			kubectlNote = "kubectl(dslab 내장)"
		}
		path := bin
		if restPath != "" {
			path += string(os.PathListSeparator) + restPath
		}
		set("PATH", path)
	}

	shell := env["SHELL"]
	if shell == "" {
		shell = "/bin/sh"
	}
	// The shell starts in the work directory, where the exercise's work
	// file is (WorkFile), so `kubectl apply -f <ID>.yaml` just works.
	work := WorkDir(cfg.Paths)
	if err := os.MkdirAll(work, 0o755); err != nil {
		return nil, fmt.Errorf("작업 디렉터리 %s %s 만들 수 없습니다: %w", work, hangul.EulReul(work), err)
	}
	label := shellPrompt(cfg.Exercise)
	set("DSLAB_SHELL", "1")
	set("DSLAB_USER_SHELL", shell)
	set("DSLAB_PROMPT", label)
	// `dslab grade` and `dslab exercise show` without an ID use it
	// (internal/app ShellExerciseEnv); "" outside an exercise.
	set("DSLAB_EXERCISE", cfg.Exercise)
	set("PWD", work)
	// bash reads ~/.bashrc, which usually sets PS1: a small rc file sources
	// it and then puts the label in front of the learner's own prompt. Other
	// shells (sh, dash) get PS1 from the environment: the label, the
	// directory ($PWD, expanded by POSIX shells when the prompt is shown)
	// and "$ ".
	set("PS1", label+` ${PWD} \$ `)
	// The screen is cleared before the banner (clearScreen): a shell
	// opened again showed the previous shell's output above it (issue 14).
	script := clearScreen + `printf '%s\n' "$DSLAB_BANNER"; exec "$DSLAB_USER_SHELL" -i`
	if filepath.Base(shell) == "bash" {
		rc := filepath.Join(dir, "bashrc")
		rcText := "# dslab 실습 셸: 평소 ~/.bashrc 를 읽고 프롬프트 앞에 실습 셸 표시를 붙입니다\n" +
			"[ -f ~/.bashrc ] && . ~/.bashrc\n" +
			`case "$PS1" in *"$DSLAB_PROMPT"*) ;; *) PS1="$DSLAB_PROMPT ${PS1:-\w \$ }" ;; esac` + "\n"
		if err := os.WriteFile(rc, []byte(rcText), 0o600); err != nil {
			return nil, fmt.Errorf("셸 설정 파일을 쓸 수 없습니다: %w", err)
		}
		set("PS1", label+` \w \$ `)
		script = clearScreen + `printf '%s\n' "$DSLAB_BANNER"; exec "$DSLAB_USER_SHELL" --rcfile ` + api.ShellArg(rc) + ` -i`
	}
	// The head names the exercise once ("── dslab 실습 셸 · 연습 gpu-only ──"),
	// never the label twice ("── dslab 실습 셸 (dslab 실습 셸) ──").
	head := "── dslab 실습 셸 ──"
	if cfg.Exercise != "" {
		head = "── dslab 실습 셸 · 연습 " + cfg.Exercise + " ──"
	}
	var down []string
	if cfg.ClusterDown {
		down = []string{"주의: 클러스터가 실행 중이 아니라서 kubectl 명령은 실패합니다 — exit 로 돌아가 c → u 로 먼저 시작하세요."}
	}
	set("DSLAB_BANNER", render.WrapWhole(strings.Join(append(append([]string{head}, down...),
		fmt.Sprintf("%s %s 컨텍스트 %s %s 씁니다.", kubectlNote, hangul.EunNeun(kubectlNote), ctxName, hangul.EulReul(ctxName)),
		"작업 디렉터리: "+work,
		"예: kubectl get nodes -L hardware,disktype",
		"exit 또는 Ctrl-D 로 랩(TUI)에 돌아갑니다.",
	), "\n"), bannerWidth(cfg, env)))

	cmd := exec.Command("/bin/sh", "-c", script)
	cmd.Dir = work
	for _, k := range order {
		cmd.Env = append(cmd.Env, k+"="+env[k])
	}
	return cmd, nil
}

// CurrentExercise is the exercise the cluster is set up for now: the
// in-cluster record exercise start leaves (kube.LoadCurrent, ConfigMap
// dslab-system/dslab-current), else — a cluster that has no record, or
// one this user may not read — the exercise started last from this
// machine (ActiveExercise over the state of the cluster of contextName).
// "" when no exercise was started on it. client may be nil (local state
// only).
func CurrentExercise(ctx context.Context, client kubernetes.Interface, p paths.Paths, contextName string) string {
	if client != nil {
		cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		cur, err := kube.LoadCurrent(cctx, client)
		cancel()
		if err == nil && cur != nil {
			return cur.Exercise
		}
	}
	id, _ := ActiveExercise(p, kube.StateName(contextName))
	return id
}
