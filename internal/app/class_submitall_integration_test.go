package app

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/testcluster"
)

// TestIntegrationClassSubmitAllSendsWorkedOnOnly (issue 12, class19 item
// 1): `dslab class submit --all` sent a snapshot of every class exercise,
// never-started ones too, and each became one more 시도 on the board. On
// a real embedded cluster with one exercise started and solved, it sends
// that one only and says in one line how many it skipped (the first few
// named); the server stores nothing of the others.
func TestIntegrationClassSubmitAllSendsWorkedOnOnly(t *testing.T) {
	c := testcluster.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	dir := t.TempDir()
	s := serveTestClass(t, filepath.Join(dir, "serverdata"), "전체 제출 수업", nil)
	if code, out, errs := runClassCLI(t, c.Paths, "class", "join", s.hs.URL, "--code", s.code, "--name", "최유나", "--id", "2026009"); code != 0 {
		t.Fatalf("join: %d %s %s", code, out, errs)
	}
	cat, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	ex, err := cat.Get("gpu-only")
	if err != nil {
		t.Fatal(err)
	}
	if _, stderr, err := c.Run(ctx, "exercise", "start", ex.ID); err != nil {
		t.Fatalf("exercise start: %v\n%s", err, stderr)
	}
	if err := kube.Apply(ctx, c.Client, ex.Solution); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runClassCLI(t, c.Paths, "class", "submit", "--all")
	skipped := len(cat.All()) - 1
	if code != 0 || !strings.Contains(out, fmt.Sprintf("시작하지 않은 연습 %d개(", skipped)) || !strings.Contains(out, " 등)는 보내지 않았습니다") ||
		!strings.Contains(out, "gpu-only: ") {
		t.Fatalf("submit --all: exit %d\n%s%s", code, out, errs)
	}
	subs, err := s.st.Submissions(ctx, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(subs) != 1 || subs[0].Exercise != ex.ID {
		var got []string
		for _, sub := range subs {
			got = append(got, sub.Exercise)
		}
		t.Fatalf("stored %v, want only %s", got, ex.ID)
	}
}
