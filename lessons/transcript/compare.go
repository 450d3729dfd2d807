package transcript

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"
)

// Masks for what differs from run to run. The alphabet of generated name
// suffixes and hashes is k8s.io/apimachinery/pkg/util/rand's
// ("bcdfghjklmnpqrstvwxz2456789": no vowels, no 0, 1, 3).
var (
	uidRE  = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	timeRE = regexp.MustCompile(`\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?(?: [A-Z]{3,4})?`)
	ipRE   = regexp.MustCompile(`\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b`)
	// a generated pod name: <owner>-<5 chars>
	genRE = regexp.MustCompile(`\b([a-z0-9]+(?:[.-][a-z0-9]+)*?)-[bcdfghjklmnpqrstvwxz2456789]{5}\b`)
	// a hash (controller-revision-hash, pod-template-hash): 6-10 chars, at
	// least one digit and one letter
	hashRE = regexp.MustCompile(`\b[bcdfghjklmnpqrstvwxz2456789]{6,10}\b`)
	ageRE  = regexp.MustCompile(`\b\d+(?:\.\d+)?(?:s|m|h|d|y)(?:\d+(?:s|m|h))?\b|<invalid>`)
	rvRE   = regexp.MustCompile(`(resourceVersion"?:\s*"?)\d+`)
)

// Mask replaces what changes between runs in one line: UIDs, times, IPs,
// generated name suffixes, hashes, ages and resourceVersions.
func Mask(s string) string {
	s = uidRE.ReplaceAllString(s, "<uid>")
	s = timeRE.ReplaceAllString(s, "<time>")
	s = rvRE.ReplaceAllString(s, "${1}<rv>")
	s = ipRE.ReplaceAllString(s, "<ip>")
	s = genRE.ReplaceAllString(s, "${1}-<id>")
	s = hashRE.ReplaceAllStringFunc(s, func(h string) string {
		if strings.IndexFunc(h, unicode.IsDigit) >= 0 && strings.IndexFunc(h, unicode.IsLetter) >= 0 {
			return "<hash>"
		}
		return h
	})
	s = ageRE.ReplaceAllString(s, "<age>")
	return s
}

// IsGenerated reports whether s is a name with a generated suffix or a hash
// (what the lesson shows may differ from what the lab prints).
func IsGenerated(s string) bool { return Mask(s) != s }

// Names maps names a lesson shows (agent-7xk2p) to the names the lab made
// for the same object, learned from tables compared earlier, so that a later
// command that names the object (kubectl get pod agent-7xk2p) is run on the
// real one.
type Names map[string]string

// Substitute replaces every known lesson name in a command by the lab's.
func (n Names) Substitute(cmd string) string {
	keys := make([]string, 0, len(n))
	for k := range n {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return len(keys[i]) > len(keys[j]) })
	for _, k := range keys {
		cmd = regexp.MustCompile(`\b`+regexp.QuoteMeta(k)+`\b`).ReplaceAllString(cmd, n[k])
	}
	return cmd
}

func isEllipsis(l string) bool {
	t := strings.TrimSpace(l)
	return t == "..." || t == "…"
}

var headerRE = regexp.MustCompile(`^[A-Z][A-Z0-9_.-]*(?: [A-Z][A-Z0-9_.-]*)*(?: {2,}[A-Z][A-Z0-9_.-]*(?: [A-Z][A-Z0-9_.-]*)*)+\s*$`)

// isHeader reports whether l looks like the header of a kubectl table:
// two or more upper-case column names separated by two or more spaces.
func isHeader(l string) bool { return headerRE.MatchString(l) }

type column struct {
	name  string
	start int // rune offset
}

func columns(header string) []column {
	r := []rune(header)
	var cols []column
	for i := 0; i < len(r); {
		if r[i] == ' ' {
			i++
			continue
		}
		start := i
		for i < len(r) && !(r[i] == ' ' && (i+1 >= len(r) || r[i+1] == ' ')) {
			i++
		}
		cols = append(cols, column{name: string(r[start:i]), start: start})
	}
	return cols
}

// cells splits a table row at the header's column starts.
func cells(cols []column, row string) map[string]string {
	r := []rune(row)
	out := make(map[string]string, len(cols))
	for i, c := range cols {
		end := len(r)
		if i+1 < len(cols) {
			end = min(cols[i+1].start, len(r))
		}
		if c.start >= len(r) || c.start >= end {
			out[c.name] = ""
			continue
		}
		out[c.name] = strings.TrimSpace(string(r[c.start:end]))
	}
	return out
}

// Compare compares a command's real output with the lines a lesson shows
// under it, by meaning:
//   - a kubectl table is compared column by column on the columns the lesson
//     shows (any subset of the real ones, in any order), rows as a set; AGE
//     cells and generated names, hashes, IPs, times and UIDs are masked; a
//     "..." row after the rows lets the lab print more rows;
//   - other text is compared with all whitespace removed (lessons may wrap
//     long lines) after masking; "..." lines and "…" stand for any text.
//
// On success it records in names which lesson names stand for which real
// ones. The error describes the first difference.
func Compare(expected []string, actual string, names Names) error {
	act := strings.Split(strings.TrimRight(strings.ReplaceAll(actual, "\r\n", "\n"), "\n"), "\n")
	if strings.TrimSpace(actual) == "" {
		act = nil
	}
	hi := -1
	for i, l := range expected {
		if isHeader(l) {
			hi = i
			break
		}
	}
	if hi < 0 {
		return compareText(expected, act)
	}
	// find the matching header in the real output
	want := columns(expected[hi])
	ai := -1
	for i, l := range act {
		if !isHeader(l) {
			continue
		}
		have := map[string]bool{}
		for _, c := range columns(l) {
			have[c.name] = true
		}
		all := true
		for _, c := range want {
			all = all && have[c.name]
		}
		if all {
			ai = i
			break
		}
	}
	if ai < 0 {
		return fmt.Errorf("the lab printed no table with the columns %s", colNames(want))
	}
	if err := compareText(expected[:hi], act[:ai]); err != nil {
		return err
	}
	// table rows run to the first empty line
	erows, rest := splitRows(expected[hi+1:])
	arows, arest := splitRows(act[ai+1:])
	more := false
	if len(erows) > 0 && isEllipsis(erows[len(erows)-1]) {
		more = true
		erows = erows[:len(erows)-1]
	}
	if err := compareRows(want, columns(act[ai]), erows, arows, more, names); err != nil {
		return err
	}
	if len(rest) > 0 {
		return Compare(rest, strings.Join(arest, "\n"), names)
	}
	return nil
}

