// Package hangul chooses Korean particles (조사) after a word.
//
// Which form of a particle follows a word depends on how the word, read
// aloud, ends: after a final consonant (받침) Korean writes 이, 을, 은, 과,
// 으로; after a vowel 가, 를, 는, 와, 로; and after the consonant ㄹ the
// instrumental particle is 로, not 으로 (표준국어대사전, "-으로").
//
// dslab's messages put particles after identifiers (kubectl, dslab,
// dslab/ssd-cache, worker2, API), so the word is read the way a Korean
// speaker says it:
//   - Hangul: from the last syllable's 받침.
//   - Digits: by their Sino-Korean reading (2 이, 3 삼, 10 십, 100 백).
//   - Acronyms (a trailing run of capitals: API, SSD, URL) letter by letter
//     (에이피아이, 에스에스디, 유알엘).
//   - Other Latin words as English words transcribed into Hangul by the
//     loanword rules (외래어 표기법): dslab 랩 → ㅂ, kubectl ㄹ, cache 캐시,
//     NoSchedule 스케줄 → ㄹ, DaemonSet 셋 → ㅅ, plane 플레인 → ㄴ. This is a
//     heuristic over the last letters; it is right for the words dslab
//     shows and errs towards the vowel forms otherwise.
//
// Trailing punctuation (quotes, backticks, brackets, periods) is ignored, and
// a trailing parenthetical annotation is skipped as a reader skips it:
// 톨러레이션(toleration) ends in ㄴ.
package hangul

import (
	"strings"
	"unicode"
)

// Final is how a word ends when read aloud.
type Final int

// The three endings that decide a particle.
const (
	Vowel     Final = iota // no final consonant: 가 를 는 와 로
	Consonant              // a final consonant other than ㄹ: 이 을 은 과 으로
	Rieul                  // final ㄹ: 이 을 은 과 로
)

// IGa is the subject particle for word: "이" or "가".
func IGa(word string) string { return pick(word, "이", "가") }

// EulReul is the object particle for word: "을" or "를".
func EulReul(word string) string { return pick(word, "을", "를") }

// EunNeun is the topic particle for word: "은" or "는".
func EunNeun(word string) string { return pick(word, "은", "는") }

// WaGwa is the particle "and/with" for word: "과" or "와".
func WaGwa(word string) string { return pick(word, "과", "와") }

// EuroRo is the instrumental/directional particle for word: "으로", or "로"
// after a vowel or ㄹ.
func EuroRo(word string) string {
	if FinalOf(word) == Consonant {
		return "으로"
	}
	return "로"
}

// pairs lists the particles and copula (이다) endings that have one form
// after a consonant and another after a vowel, consonant form first. 으로/로
// is not here: it also depends on ㄹ (see EuroRo).
var pairs = [][2]string{
	{"이", "가"}, {"을", "를"}, {"은", "는"}, {"과", "와"},
	{"이어야", "여야"}, {"이에요", "예요"}, {"이라", "라"}, {"이나", "나"},
	{"이고", "고"}, {"이며", "며"}, {"이면", "면"}, {"이든", "든"}, {"이랑", "랑"},
	{"이라고", "라고"}, {"이라는", "라는"}, {"이란", "란"}, {"이지만", "지만"},
	{"이었다", "였다"}, {"이었습니다", "였습니다"}, {"이라서", "라서"},
	{"이어서", "여서"}, {"이어도", "여도"}, {"이라도", "라도"}, {"이라면", "라면"},
	{"이었고", "였고"}, {"이었는데", "였는데"},
}

// After returns the form of particle that follows word: particle may be
// either form of a pair ("이어야" or "여야", "이에요" or "예요", "이라" or
// "라", "이나" or "나", "을" or "를", …, "으로" or "로"). A particle with only
// one form (에, 의, 도, 입니다 …) is returned as it is.
//
//	After("quay.io/prometheus/node-exporter:v1.9.1", "여야") == "이어야" // 일
func After(word, particle string) string {
	if particle == "으로" || particle == "로" {
		return EuroRo(word)
	}
	for _, p := range pairs {
		if particle == p[0] || particle == p[1] {
			return pick(word, p[0], p[1])
		}
	}
	return particle
}

// IsVariant reports whether particle has a different form after a consonant
// and after a vowel (so that writing it after an unknown word is a guess).
func IsVariant(particle string) bool {
	if particle == "으로" || particle == "로" {
		return true
	}
	for _, p := range pairs {
		if particle == p[0] || particle == p[1] {
			return true
		}
	}
	return false
}

func pick(word, afterConsonant, afterVowel string) string {
	if FinalOf(word) == Vowel {
		return afterVowel
	}
	return afterConsonant
}

