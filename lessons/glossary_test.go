package lessons

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// banned is the "쓰지 않는 말" column of GLOSSARY.md as patterns. Text is
// matched with runs of white space collapsed to one space, so a variant
// wrapped over two lines of a lesson is still found.
var banned = []struct {
	re   *regexp.Regexp
	want string // what to write instead
}{
	{regexp.MustCompile(`견디|견딥|견뎌|견딘`), "용인하다 (tolerate)"},
	// 허용 is fine for "allow" in general; it is banned next to the words of
	// taints and tolerations, where it means tolerate.
	{regexp.MustCompile(`(테인트|톨러레이션|[Tt]aint|[Tt]olerat|NoSchedule|NoExecute|effect)[^.!?"\n]{0,40}허용|허용[^.!?"\n]{0,20}(톨러레이션|테인트|[Tt]olerat|[Tt]aint)`), "용인 (tolerate)"},
	{regexp.MustCompile(`(테인트|톨러레이션|[Tt]aint|[Tt]olerat|NoSchedule|NoExecute|effect)[^.!?"\n]{0,40}효과|효과[^.!?"\n]{0,20}(테인트|톨러레이션|NoSchedule|NoExecute|effect)|효과\(effect\)`), "이펙트 (effect)"},
	{regexp.MustCompile(`객체`), "오브젝트 (object)"},
	{regexp.MustCompile(`가비지 ?컬렉`), "가비지 수집 (garbage collection)"},
	{regexp.MustCompile(`입양`), "채택 (adopt)"},
	{regexp.MustCompile(`우선순위 ?클래스`), "프라이어리티클래스 (PriorityClass)"},
	{regexp.MustCompile(`파드 ?보안 ?어드미션`), "파드 시큐리티 어드미션 (Pod Security Admission)"},
	// The trainee never saw the course's source lecture note: a text names
	// what the course showed (a lesson's title) or the older docs and blogs.
	{regexp.MustCompile(`강의 자료|이전 자료|원래 강의 ?노트`), "a lesson's title or 예전 문서와 블로그 (what the trainee saw)"},
	{regexp.MustCompile(`을\(를\)|를\(을\)|이\(가\)|가\(이\)|은\(는\)|는\(은\)|와\(과\)|과\(와\)|\(으\)로|\(이\)라`), "a particle that fits the word (a particle helper)"},
}

// glossaryAllow lists files whose banned variants are tolerated for now:
// path (relative to the module root) → reason. It is empty: every file
// follows the glossary. An entry that no longer matches anything is reported with t.Log so
// it can be removed.
var glossaryAllow = map[string]string{}

// Finding is one banned variant found in a file.
type finding struct {
	file string
	line int
	text string
	want string
}

func (f finding) String() string {
	return fmt.Sprintf("%s:%d: %q → %s", f.file, f.line, f.text, f.want)
}

var spaceRE = regexp.MustCompile(`\s+`)

// scanText reports the banned variants in text; line is the line of text's
// first byte in its file.
func scanText(file string, line int, text string) []finding {
	var out []finding
	// collapse white space but keep a map back to lines
	flat := spaceRE.ReplaceAllString(text, " ")
	for _, b := range banned {
		for _, m := range b.re.FindAllStringIndex(flat, -1) {
			// find the line: count newlines in text up to the same number of
			// non-space runes
			out = append(out, finding{file: file, line: line + lineOfFlat(text, m[0]), text: flat[m[0]:m[1]], want: b.want})
		}
	}
	return out
}

// lineOfFlat maps a byte offset in the white-space-collapsed text back to a
// 0-based line offset in text.
func lineOfFlat(text string, flatOff int) int {
	n, lines, inSpace := 0, 0, false
	for _, r := range text {
		if n >= flatOff {
			break
		}
		if unicode.IsSpace(r) {
			if r == '\n' {
				lines++
			}
			if !inSpace {
				n++
			}
			inSpace = true
			continue
		}
		inSpace = false
		n += len(string(r))
	}
	return lines
}

func hasHangul(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Hangul, r) {
			return true
		}
	}
	return false
}

