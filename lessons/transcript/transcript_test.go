package transcript

import (
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
