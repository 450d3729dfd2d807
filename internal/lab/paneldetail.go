package lab

import (
	"fmt"
	"regexp"
	"strings"
)

// patchHeading starts the patch kubectl sent, after the server's reason
// in ApplyError.Detail (reasonFirst).
const patchHeading = "\n보낸 패치(patch):\n"

// Panel limits: the server's reason keeps at most panelReasonLines lines,
// and a quoted value longer than panelQuoteRunes runes is cut.
const (
	panelReasonLines = 6
	panelQuoteRunes  = 80
)

var quotedRE = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

// PanelDetail is detail (ApplyError.Detail) as the exercise panel shows
// it: the API server's reason with long quoted values cut ("…"), at most a
// few lines, without the patch kubectl sent; then one line saying how much
// was left out and where it is whole (issue 14: a 50–100 line patch dump
// per rejection filled the panel and pushed grading and the node map
// down). `dslab grade` prints the last failed apply whole, and
// `dslab kubectl apply -f` the same words.
func PanelDetail(detail string) string {
	reason, patch, hasPatch := strings.Cut(reasonFirst(detail), patchHeading)
	cut := false
	lines := strings.Split(reason, "\n")
	for i, l := range lines {
		lines[i] = quotedRE.ReplaceAllStringFunc(l, func(q string) string {
			r := []rune(q)
			if len(r) <= panelQuoteRunes {
				return q
			}
			cut = true
			return string(r[:panelQuoteRunes-2]) + "…\""
		})
	}
	hidden := 0
	if len(lines) > panelReasonLines {
		hidden = len(lines) - panelReasonLines
		lines = lines[:panelReasonLines]
	}
	if hasPatch {
		hidden += len(strings.Split(strings.TrimSpace(patch), "\n")) + 1
	}
	out := strings.Join(lines, "\n")
	switch {
	case hidden > 0:
		out += fmt.Sprintf("\n(%d줄 생략 — 보낸 패치(patch)까지 전체는 명령줄에서 dslab grade 가 보여 줍니다)", hidden)
	case cut:
		out += "\n(긴 값은 줄였습니다 — 전체는 명령줄에서 dslab grade 가 보여 줍니다)"
	}
	return out
}
