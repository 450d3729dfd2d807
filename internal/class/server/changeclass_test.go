package server_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/class/server"
	"github.com/dslab-kr/dslab/internal/class/store"
)

// TestChangeClassOnResume is issue 12's trial finding: serve restarted with
// another --exercises/--title kept the old list silently and then refused
// the new exercise's submissions. ChangeClass applies the explicit change,
// stores it with an event and says what changed, including that a removed
// exercise's submissions stay.
func TestChangeClassOnResume(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st := openSQLite(t, dir)
	t.Cleanup(func() { st.Close() })
	tokFile := filepath.Join(dir, server.InstructorTokenFile)
	if _, _, err := server.Setup(ctx, st, "첫 수업", []string{"ds-basics", "taints"}, tokFile); err != nil {
		t.Fatal(err)
	}
	f := serveFixture(t, st, dir, "첫 수업")
	s := f.join("2026001", "machine-one")
	if code, _, body := f.submit(s.Token, "key-taints-000001", "taints", snapshot(t, "taints", "exists-noschedule")); code/100 != 2 {
		t.Fatalf("submit taints: %d %s", code, body)
	}

	// serve again with --title and --exercises ds-basics,gpu-only.
	c, _, err := server.Setup(ctx, st, "다른 이름", []string{"ds-basics", "gpu-only"}, tokFile)
	if err != nil {
		t.Fatal(err)
	}
	if c.Title != "첫 수업" {
		t.Fatalf("Setup changed the resumed class itself: %+v", c)
	}
	same, lines, err := server.ChangeClass(ctx, st, c, &c.Title, slices.Clone(c.Exercises))
	if err != nil || lines != nil || same.Title != c.Title {
		t.Fatalf("no change: %v %q %v", same, lines, err)
	}
	title := "오후 수업"
	c, lines, err = server.ChangeClass(ctx, st, c, &title, []string{"ds-basics", "gpu-only"})
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(lines, "\n")
	for _, want := range []string{`"첫 수업" → "오후 수업"`, "ds-basics, taints → ds-basics, gpu-only", "taints 의 제출 1건은 저장소에 남습니다"} {
		if !strings.Contains(all, want) {
			t.Errorf("change lines lack %q:\n%s", want, all)
		}
	}
	stored, err := st.GetClass(ctx)
	if err != nil || stored.Title != "오후 수업" || !slices.Equal(stored.Exercises, []string{"ds-basics", "gpu-only"}) {
		t.Fatalf("stored class %+v %v", stored, err)
	}
	evs, err := st.Events(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(evs, func(e store.Event) bool { return e.Kind == store.EventClassChanged }) {
		t.Fatal("no class-changed event on the timeline")
	}
	if subs, _ := st.Submissions(ctx, 0, false); len(subs) != 1 {
		t.Fatalf("the removed exercise's submission is gone: %d", len(subs))
	}

	// The restarted server takes gpu-only and refuses taints.
	g := serveFixture(t, st, dir, "무시됨")
	if code, _, body := g.submit(s.Token, "key-gpu-00000001", "gpu-only", snapshot(t, "gpu-only", "solution")); code/100 != 2 {
		t.Fatalf("submit to the added exercise: %d %s", code, body)
	}
	if code, _, _ := g.submit(s.Token, "key-taints-000002", "taints", snapshot(t, "taints", "exists-noschedule")); code/100 != 4 {
		t.Fatalf("submit to the removed exercise: %d", code)
	}
}
