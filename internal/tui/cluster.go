package tui

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/dslab-kr/dslab/internal/cluster"
	"github.com/dslab-kr/dslab/internal/hangul"
	"github.com/dslab-kr/dslab/internal/lab"
)

// maxOpLog bounds the progress lines kept for the cluster panel.
const maxOpLog = 200

// clusterModel is the cluster panel: the runtime's status, the nodes and
// the start/stop actions with their live progress.
type clusterModel struct {
	common  *Common
	confirm bool // D was pressed once
	offset  int
	// ret is the screen esc returns to (the next steps name its keys).
	ret state
}

func newCluster(c *Common) clusterModel { return clusterModel{common: c} }

// startOp runs a cluster operation in the background.
func (m clusterModel) startOp(kind opKind) (clusterModel, tea.Cmd) {
	c := m.common
	if c.Lab == nil || c.Lab.Cluster == nil {
		return m, c.queue(NoticeMsg{Text: "이 실행에서는 클러스터를 다룰 수 없습니다"})
	}
	if c.Live.Op != opNone {
		return m, c.queue(NoticeMsg{Text: "클러스터 작업이 이미 진행 중입니다"})
	}
	ops, ctx := c.Lab.Cluster, c.Lab.ctx()
	c.Live.Op, c.Live.OpLog, c.Live.OpErr = kind, nil, nil
	c.Live.OpStarted = c.now()
	c.Live.OpNow = c.Live.OpStarted
	c.Logger.Info("cluster op", "op", kind)
	return m, tea.Batch(opTick(), runOp(kind, func(progress func(string)) (*cluster.Status, error) {
		switch kind {
		case opClusterUp:
			st, err := ops.Up(ctx, progress)
			return &st, err
		case opClusterStop, opClusterDelete:
			progress("클러스터를 멈추는 중입니다")
			if err := ops.Down(ctx, kind == opClusterStop); err != nil {
				return nil, err
			}
			sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
			defer cancel()
			st, err := ops.Status(sctx)
			if err != nil {
				return nil, nil
			}
			return &st, nil
		}
		return nil, nil
	}))
}

func (m clusterModel) update(msg tea.Msg) (clusterModel, tea.Cmd) {
	c := m.common
	km := c.KeyMap
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return m, nil
	}
	if m.confirm {
		m.confirm = false
		if key.Matches(k, km.Confirm) {
			return m.startOp(opClusterDelete)
		}
		return m, c.queue(NoticeMsg{Text: "삭제를 취소했습니다"})
	}
	switch {
	case key.Matches(k, km.ClusterUp):
		return m.startOp(opClusterUp)
	case key.Matches(k, km.ClusterStop):
		return m.startOp(opClusterStop)
	case key.Matches(k, km.ClusterDrop):
		if c.Live.Op != opNone {
			return m, c.queue(NoticeMsg{Text: "클러스터 작업이 이미 진행 중입니다 — 끝난 뒤 D 로 삭제합니다"})
		}
		m.confirm = true
		return m, nil
	case key.Matches(k, km.Confirm):
		// y answers D only: without one it says so (issue 14: no key
		// is silently ignored).
		return m, c.queue(NoticeMsg{Text: "y: 확인할 것이 없습니다 — 삭제는 D 를 누른 뒤 y 로 확인합니다"})
	case key.Matches(k, km.Up):
		m.offset--
	case key.Matches(k, km.Down):
		m.offset++
	case key.Matches(k, km.PageUp): // a page: the visible lines less one
		m.offset -= max(c.BodyHeight()-1, 1)
	case key.Matches(k, km.PageDown):
		m.offset += max(c.BodyHeight()-1, 1)
	case key.Matches(k, km.Top):
		m.offset = 0
	case key.Matches(k, km.Bottom):
		m.offset = 1 << 20
	case key.Matches(k, km.Back):
		return m, c.queue(clusterBackMsg{})
	}
	m.offset = min(max(m.offset, 0), m.maxOffset())
	return m, nil
}

// maxOffset is the largest scroll offset: the last line at the bottom.
func (m clusterModel) maxOffset() int {
	return max(len(m.lines())-m.common.BodyHeight(), 0)
}

// clusterBackMsg leaves the cluster panel.
type clusterBackMsg struct{}

