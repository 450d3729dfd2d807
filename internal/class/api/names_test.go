package api

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestShellArgRoundTrip: every value, quoted by ShellArg and run by sh as
// an argument (as the lab's kubectl wrapper runs its executable's path),
// arrives as exactly that one word; plain paths and ids stay unquoted.
func TestShellArgRoundTrip(t *testing.T) {
	for _, s := range []string{"/usr/local/bin/dslab", "2026001", "a=b", "x,y:z@h%2+1", "-n", "",
		"/opt/dslab's/dslab", "남궁 알렉산드라", "$HOME", "`id`", "a b", "*", "~", "{a,b}", "a;b", "a\nb", `"q"`, "a\\b", "!x"} {
		arg := ShellArg(s)
		out, err := exec.Command("sh", "-c", `for a in `+arg+`; do printf '[%s]' "$a"; done`).Output()
		if err != nil {
			t.Fatalf("sh with %q: %v", arg, err)
		}
		if got := string(out); got != "["+s+"]" {
			t.Errorf("ShellArg(%q) = %s, sh gives %q", s, arg, got)
		}
	}
	for _, plain := range []string{"/usr/local/bin/dslab", "2026001", "http://10.0.0.1:7070"} {
		if ShellArg(plain) != plain || strings.Contains(ShellArg(plain), "'") {
			t.Errorf("ShellArg(%q) = %s, want it bare", plain, ShellArg(plain))
		}
	}
}

// TestDisplayNames: two 김민수 are told apart by the shortest unique tail
// of their 학번, a unique name stays bare; with initials, 김민수 and 김민지
// (both 김○○) are numbered in roster order and no id shows.
func TestDisplayNames(t *testing.T) {
	students := []BoardStudent{
		{RosterID: "2026002", Name: "김민수", Initials: "김○○"},
		{RosterID: "2026102", Name: "김민수", Initials: "김○○"},
		{RosterID: "2026003", Name: "이서연", Initials: "이○○"},
		{RosterID: "2026004", Name: "김민지", Initials: "김○○"},
		{RosterID: "auto-6d1c177d", Name: "최유진", Initials: "최○○"},
		{RosterID: "auto-9ab3177d", Name: "최유진", Initials: "최○○"},
	}
	if got, want := DisplayNames(students, false), []string{"김민수·002", "김민수·102", "이서연", "김민지", "최유진·c177d", "최유진·3177d"}; !slices.Equal(got, want) {
		t.Errorf("names %q, want %q", got, want)
	}
	if got, want := DisplayNames(students, true), []string{"김○○·1", "김○○·2", "이○○", "김○○·3", "최○○·1", "최○○·2"}; !slices.Equal(got, want) {
		t.Errorf("initials %q, want %q", got, want)
	}
	// A roster id that is a tail of another: the whole id.
	if got := DisplayNames([]BoardStudent{{RosterID: "12345", Name: "a"}, {RosterID: "2345", Name: "a"}}, false); got[1] != "a·2345" || got[0] != "a·12345" {
		t.Errorf("suffix ids %q", got)
	}
}
