package lab

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	appsv1 "k8s.io/api/apps/v1"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/grader/gradertest"
	"github.com/dslab-kr/dslab/internal/paths"
)

func testPaths(t *testing.T) paths.Paths {
	return paths.Under(t.TempDir())
}

// latinWord is a Latin identifier as a starter's TODO comment or a task
// names it (nodeSelector, dslab-worker2, v1.9.1).
var latinWord = regexp.MustCompile(`[A-Za-z][A-Za-z0-9]*(?:[._/-][A-Za-z0-9]+)*`)

// latinWords are the words of s (lower case); with parts, also each part
// of a dotted path (spec.selector.matchLabels gives matchlabels).
func latinWords(s string, parts bool) map[string]bool {
	out := map[string]bool{}
	for _, w := range latinWord.FindAllString(s, -1) {
		if len(w) > 1 { // a key letter like 셸(s) is not a word
			out[strings.ToLower(w)] = true
		}
		if parts {
			for _, p := range strings.Split(w, ".") {
				out[strings.ToLower(p)] = true
			}
		}
	}
	return out
}

// Every exercise has its own starter (exercises/<id>/starter.yaml): a
// Korean header (what to do, that saving applies it), one DaemonSet that
// parses, not already a passing answer (graded as applied, and again with
// the empty images filled in from the solution), TODO comments in the
// task's own words; a break-and-fix or update exercise starts from the
// manifest its setup applied.
func TestStarterManifests(t *testing.T) {
	for _, ex := range catalog(t).All() {
		t.Run(ex.ID, func(t *testing.T) {
			if len(ex.Starter) == 0 {
				t.Fatalf("exercises/%s/starter.yaml is missing", ex.ID)
			}
			m := StarterManifest(ex)
			if string(m) != strings.ReplaceAll(string(ex.Starter), workFileMark, "<작업 파일>") {
				t.Errorf("StarterManifest is not the exercise's starter.yaml")
			}
			header := ""
			for _, line := range strings.Split(string(m), "\n") {
				if !strings.HasPrefix(line, "#") {
					break
				}
				header += line + "\n"
			}
			if !strings.HasPrefix(header, "# 연습 "+ex.ID+": ") || !strings.Contains(header, "할 일:") || !strings.Contains(header, "저장") {
				t.Errorf("no Korean header (연습 id, 할 일, 저장):\n%s", header)
			}
			dss, err := exercises.DaemonSets(m)
			if err != nil || len(dss) != 1 {
				t.Fatalf("starter does not parse as one DaemonSet (%d): %v\n%s", len(dss), err, m)
			}
			grade := func(manifest []byte) grader.Result {
				l := gradertest.NewLab("dslab")
				l.StartExercise(ex)
				l.Apply(manifest)
				return grader.Grade(ex.Spec, l.Snapshot())
			}
			if res := grade(m); res.Passed {
				t.Errorf("the starter as it is passes %s", ex.ID)
			}
			if strings.Contains(string(m), `image: ""`) {
				sol, _ := ex.SolutionDaemonSet()
				filled := strings.ReplaceAll(string(m), `image: ""`, "image: "+sol.Spec.Template.Spec.Containers[0].Image)
				if res := grade([]byte(filled)); res.Passed {
					t.Errorf("the starter with only its image filled in passes %s", ex.ID)
				}
			}
			// An exercise whose setup applies the target starts from the
			// last version setup applied (Apply/ApplyIfMissing, then Then,
			// then a BreakImage update).
			var last *appsv1.DaemonSet
			lastFile := ""
			for _, f := range ex.Setup.Files() {
				set, err := exercises.DaemonSets(ex.Files[f])
				if err != nil {
					t.Fatal(err)
				}
				for i, d := range set {
					if d.Namespace == ex.Spec.Target.Namespace && d.Name == ex.Spec.Target.Name {
						last, lastFile = &set[i], f
					}
				}
			}
			if last != nil {
				if bi := ex.Setup.BreakImage; bi != nil {
					for j := range last.Spec.Template.Spec.Containers {
						if c := &last.Spec.Template.Spec.Containers[j]; c.Name == bi.Container {
							c.Image = bi.Image
						}
					}
				}
				if !reflect.DeepEqual(*last, dss[0]) {
					t.Errorf("setup applies %s as %s, the starter differs:\n%s", last.Name, lastFile, m)
				}
			}
			vocab := latinWords(ex.Title+"\n"+ex.Task+"\n"+strings.Join(ex.Hints, "\n"), true)
			todos := 0
			for _, line := range strings.Split(string(m), "\n") {
				_, todo, ok := strings.Cut(line, "TODO")
				if !ok {
					continue
				}
				todos++
				for w := range latinWords(todo, false) {
					if !vocab[w] {
						t.Errorf("TODO word %q is not in the task of %s: %s", w, ex.ID, line)
					}
				}
			}
			if todos == 0 {
				t.Errorf("the starter says nowhere what to do (no TODO):\n%s", m)
			}
		})
	}
}