func (m clusterModel) lines() []string {
	c := m.common
	st := c.Styles
	live := c.Live
	w := c.Width
	var out []string
	// A field's value is wrapped whole under itself (errors, paths).
	field := func(k, v string, style *lipgloss.Style) {
		for i, l := range wrapHanging(strings.Repeat(" ", 14), v, w) {
			l = strings.TrimPrefix(l, strings.Repeat(" ", 14))
			if style != nil {
				l = style.Render(l)
			}
			if i == 0 {
				out = append(out, "  "+st.Dim.Render(padRight(k, 12))+l)
				continue
			}
			out = append(out, strings.Repeat(" ", 14)+l)
		}
	}
	// A path breaks only after a "/".
	pathField := func(k, v string) {
		for i, l := range wrapPath(v, max(w-14, 1)) {
			if i == 0 {
				out = append(out, "  "+st.Dim.Render(padRight(k, 12))+l)
				continue
			}
			out = append(out, strings.Repeat(" ", 14)+l)
		}
	}
	s := live.Status
	name := cluster.DefaultName
	if live.HasStatus && s.Name != "" {
		name = s.Name // a cluster made with `dslab cluster up --name`
	}
	out = append(out, st.Section.Render("클러스터 "+name))
	switch {
	case c.Lab == nil || c.Lab.Cluster == nil:
		field("상태", "이 실행에서는 클러스터 기능을 쓸 수 없습니다", nil)
	case !live.HasStatus:
		field("상태", "확인하는 중…", nil)
	case live.StatusErr != nil:
		field("상태", "확인하지 못했습니다: "+live.StatusErr.Error(), &st.Error)
	default:
		field("런타임", orDash(s.Runtime), nil)
		var good *lipgloss.Style
		state := live.runtimeState()
		if state == cluster.StateRunning {
			good = &st.Good
		}
		switch live.Op {
		case opClusterStop:
			// At once: the runtime reports "running" until it has stopped.
			field("상태", "멈추는 중… (stopping)", &st.Warn)
		case opClusterDelete:
			field("상태", "지우는 중… (deleting)", &st.Warn)
		case opClusterUp:
			field("상태", "시작하는 중… (starting)", &st.Warn)
		default:
			if live.starting() {
				// Started in another terminal (or just up, the watcher
				// not connected yet): the status bar's word.
				field("상태", wordStarting+" (starting)", &st.Warn)
				break
			}
			if live.downWord() == wordStopping {
				// Stopped from another terminal: the API server is
				// shutting down while the runtime still says running.
				field("상태", wordStopping+" (stopping)", &st.Warn)
				break
			}
			field("상태", stateName(state)+" ("+string(state)+")", good)
		}
		if word := live.downWord(); s.Message != "" && word != wordStopping && word != wordStarting {
			// While it stops or starts, the runtime's message is the
			// refused connection of a server going away or not yet up.
			field("알림", tuiAdvice(s.Message, "u 로"), &st.Warn)
		}
		if s.Endpoint != "" {
			field("API 서버", s.Endpoint, nil)
		}
		if s.Context != "" {
			field("컨텍스트", s.Context, nil)
		}
		if s.Kubeconfig != "" {
			pathField("kubeconfig", s.Kubeconfig)
		}
	}
	u := live.Update
	stopping := live.Op == opClusterStop || live.Op == opClusterDelete
	switch {
	case stopping && u.State == lab.StateConnected:
		field("연결", "곧 끊깁니다 (클러스터를 멈추는 중)", &st.Warn)
	case u.State == lab.StateConnected:
		field("연결", fmt.Sprintf("연결됨 · 노드 %d/%d Ready · 컨텍스트 %s", u.ReadyNodes(), len(u.Nodes), u.Context), &st.Good)
	case u.State != lab.StateConnected && live.starting():
		// Starting: no "u 로 시작하세요" while it starts.
		field("연결", "연결 안 됨 — 클러스터가 준비되면 연결합니다", &st.Warn)
	case u.State == lab.StateDisconnected && live.downWord() == wordStopping:
		field("연결", "연결 안 됨 — 클러스터를 멈추는 중입니다", &st.Warn)
	case u.State == lab.StateDisconnected && live.stoppedOrAbsent():
		// The runtime's state says why; the watcher's last error (a
		// refused connection) is history.
		why := "클러스터가 없습니다"
		if s.State == cluster.StateStopped {
			why = "클러스터가 멈춰 있습니다 (" + stateName(s.State) + ")"
		}
		field("연결", "연결 안 됨 — "+why+". u 로 시작하세요", &st.Warn)
	case u.State == lab.StateDisconnected:
		field("연결", "연결 안 됨 — "+tuiAdvice(u.Problem, "u 로"), &st.Warn)
	default:
		field("연결", "연결하는 중…", nil)
	}

	if u.State == lab.StateConnected && len(u.Nodes) > 0 {
		out = append(out, "", st.Section.Render("노드"))
		nw := len("NAME")
		for _, n := range u.Nodes {
			nw = max(nw, len(n.Name))
		}
		out = append(out, st.ColumnHeader.Render(truncate("  "+padRight("이름", nw)+"  "+padRight("상태", 9)+"  "+padRight("역할", 13)+"  레이블 · 테인트", w)))
		for _, n := range u.Nodes {
			ready := st.Good.Render(padRight("Ready", 9))
			if !n.Ready {
				ready = st.Bad.Render(padRight("NotReady", 9))
			}
			role := roleWorker
			if _, ok := n.Labels[cluster.LabelControlPlane]; ok {
				role = roleControlPlane
			}
			var attrs []string
			for k, v := range n.Labels {
				if !strings.HasPrefix(k, "kubernetes.io/") && !strings.HasPrefix(k, "beta.kubernetes.io/") && !strings.HasPrefix(k, "node-role.kubernetes.io/") {
					attrs = append(attrs, k+"="+v)
				}
			}
			sort.Strings(attrs)
			for _, t := range n.Taints {
				attrs = append(attrs, t.Key+":"+string(t.Effect))
			}
			// Labels and taints wrap under their column (never cut).
			lead := "  " + padRight(n.Name, nw) + "  " + ready + "  " + padRight(role, 13) + "  "
			pad := strings.Repeat(" ", 2+nw+2+9+2+13+2)
			attrText := orDash(strings.Join(attrs, ", "))
			widest := 0
			for _, a := range attrs {
				widest = max(widest, ansi.StringWidth(a)+1)
			}
			if w-len(pad) < max(widest, 16) {
				// The column is too narrow for a label: they go under the
				// row, wrapped over the whole width.
				out = append(out, lead+st.Dim.Render("↓"))
				out = append(out, styleLines(st.Dim, wrapHanging("    ", attrText, w))...)
				continue
			}
			for i, l := range wrapHanging(pad, attrText, w) {
				l = st.Dim.Render(strings.TrimPrefix(l, pad))
				if i == 0 {
					out = append(out, truncate(lead+l, w))
					continue
				}
				out = append(out, truncate(pad+l, w))
			}
		}
	}

	out = append(out, "")
	switch {
	case m.confirm:
		out = append(out, styleLines(st.Error, wrapText("클러스터와 그 데이터(연습 준비 상태 포함)를 지웁니다. y 를 누르면 삭제, 다른 키는 취소.", w))...)
	case live.Op == opClusterUp:
		out = append(out, st.Warn.Render("클러스터를 시작하는 중…"))
	case live.Op == opClusterStop || live.Op == opClusterDelete:
		out = append(out, st.Warn.Render("클러스터를 멈추는 중…"))
	case live.OpErr != nil:
		out = append(out, st.Error.Render("마지막 작업이 실패했습니다:"))
		out = append(out, styleLines(st.Error, wrapHanging("  ", live.OpErr.Error(), w))...)
	case live.Connected():
		// What to do next is at the top (visible even at 60×12).
		next := styleLines(st.Good, wrapText("클러스터가 실행 중입니다. 다음 할 일:", w))
		for _, l := range m.nextSteps() {
			next = append(next, wrapHanging("  · ", l, w)...)
		}
		out = append(append(out[:1:1], next...), append([]string{""}, out[1:]...)...)
		out = append(out, styleLines(st.Dim, wrapText("d: 멈춤(데이터 보존, u 로 다시 시작) · D: 삭제", w))...)
	default:
		hint := "u 로 클러스터를 시작합니다 (런타임 자동 선택: Docker 가 있으면 kind, 없으면 embedded)."
		if live.HasStatus && live.StatusErr == nil && s.State == cluster.StateStopped && s.Runtime != "" {
			// An existing cluster comes up where it lives (cluster.Selector.Up).
			hint = fmt.Sprintf("u 로 멈춰 둔 %s 클러스터 %s %s 다시 시작합니다 (노드와 연습 준비 상태는 그대로입니다).", s.Runtime, name, hangul.EulReul(name))
		}
		out = append(out, styleLines(st.Dim, wrapText(hint, w))...)
	}
	if len(live.OpLog) > 0 || live.Op != opNone {
		out = append(out, "", st.Section.Render("진행"))
		for _, l := range live.OpLog {
			text := l.text
			style := st.Row
			if strings.HasPrefix(text, "알림") || strings.HasPrefix(text, "경고") {
				style = st.Warn
			}
			prefix := fmt.Sprintf("  [%5.1fs] ", l.at.Seconds())
			pad := strings.Repeat(" ", len(prefix))
			for i, part := range wrapHanging(pad, text, w) {
				part = strings.TrimPrefix(part, pad)
				if i == 0 {
					out = append(out, st.Dim.Render(prefix)+style.Render(part))
					continue
				}
				out = append(out, pad+style.Render(part))
			}
		}
		if live.Op != opNone {
			// The step under way: seconds since the last line, so a long
			// step is visibly alive.
			since := max(live.OpNow.Sub(live.OpStarted), 0)
			var last time.Duration
			var step string
			if n := len(live.OpLog); n > 0 {
				last, step = live.OpLog[n-1].at, live.OpLog[n-1].text
			}
			if wait := since - last; wait >= time.Second {
				prefix := fmt.Sprintf("  [%5.1fs] ", since.Seconds())
				// One clock: the same elapsed time as the lines above (not a
				// second count from the last line). It names the step it
				// waits for, in the CLI's words (cluster.Waiting): a long
				// step is not a bare "… 진행 중" (issue 14).
				pad := strings.Repeat(" ", len(prefix))
				for i, part := range wrapHanging(pad, cluster.Waiting(step), w) {
					if i == 0 {
						part = prefix + strings.TrimPrefix(part, pad)
					}
					out = append(out, st.Dim.Render(part))
				}
			}
		}
	}
	return out
}

