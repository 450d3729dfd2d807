package kube

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/dslab-kr/dslab/internal/atomicfile"
	"github.com/dslab-kr/dslab/internal/hangul"
	"github.com/dslab-kr/dslab/internal/paths"
)

// Local copies of a learner's records. The pass and attempt records of
// evidence.go live in the cluster, so `dslab cluster down` (which deletes
// the cluster's data) took the evidence behind `dslab grade --all` with it
// (issue 14). Every record is therefore also kept on the learner's disk,
// outside any cluster's state directory:
//
//	$XDG_DATA_HOME/dslab/records/<exercise>.json
//
// one JSON document (LocalRecord) per exercise holding the best pass and
// the last failing grade. `dslab grade` writes it next to the in-cluster
// record; `dslab cluster down` copies the cluster's records into it before
// the data goes; `grade --all` falls back on it for an exercise the
// cluster has no record of ("이전 클러스터의 기록").

// SourceLocal marks an Evidence or Attempt read from the learner's local
// records (LocalRecords), not from the cluster graded now.
const SourceLocal = "local"

// RecordsDir is where the learner's local records are kept:
// $XDG_DATA_HOME/dslab/records (not under a cluster's directory, which
// `cluster down` removes).
func RecordsDir(p paths.Paths) string { return filepath.Join(p.DataDir, "records") }

// LocalRecord is one exercise's local record file.
type LocalRecord struct {
	Version  int    `json:"version"`
	Exercise string `json:"exercise"`
	// Pass is the best pass (highest score, then the earliest); nil when
	// the exercise was never passed.
	Pass *Evidence `json:"pass,omitempty"`
	// Attempt is the newest failing grade; nil when none was recorded.
	Attempt *Attempt `json:"attempt,omitempty"`
}

// LocalRecords reads and writes the local record files in Dir
// (RecordsDir). The zero value (Dir "") keeps nothing and loads nothing.
type LocalRecords struct {
	Dir string
}

func (l LocalRecords) file(id string) string {
	return filepath.Join(l.Dir, unsafeName.ReplaceAllString(id, "_")+".json")
}

// read loads one exercise's record; a missing file is an empty record.
func (l LocalRecords) read(id string) (LocalRecord, error) {
	rec := LocalRecord{Version: EvidenceVersion, Exercise: id}
	data, err := os.ReadFile(l.file(id))
	if errors.Is(err, fs.ErrNotExist) {
		return rec, nil
	}
	if err != nil {
		return rec, err
	}
	if err := json.Unmarshal(data, &rec); err != nil {
		return rec, fmt.Errorf("이 컴퓨터의 기록 파일 %s %s 읽을 수 없습니다: %w", l.file(id), hangul.EulReul(l.file(id)), err)
	}
	return rec, nil
}

func (l LocalRecords) write(rec LocalRecord) error {
	rec.Version = EvidenceVersion
	if rec.Pass != nil {
		rec.Pass.Source = ""
	}
	if rec.Attempt != nil {
		rec.Attempt.Source = ""
	}
	data, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(l.file(rec.Exercise), append(data, '\n'), 0o755)
}

// betterPass reports whether pass b should replace pass a: a higher score,
// or the same score earned earlier.
func betterPass(a *Evidence, b Evidence) bool {
	switch {
	case a == nil:
		return true
	case b.Score != a.Score:
		return b.Score > a.Score
	}
	return b.PassedAt.Before(a.PassedAt)
}

// SavePass keeps ev as the exercise's pass unless the record already
// holds a better one (betterPass). Errors are Korean.
func (l LocalRecords) SavePass(ev Evidence) error {
	if l.Dir == "" || ev.Exercise == "" {
		return nil
	}
	rec, err := l.read(ev.Exercise)
	if err != nil {
		rec = LocalRecord{Exercise: ev.Exercise}
	}
	if !betterPass(rec.Pass, ev) {
		return nil
	}
	ev.Version = EvidenceVersion
	rec.Pass = &ev
	if err := l.write(rec); err != nil {
		return fmt.Errorf("연습 %s 의 통과 기록을 이 컴퓨터에 저장하지 못했습니다: %w", ev.Exercise, err)
	}
	return nil
}

// SaveAttempt keeps a as the exercise's last failing grade unless the
// record already holds a newer one. Errors are Korean.
func (l LocalRecords) SaveAttempt(a Attempt) error {
	if l.Dir == "" || a.Exercise == "" {
		return nil
	}
	rec, err := l.read(a.Exercise)
	if err != nil {
		rec = LocalRecord{Exercise: a.Exercise}
	}
	if rec.Attempt != nil && !a.GradedAt.After(rec.Attempt.GradedAt) {
		return nil
	}
	a.Version = EvidenceVersion
	rec.Attempt = &a
	if err := l.write(rec); err != nil {
		return fmt.Errorf("연습 %s 의 시도 기록을 이 컴퓨터에 저장하지 못했습니다: %w", a.Exercise, err)
	}
	return nil
}

// Keep saves a cluster's records (LoadEvidence, LoadAttempts) locally,
// each by the rules of SavePass and SaveAttempt; `dslab cluster down`
// calls it before the cluster's data is deleted.
func (l LocalRecords) Keep(passes map[string]Evidence, attempts map[string]Attempt) error {
	var errs []error
	for _, ev := range passes {
		errs = append(errs, l.SavePass(ev))
	}
	for _, a := range attempts {
		errs = append(errs, l.SaveAttempt(a))
	}
	return errors.Join(errs...)
}

// Load lists the local records by exercise id, each marked Source
// SourceLocal. A missing directory is two empty maps; a file that cannot
// be read or parsed is skipped.
func (l LocalRecords) Load() (passes map[string]Evidence, attempts map[string]Attempt, err error) {
	passes, attempts = map[string]Evidence{}, map[string]Attempt{}
	if l.Dir == "" {
		return passes, attempts, nil
	}
	entries, err := os.ReadDir(l.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return passes, attempts, nil
	}
	if err != nil {
		return passes, attempts, fmt.Errorf("이 컴퓨터의 연습 기록(%s)을 읽을 수 없습니다: %w", l.Dir, err)
	}
	for _, e := range entries {
		id, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok || e.IsDir() {
			continue
		}
		rec, err := l.read(id)
		if err != nil || rec.Version > EvidenceVersion {
			continue
		}
		if p := rec.Pass; p != nil && p.Exercise != "" {
			p.Source = SourceLocal
			passes[p.Exercise] = *p
		}
		if a := rec.Attempt; a != nil && a.Exercise != "" {
			a.Source = SourceLocal
			attempts[a.Exercise] = *a
		}
	}
	return passes, attempts, nil
}
