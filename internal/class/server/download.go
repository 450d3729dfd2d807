package server

// /download/: the running dslab binary (and the other platforms' builds in
// BoardConfig.DistDir) with SHA-256 sums, and /install.sh, so a student on
// the LAN gets dslab in one line without compiling Kubernetes.

import (
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/dslab-kr/dslab/internal/class/api"
)

// distName is what a downloadable build is called.
var distName = regexp.MustCompile(`^dslab-(linux|darwin|windows)-(amd64|arm64)(\.exe)?$`)

type download struct {
	Name string
	Path string
	Size int64
	Sum  string
}

// downloads lists the offered files, hashing each once (a file is
// re-hashed when its size or modification time changes).
type downloads struct {
	cfg BoardConfig
	mu  sync.Mutex
	// cache: path → (size|mtime) → sum
	cache map[string][2]string
	// gz: SHA-256 of a file → its gzip-compressed copy on disk, made once
	// (gzMu serialises the making: one compression, not one per student).
	gzMu  sync.Mutex
	gzDir string
	gz    map[string]string
}

func newDownloads(cfg BoardConfig) *downloads {
	return &downloads{cfg: cfg, cache: map[string][2]string{}, gz: map[string]string{}}
}

func (d *downloads) list() ([]download, error) {
	files := map[string]string{}
	if d.cfg.DistDir != "" {
		entries, err := os.ReadDir(d.cfg.DistDir)
		if err != nil && !os.IsNotExist(err) {
			return nil, err
		}
		for _, e := range entries {
			// A symlink (dist/dslab-linux-amd64 -> ../bin/dslab) counts
			// when it leads to a regular file: the os.Stat below checks.
			if (e.Type().IsRegular() || e.Type()&os.ModeSymlink != 0) && distName.MatchString(e.Name()) {
				files[e.Name()] = filepath.Join(d.cfg.DistDir, e.Name())
			}
		}
	}
	exe := d.cfg.Executable
	if exe == "" {
		exe, _ = os.Executable()
	}
	// The running binary wins over a stale dist build, but only if it is
	// still there (a rebuilt binary's old path can be gone).
	if fi, err := os.Stat(exe); exe != "" && err == nil && fi.Mode().IsRegular() {
		name := "dslab-" + runtime.GOOS + "-" + runtime.GOARCH
		if runtime.GOOS == "windows" {
			name += ".exe"
		}
		files[name] = exe
	}
	var out []download
	for name, path := range files {
		fi, err := os.Stat(path)
		if err != nil || !fi.Mode().IsRegular() {
			continue
		}
		sum, err := d.sum(path, fi)
		if err != nil {
			return nil, err
		}
		out = append(out, download{Name: name, Path: path, Size: fi.Size(), Sum: sum})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func (d *downloads) sum(path string, fi os.FileInfo) (string, error) {
	stamp := fmt.Sprintf("%d|%d", fi.Size(), fi.ModTime().UnixNano())
	d.mu.Lock()
	c, ok := d.cache[path]
	d.mu.Unlock()
	if ok && c[0] == stamp {
		return c[1], nil
	}
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	sum := hex.EncodeToString(h.Sum(nil))
	d.mu.Lock()
	d.cache[path] = [2]string{stamp, sum}
	d.mu.Unlock()
	return sum, nil
}

// gzipped returns the path of f's gzip-compressed copy, compressing it
// the first time (gzip.BestSpeed: a release binary of ~100 MB shrinks to
// about a third in a few seconds). The copies live in a temporary
// directory for the life of the process.
func (d *downloads) gzipped(f download) (string, error) {
	d.gzMu.Lock()
	defer d.gzMu.Unlock()
	if p, ok := d.gz[f.Sum]; ok {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	if d.gzDir == "" {
		dir, err := os.MkdirTemp("", "dslab-download-gz-")
		if err != nil {
			return "", err
		}
		d.gzDir = dir
	}
	in, err := os.Open(f.Path)
	if err != nil {
		return "", err
	}
	defer in.Close()
	p := filepath.Join(d.gzDir, f.Sum+".gz")
	out, err := os.Create(p + ".tmp")
	if err != nil {
		return "", err
	}
	zw, _ := gzip.NewWriterLevel(out, gzip.BestSpeed)
	_, err = io.Copy(zw, in)
	if cerr := zw.Close(); err == nil {
		err = cerr
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(p+".tmp", p)
	}
	if err != nil {
		os.Remove(p + ".tmp")
		return "", err
	}
	d.gz[f.Sum] = p
	return p, nil
}

// close removes the compressed copies.
func (d *downloads) close() {
	d.gzMu.Lock()
	defer d.gzMu.Unlock()
	if d.gzDir != "" {
		os.RemoveAll(d.gzDir)
		d.gzDir, d.gz = "", map[string]string{}
	}
}

// acceptsGzip reports whether r's Accept-Encoding lists gzip (curl
// --compressed, Go's http.Client); a Range request gets the plain file.
func acceptsGzip(r *http.Request) bool {
	if r.Header.Get("Range") != "" {
		return false
	}
	for _, e := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, q, _ := strings.Cut(strings.TrimSpace(e), ";")
		if strings.EqualFold(strings.TrimSpace(name), "gzip") && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}

func (s *Server) handleDownloadIndex(w http.ResponseWriter, r *http.Request) {
	files, err := s.board.dl.list()
	if err != nil {
		s.internal(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	// The join code is on the projector already: the page the LAN sees
	// gives the whole line.
	// The students' addresses, not loopback when a LAN one is known
	// (studentBases; issue 12: opened on 127.0.0.1 from the board, the
	// page gave students a 127.0.0.1 line); else the address asked.
	bases := s.studentBases(r)
	if len(bases) == 0 {
		bases = []string{"http://" + r.Host}
	}
	fmt.Fprintf(w, "dslab 내려받기 (%s)\n\n설치하고 참가하는 한 줄 (Linux·macOS 터미널, 이름·학번을 바꿔서):\n", s.class.Title)
	for _, base := range bases {
		fmt.Fprintf(w, "  %s\n", InstallLine(base, s.class.JoinCode))
	}
	fmt.Fprint(w, "\nWindows: WSL2 터미널에서 위 한 줄을 실행하세요 (권장: Linux 용 dslab 이 embedded 클러스터까지 돌립니다; WSL2 가 없으면 PowerShell 에서 'wsl --install').\n")
	for _, f := range files {
		if f.Name == windowsBuild {
			fmt.Fprint(w, "WSL2 없이 Windows 용 dslab.exe 를 쓰려면 (레슨과 kind 클러스터로 하는 연습, Docker Desktop 필요; embedded 클러스터와 롤아웃을 관측하는 연습은 WSL2 에서만 됩니다) PowerShell 에서:\n")
			for _, base := range bases {
				fmt.Fprintf(w, "  %s\n", PowerShellInstallLine(base, f.Sum, s.class.JoinCode))
			}
		}
	}
	fmt.Fprint(w, "\n")
	for _, f := range files {
		fmt.Fprintf(w, "%s  %s  %d 바이트\n", f.Sum, f.Name, f.Size)
	}
}

func (s *Server) handleDownload(w http.ResponseWriter, r *http.Request) {
	files, err := s.board.dl.list()
	if err != nil {
		s.internal(w, r, err)
		return
	}
	name := r.PathValue("name")
	if name == "SHA256SUMS" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		for _, f := range files {
			fmt.Fprintf(w, "%s  %s\n", f.Sum, f.Name) // sha256sum -c format
		}
		return
	}
	for _, f := range files {
		if f.Name == name {
			w.Header().Set("Content-Type", "application/octet-stream")
			w.Header().Set("Content-Disposition", `attachment; filename="`+f.Name+`"`)
			// The sum is the decompressed file's, as in SHA256SUMS.
			w.Header().Set("X-Checksum-Sha256", f.Sum)
			w.Header().Set("Vary", "Accept-Encoding")
			if acceptsGzip(r) {
				gz, err := s.board.dl.gzipped(f)
				if err == nil {
					w.Header().Set("Content-Encoding", "gzip")
					http.ServeFile(w, r, gz)
					return
				}
				s.cfg.Log.Warn("download: serving uncompressed, gzip failed", "file", f.Name, "err", err)
			}
			http.ServeFile(w, r, f.Path)
			return
		}
	}
	writeError(w, http.StatusNotFound, "no-download", "이 서버에 없는 파일입니다: "+name+" (목록: /download/)")
}

// windowsBuild is the name make dist gives the windows/amd64 build.
const windowsBuild = "dslab-windows-amd64.exe"

// PowerShellInstallLine is the PowerShell line that downloads the Windows
// build from the class server at baseURL (http://host:port) into the
// current folder as dslab.exe, compares its SHA-256 (Get-FileHash, hex;
// PowerShell's -eq ignores case) with sum, deletes it on a mismatch and,
// given a join code, joins the class with it (이름 and 학번 are placeholders
// the student replaces). install.sh cannot serve Windows: it needs a Unix
// shell, and there it points to WSL2.
func PowerShellInstallLine(baseURL, sum, code string) string {
	base := strings.TrimRight(baseURL, "/")
	then := `'SHA-256 확인: .\dslab.exe'`
	if code != "" {
		then = `.\` + strings.Replace(api.JoinCommand(base, code), "dslab ", "dslab.exe ", 1)
	}
	return `$ProgressPreference='SilentlyContinue'; iwr -UseBasicParsing '` + base + `/download/` + windowsBuild + `' -OutFile dslab.exe; ` +
		`if ((Get-FileHash dslab.exe -Algorithm SHA256).Hash -eq '` + sum + `') { ` + then + ` } ` +
		`else { Remove-Item dslab.exe; Write-Error 'SHA-256 이 서버 목록과 맞지 않아 dslab.exe 를 지웠습니다' }`
}

// installScript downloads the build for the machine, checks its SHA-256
// against the server's list, installs it as ~/.local/bin/dslab and, given
// a join code and a name (sh -s -- CODE NAME [ID]), runs `dslab class join`;
// with fewer arguments it prints the join command as the next step, the
// server's address filled in (issue 12: with none it said nothing).
const installScript = `#!/bin/sh
# dslab 설치: curl -fsSL http://SERVER/install.sh | sh -s -- [참가 코드 [이름 [학번]]]
set -eu
SERVER='%s'
case "$(uname -s)" in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  MINGW*|MSYS*|CYGWIN*|Windows_NT)
    echo "Windows 에서는 WSL2 안에서 설치하세요: PowerShell 에서 'wsl --install' 로 WSL2 (Ubuntu) 를 설치하고, WSL 터미널에서 이 한 줄을 다시 실행하면 Linux 용 dslab 이 설치됩니다 (embedded 클러스터는 Windows 에서 돌지 않고 WSL2 에서 돕니다). Windows 용 빌드(dslab-windows-amd64.exe, 레슨과 kind 클러스터용)는 $SERVER/download/ 목록에 있으면 그 페이지의 PowerShell 한 줄로 받습니다." >&2
    exit 1 ;;
  *) echo "지원하지 않는 운영체제입니다: $(uname -s) (Linux, macOS, Windows 의 WSL2 에서 설치할 수 있습니다)" >&2; exit 1 ;;
esac
case "$(uname -m)" in
  x86_64|amd64) arch=amd64 ;;
  aarch64|arm64|armv8*) arch=arm64 ;;
  *) echo "지원하지 않는 CPU 입니다: $(uname -m) (amd64, arm64 빌드만 있습니다)" >&2; exit 1 ;;
esac
# A shell under Rosetta on an Apple silicon Mac says x86_64: take the native build.
if [ "$os" = darwin ] && [ "$arch" = amd64 ] && [ "$(sysctl -n hw.optional.arm64 2>/dev/null || true)" = 1 ]; then arch=arm64; fi
name="dslab-$os-$arch"
dir="${DSLAB_INSTALL_DIR:-$HOME/.local/bin}"
sha() { if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | awk '{print $1}'; else shasum -a 256 "$1" | awk '{print $1}'; fi; }
# Already in this class from this computer (its credentials name this server, with this 학번 if one is
# given, and the server still takes the token): nothing to join, only dslab to update.
creds="${XDG_CONFIG_HOME:-$HOME/.config}/dslab/class/credentials.json"
field() { sed -n "s/^ *\"$1\": *\"\([^\"]*\)\".*/\1/p" "$creds" 2>/dev/null | head -n 1; }
joined=""
if [ -f "$creds" ] && [ "$(field server)" = "$SERVER" ] && { [ -z "${3:-}" ] || [ "$3" = "$(field rosterId)" ]; }; then
  tok=$(field token)
  # The token goes to curl on stdin (-K -), not on its command line where other users could see it.
  if [ -n "$tok" ] && [ "$(printf 'header = "Authorization: Bearer %%s"\n' "$tok" | curl -s -o /dev/null -w '%%{http_code}' -K - "$SERVER/api/v1/me" || true)" = 200 ]; then
    joined=$(field rosterId)
  fi
fi
if [ -n "$joined" ]; then
  echo "이 컴퓨터는 이미 이 수업에 참가해 있습니다 (학번 $joined): 참가 코드는 확인하지 않고 dslab 만 확인합니다." >&2
fi
# Joined to another class from this computer: dslab class join refuses that (leave first), so refuse it
# here, before the download, as the code check does (issue 12: 211 MB, then "이미 다른 수업").
other=$(field server)
if [ "$#" -ge 1 ] && [ -n "$other" ] && [ "$other" != "$SERVER" ]; then
  echo "이미 다른 수업($other, 학번 $(field rosterId))에 참가해 있어 아무것도 내려받지 않았습니다: 먼저 dslab class leave 로 그 수업에서 나온 뒤 이 줄을 다시 실행하세요" >&2
  exit 1
fi
# The join code first (a cheap call): a wrong code or a closed class must not cost a 200 MB download.
if [ "$#" -ge 1 ] && [ -z "$joined" ]; then
  # This computer's machine id, when dslab joined from here before: the same 학번 may join again from it.
  mid=$(cat "${XDG_CONFIG_HOME:-$HOME/.config}/dslab/class/machine-id" 2>/dev/null || true)
  resp=$(curl -sS -G --data-urlencode "code=$1" ${3:+--data-urlencode "studentId=$3"} ${mid:+--data-urlencode "machineId=$mid"} -w '\n%%{http_code}' "$SERVER/api/v1/join/check") || { echo "수업 서버 $SERVER 에 닿지 못했습니다: 주소와 네트워크를 확인하세요 (아무것도 내려받지 않았습니다)" >&2; exit 1; }
  status=$(printf '%%s\n' "$resp" | tail -n 1)
  if [ "$status" != 200 ]; then
    msg=$(printf '%%s\n' "$resp" | sed -n 's/.*"error":"\([^"]*\)".*/\1/p' | head -n 1)
    echo "참가할 수 없어 아무것도 내려받지 않았습니다: ${msg:-서버의 답이 HTTP $status 입니다}" >&2
    exit 1
  fi
  echo "참가 코드를 확인했습니다." >&2
fi
sums=$(curl -fsSL "$SERVER/download/SHA256SUMS") || { echo "서버의 파일 목록을 받지 못했습니다: $SERVER/download/SHA256SUMS" >&2; exit 1; }
want=$(printf '%%s\n' "$sums" | awk -v n="$name" '$2 == n { print $1 }')
if [ -z "$want" ]; then
  echo "이 서버에는 이 컴퓨터용 빌드($name)가 없습니다. 있는 빌드: $(printf '%%s\n' "$sums" | awk '{ printf "%%s ", $2 }')— 강사에게 알려 주세요 (강사: make dist DIST_PLATFORMS=$os/$arch 로 만들어 dist/ 에 두면 됩니다)." >&2
  exit 1
fi
mkdir -p "$dir"
if [ -f "$dir/dslab" ] && [ "$(sha "$dir/dslab")" = "$want" ]; then
  chmod 0755 "$dir/dslab"
  echo "이미 설치된 $dir/dslab 이 서버의 빌드($name)와 같습니다 (SHA-256 $want): 다시 내려받지 않습니다" >&2
else
  tmp=$(mktemp "$dir/.dslab.XXXXXX")
  trap 'rm -f "$tmp"' EXIT
  echo "내려받는 중: $SERVER/download/$name" >&2
  curl -fsSL --compressed "$SERVER/download/$name" -o "$tmp" || { echo "내려받지 못했습니다: $SERVER/download/$name" >&2; exit 1; }
  got=$(sha "$tmp")
  if [ "$want" != "$got" ]; then echo "SHA-256 이 맞지 않습니다 (받은 파일 $got, 서버 목록 $want): 설치하지 않습니다" >&2; exit 1; fi
  chmod 0755 "$tmp"
  mv "$tmp" "$dir/dslab"
  trap - EXIT
  echo "설치했습니다: $dir/dslab (SHA-256 $got)" >&2
fi
case ":$PATH:" in *":$dir:"*) ;; *) echo "PATH 에 이 디렉터리를 추가하세요: export PATH=\"$dir:\$PATH\"" >&2 ;; esac
# A command to type stands alone on its own line, indented by two: copied whole, never wrapped mid-word.
if [ -n "$joined" ]; then
  echo "다시 참가할 필요가 없습니다. 다음: dslab 으로 랩을 열어 연습하세요 (제출은 자동입니다). 서버의 채점 결과는 dslab class status 로 봅니다." >&2
elif [ "$#" -ge 2 ]; then
  exec "$dir/dslab" class join "$SERVER" --code "$1" --name "$2" ${3:+--student-id "$3"}
elif [ "$#" -ge 1 ]; then
  echo "다음 명령으로 참가하세요 (이름·학번을 자기 것으로 바꿔서):" >&2
  echo "  dslab class join ${SERVER#http://} --code $1 --name 이름 --id 학번" >&2
else
  echo "다음 단계 — 강사 화면의 참가 코드와 자기 이름·학번을 넣어 참가하세요:" >&2
  echo "  dslab class join ${SERVER#http://} --code 참가코드 --name 이름 --id 학번" >&2
fi
`

func (s *Server) handleInstallScript(w http.ResponseWriter, r *http.Request) {
	host := r.Host
	if strings.ContainsAny(host, "'\"\\ $`;\n") {
		writeError(w, http.StatusBadRequest, "bad-host", "Host 헤더가 올바르지 않습니다")
		return
	}
	w.Header().Set("Content-Type", "text/x-shellscript; charset=utf-8")
	fmt.Fprintf(w, installScript, "http://"+host)
}
