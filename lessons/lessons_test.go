package lessons

import (
	"io/fs"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/dslab-kr/dslab/internal/render"
)

// minLessons is the size of the course the curriculum promises.
const minLessons = 13

// TestEmbeddedCourse walks every embedded lesson: front matter, body
// contract, unique and contiguous orders, and a glamour render at the widths
// the TUI and `dslab lessons show` use.
func TestEmbeddedCourse(t *testing.T) {
	course, err := Course()
	if err != nil {
		t.Fatalf("loading the embedded course: %v", err)
	}
	if len(course) < minLessons {
		t.Errorf("the course has %d lessons, want at least %d", len(course), minLessons)
	}
	if err := ValidateCourse(course); err != nil {
		t.Errorf("course contract:\n%v", err)
	}
	renderers := map[string]*render.Renderer{}
	for _, plain := range []bool{false, true} {
		r, err := render.New(render.Options{Plain: plain, Profile: termenv.TrueColor})
		if err != nil {
			t.Fatal(err)
		}
		renderers[map[bool]string{false: "styled", true: "plain"}[plain]] = r
	}
	for _, l := range course {
		t.Run(l.File, func(t *testing.T) {
			if l.Title == "" || l.ID == "" || l.Minutes <= 0 || l.Order <= 0 {
				t.Errorf("incomplete front matter: %+v", l)
			}
			for name, r := range renderers {
				for _, width := range []int{60, 80, 120} {
					out, err := r.Render(l.Body, width)
					if err != nil {
						t.Errorf("%s render at %d columns: %v", name, width, err)
						continue
					}
					if plain := ansi.Strip(out); !strings.Contains(plain, QuizHeading) || !strings.Contains(plain, NextHeading) {
						t.Errorf("%s render at %d columns lost the section headings", name, width)
					}
				}
			}
		})
	}
}

func lessonFile(front, body string) string {
	return "---\n" + front + "---\n" + body
}

const goodBody = "본문입니다.\n\n```yaml\n# 코드 블록 안의 주석은 제목이 아닙니다\nkind: DaemonSet\n```\n\n## 확인 문제\n\n1. 질문?\n\n> 정답: 답.\n\n## 다음 단계\n\n다음 강의로 갑니다.\n"

func goodFile(id string, order int) string {
	return lessonFile("id: "+id+"\ntitle: \"제목 "+id+"\"\norder: "+strconv.Itoa(order)+"\nminutes: 5\nexercises: [ds-basics]\n", goodBody)
}

func TestLoadSortsAndParses(t *testing.T) {
	fsys := fstest.MapFS{
		"02-second.md": {Data: []byte(goodFile("second", 2))},
		"01-first.md":  {Data: []byte(strings.ReplaceAll(goodFile("first", 1), "\n", "\r\n"))},
		"README.md":    {Data: []byte("# not a lesson\n")},
	}
	ls, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(IDs(ls), ","); got != "first,second" {
		t.Fatalf("ids = %s, want first,second", got)
	}
	first := ls[0]
	if first.Title != "제목 first" || first.Order != 1 || first.Minutes != 5 || len(first.Exercises) != 1 || first.Exercises[0] != "ds-basics" {
		t.Errorf("unexpected lesson: %+v", first)
	}
	if strings.Contains(first.Body, "\r") || !strings.HasPrefix(first.Body, "본문입니다.") {
		t.Errorf("body not normalised: %q", first.Body)
	}
	if err := ValidateCourse(ls); err != nil {
		t.Errorf("ValidateCourse: %v", err)
	}
	if l, ok := Find(ls, "second"); !ok || l.Order != 2 {
		t.Errorf("Find(second) = %+v, %v", l, ok)
	}
	if _, ok := Find(ls, "nope"); ok {
		t.Error("Find(nope) found something")
	}
}

