package server

// /download/: the running dslab binary (and the other platforms' builds in
// BoardConfig.DistDir) with SHA-256 sums, and /install.sh, so a student on
// the LAN gets dslab in one line without compiling Kubernetes.

import (
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
}

func newDownloads(cfg BoardConfig) *downloads {
	return &downloads{cfg: cfg, cache: map[string][2]string{}}
}

func (d *downloads) list() ([]download, error) {
	files := map[string]string{}
	if d.cfg.DistDir != "" {
		entries, err := os.ReadDir(d.cfg.DistDir)
		if err != nil && !os.IsNotExist(err) {
			return nil, err
		}
		for _, e := range entries {
			if e.Type().IsRegular() && distName.MatchString(e.Name()) {
				files[e.Name()] = filepath.Join(d.cfg.DistDir, e.Name())
			}
		}
	}
	exe := d.cfg.Executable
	if exe == "" {
		exe, _ = os.Executable()
	}
	if exe != "" {
		name := "dslab-" + runtime.GOOS + "-" + runtime.GOARCH
		if runtime.GOOS == "windows" {
			name += ".exe"
		}
		files[name] = exe // the running binary wins over a stale dist build
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

func (s *Server) handleDownloadIndex(w http.ResponseWriter, r *http.Request) {
	files, err := s.board.dl.list()
	if err != nil {
		s.internal(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintf(w, "dslab 내려받기 (%s)\n\n설치 한 줄:\n  curl -fsSL http://%s%s | sh\n\n", s.class.Title, r.Host, "/install.sh")
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
			w.Header().Set("X-Checksum-Sha256", f.Sum)
			http.ServeFile(w, r, f.Path)
			return
		}
	}
	writeError(w, http.StatusNotFound, "no-download", "이 서버에 없는 파일입니다: "+name+" (목록: /download/)")
}

// installScript downloads the build for the machine, checks its SHA-256
// against the server's list, installs it as ~/.local/bin/dslab and, given
// a join code and a name (sh -s -- CODE NAME [ID]), runs `dslab class join`.
const installScript = `#!/bin/sh
# dslab 설치: curl -fsSL http://SERVER/install.sh | sh -s -- [참가 코드 [이름 [학번]]]
set -eu
SERVER='%s'
os=$(uname -s | tr '[:upper:]' '[:lower:]')
case "$(uname -m)" in x86_64|amd64) arch=amd64 ;; aarch64|arm64) arch=arm64 ;; *) echo "지원하지 않는 CPU 입니다: $(uname -m)" >&2; exit 1 ;; esac
name="dslab-$os-$arch"
dir="${DSLAB_INSTALL_DIR:-$HOME/.local/bin}"
mkdir -p "$dir"
tmp=$(mktemp "$dir/.dslab.XXXXXX")
trap 'rm -f "$tmp"' EXIT
echo "내려받는 중: $SERVER/download/$name" >&2
curl -fsSL "$SERVER/download/$name" -o "$tmp" || { echo "내려받지 못했습니다: 이 서버에 없는 파일일 수 있습니다 ($name, 목록: $SERVER/download/)" >&2; exit 1; }
want=$(curl -fsSL "$SERVER/download/SHA256SUMS" | awk -v n="$name" '$2 == n { print $1 }')
if command -v sha256sum >/dev/null 2>&1; then got=$(sha256sum "$tmp" | awk '{print $1}'); else got=$(shasum -a 256 "$tmp" | awk '{print $1}'); fi
if [ -z "$want" ] || [ "$want" != "$got" ]; then echo "SHA-256 이 맞지 않습니다 (받은 파일 $got, 서버 목록 $want): 설치하지 않습니다" >&2; exit 1; fi
chmod 0755 "$tmp"
mv "$tmp" "$dir/dslab"
trap - EXIT
echo "설치했습니다: $dir/dslab (SHA-256 $got)" >&2
case ":$PATH:" in *":$dir:"*) ;; *) echo "PATH 에 이 디렉터리를 추가하세요: export PATH=\"$dir:\$PATH\"" >&2 ;; esac
if [ "$#" -ge 2 ]; then
  exec "$dir/dslab" class join "$SERVER" --code "$1" --name "$2" ${3:+--student-id "$3"}
elif [ "$#" -ge 1 ]; then
  echo "다음 명령으로 참가하세요: dslab class join $SERVER --code $1 --name 이름 --student-id 학번" >&2
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
