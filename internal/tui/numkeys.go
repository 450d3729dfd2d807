package tui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// typeNumber is the type-ahead of a numbered list (목차's lessons, 진행
// 현황's exercises, the chooser): digits typed one after another name a
// row by the number its # column shows — 1 then 3 is 13 — with no timer:
// the digits typed so far (typed) are shown on the screen, and a digit
// that continues no shown number starts a new one. It returns the digits
// now typed, the row they select (the one whose number they are, else the
// first whose number starts with them; -1 when none) and whether that
// number is whole: no other shown number is longer with the same start,
// so the next digit starts a new number (next is then "").
func typeNumber(typed string, digit rune, numbers []int) (next string, row int, whole bool) {
	if digit < '0' || digit > '9' {
		return "", -1, false
	}
	prefixed := func(s string) bool {
		for _, n := range numbers {
			if strings.HasPrefix(strconv.Itoa(n), s) {
				return true
			}
		}
		return false
	}
	cand := typed + string(digit)
	if !prefixed(cand) {
		cand = string(digit)
		if !prefixed(cand) {
			return "", -1, false
		}
	}
	row, longer := -1, false
	for i, n := range numbers {
		s := strconv.Itoa(n)
		switch {
		case s == cand:
			row = i
		case strings.HasPrefix(s, cand):
			longer = true
		}
	}
	if row < 0 {
		for i, n := range numbers {
			if strings.HasPrefix(strconv.Itoa(n), cand) {
				return cand, i, false
			}
		}
	}
	if !longer {
		return "", row, true
	}
	return cand, row, false
}

// digitRune is the digit msg types, ok false for any other key.
func digitRune(msg tea.KeyMsg) (rune, bool) {
	if msg.Type != tea.KeyRunes || len(msg.Runes) != 1 || msg.Alt {
		return 0, false
	}
	r := msg.Runes[0]
	return r, r >= '0' && r <= '9'
}

// digitBinding is the digits of a numbered list in help and footers
// (desc: "번호로 이동", "번호로 열기"), named by the numbers shown.
func digitBinding(numbers []int, desc string) key.Binding {
	label := "0–9"
	if len(numbers) > 0 && len(numbers) <= 3 {
		parts := make([]string, len(numbers))
		for i, n := range numbers {
			parts[i] = strconv.Itoa(n)
		}
		label = strings.Join(parts, ",")
	}
	keys := make([]string, 10)
	for i := range keys {
		keys[i] = strconv.Itoa(i)
	}
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(label, desc))
}

// reflowParagraphs is markdown text as lines to wrap: the lines of a
// paragraph joined with a space (a source line break is soft, as the
// markdown renderer treats it), blank lines kept between paragraphs; list
// items, headings, quotes, fenced and indented code keep their own lines.
func reflowParagraphs(md string) []string {
	var out []string
	inFence, joinable := false, false
	for _, l := range strings.Split(strings.TrimSpace(md), "\n") {
		t := strings.TrimSpace(l)
		own := inFence || t == "" || strings.HasPrefix(l, "    ") || strings.HasPrefix(l, "\t") ||
			strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* ") || strings.HasPrefix(t, "#") ||
			strings.HasPrefix(t, ">") || strings.HasPrefix(t, "|") || strings.HasPrefix(t, "```") ||
			(len(t) > 2 && t[0] >= '0' && t[0] <= '9' && strings.Contains(t[:min(len(t), 4)], ". "))
		if strings.HasPrefix(t, "```") {
			inFence = !inFence
		}
		switch {
		case !own && joinable:
			out[len(out)-1] += " " + t
		case t == "":
			out = append(out, "")
			joinable = false
			continue
		default:
			out = append(out, l)
		}
		joinable = !inFence && !strings.HasPrefix(t, "```") && !strings.HasPrefix(t, "#")
		if strings.HasPrefix(l, "    ") || strings.HasPrefix(l, "\t") {
			joinable = false
		}
	}
	return out
}
