package tui

import (
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader/gradertest"
)

// TestRestartedNoteGoesWithALaterGrade: the note that the exercise was
// prepared again elsewhere ("앞서 적용한 결과는 지웠습니다") stayed for 70 s
// beside a later "✓ 통과했습니다!" (trainee trial on ce98dbd); a grade of
// something applied since clears it.
func TestRestartedNoteGoesWithALaterGrade(t *testing.T) {
	m := labCourseModel(t)
	next, _ := m.openExercise("gpu-only")
	e := next.(Model).exercise.restartedElsewhere(true)
	if !strings.Contains(e.msg, "처음 상태로 준비했습니다") {
		t.Fatalf("no note: %q", e.msg)
	}
	solved := simulatedUpdate(t, "gpu-only", func(l *gradertest.Lab, ex exercises.Exercise) { l.Solve(ex) })
	e, _ = e.onUpdate(solved, false)
	if strings.Contains(e.msg, "처음 상태로 준비했습니다") {
		t.Errorf("the note outlived a grade of a later apply: %q", e.msg)
	}
}
