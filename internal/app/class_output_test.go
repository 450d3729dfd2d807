package app

import (
	"bytes"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
)

// TestInstallLineWhole: with prose wrapped narrow and the command width
// unknown (0), the install line still stands whole on one line.
func TestInstallLineWhole(t *testing.T) {
	var buf bytes.Buffer
	prose := textOut{w: &buf, width: 30}
	printInstallLine(prose.Lines(), &buf, "http://192.168.0.10:7070", "123456", 0)
	out := buf.String()
	for _, want := range []string{
		"\n  " + server.InstallLine("http://192.168.0.10:7070", "123456") + "\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing whole line %q in:\n%s", want, out)
		}
	}
}

// TestLocalServerURL: board/send/watch use the address serve recorded, and
// say when they fall back to the default.
func TestLocalServerURL(t *testing.T) {
	dir := t.TempDir()
	if u, rec := localServerURL(dir); rec || u != "http://127.0.0.1"+DefaultClassListen {
		t.Fatalf("nothing recorded: %q %v", u, rec)
	}
	if err := writeServerAddr(dir, "http://127.0.0.1:9090"); err != nil {
		t.Fatal(err)
	}
	if u, rec := localServerURL(dir); !rec || u != "http://127.0.0.1:9090" {
		t.Fatalf("recorded: %q %v", u, rec)
	}
}

// TestCommandLineEveryKind: class-wide hints and freezes are named, and
// whether a command was for the class or for this student.
func TestCommandLineEveryKind(t *testing.T) {
	for _, c := range []struct {
		cmd  api.Command
		want string
	}{
		{api.Command{Kind: api.CommandUnlockHint, Exercise: "taints"}, "힌트 열림: taints (수업 전체)"},
		{api.Command{Kind: api.CommandUnlockHint, Exercise: "taints", RosterID: "s1"}, "힌트 열림: taints (나에게)"},
		{api.Command{Kind: api.CommandFreeze}, "제출 마감 (이후 제출은 '마감 후'로 표시됩니다) (수업 전체)"},
		{api.Command{Kind: api.CommandUnfreeze}, "제출 마감 해제 (수업 전체)"},
	} {
		if got := commandLine(c.cmd); got != c.want {
			t.Errorf("%+v: %q, want %q", c.cmd, got, c.want)
		}
	}
}
