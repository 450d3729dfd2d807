// Package progress persists what a learner has done: lessons read and the
// last scroll position per lesson, and exercise results. The state lives in
// one versioned JSON file (paths.Paths.ProgressFile()) that is replaced
// atomically on every save. A file that cannot be understood is moved aside
// and the learner is told in Korean; it never stops dslab from starting.
package progress

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"time"

	"github.com/dslab-kr/dslab/internal/atomicfile"
)

// Version is the version of the file format this package writes.
const Version = 1

// File is the JSON document stored on disk.
type File struct {
	Version   int                         `json:"version"`
	UpdatedAt time.Time                   `json:"updatedAt,omitzero"`
	Lessons   map[string]LessonProgress   `json:"lessons"`
	Exercises map[string]ExerciseProgress `json:"exercises"`
	// Screen is where the learner last was in the TUI, so the next start
	// reopens it (zero when never recorded).
	Screen ScreenProgress `json:"screen,omitzero"`
}

// Screen names of ScreenProgress.Name.
const (
	ScreenContents = "contents"
	ScreenLesson   = "lesson"
	ScreenExercise = "exercise"
)

// ScreenProgress is the TUI screen last shown.
type ScreenProgress struct {
	// Name is ScreenContents, ScreenLesson or ScreenExercise.
	Name string `json:"name"`
	// Lesson is the lesson's id (ScreenLesson); Exercise the exercise's id
	// (ScreenExercise).
	Lesson   string `json:"lesson,omitempty"`
	Exercise string `json:"exercise,omitempty"`
	// At is when the screen was shown.
	At time.Time `json:"at"`
}

// LessonProgress is the progress of one lesson.
type LessonProgress struct {
	// Read is set once the learner has scrolled to the end of the lesson.
	Read   bool      `json:"read"`
	ReadAt time.Time `json:"readAt,omitzero"`
	// Offset is the first visible line when the lesson was last left, for
	// a rendering Width cells wide; Percent is the same position as a
	// fraction of the scrollable range (0..1), used when the width changed.
	Offset  int     `json:"offset"`
	Width   int     `json:"width,omitempty"`
	Percent float64 `json:"percent"`
	// LastOpened is when the lesson was last shown.
	LastOpened time.Time `json:"lastOpened,omitzero"`
}

// ExerciseProgress is the progress of one exercise (filled in by the
// exercise and grading commands).
type ExerciseProgress struct {
	Passed    bool `json:"passed"`
	Score     int  `json:"score"`
	MaxScore  int  `json:"maxScore,omitempty"`
	HintsUsed int  `json:"hintsUsed"`
	// HintsUnlocked is how many hints (from the first) the class
	// instructor opened for this learner (`dslab class send unlock-hint`);
	// they are shown like revealed hints but not counted in HintsUsed.
	// HintUnlockSeq is the seq of the last unlock-hint command applied, so
	// a command applied twice opens one hint.
	HintsUnlocked int   `json:"hintsUnlocked,omitempty"`
	HintUnlockSeq int64 `json:"hintUnlockSeq,omitempty"`
	// HintsViewed is the highest hint (1-based) the learner opened,
	// counted or not (a hint opened after the pass is not in HintsUsed),
	// so that every opened hint is shown again after a restart.
	HintsViewed int       `json:"hintsViewed,omitempty"`
	Attempts    int       `json:"attempts"`
	StartedAt   time.Time `json:"startedAt,omitzero"`
	// StartedBy says who made the start at StartedAt: "" for the learner
	// (the TUI or `dslab exercise start`), StartedByInstructor for a reset
	// the class's instructor sent (`dslab class send reset-exercise`).
	StartedBy    string    `json:"startedBy,omitempty"`
	LastGradedAt time.Time `json:"lastGradedAt,omitzero"`
	// LastScore is the score of the last grade at LastGradedAt (nil: none
	// since the exercise was last started, or that grade found nothing of
	// the exercise in the cluster). Beside a pass it is the score "지금"
	// (StandingOf: "통과 기록 · 지금 4/10점"), so that every screen reading
	// the progress says what the exercise screen says.
	LastScore *int `json:"lastScore,omitempty"`
	// LastAbsent says the last grade at LastGradedAt found nothing of the
	// exercise in the cluster (its DaemonSet deleted): beside a pass every
	// screen says "통과 기록 10/10점 · 클러스터에 없음", as dslab grade does
	// (StandingOf: Standing.Absent).
	LastAbsent bool      `json:"lastAbsent,omitempty"`
	PassedAt   time.Time `json:"passedAt,omitzero"`
	// LastApply is the last apply of the exercise's work file from the
	// lab (the TUI's editor or a), failed or not (nil: none recorded), so
	// that `dslab grade` can say the learner's last change never reached
	// the cluster.
	LastApply *ApplyRecord `json:"lastApply,omitempty"`

	// StartedReset says the start at StartedAt was a reset (`dslab
	// exercise reset`, the TUI's r r): a TUI that follows it says
	// 초기화했습니다, not 시작했습니다.
	StartedReset bool `json:"startedReset,omitempty"`
}

