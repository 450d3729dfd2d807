package kind

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/internal/atomicfile"
	"github.com/dslab-kr/dslab/internal/cluster"
	"github.com/dslab-kr/dslab/internal/cluster/engine"
	"github.com/dslab-kr/dslab/internal/hangul"
)

// ExerciseImages are the container images the exercises run, from the
// exercise specs (exercises.Images): the offline kit (`dslab images save`)
// and the side-loading into new kind nodes use them.
func ExerciseImages() ([]string, error) { return exercises.Images() }

// KitImages are the images of the offline kit: the node image Up would use
// and every exercise image.
func (r *Runtime) KitImages() ([]string, error) {
	node := r.image
	if node == "" {
		node = DefaultNodeImage()
	}
	imgs, err := r.exerciseImages()
	if err != nil {
		return nil, fmt.Errorf("실습 이미지 목록을 읽을 수 없습니다: %w", err)
	}
	return append([]string{node}, imgs...), nil
}

// isNodeImage tells kind node images apart from workload images (a node
// image is never loaded into nodes).
func isNodeImage(image string) bool {
	return strings.HasPrefix(image, "kindest/node:") || strings.HasPrefix(image, "docker.io/kindest/node:") || strings.HasPrefix(image, "kindest/node@")
}

// SaveImages writes the offline kit to file: every kit image, pulled first
// when the engine does not have it. Images pinned by digest are saved under
// their tag (an archive keeps tags, not digests). A file name ending in .gz
// or .tgz is gzip-compressed. The file appears only when complete.
func (r *Runtime) SaveImages(ctx context.Context, file string, progress cluster.Progress) ([]string, error) {
	info := r.prober.Probe(ctx)
	if p := info.Problem(); p != nil {
		return nil, p
	}
	images, err := r.KitImages()
	if err != nil {
		return nil, err
	}
	var refs []string
	for i, img := range images {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if !imagePresent(ctx, info, img) {
			emit(progress, "[%d/%d] 내려받는 중(pull): %s", i+1, len(images), img)
			if out, err := engineOutput(ctx, info, nil, "pull", img); err != nil {
				ce := engine.Classify(fmt.Errorf("failed to pull image %q: %w", img, err), out)
				if ce.Class == engine.ClassImagePull {
					ce.Fix = "이미지 저장소(registry)에 접속할 수 있는 컴퓨터에서 dslab images save 를 실행해 오프라인 키트(offline kit)를 만드세요."
				}
				return nil, ce
			}
		} else {
			emit(progress, "[%d/%d] 이미 있음: %s", i+1, len(images), stripDigest(img))
		}
		ref := img
		if tag := stripDigest(img); tag != img {
			if out, err := engineOutput(ctx, info, nil, "tag", img, tag); err != nil {
				return nil, engine.Classify(fmt.Errorf("%s tag %s: %w", info.Engine, img, err), out)
			}
			ref = tag
		}
		refs = append(refs, ref)
	}
	emit(progress, "이미지 %d개를 %s 에 저장합니다 (몇 분 걸릴 수 있습니다) …", len(refs), file)
	args := []string{"save"}
	if info.Engine == engine.Podman {
		args = append(args, "--multi-image-archive")
	}
	args = append(args, refs...)
	started := false
	err = atomicfile.Write(file, 0o600, 0o755, func(f io.Writer) error {
		started = true
		bw := bufio.NewWriterSize(f, 1<<20)
		var w io.Writer = bw
		var gz *gzip.Writer
		if strings.HasSuffix(file, ".gz") || strings.HasSuffix(file, ".tgz") {
			gz = gzip.NewWriter(bw)
			w = gz
		}
		out, err := engineOutput(ctx, info, w, args...)
		if err == nil && gz != nil {
			err = gz.Close()
		}
		if err == nil {
			err = bw.Flush()
		}
		if err != nil {
			return engine.Classify(fmt.Errorf("%s save: %w", info.Engine, err), out)
		}
		return nil
	})
	if err != nil && !started {
		dir := filepath.Dir(file)
		return nil, fmt.Errorf("%s 에 파일을 만들 수 없습니다: %w", dir, err)
	}
	if err != nil {
		return nil, err
	}
	return refs, nil
}

// LoadResult is what LoadImages did.
type LoadResult struct {
	// Images were loaded into the engine.
	Images []string `json:"images"`
	// Nodes got the workload images (empty when no kind cluster runs).
	Nodes []string `json:"nodes,omitempty"`
}