// ds-basics needs no placement settings: its starter must not send the
// learner looking for them (issue 14: the generic TODO listed nodeSelector,
// affinity, tolerations).
func TestStarterFitsItsTask(t *testing.T) {
	m := strings.ToLower(string(StarterManifest(exercise(t, "ds-basics"))))
	for _, w := range []string{"nodeselector", "affinity", "toleration", "톨러레이션", "어피니티"} {
		if strings.Contains(m, w) {
			t.Errorf("ds-basics starter mentions %q:\n%s", w, m)
		}
	}
	m = string(StarterManifest(exercise(t, "gpu-only")))
	for _, leak := range []string{"nodeSelector:", "hardware", "busybox"} {
		if strings.Contains(m, leak) {
			t.Errorf("gpu-only starter contains %q:\n%s", leak, m)
		}
	}
	if !strings.Contains(m, "app: gpu-monitor") || !strings.Contains(m, "- name: gpu-monitor") {
		t.Errorf("gpu-only starter lacks the names the task gives:\n%s", m)
	}
	ts := exercise(t, "troubleshoot")
	if m := StarterManifest(ts); !strings.Contains(string(m), "hardwre: gpu") || !strings.Contains(string(m), "effect: NoExecute") {
		t.Errorf("troubleshoot starter is not the broken manifest:\n%s", m)
	}
}

// An exercise without starter.yaml gets the generic skeleton: the target's
// names, no placement words, not a passing answer.
func TestStarterFallback(t *testing.T) {
	for _, id := range []string{"gpu-only", "troubleshoot"} {
		ex := exercise(t, id)
		ex.Starter = nil
		m := StarterManifest(ex)
		if !strings.HasPrefix(string(m), "# 연습 "+ex.ID+": ") || !strings.Contains(string(m), "저장") {
			t.Errorf("%s: no Korean header:\n%s", id, m)
		}
		dss, err := exercises.DaemonSets(m)
		if err != nil || len(dss) != 1 || dss[0].Name != ex.Spec.Target.Name || dss[0].Namespace != ex.Spec.Target.Namespace {
			t.Fatalf("%s: fallback starter %v: %v\n%s", id, dss, err, m)
		}
		if id == "gpu-only" && strings.Contains(string(m), "nodeSelector") {
			t.Errorf("%s: the generic starter names a setting the task may not need:\n%s", id, m)
		}
		l := gradertest.NewLab("dslab")
		l.StartExercise(ex)
		l.Apply(m)
		if grader.Grade(ex.Spec, l.Snapshot()).Passed {
			t.Errorf("%s: the generic starter passes", id)
		}
	}
}

// The generic skeleton's header lines (this package's text, not a setup
// manifest it copies) fit an 80-column editor like the exercises' own
// starters (exercises/starter_test.go): at most 78 display cells, Hangul
// counting two.
func TestStarterFallbackHeaderFits(t *testing.T) {
	for _, ex := range catalog(t).All() {
		ex.Starter = nil
		m := string(StarterManifest(ex))
		for _, f := range ex.Setup.Files() {
			// The setup manifest after the header is the exercise's file,
			// not text this package writes.
			if s, ok := strings.CutSuffix(m, string(ex.Files[f])); ok && len(ex.Files[f]) > 0 {
				m = s
				break
			}
		}
		for i, line := range strings.Split(m, "\n") {
			if !strings.HasPrefix(line, "#") {
				continue
			}
			if w := ansi.StringWidth(line); w > 78 {
				t.Errorf("%s: fallback starter line %d is %d cells wide (max 78): %s", ex.ID, i+1, w, line)
			}
		}
	}
}

