package app

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/atomicfile"
	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/client"
	"github.com/dslab-kr/dslab/internal/class/server"
)

// solutionsViewedFile is where `dslab exercise solution` records, per
// exercise id, when this computer first printed its reference answer
// (UTC, JSON object id → time): a small file of its own next to
// progress.json, so the progress file's format is untouched (issue 12: a
// joined student could print the answer and nothing showed it). Class
// submissions carry it (grader.Snapshot.SolutionViewedAt) and the server
// flags them solution-viewed.
func solutionsViewedFile(env Env) string {
	return filepath.Join(env.Paths.ConfigDir, "solutions-viewed.json")
}

// solutionsViewed reads the record; an absent file is an empty record.
func solutionsViewed(env Env) (map[string]time.Time, error) {
	b, err := os.ReadFile(solutionsViewedFile(env))
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]time.Time{}, nil
	}
	if err != nil {
		return nil, err
	}
	m := map[string]time.Time{}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", solutionsViewedFile(env), err)
	}
	return m, nil
}

// recordSolutionViewed notes that the answer of exercise was printed at
// now; the first time stays.
func recordSolutionViewed(env Env, exercise string, now time.Time) error {
	m, err := solutionsViewed(env)
	if err != nil {
		m = map[string]time.Time{} // an unreadable record is replaced
	}
	if _, ok := m[exercise]; ok {
		return nil
	}
	m[exercise] = now.UTC()
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(solutionsViewedFile(env), append(b, '\n'), 0o700)
}

// withSolutionViewed returns snap saying when the learner first printed
// its exercise's answer, from viewed (solutionsViewed); unchanged when
// never.
func withSolutionViewed(snap grader.Snapshot, viewed map[string]time.Time, exercise string) grader.Snapshot {
	if t, ok := viewed[exercise]; ok {
		snap.SolutionViewedAt = &t
	}
	return snap
}

// solutionViewedWord is the Korean word of the solution-viewed flag, as
// the board and `class status` show it.
func solutionViewedWord() string { return api.FlagText(server.FlagSolutionViewed) }

// errSolutionDeclined is confirmSolution's answer when the student chose
// not to see the answer: the command says so and exits 0.
var errSolutionDeclined = errors.New("solution not shown: declined")

// confirmSolution is run by `dslab exercise solution ID` before it prints
// the answer. On a computer joined to a class (client.LoadCredentials) it
// says in Korean that the instructor will see that the answer was shown
// and, unless yes (--yes) or the input is not a terminal (a script: the
// warning is printed and it goes on), asks; only "y"/"yes"/"예"/"네" goes
// on (errSolutionDeclined otherwise). Not joined: nothing is said (the
// view is still recorded by the caller, and a later join sends it).
func confirmSolution(env Env, exercise string, yes bool) error {
	creds, err := client.LoadCredentials(env.Paths.ConfigDir)
	if err != nil || creds == nil {
		return nil
	}
	warn := fmt.Sprintf("이 컴퓨터는 수업 %q 에 참가해 있습니다: %s 의 참고 답안을 보면 이 연습의 제출에 '%s' 표시가 붙어 강사의 보드와 점수표에 보입니다.",
		creds.Class, exercise, solutionViewedWord())
	_, tty := terminalFile(env.Streams.In)
	if yes || !tty {
		env.textErr().Println(warn)
		return nil
	}
	env.textErr().Printf("%s 볼까요? [y/N] ", warn)
	line, _ := bufio.NewReader(env.Streams.In).ReadString('\n')
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes", "예", "네":
		return nil
	}
	env.textErr().Println("참고 답안을 보여 주지 않았습니다.")
	return errSolutionDeclined
}
