package server_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
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
		{kernel: "MINGW64_NT-10.0-19045", machine: "x86_64", say: []string{"WSL2", "wsl --install", "Windows", "/download/", "PowerShell 한 줄"}},
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

// TestMakeDistOutputIsServed runs the Makefile's real dist recipe (with a
// stand-in `go` that writes a small file per `go build -o`) and checks that
// what it leaves in dist/ is what /download/ offers: every build it makes
// is listed under the same name, nothing else is, the served SHA256SUMS has
// the same lines as make's SHA256SUMS, and `sha256sum -c` accepts the
// served list against make's files.
func TestMakeDistOutputIsServed(t *testing.T) {
	for _, tool := range []string{"make", "sha256sum"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed: make dist needs it", tool)
		}
	}
	makefile, err := filepath.Abs(filepath.Join("..", "..", "..", "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	fakeGo := filepath.Join(work, "fake-go")
	// go list (the Makefile's K8S_VERSION) prints nothing; go build writes
	// "build GOOS/GOARCH" to its -o file.
	os.WriteFile(fakeGo, []byte(`#!/bin/sh
[ "$1" = build ] || exit 0
out=
while [ $# -gt 0 ]; do if [ "$1" = -o ]; then out=$2; shift; fi; shift; done
[ -n "$out" ] || { echo "fake go: no -o" >&2; exit 1; }
printf 'build %s/%s\n' "$GOOS" "$GOARCH" > "$out"
`), 0o755)
	cmd := exec.Command("make", "-f", makefile, "dist", "GO="+fakeGo)
	cmd.Dir = work
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make dist: %v\n%s", err, out)
	}
	dist := filepath.Join(work, "dist")
	platforms := distPlatforms(t)
	made, err := os.ReadFile(filepath.Join(dist, "SHA256SUMS"))
	if err != nil {
		t.Fatalf("make dist wrote no SHA256SUMS: %v\n%s", err, out)
	}
	for _, p := range platforms {
		got, err := os.ReadFile(filepath.Join(dist, distFileName(p)))
		if err != nil || string(got) != "build "+p+"\n" {
			t.Errorf("make dist did not build %s as %s: %q %v", p, distFileName(p), got, err)
		}
	}

	dir := t.TempDir()
	st := openSQLite(t, dir)
	t.Cleanup(func() { st.Close() })
	f := boardFixture(t, st, dir, server.BoardConfig{Executable: filepath.Join(dir, "absent"), DistDir: dist})
	code, served := f.do("GET", api.PathSums, "", nil)
	if code != http.StatusOK {
		t.Fatalf("SHA256SUMS: %d %s", code, served)
	}
	lines := func(b []byte) []string {
		l := strings.Split(strings.TrimSpace(string(b)), "\n")
		sort.Strings(l)
		return l
	}
	if m, s := lines(made), lines(served); !slices.Equal(m, s) || len(s) != len(platforms) {
		t.Errorf("served SHA256SUMS differs from make dist's (%d platforms):\nmake:\n%s\nserved:\n%s", len(platforms), made, served)
	}
	os.WriteFile(filepath.Join(work, "served-sums"), served, 0o644)
	check := exec.Command("sha256sum", "-c", filepath.Join(work, "served-sums"))
	check.Dir = dist
	if out, err := check.CombinedOutput(); err != nil {
		t.Errorf("sha256sum -c of the served list in make's dist/: %v\n%s", err, out)
	}
	// The index lists exactly these files, each with its size.
	_, index := f.do("GET", api.PathDownload, "", nil)
	for _, p := range platforms {
		name := distFileName(p)
		fi, err := os.Stat(filepath.Join(dist, name))
		if err != nil {
			continue
		}
		if !strings.Contains(string(index), fmt.Sprintf("  %s  %d 바이트\n", name, fi.Size())) {
			t.Errorf("/download/ does not list %s (%d 바이트):\n%s", name, fi.Size(), index)
		}
	}
	if n := strings.Count(string(index), " 바이트\n"); n != len(platforms) {
		t.Errorf("/download/ lists %d files, make dist made %d:\n%s", n, len(platforms), index)
	}
}

