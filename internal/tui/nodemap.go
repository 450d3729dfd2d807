package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/dslab-kr/dslab/internal/lab"
)

// The node map: a row per node with its role, the labels and taints that
// matter to the exercise, the DaemonSet's pod and its state, what the
// exercise expects there (✓/✗) and why. Every width is measured in cells
// (Hangul is two), so the columns line up whatever the node names.

const (
	roleControlPlane = "컨트롤 플레인"
	roleWorker       = "워커"
)

// mapMaxName caps the node name column.
const mapMaxName = 24

func expectText(e string) string {
	switch e {
	case lab.ExpectPod:
		return "파드 있음"
	case lab.ExpectNoPod:
		return "파드 없음"
	}
	return "-"
}

// mapTitle is the first line of the map: the DaemonSet, its counters and
// the freshness of the data; when they do not fit on one line the title is
// wrapped (never cut) and the freshness goes on a line of its own.
func mapTitle(st *Styles, l *Live, width int) []string {
	u := l.Update
	m := u.Map
	text := "노드 지도"
	switch {
	case m.Exists:
		text += fmt.Sprintf(" · 데몬셋 %s · 원하는 %d · 준비 %d", m.Target, m.Desired, m.Ready)
	case m.Target.Name != "":
		text += fmt.Sprintf(" · 데몬셋 %s (아직 없음)", m.Target)
	}
	var right string
	switch {
	case u.State != lab.StateConnected:
		word := l.downWord()
		if word == "" {
			word = "연결 끊김"
		}
		right = st.Warn.Render(word + " · 마지막으로 본 상태")
	case !u.At.IsZero():
		right = st.Dim.Render("갱신 " + u.At.Format("15:04:05"))
	}
	lines := wrapText(text, width)
	lines[0] = st.Section.Render("노드 지도") + strings.TrimPrefix(lines[0], "노드 지도")
	if right == "" {
		return lines
	}
	last := lines[len(lines)-1]
	if gap := width - ansi.StringWidth(last) - ansi.StringWidth(right); gap >= 2 {
		lines[len(lines)-1] = last + strings.Repeat(" ", gap) + right
		return lines
	}
	return append(lines, truncate(right, width))
}

// mapColumns are the widths of the first line of a node.
type mapColumns struct {
	name, role, pod, status, expect int
}

func layoutMap(rows []lab.NodeRow, width int) mapColumns {
	c := mapColumns{name: ansi.StringWidth("노드"), role: ansi.StringWidth(roleControlPlane), status: ansi.StringWidth("상태"), expect: ansi.StringWidth("파드 있음")}
	pod := ansi.StringWidth("파드")
	for _, r := range rows {
		c.name = max(c.name, ansi.StringWidth(r.Name))
		c.status = max(c.status, ansi.StringWidth(r.Status))
		pod = max(pod, ansi.StringWidth(r.Pod))
	}
	c.name = min(c.name, mapMaxName)
	c.status = min(c.status, 18)
	// mark(2) name ␣ role ␣ pod ␣ status ␣ expect
	fixed := 2 + c.name + 1 + c.role + 1 + 1 + c.status + 1 + c.expect
	if over := fixed + 4 - width; over > 0 {
		// A long status (ImagePullBackOff) goes on the detail line rather
		// than pushing the expectation off the row.
		shrink := min(over, c.status-4)
		c.status -= shrink
		fixed -= shrink
	}
	c.pod = max(min(pod, width-fixed), 4)
	return c
}

// podFits reports whether a pod name fits its column whole (else the row
// shows "↓" there and the name on the node's detail line).
func (c mapColumns) podFits(pod string) bool { return ansi.StringWidth(pod) <= c.pod }

// statusFits is podFits for the status column.
func (c mapColumns) statusFits(status string) bool { return ansi.StringWidth(status) <= c.status }

func (c mapColumns) line(mark, name, role, pod, status, expect string) string {
	return mark + padRight(name, c.name) + " " + padRight(role, c.role) + " " + padRight(pod, c.pod) + " " +
		padRight(status, c.status) + " " + padRight(expect, c.expect)
}

