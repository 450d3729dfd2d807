package tui

// Messages other packages send to the running program (p.Send) or return
// from their commands.

// DefaultClusterStatus is shown in the status bar until a ClusterStatusMsg
// arrives.
const DefaultClusterStatus = "클러스터: -"

// ClusterStatusMsg replaces the cluster segment of the status bar (e.g.
// "클러스터: embedded · 노드 4/4 Ready"). An empty Text restores the default.
type ClusterStatusMsg struct {
	Text string
}

// NoticeMsg shows a one-line Korean notice in the status bar until the
// learner moves to another screen or lesson.
type NoticeMsg struct {
	Text string
}

// openLessonMsg asks the root model to show a lesson in the reader.
// fromExercise marks the exercise's lesson (tab returns to the exercise);
// keepReturn keeps that mark while paging to other lessons.
type openLessonMsg struct {
	index        int
	fromExercise bool
	keepReturn   bool
}

// backMsg asks the root model to return to the table of contents.
type backMsg struct{}

// lessonRenderedMsg carries a glamour rendering of a lesson.
type lessonRenderedMsg struct {
	id      string
	width   int
	content string
	err     error
}

// progressSavedMsg reports the result of saving progress.json.
type progressSavedMsg struct{ err error }

// switchMsg asks the root model to show another screen.
type switchMsg struct{ to state }

// openExerciseMsg asks the root model to open an exercise (by id).
type openExerciseMsg struct {
	id string
}

// taskRenderedMsg carries a glamour rendering of an exercise's task.
type taskRenderedMsg struct {
	id      string
	width   int
	content string
	err     error
}