// FinalOf reports how word ends when read aloud (see the package comment).
// An empty word, or one with nothing readable, counts as ending in a vowel.
func FinalOf(word string) Final {
	rs := readable([]rune(word))
	if len(rs) == 0 {
		return Vowel
	}
	last := rs[len(rs)-1]
	switch {
	case isSyllable(last):
		switch (last - 0xAC00) % 28 {
		case 0:
			return Vowel
		case 8: // ㄹ
			return Rieul
		default:
			return Consonant
		}
	case isJamoConsonant(last):
		// ㄱ ㄴ ㄷ … read by their names 기역 니은 디귿 …: all end in a consonant,
		// ㄹ (리을) in ㄹ.
		if last == 'ㄹ' {
			return Rieul
		}
		return Consonant
	case isJamoVowel(last):
		return Vowel
	case last >= '0' && last <= '9':
		return digits(rs)
	case isLatin(last):
		return latin(rs)
	}
	return Vowel
}

// readable trims what a reader does not pronounce at the end of rs:
// punctuation, symbols, spaces and a trailing "(…)" annotation.
func readable(rs []rune) []rune {
	for {
		end := len(rs)
		for end > 0 && !isWordRune(rs[end-1]) && rs[end-1] != ')' {
			end--
		}
		rs = rs[:end]
		if end == 0 || rs[end-1] != ')' {
			return rs
		}
		// Skip a balanced (...) group when something readable precedes it.
		depth, open := 0, -1
		for i := end - 1; i >= 0 && open < 0; i-- {
			if rs[i] == ')' {
				depth++
			} else if rs[i] == '(' {
				depth--
			}
			if depth == 0 {
				open = i
			}
		}
		if open <= 0 {
			// Unbalanced, or the whole word is in brackets: read inside.
			inner := rs[:end-1]
			if open == 0 {
				inner = rs[1 : end-1]
			}
			rs = inner
			continue
		}
		if before := readable(rs[:open]); len(before) > 0 {
			return before
		}
		rs = rs[open+1 : end-1]
	}
}

func isWordRune(r rune) bool {
	return isSyllable(r) || isJamoConsonant(r) || isJamoVowel(r) || (r >= '0' && r <= '9') || isLatin(r)
}

func isSyllable(r rune) bool       { return r >= 0xAC00 && r <= 0xD7A3 }
func isJamoConsonant(r rune) bool  { return r >= 0x3131 && r <= 0x314E }
func isJamoVowel(r rune) bool      { return r >= 0x314F && r <= 0x3163 }
func isLatin(r rune) bool          { return r < unicode.MaxASCII && unicode.IsLetter(r) }
func isLatinVowel(r rune) bool     { return strings.ContainsRune("aeiouy", unicode.ToLower(r)) }
func isLatinConsonant(r rune) bool { return isLatin(r) && !isLatinVowel(r) }

// digits reads the trailing number of rs in Sino-Korean: the last non-zero
// digit (일 이 삼 사 오 육 칠 팔 구), or the power of ten of the trailing
// zeros (십 백 천 만 … 억), or 영 for zero itself.
func digits(rs []rune) Final {
	start := len(rs)
	for start > 0 && rs[start-1] >= '0' && rs[start-1] <= '9' {
		start--
	}
	num := strings.TrimLeft(string(rs[start:]), "0")
	if num == "" {
		return Consonant // 영
	}
	if num[len(num)-1] != '0' {
		switch num[len(num)-1] {
		case '1', '7', '8': // 일 칠 팔
			return Rieul
		case '3', '6': // 삼 육
			return Consonant
		default: // 이 사 오 구
			return Vowel
		}
	}
	// 십 백 천 만 … 억: every power of ten ends in a consonant.
	return Consonant
}

// letterFinal is how the Korean name of each Latin letter ends, for
// acronyms read letter by letter: 엘 알 → ㄹ, 엠 엔 → consonant, 에이 비
// 씨 … → vowel (국립국어원 외래어 표기 용례).
func letterFinal(r rune) Final {
	switch unicode.ToUpper(r) {
	case 'L', 'R':
		return Rieul
	case 'M', 'N':
		return Consonant
	default:
		return Vowel
	}
}