// LoadImages loads an archive made by SaveImages into the engine and, when
// the kind cluster name runs, the workload images into every node (as `kind
// load image-archive` does). New clusters get them from Up.
func (r *Runtime) LoadImages(ctx context.Context, name, file string, progress cluster.Progress) (LoadResult, error) {
	var res LoadResult
	if _, err := os.Stat(file); err != nil {
		return res, fmt.Errorf("이미지 묶음 파일 %s %s 열 수 없습니다: %w", file, hangul.EulReul(file), err)
	}
	prov, info, err := r.provider(ctx, progress)
	if err != nil {
		return res, err
	}
	emit(progress, "%s %s 컨테이너 엔진(%s)에 적재합니다 …", file, hangul.EulReul(file), info.Engine)
	var stdout bytes.Buffer
	if out, err := engineOutput(ctx, info, &stdout, "load", "-i", file); err != nil {
		return res, engine.Classify(fmt.Errorf("%s load: %w", info.Engine, err), out)
	}
	res.Images = parseLoaded(stdout.String())
	for _, img := range res.Images {
		emit(progress, "적재됨: %s", img)
	}
	existing, err := prov.ListNodes(name)
	if err != nil {
		return res, r.classify(err)
	}
	if len(existing) == 0 {
		emit(progress, "kind 클러스터 %q %s 없어 엔진에만 적재했습니다. dslab cluster up 이 노드를 만들 때 실습 이미지를 넣습니다", name, hangul.IGa(name))
		return res, nil
	}
	var workload []string
	for _, img := range res.Images {
		if !isNodeImage(img) && !strings.HasPrefix(img, "sha256:") {
			workload = append(workload, img)
		}
	}
	if len(workload) == 0 {
		return res, nil
	}
	names := existingNames(existing)
	running, err := prov.Running(ctx, names)
	if err != nil {
		return res, r.classify(err)
	}
	for _, n := range names {
		if !running[n] {
			return res, fmt.Errorf("kind 노드 %s %s 멈춰 있어 이미지를 넣지 못했습니다.\n  → 해결: dslab cluster up 으로 클러스터를 다시 시작하세요 (시작할 때 실습 이미지를 넣습니다)", n, hangul.IGa(n))
		}
	}
	if err := r.loadIntoNodes(ctx, prov, name, workload, progress); err != nil {
		return res, err
	}
	res.Nodes = names
	return res, nil
}

// sideLoadImages copies the exercise images the engine has into the nodes of
// a new or restarted cluster; problems only warn (pods can still pull).
func (r *Runtime) sideLoadImages(ctx context.Context, prov Provider, name string, progress cluster.Progress) {
	imgs, err := r.exerciseImages()
	if err != nil {
		r.log.Warn("no exercise image list", "error", err)
		return
	}
	var have []string
	for _, img := range imgs {
		if prov.ImagePresent(ctx, img) {
			have = append(have, img)
		}
	}
	if len(have) == 0 {
		r.log.Debug("no exercise images in the engine to side-load", "cluster", name)
		return
	}
	if err := r.loadIntoNodes(ctx, prov, name, have, progress); err != nil {
		r.log.Warn("side-loading images failed", "cluster", name, "error", err)
		emit(progress, "경고: 실습 이미지를 노드에 넣지 못했습니다 (파드가 직접 내려받습니다): %v", err)
	}
}

func (r *Runtime) loadIntoNodes(ctx context.Context, prov Provider, name string, images []string, progress cluster.Progress) error {
	nodes, err := prov.ListNodes(name)
	if err != nil {
		return r.classify(err)
	}
	sort.Slice(nodes, func(i, j int) bool { return nodes[i].String() < nodes[j].String() })
	tmp, err := os.CreateTemp("", "dslab-images-*.tar")
	if err != nil {
		return err
	}
	tmpName := tmp.Name()
	tmp.Close()
	defer os.Remove(tmpName)
	emit(progress, "실습 이미지 %d개를 kind 노드 %d개에 넣습니다 (오프라인 실습용) …", len(images), len(nodes))
	if err := prov.SaveImages(ctx, images, tmpName); err != nil {
		return r.classify(err)
	}
	for _, n := range nodes {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := prov.LoadArchive(n, tmpName); err != nil {
			return fmt.Errorf("노드 %s 에 이미지를 넣지 못했습니다: %w", n.String(), r.classify(err))
		}
		emit(progress, "이미지 적재: %s ✓", n.String())
	}
	return nil
}

// parseLoaded reads `docker load` output ("Loaded image: ref", "Loaded image
// ID: sha256:…"; podman: "Loaded image(s): a,b" or "Loaded image: a").
func parseLoaded(out string) []string {
	var imgs []string
	seen := map[string]bool{}
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimSpace(line)
		var rest string
		for _, p := range []string{"Loaded image ID:", "Loaded image(s):", "Loaded image:"} {
			if r, ok := strings.CutPrefix(line, p); ok {
				rest = r
				break
			}
		}
		for _, img := range strings.Split(rest, ",") {
			img = strings.TrimSpace(img)
			if img != "" && !seen[img] {
				seen[img] = true
				imgs = append(imgs, img)
			}
		}
	}
	return imgs
}

func imagePresent(ctx context.Context, info engine.Info, image string) bool {
	_, err := engineOutput(ctx, info, nil, "image", "inspect", "--format", "{{.Id}}", image)
	return err == nil
}

// engineOutput runs the engine; stdout goes to w when given. It returns the
// command's stderr (and stdout when w is nil) for classification.
func engineOutput(ctx context.Context, info engine.Info, w io.Writer, args ...string) (string, error) {
	cmd := info.Command(ctx, args...)
	var out bytes.Buffer
	if w != nil {
		cmd.Stdout = w
	} else {
		cmd.Stdout = &out
	}
	cmd.Stderr = &out
	err := cmd.Run()
	if err != nil && ctx.Err() != nil {
		return out.String(), errors.Join(ctx.Err(), err)
	}
	return out.String(), err
}