// TestDownloadIndexWindowsLines: the /download/ page tells a Windows
// student what works. Always: WSL2 with the install line. With a Windows
// build listed: a PowerShell line whose URL serves that build and whose
// SHA-256 is the build's, joining with this class's code; without one, no
// PowerShell line (it would download a file the server does not have).
func TestDownloadIndexWindowsLines(t *testing.T) {
	for _, withWindows := range []bool{true, false} {
		t.Run(fmt.Sprint("windows build ", withWindows), func(t *testing.T) {
			dir := t.TempDir()
			st := openSQLite(t, dir)
			t.Cleanup(func() { st.Close() })
			dist := filepath.Join(dir, "dist")
			os.MkdirAll(dist, 0o755)
			os.WriteFile(filepath.Join(dist, "dslab-linux-amd64"), []byte("linux build"), 0o755)
			exe := []byte("MZ windows build")
			if withWindows {
				os.WriteFile(filepath.Join(dist, "dslab-windows-amd64.exe"), exe, 0o755)
			}
			f := boardFixture(t, st, dir, server.BoardConfig{Executable: filepath.Join(dir, "absent"), DistDir: dist})
			code, body := f.do("GET", api.PathDownload, "", nil)
			index := string(body)
			if code != http.StatusOK || !strings.Contains(index, "WSL2 터미널에서 위 한 줄을") || !strings.Contains(index, "wsl --install") {
				t.Fatalf("index does not point Windows students to WSL2: %d\n%s", code, index)
			}
			if !withWindows {
				if strings.Contains(index, "PowerShell 에서:") || strings.Contains(index, "iwr ") {
					t.Fatalf("index offers a PowerShell download without a Windows build:\n%s", index)
				}
				return
			}
			h := sha256.Sum256(exe)
			sum := hex.EncodeToString(h[:])
			line := server.PowerShellInstallLine(f.srv.URL, sum, f.code)
			if !strings.Contains(index, "PowerShell 에서:\n  "+line+"\n") {
				t.Fatalf("index lacks the PowerShell line\n%s\nwant:\n%s", index, line)
			}
			// The line downloads from a URL this server serves, checks the
			// served file's SHA-256, and joins with this class's code.
			m := regexp.MustCompile(`iwr -UseBasicParsing '([^']+)' -OutFile dslab\.exe; if \(\(Get-FileHash dslab\.exe -Algorithm SHA256\)\.Hash -eq '([0-9a-f]{64})'\) \{ \.\\dslab\.exe class join (\S+) --code (\S+) --name 이름 --id 학번 \} else \{ Remove-Item dslab\.exe; Write-Error '[^']+' \}$`).FindStringSubmatch(line)
			if m == nil {
				t.Fatalf("PowerShell line is not download, check, join/delete:\n%s", line)
			}
			resp, err := http.Get(m[1])
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			gh := sha256.Sum256(got)
			if resp.StatusCode != http.StatusOK || hex.EncodeToString(gh[:]) != m[2] {
				t.Errorf("GET %s: %d, SHA-256 %x, line checks %s", m[1], resp.StatusCode, gh, m[2])
			}
			if m[3] != api.JoinAddress(f.srv.URL) || m[4] != f.code {
				t.Errorf("PowerShell line joins %s with code %s, want %s with %s", m[3], m[4], f.srv.URL, f.code)
			}
			// Without a join code the line only downloads and checks.
			if l := server.PowerShellInstallLine(f.srv.URL, sum, ""); strings.Contains(l, "class join") || !strings.Contains(l, "Get-FileHash") {
				t.Errorf("PowerShell line without a code: %s", l)
			}
		})
	}
}

// TestBoardInstallSectionNamesWindows: the web board's install section
// (served page) tells a Windows student to use WSL2 and links the
// /download/ page that has the PowerShell line; the link is served.
func TestBoardInstallSectionNamesWindows(t *testing.T) {
	dir := t.TempDir()
	st := openSQLite(t, dir)
	t.Cleanup(func() { st.Close() })
	f := boardFixture(t, st, dir, server.BoardConfig{Executable: filepath.Join(dir, "absent"), DistDir: filepath.Join(dir, "dist")})
	code, page := f.do("GET", api.PathBoardPage, "", nil)
	if code != http.StatusOK {
		t.Fatalf("board page: %d", code)
	}
	m := regexp.MustCompile(`(?s)<h2 id="inst-h">.*?</section>`).Find(page)
	if m == nil || !strings.Contains(string(m), "WSL2") || !strings.Contains(string(m), `href="`+api.PathDownload+`"`) {
		t.Fatalf("install section does not name WSL2 and link %s:\n%s", api.PathDownload, m)
	}
	if code, _ := f.do("GET", api.PathDownload, "", nil); code != http.StatusOK {
		t.Errorf("the linked %s: %d", api.PathDownload, code)
	}
}

