package grader

import (
	"strings"

	"github.com/dslab-kr/dslab/internal/hangul"
)

// Korean particles after a word depend on how it is read aloud; the
// helpers below put the right one (chosen by internal/hangul) after a word,
// separated by a space as code-like words are in dslab's messages.

// eul appends the object particle 을/를 to word.
func eul(word string) string { return word + " " + hangul.EulReul(word) }

// iga appends the subject particle 이/가.
func iga(word string) string { return word + " " + hangul.IGa(word) }

// eun appends the topic particle 은/는.
func eun(word string) string { return word + " " + hangul.EunNeun(word) }

// ro appends the particle 으로/로 (로 after a vowel or ㄹ).
func ro(word string) string { return word + " " + hangul.EuroRo(word) }

// levenshtein is the edit distance between a and b (by runes).
func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// suggest returns the candidate closest to word when it looks like a typo of
// it (a small edit distance, or equal ignoring case), and "" otherwise.
func suggest(word string, candidates []string) string {
	if word == "" {
		return ""
	}
	best, bestD := "", 1<<30
	for _, c := range candidates {
		if c == word {
			return ""
		}
		d := levenshtein(word, c)
		if strings.EqualFold(word, c) {
			d = 0
		}
		limit := 2
		if n := len([]rune(c)); n <= 4 {
			limit = 1
		}
		if d <= limit && d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// joinKo joins items with ", ".
func joinKo(items []string) string { return strings.Join(items, ", ") }

// wa is word followed by 와/과 ("gpu 와", "ssd 와").
func wa(word string) string { return word + " " + hangul.WaGwa(word) }

// after appends particle, in the form that follows word (hangul.After:
// "여야" or "이어야", "로" or "으로", …), to word.
func after(word, particle string) string { return word + " " + hangul.After(word, particle) }
