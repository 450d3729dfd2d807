package tui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/kube"
)

// TestClassFooterCountsTheClassExercises (issue 12): the footer said
// "연습 1/16" in a class of two, and the class's list was read once at
// start. In a class the footer counts the class's exercises, and a list
// the class poll reports as changed (ClassPoll.Exercises) replaces the
// one the lab opened with.
func TestClassFooterCountsTheClassExercises(t *testing.T) {
	m := labCourseModel(t)
	all := m.common.Exercises()
	m.common.Lab.ClassExercises = []string{"ds-basics", "taints"}
	var asked atomic.Int32
	class := []string{"ds-basics", "gpu-only", "taints"} // the instructor added gpu-only
	m.common.Lab.Class = &ClassPoll{Every: 10 * time.Millisecond,
		Poll: func(context.Context, *kube.Conn, func(string)) error { return nil },
		Exercises: func(context.Context) []string {
			if asked.Add(1) < 3 {
				return nil // not known yet: the list stays
			}
			return class
		}}
	next, _ := m.openExercise("taints")
	m = next.(Model)
	if got := m.exercise.position(); got != "연습 2/2" {
		t.Fatalf("footer in a class of two: %q, want 연습 2/2 (catalog has %d)", got, len(all))
	}
	tm := startProgram(t, m, 100, 40)
	waitFor(t, tm, "the class's new list", func(s snapshot) bool { return strings.Contains(s.view, "연습 3/3") })
	if !slices.Equal(m.common.Lab.ClassExercises, class) {
		t.Fatalf("class list %v, want %v", m.common.Lab.ClassExercises, class)
	}
	// Outside a class: every exercise.
	m2 := labCourseModel(t)
	next, _ = m2.openExercise("taints")
	m2 = next.(Model)
	for i, e := range all {
		if e.ID == "taints" {
			if got, want := m2.exercise.position(), fmt.Sprintf("연습 %d/%d", i+1, len(all)); got != want {
				t.Fatalf("footer outside a class: %q, want %q", got, want)
			}
		}
	}
}
