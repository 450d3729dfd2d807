package progress

import "time"

// Merge combines two versions of the progress field by field so that nothing
// either recorded is lost (used by Store.Save to fold in what another dslab
// process — `dslab grade`, `dslab exercise show --hint`, a second TUI —
// saved meanwhile). Every rule is monotonic, so merging is commutative and
// idempotent up to ties:
//   - lessons: read if either read them, with the earliest ReadAt; the scroll
//     position and LastOpened come from the side opened last;
//   - exercises: passed if either passed, with the earliest PassedAt; Score,
//     HintsUsed, HintsUnlocked, HintsViewed, HintUnlockSeq and Attempts are the
//     maximum;
//     MaxScore comes from the newer LastGradedAt; StartedAt and LastGradedAt
//     are the newer time; LastApply is the newer apply;
//   - the TUI screen is the one shown last (the newer Screen.At).
//
// On ties (equal LastOpened / LastGradedAt) mine wins. Neither argument is
// modified.
func Merge(disk, mine File) File {
	out := emptyFile()
	out.UpdatedAt = later(mine.UpdatedAt, disk.UpdatedAt)
	out.Screen = mine.Screen
	if disk.Screen.At.After(mine.Screen.At) {
		out.Screen = disk.Screen
	}
	for id, l := range disk.Lessons {
		out.Lessons[id] = l
	}
	for id, m := range mine.Lessons {
		d, ok := out.Lessons[id]
		if !ok {
			out.Lessons[id] = m
			continue
		}
		out.Lessons[id] = mergeLesson(d, m)
	}
	for id, e := range disk.Exercises {
		out.Exercises[id] = e
	}
	for id, m := range mine.Exercises {
		d, ok := out.Exercises[id]
		if !ok {
			out.Exercises[id] = m
			continue
		}
		out.Exercises[id] = mergeExercise(d, m)
	}
	return out
}

func mergeLesson(d, m LessonProgress) LessonProgress {
	out := m
	if d.LastOpened.After(m.LastOpened) {
		out = d
	}
	out.Read = d.Read || m.Read
	out.ReadAt = earliest(m.ReadAt, d.ReadAt)
	return out
}

func mergeExercise(d, m ExerciseProgress) ExerciseProgress {
	out := m
	if d.LastGradedAt.After(m.LastGradedAt) {
		out.MaxScore = d.MaxScore
	}
	out.Passed = d.Passed || m.Passed
	out.PassedAt = earliest(m.PassedAt, d.PassedAt)
	out.Score = max(d.Score, m.Score)
	out.HintsUsed = max(d.HintsUsed, m.HintsUsed)
	out.HintsUnlocked = max(d.HintsUnlocked, m.HintsUnlocked)
	out.HintsViewed = max(d.HintsViewed, m.HintsViewed)
	out.HintUnlockSeq = max(d.HintUnlockSeq, m.HintUnlockSeq)
	out.Attempts = max(d.Attempts, m.Attempts)
	out.StartedAt = later(m.StartedAt, d.StartedAt)
	if d.StartedAt.After(m.StartedAt) {
		out.StartedBy = d.StartedBy
		out.StartedReset = d.StartedReset
	}
	out.LastGradedAt = later(m.LastGradedAt, d.LastGradedAt)
	if d.LastApply != nil && (m.LastApply == nil || d.LastApply.At.After(m.LastApply.At)) {
		out.LastApply = d.LastApply
	}
	return out
}

// earliest is the earlier of two times, ignoring zero times.
func earliest(a, b time.Time) time.Time {
	switch {
	case a.IsZero():
		return b
	case b.IsZero():
		return a
	case b.Before(a):
		return b
	}
	return a
}

// later is the later of two times (a zero time is the earliest).
func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
