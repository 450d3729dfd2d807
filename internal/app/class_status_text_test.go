package app

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/dslab-kr/dslab/internal/class/server"
	"github.com/dslab-kr/dslab/internal/class/store"
	"github.com/dslab-kr/dslab/internal/paths"
)

// TestClassStatusFollowsTheClass (issue 12, an instructor trial): after the
// instructor restarts the class with another title and exercise list,
// `dslab class status` names the class and lists its exercises as the
// server has them now (an exercise not yet submitted is "— 제출 없음", one
// taken out is listed apart), and a second pass with the same verdict
// prints no "(마지막 제출 …)" note.
func TestClassStatusFollowsTheClass(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.OpenSQLite(ctx, filepath.Join(dir, store.SQLiteFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	class, _, err := server.Setup(ctx, st, "옛 수업", []string{"ds-basics", "ssd-affinity"}, filepath.Join(dir, server.InstructorTokenFile))
	if err != nil {
		t.Fatal(err)
	}
	cat, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	serve := func() *server.Server {
		srv, err := server.New(ctx, server.Config{Store: st, Catalog: cat, GraderVersion: graderVersion()})
		if err != nil {
			t.Fatal(err)
		}
		return srv
	}
	// One address for both servers, as a restarted `dslab class serve`.
	var cur atomic.Pointer[server.Server]
	cur.Store(serve())
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { cur.Load().Handler().ServeHTTP(w, r) }))
	t.Cleanup(func() { hs.Close(); cur.Load().Close() })

	student := paths.Under(filepath.Join(dir, "student"))
	if code, out, errs := runClassCLI(t, student, "class", "join", hs.URL, "--code", class.JoinCode, "--name", "김철수", "--student-id", "2026001"); code != 0 {
		t.Fatalf("join: %d %s %s", code, out, errs)
	}
	sol := filepath.Join("..", "..", "grader", "testdata", "exercises", "ds-basics", "solution.json")
	for range 2 {
		if code, out, errs := runClassCLI(t, student, "class", "submit", "ds-basics", "--snapshot", sol); code != 0 {
			t.Fatalf("submit: %d %s %s", code, out, errs)
		}
	}
	code, out, errs := runClassCLI(t, student, "class", "status")
	if code != 0 || !strings.Contains(out, "ds-basics") || strings.Contains(out, "마지막 제출 ") {
		t.Fatalf("status after the same pass twice: want ds-basics once, no (마지막 제출 …): %d\n%s\n%s", code, out, errs)
	}

	// The instructor restarts the class renamed, with another list.
	title := "새 수업"
	if _, _, err := server.ChangeClass(ctx, st, class, &title, []string{"taints", "ssd-affinity"}); err != nil {
		t.Fatal(err)
	}
	old := cur.Swap(serve())
	old.Close()
	code, out, errs = runClassCLI(t, student, "class", "status")
	t.Logf("status:\n%s", out)
	if code != 0 {
		t.Fatalf("status: %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"수업: 새 수업 (참가할 때 이름: 옛 수업)", "  taints             — 제출 없음", "  ssd-affinity       — 제출 없음",
		"수업 목록에서 빠진 연습", "  ds-basics          ✔ 통과 · 10/10점",
		// Every mark named, … too (the instructor trial on f9ad301).
		"기호: ✔ 통과 · ○ 시작 전 · … 진행 중 · — 제출 없음"} {
		if !strings.Contains(out, want) {
			t.Errorf("status lacks %q", want)
		}
	}
	if i, j := strings.Index(out, "taints"), strings.Index(out, "ssd-affinity"); i < 0 || j < i {
		t.Errorf("exercises not in the class's order (taints, ssd-affinity)")
	}
	if i, j := strings.Index(out, "빠진 연습"), strings.Index(out, "ds-basics"); j < i {
		t.Errorf("ds-basics, taken out of the class, is listed with the class's exercises")
	}
}
