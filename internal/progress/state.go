package progress

// ExerciseState is where a learner stands on one exercise. It is the one
// answer every screen gives (`dslab progress`, `dslab exercises`,
// `dslab grade --all`, the TUI), so that they never contradict each other
// (issue 14):
//
//   - StatePassed (통과): the exercise was passed (progress.json, or a
//     recorded pass in the cluster or on this computer);
//   - StateInProgress (진행 중): not passed, and the learner has made at
//     least one attempt (ExerciseProgress.Attempts: every apply of the work
//     file, and every change to the target DaemonSet from a shell the lab
//     saw);
//   - StateStarted (시작함): prepared (`dslab exercise start`, or opened
//     in the TUI) but no attempt yet;
//   - StateNotStarted (시작 전): none of these.
type ExerciseState string

// ExerciseState values (also the JSON form).
const (
	StateNotStarted ExerciseState = "not-started"
	StateStarted    ExerciseState = "started"
	StateInProgress ExerciseState = "in-progress"
	StatePassed     ExerciseState = "passed"
)

// Korean is the state's Korean word: 시작 전, 시작함, 진행 중, 통과.
func (s ExerciseState) Korean() string {
	switch s {
	case StatePassed:
		return "통과"
	case StateInProgress:
		return "진행 중"
	case StateStarted:
		return "시작함"
	}
	return "시작 전"
}

// StateOf is the state of an exercise from its progress e, whether it is
// prepared on the cluster (a baseline recorded by exercise start, or
// e.StartedAt set) and whether a pass is recorded elsewhere (the cluster's
// or this computer's records: recordedPass).
func StateOf(e ExerciseProgress, prepared, recordedPass bool) ExerciseState {
	switch {
	case e.Passed || recordedPass:
		return StatePassed
	case e.Attempts > 0:
		return StateInProgress
	case prepared || !e.StartedAt.IsZero():
		return StateStarted
	}
	return StateNotStarted
}
