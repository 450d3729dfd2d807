package supervisor

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"runtime"
	"syscall"
	"time"
)

// child supervises one control-plane component: a re-exec of the dslab
// binary (`dslab __component NAME flags…`) restarted with backoff when it
// dies.
type child struct {
	name    string
	exe     string
	args    []string
	logPath string
	log     *slog.Logger
	status  *statusWriter
	// started is closed after the first successful start.
	started chan struct{}
}

const (
	minBackoff   = 500 * time.Millisecond
	maxBackoff   = 30 * time.Second
	stableAfter  = time.Minute // a run this long resets the backoff
	stopGrace    = 8 * time.Second
	backoffScale = 2
)

// run starts the process and restarts it until ctx is done, then stops it
// (SIGTERM, then SIGKILL after stopGrace). It locks its OS thread so that
// Pdeathsig (which is tied to the spawning thread) kills the child exactly
// when the supervisor dies.
func (c *child) run(ctx context.Context) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	backoff := minBackoff
	first := true
	for ctx.Err() == nil {
		start := time.Now()
		err := c.runOnce(ctx, func() {
			if first {
				first = false
				close(c.started)
			}
		})
		if ctx.Err() != nil {
			return
		}
		ran := time.Since(start)
		if ran >= stableAfter {
			backoff = minBackoff
		}
		c.status.exited(c.name, fmt.Sprint(err))
		c.log.Warn("component exited; restarting", "component", c.name, "err", err, "ran", ran.Round(time.Millisecond), "backoff", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*backoffScale, maxBackoff)
	}
}

func (c *child) runOnce(ctx context.Context, onStart func()) error {
	logFile, err := os.OpenFile(c.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	defer logFile.Close()
	fmt.Fprintf(logFile, "\n==== %s: starting %s ====\n", time.Now().Format(time.RFC3339), c.name)
	cmd := exec.Command(c.exe, append([]string{"__component", c.name}, c.args...)...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.Env = append(os.Environ(), "GOGC=75")
	cmd.SysProcAttr = componentProcAttr()
	if err := cmd.Start(); err != nil {
		return err
	}
	c.status.started(c.name, cmd.Process.Pid)
	c.log.Info("component started", "component", c.name, "pid", cmd.Process.Pid)
	onStart()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err == nil {
			err = fmt.Errorf("exited with status 0")
		}
		return err
	case <-ctx.Done():
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(stopGrace):
			_ = cmd.Process.Kill()
			<-done
		}
		c.status.stopped(c.name)
		c.log.Info("component stopped", "component", c.name)
		return ctx.Err()
	}
}
