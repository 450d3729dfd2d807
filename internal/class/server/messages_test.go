package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/class/api"
)

// TestRefusalsNameTheFault (issue 12): an empty broadcast is told it is
// empty (not the 500-character limit), a too long one its length; an
// empty snapshot is told it is empty (not "읽을 수 있는 버전 1~1"), and a
// version this server cannot read names the one version it can.
func TestRefusalsNameTheFault(t *testing.T) {
	f := newFixture(t)
	errorOf := func(body []byte) string {
		var e api.Error
		json.Unmarshal(body, &e)
		return e.Error
	}
	for _, tc := range []struct {
		message   string
		want, not string
	}{
		{"", "공지(broadcast) 내용이 비어 있습니다", "500"},
		{"   ", "공지(broadcast) 내용이 비어 있습니다", "500"},
		{strings.Repeat("가", 501), "너무 깁니다: 501자, 500자까지", "비어"},
	} {
		code, body := f.command(f.instructor, api.CommandRequest{Kind: api.CommandBroadcast, Message: tc.message})
		if msg := errorOf(body); code != http.StatusBadRequest || !strings.Contains(msg, tc.want) || strings.Contains(msg, tc.not) {
			t.Errorf("broadcast of %d characters: %d %q, want %q without %q", len([]rune(tc.message)), code, msg, tc.want, tc.not)
		}
	}
	if code, body := f.command(f.instructor, api.CommandRequest{Kind: api.CommandBroadcast, Message: strings.Repeat("가", 500)}); code != http.StatusCreated {
		t.Errorf("broadcast of 500 characters: %d %s", code, body)
	}

	a := f.join("2026001", "machine-a1")
	for _, tc := range []struct {
		name      string
		snap      string
		want, not string
	}{
		{"{}", `{}`, "스냅숏이 비어 있습니다", "1~1"},
		{"null", `null`, "스냅숏이 비어 있습니다", "1~1"},
		{"a newer version", `{"version":9,"capturedAt":"2026-11-30T16:00:00Z","nodes":[{"name":"dslab-worker"}]}`, "(9, 읽을 수 있는 것은 버전 1)", "1~1"},
	} {
		code, body := f.do("POST", api.PathSubmissions, a.Token, submitBody("key-empty-snapshot-0001", "ds-basics", json.RawMessage(tc.snap), time.Now()))
		if msg := errorOf(body); code != http.StatusUnprocessableEntity || !strings.Contains(msg, tc.want) || strings.Contains(msg, tc.not) {
			t.Errorf("snapshot %s: %d %q, want %q without %q", tc.name, code, msg, tc.want, tc.not)
		}
	}
}
