package assets

import (
	"embed"
	"io/fs"
)

//go:embed board
var board embed.FS

// Board is the class server's web board (index.html, board.js, board.css):
// plain HTML, CSS and JavaScript, no build step.
func Board() fs.FS {
	sub, err := fs.Sub(board, "board")
	if err != nil {
		panic("assets: " + err.Error()) // embedded at build time
	}
	return sub
}
