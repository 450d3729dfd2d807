// Package exercises holds dslab's exercises: one directory per exercise
// with exercise.yaml (task, hints, setup, grading spec), solution.yaml (the
// reference manifest) and the manifests its setup applies, embedded in the
// binary and parsed on load.
package exercises

import (
	"bufio"
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"

	"github.com/dslab-kr/dslab/grader"
)

//go:embed */*.yaml
var content embed.FS

// FS returns the embedded exercise files.
func FS() fs.FS { return content }

// LessonIDs are the lessons an exercise may belong to.
var LessonIDs = []string{
	"what-is-daemonset", "use-cases", "daemonset-vs-deployment", "first-daemonset-yaml",
	"node-selector", "node-affinity", "taints-tolerations", "control-plane",
	"update-strategy", "cost-and-resources", "monitoring-agent", "troubleshooting",
	"production-pitfalls",
}

// Exercise is one exercise.
type Exercise struct {
	ID     string `json:"id"`
	Order  int    `json:"order"`
	Title  string `json:"title"`
	Lesson string `json:"lesson"`
	// Task is the assignment in Korean (markdown).
	Task string `json:"task"`
	// Hints are three hints, each more specific than the last.
	Hints []string `json:"hints"`
	Setup Setup    `json:"setup"`
	// SolutionSteps are actions the reference solution takes after
	// applying solution.yaml (label a node, delete a pod).
	SolutionSteps []Step `json:"solutionSteps,omitempty"`
	// Spec is what the grader checks.
	Spec grader.Spec `json:"grading"`
	// ShellOnly: the task is done in the lab shell (label, cordon or taint
	// a node); the work file is not to be changed, so the lab points to
	// the shell, not the editor.
	ShellOnly bool `json:"shellOnly,omitempty"`

	// Solution is solution.yaml.
	Solution []byte `json:"-"`
	// Starter is starter.yaml when the directory has one: the work file a
	// learner starts editing (a Korean comment header saying what to do,
	// then the manifest; for a break-and-fix exercise the broken manifest
	// as setup applied it). Nil when absent (internal/lab writes a generic
	// skeleton then).
	Starter []byte `json:"-"`
	// Files are the other manifests of the exercise directory by name.
	Files map[string][]byte `json:"-"`

	// src are the texts as written (Localize).
	src *sourceTexts
}

// Setup is what `dslab exercise start` does before recording the baseline.
type Setup struct {
	Namespaces []string `json:"namespaces,omitempty"`
	// Remove are the exercise's objects left from an earlier attempt.
	Remove []Object `json:"remove,omitempty"`
	// Apply are manifests (file names in the exercise directory) applied
	// after Remove; ApplyIfMissing only when their objects do not exist.
	Apply          []string `json:"apply,omitempty"`
	ApplyIfMissing []string `json:"applyIfMissing,omitempty"`
	// Taints and Labels are set on nodes ("{cluster}-worker").
	Taints []grader.NodeChange `json:"taints,omitempty"`
	Labels []grader.NodeChange `json:"labels,omitempty"`
	// Recorder starts the rollout recorder on the target DaemonSet.
	Recorder bool `json:"recorder,omitempty"`
	// BreakImage, when set, is a bad update after the applied manifests
	// rolled out: the target's manifest (from Apply) is applied again with
	// Container's image set to Image, then setup waits until one new pod's
	// container waits with WaitReason while the others stay Ready, and
	// records those Ready pods as Baseline.Pods. Image is not in Images
	// (it does not exist, so the offline kit cannot hold it).
	BreakImage *BreakImage `json:"breakImage,omitempty"`

	// RecreateNamespaces are deleted (and waited for) before anything else,
	// then created again by Namespaces: whatever an earlier attempt left in
	// them (a LimitRange, a changed quota) is gone.
	RecreateNamespaces []string `json:"recreateNamespaces,omitempty"`
	// RemovePods are pods deleted after Remove: those an earlier attempt
	// left without an owner (kubectl delete --cascade=orphan).
	RemovePods []PodSelector `json:"removePods,omitempty"`
	// Then are manifests applied after Apply has rolled out, without
	// waiting for their DaemonSets to roll out: the change that breaks the
	// exercise (an image a surge rollout cannot finish, a quota no pod
	// fits).
	Then []string `json:"then,omitempty"`
	// WaitFor is what setup waits for at the end, so that the exercise
	// starts visibly broken.
	WaitFor *WaitFor `json:"waitFor,omitempty"`
}

