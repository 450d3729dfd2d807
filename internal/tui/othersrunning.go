package tui

import (
	"context"
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
)

// runningOther is a DaemonSet of another exercise (its target) still in
// the cluster after an exercise was prepared.
type runningOther struct {
	exercise string
	ref      grader.ObjectRef
}

// othersRunning are the DaemonSets in present that other exercises'
// targets name, once each, in catalog order; the prepared exercise's own
// target (which other exercises may share) is not among them.
func othersRunning(all []exercises.Exercise, cur exercises.Exercise, present map[grader.ObjectRef]bool) []runningOther {
	var out []runningOther
	seen := map[grader.ObjectRef]bool{cur.Spec.Target: true}
	for _, e := range all {
		ref := e.Spec.Target
		if e.ID == cur.ID || seen[ref] || !present[ref] {
			continue
		}
		seen[ref] = true
		out = append(out, runningOther{exercise: e.ID, ref: ref})
	}
	return out
}

// othersRunningNote says, briefly, which other exercises' DaemonSets
// still run and, one a line, the commands that remove them ("" when none):
// each runs a pod per node, the resource use the leftover-copy warning
// objects to (issue 14: 4 after 5 exercises, never mentioned).
func othersRunningNote(rs []runningOther) string {
	if len(rs) == 0 {
		return ""
	}
	names := make([]string, len(rs))
	cmds := make([]string, len(rs))
	for i, r := range rs {
		names[i] = r.exercise + "(" + r.ref.String() + ")"
		cmds[i] = "  dslab kubectl delete daemonset -n " + r.ref.Namespace + " " + r.ref.Name
	}
	// One command a line, each whole (trainee trial: the joined line
	// wrapped inside the command at 60 and 80 columns and could not be
	// pasted as shown).
	return fmt.Sprintf("다른 연습의 데몬셋 %d개가 아직 실행 중입니다: %s — 지우려면 (한 줄에 하나씩):\n%s", len(rs), strings.Join(names, ", "), strings.Join(cmds, "\n"))
}

// othersRunningMsg carries the note on other exercises' DaemonSets after
// exercise id was prepared.
type othersRunningMsg struct {
	id   string
	note string
}

// listOthersRunning reads the cluster's DaemonSets after ex was prepared
// and reports those of other exercises (othersRunningMsg); nothing when
// it cannot read them (the note is a courtesy).
func listOthersRunning(c *Common, ex exercises.Exercise) tea.Cmd {
	conn := c.Live.Update.Conn
	if c.Lab == nil || c.Lab.Catalog == nil || conn == nil {
		return nil
	}
	all, client, log := c.Lab.Catalog.All(), conn.Client, c.Logger
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		dss, err := client.AppsV1().DaemonSets(metav1.NamespaceAll).List(ctx, metav1.ListOptions{})
		if err != nil {
			log.Warn("list daemonsets after prepare", "err", err)
			return nil
		}
		present := map[grader.ObjectRef]bool{}
		for _, ds := range dss.Items {
			present[grader.ObjectRef{Namespace: ds.Namespace, Name: ds.Name}] = true
		}
		return othersRunningMsg{id: ex.ID, note: othersRunningNote(othersRunning(all, ex, present))}
	}
}
