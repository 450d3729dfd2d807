package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/class/api"
)

// TestApproveParticleFollowsTheRosterID: the particle after the approve
// command in the refusals of a 학번 joined from another machine — the
// install line's check (GET join/check) and `class join` — is the one its
// last word, the 학번 read aloud, takes (issue 12: "approve 2026001 를",
// "approve 2026050 로"). Expected forms are written out by hand from the
// Sino-Korean reading of each number.
func TestApproveParticleFollowsTheRosterID(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		id, reading, eul, euro string
	}{
		{"2026050", "오십", "을", "으로"},
		{"2026010", "십", "을", "으로"},
		{"2026001", "일", "을", "로"},
		{"2026003", "삼", "을", "으로"},
		{"2026006", "육", "을", "으로"},
		{"2026007", "칠", "을", "로"},
		{"2026008", "팔", "을", "로"},
		{"2026002", "이", "를", "로"},
		{"2026009", "구", "를", "로"},
	} {
		f.join(tc.id, "machine-first-"+tc.id)
		var e api.Error
		code, body := f.do("GET", api.PathJoinCheck+"?"+url.Values{"code": {f.code}, "studentId": {tc.id}, "machineId": {"machine-other"}}.Encode(), "", nil)
		json.Unmarshal(body, &e)
		want := "강사에게 dslab class approve " + tc.id + " " + tc.eul + " 부탁한 뒤"
		if code != http.StatusConflict || !strings.Contains(e.Error, want) {
			t.Errorf("join check of %s (%s): %d %q, want %q", tc.id, tc.reading, code, e.Error, want)
		}
		code, body = f.do("POST", api.PathJoin, "", mustJSON(api.JoinRequest{Code: f.code, Name: "학생", StudentID: tc.id, MachineID: "machine-other"}))
		json.Unmarshal(body, &e)
		want = "강사가 dslab class approve " + tc.id + " " + tc.euro + " 승인한 뒤"
		if code != http.StatusConflict || !strings.Contains(e.Error, want) {
			t.Errorf("join of %s (%s): %d %q, want %q", tc.id, tc.reading, code, e.Error, want)
		}
	}
}