// BreakImage is a bad image update of the exercise's target DaemonSet.
type BreakImage struct {
	Container string `json:"container"`
	Image     string `json:"image"`
	// WaitReason is the container waiting reason setup waits for
	// ("ImagePullBackOff").
	WaitReason string `json:"waitReason"`
}

// PodSelector selects pods by label in a namespace.
type PodSelector struct {
	Namespace string `json:"namespace"`
	// Selector is a label selector ("app=node-agent").
	Selector string `json:"selector"`
}

// WaitFor is a broken state setup waits for (on the target DaemonSet).
// Every condition given must be seen (each at least once).
type WaitFor struct {
	// PodEvent waits for an event about a pod of the target with this
	// reason whose message starts with PodEventMessage (e.g.
	// TaintManagerEviction, "Marking for deletion").
	PodEvent        string `json:"podEvent,omitempty"`
	PodEventMessage string `json:"podEventMessage,omitempty"`
	// DaemonSetEvent waits for an event about the target with this reason
	// whose message contains DaemonSetEventMessage (e.g. FailedCreate,
	// "must specify limits").
	DaemonSetEvent        string `json:"daemonSetEvent,omitempty"`
	DaemonSetEventMessage string `json:"daemonSetEventMessage,omitempty"`
	// Unschedulable waits for a pod of the target that the scheduler
	// reported unschedulable (PodScheduled=False) with a message containing
	// this text (e.g. "didn't have free ports").
	Unschedulable string `json:"unschedulable,omitempty"`
}

// Files are the manifests setup applies: Apply, ApplyIfMissing, Then.
func (s Setup) Files() []string {
	return append(append(append([]string(nil), s.Apply...), s.ApplyIfMissing...), s.Then...)
}

// Object names an object to remove.
type Object struct {
	Kind      string `json:"kind"`
	Namespace string `json:"namespace,omitempty"`
	Name      string `json:"name"`
}

// Step is one action of a reference solution beyond applying its manifest.
type Step struct {
	Label     *grader.NodeChange `json:"label,omitempty"`
	DeletePod *PodOnNode         `json:"deletePod,omitempty"`
	// Taint sets (or with Remove removes) a node taint.
	Taint *grader.NodeChange `json:"taint,omitempty"`
	// Cordon marks a node unschedulable (kubectl cordon).
	Cordon string `json:"cordon,omitempty"`
	// DeleteDaemonSet deletes a DaemonSet and its pods.
	DeleteDaemonSet *Object `json:"deleteDaemonSet,omitempty"`
	// Before marks a step taken before solution.yaml is applied (deleting
	// a DaemonSet whose immutable selector changes).
	Before bool `json:"before,omitempty"`
}

// PodOnNode selects the pods matching Selector on Node.
type PodOnNode struct {
	Namespace string `json:"namespace"`
	Selector  string `json:"selector"`
	Node      string `json:"node"`
}

