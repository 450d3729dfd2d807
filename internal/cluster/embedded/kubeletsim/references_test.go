package kubeletsim

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	kinddefaults "sigs.k8s.io/kind/pkg/apis/config/defaults"

	"github.com/dslab-kr/dslab/exercises"
)

// deliberatelyMissing are images the course uses BECAUSE they do not exist;
// the simulator must reject each of them (and nothing else referenced).
var deliberatelyMissing = map[string]ImageVerdict{
	// Lesson 12 (troubleshooting): a tag typo.
	"busybox:1.99": ImageNoTag,
	// Exercise bad-image-rollback: the rollout that stalls.
	"quay.io/prometheus/node-exporter:v1.99.0": ImageNoTag,
	// grader/exercises_test.go: a fake lab's broken image.
	"quay.io/fluentd_elasticsearch/fluentd:v2.5.3": ImageNoTag,
}

// imageRefs finds image references in lessons, exercise files (specs,
// solutions, starters, setup manifests) and Go tests: YAML/JSON `image:`
// fields, Go `Image: "…"` fields, `kubectl set image … c=IMAGE`,
// `--image=IMAGE` and the grader's fake lab's BreakImage("IMAGE", …).
var imagePatterns = []*regexp.Regexp{
	regexp.MustCompile(`(?m)\bimage:\s*["']?([^\s"'` + "`" + `,}\]]+)`),
	regexp.MustCompile(`\bImage:\s*"([^"]+)"`),
	regexp.MustCompile(`"image":\s*"([^"]+)"`),
	regexp.MustCompile(`set image \S+ \S+=([^\s"` + "`" + `]+)`),
	regexp.MustCompile(`--image[= ]([^\s"` + "`" + `]+)`),
	regexp.MustCompile(`BreakImage\("([^"]+)"`),
}

func repoRoot(t *testing.T) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found")
		}
		dir = parent
	}
}

// courseImages maps each referenced image to the files that reference it.
func courseImages(t *testing.T) map[string][]string {
	root := repoRoot(t)
	found := map[string][]string{}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if strings.HasPrefix(d.Name(), ".") && path != root || d.Name() == "testdata" && strings.HasPrefix(rel, "grader") {
				return filepath.SkipDir
			}
			return nil
		}
		course := strings.HasPrefix(rel, "lessons"+string(filepath.Separator)) && strings.HasSuffix(rel, ".md") ||
			strings.HasPrefix(rel, "exercises"+string(filepath.Separator)) && strings.HasSuffix(rel, ".yaml") ||
			strings.HasSuffix(rel, "_test.go") && filepath.Dir(path) != filepath.Join(root, "internal/cluster/embedded/kubeletsim")
		if !course {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, re := range imagePatterns {
			for _, m := range re.FindAllStringSubmatch(string(b), -1) {
				img := m[1]
				if strings.ContainsAny(img, "%${}()+") || !strings.ContainsAny(img, ":/@") {
					continue // a format verb, a variable, prose: not an image
				}
				found[img] = append(found[img], rel)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// TestCourseImagesPull fails when a lesson, exercise (spec, solution,
// starter, setup manifest), Go test or the offline kit references an image
// the simulator would reject, or a deliberately missing image it would
// accept.
func TestCourseImagesPull(t *testing.T) {
	k := NewImageKnowledge()
	found := courseImages(t)
	if len(found) < 5 {
		t.Fatalf("only %d images found: the scan is broken: %v", len(found), found)
	}
	kit, err := exercises.Images()
	if err != nil {
		t.Fatal(err)
	}
	for _, img := range append(kit, kinddefaults.Image) {
		if _, ok := deliberatelyMissing[img]; ok {
			t.Errorf("the offline kit (dslab images list) holds %s, which does not exist", img)
		}
		found[img] = append(found[img], "offline kit")
	}
	var names []string
	for img := range found {
		names = append(names, img)
	}
	sort.Strings(names)
	for _, img := range names {
		verdict, ref, err := k.Lookup(img)
		if err != nil {
			continue // invalid names are the InvalidImageName tests' business
		}
		if want, ok := deliberatelyMissing[img]; ok {
			if verdict != want {
				t.Errorf("%s (%s) must be rejected as %v, got %v (used in %v)", img, ref, want, verdict, found[img])
			}
			continue
		}
		if verdict.Rejected() {
			t.Errorf("%s would fail to pull on the lab (%v: %s); used in %v — use a real tag, or add it to trackedRepositories if it exists",
				img, verdict, pullError(verdict, ref), found[img])
		}
	}
	for img := range deliberatelyMissing {
		if _, ok := found[img]; !ok {
			t.Errorf("deliberately missing %s is no longer referenced: drop it from the list", img)
		}
	}
}
