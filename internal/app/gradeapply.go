package app

import (
	"context"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/hangul"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/lab"
	"github.com/dslab-kr/dslab/internal/paths"
	"github.com/dslab-kr/dslab/internal/progress"
)

// lastApplyFailure is the learner's last apply of ex's work file from the
// lab (progress LastApply) when it failed after the target DaemonSet last
// changed — its creation or the newest spec/metadata write in its
// managedFields (status writes of the controller do not count) — or when
// the DaemonSet does not exist; nil otherwise (no store, no failure, an
// older failure, or the DaemonSet cannot be read).
func lastApplyFailure(ctx context.Context, store *progress.Store, conn *kube.Conn, ex exercises.Exercise) *grader.ApplyFailure {
	if store == nil || conn == nil {
		return nil
	}
	la := store.Exercise(ex.ID).LastApply
	if la == nil || !la.Failed {
		return nil
	}
	f := &grader.ApplyFailure{At: la.At, Summary: la.Summary, Detail: la.Detail}
	t := ex.Spec.Target
	ds, err := conn.Client.AppsV1().DaemonSets(t.Namespace).Get(ctx, t.Name, metav1.GetOptions{})
	if err != nil {
		if apierrors.IsNotFound(err) {
			return f
		}
		return nil
	}
	if la.At.After(lastChange(ds.ObjectMeta)) {
		return f
	}
	return nil
}

// lastChange is when an object was last written by anyone but a status
// writer: the newest managedFields time of the main resource, or its
// creation.
func lastChange(m metav1.ObjectMeta) time.Time {
	at := m.CreationTimestamp.Time
	for _, f := range m.ManagedFields {
		if f.Subresource == "" && f.Time != nil && f.Time.After(at) {
			at = f.Time.Time
		}
	}
	return at
}

// writeApplyFailures says first, for every result whose last apply from
// the lab failed (grader.Result.LastApplyFailure), that the cluster does
// not hold the learner's last edit, why (Korean, then the server's words
// whole) and what to do. The work file is named by its absolute path under
// p (shell-quoted): `dslab grade` runs from any directory, where
// work/<id>.yaml does not exist (issue 14).
func writeApplyFailures(t textOut, results []grader.Result, p paths.Paths) {
	for _, r := range results {
		f := r.LastApplyFailure
		if f == nil {
			continue
		}
		work := api.ShellArg(lab.WorkFile(p, r.Exercise))
		t.Hanging("", "연습 "+r.Exercise+": 랩에서 마지막으로 작업 파일을 적용했을 때("+f.At.Local().Format("15:04:05")+
			") 실패했습니다 — 클러스터에는 마지막 편집이 들어가지 않았고, 아래 채점은 그 전의 상태입니다.")
		t.Hanging("  원인: ", lab.CLIAdvice(f.Summary, work))
		for _, l := range strings.Split(strings.TrimSpace(f.Detail), "\n") {
			t.Hanging("    ", l)
		}
		// Saving applies only while the TUI runs (issue 14).
		t.Hanging("  ", "작업 파일 "+work+" "+hangul.EulReul(work)+
			" 고친 뒤, TUI 가 열려 있으면 저장할 때 적용되고 아니면 dslab kubectl apply -f "+work+" "+hangul.EuroRo(work)+" 적용합니다.")
		t.Println("")
	}
}