// Command renders the step as the command a learner would type
// (`dslab kubectl …`: it runs in any terminal, lesson 1).
func (s Step) Command(cluster string) string {
	expand := func(n string) string { return strings.ReplaceAll(n, "{cluster}", cluster) }
	switch {
	case s.Label != nil && s.Label.Remove:
		return fmt.Sprintf("dslab kubectl label node %s %s-", expand(s.Label.Node), s.Label.Key)
	case s.Label != nil:
		return fmt.Sprintf("dslab kubectl label node %s %s=%s", expand(s.Label.Node), s.Label.Key, s.Label.Value)
	case s.DeletePod != nil:
		return fmt.Sprintf("dslab kubectl -n %s delete pod -l %s --field-selector spec.nodeName=%s", s.DeletePod.Namespace, s.DeletePod.Selector, expand(s.DeletePod.Node))
	case s.Taint != nil && s.Taint.Remove:
		return fmt.Sprintf("dslab kubectl taint node %s %s:%s-", expand(s.Taint.Node), s.Taint.Key, s.Taint.Effect)
	case s.Taint != nil:
		kv := s.Taint.Key
		if s.Taint.Value != "" {
			kv += "=" + s.Taint.Value
		}
		return fmt.Sprintf("dslab kubectl taint node %s %s:%s", expand(s.Taint.Node), kv, s.Taint.Effect)
	case s.Cordon != "":
		return "dslab kubectl cordon " + expand(s.Cordon)
	case s.DeleteDaemonSet != nil:
		return fmt.Sprintf("dslab kubectl -n %s delete daemonset %s", s.DeleteDaemonSet.Namespace, s.DeleteDaemonSet.Name)
	}
	return ""
}

// Catalog is the loaded set of exercises, in order.
type Catalog struct {
	list []Exercise
}

// Load parses the embedded exercises.
func Load() (*Catalog, error) { return LoadFS(content) }

// LoadFS parses exercises from fsys (one directory per exercise).
func LoadFS(fsys fs.FS) (*Catalog, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	c := &Catalog{}
	var errs []error
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		ex, err := loadOne(fsys, e.Name())
		if err != nil {
			errs = append(errs, fmt.Errorf("exercise %s: %w", e.Name(), err))
			continue
		}
		c.list = append(c.list, ex)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	sort.SliceStable(c.list, func(i, j int) bool { return c.list[i].Order < c.list[j].Order })
	return c, nil
}

func loadOne(fsys fs.FS, dir string) (Exercise, error) {
	var ex Exercise
	data, err := fs.ReadFile(fsys, path.Join(dir, "exercise.yaml"))
	if err != nil {
		return ex, err
	}
	if err := yaml.UnmarshalStrict(data, &ex); err != nil {
		return ex, fmt.Errorf("exercise.yaml: %w", err)
	}
	if ex.ID != dir {
		return ex, fmt.Errorf("id %q does not match its directory", ex.ID)
	}
	ex.Spec.ID, ex.Spec.Title = ex.ID, ex.Title
	ex.Files = map[string][]byte{}
	files, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return ex, err
	}
	for _, f := range files {
		if f.IsDir() || f.Name() == "exercise.yaml" {
			continue
		}
		b, err := fs.ReadFile(fsys, path.Join(dir, f.Name()))
		if err != nil {
			return ex, err
		}
		switch f.Name() {
		case "solution.yaml":
			ex.Solution = b
		case "starter.yaml":
			ex.Starter = b
		default:
			ex.Files[f.Name()] = b
		}
	}
	if err := ex.Validate(); err != nil {
		return ex, err
	}
	return ex.Localize(grader.DefaultCluster), nil
}

// Validate checks an exercise for consistency: three hints, a known
// lesson, a valid spec, a solution that is the target DaemonSet, and
// setup files that exist and parse.
func (ex Exercise) Validate() error {
	var errs []error
	if ex.Title == "" || strings.TrimSpace(ex.Task) == "" {
		errs = append(errs, errors.New("title and task are required"))
	}
	if len(ex.Hints) != 3 {
		errs = append(errs, fmt.Errorf("%d hints, want 3", len(ex.Hints)))
	}
	known := false
	for _, l := range LessonIDs {
		known = known || l == ex.Lesson
	}
	if !known {
		errs = append(errs, fmt.Errorf("unknown lesson %q", ex.Lesson))
	}
	if err := ex.Spec.Validate(); err != nil {
		errs = append(errs, err)
	}
	if len(ex.Solution) == 0 {
		errs = append(errs, errors.New("solution.yaml is missing"))
	} else if ds, err := ex.SolutionDaemonSet(); err != nil {
		errs = append(errs, fmt.Errorf("solution.yaml: %w", err))
	} else if ds.Namespace != ex.Spec.Target.Namespace || ds.Name != ex.Spec.Target.Name {
		errs = append(errs, fmt.Errorf("solution.yaml is %s/%s, the target is %s", ds.Namespace, ds.Name, ex.Spec.Target))
	}
	for _, f := range ex.Setup.Files() {
		b, ok := ex.Files[f]
		if !ok {
			errs = append(errs, fmt.Errorf("setup file %s is missing", f))
			continue
		}
		if _, err := SplitManifests(b); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", f, err))
		}
	}
	for _, ps := range ex.Setup.RemovePods {
		if ps.Namespace == "" || ps.Selector == "" {
			errs = append(errs, errors.New("removePods needs namespace and selector"))
		}
	}
	if ex.Setup.Recorder && ex.Spec.Target.Name == "" {
		errs = append(errs, errors.New("recorder needs a target"))
	}
	return errors.Join(errs...)
}

