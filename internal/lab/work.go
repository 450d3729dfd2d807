package lab

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/internal/hangul"
	"github.com/dslab-kr/dslab/internal/paths"
)

// WorkDir is where the learner's manifests live between sessions:
// $XDG_DATA_HOME/dslab/work.
func WorkDir(p paths.Paths) string { return filepath.Join(p.DataDir, "work") }

// WorkFile is the learner's manifest for one exercise.
func WorkFile(p paths.Paths, id string) string { return filepath.Join(WorkDir(p), id+".yaml") }

// StarterManifest is the manifest a learner starts an exercise from: the
// exercise's own starter.yaml when it has one (exercises.Exercise.Starter,
// written to fit its task); otherwise, when the exercise's setup applies
// the target DaemonSet, that manifest; otherwise a generic skeleton with the
// target's name, namespace, labels and container name. It never contains
// the answer. Its header says how the file is applied both where it is
// true (issue 14: "저장하면 바로 적용됩니다" also in files `dslab exercise
// start` wrote, while no TUI ran): on save while the TUI runs, else with
// dslab kubectl apply -f and the file's path ("<작업 파일>" here;
// StarterFor fills in the path).
func StarterManifest(ex exercises.Exercise) []byte {
	return StarterFor(ex, "<작업 파일>")
}

// workFileMark is where a starter's header names its own path.
const workFileMark = "{workfile}"

// StarterFor is StarterManifest for the work file at path, the path
// written in its header.
func StarterFor(ex exercises.Exercise, path string) []byte {
	return []byte(strings.ReplaceAll(string(starterManifest(ex)), workFileMark, path))
}

func starterManifest(ex exercises.Exercise) []byte {
	if len(ex.Starter) > 0 {
		return append([]byte(nil), ex.Starter...)
	}
	header := fmt.Sprintf("# 연습 %s: %s\n"+
		"# TUI 가 열려 있으면 저장할 때 바로 적용되고, 아니면 저장한 뒤\n"+
		"# dslab kubectl apply -f {workfile} 로 적용합니다.\n"+
		"# 결과는 편집기를 닫으면 연습 화면에서 봅니다\n"+
		"# (다른 터미널의 dslab grade 로도 볼 수 있습니다).\n"+
		"# 이 파일은 다음에도 그대로 남아 있습니다.\n", ex.ID, ex.Title)
	for _, f := range append(append([]string(nil), ex.Setup.Apply...), ex.Setup.ApplyIfMissing...) {
		dss, err := exercises.DaemonSets(ex.Files[f])
		if err != nil {
			continue
		}
		for _, d := range dss {
			if d.Namespace == ex.Spec.Target.Namespace && d.Name == ex.Spec.Target.Name {
				return append([]byte(header+"# 지금 클러스터에 있는 데몬셋의 매니페스트입니다. 과제대로 고치세요.\n"), ex.Files[f]...)
			}
		}
	}
	t := ex.Spec.Target
	labelKey, labelValue, container := "app", t.Name, t.Name
	if ds, err := ex.SolutionDaemonSet(); err == nil {
		if sel := ds.Spec.Selector; sel != nil && len(sel.MatchLabels) == 1 {
			for k, v := range sel.MatchLabels {
				labelKey, labelValue = k, v
			}
		}
		if cs := ds.Spec.Template.Spec.Containers; len(cs) > 0 {
			container = cs[0].Name
		}
	}
	var b strings.Builder
	b.WriteString(header)
	b.WriteString("# 할 일: TODO 가 있는 곳을 과제에 맞게 채우세요.\n")
	fmt.Fprintf(&b, `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: %s
  namespace: %s
spec:
  selector:
    matchLabels:
      %s: %s
  template:
    metadata:
      labels:
        %s: %s
    spec:
      # TODO: 과제에 적힌 설정
      containers:
      - name: %s
        image: ""  # TODO: 과제에 적힌 이미지
`, t.Name, t.Namespace, labelKey, labelValue, labelKey, labelValue, container)
	return []byte(b.String())
}

