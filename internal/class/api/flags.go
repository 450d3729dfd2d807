package api

import "strings"

// FlagLabels are the Korean words for the submission flags the server and
// the store set (server.Flag…, store.Flag…; docs/class.md "표시"). It is the
// one table: `dslab class submit`, `class status` and `class watch` use it,
// and the web board's FLAGS in assets/board/board.js must equal it
// (TestBoardFlagLabelsMatchAPI).
var FlagLabels = map[string]string{
	"clock-skew":             "시계 어긋남",
	"copied-daemonset":       "같은 데몬셋 UID",
	"copied-cluster":         "같은 클러스터",
	"late":                   "마감 후 제출",
	"pod-unknown-node":       "없는 노드의 파드",
	"pods-without-ds":        "주인 없는 파드",
	"before-baseline":        "시작 전 스냅숏",
	"captured-future":        "미래 시각 스냅숏",
	"baseline-mismatch":      "다른 연습의 기준",
	"node-not-in-cluster":    "다른 클러스터의 노드",
	"times-inconsistent":     "시각이 맞지 않음",
	"ds-status-without-pods": "파드 없는 데몬셋 상태",
	"solution-viewed":        "참고 답안 봄",
}

// FlagText is the Korean word of a flag (the code itself when unknown).
func FlagText(flag string) string {
	if l, ok := FlagLabels[flag]; ok {
		return l
	}
	return flag
}

// FlagsText is flags in Korean, separated by ", ".
func FlagsText(flags []string) string {
	out := make([]string, len(flags))
	for i, f := range flags {
		out[i] = FlagText(f)
	}
	return strings.Join(out, ", ")
}