func TestLoadErrors(t *testing.T) {
	cases := []struct {
		name string
		fsys fstest.MapFS
		want string
	}{
		{"empty", fstest.MapFS{"README.md": {Data: []byte("x")}}, "no lesson files"},
		{"no front matter", fstest.MapFS{"01-a.md": {Data: []byte("본문\n")}}, "front matter"},
		{"unterminated front matter", fstest.MapFS{"01-a.md": {Data: []byte("---\nid: a\n본문\n")}}, "front matter"},
		{"bad yaml", fstest.MapFS{"01-a.md": {Data: []byte(lessonFile("id: [a\n", goodBody))}}, "front matter"},
		{"unknown field", fstest.MapFS{"01-a.md": {Data: []byte(lessonFile("id: a\ntitle: t\norder: 1\nminutes: 3\nexercise: [x]\n", goodBody))}}, "exercise"},
		{"wrong type", fstest.MapFS{"01-a.md": {Data: []byte(lessonFile("id: a\ntitle: t\norder: first\nminutes: 3\n", goodBody))}}, "front matter"},
		{"missing id", fstest.MapFS{"01-a.md": {Data: []byte(lessonFile("title: t\norder: 1\nminutes: 3\n", goodBody))}}, `missing "id"`},
		{"missing title", fstest.MapFS{"01-a.md": {Data: []byte(lessonFile("id: a\norder: 1\nminutes: 3\n", goodBody))}}, `missing "title"`},
		{"missing order", fstest.MapFS{"01-a.md": {Data: []byte(lessonFile("id: a\ntitle: t\nminutes: 3\n", goodBody))}}, `"order"`},
		{"zero minutes", fstest.MapFS{"01-a.md": {Data: []byte(lessonFile("id: a\ntitle: t\norder: 1\nminutes: 0\n", goodBody))}}, `"minutes"`},
		{"bad id", fstest.MapFS{"01-a.md": {Data: []byte(lessonFile("id: A_b\ntitle: t\norder: 1\nminutes: 3\n", goodBody))}}, "lower-case"},
		{"file name order", fstest.MapFS{"02-a.md": {Data: []byte(goodFile("a", 1))}}, "does not match order"},
		{"file name id", fstest.MapFS{"01-b.md": {Data: []byte(goodFile("a", 1))}}, "does not match id"},
		{"bad file name", fstest.MapFS{"1-a.md": {Data: []byte(goodFile("a", 1))}}, "NN-<id>.md"},
		{"empty body", fstest.MapFS{"01-a.md": {Data: []byte(lessonFile("id: a\ntitle: t\norder: 1\nminutes: 3\n", "\n\n"))}}, "empty body"},
		{"duplicate order", fstest.MapFS{
			"01-a.md": {Data: []byte(goodFile("a", 1))},
			"01-b.md": {Data: []byte(goodFile("b", 1))},
		}, "duplicate order 1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ls, err := Load(tc.fsys)
			if err == nil {
				t.Fatalf("expected an error, got %d lessons", len(ls))
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not mention %q", err, tc.want)
			}
		})
	}
}

func TestDuplicateIDAcrossFiles(t *testing.T) {
	// 01-a.md and 02-a.md both declare id "a": Load must report the
	// duplicate rather than pick one.
	fsys := fstest.MapFS{
		"01-a.md": {Data: []byte(goodFile("a", 1))},
		"02-a.md": {Data: []byte(goodFile("a", 2))},
	}
	_, err := Load(fsys)
	if err == nil || !strings.Contains(err.Error(), `duplicate id "a"`) {
		t.Fatalf("err = %v, want a duplicate id error", err)
	}
}

