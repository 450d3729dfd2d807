package transcript_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/testcluster"
	"github.com/dslab-kr/dslab/lessons"
	"github.com/dslab-kr/dslab/lessons/transcript"
)

// settle bounds how long a read-only command (kubectl get, describe,
// rollout status) is retried until its output matches the lesson: the
// controllers act asynchronously, and a learner who types the command a few
// seconds later sees the settled state.
const settle = 40 * time.Second

// TestIntegrationLessonTranscripts replays every lesson, in course order, on
// one fresh embedded cluster, as a learner would: file blocks are saved in
// the lesson's own directory, each `kubectl …` command runs through `dslab
// kubectl` (a kubectl on PATH that execs it), each `dslab …` runs the dslab
// binary, and what they print is compared with the output block the lesson
// shows after the command (transcript.Compare); a command shown without
// output must succeed.
// State carries over from lesson to lesson. Blocks marked norun are skipped
// with the reason the reader sees. DSLAB_LESSONS_UPTO=N replays only the
// first N lessons (while writing a lesson).
func TestIntegrationLessonTranscripts(t *testing.T) {
	course, err := lessons.Course()
	if err != nil {
		t.Fatal(err)
	}
	c := testcluster.Start(t)
	work := t.TempDir()
	bin := filepath.Join(work, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	shim := fmt.Sprintf("#!/bin/sh\nexec %q kubectl \"$@\"\n", c.Bin)
	if err := os.WriteFile(filepath.Join(bin, "kubectl"), []byte(shim), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(c.Bin, filepath.Join(bin, "dslab")); err != nil {
		t.Fatal(err)
	}
	env := []string{"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH")}
	for _, kv := range c.Env {
		if !strings.HasPrefix(kv, "PATH=") {
			env = append(env, kv)
		}
	}
	names := transcript.Names{}
	start := time.Now()
	upto := len(course)
	if v := os.Getenv("DSLAB_LESSONS_UPTO"); v != "" {
		// development aid: replay only the first N lessons
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("DSLAB_LESSONS_UPTO=%q: want a lesson number", v)
		}
		upto = min(n, upto)
	}
	for _, l := range course[:upto] {
		steps, err := transcript.Parse(l.Body)
		if err != nil {
			t.Fatalf("%s: %v", l.File, err)
		}
		off := l.BodyLine - 1 // lines of the .md file before the body, so failures name lines of the file
		for i := range steps {
			if b := steps[i].Block; b != nil {
				b.Line += off
				for j := range b.Commands {
					b.Commands[j].Line += off
				}
			}
		}
		dir := filepath.Join(work, l.ID)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		lessonStart := time.Now()
		t.Run(l.File, func(t *testing.T) {
			for _, s := range steps {
				if s.File != nil {
					if err := os.WriteFile(filepath.Join(dir, s.File.Name), []byte(s.File.Content), 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				b := s.Block
				if b.Skip != "" {
					t.Logf("line %d: not replayed: %s", b.Line, b.Skip)
					continue
				}
				for _, cmd := range b.Commands {
					replay(t, l.File, dir, env, cmd, names)
				}
			}
		})
		t.Logf("%s replayed in %s", l.File, time.Since(lessonStart).Round(time.Second))
	}
	t.Logf("course replayed in %s", time.Since(start).Round(time.Second))
}

func replay(t *testing.T, file, dir string, env []string, cmd transcript.Command, names transcript.Names) {
	t.Helper()
	text := names.Substitute(cmd.Text)
	deadline := time.Now().Add(settle)
	for {
		out, code := run(dir, env, text)
		var err error
		switch {
		case len(cmd.Expected) == 0 && code != 0:
			err = fmt.Errorf("exit code %d (the lesson shows no output, so the command must succeed):\n%s", code, out)
		case len(cmd.Expected) == 0:
		default:
			err = transcript.Compare(cmd.Expected, out, names)
		}
		if err == nil {
			return
		}
		if transcript.Mutates(text) || time.Now().After(deadline) {
			t.Errorf("%s:%d: $ %s\n%v", file, cmd.Line, text, err)
			return
		}
		time.Sleep(time.Second)
	}
}

func run(dir string, env []string, text string) (string, int) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", text)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	return string(out), testcluster.ExitCode(err)
}
