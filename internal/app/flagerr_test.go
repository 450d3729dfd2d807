package app

import (
	"strings"
	"testing"
)

// Every kind of flag error reads Korean first (which flag, what is allowed
// or that it does not exist), keeps pflag's English only inside
// parentheses after it, exits 2, and keeps the suggestion for a mistyped
// flag.
func TestFlagErrorsAreKorean(t *testing.T) {
	cases := []struct {
		name  string
		args  []string
		want  []string // Korean parts, in order
		pflag string   // pflag's words, inside the parentheses
	}{
		{"invalid int", []string{"exercise", "show", "ds-basics", "--hint", "abc"},
			[]string{`--hint 플래그(flag)의 값 "abc" 는 쓸 수 없습니다: 정수 (예: --hint 2)`, "1~3"},
			`invalid argument "abc" for "--hint" flag`},
		{"invalid bool", []string{"grade", "--all=maybe"},
			[]string{`--all 플래그(flag)의 값 "maybe" 는 쓸 수 없습니다: true 또는 false`},
			`invalid argument "maybe" for "--all" flag`},
		{"missing value", []string{"grade", "ds-basics", "--output"},
			[]string{"--output(-o) 플래그(flag)에는 값이 있어야 합니다", "text, json, junit"},
			"flag needs an argument: --output"},
		{"missing value shorthand", []string{"grade", "ds-basics", "-o"},
			[]string{"--output(-o) 플래그(flag)에는 값이 있어야 합니다"},
			"flag needs an argument: 'o' in -o"},
		{"unknown flag with suggestion", []string{"grade", "--al"},
			[]string{"dslab grade 에는 --al 플래그(flag)가 없습니다", "혹시 --all 을 찾으셨나요?"},
			"unknown flag: --al"},
		{"unknown flag without suggestion", []string{"cluster", "up", "--nodes", "-1"},
			[]string{"dslab cluster up 에는 --nodes 플래그(flag)가 없습니다", "'dslab cluster up --help' 로 플래그 목록을 보세요"},
			"unknown flag: --nodes"},
		{"unknown shorthand", []string{"grade", "-z"},
			[]string{"dslab grade 에는 -z 플래그(flag)가 없습니다"},
			"unknown shorthand flag: 'z' in -z"},
		{"unknown enum value", []string{"grade", "--output", "xml"},
			[]string{`--output(-o) 플래그(flag)의 값 "xml" 은 쓸 수 없습니다: text, json, junit, csv 중 하나를 쓰세요`}, ""},
		{"unknown enum value progress", []string{"progress", "-o", "yaml"},
			[]string{`--output(-o) 플래그(flag)의 값 "yaml" 은 쓸 수 없습니다: text 또는 json 을 쓰세요`}, ""},
		{"hint out of range", []string{"exercise", "show", "ds-basics", "--hint", "9"},
			[]string{`--hint 플래그(flag)의 값 "9" 는 쓸 수 없습니다: 이 연습의 힌트는 1 부터 3 까지입니다`}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, c.args...)
			if code != ExitUsage || out != "" {
				t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
			}
			msg := strings.TrimPrefix(strings.TrimSpace(errOut), "오류: ")
			at := 0
			for _, w := range c.want {
				i := strings.Index(msg[at:], w)
				if i < 0 {
					t.Fatalf("stderr lacks %q (in order):\n%s", w, errOut)
				}
				at += i + len(w)
			}
			// English only inside the parentheses, after the Korean.
			english := []string{"invalid argument", "flag needs", "unknown flag", "unknown shorthand", "strconv"}
			if c.pflag != "" {
				open := strings.Index(msg, "("+c.pflag)
				if open < 0 {
					t.Fatalf("pflag's words %q not in parentheses:\n%s", c.pflag, errOut)
				}
				first := len(msg)
				for _, e := range english {
					if i := strings.Index(msg, e); i >= 0 {
						first = min(first, i)
					}
				}
				if first < open || !strings.HasPrefix(msg, "-") && !strings.HasPrefix(msg, "dslab") {
					t.Errorf("English before the Korean sentence:\n%s", errOut)
				}
			} else {
				for _, e := range english {
					if strings.Contains(msg, e) {
						t.Errorf("English %q in %s", e, errOut)
					}
				}
			}
			if strings.HasPrefix(msg, "잘못된 플래그(flag)입니다: unknown") || strings.HasPrefix(msg, "잘못된 플래그(flag)입니다: invalid") {
				t.Errorf("pflag's English right after the generic sentence:\n%s", errOut)
			}
		})
	}
}