func splitRows(ls []string) (rows, rest []string) {
	for i, l := range ls {
		if strings.TrimSpace(l) == "" {
			return ls[:i], trimBlank(ls[i:])
		}
	}
	return ls, nil
}

func trimBlank(ls []string) []string {
	for len(ls) > 0 && strings.TrimSpace(ls[0]) == "" {
		ls = ls[1:]
	}
	return ls
}

func colNames(cols []column) string {
	var n []string
	for _, c := range cols {
		n = append(n, c.name)
	}
	return strings.Join(n, ", ")
}

func maskCell(col, v string) string {
	if col == "AGE" || strings.HasSuffix(col, "-AGE") || col == "LAST SEEN" {
		return "<age>"
	}
	return Mask(v)
}

func compareRows(want, have []column, erows, arows []string, more bool, names Names) error {
	type row struct {
		raw    map[string]string
		masked string
		line   string
	}
	mk := func(cols []column, l string) row {
		c := cells(cols, l)
		var parts []string
		for _, w := range want {
			parts = append(parts, w.name+"="+maskCell(w.name, c[w.name]))
		}
		return row{raw: c, masked: strings.Join(parts, " | "), line: l}
	}
	var es, as []row
	for _, l := range erows {
		es = append(es, mk(want, l))
	}
	for _, l := range arows {
		as = append(as, mk(have, l))
	}
	used := make([]bool, len(as))
	var missing []string
	type pair struct{ e, a row }
	var pairs []pair
	for _, e := range es {
		found := false
		for j, a := range as {
			if !used[j] && a.masked == e.masked {
				used[j], found = true, true
				pairs = append(pairs, pair{e, a})
				break
			}
		}
		if !found {
			missing = append(missing, "  "+e.line)
		}
	}
	var extra []string
	for j, a := range as {
		if !used[j] {
			extra = append(extra, "  "+a.line)
		}
	}
	if len(missing) > 0 || (len(extra) > 0 && !more) {
		var b strings.Builder
		fmt.Fprintf(&b, "table %s differs", colNames(want))
		if len(missing) > 0 {
			fmt.Fprintf(&b, "\nthe lesson shows rows the lab did not print:\n%s", strings.Join(missing, "\n"))
		}
		if len(extra) > 0 && !more {
			fmt.Fprintf(&b, "\nthe lab printed rows the lesson does not show:\n%s", strings.Join(extra, "\n"))
		}
		return fmt.Errorf("%s", b.String())
	}
	for _, p := range pairs {
		for _, w := range want {
			ev, av := p.e.raw[w.name], p.a.raw[w.name]
			if ev != av && IsGenerated(ev) && names != nil {
				names[ev] = av
			}
		}
	}
	return nil
}

func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// compareText matches the lesson's lines against the real ones as a glob:
// whitespace removed, masked, "..."/"…" matching anything.
func compareText(expected, actual []string) error {
	var pat []string // literal pieces, a wildcard between each two
	var cur strings.Builder
	flush := func() {
		pat = append(pat, cur.String())
		cur.Reset()
	}
	for _, l := range expected {
		if isEllipsis(l) {
			flush()
			continue
		}
		parts := strings.Split(l, "…")
		for i, p := range parts {
			if i > 0 {
				flush()
			}
			cur.WriteString(squeeze(Mask(p)))
		}
	}
	flush()
	var ab strings.Builder
	for _, l := range actual {
		ab.WriteString(squeeze(Mask(l)))
	}
	got := ab.String()
	// pieces are separated by wildcards: the first must start the output,
	// the last end it, the others appear in order in between.
	n := len(pat) - 1
	if n == 0 {
		if got != pat[0] {
			return textDiff(expected, actual, "")
		}
		return nil
	}
	if !strings.HasPrefix(got, pat[0]) {
		return textDiff(expected, actual, pat[0])
	}
	if !strings.HasSuffix(got, pat[n]) || len(pat[0])+len(pat[n]) > len(got) {
		return textDiff(expected, actual, pat[n])
	}
	mid := got[len(pat[0]) : len(got)-len(pat[n])]
	for _, p := range pat[1:n] {
		k := strings.Index(mid, p)
		if k < 0 {
			return textDiff(expected, actual, p)
		}
		mid = mid[k+len(p):]
	}
	return nil
}

func textDiff(expected, actual []string, piece string) error {
	msg := "output differs"
	if piece != "" {
		msg = fmt.Sprintf("the lab's output has no %q where the lesson shows it", piece)
	}
	return fmt.Errorf("%s\nlesson:\n%s\nlab:\n%s", msg, indent(expected), indent(actual))
}

func indent(ls []string) string {
	if len(ls) == 0 {
		return "  (nothing)"
	}
	return "  " + strings.Join(ls, "\n  ")
}
