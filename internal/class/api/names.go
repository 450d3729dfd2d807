package api

import (
	"strconv"
	"strings"
)

// NameSep joins a shared name (or shared initials) to what tells its
// students apart: "김민수·002", "김○○·2".
const NameSep = "·"

// DisplayNames is the one rule by which every class surface names the
// students of a board (the web board's grid, timeline, "최근 동작" and
// projector initials in assets/board/board.js, `dslab class watch`'s
// grid, detail line and event feed): one label per student of students,
// in order.
//
// With initials false a label is the student's name; students who share a
// name get NameSep and the shortest tail of their roster id (학번), at
// least 3 characters, that no other student of that name shares
// ("김민수·002", "최유진·c177d"), the whole id when no tail is unique.
// With initials true (projector mode, names hidden) a label is
// BoardStudent.Initials, and students who share initials get NameSep and
// their place among them in roster order ("김○○·1", "김○○·2"): no part of
// a name or a roster id is shown.
func DisplayNames(students []BoardStudent, initials bool) []string {
	base := make([]string, len(students))
	group := map[string][]int{}
	for i, s := range students {
		base[i] = s.Name
		if initials {
			base[i] = s.Initials
		}
		group[base[i]] = append(group[base[i]], i)
	}
	out := make([]string, len(students))
	for i := range students {
		g := group[base[i]]
		out[i] = base[i]
		if len(g) < 2 {
			continue
		}
		if initials {
			for k, j := range g {
				if j == i {
					out[i] += NameSep + strconv.Itoa(k+1)
				}
			}
			continue
		}
		out[i] += NameSep + uniqueTail(students, g, i)
	}
	return out
}

// uniqueTail is the shortest tail (at least 3 runes) of students[i]'s
// roster id that no other student of group ends with.
func uniqueTail(students []BoardStudent, group []int, i int) string {
	id := []rune(students[i].RosterID)
	tail := func(s string, n int) string {
		r := []rune(s)
		return string(r[max(0, len(r)-n):])
	}
	for n := 3; n < len(id); n++ {
		unique := true
		for _, j := range group {
			if j != i && tail(students[j].RosterID, n) == string(id[len(id)-n:]) {
				unique = false
				break
			}
		}
		if unique {
			return string(id[len(id)-n:])
		}
	}
	return string(id)
}

// ShellArg is s as one POSIX shell word, the one quoting of dslab: for a
// command the CLI suggests (issue 12: an unquoted two-word name split
// into two arguments) and for the scripts internal/lab writes and runs
// (the lab shell's kubectl wrapper and its --rcfile; they used an
// always-quoting copy). s itself when it is non-empty and only ASCII
// letters, digits and _ . : / @ % + = , - (none of which sh expands or
// splits on in an argument), else s in single quotes (a ' inside closes
// them, is escaped with a backslash and reopens them).
// TestShellArgRoundTrip runs sh on both kinds.
func ShellArg(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:/@%+=,-") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
