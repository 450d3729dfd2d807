// Package lessons embeds dslab's Korean lessons and loads them.
//
// A lesson is a markdown file named NN-<id>.md (NN = its order, two digits)
// that starts with YAML front matter between two "---" lines:
//
//	---
//	id: what-is-daemonset
//	title: "데몬셋이란"
//	order: 1
//	minutes: 12
//	exercises: [ds-basics]
//	---
//
// The body has no H1 (the title comes from the front matter), contains a
// "## 확인 문제" section whose answers are on lines starting "> 정답:", and
// ends with a "## 다음 단계" section. Load checks the front matter; Check and
// ValidateCourse check the body contract (the package tests run them on every
// embedded lesson).
package lessons

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
	"sigs.k8s.io/yaml"
)

//go:embed *.md
var embedded embed.FS

// FS returns the embedded lesson files.
func FS() fs.FS { return embedded }

// Course loads the embedded lessons (Load(FS())).
func Course() ([]Lesson, error) { return Load(FS()) }

// Lesson is one parsed lesson.
type Lesson struct {
	ID        string
	Title     string
	Order     int
	Minutes   int
	Exercises []string // ids of the related exercises (may be empty)
	Body      string   // markdown after the front matter, "\n" line endings
	BodyLine  int      // 1-based line of the file on which Body starts
	File      string   // file name inside the FS
}

// Section headings every lesson body must have.
const (
	QuizHeading     = "확인 문제"
	NextHeading     = "다음 단계"
	AnswerPrefix    = "> 정답:"
	frontMatterLine = "---"
)

var (
	// fileRE matches lesson file names; other *.md files (README.md) are
	// ignored unless they start with a digit.
	fileRE = regexp.MustCompile(`^([0-9]{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$`)
	idRE   = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)
)

type frontMatter struct {
	ID        string   `json:"id"`
	Title     string   `json:"title"`
	Order     int      `json:"order"`
	Minutes   int      `json:"minutes"`
	Exercises []string `json:"exercises"`
}

// Load parses every lesson file in fsys and returns the lessons sorted by
// order. It fails, listing every problem found, on bad front matter, missing
// fields, duplicate ids or orders, file names that do not match NN-<id>.md,
// or when there is no lesson at all.
func Load(fsys fs.FS) ([]Lesson, error) {
	names, err := fs.Glob(fsys, "*.md")
	if err != nil {
		return nil, fmt.Errorf("lessons: %w", err)
	}
	var (
		out     []Lesson
		errs    []error
		byID    = map[string]string{}
		byOrder = map[int]string{}
	)
	for _, name := range names {
		if name == "" || name[0] < '0' || name[0] > '9' {
			continue
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
			continue
		}
		l, err := Parse(name, data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if prev, ok := byID[l.ID]; ok {
			errs = append(errs, fmt.Errorf("%s: duplicate id %q (also in %s)", name, l.ID, prev))
			continue
		}
		if prev, ok := byOrder[l.Order]; ok {
			errs = append(errs, fmt.Errorf("%s: duplicate order %d (also in %s)", name, l.Order, prev))
			continue
		}
		byID[l.ID], byOrder[l.Order] = name, name
		out = append(out, l)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("lessons: %w", errors.Join(errs...))
	}
	if len(out) == 0 {
		return nil, errors.New("lessons: no lesson files (NN-<id>.md) found")
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Order < out[j].Order })
	return out, nil
}

// Parse parses one lesson file. name is its file name (used for errors and
// checked against the front matter).
func Parse(name string, data []byte) (Lesson, error) {
	fail := func(format string, args ...any) (Lesson, error) {
		return Lesson{}, fmt.Errorf("%s: %s", name, fmt.Sprintf(format, args...))
	}
	src := strings.ReplaceAll(string(bytes.TrimPrefix(data, []byte("\uFEFF"))), "\r\n", "\n")
	head, body, ok := splitFrontMatter(src)
	if !ok {
		return fail("front matter: the file must start with a %q line and the front matter end with another", frontMatterLine)
	}
	var fm frontMatter
	if err := yaml.UnmarshalStrict([]byte(head), &fm); err != nil {
		return fail("front matter: %v", err)
	}
	var problems []string
	fm.ID = strings.TrimSpace(fm.ID)
	fm.Title = strings.TrimSpace(fm.Title)
	switch {
	case fm.ID == "":
		problems = append(problems, `missing "id"`)
	case !idRE.MatchString(fm.ID):
		problems = append(problems, fmt.Sprintf("id %q must be lower-case words joined by '-'", fm.ID))
	}
	if fm.Title == "" {
		problems = append(problems, `missing "title"`)
	}
	if fm.Order < 1 {
		problems = append(problems, `missing or non-positive "order"`)
	}
	if fm.Minutes < 1 {
		problems = append(problems, `missing or non-positive "minutes"`)
	}
	for _, ex := range fm.Exercises {
		if !idRE.MatchString(ex) {
			problems = append(problems, fmt.Sprintf("exercise id %q must be lower-case words joined by '-'", ex))
		}
	}
	base := path.Base(name)
	if m := fileRE.FindStringSubmatch(base); m == nil {
		problems = append(problems, "file name must be NN-<id>.md")
	} else if len(problems) == 0 {
		if n, _ := strconv.Atoi(m[1]); n != fm.Order {
			problems = append(problems, fmt.Sprintf("file name order %s does not match order %d", m[1], fm.Order))
		}
		if m[2] != fm.ID {
			problems = append(problems, fmt.Sprintf("file name id %q does not match id %q", m[2], fm.ID))
		}
	}
	if strings.TrimSpace(body) == "" {
		problems = append(problems, "empty body")
	}
	if len(problems) > 0 {
		return fail("%s", strings.Join(problems, "; "))
	}
	body = strings.TrimLeft(body, "\n")
	return Lesson{
		ID:        fm.ID,
		Title:     fm.Title,
		Order:     fm.Order,
		Minutes:   fm.Minutes,
		Exercises: fm.Exercises,
		Body:      body,
		BodyLine:  strings.Count(src[:len(src)-len(body)], "\n") + 1, // body is a suffix of src
		File:      name,
	}, nil
}

