package tui

import "github.com/charmbracelet/bubbles/key"

// KeyMap is the one keymap of the TUI. Screens pick the bindings they use
// and list them for the help views.
type KeyMap struct {
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Top      key.Binding
	Bottom   key.Binding
	Prev     key.Binding
	Next     key.Binding
	Open     key.Binding
	Back     key.Binding
	Help     key.Binding
	Quit     key.Binding
}

// DefaultKeyMap returns dslab's key bindings.
func DefaultKeyMap() *KeyMap {
	return &KeyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "위로")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "아래로")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "b"), key.WithHelp("pgup/b", "이전 쪽")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", " ", "f"), key.WithHelp("pgdn/space", "다음 쪽")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g/home", "맨 위")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G/end", "맨 아래")),
		Prev:     key.NewBinding(key.WithKeys("left", "p"), key.WithHelp("←/p", "이전 강의")),
		Next:     key.NewBinding(key.WithKeys("right", "n"), key.WithHelp("→/n", "다음 강의")),
		Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "열기")),
		Back:     key.NewBinding(key.WithKeys("esc", "backspace"), key.WithHelp("esc", "목차로")),
		Help:     key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "도움말")),
		Quit:     key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "종료")),
	}
}

// bindings is a help.KeyMap built from explicit lists.
type bindings struct {
	short []key.Binding
	full  [][]key.Binding
}

func (b bindings) ShortHelp() []key.Binding  { return b.short }
func (b bindings) FullHelp() [][]key.Binding { return b.full }
