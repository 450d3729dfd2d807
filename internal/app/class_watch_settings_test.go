package app

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/store"
)

// TestClassWatchSettingsLineNamesOnlyChanges (issue 12): a restart with
// only --title changed said "수업 설정을 바꿨습니다: "…(오전반)", 연습
// ds-basics, gpu-only". The stored class-changed event carries the
// settings before (store.UpdateClass), and the line names only what
// changed.
func TestClassWatchSettingsLineNamesOnlyChanges(t *testing.T) {
	ctx := context.Background()
	st, err := store.OpenSQLite(ctx, filepath.Join(t.TempDir(), store.SQLiteFile))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	exs := []string{"ds-basics", "gpu-only"}
	if _, _, err := st.EnsureClass(ctx, store.Class{Title: "데몬셋 수업", JoinCode: "ABCD-EFGH", Exercises: exs, Created: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if err := st.UpdateClass(ctx, "데몬셋 수업 (오전반)", exs); err != nil {
		t.Fatal(err)
	}
	if err := st.UpdateClass(ctx, "데몬셋 수업 (오전반)", []string{"ds-basics"}); err != nil {
		t.Fatal(err)
	}
	evs, err := st.Events(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, e := range evs {
		if e.Kind == store.EventClassChanged {
			lines = append(lines, eventLine(api.StreamEvent{Seq: e.Seq, Time: e.Time, Kind: e.Kind, Data: e.Data}, false))
		}
	}
	if len(lines) != 2 {
		t.Fatalf("class-changed lines %q, want 2", lines)
	}
	if l := lines[0]; !strings.Contains(l, `제목 "데몬셋 수업" → "데몬셋 수업 (오전반)"`) || strings.Contains(l, "연습") {
		t.Errorf("title-only change reads %q: want only the title", l)
	}
	if l := lines[1]; !strings.Contains(l, "연습 ds-basics, gpu-only → ds-basics") || strings.Contains(l, "제목") {
		t.Errorf("exercises-only change reads %q: want only the exercises", l)
	}
}
