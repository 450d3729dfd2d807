// Package tui is dslab's terminal UI (bubbletea v1).
//
// Structure (after glow's ui/ui.go and soft-serve's pkg/ui/common):
//
//   - Model is the root model. It owns a *Common (terminal size, styles,
//     keymap, logger, paths, course, progress, markdown renderer) shared by
//     every screen, keeps the current screen in a state enum and routes
//     messages to it. It draws the header, the status bar and the one-line
//     help around the screen's body.
//   - Each screen is a concrete sub-model with
//     update(tea.Msg) (itsOwnType, tea.Cmd), view() string (exactly
//     Common.BodyHeight() lines are used) and helpKeys() bindings (for
//     bubbles/help). Screens ask the root to switch screens by returning
//     commands that produce messages (openLessonMsg, backMsg).
//   - Slow work runs in tea.Cmds returning typed messages: glamour renders
//     (lessonRenderedMsg, cached per lesson and width) and progress saves
//     (progressSavedMsg).
//   - Other packages talk to a running program with exported messages:
//     ClusterStatusMsg fills the cluster segment of the status bar and
//     NoticeMsg shows a one-line notice.
//
// Adding a screen (exercise panel, cluster panel, node map): add a state
// constant, a field of the new concrete type built in New from the same
// *Common, a case in Model.handleKey/Model.View/Model.screen routing to its
// update/view/helpKeys, a message that opens it, and a key in KeyMap.
//
// All layout is measured in terminal cells with lipgloss/x/ansi widths
// (Hangul is two cells). Lines are cut, never wrapped, so a wide line cannot
// shift the frame; below MinWidth x MinHeight only a Korean message is shown.
// Nothing but bubbletea writes to the terminal: logs go to Common.Logger.
package tui