// All returns the exercises in order.
func (c *Catalog) All() []Exercise { return append([]Exercise(nil), c.list...) }

// IDs returns the exercise ids in order.
func (c *Catalog) IDs() []string {
	ids := make([]string, len(c.list))
	for i, e := range c.list {
		ids[i] = e.ID
	}
	return ids
}

// ErrUnknown is returned by Get for an unknown id.
var ErrUnknown = errors.New("unknown exercise")

// Get returns the exercise with id.
func (c *Catalog) Get(id string) (Exercise, error) {
	for _, e := range c.list {
		if e.ID == id {
			return e, nil
		}
	}
	return Exercise{}, fmt.Errorf("%w %q", ErrUnknown, id)
}

// Manifest is one parsed document of a YAML stream: its raw JSON and type.
type Manifest struct {
	APIVersion string
	Kind       string
	Namespace  string
	Name       string
	// JSON is the document converted to JSON.
	JSON []byte
}

// SplitManifests splits a multi-document YAML stream into manifests,
// skipping empty documents.
func SplitManifests(data []byte) ([]Manifest, error) {
	r := utilyaml.NewYAMLReader(bufioReader(data))
	var out []Manifest
	for {
		doc, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(bytes.TrimSpace(stripComments(doc))) == 0 {
			continue
		}
		js, err := yaml.YAMLToJSON(doc)
		if err != nil {
			return nil, err
		}
		var meta struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
			Metadata   struct {
				Name      string `json:"name"`
				Namespace string `json:"namespace"`
			} `json:"metadata"`
		}
		if err := yaml.Unmarshal(js, &meta); err != nil {
			return nil, err
		}
		if meta.Kind == "" || meta.APIVersion == "" || meta.Metadata.Name == "" {
			return nil, fmt.Errorf("a document lacks apiVersion, kind or metadata.name")
		}
		out = append(out, Manifest{APIVersion: meta.APIVersion, Kind: meta.Kind, Namespace: meta.Metadata.Namespace, Name: meta.Metadata.Name, JSON: js})
	}
	return out, nil
}

