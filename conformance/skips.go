package conformance

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"strings"
)

// skip is one entry of skips.txt: specs whose full text matches re are not
// run, for the reason given in Korean and English.
type skip struct {
	re       *regexp.Regexp
	pattern  string
	reasonKO string
	reasonEN string
}

type skipList []skip

// loadSkips reads a reasons file: one entry per line,
//
//	<regex> | <한국어 이유> | <English reason>
//
// with '#' comments and blank lines ignored. Every entry must have both
// reasons (a skip without its reason is an error).
func loadSkips(path string) (skipList, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return parseSkips(bufio.NewScanner(f), path)
}

func parseSkips(sc *bufio.Scanner, name string) (skipList, error) {
	var list skipList
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, " | ")
		if len(parts) != 3 {
			return nil, fmt.Errorf("%s:%d: want `<regex> | <한국어 이유> | <English reason>`, got %q", name, n, line)
		}
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
			if parts[i] == "" {
				return nil, fmt.Errorf("%s:%d: empty field in %q", name, n, line)
			}
		}
		re, err := regexp.Compile(parts[0])
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, n, err)
		}
		list = append(list, skip{re: re, pattern: parts[0], reasonKO: parts[1], reasonEN: parts[2]})
	}
	return list, sc.Err()
}

// patterns returns the regexes for ginkgo's SkipStrings.
func (l skipList) patterns() []string {
	var out []string
	for _, s := range l {
		out = append(out, s.pattern)
	}
	return out
}

// reason returns the first entry matching fullText.
func (l skipList) reason(fullText string) (skip, bool) {
	for _, s := range l {
		if s.re.MatchString(fullText) {
			return s, true
		}
	}
	return skip{}, false
}
