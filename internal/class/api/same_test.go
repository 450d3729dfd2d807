package api

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestSameSnapshot(t *testing.T) {
	base := `{"version":1,"capturedAt":"2026-11-30T16:00:00Z","nodes":[{"name":"dslab-worker","labels":{"a":"1","b":"2"},"ready":true}],"hintsUsed":1}`
	for _, tc := range []struct {
		name string
		b    string
		same bool
	}{
		{"identical", base, true},
		{"only capturedAt differs", `{"version":1,"capturedAt":"2026-11-30T16:05:00Z","nodes":[{"name":"dslab-worker","labels":{"a":"1","b":"2"},"ready":true}],"hintsUsed":1}`, true},
		{"key order and whitespace", `{ "hintsUsed": 1, "nodes": [ {"ready": true, "labels": {"b":"2","a":"1"}, "name": "dslab-worker"} ], "version": 1, "capturedAt": "2026-11-30T17:00:00Z" }`, true},
		{"a label changed", `{"version":1,"capturedAt":"2026-11-30T16:00:00Z","nodes":[{"name":"dslab-worker","labels":{"a":"1","b":"3"},"ready":true}],"hintsUsed":1}`, false},
		{"a node not ready", `{"version":1,"capturedAt":"2026-11-30T16:00:00Z","nodes":[{"name":"dslab-worker","labels":{"a":"1","b":"2"},"ready":false}],"hintsUsed":1}`, false},
		{"a hint more opened", `{"version":1,"capturedAt":"2026-11-30T16:00:00Z","nodes":[{"name":"dslab-worker","labels":{"a":"1","b":"2"},"ready":true}],"hintsUsed":2}`, false},
		{"hints not said", `{"version":1,"capturedAt":"2026-11-30T16:00:00Z","nodes":[{"name":"dslab-worker","labels":{"a":"1","b":"2"},"ready":true}]}`, false},
		{"not an object", `null`, false},
		{"not JSON", `{`, false},
	} {
		if got := SameSnapshot(json.RawMessage(base), json.RawMessage(tc.b)); got != tc.same {
			t.Errorf("%s: SameSnapshot = %v, want %v", tc.name, got, tc.same)
		}
	}
	// Large integers stay exact (no float64 rounding makes two differ-by-one
	// generations equal).
	if SameSnapshot(json.RawMessage(`{"g":9007199254740993}`), json.RawMessage(`{"g":9007199254740992}`)) {
		t.Error("9007199254740993 and 9007199254740992 compared equal")
	}
}

func TestAfterCommand(t *testing.T) {
	eul := func(w string) string { // 을/를 by the last character, enough for these words
		if strings.HasSuffix(strings.Trim(w, "'"), "수") {
			return "를"
		}
		return "을"
	}
	for cmd, want := range map[string]string{
		"dslab class approve 2026050": "dslab class approve 2026050 을",
		"dslab class approve '김 민수'":  "dslab class approve '김 민수' 를",
		"":                            "",
	} {
		if got := AfterCommand(cmd, eul); got != want {
			t.Errorf("AfterCommand(%q) = %q, want %q", cmd, got, want)
		}
	}
}