// latin reads the trailing Latin word of rs.
func latin(rs []rune) Final {
	start := len(rs)
	for start > 0 && isLatin(rs[start-1]) {
		start--
	}
	word := rs[start:]
	// The last camelCase part: NoSchedule → Schedule, DaemonSet → Set,
	// API → API, kubeAPI → API.
	caps := 0
	for i := len(word) - 1; i >= 0 && unicode.IsUpper(word[i]); i-- {
		caps++
	}
	switch {
	case caps == len(word) || caps >= 2:
		// An acronym, or one ending in capitals: read letter by letter.
		return letterFinal(word[len(word)-1])
	case caps == 0:
		for i := len(word) - 1; i > 0; i-- {
			if unicode.IsUpper(word[i]) {
				word = word[i:]
				break
			}
		}
	}
	w := strings.ToLower(string(word))
	if !strings.ContainsAny(w, "aeiouy") {
		// No vowel to pronounce (ssd, hdd, k8s-like fragments): letters.
		return letterFinal(rune(w[len(w)-1]))
	}
	return englishFinal(w)
}

// englishFinal guesses the final sound of a lower-case English word as
// transcribed by the loanword rules. Final stops after a short vowel become
// 받침 (lab 랩, set 셋, rack 랙); after a long vowel or a consonant they get
// 으 and end in a vowel (node 노드, agent 에이전트, disk 디스크).
func englishFinal(w string) Final {
	n := len(w)
	last := rune(w[n-1])
	prev := rune(0)
	if n > 1 {
		prev = rune(w[n-2])
	}
	prev2 := rune(0)
	if n > 2 {
		prev2 = rune(w[n-3])
	}
	shortVowelBefore := prev != 0 && isLatinVowel(prev) && prev != 'y' && (prev2 == 0 || !isLatinVowel(prev2))
	switch last {
	case 'l':
		return Rieul // control 컨트롤, kubectl, label 레이블
	case 'm', 'n':
		return Consonant // system 시스템, toleration 톨러레이션
	case 'g':
		if prev == 'n' {
			return Consonant // monitoring 모니터링
		}
		return Vowel // log 로그, tag 태그
	case 'b', 'p':
		if isLatinVowel(prev) {
			return Consonant // dslab 랩, job 잡, group 그룹
		}
		return Vowel // bulb 벌브
	case 'k':
		if prev == 'c' || (isLatinVowel(prev) && prev != 'y') {
			return Consonant // stack 스택, book 북
		}
		return Vowel // disk 디스크, network 네트워크
	case 't':
		if shortVowelBefore || strings.HasSuffix(w, "out") {
			return Consonant // set 셋, kubelet 큐블릿, layout 레이아웃
		}
		return Vowel // agent 에이전트, host 호스트, root 루트
	case 'e':
		// Silent e: the consonant before it is the final sound.
		if n > 1 && isLatinConsonant(prev) {
			switch prev {
			case 'l':
				return Rieul // schedule 스케줄, table 테이블
			case 'm', 'n':
				return Consonant // name 네임, plane 플레인
			}
		}
		return Vowel // node 노드, cache 캐시, update 업데이트
	}
	return Vowel // r 어 (worker 워커), d 드, s 스, x 스, h, vowels …
}

// particleList holds the postpositions (조사) and copula endings (이다
// forms) dslab writes one space after a non-Hangul word by the house
// convention ("taints 는", "2026003 으로", "NotReady 이고"); see
// IsParticle.
const particleList = `은 는 이 가 을 를 와 과 로 으로 에 에서 에게 께 한테 의 도 만 까지 부터 처럼 보다
 마다 밖에 조차 만큼 뿐 랑 이랑 나 이나 든 이든 며 이며 고 이고 라고 이라고 라는 이라는 라면 이라면
 라서 이라서 란 이란 에는 에서는 에도 에서도 으로는 로는 으로도 로도 으로만 로만 에만 에서만 까지는
 부터는 과는 와는 과도 와도 이다 입니다 이었다 였다 이었습니다 였습니다 인 일 인지 인데 인가 이면
 이어야 여야 이어서 여서 이어도 여도 이에요 예요 이죠 이라 인가요 일까요 이므로 이니 이지만 에요
 으로서 로서 으로써 로써 에게서 까지도 부터도 만이 만을 만으로 이라도 라도 `

// IsParticle reports whether word, trailing punctuation (. , : ; ! ? ) ]
// quotes …) ignored, is a Korean particle or a form of the copula 이다 that
// dslab writes one space after the word it belongs to ("gpu-only 를",
// "(TUI 에서는", "NotReady 이고,"): a line must not break between the two
// (internal/render's wrapping keeps them together). The list is the
// particles of 표준국어대사전 that follow nouns, and the common forms of 이다.
func IsParticle(word string) bool {
	w := strings.TrimRightFunc(word, func(r rune) bool {
		return strings.ContainsRune(".,:;!?)]}'\"`」』…", r)
	})
	for _, p := range strings.Fields(particleList) {
		if w == p {
			return true
		}
	}
	return false
}
