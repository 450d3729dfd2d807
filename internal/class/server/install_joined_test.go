package server_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/client"
	"github.com/dslab-kr/dslab/internal/class/server"
)

// TestInstallLineOnJoinedComputerSaysAlreadyJoined (issue 12, class19
// item 4): the install line run again on a computer already in the class
// (same server, same 학번) told the student to join again. It finds the
// credentials dslab keeps, asks the server whether it still takes their
// token, and then says the student is already in and what to run next —
// with every form of the line, and without the join check, so that it
// works after the instructor closed joining. A computer whose place was
// taken (the same 학번 joined from another computer) is not "joined": the
// line goes on as for anyone (here the check refuses it). The real client
// joins and saves the credentials; the server runs on loopback.
func TestInstallLineOnJoinedComputerSaysAlreadyJoined(t *testing.T) {
	f := installFixture(t)
	ctx := context.Background()
	home := t.TempDir()
	cfg := filepath.Join(home, ".config", "dslab")
	const machine = "machine-joined01"
	j, err := client.Join(ctx, f.srv.Client(), f.srv.URL, api.JoinRequest{Code: f.code, Name: "김철수", StudentID: "2026001", MachineID: machine})
	if err != nil {
		t.Fatal(err)
	}
	if err := client.SaveCredentials(cfg, client.Credentials{Server: f.srv.URL, Token: j.Token, RosterID: j.RosterID, Name: j.Name, Class: j.Class, MachineID: machine}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cfg, "class", "machine-id"), []byte(machine+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, body := f.command(f.instructor, api.CommandRequest{Kind: api.CommandCloseJoin}); code != http.StatusCreated {
		t.Fatalf("close-join: %d %s", code, body)
	}
	full := server.InstallLine(f.srv.URL, f.code)
	lines := map[string]string{
		"no arguments":  server.InstallLine(f.srv.URL, ""),
		"code only":     strings.TrimSuffix(full, " 이름 학번"),
		"code and name": strings.Replace(full, "이름 학번", `"김철수"`, 1),
		"with 학번":       strings.Replace(full, "이름 학번", `"김철수" 2026001`, 1),
	}
	for what, line := range lines {
		out, err := runInstallLine(home, line)
		if err != nil || !strings.Contains(out, "이 컴퓨터는 이미 이 수업에 참가해 있습니다 (학번 2026001)") ||
			!strings.Contains(out, "다시 참가할 필요가 없습니다") || !strings.Contains(out, "dslab class status") ||
			strings.Contains(out, "참가하세요:") || strings.Contains(out, "dslab class join") {
			t.Errorf("%s: %v\n%s", what, err, out)
		}
	}

	// The student moved to another computer: this one's token is gone.
	if code, body := f.do("POST", api.PathApprove, f.instructor, mustJSON(api.ApproveRequest{RosterID: "2026001"})); code != http.StatusOK {
		t.Fatalf("approve: %d %s", code, body)
	}
	f.join("2026001", "machine-other001")
	out, err := runInstallLine(home, lines["with 학번"])
	if err == nil || strings.Contains(out, "이미 이 수업에 참가해 있습니다") || !strings.Contains(out, "다른 컴퓨터에서 이미 참가했습니다") {
		t.Fatalf("replaced computer: %v\n%s", err, out)
	}
}
