// Package assets holds dslab's static files: the glamour styles used to
// render lessons.
package assets

import (
	"embed"
)

//go:embed glamour/*.json
var files embed.FS

// GlamourDark is the dslab glamour style (JSON) for colour terminals. It is
// based on glamour's "dark" style but leaves the body text in the terminal's
// own foreground colour so that it stays readable on light backgrounds too.
func GlamourDark() []byte { return mustRead("glamour/dslab.json") }

// GlamourPlain is the dslab glamour style (JSON) for output without any
// escape sequences (--plain): ASCII-only decorations, no emphasis markers.
func GlamourPlain() []byte { return mustRead("glamour/dslab-plain.json") }

func mustRead(name string) []byte {
	b, err := files.ReadFile(name)
	if err != nil {
		// The files are embedded at build time; a failure here is a build bug.
		panic("assets: " + err.Error())
	}
	return b
}