// ApplyRecord is one apply of a work file from the lab. A successful
// apply is recorded without Summary and Detail (Failed false): it clears
// the failure before it.
type ApplyRecord struct {
	// At is when the apply ended.
	At     time.Time `json:"at"`
	Failed bool      `json:"failed,omitempty"`
	// Summary is the Korean explanation of the failure; Detail kubectl's
	// and the API server's words, whole (lab.ApplyError).
	Summary string `json:"summary,omitempty"`
	Detail  string `json:"detail,omitempty"`
	// Hash is the SHA-256 (hex) of the failed file's content: applying
	// the same content again is not a new attempt (lab.RecordApplyOutcome).
	Hash string `json:"hash,omitempty"`
}

// StartedByInstructor marks a start made by an instructor's reset
// (ExerciseProgress.StartedBy).
const StartedByInstructor = "instructor"

// Store is the in-memory progress plus where it is saved. It is safe for
// concurrent use.
type Store struct {
	path string
	now  func() time.Time

	mu    sync.Mutex // guards state
	state File

	saveMu sync.Mutex // serialises Save within this process

	// seen is the file as last read or written by this store (nil: not
	// yet): Reload skips reading and parsing while the file is still the
	// same (same inode, modification time and size). Guarded by mu.
	seen os.FileInfo
	// onRead is called each time the file's bytes are read (tests count
	// reads with it; nil: nothing).
	onRead func()
}

// Option configures Open and New.
type Option func(*Store)

// WithClock sets the clock used for timestamps and corrupt-file names.
func WithClock(now func() time.Time) Option { return func(s *Store) { s.now = now } }

// WithReadHook sets a function called every time the store reads the
// progress file's bytes (Open, Save, Reload), e.g. to count reads in a test.
func WithReadHook(fn func()) Option { return func(s *Store) { s.onRead = fn } }

// readFile reads the progress file, calling the read hook, and returns its
// bytes with its FileInfo as found before the read (nil when it is missing).
func (s *Store) readFile() ([]byte, os.FileInfo, error) {
	fi, err := os.Stat(s.path)
	if err != nil {
		return nil, nil, err
	}
	if s.onRead != nil {
		s.onRead()
	}
	data, err := os.ReadFile(s.path)
	return data, fi, err
}

// sameFile reports whether fi is the file as the store last saw it: the
// same inode (an atomic save renames a new file into place), modification
// time and size.
func sameFile(prev, fi os.FileInfo) bool {
	return prev != nil && fi != nil && os.SameFile(prev, fi) && prev.ModTime().Equal(fi.ModTime()) && prev.Size() == fi.Size()
}

// New returns an empty store that saves to path, without reading it. With an
// empty path the store is memory-only and Save does nothing.
func New(path string, opts ...Option) *Store {
	s := &Store{path: path, now: time.Now, state: emptyFile()}
	for _, o := range opts {
		o(s)
	}
	return s
}

func emptyFile() File {
	return File{
		Version:   Version,
		Lessons:   map[string]LessonProgress{},
		Exercises: map[string]ExerciseProgress{},
	}
}

// Open loads the progress saved at path. A missing file is an empty
// progress. A file that is not valid progress JSON (or was written by a newer
// dslab) is renamed to "<path>.corrupt-<timestamp>" and Open returns an empty
// store and a Korean notice for the learner. An error is returned only when
// the file exists but cannot be read (permissions, a directory, …); the
// caller can then still run with a memory-only New("") (not New(path), which
// would overwrite the unreadable file on the first save).
func Open(path string, opts ...Option) (s *Store, notice string, err error) {
	s = New(path, opts...)
	data, fi, err := s.readFile()
	if errors.Is(err, fs.ErrNotExist) {
		return s, "", nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("progress: read %s: %w", path, err)
	}
	f, perr := parse(data)
	if perr == nil {
		s.state, s.seen = f, fi
		return s, "", nil
	}
	aside, err := s.moveAside()
	if err != nil {
		return nil, "", fmt.Errorf("progress: %s is unusable (%v) and could not be moved aside: %w", path, perr, err)
	}
	var newer *newerVersionError
	if errors.As(perr, &newer) {
		notice = fmt.Sprintf("진행 상황 파일(progress.json)이 더 새로운 dslab 으로 저장되어(버전 %d) 읽을 수 없습니다. 처음부터 새로 기록하며, 원래 파일은 %s 에 보관했습니다.", newer.version, aside)
	} else {
		notice = fmt.Sprintf("진행 상황 파일(progress.json)이 손상되어 처음부터 새로 기록합니다. 손상된 파일은 %s 에 보관했습니다.", aside)
	}
	return s, notice, nil
}

