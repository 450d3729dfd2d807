package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/term"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/internal/class/client"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/lab"
	"github.com/dslab-kr/dslab/internal/progress"
	"github.com/dslab-kr/dslab/internal/render"
	"github.com/dslab-kr/dslab/internal/tui"
	"github.com/dslab-kr/dslab/lessons"
)

// runTUI opens the full-screen TUI (`dslab` without arguments).
func runTUI(ctx context.Context, env Env) error {
	out, ok := terminalFile(env.Streams.Out)
	if !ok {
		return usageError("TUI 를 열 수 없습니다: 표준 출력(stdout)이 터미널이 아닙니다.\n" +
			"강의 목록은 dslab lessons, 강의 내용은 dslab lessons show <ID> --plain 으로 볼 수 있습니다.")
	}
	logger := env.Logger().With("component", "tui")

	course, err := lessons.Course()
	if err != nil {
		logger.Error("loading lessons", "err", err)
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("강의 파일을 읽지 못했습니다(lessons): %w", err)}
	}

	store, notice, err := progress.Open(env.Paths.ProgressFile())
	if err != nil {
		logger.Error("opening progress", "err", err)
		notice = fmt.Sprintf("진행 상황 파일(progress.json)을 읽지 못해 이번 실행의 진행 상황은 저장하지 않습니다: %v", err)
		store = progress.New("")
	} else if notice != "" {
		logger.Warn("progress file was unusable and moved aside", "notice", notice)
	}

	// Width of Hangul-adjacent symbols must agree between glamour and
	// lipgloss whatever the locale.
	render.NarrowAmbiguousWidth()
	lr := lipgloss.NewRenderer(out)
	// Ask the terminal for its background now, before bubbletea owns stdin.
	lr.HasDarkBackground()
	md, err := render.New(render.Options{Profile: lr.ColorProfile()})
	if err != nil {
		return err
	}
	catalog, err := exercises.Load()
	if err != nil {
		logger.Error("loading exercises", "err", err)
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("연습 문제를 읽지 못했습니다(exercises): %w", err)}
	}
	// The TUI works on the lab cluster: its texts name that cluster's nodes.
	catalog = catalog.Localize(kube.StateName(""))

	// The watcher follows the lab cluster for as long as the TUI runs: it
	// connects when the cluster comes up and grades the open exercise live.
	labCtx, stopLab := context.WithCancel(ctx)
	defer stopLab()
	// Failing grades of the started exercise go to the cluster as attempt
	// records (at most every few seconds) for instructor grading.
	attempts := lab.NewAttemptWriter(0, func(err error) { logger.Warn("record attempt", "err", err) })
	wcfg := lab.WatcherConfig{Connect: labConnect(env), Paths: env.Paths, Logger: env.Logger(), Attempts: attempts, Progress: store}
	// A learner who joined a class sends every live grade to the class
	// server in the background (throttled; failures wait in the outbox).
	attachClassSubmitter(labCtx, env, &wcfg, client.AutoConfig{})
	watcher := lab.NewWatcher(wcfg)
	watcherDone := make(chan struct{})
	go func() {
		var wg sync.WaitGroup
		wg.Go(func() { attempts.Run(labCtx) })
		watcher.Run(labCtx)
		wg.Wait()
		close(watcherDone)
	}()
	defer func() {
		stopLab()
		select {
		case <-watcherDone:
		case <-time.After(3 * time.Second):
			logger.Warn("watcher did not stop in time")
		}
	}()

	// Every save of a work file is applied (as README says); without the
	// watcher, the file is still applied when the editor closes.
	workFiles, werr := lab.WatchWorkDir(lab.WorkDir(env.Paths))
	if werr != nil {
		logger.Warn("work file watcher", "err", werr)
		workFiles = nil
	} else {
		defer workFiles.Close()
	}

	m, err := tui.New(tui.Options{
		Course:   course,
		Progress: store,
		Lipgloss: lr,
		Markdown: md,
		Logger:   logger,
		Paths:    env.Paths,
		Notice:   notice,
		Lab: &tui.Lab{
			Context:    labCtx,
			Catalog:    catalog,
			Watcher:    watcher,
			WorkFiles:  workFiles,
			Cluster:    tuiCluster{env: env},
			Executable: env.Executable,
			Environ:    os.Environ(),
			PathNote:   dslabPathNote(env.Executable, env.Paths, exec.LookPath),
			Getenv:     env.Getenv,
			// Instructor commands while joined to a class (class_actions.go).
			Class: tuiClassPoll(env, catalog, store, watcher, 0),
			// A pass while the class is frozen is said to be 마감 후.
			ClassFrozen: func() bool { return classFrozen(env) },
			// The next-exercise suggestion stays inside the class (issue 12).
			ClassExercises: classExerciseIDs(env),
		},
	})
	if err != nil {
		return err
	}

	opts := []tea.ProgramOption{tea.WithAltScreen(), tea.WithContext(ctx), tea.WithOutput(out)}
	if in, ok := terminalFile(env.Streams.In); ok {
		opts = append(opts, tea.WithInput(in))
	} else {
		opts = append(opts, tea.WithInputTTY())
	}
	logger.Info("tui start", "lessons", len(course), "progress", store.Path())
	_, runErr := tea.NewProgram(m, opts...).Run()

	// The model saves on quit; save again for the paths that skip it
	// (signals, a cancelled context).
	if err := store.Save(); err != nil {
		logger.Error("saving progress", "err", err)
		env.textErr().Printf("경고: 진행 상황을 저장하지 못했습니다(progress.json): %v\n", err)
	}
	switch {
	case runErr == nil, errors.Is(runErr, tea.ErrInterrupted):
		return nil
	case errors.Is(runErr, tea.ErrProgramPanic):
		logger.Error("tui panic", "err", runErr)
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("TUI 에 예기치 못한 오류가 발생했습니다(panic). 자세한 내용은 %s 의 로그를 확인하세요", env.Paths.LogDir())}
	case errors.Is(runErr, tea.ErrProgramKilled) && ctx.Err() != nil:
		logger.Info("tui stopped", "reason", ctx.Err())
		return nil
	default:
		logger.Error("tui failed", "err", runErr)
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("TUI 를 실행하지 못했습니다: %w", runErr)}
	}
}

// terminalFile returns s as a file if it is a terminal.
func terminalFile(s any) (*os.File, bool) {
	f, ok := s.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) {
		return nil, false
	}
	return f, true
}

// controllingTerminalWidth is the width of the process's controlling
// terminal (/dev/tty), whatever its standard streams are.
func controllingTerminalWidth() (int, bool) {
	f, err := os.Open("/dev/tty")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	return terminalWidth(f)
}

// terminalWidth is the width of w if it is a terminal.
func terminalWidth(w io.Writer) (int, bool) {
	f, ok := terminalFile(w)
	if !ok {
		return 0, false
	}
	width, _, err := term.GetSize(f.Fd())
	if err != nil || width <= 0 {
		return 0, false
	}
	return width, true
}
