package server_test

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
)

// distPlatforms reads DIST_PLATFORMS from the Makefile: the GOOS/GOARCH
// pairs `make dist` builds.
func distPlatforms(t *testing.T) []string {
	t.Helper()
	mk, err := os.ReadFile(filepath.Join("..", "..", "..", "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^DIST_PLATFORMS\s*:?=\s*(.+)$`).FindSubmatch(mk)
	if m == nil {
		t.Fatal("Makefile has no DIST_PLATFORMS line")
	}
	return strings.Fields(string(m[1]))
}

// distFileName is the name `make dist` gives the build for goos/goarch.
func distFileName(platform string) string {
	goos, goarch, _ := strings.Cut(platform, "/")
	name := "dslab-" + goos + "-" + goarch
	if goos == "windows" {
		name += ".exe"
	}
	return name
}

// TestDistBuildsAreServed: every build `make dist` makes is offered at
// /download/ and listed in SHA256SUMS.
func TestDistBuildsAreServed(t *testing.T) {
	dir := t.TempDir()
	st := openSQLite(t, dir)
	t.Cleanup(func() { st.Close() })
	dist := filepath.Join(dir, "dist")
	os.MkdirAll(dist, 0o755)
	platforms := distPlatforms(t)
	for _, p := range platforms {
		os.WriteFile(filepath.Join(dist, distFileName(p)), []byte("build "+p), 0o755)
	}
	// No running binary: only the dist builds are listed.
	f := boardFixture(t, st, dir, server.BoardConfig{Executable: filepath.Join(dir, "absent"), DistDir: dist})
	code, body := f.do("GET", api.PathSums, "", nil)
	if code != http.StatusOK {
		t.Fatalf("SHA256SUMS: %d", code)
	}
	lines := strings.Split(strings.TrimSpace(string(body)), "\n")
	if len(lines) != len(platforms) {
		t.Errorf("SHA256SUMS lists %d files, make dist builds %d (%v):\n%s", len(lines), len(platforms), platforms, body)
	}
	for _, p := range platforms {
		name := distFileName(p)
		if !strings.Contains(string(body), "  "+name+"\n") {
			t.Errorf("SHA256SUMS does not list %s:\n%s", name, body)
		}
		if code, got := f.do("GET", api.PathDownload+name, "", nil); code != http.StatusOK || string(got) != "build "+p {
			t.Errorf("GET %s: %d %q", name, code, got)
		}
	}
}

// TestInstallScriptPicksBuildForMachine runs the served /install.sh with a
// fake uname (and sysctl) first on PATH, as Linux, macOS and Windows shells
// report themselves, and checks which build it installs — or, on Windows
// and unsupported machines, that it refuses in Korean and installs nothing.
func TestInstallScriptPicksBuildForMachine(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed: the install line needs it")
	}
	dir := t.TempDir()
	st := openSQLite(t, dir)
	t.Cleanup(func() { st.Close() })
	dist := filepath.Join(dir, "dist")
	os.MkdirAll(dist, 0o755)
	for _, p := range []string{"linux/amd64", "linux/arm64", "darwin/amd64", "darwin/arm64", "windows/amd64"} {
		os.WriteFile(filepath.Join(dist, distFileName(p)), []byte("build "+p), 0o755)
	}
	f := boardFixture(t, st, dir, server.BoardConfig{Executable: filepath.Join(dir, "absent"), DistDir: dist})

	for _, tc := range []struct {
		kernel, machine string
		arm64Mac        string // sysctl -n hw.optional.arm64 ("" fails)
		want            string // installed build, "" refused
		say             []string
	}{
		{kernel: "Linux", machine: "x86_64", want: "linux/amd64"},
		{kernel: "Linux", machine: "aarch64", want: "linux/arm64"},
		{kernel: "Linux", machine: "arm64", want: "linux/arm64"},
		{kernel: "Darwin", machine: "arm64", arm64Mac: "1", want: "darwin/arm64"},
		{kernel: "Darwin", machine: "x86_64", arm64Mac: "0", want: "darwin/amd64"}, // Intel Mac
		{kernel: "Darwin", machine: "x86_64", want: "darwin/amd64"},                // older macOS: no such sysctl
		{kernel: "Darwin", machine: "x86_64", arm64Mac: "1", want: "darwin/arm64"}, // Rosetta shell on Apple silicon
		{kernel: "MINGW64_NT-10.0-19045", machine: "x86_64", say: []string{"WSL2", "wsl --install", "Windows"}},
		{kernel: "MSYS_NT-10.0-22631", machine: "x86_64", say: []string{"WSL2", "wsl --install"}},
		{kernel: "CYGWIN_NT-10.0", machine: "x86_64", say: []string{"WSL2", "wsl --install"}},
		{kernel: "Linux", machine: "armv7l", say: []string{"지원하지 않는 CPU", "armv7l"}},
		{kernel: "FreeBSD", machine: "amd64", say: []string{"지원하지 않는 운영체제", "FreeBSD"}},
	} {
		name := tc.kernel + "/" + tc.machine + "/" + tc.arm64Mac
		t.Run(name, func(t *testing.T) {
			fake := t.TempDir()
			uname := "#!/bin/sh\ncase \"$1\" in -s) echo '" + tc.kernel + "' ;; -m) echo '" + tc.machine + "' ;; *) exit 1 ;; esac\n"
			sysctl := "#!/bin/sh\nexit 1\n"
			if tc.arm64Mac != "" {
				sysctl = "#!/bin/sh\n[ \"$*\" = '-n hw.optional.arm64' ] && echo " + tc.arm64Mac + "\n"
			}
			os.WriteFile(filepath.Join(fake, "uname"), []byte(uname), 0o755)
			os.WriteFile(filepath.Join(fake, "sysctl"), []byte(sysctl), 0o755)
			home := t.TempDir()
			cmd := exec.Command("sh", "-c", server.InstallLine(f.srv.URL, ""))
			cmd.Env = []string{"HOME=" + home, "PATH=" + fake + string(os.PathListSeparator) + os.Getenv("PATH")}
			out, err := cmd.CombinedOutput()
			installed, rerr := os.ReadFile(filepath.Join(home, ".local", "bin", "dslab"))
			if tc.want == "" {
				if err == nil || rerr == nil {
					t.Fatalf("install did not refuse (err %v, installed %q)\n%s", err, installed, out)
				}
				for _, s := range tc.say {
					if !strings.Contains(string(out), s) {
						t.Errorf("refusal does not say %q:\n%s", s, out)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("install: %v\n%s", err, out)
			}
			if string(installed) != "build "+tc.want {
				t.Fatalf("installed %q, want the %s build (%v)\n%s", installed, tc.want, rerr, out)
			}
		})
	}
}
