package lab

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// A YAML error shows the line the parser names and the suspected one,
// both numbered, the suspected one marked (issue 14: "yaml: line 14:
// could not find expected ':'" pointed at the line after the mistake).
// The messages are the parser's own for each kind of mistake.
func TestYAMLContextMarksTheSuspectedLine(t *testing.T) {
	head := "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: x\n"
	for _, tc := range []struct {
		name, doc string
		// suspected and named lines of the whole file, 1-based
		suspect, named int
		prefix         string // documents before the broken one
	}{
		{"key without its colon", head + "spec:\n  template:\n    spec:\n      containers:\n      - name: a\n        image \"busybox\"\n        ports:\n        - containerPort: 1\n", 10, 11, ""},
		{"nodeSelector without its colon", head + "spec:\n  template:\n    spec:\n      nodeSelector\n        disktype: ssd\n", 8, 9, ""},
		{"an indentation slip", head + "  labels:\n    a: b\n   c: d\n", 7, 6, ""},
		{"in the second document", head + "spec:\n  template:\n    spec:\n      containers:\n      - name: a\n        image \"busybox\"\n        ports:\n        - containerPort: 1\n", 15, 16, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\n---\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, perr := yaml.YAMLToJSON([]byte(tc.doc))
			if perr == nil {
				t.Fatal("the document parses")
			}
			path := filepath.Join(t.TempDir(), "w.yaml")
			if err := os.WriteFile(path, []byte(tc.prefix+tc.doc), 0o600); err != nil {
				t.Fatal(err)
			}
			msg := "error: error parsing " + path + ": error converting YAML to JSON: " + perr.Error()
			got := yamlContext(msg, nil)
			lines := strings.Split(tc.prefix+tc.doc, "\n")
			marked := strings.Contains(got, "\n▶ "+strconv.Itoa(tc.suspect)+" | "+lines[tc.suspect-1]+"\n") || strings.HasSuffix(got, "\n▶ "+strconv.Itoa(tc.suspect)+" | "+lines[tc.suspect-1])
			named := strings.Contains(got, " "+strconv.Itoa(tc.named)+" | "+lines[tc.named-1])
			if !marked || !named || !strings.Contains(got, "번째 줄") {
				t.Errorf("%s (%v):\n%s\nwant line %d marked and line %d shown", tc.name, perr, got, tc.suspect, tc.named)
			}
			if got := ExplainApplyError(msg, []string{path}, ""); !strings.Contains(got, "YAML 형식 오류") || !strings.Contains(got, "▶") {
				t.Errorf("the CLI's explanation lacks the lines:\n%s", got)
			}
		})
	}
	if got := yamlContext("DaemonSet.apps \"x\" is invalid", []string{"nope"}); got != "" {
		t.Errorf("a non-YAML error got %q", got)
	}
}