type newerVersionError struct{ version int }

func (e *newerVersionError) Error() string {
	return fmt.Sprintf("file version %d is newer than %d", e.version, Version)
}

func parse(data []byte) (File, error) {
	var f File
	if err := json.Unmarshal(data, &f); err != nil {
		return File{}, err
	}
	switch {
	case f.Version == 0:
		return File{}, errors.New("missing version")
	case f.Version > Version:
		return File{}, &newerVersionError{version: f.Version}
	case f.Version < 0:
		return File{}, fmt.Errorf("bad version %d", f.Version)
	}
	if f.Lessons == nil {
		f.Lessons = map[string]LessonProgress{}
	}
	if f.Exercises == nil {
		f.Exercises = map[string]ExerciseProgress{}
	}
	for id, l := range f.Lessons {
		l.Offset = max(l.Offset, 0)
		l.Percent = min(max(l.Percent, 0), 1)
		f.Lessons[id] = l
	}
	return f, nil
}

// moveAside renames the file to a free "<path>.corrupt-<timestamp>[-N]".
func (s *Store) moveAside() (string, error) {
	base := s.path + ".corrupt-" + s.now().UTC().Format("20060102T150405Z")
	name := base
	for i := 2; ; i++ {
		if _, err := os.Lstat(name); errors.Is(err, fs.ErrNotExist) {
			break
		}
		name = fmt.Sprintf("%s-%d", base, i)
	}
	if err := os.Rename(s.path, name); err != nil {
		return "", err
	}
	return name, nil
}

// Path is the file the store saves to.
func (s *Store) Path() string { return s.path }

// refresh folds into the memory state what another dslab process saved
// since this store last read or wrote the file (Reload; one stat when
// nothing changed). Every accessor calls it first, so that what the store
// answers and what an update starts from is never older than the file: a
// TUI open for an hour reports the hints `dslab exercise show --hint`
// recorded meanwhile (to the class board, in a pass record) and counts an
// attempt on top of the CLI's (issue 14). An unreadable file keeps the
// memory state (Save reports the error).
func (s *Store) refresh() { _, _ = s.Reload() }

// Snapshot returns a deep copy of the current state (refreshed from the
// file first).
func (s *Store) Snapshot() File {
	s.refresh()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.snapshotLocked()
}

func (s *Store) snapshotLocked() File {
	f := s.state
	f.Lessons = maps.Clone(s.state.Lessons)
	f.Exercises = maps.Clone(s.state.Exercises)
	return f
}

// Lesson returns the progress of a lesson (zero value if none).
func (s *Store) Lesson(id string) LessonProgress {
	s.refresh()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state.Lessons[id]
}

// UpdateLesson changes the progress of a lesson in memory, starting from
// the state refreshed from the file.
func (s *Store) UpdateLesson(id string, fn func(*LessonProgress)) {
	s.refresh()
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.state.Lessons[id]
	fn(&l)
	s.state.Lessons[id] = l
	s.state.UpdatedAt = s.now()
}

// MarkRead marks a lesson read (keeping the first ReadAt). It reports
// whether the lesson was unread before.
func (s *Store) MarkRead(id string) (changed bool) {
	s.UpdateLesson(id, func(l *LessonProgress) {
		if !l.Read {
			changed = true
			l.Read = true
			l.ReadAt = s.now()
		}
	})
	return changed
}

// SetPosition records the scroll position of a lesson.
func (s *Store) SetPosition(id string, offset, width int, percent float64) {
	s.UpdateLesson(id, func(l *LessonProgress) {
		l.Offset = max(offset, 0)
		l.Width = width
		l.Percent = min(max(percent, 0), 1)
	})
}

// Opened records that a lesson was shown now.
func (s *Store) Opened(id string) {
	s.UpdateLesson(id, func(l *LessonProgress) { l.LastOpened = s.now() })
}

