package server_test

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/client"
	"github.com/dslab-kr/dslab/internal/class/server"
)

// installFixture is a class server on loopback serving, as its own
// build, a fake dslab that prints its arguments (no dist/ builds); t is
// skipped without curl, which the install line needs.
func installFixture(t *testing.T) *boardFix {
	t.Helper()
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed: the install line needs it")
	}
	dir := t.TempDir()
	st := openSQLite(t, dir)
	t.Cleanup(func() { st.Close() })
	bin := filepath.Join(dir, "running-dslab")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\necho \"dslab $*\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return boardFixture(t, st, dir, server.BoardConfig{Executable: bin, DistDir: filepath.Join(dir, "no-dist")})
}

// runInstallLine runs an install line with sh in HOME home (PATH kept),
// returning its output (stdout and stderr).
func runInstallLine(home, line string) (string, error) {
	cmd := exec.Command("sh", "-c", line)
	cmd.Env = []string{"HOME=" + home, "PATH=" + os.Getenv("PATH")}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestInstallLineChecksCodeThenSkipsSameBuild is issue 12's instructor
// trial finding: install.sh downloaded the 200 MB build before looking at
// the join code, and again on every run. The install line now asks the
// server about the code first (a wrong code or a closed class downloads
// nothing) and keeps an installed dslab whose SHA-256 matches the
// server's SHA256SUMS (the same file, not rewritten), saying so in Korean.
// Run twice in one clean HOME against the server on loopback.
func TestInstallLineChecksCodeThenSkipsSameBuild(t *testing.T) {
	f := installFixture(t)
	installed := func(home string) string { return filepath.Join(home, ".local", "bin", "dslab") }
	run := func(home, code string) (string, error) {
		t.Helper()
		return runInstallLine(home, server.InstallLine(f.srv.URL, code))
	}

	wrong := "000000"
	if f.code == wrong {
		wrong = "111111"
	}
	home := t.TempDir()
	out, err := run(home, wrong)
	if err == nil || !strings.Contains(out, "참가 코드가 맞지 않습니다") || !strings.Contains(out, "아무것도 내려받지 않았습니다") || strings.Contains(out, "내려받는 중") {
		t.Fatalf("wrong code: %v\n%s", err, out)
	}
	if _, err := os.Stat(installed(home)); !os.IsNotExist(err) {
		t.Fatalf("a wrong code installed dslab: %v", err)
	}

	out, err = run(home, f.code)
	if err != nil || !strings.Contains(out, "참가 코드를 확인했습니다") || !strings.Contains(out, "내려받는 중") || !strings.Contains(out, "설치했습니다") {
		t.Fatalf("first install: %v\n%s", err, out)
	}
	// The installed stand-in echoes its arguments: the script joined.
	// (install.sh runs join with --student-id, which every dslab build
	// takes; the command a student types is api.JoinCommand.)
	if !strings.Contains(out, "dslab class join "+f.srv.URL+" --code "+f.code+" --name 이름 --student-id 학번") {
		t.Fatalf("first install did not join:\n%s", out)
	}
	before, err := os.Stat(installed(home))
	if err != nil {
		t.Fatal(err)
	}

	out, err = run(home, f.code)
	if err != nil || strings.Contains(out, "내려받는 중") || !strings.Contains(out, "서버의 빌드") || !strings.Contains(out, "다시 내려받지 않습니다") {
		t.Fatalf("second install: %v\n%s", err, out)
	}
	after, err := os.Stat(installed(home))
	if err != nil || !os.SameFile(before, after) || !strings.Contains(out, "dslab class join") {
		t.Fatalf("second install replaced the file or did not join (%v)\n%s", err, out)
	}

	// With the code only, the script prints the join command a student
	// types (api.JoinCommand, the projector's short form).
	codeOnly := exec.Command("sh", "-c", strings.TrimSuffix(server.InstallLine(f.srv.URL, f.code), " 이름 학번"))
	codeOnly.Env = []string{"HOME=" + home, "PATH=" + os.Getenv("PATH")}
	if b, err := codeOnly.CombinedOutput(); err != nil || !strings.Contains(string(b), "다음 명령으로 참가하세요 (이름·학번을 자기 것으로 바꿔서):\n  "+api.JoinCommand(f.srv.URL, f.code)+"\n") {
		t.Fatalf("install with the code only: %v\n%s", err, b)
	}

	// Another dslab at that place (an older build) is replaced.
	os.WriteFile(installed(home), []byte("#!/bin/sh\necho old\n"), 0o755)
	if out, err = run(home, f.code); err != nil || !strings.Contains(out, "내려받는 중") {
		t.Fatalf("install over an older build: %v\n%s", err, out)
	}
	if b, _ := os.ReadFile(installed(home)); !strings.Contains(string(b), "dslab $*") {
		t.Fatalf("older build kept: %q", b)
	}

	// Joining closed: a new 학번 downloads nothing.
	if code, body := f.command(f.instructor, api.CommandRequest{Kind: api.CommandCloseJoin}); code != http.StatusCreated {
		t.Fatalf("close-join: %d %s", code, body)
	}
	fresh := t.TempDir()
	out, err = run(fresh, f.code)
	if err == nil || !strings.Contains(out, "참가를 닫았습니다") || strings.Contains(out, "내려받는 중") {
		t.Fatalf("closed class: %v\n%s", err, out)
	}
	if _, err := os.Stat(installed(fresh)); !os.IsNotExist(err) {
		t.Fatalf("a closed class installed dslab: %v", err)
	}
}

// TestInstallLineRefusesClassmatesStudentIDBeforeDownload is issue 12's
// instructor trial: the install line with a 학번 that already joined from
// another computer passed the code check, downloaded 295 MB and only then
// failed in dslab class join with advice for the join command. The check
// now refuses it before any download, with advice for the install line;
// the computer that joined with that 학번 (its machine id in the config
// dir) and an approved rejoin pass.
func TestInstallLineRefusesClassmatesStudentIDBeforeDownload(t *testing.T) {
	f := installFixture(t)
	const machineA = "machine-aaaaaaaa"
	f.join("2026001", machineA)
	installed := func(home string) string { return filepath.Join(home, ".local", "bin", "dslab") }
	run := func(home string) (string, error) {
		t.Helper()
		line := strings.Replace(server.InstallLine(f.srv.URL, f.code), "이름 학번", `"박서연" 2026001`, 1)
		return runInstallLine(home, line)
	}

	home := t.TempDir()
	out, err := run(home)
	if err == nil || strings.Contains(out, "내려받는 중") || strings.Contains(out, "참가 코드를 확인했습니다") ||
		!strings.Contains(out, "아무것도 내려받지 않았습니다") || !strings.Contains(out, "다른 컴퓨터에서 이미 참가했습니다") ||
		!strings.Contains(out, "자기 학번으로 설치 줄을 다시 실행하세요") || !strings.Contains(out, "dslab class approve 2026001") {
		t.Fatalf("classmate's 학번: %v\n%s", err, out)
	}
	if _, err := os.Stat(installed(home)); !os.IsNotExist(err) {
		t.Fatalf("a classmate's 학번 installed dslab: %v", err)
	}

	// The computer that joined with 2026001 runs the line again.
	same := t.TempDir()
	os.MkdirAll(filepath.Join(same, ".config", "dslab", "class"), 0o700)
	os.WriteFile(filepath.Join(same, ".config", "dslab", "class", "machine-id"), []byte(machineA+"\n"), 0o600)
	if out, err := run(same); err != nil || !strings.Contains(out, "내려받는 중") || !strings.Contains(out, "--student-id 2026001") {
		t.Fatalf("same computer: %v\n%s", err, out)
	}

	// Approved: a new computer may take the 학번 over.
	if code, body := f.do("POST", api.PathApprove, f.instructor, mustJSON(api.ApproveRequest{RosterID: "2026001"})); code != http.StatusOK {
		t.Fatalf("approve: %d %s", code, body)
	}
	if out, err := run(home); err != nil || !strings.Contains(out, "참가 코드를 확인했습니다") || !strings.Contains(out, "내려받는 중") {
		t.Fatalf("approved: %v\n%s", err, out)
	}
}

// TestInstallLineRefusesAnotherClassBeforeDownload is issue 12's instructor
// trial: in a HOME already joined to another class the install line
// downloaded the 211 MB build and only then did dslab class join refuse it
// ("이미 다른 수업…"). The script refuses it before any download, as the
// code check does.
func TestInstallLineRefusesAnotherClassBeforeDownload(t *testing.T) {
	f := installFixture(t)
	home := t.TempDir()
	other := client.Credentials{Server: "http://192.0.2.1:7070", Token: "tok", RosterID: "2026009", Name: "박서연", Class: "다른 수업"}
	if err := client.SaveCredentials(filepath.Join(home, ".config", "dslab"), other); err != nil {
		t.Fatal(err)
	}
	out, err := runInstallLine(home, server.InstallLine(f.srv.URL, f.code))
	if err == nil || !strings.Contains(out, "이미 다른 수업(http://192.0.2.1:7070, 학번 2026009)") || !strings.Contains(out, "아무것도 내려받지 않았습니다") ||
		strings.Contains(out, "내려받는 중") {
		t.Fatalf("install line joined to another class: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(home, ".local", "bin", "dslab")); !os.IsNotExist(err) {
		t.Fatalf("installed dslab: %v", err)
	}
}