// TestDownloadListsOnlyFilesThatExist: /download/ and SHA256SUMS list a
// build symlinked into dist/ (as the file it leads to) but not a dangling
// symlink, a directory with a build's name, nor the running binary once it
// is gone; every listed file downloads.
func TestDownloadListsOnlyFilesThatExist(t *testing.T) {
	dir := t.TempDir()
	st := openSQLite(t, dir)
	t.Cleanup(func() { st.Close() })
	dist := filepath.Join(dir, "dist")
	os.MkdirAll(filepath.Join(dist, "dslab-linux-arm64"), 0o755) // a directory
	real := filepath.Join(dir, "built")
	os.WriteFile(real, []byte("darwin build"), 0o755)
	if err := os.Symlink(real, filepath.Join(dist, "dslab-darwin-arm64")); err != nil {
		t.Skipf("no symlinks here: %v", err)
	}
	os.Symlink(filepath.Join(dir, "gone"), filepath.Join(dist, "dslab-darwin-amd64"))
	bin := filepath.Join(dir, "running-dslab")
	os.WriteFile(bin, []byte("running"), 0o755)
	f := boardFixture(t, st, dir, server.BoardConfig{Executable: bin, DistDir: dist})
	listed := func() []string {
		_, body := f.do("GET", api.PathSums, "", nil)
		var names []string
		for _, l := range strings.Split(strings.TrimSpace(string(body)), "\n") {
			if _, name, ok := strings.Cut(l, "  "); ok {
				names = append(names, name)
				if code, _ := f.do("GET", api.PathDownload+name, "", nil); code != http.StatusOK {
					t.Errorf("listed %s does not download: %d", name, code)
				}
			}
		}
		return names
	}
	self := "dslab-" + runtime.GOOS + "-" + runtime.GOARCH
	if runtime.GOOS == "windows" {
		self += ".exe"
	}
	want := []string{"dslab-darwin-arm64", self}
	sort.Strings(want)
	if got := listed(); !slices.Equal(got, want) {
		t.Fatalf("listed %v, want %v", got, want)
	}
	os.Remove(bin)
	if got := listed(); !slices.Equal(got, []string{"dslab-darwin-arm64"}) {
		t.Fatalf("after the running binary is gone: listed %v", got)
	}
}

// TestInstallScriptNamesMissingBuild: on a machine whose build the server
// does not offer (an Intel Mac while DIST_PLATFORMS has no darwin/amd64),
// the served install.sh installs nothing and says, in Korean, which build
// is missing, which ones exist and what the instructor can do.
func TestInstallScriptNamesMissingBuild(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed: the install line needs it")
	}
	dir := t.TempDir()
	st := openSQLite(t, dir)
	t.Cleanup(func() { st.Close() })
	dist := filepath.Join(dir, "dist")
	os.MkdirAll(dist, 0o755)
	for _, p := range []string{"linux/amd64", "darwin/arm64"} {
		os.WriteFile(filepath.Join(dist, distFileName(p)), []byte("build "+p), 0o755)
	}
	f := boardFixture(t, st, dir, server.BoardConfig{Executable: filepath.Join(dir, "absent"), DistDir: dist})
	fake := t.TempDir()
	os.WriteFile(filepath.Join(fake, "uname"), []byte("#!/bin/sh\ncase \"$1\" in -s) echo Darwin ;; -m) echo x86_64 ;; *) exit 1 ;; esac\n"), 0o755)
	os.WriteFile(filepath.Join(fake, "sysctl"), []byte("#!/bin/sh\necho 0\n"), 0o755)
	home := t.TempDir()
	cmd := exec.Command("sh", "-c", server.InstallLine(f.srv.URL, ""))
	cmd.Env = []string{"HOME=" + home, "PATH=" + fake + string(os.PathListSeparator) + os.Getenv("PATH")}
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("install did not fail:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(home, ".local", "bin", "dslab")); err == nil {
		t.Fatalf("installed a build anyway:\n%s", out)
	}
	for _, s := range []string{"이 컴퓨터용 빌드(dslab-darwin-amd64)가 없습니다", "dslab-darwin-arm64 dslab-linux-amd64", "강사에게", "make dist DIST_PLATFORMS=darwin/amd64"} {
		if !strings.Contains(string(out), s) {
			t.Errorf("message does not say %q:\n%s", s, out)
		}
	}
	if strings.Contains(string(out), "내려받는 중") {
		t.Errorf("it tried to download a build the list does not have:\n%s", out)
	}
}