// nextSteps say what to do once the cluster is ready, with the keys that
// do it from where the learner came.
func (m clusterModel) nextSteps() []string {
	if m.ret == stateExercise {
		return []string{
			"esc 로 연습으로 돌아가면 채점이 바로 이어집니다.",
			// e and s are the exercise screen's keys: said as such
			// (issue 14: every key a screen's text names works there).
			"연습 화면에서 e 로 작업 파일을 편집하고 저장하면 적용됩니다 · s 로 셸(kubectl)을 엽니다.",
		}
	}
	return []string{
		"esc 로 돌아가 목차나 강의에서 x 로 그 강의의 연습을 엽니다 (o: 진행 현황에서 골라도 됩니다).",
		"연습을 처음 열면 클러스터를 그 연습에 맞게 저절로 준비합니다.",
	}
}

func (m clusterModel) view() string {
	lines := m.lines()
	h := m.common.BodyHeight()
	// Follow the end of the progress while an operation runs.
	off := m.offset
	if m.common.Live.Op != opNone {
		off = len(lines)
	}
	off = min(off, max(len(lines)-h, 0))
	return fitLines(strings.Join(lines[off:], "\n"), m.common.Width, h)
}

func (m clusterModel) helpKeys() bindings {
	km := m.common.KeyMap
	back := key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "뒤로"))
	return bindings{
		short: []key.Binding{km.ClusterUp, km.ClusterStop, km.ClusterDrop, back, km.Help, km.Quit},
		full:  [][]key.Binding{{km.ClusterUp, km.ClusterStop, km.ClusterDrop, km.Confirm}, {km.Up, km.Down, km.PageUp, km.PageDown, km.Top, km.Bottom}, {back, km.Help, km.Quit}},
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// wrapPath wraps a file path to width display cells, breaking only after a
// "/" (a single name longer than width is cut by cells, the last resort).
func wrapPath(p string, width int) []string {
	var parts []string
	for rest := p; rest != ""; {
		i := strings.Index(rest, "/")
		if i < 0 {
			parts = append(parts, rest)
			break
		}
		parts = append(parts, rest[:i+1])
		rest = rest[i+1:]
	}
	var out []string
	line := ""
	for _, part := range parts {
		if line != "" && ansi.StringWidth(line+part) > width {
			out = append(out, line)
			line = ""
		}
		for ansi.StringWidth(part) > width {
			cut := ansi.Truncate(part, width, "")
			out = append(out, cut)
			part = part[len(cut):]
		}
		line += part
	}
	if line != "" || len(out) == 0 {
		out = append(out, line)
	}
	return out
}
