package app

import (
	"testing"
)

func TestDarkBackground(t *testing.T) {
	for v, want := range map[string]bool{"": true, "15;0": true, "0;15": false, "0;7": false, "7;8": true, "0;default;15": false, "x;y": true, "12": true} {
		if got := darkBackground(func(string) string { return v }); got != want {
			t.Errorf("COLORFGBG=%q: dark %v, want %v", v, got, want)
		}
	}
}
