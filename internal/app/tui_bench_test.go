package app

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/dslab-kr/dslab/internal/testcluster"
)

// openPTY opens a pseudo-terminal pair of rows×cols.
func openPTY(rows, cols uint16) (master, slave *os.File, err error) {
	master, err = os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil, nil, err
	}
	fd := int(master.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		master.Close()
		return nil, nil, err
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		master.Close()
		return nil, nil, err
	}
	slave, err = os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		master.Close()
		return nil, nil, err
	}
	if err := unix.IoctlSetWinsize(int(slave.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: rows, Col: cols}); err != nil {
		master.Close()
		slave.Close()
		return nil, nil, err
	}
	return master, slave, nil
}

// procMemory reads a process's memory in MB: VmRSS, RssAnon (private
// anonymous memory: heap, stacks), Pss (RSS with shared pages divided
// among the processes that map them) and Referenced (the pages used since
// the last clearRefs: the working set).
func procMemory(tb testing.TB, pid int) (rss, anon, pss, referenced float64) {
	tb.Helper()
	read := func(file string, keys ...string) map[string]float64 {
		out := map[string]float64{}
		f, err := os.Open(filepath.Join("/proc", strconv.Itoa(pid), file))
		if err != nil {
			tb.Fatal(err)
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) < 2 {
				continue
			}
			for _, k := range keys {
				if fields[0] == k+":" {
					kb, _ := strconv.ParseFloat(fields[1], 64)
					out[k] = kb / 1024
				}
			}
		}
		return out
	}
	st := read("status", "VmRSS", "RssAnon")
	sm := read("smaps_rollup", "Pss", "Referenced")
	return st["VmRSS"], st["RssAnon"], sm["Pss"], sm["Referenced"]
}

// clearRefs resets the referenced bits of a process's pages.
func clearRefs(pid int) error {
	return os.WriteFile(filepath.Join("/proc", strconv.Itoa(pid), "clear_refs"), []byte("1"), 0)
}

// BenchmarkTUIMemoryWatching runs the real dslab TUI in a pseudo-terminal
// (120x40) on the embedded cluster, opens the gpu-only exercise (solved)
// and lets the watcher regrade while the learner deletes pods, then reports
// the TUI process's memory: RSS-MB (includes the clean, shared pages of the
// 280 MB dslab executable — most touched once by package initialisation —
// that the control plane processes map too), PSS-MB, anon-MB (its private
// memory: Go heap, stacks) and wset-MB (the pages it used while watching).
// Target ≤ 80 MB.
func BenchmarkTUIMemoryWatching(b *testing.B) {
	c := testcluster.Start(b)
	ctx := context.Background()
	for _, args := range [][]string{{"exercise", "start", "gpu-only"}} {
		if _, stderr, err := c.Run(ctx, args...); err != nil {
			b.Fatalf("%v: %v\n%s", args, err, stderr)
		}
	}
	sol, _, err := c.Run(ctx, "exercise", "solution", "gpu-only")
	if err != nil {
		b.Fatal(err)
	}
	solFile := filepath.Join(c.Root, "solution.yaml")
	if err := os.WriteFile(solFile, []byte(sol), 0o644); err != nil {
		b.Fatal(err)
	}
	if _, stderr, err := c.Run(ctx, "kubectl", "apply", "-f", solFile); err != nil {
		b.Fatalf("apply: %v\n%s", err, stderr)
	}

	for range b.N {
		master, slave, err := openPTY(40, 120)
		if err != nil {
			b.Skipf("no pseudo-terminal: %v", err)
		}
		cmd := exec.Command(c.Bin)
		cmd.Env = append(c.Env, "TERM=xterm-256color")
		cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		slave.Close()
		var mu sync.Mutex
		var screen bytes.Buffer
		go func() {
			buf := make([]byte, 64<<10)
			for {
				n, err := master.Read(buf)
				mu.Lock()
				screen.Write(buf[:n])
				mu.Unlock()
				if err != nil {
					return
				}
			}
		}()
		waitScreen := func(what string, d time.Duration) {
			deadline := time.Now().Add(d)
			for time.Now().Before(deadline) {
				mu.Lock()
				ok := strings.Contains(screen.String(), what)
				mu.Unlock()
				if ok {
					return
				}
				time.Sleep(50 * time.Millisecond)
			}
			_ = cmd.Process.Kill()
			b.Fatalf("the TUI never showed %q", what)
		}
		keys := func(s string) {
			for _, r := range s {
				if _, err := master.Write([]byte(string(r))); err != nil {
					b.Fatal(err)
				}
				time.Sleep(100 * time.Millisecond)
			}
		}
		waitScreen("노드 4/4", 30*time.Second)
		keys("jjjjx") // lesson 5 → its exercise, gpu-only
		waitScreen("통과 · 10/10점", 30*time.Second)
		refs := clearRefs(cmd.Process.Pid)
		// Watching: the learner deletes pods, the map follows.
		for i := range 5 {
			pods, err := c.Client.CoreV1().Pods("dslab").List(ctx, metav1.ListOptions{LabelSelector: "app=gpu-monitor"})
			if err != nil || len(pods.Items) == 0 {
				b.Fatalf("pods: %v", err)
			}
			_ = c.Client.CoreV1().Pods("dslab").Delete(ctx, pods.Items[i%len(pods.Items)].Name, metav1.DeleteOptions{})
			time.Sleep(time.Second)
		}
		time.Sleep(2 * time.Second)
		rss, anon, pss, ws := procMemory(b, cmd.Process.Pid)
		b.ReportMetric(rss, "RSS-MB")
		b.ReportMetric(pss, "PSS-MB")
		b.ReportMetric(anon, "anon-MB")
		if refs == nil {
			b.ReportMetric(ws, "wset-MB")
		}
		keys("q")
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				b.Errorf("dslab exited: %v", err)
			}
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			b.Error("dslab did not quit on q")
		}
		master.Close()
		if b.Failed() {
			mu.Lock()
			b.Log(fmt.Sprintf("screen (last 2000 bytes): %q", tail(screen.String(), 2000)))
			mu.Unlock()
		}
	}
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}
