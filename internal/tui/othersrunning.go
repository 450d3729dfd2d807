package tui

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/internal/lab"
)

// othersRunningMsg carries the note on other exercises' DaemonSets after
// exercise id was prepared (lab.OthersRunningNote, the text `dslab
// exercise start` says too).
type othersRunningMsg struct {
	id   string
	note string
}

// listOthersRunning reads the cluster's DaemonSets after ex was prepared
// (here or, followed, from the command line) and reports those of other
// exercises (othersRunningMsg); nothing when it cannot read them (the
// note is a courtesy).
func listOthersRunning(c *Common, ex exercises.Exercise) tea.Cmd {
	conn := c.Live.Update.Conn
	if c.Lab == nil || c.Lab.Catalog == nil || conn == nil {
		return nil
	}
	all, client, log, store := c.Lab.Catalog.All(), conn.Client, c.Logger, c.Progress
	startedAt := func(id string) time.Time {
		if store == nil {
			return time.Time{}
		}
		return store.Exercise(id).StartedAt
	}
	return func() tea.Msg {
		rs, err := lab.ListOthersRunning(context.Background(), client, all, ex, startedAt)
		if err != nil {
			log.Warn("list daemonsets after prepare", "err", err)
			return nil
		}
		return othersRunningMsg{id: ex.ID, note: lab.OthersRunningNote(rs)}
	}
}
