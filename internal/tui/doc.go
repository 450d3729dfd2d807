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
//   - With Options.Lab the lab screens are on: the exercise panel
//     (exercise.go: task, hints, live grade, pinned node map, the lesson
//     beside it from 160 columns; e edits and applies on save, s opens the
//     lab shell — both with tea.ExecProcess — r resets), the full-screen node
//     map (nodemap.go), the cluster panel (cluster.go: start/stop with live
//     progress) and the progress summary (summary.go). x, c and o open them
//     from anywhere (root_lab.go).
//   - Live data comes from internal/lab's Watcher: a tea.Cmd waits on its
//     Updates channel (labUpdateMsg) and is re-issued after each update; the
//     latest update, the runtime's status and the running cluster operation
//     are kept in Common.Live for every screen to read. Long operations
//     (cluster up/down, exercise start) run in goroutines whose progress
//     lines arrive as opEventMsgs. A pass is recorded in progress.json
//     (lab.RecordGrade) wherever the learner is.
//
// Adding a screen: add a state constant, a field of the new concrete type
// built in New from the same *Common, a case in Model.handleKey/Model.View/
// Model.screen routing to its update/view/helpKeys, a message that opens
// it, and a key in KeyMap.
//
// All layout is measured in terminal cells with lipgloss/x/ansi widths
// (Hangul is two cells). Lines are cut, never wrapped, so a wide line cannot
// shift the frame; below MinWidth x MinHeight only a Korean message is shown.
// Nothing but bubbletea writes to the terminal: logs go to Common.Logger.
package tui
