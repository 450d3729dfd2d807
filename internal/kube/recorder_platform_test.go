package kube

import (
	"errors"
	"strings"
	"testing"
	"unicode"
)

func TestRecorderWindowsUnsupportedIsKoreanAndNamesWSL2(t *testing.T) {
	err := RecorderWindowsUnsupported()
	if !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("does not wrap errors.ErrUnsupported: %v", err)
	}
	msg := err.Error()
	hangul := 0
	for _, r := range msg {
		if unicode.Is(unicode.Hangul, r) {
			hangul++
		}
	}
	if hangul < 20 {
		t.Errorf("message is not Korean (%d Hangul runes): %q", hangul, msg)
	}
	for _, want := range []string{"WSL2", "kind", "Windows", "(rollout recorder)"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message does not name %q: %q", want, msg)
		}
	}
}