func TestCheck(t *testing.T) {
	cases := []struct {
		name string
		body string
		want []string // substrings of the error; nil = valid
	}{
		{"valid", goodBody, nil},
		{"h1", "# 제목\n\n" + goodBody, []string{"H1"}},
		{"setext h1", "제목\n===\n\n" + goodBody, []string{"H1"}},
		{"no quiz", "본문\n\n## 다음 단계\n\n끝\n", []string{"확인 문제"}},
		{"no answers", "본문\n\n## 확인 문제\n\n1. 질문?\n\n> 힌트: 아님\n\n## 다음 단계\n\n끝\n", []string{"정답"}},
		{"answer outside quiz", "> 정답: 이른 정답\n\n## 확인 문제\n\n1. 질문?\n\n## 다음 단계\n\n끝\n", []string{"정답"}},
		{"no next", "본문\n\n## 확인 문제\n\n> 정답: 예\n", []string{"다음 단계"}},
		{"next not last", goodBody + "\n## 부록\n\n더\n", []string{"last section"}},
		{"next before quiz", "## 다음 단계\n\n끝\n\n## 확인 문제\n\n> 정답: 예\n", []string{"last section"}},
		{"h3 after next is fine", goodBody + "\n### 더 읽을거리\n\n링크\n", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := Lesson{File: "01-x.md", Body: tc.body}.Check()
			if tc.want == nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("expected an error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestValidateCourseOrderGaps(t *testing.T) {
	ls := []Lesson{
		{File: "01-a.md", Order: 1, Body: goodBody},
		{File: "03-b.md", Order: 3, Body: goodBody},
	}
	err := ValidateCourse(ls)
	if err == nil || !strings.Contains(err.Error(), "03-b.md: order 3, want 2") {
		t.Fatalf("err = %v, want a gap error", err)
	}
}

func TestHeadingsIgnoreCodeBlocks(t *testing.T) {
	hs := Lesson{Body: goodBody}.Headings()
	var texts []string
	for _, h := range hs {
		texts = append(texts, h.Text)
	}
	if got := strings.Join(texts, "|"); got != "확인 문제|다음 단계" {
		t.Fatalf("headings = %q", got)
	}
}

// BenchmarkRenderLongestLesson renders the longest embedded lesson at 80
// columns with the styled renderer, as the TUI does (target: ≤ 50 ms/op).
func BenchmarkRenderLongestLesson(b *testing.B) {
	course, err := Course()
	if err != nil {
		b.Fatal(err)
	}
	longest := course[0]
	for _, l := range course {
		if len(l.Body) > len(longest.Body) {
			longest = l
		}
	}
	r, err := render.New(render.Options{Profile: termenv.TrueColor})
	if err != nil {
		b.Fatal(err)
	}
	var lines int
	for b.Loop() {
		out, err := r.Render(longest.Body, 80)
		if err != nil {
			b.Fatal(err)
		}
		lines = strings.Count(out, "\n")
	}
	b.ReportMetric(float64(len(longest.Body)), "md-bytes")
	b.ReportMetric(float64(lines), "lines")
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/render")
}

// TestBodyLine: Lesson.BodyLine is the line of the file where Body starts
// (after the front matter and the blank lines under it; a BOM and CRLF line
// endings do not move it), for a made-up file and every embedded lesson.
func TestBodyLine(t *testing.T) {
	src := "\uFEFF---\r\nid: x\r\ntitle: X\r\norder: 1\r\nminutes: 5\r\n---\r\n\r\n\r\n# X\r\nbody\r\n"
	l, err := Parse("01-x.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if l.BodyLine != 9 || !strings.HasPrefix(l.Body, "# X\n") {
		t.Errorf("BodyLine %d, body %q; want line 9 starting with # X", l.BodyLine, l.Body)
	}
	course, err := Course()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range course {
		raw, err := fs.ReadFile(FS(), l.File)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.ReplaceAll(string(raw), "\r\n", "\n"), "\n")
		first, _, _ := strings.Cut(l.Body, "\n")
		if l.BodyLine < 2 || l.BodyLine > len(lines) || lines[l.BodyLine-1] != first {
			t.Errorf("%s: BodyLine %d does not hold the body's first line %q", l.File, l.BodyLine, first)
		}
	}
}