func TestEnsureWorkFileKeepsEdits(t *testing.T) {
	p := testPaths(t)
	ex := exercise(t, "gpu-only")
	path, created, err := EnsureWorkFile(p, ex)
	if err != nil || !created || path != filepath.Join(p.DataDir, "work", "gpu-only.yaml") {
		t.Fatalf("first: %s %v %v", path, created, err)
	}
	if err := os.WriteFile(path, ex.Solution, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, created, err := EnsureWorkFile(p, ex); err != nil || created {
		t.Fatalf("second: %v %v", created, err)
	}
	if data, _ := os.ReadFile(path); string(data) != string(ex.Solution) {
		t.Fatal("the learner's edit was overwritten")
	}
}

func TestStampSaved(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.yaml")
	before := StampFile(path)
	if before.Exists {
		t.Fatal("missing file exists")
	}
	os.WriteFile(path, []byte("a"), 0o644)
	after := StampFile(path)
	if !before.Saved(after) || after.Saved(after) {
		t.Fatal("Saved is wrong")
	}
	os.WriteFile(path, []byte("b"), 0o644)
	if !after.Saved(StampFile(path)) {
		t.Fatal("a changed file does not count as saved")
	}
}

func TestEditorCommand(t *testing.T) {
	bin := t.TempDir()
	os.WriteFile(filepath.Join(bin, "nano"), []byte("#!/bin/sh\n"), 0o755)
	env := map[string]string{"PATH": bin}
	get := func(k string) string { return env[k] }
	cmd, err := EditorCommand(get, "/w/x.yaml")
	if err != nil || cmd.Path != filepath.Join(bin, "nano") || cmd.Args[1] != "/w/x.yaml" {
		t.Fatalf("fallback: %v %v", cmd, err)
	}
	env["EDITOR"] = "code -w"
	if cmd, _ := EditorCommand(get, "/w/x.yaml"); strings.Join(cmd.Args, " ") != "code -w /w/x.yaml" {
		t.Errorf("EDITOR with args: %v", cmd.Args)
	}
	env["VISUAL"] = "vim"
	if cmd, _ := EditorCommand(get, "/w/x.yaml"); cmd.Args[0] != "vim" {
		t.Errorf("VISUAL first: %v", cmd.Args)
	}
	if _, err := EditorCommand(func(string) string { return "" }, "x"); err == nil || !strings.Contains(err.Error(), "EDITOR") {
		t.Errorf("no editor: %v", err)
	}
}

// TestStarterHeaderNamesItsPath: a work file dslab writes (the TUI, or the
// CLI's dslab exercise start with no TUI running) says saving applies only
// while the TUI runs, and otherwise the command with its own path (issue
// 14: "저장하면 바로 적용됩니다" was untrue for the CLI's files).
func TestStarterHeaderNamesItsPath(t *testing.T) {
	p := paths.Paths{DataDir: t.TempDir()}
	for _, id := range []string{"ds-basics", "gpu-only"} {
		path, created, err := EnsureWorkFile(p, exercise(t, id))
		if err != nil || !created {
			t.Fatalf("%s: %v (created %v)", id, err, created)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		s := string(data)
		if !strings.Contains(s, "# TUI 가 열려 있으면 저장할 때 바로 적용되고") || !strings.Contains(s, "# dslab kubectl apply -f "+path+" 로 적용합니다.") || strings.Contains(s, workFileMark) {
			t.Errorf("%s header:\n%s", id, s)
		}
		if !UntouchedStarter(path, StampFile(path)) {
			t.Errorf("%s: the starter written is not marked as dslab's", id)
		}
	}
}

// An editor the learner did not choose is named with how to save and quit
// it, and how to choose another (issue 14: vi opened with no word).
func TestEditorNote(t *testing.T) {
	bin := t.TempDir()
	os.WriteFile(filepath.Join(bin, "vi"), []byte("#!/bin/sh\n"), 0o755)
	env := map[string]string{"PATH": bin}
	get := func(k string) string { return env[k] }
	cmd, err := EditorCommand(get, "/w/x.yaml")
	if err != nil {
		t.Fatal(err)
	}
	note := EditorNote(get, cmd)
	for _, w := range []string{"편집기 vi 로 엽니다", ":wq", ":q!", "export EDITOR=nano"} {
		if !strings.Contains(note, w) {
			t.Errorf("note %q lacks %q", note, w)
		}
	}
	env["EDITOR"] = "vi"
	if note := EditorNote(get, cmd); note != "" {
		t.Errorf("an editor the learner chose got a note: %q", note)
	}
}