// nodeMapLines renders the map of u in width cells. Compact maps put the
// labels, taints and reason of a node on one line (cut at the width); full
// maps give the reason its own wrapped lines.
func nodeMapLines(st *Styles, l *Live, width int, compact bool) []string {
	u := l.Update
	if !u.Graded() && len(u.Map.Rows) == 0 {
		msg := "클러스터 상태를 기다리는 중입니다…"
		if u.State == lab.StateDisconnected {
			msg = "클러스터에 연결되면 노드마다 파드와 채점 결과가 여기에 보입니다."
		}
		return []string{st.Section.Render("노드 지도"), st.Dim.Render(truncate("  "+msg, width))}
	}
	rows := u.Map.Rows
	cols := layoutMap(rows, width)
	out := append(mapTitle(st, l, width), st.ColumnHeader.Render(truncate(cols.line("  ", "노드", "역할", "파드", "상태", "기대"), width)))
	stale := u.State != lab.StateConnected
	arrow := false // a "↓" in a row: the legend below says what it means
	for _, r := range rows {
		r.Reason = r.ReasonAt(l.ageNow()) // a pod's age grows between grades
		mark, markStyle := "· ", st.Dim
		switch {
		case r.Graded && r.OK:
			mark, markStyle = "✓ ", st.Good
		case r.Graded:
			mark, markStyle = "✗ ", st.Bad
		}
		if stale {
			markStyle = st.Dim
		}
		role := roleWorker
		if r.ControlPlane {
			role = roleControlPlane
		}
		pod, status := r.Pod, r.Status
		if pod == "" {
			pod, status = "-", "-"
		}
		name := r.Name
		if r.Missing {
			status = "노드 없음"
		} else if !r.NodeReady {
			role += "(NotReady)"
		}
		statusStyle := st.Row
		switch {
		case r.PodReady:
			statusStyle = st.Good
		case r.Pod != "":
			statusStyle = st.Warn
		}
		// A pod name too long for its column is not cut: it goes on the
		// detail line, the column points there.
		var more []string
		if !cols.podFits(pod) {
			// Named once: the reason below already names the pod
			// ("Ready 파드 … 가 실행 중입니다") — trainee trial at 80x24.
			if !strings.Contains(r.Reason, pod) {
				more = append(more, "파드 "+pod)
			}
			pod, arrow = "↓", true
		} else if r.Pod != "" {
			// The pod's column names it: the reason says "파드가", not
			// the name again.
			r.Reason = podNamedOnce(r.Reason, r.Pod)
		}
		if !cols.statusFits(status) {
			more, status, arrow = append(more, "상태 "+status), "↓", true
		}
		first := markStyle.Render(mark) + padRight(name, cols.name) + " " + st.Dim.Render(padRight(role, cols.role)) + " " +
			padRight(pod, cols.pod) + " " + statusStyle.Render(padRight(status, cols.status)) + " " + padRight(expectText(r.Expected), cols.expect)
		out = append(out, truncate(first, width))

		attrs := strings.Join(append(more, r.Attrs...), ", ")
		reasonStyle := st.Dim
		if r.Graded && !r.OK {
			reasonStyle = st.Error
		}
		if compact {
			// Labels, taints and the reason under the node, wrapped
			// whole: the reason is what the learner needs.
			text := attrs
			if attrs != "" && r.Reason != "" {
				text += " · "
			}
			text += r.Reason
			if text != "" {
				out = append(out, styleLines(reasonStyle, wrapHanging("    ", text, width))...)
			}
			continue
		}
		if attrs != "" {
			out = append(out, styleLines(st.Dim, wrapHanging("    ", attrs, width))...)
		}
		if r.Reason != "" {
			out = append(out, styleLines(reasonStyle, wrapHanging("    → ", r.Reason, width))...)
		}
	}
	if arrow {
		// The trainee trial at 160 columns saw "↓" alone in the 파드
		// column, meaning nothing.
		out = append(out, styleLines(st.Dim, wrapHanging("  ", MapArrowLegend, width))...)
	}
	return out
}

// MapArrowLegend is the node map's line under its rows when a pod name or
// status did not fit its column and the row shows "↓" there.
const MapArrowLegend = "↓ 칸에 다 들어가지 않는 파드 이름·상태는 그 노드 아래 줄에 있습니다"

