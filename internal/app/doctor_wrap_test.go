package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"github.com/dslab-kr/dslab/internal/cluster/engine"
	"github.com/dslab-kr/dslab/internal/hangul"
)

// doctorCommands are the commands `dslab doctor` tells a learner to run,
// written without backticks in its fixes; each must stand whole on one
// line when it fits the width.
var doctorCommands = []string{
	"sudo apt-get install docker.io", "--runtime embedded", "sudo systemctl start docker",
	"podman machine start", "systemctl --user start podman.socket", "docker info",
	"sudo usermod -aG docker $USER", "dslab cluster up --runtime embedded", "dslab cluster up",
	"docker system prune", "dslab images load", "dslab doctor",
}

// Issue 14 (trial): `dslab doctor` at 80 columns split `podman machine
// start` over two lines, and CLI wrapping put a particle or a unit at the
// start of a line ("(TUI" / "에서는", "10.2" / "GiB"). The doctor's text for
// machines with each engine problem, low memory and a small terminal, at
// 60 and 80 columns: every command whole on a line, and no line that
// starts with a particle after a Latin word or a number, or with a unit
// after a number.
func TestDoctorTextKeepsCommandsAndParticles(t *testing.T) {
	situations := map[string]engine.Info{
		"no engine":   noEngine,
		"not running": {Engine: engine.Podman, Path: "/usr/bin/podman", Err: errors.New("Cannot connect to Podman. Please verify your connection to the Linux system using `podman system connection list`")},
		"permission":  {Engine: engine.Docker, Path: "/usr/bin/docker", Err: errors.New("permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock")},
		"low memory":  docker,
	}
	checked := 0
	for name, info := range situations {
		d := healthy(t, info, fakeKind{image: "kindest/node:v1.37.0"})
		d.memAvailable = func() (uint64, error) { return 2 << 30, nil }
		d.terminal = func() (int, int, bool) { return 60, 12, true }
		rep := runDoctor(context.Background(), d)
		for _, w := range []int{60, 80} {
			var out bytes.Buffer
			writeDoctorText(textOut{w: &out, width: w}, rep)
			text := out.String()
			flat := strings.Join(strings.Fields(text), " ")
			lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
			for _, cmd := range doctorCommands {
				if !strings.Contains(flat, cmd) || ansi.StringWidth(cmd)+2 > w {
					continue
				}
				checked++
				if !anyLineHas(lines, cmd) {
					t.Errorf("%s at %d columns: %q is split:\n%s", name, w, cmd, text)
				}
			}
			if bad := orphanStart(lines, w); bad != "" {
				t.Errorf("%s at %d columns: %s:\n%s", name, w, bad, text)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no command found in the doctor's texts")
	}
}

func anyLineHas(lines []string, s string) bool {
	for _, l := range lines {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}

// orphanStart names the first line that starts with what belongs to the
// end of the line before: a particle after a Latin word, a number or a
// closing bracket ("에서는" after "(TUI"), or a unit after a number ("GiB"
// after "10.2"); "" when there is none. A pair wider than width (a long
// path and its particle) may break: the path stands on a line of its own.
func orphanStart(lines []string, width int) string {
	units := map[string]bool{"B": true, "KiB": true, "MiB": true, "GiB": true, "TiB": true, "%": true, "초": true, "분": true, "개": true, "개에는": true, "점": true}
	for i := 1; i < len(lines); i++ {
		f := strings.Fields(lines[i])
		p := strings.Fields(lines[i-1])
		if len(f) == 0 || len(p) == 0 || ansi.StringWidth(p[len(p)-1]+" "+f[0]) > width {
			continue
		}
		last, _ := utf8.DecodeLastRuneInString(p[len(p)-1])
		latin := last < utf8.RuneSelf && (unicode.IsLetter(last) || unicode.IsDigit(last) || strings.ContainsRune(")]`'\"", last))
		switch {
		case latin && hangul.IsParticle(f[0]):
			return fmt.Sprintf("line %d starts with the particle %q of %q", i+1, f[0], p[len(p)-1])
		case unicode.IsDigit(last) && units[strings.TrimRight(f[0], ".,:)")]:
			return fmt.Sprintf("line %d starts with the unit %q of %q", i+1, f[0], p[len(p)-1])
		}
	}
	return ""
}
