package grader

import (
	"errors"
	"fmt"
)

// ErrSnapshotMismatch is wrapped by the error CheckSnapshot returns when a
// snapshot was captured for another exercise (the CLI maps it to exit 2).
var ErrSnapshotMismatch = errors.New("snapshot was captured for another exercise")

// SnapshotMismatchError says which exercise a snapshot belongs to. It
// unwraps to ErrSnapshotMismatch.
type SnapshotMismatchError struct {
	// Exercise is the exercise asked to grade.
	Exercise string
	// Snapshot is the exercise (or, for a recording, the DaemonSet) the
	// snapshot was captured for.
	Snapshot string
	// Why is the snapshot field that tells ("baseline", "rollout").
	Why string
}

func (e *SnapshotMismatchError) Error() string {
	msg := fmt.Sprintf("스냅숏은 %s 의 것이라 연습 %s 채점할 수 없습니다 (%s)", e.Snapshot, ro(e.Exercise), e.Why)
	if e.Why == whyBaseline {
		msg += fmt.Sprintf(" — dslab grade %s --snapshot FILE 처럼 스냅숏의 연습으로 채점하세요", e.Snapshot)
	}
	return msg + ": " + ErrSnapshotMismatch.Error()
}

const whyBaseline = "기준선(baseline)의 연습 ID"

func (e *SnapshotMismatchError) Unwrap() error { return ErrSnapshotMismatch }

// CheckSnapshot reports whether snap may be graded as spec: a
// *SnapshotMismatchError when its baseline was recorded for another
// exercise (Baseline.Exercise) or its rollout recording watched another
// DaemonSet than spec's target; nil otherwise (a snapshot without either
// says nothing about its exercise). Grade itself never refuses: it grades
// without a foreign baseline (nothing is compared with it) and notes why.
func CheckSnapshot(spec Spec, snap Snapshot) error {
	if b := snap.Baseline; b != nil && b.Exercise != "" && b.Exercise != spec.ID {
		return &SnapshotMismatchError{Exercise: spec.ID, Snapshot: b.Exercise, Why: whyBaseline}
	}
	if r := snap.Rollout; r != nil && (r.Namespace != spec.Target.Namespace || r.Name != spec.Target.Name) {
		return &SnapshotMismatchError{Exercise: spec.ID, Snapshot: "데몬셋 " + r.Namespace + "/" + r.Name, Why: "롤아웃 기록의 대상"}
	}
	return nil
}
