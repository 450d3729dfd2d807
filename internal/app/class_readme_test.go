package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/class/server"
)

// TestReadmeQuotesServeChangeSummary (issue 12, instructor trial on
// 63d375f): README's 수업에서 쓰기 said the restart banner announces each
// changed setting line by line with the count of a removed exercise's
// submissions, but on an 80x24 terminal the banner says only what changed
// in one summary line (changeSummary) and the details are in server.log.
// README quotes that summary line exactly as the banner prints it for a
// resumed class with a new title and a shorter exercise list.
func TestReadmeQuotesServeChangeSummary(t *testing.T) {
	ctx := context.Background()
	s := serveTestClass(t, filepath.Join(t.TempDir(), "serverdata"), "데몬셋 워크숍", []string{"ds-basics", "taints", "gpu-only"})
	c := s.join(t, "김철수", "2026001")
	s.submit(t, c, "gpu-only", "solution")
	class, err := s.st.GetClass(ctx)
	if err != nil {
		t.Fatal(err)
	}
	title := "데몬셋 워크숍 2"
	_, lines, err := server.ChangeClass(ctx, s.st, class, &title, []string{"ds-basics", "taints"})
	if err != nil {
		t.Fatal(err)
	}
	summary := changeSummary(lines)
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	i := strings.Index(readme, "## 수업에서 쓰기")
	if i < 0 {
		t.Fatal("README has no 수업에서 쓰기 section")
	}
	section := readme[i:]
	if !strings.Contains(section, "`"+summary+"`") || !strings.Contains(section, "server.log") {
		t.Errorf("README's 수업에서 쓰기 does not quote the banner's summary line %q and server.log", summary)
	}
	if strings.Contains(section, "바뀐 것을 한 줄씩 알리고") {
		t.Error("README still says the banner announces every change line by line")
	}
}