func stripComments(doc []byte) []byte {
	var b bytes.Buffer
	for _, line := range strings.Split(string(doc), "\n") {
		if t := strings.TrimSpace(line); t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// DaemonSets parses every DaemonSet of a manifest stream strictly.
func DaemonSets(data []byte) ([]appsv1.DaemonSet, error) {
	ms, err := SplitManifests(data)
	if err != nil {
		return nil, err
	}
	var out []appsv1.DaemonSet
	for _, m := range ms {
		if m.Kind != "DaemonSet" {
			continue
		}
		if m.APIVersion != "apps/v1" {
			return nil, fmt.Errorf("DaemonSet %s: apiVersion %s, want apps/v1", m.Name, m.APIVersion)
		}
		var ds appsv1.DaemonSet
		if err := yaml.UnmarshalStrict(m.JSON, &ds); err != nil {
			return nil, fmt.Errorf("DaemonSet %s: %w", m.Name, err)
		}
		out = append(out, ds)
	}
	return out, nil
}

// SolutionDaemonSet returns the DaemonSet of solution.yaml.
func (ex Exercise) SolutionDaemonSet() (appsv1.DaemonSet, error) {
	dss, err := DaemonSets(ex.Solution)
	if err != nil {
		return appsv1.DaemonSet{}, err
	}
	if len(dss) != 1 {
		return appsv1.DaemonSet{}, fmt.Errorf("%d DaemonSets, want 1", len(dss))
	}
	return dss[0], nil
}

// Images returns every container image the exercises use (setup
// manifests, solutions and graded images), each once, sorted. The offline
// image kit pulls exactly these.
func (c *Catalog) Images() []string {
	seen := map[string]bool{}
	addSpec := func(s corev1.PodSpec) {
		for _, ct := range append(append([]corev1.Container(nil), s.InitContainers...), s.Containers...) {
			seen[ct.Image] = true
		}
	}
	for _, ex := range c.list {
		sources := [][]byte{ex.Solution}
		for name, b := range ex.Files {
			if name == "starter.yaml" {
				continue // a break-and-fix starter may hold the broken image
			}
			sources = append(sources, b)
		}
		for _, src := range sources {
			dss, _ := DaemonSets(src) // validated on load
			for _, ds := range dss {
				addSpec(ds.Spec.Template.Spec)
			}
		}
		for _, ch := range ex.Spec.Checks {
			for _, img := range []string{ch.Image, ch.OtherImage} {
				if img != "" {
					seen[img] = true
				}
			}
		}
	}
	out := make([]string, 0, len(seen))
	for img := range seen {
		out = append(out, img)
	}
	sort.Strings(out)
	return out
}

// ManagedKeys returns the label and taint keys that exercises set up or
// ask for; `exercise start` resets them to the lab topology before setting
// up another exercise.
func (c *Catalog) ManagedKeys() (labels, taints []string) {
	l, t := map[string]bool{}, map[string]bool{}
	for _, ex := range c.list {
		for _, ch := range append(append([]grader.NodeChange(nil), ex.Setup.Labels...), ex.Spec.Changes...) {
			if ch.Kind == "taint" {
				t[ch.Key] = true
			} else {
				l[ch.Key] = true
			}
		}
		for _, ch := range ex.Setup.Taints {
			t[ch.Key] = true
		}
		for _, s := range ex.SolutionSteps {
			if s.Label != nil {
				l[s.Label.Key] = true
			}
			if s.Taint != nil {
				t[s.Taint.Key] = true
			}
		}
	}
	return sortedSet(l), sortedSet(t)
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func bufioReader(b []byte) *bufio.Reader { return bufio.NewReader(bytes.NewReader(b)) }

// Images returns every container image the embedded exercises use, each
// once, sorted (for the offline image kit).
func Images() ([]string, error) {
	c, err := Load()
	if err != nil {
		return nil, err
	}
	return c.Images(), nil
}

// InClass is all (course order) narrowed to the exercises a class gives
// (ids, the class's exercise list in the learner's credentials): a learner
// in a class is pointed only at the class's exercises (issue 12). With no
// ids (not in a class, or an older server that gave no list) it is all.
// Ids the catalog does not know are left out.
func InClass(all []Exercise, ids []string) []Exercise {
	if len(ids) == 0 {
		return all
	}
	out := make([]Exercise, 0, len(ids))
	for _, e := range all {
		if slices.Contains(ids, e.ID) {
			out = append(out, e)
		}
	}
	return out
}

// NextUnpassed is the one "next exercise" suggestion every surface makes
// (the TUI's pass line and n, dslab grade's "다음 연습:"): the first
// exercise after current in course order (all, Catalog.All) that passed
// does not report, wrapping around to the start; current itself is never
// named. With current "" (or unknown) it is the first unpassed exercise
// from the start. ok is false when every other exercise has passed.
func NextUnpassed(all []Exercise, current string, passed func(id string) bool) (Exercise, bool) {
	at := -1
	for i, e := range all {
		if e.ID == current {
			at = i
		}
	}
	for k := 1; k <= len(all); k++ {
		e := all[(at+k)%len(all)]
		if e.ID != current && !passed(e.ID) {
			return e, true
		}
	}
	return Exercise{}, false
}