// EnsureWorkFile returns the learner's manifest for ex, writing the starter
// manifest first if there is none (a file the learner edited is kept).
func EnsureWorkFile(p paths.Paths, ex exercises.Exercise) (path string, created bool, err error) {
	path = WorkFile(p, ex.ID)
	if _, err := os.Stat(path); err == nil {
		return path, false, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return path, false, fmt.Errorf("작업 파일 %s %s 확인할 수 없습니다: %w", path, hangul.EulReul(path), err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return path, false, fmt.Errorf("작업 디렉터리 %s %s 만들 수 없습니다: %w", filepath.Dir(path), hangul.EulReul(filepath.Dir(path)), err)
	}
	starter := StarterFor(ex, path)
	// The mark first: a watcher that sees the file sees it as dslab's.
	sum := sha256.Sum256(starter)
	if err := os.WriteFile(StarterMark(path), []byte(hex.EncodeToString(sum[:])+"\n"), 0o644); err != nil {
		return path, false, fmt.Errorf("시작 매니페스트 표시 %s %s 쓸 수 없습니다: %w", StarterMark(path), hangul.EulReul(StarterMark(path)), err)
	}
	if err := os.WriteFile(path, starter, 0o644); err != nil {
		return path, false, fmt.Errorf("시작 매니페스트 %s %s 쓸 수 없습니다: %w", path, hangul.EulReul(path), err)
	}
	return path, true, nil
}

// StarterMark is the sidecar of the work file path that holds the SHA-256
// (hex) of the starter manifest dslab wrote there (EnsureWorkFile, from
// the TUI or `dslab exercise start`): ".<id>.yaml.starter" in the work
// directory (not *.yaml, so the work watcher ignores it).
func StarterMark(path string) string {
	return filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".starter")
}

// UntouchedStarter reports whether st (a stamp of the work file path) is
// still the starter manifest dslab wrote there: such a file is dslab's,
// not a learner's save, and is never applied or counted as an attempt.
func UntouchedStarter(path string, st Stamp) bool {
	if !st.Exists {
		return false
	}
	data, err := os.ReadFile(StarterMark(path))
	if err != nil {
		return false
	}
	return strings.TrimSpace(string(data)) == hex.EncodeToString(st.Sum[:])
}

// NoWorkFileError: the exercise has no work file yet (nothing to apply;
// not an apply failure).
type NoWorkFileError struct{ Path string }

func (e *NoWorkFileError) Error() string {
	return fmt.Sprintf("아직 작업 파일이 없습니다: e 로 편집을 시작하세요 (%s)", e.Path)
}

// StarterUnchangedError: the work file is still the starter manifest dslab
// wrote (UntouchedStarter); it was not applied and no attempt is counted.
type StarterUnchangedError struct{ Path string }

func (e *StarterUnchangedError) Error() string {
	return fmt.Sprintf("작업 파일이 아직 dslab 이 만든 시작 매니페스트 그대로라 적용하지 않았습니다: e 로 과제대로 고쳐 저장하세요 (%s)", e.Path)
}

// NotApplicable reports whether err says there was nothing of the
// learner's to apply (*NoWorkFileError, *StarterUnchangedError): a note,
// not an apply failure.
func NotApplicable(err error) bool {
	var nw *NoWorkFileError
	var su *StarterUnchangedError
	return errors.As(err, &nw) || errors.As(err, &su)
}

// Stamp identifies a version of a file (to tell whether the editor saved).
type Stamp struct {
	ModTime time.Time
	Size    int64
	Sum     [sha256.Size]byte
	Exists  bool
}

// StampFile reads the stamp of path (a missing file has Exists false).
func StampFile(path string) Stamp {
	data, err := os.ReadFile(path)
	if err != nil {
		return Stamp{}
	}
	st := Stamp{Size: int64(len(data)), Sum: sha256.Sum256(data), Exists: true}
	if fi, err := os.Stat(path); err == nil {
		st.ModTime = fi.ModTime()
	}
	return st
}

