package client

// The server's verdicts this machine has seen, by submission: a regrade
// command tells the student what changed for it ("연습 gpu-only: 진행 중 →
// 통과") rather than the class-wide counts (issue 12). A verdict is noted
// the first time the machine sees it (a submit's answer) and again when a
// regrade is told; a later sighting never overwrites it, so a regrade's
// "before" stays the one the student was shown.

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/class/api"
)

// SeenVerdicts keeps the server's verdicts this machine has seen (a JSON
// file in the data dir).
type SeenVerdicts struct{ Path string }

// SeenVerdictsFile is its place in the data dir.
func SeenVerdictsFile(dataDir string) string {
	return filepath.Join(dataDir, "class", "verdicts-seen.json")
}

// SeenVerdict is one submission's verdict as seen.
type SeenVerdict struct {
	Exercise string `json:"exercise"`
	Status   string `json:"status"`
	Score    int    `json:"score"`
	MaxScore int    `json:"maxScore"`
}

func (s SeenVerdicts) load() map[int64]SeenVerdict {
	m := map[int64]SeenVerdict{}
	b, err := os.ReadFile(s.Path)
	if err != nil {
		return m
	}
	if json.Unmarshal(b, &m) != nil {
		return map[int64]SeenVerdict{} // damaged: start again
	}
	return m
}

func (s SeenVerdicts) save(m map[int64]SeenVerdict) error {
	if err := os.MkdirAll(filepath.Dir(s.Path), 0o700); err != nil {
		return err
	}
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return WriteFileAtomic(s.Path, b)
}

// NoteFirst notes the verdicts of acked (a drain's answers) not seen yet.
func (s SeenVerdicts) NoteFirst(acked []api.SubmitResponse) error {
	if s.Path == "" || len(acked) == 0 {
		return nil
	}
	m := s.load()
	n := len(m)
	for _, r := range acked {
		if _, ok := m[r.ID]; !ok && r.ID != 0 {
			m[r.ID] = SeenVerdict{Exercise: r.Exercise, Status: r.Status, Score: r.Score, MaxScore: r.MaxScore}
		}
	}
	if len(m) == n {
		return nil
	}
	return s.save(m)
}

// VerdictChange is one submission whose verdict a regrade changed.
type VerdictChange struct {
	Exercise string
	From, To SeenVerdict
}

// Regraded compares me's verdicts (the server's after a regrade) with the
// ones seen, notes me's, and returns the changes in exercise order; known
// is false when none of me's submissions had been seen (nothing to
// compare with).
func (s SeenVerdicts) Regraded(me api.MeResponse) (changes []VerdictChange, known bool, err error) {
	m := s.load()
	now := map[int64]api.Verdict{}
	for _, v := range me.Latest {
		now[v.SubmissionID] = v
	}
	for _, sc := range me.Scores {
		for _, v := range []*api.Verdict{sc.Counted, sc.Newest} {
			if v != nil {
				now[v.SubmissionID] = *v
			}
		}
	}
	for id, v := range now {
		to := SeenVerdict{Exercise: v.Exercise, Status: v.Status, Score: v.Score, MaxScore: v.MaxScore}
		if from, ok := m[id]; ok {
			known = true
			if from.Status != to.Status || from.Score != to.Score {
				changes = append(changes, VerdictChange{Exercise: v.Exercise, From: from, To: to})
			}
		}
		m[id] = to
	}
	sort.SliceStable(changes, func(i, j int) bool { return changes[i].Exercise < changes[j].Exercise })
	if s.Path != "" {
		if serr := s.save(m); serr != nil && !errors.Is(serr, fs.ErrNotExist) {
			err = serr
		}
	}
	return changes, known, err
}

// studentWord is a server status in dslab grade's words (the server's
// failed is the learner's 진행 중, as the submit line says it).
func studentWord(status string) string {
	switch status {
	case api.StatusPassed:
		return grader.StatusWord(grader.StatusPassed)
	case api.StatusFailed, api.StatusInProgress:
		return grader.StatusWord(grader.StatusInProgress)
	case api.StatusNotStarted:
		return grader.StatusWord(grader.StatusNotStarted)
	}
	return status
}

// RegradeLine is the student's own change of a regrade in Korean: "연습
// gpu-only: 진행 중 → 통과" (the score too when only it changed: "연습
// taints: 진행 중 5/10점 → 7/10점"), several joined by ", "; "내 결과는
// 바뀌지 않았습니다" when known and none changed (said once); "" when
// nothing could be compared.
func RegradeLine(changes []VerdictChange, known bool) string {
	if len(changes) == 0 {
		if known {
			return "내 결과는 바뀌지 않았습니다"
		}
		return ""
	}
	parts := make([]string, 0, len(changes))
	for _, c := range changes {
		from, to := studentWord(c.From.Status), studentWord(c.To.Status)
		if from == to {
			parts = append(parts, fmt.Sprintf("연습 %s: %s %d/%d점 → %d/%d점", c.Exercise, from, c.From.Score, c.From.MaxScore, c.To.Score, c.To.MaxScore))
		} else {
			parts = append(parts, fmt.Sprintf("연습 %s: %s → %s", c.Exercise, from, to))
		}
	}
	return strings.Join(parts, ", ")
}