// splitFrontMatter splits src ("---\n<yaml>---\n<body>") into its parts.
func splitFrontMatter(src string) (head, body string, ok bool) {
	first, rest, found := strings.Cut(src, "\n")
	if !found || strings.TrimRight(first, " \t") != frontMatterLine {
		return "", "", false
	}
	for off := 0; off <= len(rest); {
		end := strings.IndexByte(rest[off:], '\n')
		line := rest[off:]
		next := len(rest) + 1
		if end >= 0 {
			line = rest[off : off+end]
			next = off + end + 1
		}
		if strings.TrimRight(line, " \t") == frontMatterLine {
			if next > len(rest) {
				return rest[:off], "", true
			}
			return rest[:off], rest[next:], true
		}
		off = next
	}
	return "", "", false
}

// Find returns the lesson with the given id.
func Find(ls []Lesson, id string) (Lesson, bool) {
	if i := Index(ls, id); i >= 0 {
		return ls[i], true
	}
	return Lesson{}, false
}

// Index returns the position of the lesson with the given id, or -1.
func Index(ls []Lesson, id string) int {
	for i, l := range ls {
		if l.ID == id {
			return i
		}
	}
	return -1
}

// IDs returns the lesson ids in order.
func IDs(ls []Lesson) []string {
	ids := make([]string, len(ls))
	for i, l := range ls {
		ids[i] = l.ID
	}
	return ids
}

// Heading is a markdown heading of a lesson body.
type Heading struct {
	Level  int
	Text   string
	Offset int // byte offset of the heading's text in Body
}

// Headings returns the headings of the body (headings inside code blocks
// are not headings and are not returned).
func (l Lesson) Headings() []Heading {
	src := []byte(l.Body)
	doc := goldmark.New(goldmark.WithExtensions(extension.GFM)).Parser().Parse(text.NewReader(src))
	var hs []Heading
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		h, ok := n.(*ast.Heading)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		off := 0
		if h.Lines().Len() > 0 {
			off = h.Lines().At(0).Start
		}
		hs = append(hs, Heading{Level: h.Level, Text: strings.TrimSpace(plainText(h, src)), Offset: off})
		return ast.WalkSkipChildren, nil
	})
	return hs
}

func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(src))
			if t.SoftLineBreak() || t.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// Check reports every way the body breaks the lesson contract: an H1, a
// missing "## 확인 문제" section or one without "> 정답:" answers, a missing
// "## 다음 단계" section or one that is not the last H2.
func (l Lesson) Check() error {
	var errs []error
	var h2 []Heading
	for _, h := range l.Headings() {
		switch h.Level {
		case 1:
			errs = append(errs, fmt.Errorf("H1 %q: the body must not have an H1 (the title comes from the front matter)", h.Text))
		case 2:
			h2 = append(h2, h)
		}
	}
	quiz, next := -1, -1
	for i, h := range h2 {
		switch h.Text {
		case QuizHeading:
			quiz = i
		case NextHeading:
			next = i
		}
	}
	if quiz < 0 {
		errs = append(errs, fmt.Errorf("missing %q section", "## "+QuizHeading))
	} else {
		end := len(l.Body)
		if quiz+1 < len(h2) {
			end = h2[quiz+1].Offset
		}
		if !hasAnswer(l.Body[h2[quiz].Offset:end]) {
			errs = append(errs, fmt.Errorf("section %q has no answer line starting %q", "## "+QuizHeading, AnswerPrefix))
		}
	}
	switch {
	case next < 0:
		errs = append(errs, fmt.Errorf("missing %q section", "## "+NextHeading))
	case next != len(h2)-1:
		errs = append(errs, fmt.Errorf("%q must be the last section, found %q after it", "## "+NextHeading, "## "+h2[len(h2)-1].Text))
	case quiz > next:
		errs = append(errs, fmt.Errorf("%q must come before %q", "## "+QuizHeading, "## "+NextHeading))
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s: %w", l.File, errors.Join(errs...))
	}
	return nil
}

func hasAnswer(section string) bool {
	for _, line := range strings.Split(section, "\n") {
		if strings.HasPrefix(strings.TrimLeft(line, " "), AnswerPrefix) {
			return true
		}
	}
	return false
}

// ValidateCourse checks a loaded course as a whole: orders run 1, 2, 3, …
// without gaps and every lesson passes Check.
func ValidateCourse(ls []Lesson) error {
	var errs []error
	for i, l := range ls {
		if l.Order != i+1 {
			errs = append(errs, fmt.Errorf("%s: order %d, want %d (orders must run from 1 without gaps)", l.File, l.Order, i+1))
		}
		if err := l.Check(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