// Exercise returns the progress of an exercise (zero value if none),
// refreshed from the file first.
func (s *Store) Exercise(id string) ExerciseProgress {
	s.refresh()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state.Exercises[id]
}

// UpdateExercise changes the progress of an exercise in memory, starting
// from the state refreshed from the file (so a counter such as Attempts
// grows from what another process saved, not from a stale copy).
func (s *Store) UpdateExercise(id string, fn func(*ExerciseProgress)) {
	s.refresh()
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.state.Exercises[id]
	fn(&e)
	s.state.Exercises[id] = e
	s.state.UpdatedAt = s.now()
}

// Screen returns the TUI screen last recorded (zero if none).
func (s *Store) Screen() ScreenProgress {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state.Screen
}

// SetScreen records the TUI screen shown now (At is set to now when zero).
// It reports whether the record changed (the time aside).
func (s *Store) SetScreen(sc ScreenProgress) (changed bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sc.At.IsZero() {
		sc.At = s.now()
	}
	old := s.state.Screen
	changed = old.Name != sc.Name || old.Lesson != sc.Lesson || old.Exercise != sc.Exercise
	if changed {
		s.state.Screen = sc
		s.state.UpdatedAt = s.now()
	}
	return changed
}

// Save merges the state with the progress file on disk and writes the result
// atomically through internal/atomicfile (a temporary file in the same
// directory is written, synced and renamed over the progress file, then the
// directory is synced). The directory is created if needed (0755; the file
// is 0600).
//
// Another dslab process (`dslab grade`, `dslab exercise show --hint`, a
// second TUI) may have saved since this store loaded: under an exclusive lock
// on "<path>.lock" Save re-reads the file, merges it with the memory state
// field by field (Merge: passes, hints, attempts and lessons read are never
// lost) and keeps the merged state in memory too, so a running TUI shows what
// the CLI recorded. A file that cannot be parsed is overwritten with the
// memory state. When the merged state encodes to exactly the bytes on disk,
// nothing is written (so a background save after the final save on quit is
// harmless).
func (s *Store) Save() error {
	if s.path == "" {
		return nil
	}
	s.saveMu.Lock()
	defer s.saveMu.Unlock()
	if err := os.MkdirAll(filepath.Dir(s.path), 0o755); err != nil {
		return fmt.Errorf("progress: save %s: %w", s.path, err)
	}
	unlock, err := lockFile(s.path)
	if err != nil {
		return fmt.Errorf("progress: lock %s: %w", s.path, err)
	}
	defer unlock()

	onDisk, _, err := s.readFile()
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("progress: read %s: %w", s.path, err)
	}
	s.mu.Lock()
	if disk, perr := parse(onDisk); perr == nil && len(onDisk) > 0 {
		s.state = Merge(disk, s.state)
	}
	f := s.snapshotLocked()
	s.mu.Unlock()
	f.Version = Version

	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("progress: encode: %w", err)
	}
	data = append(data, '\n')
	if bytes.Equal(data, onDisk) {
		s.noteSeen()
		return nil
	}
	if err := atomicfile.WriteFile(s.path, data, 0o755); err != nil {
		return fmt.Errorf("progress: save %s: %w", s.path, err)
	}
	s.noteSeen()
	return nil
}

// noteSeen records the file as it is now (called under the save lock,
// right after the store read or wrote it, so it holds the memory state).
func (s *Store) noteSeen() {
	fi, err := os.Stat(s.path)
	if err != nil {
		fi = nil
	}
	s.mu.Lock()
	s.seen = fi
	s.mu.Unlock()
}

// Reload merges the progress file on disk into the memory state (Merge)
// without writing, so a long-running TUI shows what another dslab process
// recorded. It reports whether the memory state changed. A missing or
// unparsable file changes nothing; an unreadable one is an error.
//
// It is cheap to call often (the TUI calls it on every key): one stat, and
// the file is read and parsed only when it is not the file this store last
// read or wrote (another inode, modification time or size).
func (s *Store) Reload() (changed bool, err error) {
	if s.path == "" {
		return false, nil
	}
	fi, err := os.Stat(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("progress: stat %s: %w", s.path, err)
	}
	s.mu.Lock()
	same := sameFile(s.seen, fi)
	s.mu.Unlock()
	if same {
		return false, nil
	}
	data, fi, err := s.readFile()
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("progress: read %s: %w", s.path, err)
	}
	disk, perr := parse(data)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seen = fi
	if perr != nil {
		return false, nil
	}
	merged := Merge(disk, s.state)
	if reflect.DeepEqual(merged, s.state) {
		return false, nil
	}
	s.state = merged
	return true, nil
}