// Saved reports whether the file changed between the two stamps (written
// by the editor, even with the same content).
func (s Stamp) Saved(after Stamp) bool {
	return after.Exists && (!s.Exists || s.Sum != after.Sum || !s.ModTime.Equal(after.ModTime))
}

// ManifestError is a manifest that cannot be applied as it is (Korean).
type ManifestError struct {
	Path string
	Err  error
}

func (e *ManifestError) Error() string {
	return fmt.Sprintf("매니페스트 %s 에 문제가 있어 적용하지 않았습니다 (파일은 그대로 둡니다): %v", filepath.Base(e.Path), e.Err)
}

func (e *ManifestError) Unwrap() error { return e.Err }

// ReadManifest reads and checks a learner's manifest: valid YAML, every
// document with apiVersion, kind and metadata.name, DaemonSets parsed
// strictly (a misspelt field is an error).
func ReadManifest(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &ManifestError{Path: path, Err: fmt.Errorf("파일을 읽을 수 없습니다: %w", err)}
	}
	docs, err := exercises.SplitManifests(data)
	if err != nil {
		return nil, &ManifestError{Path: path, Err: fmt.Errorf("YAML 형식 오류: %w", err)}
	}
	if len(docs) == 0 {
		return nil, &ManifestError{Path: path, Err: errors.New("적용할 오브젝트가 없습니다 (파일이 비었거나 주석뿐입니다)")}
	}
	if _, err := exercises.DaemonSets(data); err != nil {
		return nil, &ManifestError{Path: path, Err: err}
	}
	return data, nil
}

// EditorCommand returns the command that edits path: $VISUAL, else
// $EDITOR (which may carry arguments, e.g. "code -w"), else nano, else vi.
func EditorCommand(getenv func(string) string, path string) (*exec.Cmd, error) {
	for _, v := range []string{"VISUAL", "EDITOR"} {
		if f := strings.Fields(getenv(v)); len(f) > 0 {
			return exec.Command(f[0], append(f[1:], path)...), nil
		}
	}
	for _, e := range []string{"nano", "vi"} {
		if p, ok := lookPath(getenv("PATH"), e); ok {
			return exec.Command(p, path), nil
		}
	}
	return nil, errors.New("편집기를 찾을 수 없습니다: EDITOR 환경 변수를 설정하세요 (예: export EDITOR=nano)")
}

// EditorNote is what to say before the editor EditorCommand chose opens
// when neither VISUAL nor EDITOR chose it (issue 14: vi opened with no
// word on how to quit): which editor, how to save and quit it, and how to
// choose another. "" when the learner chose the editor.
func EditorNote(getenv func(string) string, cmd *exec.Cmd) string {
	for _, v := range []string{"VISUAL", "EDITOR"} {
		if strings.TrimSpace(getenv(v)) != "" {
			return ""
		}
	}
	if cmd == nil || len(cmd.Args) == 0 {
		return ""
	}
	name := filepath.Base(cmd.Args[0])
	how := ""
	switch name {
	case "nano":
		how = "Ctrl+O, enter 로 저장하고 Ctrl+X 로 끝냅니다"
	case "vi", "vim", "nvi", "elvis":
		how = "i 로 입력을 시작하고, esc 를 누른 뒤 :wq enter 로 저장하고 끝냅니다 (저장하지 않고 끝내기 :q! enter)"
	default:
		how = "저장하고 끝내면 TUI 로 돌아옵니다"
	}
	return "EDITOR 가 설정되지 않아 편집기 " + name + " " + hangul.EuroRo(name) + " 엽니다: " + how +
		". 다른 편집기는 dslab 을 시작하기 전에 EDITOR 로 고릅니다 (예: export EDITOR=nano)"
}

// lookPath finds an executable in a PATH value (not the process's own,
// so that the caller's environment decides).
func lookPath(pathEnv, file string) (string, bool) {
	for _, dir := range filepath.SplitList(pathEnv) {
		if dir == "" {
			continue
		}
		p := filepath.Join(dir, file)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return p, true
		}
	}
	return "", false
}
