package app

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/paths"
)

// TestClassExportCSVForExcel: both CSVs of `dslab class export` start
// with a UTF-8 BOM, so Korean Excel opens them as UTF-8 (no mojibake in
// 이름 or the Korean score-table headers); the --submissions CSV keeps
// the English column names docs/class.md lists (machine-readable), and
// the docs say so.
func TestClassExportCSVForExcel(t *testing.T) {
	s := startClassServer(t)
	c := s.join(t, "김철수", "2026001")
	s.submit(t, c, "ds-basics", "image-typo")
	p := paths.Under(filepath.Join(t.TempDir(), "instructor"))
	export := func(args ...string) [][]string {
		t.Helper()
		code, out, errs := runClassCLI(t, p, append([]string{"class", "export", "--server", s.hs.URL, "--token-file", s.tokenFile, "-o", "csv"}, args...)...)
		if code != 0 {
			t.Fatalf("export %v: %d %s", args, code, errs)
		}
		if !strings.HasPrefix(out, "\ufeff") {
			t.Errorf("export %v: no UTF-8 BOM (Korean Excel would not read it as UTF-8): %q", args, out[:min(20, len(out))])
		}
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\ufeff"))).ReadAll()
		if err != nil || len(rows) < 2 {
			t.Fatalf("export %v: %v\n%s", args, err, out)
		}
		return rows
	}
	scores := export()
	if scores[0][0] != "학생" || scores[0][1] != "학번" || scores[1][0] != "김철수" {
		t.Errorf("score table header %q, first row %q", scores[0], scores[1])
	}
	subs := export("--submissions")
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "class.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("`--submissions` 는 제출 하나당 한 줄\\s*\\(`([^`]+)`\\)").FindSubmatch(doc)
	if m == nil {
		t.Fatal("docs/class.md does not list the --submissions columns")
	}
	if got := strings.Join(subs[0], ","); got != string(m[1]) {
		t.Errorf("--submissions header %q, docs/class.md lists %q", got, m[1])
	}
	if !strings.Contains(string(doc), "열 이름과 값도 점수표·보드와 같은 한국어") {
		t.Error("docs/class.md does not say the --submissions columns are Korean like the score table")
	}
	if subs[1][2] != "김철수" {
		t.Errorf("--submissions row %q", subs[1])
	}
}
