package lab

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"

	"sigs.k8s.io/yaml"
)

// yamlLineRE finds the line number of a YAML parser error ("yaml: line 14:
// could not find expected ':'"); yamlFileRE the file kubectl names
// ("error parsing /path/ds.yaml: …").
var (
	yamlLineRE = regexp.MustCompile(`yaml: line (\d+): (.*)`)
	yamlFileRE = regexp.MustCompile(`error parsing (\S+?): `)
)

// yamlContext shows where a YAML error of msg is in the work file: the line
// the parser names and the one it suspects, both numbered, the suspected
// one marked with ▶. The parser (go.yaml.in/yaml/v2, behind kubectl)
// counts lines inside one document of the file, and is off by one line
// for the commonest mistakes (issue 14: "line 14: could not find expected
// ':'" pointed at the line after a key without its colon):
//   - "could not find expected ':'" and "mapping values are not allowed"
//     are noticed on the line after the mistake: the previous non-empty
//     line is suspected;
//   - "did not find expected …" (a parser error) names the line before
//     the offending one (its count starts at 0): the next line is
//     suspected.
//
// "" when msg has no line or the file cannot be read.
func yamlContext(msg string, files []string) string {
	m := yamlLineRE.FindStringSubmatch(msg)
	if m == nil {
		return ""
	}
	n, err := strconv.Atoi(m[1])
	if err != nil || n < 1 {
		return ""
	}
	path := ""
	if f := yamlFileRE.FindStringSubmatch(msg); f != nil {
		path = f[1]
	} else if len(files) == 1 {
		path = files[0]
	}
	if path == "" {
		return ""
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	at := min(docOffset(lines, n)+n, len(lines)) // 1-based line of the file
	suspect := at
	switch reason := m[2]; {
	case strings.HasPrefix(reason, "did not find expected"):
		if at < len(lines) {
			suspect = at + 1
		}
	case strings.Contains(reason, "could not find expected ':'"), strings.Contains(reason, "mapping values are not allowed"):
		for suspect > 1 && strings.TrimSpace(lines[suspect-2]) == "" {
			suspect--
		}
		if suspect > 1 {
			suspect--
		}
	}
	from, to := min(suspect, at), max(suspect, at)
	if from == to && from > 1 {
		from--
	}
	width := len(strconv.Itoa(to))
	var b strings.Builder
	if suspect != at {
		fmt.Fprintf(&b, "YAML 파서는 %d번째 줄을 가리키지만, 이런 오류는 보통 %d번째 줄(▶)의 실수입니다:", at, suspect)
	} else {
		fmt.Fprintf(&b, "YAML 파서가 가리킨 %d번째 줄(▶)과 그 앞 줄:", at)
	}
	for i := from; i <= to; i++ {
		mark := " "
		if i == suspect {
			mark = "▶"
		}
		fmt.Fprintf(&b, "\n%s %*d | %s", mark, width, i, lines[i-1])
	}
	return b.String()
}

// docOffset is how many lines of the file come before the document whose
// YAML error is at line n of that document, as kubectl splits a file into
// documents at "---" lines; 0 for the first document or when none fails
// at n.
func docOffset(lines []string, n int) int {
	start := 0
	want := fmt.Sprintf("line %d:", n)
	for i := 0; i <= len(lines); i++ {
		if i < len(lines) && strings.TrimRight(lines[i], " \t") != "---" {
			continue
		}
		doc := strings.Join(lines[start:i], "\n")
		if _, err := yaml.YAMLToJSON([]byte(doc)); err != nil && strings.Contains(err.Error(), want) {
			return start
		}
		start = i + 1
	}
	return 0
}
