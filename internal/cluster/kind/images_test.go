package kind

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/cluster"
	"github.com/dslab-kr/dslab/internal/cluster/engine"
)

// fakeDockerScript is a docker CLI stand-in for image commands: images are
// files in a state directory, an archive lists its images, and pulls of
// "unreachable" images fail like an offline docker does.
const fakeDockerScript = `#!/bin/sh
S=%q
key() { echo "$1" | tr '/:@' '___'; }
echo "$*" >> "$S/calls"
case "$1" in
image)
	[ -e "$S/images/$(key "$5")" ] && { echo sha256:0123; exit 0; }
	echo "Error: No such image: $5" >&2; exit 1;;
pull)
	case "$2" in *unreachable*)
		echo 'Error response from daemon: Get "https://registry.invalid/v2/": dial tcp: lookup registry.invalid on 10.255.255.53:53: no such host' >&2
		exit 1;;
	esac
	touch "$S/images/$(key "$2")"; echo "Status: Downloaded newer image for $2";;
tag)
	touch "$S/images/$(key "$3")";;
save)
	shift
	out=""
	[ "$1" = "-o" ] && { out="$2"; shift 2; }
	for i in "$@"; do
		[ -e "$S/images/$(key "$i")" ] || { echo "Error response from daemon: reference does not exist: $i" >&2; exit 1; }
	done
	if [ -n "$out" ]; then echo "TAR $*" > "$out"; else echo "TAR $*"; fi;;
load)
	gzip -dcf "$3" | sed -n 's/^TAR //p' | tr ' ' '\n' | while read -r i; do
		touch "$S/images/$(key "$i")"; echo "Loaded image: $i"
	done;;
*)
	echo "unknown command $1" >&2; exit 1;;
esac
`

// fakeDocker installs the script and returns the engine that runs it.
func fakeDocker(t *testing.T, present ...string) (engine.Info, string) {
	t.Helper()
	state := t.TempDir()
	if err := os.Mkdir(filepath.Join(state, "images"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, img := range present {
		key := strings.NewReplacer("/", "_", ":", "_", "@", "_").Replace(img)
		if err := os.WriteFile(filepath.Join(state, "images", key), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	bin := filepath.Join(state, "docker")
	if err := os.WriteFile(bin, []byte(fmt.Sprintf(fakeDockerScript, state)), 0o755); err != nil {
		t.Fatal(err)
	}
	return engine.Info{Engine: engine.Docker, Path: bin, Running: true, ServerVersion: "fake"}, state
}

func calls(t *testing.T, state string) string {
	b, _ := os.ReadFile(filepath.Join(state, "calls"))
	return string(b)
}

func TestSaveImagesWritesOneArchive(t *testing.T) {
	r := newRig(t)
	info, state := fakeDocker(t, testImages()[0])
	r.engine = info
	dir := t.TempDir()
	file := filepath.Join(dir, "kit.tar.gz")
	refs, err := r.rt.SaveImages(context.Background(), file, r.onProgress)
	if err != nil {
		t.Fatalf("%v\ncalls:\n%s", err, calls(t, state))
	}
	want := append([]string{"kindest/node:v1.37.0"}, testImages()...)
	if strings.Join(refs, " ") != strings.Join(want, " ") {
		t.Errorf("refs %q", refs)
	}
	c := calls(t, state)
	if strings.Contains(c, "pull "+testImages()[0]) || !strings.Contains(c, "pull "+DefaultNodeImage()) {
		t.Errorf("pulled the wrong images:\n%s", c)
	}
	if !strings.Contains(c, "tag "+DefaultNodeImage()+" kindest/node:v1.37.0") {
		t.Errorf("digest-pinned node image not tagged:\n%s", c)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	body, _ := io.ReadAll(zr)
	if got := strings.TrimSpace(string(body)); got != "TAR "+strings.Join(want, " ") {
		t.Errorf("archive holds %q", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left-over files: %v", entries)
	}
	if !r.saw("[1/5] 내려받는 중(pull)") || !r.saw("[2/5] 이미 있음") {
		t.Errorf("progress %q", r.progress)
	}
}

func TestSaveImagesOfflineFailsCleanly(t *testing.T) {
	r := newRig(t)
	info, _ := fakeDocker(t)
	r.engine = info
	r.rt.image = "registry.invalid/unreachable/node:v1"
	dir := t.TempDir()
	_, err := r.rt.SaveImages(context.Background(), filepath.Join(dir, "kit.tar"), nil)
	var ce *engine.Error
	if !errors.As(err, &ce) || ce.Class != engine.ClassImagePull || !strings.Contains(ce.Fix, "dslab images save") || !strings.Contains(ce.Detail(), "no such host") {
		t.Fatalf("err = %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a failed save left files: %v", entries)
	}
}

func TestLoadImagesIntoEngineAndNodes(t *testing.T) {
	// make a kit with one fake engine, load it with another
	src := newRig(t)
	srcInfo, _ := fakeDocker(t)
	src.engine = srcInfo
	kit := filepath.Join(t.TempDir(), "kit.tar")
	if _, err := src.rt.SaveImages(context.Background(), kit, nil); err != nil {
		t.Fatal(err)
	}

	r := newRig(t)
	info, state := fakeDocker(t)
	r.engine = info
	res, err := r.rt.LoadImages(context.Background(), "dslab", kit, r.onProgress)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Images) != 5 || len(res.Nodes) != 0 || !r.saw("엔진에만 적재") {
		t.Errorf("no cluster: %+v, progress %q", res, r.progress)
	}
	if !strings.Contains(calls(t, state), "load -i "+kit) {
		t.Error("docker load not called")
	}

	for _, n := range cluster.Topology("dslab") {
		r.prov.containers[n.Name] = true
	}
	res, err = r.rt.LoadImages(context.Background(), "dslab", kit, r.onProgress)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Nodes) != 4 || len(r.prov.loadedInto) != 4 {
		t.Errorf("nodes %v loaded into %v", res.Nodes, r.prov.loadedInto)
	}
	if len(r.prov.saved) != 1 || strings.Join(r.prov.saved[0], " ") != strings.Join(testImages(), " ") {
		t.Errorf("images for the nodes %v (the node image must not go into nodes)", r.prov.saved)
	}

	r.prov.containers["dslab-worker2"] = false
	if _, err := r.rt.LoadImages(context.Background(), "dslab", kit, nil); err == nil || !strings.Contains(err.Error(), "dslab-worker2") {
		t.Errorf("stopped node: %v", err)
	}
	if _, err := r.rt.LoadImages(context.Background(), "dslab", filepath.Join(t.TempDir(), "missing.tar"), nil); err == nil || !hasHangul(err.Error()) {
		t.Errorf("missing file: %v", err)
	}
}