// scanGo reports banned variants in the string literals of a Go file that
// contain Hangul (what a learner or instructor reads).
func scanGo(fset *token.FileSet, path, rel string) ([]finding, error) {
	f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var out []finding
	ast.Inspect(f, func(n ast.Node) bool {
		lit, ok := n.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return true
		}
		s, err := strconv.Unquote(lit.Value)
		if err != nil || !hasHangul(s) {
			return true
		}
		out = append(out, scanText(rel, fset.Position(lit.Pos()).Line, s)...)
		return true
	})
	return out, nil
}

// TestGlossaryScanner shows that the scanner finds each banned variant,
// also wrapped over two lines, and leaves the glossary's own words alone.
func TestGlossaryScanner(t *testing.T) {
	bad := map[string]string{
		"테인트를 견디지 못합니다":               "용인",
		"NoSchedule 테인트를\n허용하는 톨러레이션": "용인",
		"세 가지 효과(effect)":             "이펙트",
		"테인트의 효과가 다릅니다":               "이펙트",
		"노드 객체":                       "오브젝트",
		"가비지\n컬렉션":                    "가비지 수집",
		"파드를 입양합니다":                   "채택",
		"우선순위 클래스를 만듭니다":              "프라이어리티클래스",
		"파드 보안\n어드미션":                 "파드 시큐리티 어드미션",
		"노드 %s 을(를) 추가했습니다":           "particle",
		"강의 자료의 매니페스트":                "lesson title",
		"이전 자료(원래 강의 노트)의 매니페스트":      "lesson title",
		"원래 강의\n노트":                   "lesson title",
	}
	for text, want := range bad {
		if got := scanText("x", 1, text); len(got) == 0 {
			t.Errorf("%q: not flagged (want %s)", text, want)
		}
	}
	good := []string{
		"테인트를 용인하지 못합니다", "restartPolicy 는 Always 만 허용됩니다", "이펙트(effect)는 세 가지",
		"가비지 수집", "채택(adopt)", "프라이어리티클래스", "파드 시큐리티 어드미션", "예전 문서와 블로그에 흔한 매니페스트", "이전 리비전으로 되돌리면", "노드 dslab-worker4 를 추가했습니다",
		"롤아웃은 느려지지만 효과적인 방법입니다",
	}
	for _, text := range good {
		if got := scanText("x", 1, text); len(got) > 0 {
			t.Errorf("%q flagged: %v", text, got)
		}
	}
	if got := scanText("x", 10, "첫 줄\n둘째 줄의 객체"); len(got) != 1 || got[0].line != 11 {
		t.Errorf("line of a finding: %v", got)
	}
}

// TestGlossaryBannedVariants fails on the banned variants of GLOSSARY.md in
// the lessons, the exercise YAML files and the Hangul string literals of
// the module's Go files outside tests.
func TestGlossaryBannedVariants(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found from the lessons package: %v", err)
	}
	fset := token.NewFileSet()
	var found []finding
	scanned := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			switch d.Name() {
			case ".git", "bin", "testdata", "vendor", "node_modules", ".cache":
				return filepath.SkipDir
			}
			return nil
		}
		switch {
		case strings.HasPrefix(rel, "lessons/") && strings.HasSuffix(rel, ".md") && rel != "lessons/GLOSSARY.md":
		case strings.HasPrefix(rel, "exercises/") && (strings.HasSuffix(rel, ".yaml") || strings.HasSuffix(rel, ".yml")):
		case strings.HasSuffix(rel, ".go") && !strings.HasSuffix(rel, "_test.go"):
			fs, err := scanGo(fset, path, rel)
			if err != nil {
				return err
			}
			scanned++
			found = append(found, fs...)
			return nil
		default:
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		scanned++
		found = append(found, scanText(rel, 1, string(data))...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if scanned < 20 {
		t.Fatalf("only %d files scanned: the walk is broken", scanned)
	}
	used := map[string]bool{}
	var fail []string
	for _, f := range found {
		if _, ok := glossaryAllow[f.file]; ok {
			used[f.file] = true
			t.Logf("allowed for now (%s): %s", glossaryAllow[f.file], f)
			continue
		}
		fail = append(fail, f.String())
	}
	sort.Strings(fail)
	if len(fail) > 0 {
		t.Errorf("%d banned variants (see lessons/GLOSSARY.md):\n%s", len(fail), strings.Join(fail, "\n"))
	}
	for file := range glossaryAllow {
		if !used[file] {
			t.Logf("glossaryAllow entry %s matches nothing any more: remove it", file)
		}
	}
}
