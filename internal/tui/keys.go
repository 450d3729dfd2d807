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
	Answers  key.Binding // reader: unfold/fold quiz answers

	// Lab.
	Exercise key.Binding
	Cluster  key.Binding
	Summary  key.Binding
	Hint     key.Binding
	Shell    key.Binding
	Edit     key.Binding
	Apply    key.Binding
	Reset    key.Binding
	// Prepare prepares the cluster for the open exercise again when it is
	// not prepared for it (never started here, or prepared for another
	// exercise since), keeping the work file: one key, not r r.
	Prepare      key.Binding
	Map          key.Binding
	Lesson       key.Binding
	NextExercise key.Binding
	ClusterUp    key.Binding
	ClusterStop  key.Binding
	ClusterDrop  key.Binding
	Confirm      key.Binding
	// ClassNotes goes on to the next class line (the instructor's
	// notices, class_status.go) and opens them again when none is shown.
	ClassNotes key.Binding
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
		Answers:  key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "정답 보기")),

		Exercise:     key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "연습")),
		Cluster:      key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "클러스터")),
		Summary:      key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "진행 현황")),
		Hint:         key.NewBinding(key.WithKeys("h"), key.WithHelp("h", "힌트")),
		Shell:        key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "셸")),
		Edit:         key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "편집·적용")),
		Apply:        key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "다시 적용")),
		Reset:        key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "처음부터")),
		Prepare:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "이 연습에 맞게 준비(작업 파일 유지)")),
		Map:          key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "노드 지도")),
		Lesson:       key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "강의")),
		NextExercise: key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "다음 연습")),
		ClusterUp:    key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "시작")),
		ClusterStop:  key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "멈춤(데이터 보존)")),
		ClusterDrop:  key.NewBinding(key.WithKeys("D"), key.WithHelp("D", "삭제")),
		Confirm:      key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "확인")),
		ClassNotes:   key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "수업 공지")),
	}
}

// bindings is a help.KeyMap built from explicit lists.
type bindings struct {
	short []key.Binding
	full  [][]key.Binding
}

func (b bindings) ShortHelp() []key.Binding  { return b.short }
func (b bindings) FullHelp() [][]key.Binding { return b.full }
