package lab

import (
	"time"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/kube"
)

// LabFieldManager is the field manager of the lab's own applies of the
// work file (ApplyFile): a write to the target DaemonSet by any other
// manager but exercise setup's (kube.FieldManager) is the learner's, from
// the lab shell or another terminal (kubectl apply's
// "kubectl-client-side-apply", "kubectl-edit", …).
const LabFieldManager = "dslab-lab"

// dsVersion is what makes a DaemonSet change an attempt: its identity and
// metadata.generation (raised by the API server on every spec change).
type dsVersion struct {
	exists bool
	uid    types.UID
	gen    int64
}

// ShellAttempt reports whether the target DaemonSet went from prev to ds
// (nil: absent) by an attempt of the learner's that the lab's applier did
// not make: it was created or its generation rose, and the newest write
// to its main resource (managedFields without a subresource) is neither
// the lab's (LabFieldManager) nor exercise setup's (kube.FieldManager).
// The applier counts its own applies (RecordApply); these are the rest.
func ShellAttempt(prev dsVersion, ds *appsv1.DaemonSet) bool {
	if ds == nil {
		return false
	}
	if prev.exists && prev.uid == ds.UID && ds.Generation <= prev.gen {
		return false
	}
	switch lastWriter(ds.ManagedFields) {
	case LabFieldManager, kube.FieldManager:
		return false
	}
	return true
}

// lastWriter is the manager of the newest managedFields entry of the main
// resource ("" when none has a time).
func lastWriter(mf []metav1.ManagedFieldsEntry) string {
	var who string
	var at metav1.Time
	for _, f := range mf {
		if f.Subresource != "" || f.Time == nil {
			continue
		}
		if who == "" || !f.Time.Before(&at) {
			who, at = f.Manager, *f.Time
		}
	}
	return who
}

func versionOf(ds *appsv1.DaemonSet) dsVersion {
	if ds == nil {
		return dsVersion{}
	}
	return dsVersion{exists: true, uid: ds.UID, gen: ds.Generation}
}

// countShellApply counts an attempt (RecordApply, saved) when the target
// DaemonSet among dss changed by the learner's hand outside the lab's
// applier (ShellAttempt) since the last grade of this exercise in this
// process; the first grade records what is there, counting it only when
// it is the learner's work and no attempt is counted yet (HandAttempt
// with res, the grade). Only an exercise
// started on the cluster counts, and only with a progress store. Such an
// apply also supersedes a failed apply of the work file (RecordApplyResult
// with no error), so `dslab grade` and the TUI stop reporting it; it
// reports whether it counted one.
func (s *sessionState) countShellApply(dss []*appsv1.DaemonSet, res grader.Result) bool {
	store := s.w.cfg.Progress
	if store == nil || s.ex == nil {
		return false
	}
	var ds *appsv1.DaemonSet
	for _, d := range dss {
		if d.Namespace == s.ex.Spec.Target.Namespace && d.Name == s.ex.Spec.Target.Name {
			ds = d
			break
		}
	}
	if s.w.seen == nil {
		s.w.seen = map[string]dsVersion{}
	}
	prev, ok := s.w.seen[s.ex.ID]
	s.w.seen[s.ex.ID] = versionOf(ds)
	switch {
	case !s.started:
		return false
	case !ok:
		// The first grade: work already there that no counter saw
		// (kubectl from another terminal before the lab opened) counts
		// once, so that the header says 진행 중 with its score rather
		// than 시작함 beside a graded checklist (issue 14).
		if store.Exercise(s.ex.ID).Attempts > 0 || !HandAttempt(*s.ex, res, ds) {
			return false
		}
	case !ShellAttempt(prev, ds):
		return false
	}
	RecordApply(store, s.ex.ID)
	if la := store.Exercise(s.ex.ID).LastApply; la != nil && la.Failed {
		RecordApplyResult(store, s.ex.ID, time.Now(), nil)
	}
	if err := store.Save(); err != nil {
		s.w.log.Warn("save progress", "err", err)
	}
	s.w.log.Info("attempt from outside the lab", "exercise", s.ex.ID, "generation", ds.Generation, "manager", lastWriter(ds.ManagedFields))
	return true
}