// podNamedOnce drops the pod's name from a node's reason ("Ready 파드
// fluentd-x 가 실행 중입니다" → "Ready 파드가 실행 중입니다") when the map's
// pod column already shows it; the particle is the one after 파드 (가, 를,
// 는, 와, 로 …: 드 has no final consonant).
func podNamedOnce(reason, pod string) string {
	for _, p := range [][2]string{{"이", "가"}, {"가", "가"}, {"을", "를"}, {"를", "를"}, {"은", "는"}, {"는", "는"}, {"과", "와"}, {"와", "와"}, {"으로", "로"}, {"로", "로"}, {"의", "의"}} {
		reason = strings.ReplaceAll(reason, "파드 "+pod+" "+p[0]+" ", "파드"+p[1]+" ")
	}
	return strings.ReplaceAll(reason, "파드 "+pod, "파드")
}

// nodeMapModel is the full-screen node map of the open exercise.
type nodeMapModel struct {
	common *Common
	offset int
	// badge is the open exercise's state and score as its header shows
	// them (exerciseModel.standingBadge), set by the root model before
	// each update and view; passed styles it as a pass.
	badge  string
	passed bool
}

func newNodeMap(c *Common) nodeMapModel { return nodeMapModel{common: c} }

func (m nodeMapModel) lines() []string {
	c := m.common
	u := c.Live.Update
	lines := nodeMapLines(c.Styles, c.Live, c.Width, false)
	if u.Graded() && m.badge != "" {
		// One state and score with the exercise header (issue 14: "✗
		// 5/10점" here for an exercise only 시작함).
		verdict := c.Styles.Bad.Render(m.badge)
		if m.passed {
			verdict = c.Styles.Good.Render(m.badge)
		}
		// The note is prose: wrapped whole below the verdict when the line
		// is too narrow for both, never cut.
		const note = "(채점은 변경이 있을 때마다 저절로 다시 합니다)"
		lines = append(lines, "")
		if ansi.StringWidth(verdict)+2+ansi.StringWidth(note) <= c.Width {
			lines = append(lines, verdict+c.Styles.Dim.Render("  "+note))
		} else {
			lines = append(lines, verdict)
			lines = append(lines, styleLines(c.Styles.Dim, wrapText(note, c.Width))...)
		}
	}
	return lines
}

func (m nodeMapModel) update(msg tea.Msg) (nodeMapModel, tea.Cmd) {
	km := m.common.KeyMap
	if msg, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(msg, km.Up):
			m.offset--
		case key.Matches(msg, km.Down):
			m.offset++
		case key.Matches(msg, km.PageUp): // a page: the visible lines less one
			m.offset -= max(m.common.BodyHeight()-1, 1)
		case key.Matches(msg, km.PageDown):
			m.offset += max(m.common.BodyHeight()-1, 1)
		case key.Matches(msg, km.Top):
			m.offset = 0
		case key.Matches(msg, km.Bottom):
			m.offset = 1 << 20
		case key.Matches(msg, km.Back), key.Matches(msg, km.Map):
			return m, m.common.queue(switchMsg{to: stateExercise})
		}
	}
	m.offset = min(max(m.offset, 0), max(len(m.lines())-m.common.BodyHeight(), 0))
	return m, nil
}

func (m nodeMapModel) view() string {
	lines := m.lines()
	off := min(m.offset, max(len(lines)-m.common.BodyHeight(), 0))
	return fitLines(strings.Join(lines[off:], "\n"), m.common.Width, m.common.BodyHeight())
}

func (m nodeMapModel) helpKeys() bindings {
	km := m.common.KeyMap
	back := key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "연습으로"))
	return bindings{
		short: []key.Binding{km.Up, km.Down, back, km.Help, km.Quit},
		full:  [][]key.Binding{{km.Up, km.Down, km.PageUp, km.PageDown, km.Top, km.Bottom}, {back, km.Help, km.Quit}},
	}
}

// withBadge is nm with the open exercise's state and score, as the
// exercise header shows them, for the node map's last line (none when the
// map is of another exercise than the one open).
func (m Model) withBadge(nm nodeMapModel) nodeMapModel {
	nm.badge, nm.passed = "", false
	if m.exercise.loaded && m.common.Live.Update.Exercise == m.exercise.ex.ID {
		nm.badge, nm.passed = m.exercise.standingBadge()
	}
	return nm
}
