package transcript

import (
	"os"
	"testing"

	"github.com/dslab-kr/dslab/lessons"
)

// TestCourseTranscriptsParse checks every lesson against the conventions:
// file blocks named, norun blocks right after a reader-visible note, only
// kubectl/dslab commands in replayed blocks.
func TestCourseTranscriptsParse(t *testing.T) {
	course, err := lessons.Course()
	if err != nil {
		t.Fatal(err)
	}
	total, skipped := 0, 0
	for _, l := range course {
		steps, err := Parse(l.Body)
		if err != nil {
			t.Errorf("%s:\n%v", l.File, err)
			continue
		}
		for _, s := range steps {
			if s.Block == nil {
				continue
			}
			total += len(s.Block.Commands)
			if s.Block.Skip != "" {
				skipped += len(s.Block.Commands)
			}
		}
	}
	if total == 0 || skipped == total {
		t.Errorf("%d commands, %d not replayed: the course must have replayable transcripts", total, skipped)
	}
	t.Logf("%d commands, %d replayed", total, total-skipped)
}

// TestCommandBlocksHoldOnlyCommands fails if a lesson or the README shows
// a "$ " prompt or output inside a command block (issue 14: pasting the
// lines of a console transcript ran "$" and the output as commands).
func TestCommandBlocksHoldOnlyCommands(t *testing.T) {
	course, err := lessons.Course()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range course {
		for _, p := range CommandBlockProblems(l.Body, l.BodyLine) {
			t.Errorf("lessons/%s %s", l.File, p)
		}
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range CommandBlockProblems(string(readme), 1) {
		t.Errorf("README.md %s", p)
	}
}

// TestCommandBlockProblemsFindsEachKind checks the checker on each kind of
// fault and on the convention it enforces.
func TestCommandBlockProblemsFindsEachKind(t *testing.T) {
	good := "글\n\n```shell\nkubectl get pods \\\n    -o wide\ndslab grade ds-basics\n```\n\n" + OutputIntro + "\n\n```text\nNAME   READY\n```\n\n`kubectl get ds`, `$XDG_DATA_HOME`\n"
	if p := CommandBlockProblems(good, 1); len(p) != 0 {
		t.Errorf("the convention itself reported: %q", p)
	}
	for name, md := range map[string]string{
		"console transcript": "```console\n$ kubectl get pods\nNAME\n```\n",
		"prompt in shell":    "```shell\n$ kubectl get pods\n```\n",
		"prompt, no lang":    "```\n$ dslab class board\n```\n",
		"prompt inline":      "힌트: `$ kubectl get pods` 로 봅니다.\n",
		"output in shell":    "```shell\nkubectl apply -f a.yaml\ndaemonset.apps/agent created\n```\n",
		"table in shell":     "```shell\nkubectl get ds\nNAME    DESIRED\n```\n",
		"nested in a list":   "1. 봅니다\n\n   ```shell\n   kubectl get pods\n   NAME\n   ```\n",
	} {
		if p := CommandBlockProblems(md, 1); len(p) != 1 {
			t.Errorf("%s: %d problems %q, want 1", name, len(p), p)
		}
	}
}
