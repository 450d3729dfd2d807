package grader

import (
	"strings"
	"unicode"
)

// Korean particles after a word depend on whether its last syllable ends in
// a consonant (받침). Words here are often English identifiers read aloud in
// English, so the rule is a heuristic for those.

// hasBatchim guesses whether word, as a Korean reader pronounces it, ends in
// a final consonant.
func hasBatchim(word string) bool {
	rs := []rune(strings.TrimRightFunc(word, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}))
	if len(rs) == 0 {
		return false
	}
	last := rs[len(rs)-1]
	switch {
	case last >= 0xAC00 && last <= 0xD7A3:
		return (last-0xAC00)%28 != 0
	case unicode.IsDigit(last):
		// 영 일 삼 육 칠 팔 end in a consonant; 이 사 오 구 do not.
		return strings.ContainsRune("013678", last)
	}
	lower := strings.ToLower(string(rs))
	switch {
	case strings.HasSuffix(lower, "ng"), strings.HasSuffix(lower, "le"), strings.HasSuffix(lower, "me"), strings.HasSuffix(lower, "ne"):
		return true
	}
	switch lower[len(lower)-1] {
	case 'l', 'm', 'n':
		return true
	}
	return false
}

// eul appends the object particle 을/를 to word, separated by a space as
// code-like words are in dslab's messages.
func eul(word string) string {
	if hasBatchim(word) {
		return word + " 을"
	}
	return word + " 를"
}

// iga appends the subject particle 이/가.
func iga(word string) string {
	if hasBatchim(word) {
		return word + " 이"
	}
	return word + " 가"
}

// eun appends the topic particle 은/는.
func eun(word string) string {
	if hasBatchim(word) {
		return word + " 은"
	}
	return word + " 는"
}

// ro appends the particle (으)로; after ㄹ or a vowel it is 로.
func ro(word string) string {
	rs := []rune(word)
	if len(rs) > 0 {
		last := rs[len(rs)-1]
		if last >= 0xAC00 && last <= 0xD7A3 && (last-0xAC00)%28 == 8 {
			return word + " 로"
		}
	}
	if hasBatchim(word) && !strings.HasSuffix(strings.ToLower(word), "l") && !strings.HasSuffix(strings.ToLower(word), "le") {
		return word + " 으로"
	}
	return word + " 로"
}

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
