// Package render turns lesson markdown into terminal text with glamour and
// the dslab styles from assets/.
//
// Hangul is two cells wide. glamour wraps paragraphs with muesli/reflow, which
// measures with go-runewidth, while lipgloss (tables, the TUI layout) measures
// with charmbracelet/x/ansi. Call NarrowAmbiguousWidth once at start-up so
// that both agree even under a Korean locale (see its comment).
package render

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/charmbracelet/glamour"
	"github.com/charmbracelet/glamour/ansi"
	xansi "github.com/charmbracelet/x/ansi"
	"github.com/mattn/go-runewidth"
	"github.com/muesli/termenv"

	"github.com/dslab-kr/dslab/assets"
)

// Width limits accepted by Render. Below MinWidth glamour's margins and
// list indents leave no room for Korean text.
const (
	MinWidth = 20
	MaxWidth = 1000
)

// Options configure a Renderer.
type Options struct {
	// Plain selects the ASCII style and disables every escape sequence.
	Plain bool
	// Profile is the colour profile of the output (ignored when Plain).
	// The zero value is termenv.TrueColor; with termenv.Ascii the output
	// has no escape sequences (but the decorations of the colour style).
	Profile termenv.Profile
}

// Renderer renders markdown. It is immutable and safe for concurrent use:
// every call builds its own glamour TermRenderer (they are stateful).
type Renderer struct {
	styles  ansi.StyleConfig
	profile termenv.Profile
	plain   bool
}

// New parses the embedded style for opts.
func New(opts Options) (*Renderer, error) {
	raw := assets.GlamourDark()
	profile := opts.Profile
	if opts.Plain {
		raw = assets.GlamourPlain()
		profile = termenv.Ascii
	}
	var sc ansi.StyleConfig
	if err := json.Unmarshal(raw, &sc); err != nil {
		return nil, fmt.Errorf("render: parse glamour style: %w", err)
	}
	return &Renderer{styles: sc, profile: profile, plain: opts.Plain}, nil
}

// Plain reports whether r renders without escape sequences.
func (r *Renderer) Plain() bool { return r.plain }

// Profile is the colour profile r renders for.
func (r *Renderer) Profile() termenv.Profile { return r.profile }

// Render renders markdown to fit width terminal cells. Lines never exceed
// width cells (measured as lipgloss.Width does) unless a single word or code
// line is longer than the available width. Trailing blanks are trimmed from
// every line.
func (r *Renderer) Render(markdown string, width int) (string, error) {
	if width < MinWidth || width > MaxWidth {
		return "", fmt.Errorf("render: width %d out of range [%d, %d]", width, MinWidth, MaxWidth)
	}
	tr, err := glamour.NewTermRenderer(
		glamour.WithStyles(r.styles),
		glamour.WithColorProfile(r.profile),
		glamour.WithWordWrap(width),
		glamour.WithTableWrap(true),
		glamour.WithInlineTableLinks(true),
	)
	if err != nil {
		return "", fmt.Errorf("render: %w", err)
	}
	out, err := tr.Render(markdown)
	if err != nil {
		return "", fmt.Errorf("render: %w", err)
	}
	if r.profile == termenv.Ascii {
		// glamour still emits bold/italic sequences for the Ascii profile;
		// Ascii means no escape sequences at all.
		out = xansi.Strip(out)
	}
	return trimTrailingBlanks(out), nil
}

// trimTrailingBlanks removes spaces glamour pads lines with. Padding that
// sits inside an escape sequence (a background colour) is kept.
func trimTrailingBlanks(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// NarrowAmbiguousWidth makes go-runewidth treat East Asian "ambiguous"
// characters (│ • → … ·) as one cell wide, as x/ansi, lipgloss and almost
// every terminal emulator do. go-runewidth otherwise counts them as two cells
// when LANG/LC_ALL names a Korean locale (ko_KR.UTF-8), which makes glamour's
// wrapping and padding disagree with lipgloss and breaks borders and columns.
//
// It changes go-runewidth's process-wide default, so call it once at
// start-up before anything renders (app does, for the TUI and lessons show).
func NarrowAmbiguousWidth() {
	runewidth.EastAsianWidth = false
	if runewidth.DefaultCondition.EastAsianWidth {
		runewidth.DefaultCondition = runewidth.NewCondition()
		runewidth.DefaultCondition.EastAsianWidth = false
	}
}
