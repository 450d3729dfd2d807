// dslab class board: plain JavaScript, no build step. The instructor token
// arrives in the URL fragment (#token=…; fragments never reach the server or
// its logs), is exchanged once for an HttpOnly cookie, and removed from the
// address bar. Updates come as server-sent events; on each one the board
// re-reads its state. EventSource reconnects by itself with Last-Event-ID.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const STATUS = {
    "passed": ["✔", "통과"], "failed": ["✘", "진행 중"], "not-started": ["○", "시작 전"], "in-progress": ["…", "진행 중"],
  };
  // NOT_STARTED_NOTE is api.NotStartedNote (TestBoardStatusMarksMatchAPI).
  const NOT_STARTED_NOTE = "○ 시작 전 (연습을 열었음 / 초기화함)";
  const FLAGS = {
    "clock-skew": "시계 어긋남", "copied-daemonset": "같은 데몬셋 UID", "copied-cluster": "같은 클러스터",
    "late": "마감 후 제출", "pod-unknown-node": "없는 노드의 파드", "pods-without-ds": "주인 없는 파드",
    "before-baseline": "시작 전 스냅숏", "captured-future": "미래 시각 스냅숏", "baseline-mismatch": "다른 연습의 기준",
    "node-not-in-cluster": "다른 클러스터의 노드", "times-inconsistent": "시각이 맞지 않음", "ds-status-without-pods": "파드 없는 데몬셋 상태",
    "solution-viewed": "참고 답안 봄",
  };
  // api.CommandLabels (TestBoardCommandLabelsMatchAPI): symbols only from
  // the fonts board.css names (‖, not the emoji U+23F8 that Chromium without an emoji font shows as a box).
  const COMMANDS = {
    "broadcast": "공지", "unlock-hint": "힌트 열기", "reset-exercise": "↺ 연습 초기화",
    "freeze": "‖ 제출 마감", "unfreeze": "▶ 마감 풀기", "regrade": "⟳ 다시 채점",
    "close-join": "참가 닫기", "open-join": "참가 열기", "remove-student": "학생 빼기",
  };
  const KINDS = ["class-created", "class-changed", "joined", "submitted", "regraded", "flagged", "rejoin-approved", "student-removed", "command"];
  const NAME_MODES = ["full", "initials", "hidden"];
  const NAME_LABEL = { full: "이름: 전체", initials: "이름: 이니셜", hidden: "이름: 숨김" };
  // fetchedAt: Date.now() when state was read; the server's now is
  // state.now plus the time since (the laptop's clock may be off).
  let fetchedAt = 0;
  const STUCK_TICK_MS = 15000;
  let state = null, nameMode = "full", selected = null, es = null, pending = null;
  // autoInitials: projector mode turned full names into initials by
  // itself; leaving it turns them back (issue 12: initials stuck).
  let autoInitials = false;
  // labels: roster id → the student's label in the current name mode
  // (displayNames), set by render.
  let labels = new Map();
  let authed = false;
  // triedToken: a token was given (#token= or the prompt) or the board was
  // open before; only then is a 401 an error to show. A board opened
  // without a token just asks for one (issue 12).
  let triedToken = false;
  // One board read at a time: events during a read ask for one more read
  // after it (a big class under load must not pile reads up).
  let reading = false, again = false;

  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") e.className = v; else if (k === "text") e.textContent = v; else e.setAttribute(k, v === true ? "" : v);
    }
    for (const k of kids) if (k !== null && k !== undefined) e.append(k);
    return e;
  }
  // hhmm is a time as 24-hour HH:MM: one word that never wraps (issue 12:
  // the locale's "오후 11:26" broke as "오 / 후 11:26" in a cell).
  const pad2 = (n) => String(n).padStart(2, "0");
  const hhmm = (t) => { const d = new Date(t); return isNaN(d) || d.getFullYear() < 2000 ? "" : pad2(d.getHours()) + ":" + pad2(d.getMinutes()); };
  // hhmmss is a time as 24-hour HH:MM:SS, what a tooltip shows (issue 12:
  // minutes only could not tell two submissions of one minute apart).
  const hhmmss = (t) => { const h = hhmm(t); return h && h + ":" + pad2(new Date(t).getSeconds()); };
  // timeSpan is hhmm in a span that never wraps (board.css .t), the
  // server's receive time to the second in its tooltip.
  const timeSpan = (t) => { const s = el("span", { class: "t", text: hhmm(t) }); if (hhmm(t)) s.title = "서버가 받은 시각 " + hhmmss(t); return s; };
  // LATE_RECEIVE_MS is how much later than its capture a submission must
  // be received for the tooltip to name both times (as class watch's
  // "(서버가 받은 시각 …)"): more than a live send takes.
  const LATE_RECEIVE_MS = 10000;
  // capturedSpan is a submission's time as the student's lab captured it
  // (what the student's own status shows); its tooltip gives it to the
  // second, and the server's receive time too when that was more than
  // LATE_RECEIVE_MS later (issue 12: after an outage the board showed
  // only the receive time); the receive time alone from an older server.
  const capturedSpan = (captured, received) => {
    if (!hhmm(captured)) return timeSpan(received);
    const s = el("span", { class: "t", text: hhmm(captured) });
    s.title = "스냅숏을 캡처한 시각 " + hhmmss(captured);
    if (hhmm(received) && new Date(received) - new Date(captured) > LATE_RECEIVE_MS) s.title += " · 서버가 받은 시각 " + hhmmss(received);
    return s;
  };
  // displayNames is api.DisplayNames (internal/class/api/names.go) with
  // initials false, the naming rule of every class surface: a name, and
  // for students who share it "·" and the shortest unique tail (≥ 3) of the
  // 학번 (김민수·002).
  function displayNames(students) {
    const base = students.map((s) => s.name);
    const group = new Map();
    base.forEach((b, i) => { if (!group.has(b)) group.set(b, []); group.get(b).push(i); });
    const tail = (id, n) => { const r = [...id]; return r.slice(Math.max(0, r.length - n)).join(""); };
    return students.map((s, i) => {
      const g = group.get(base[i]);
      if (g.length < 2) return base[i];
      const id = [...s.rosterId];
      for (let n = 3; n < id.length; n++) {
        const t = tail(s.rosterId, n);
        if (g.every((j) => j === i || tail(students[j].rosterId, n) !== t)) return base[i] + "·" + t;
      }
      return base[i] + "·" + s.rosterId;
    });
  }
  // studentLabels is api.BoardLabels (internal/class/api/labels.go): every
  // student has a number (studentNo: assigned at join, never reused), and
  // that number is the student's identifier in every name mode (issue 12: the projector's
  // 김○○·1 was not findable among the board's 김민수·002): "12 김민수·002"
  // (full), "12 김○○" (initials: the number tells equal initials apart),
  // "학생 12" (hidden).
  // studentNo is api.StudentNo: the student's own number (s.no, so a
  // removal renumbers no one); its place from an older server.
  const studentNo = (s, i) => s.no || i + 1;
  function studentLabels(students) {
    const names = nameMode === "full" ? displayNames(students) : null;
    return students.map((s, i) => nameMode === "hidden" ? "학생 " + studentNo(s, i) : studentNo(s, i) + " " + (names ? names[i] : s.initials));
  }
  function who(s, i) {
    return labels.get(s.rosterId) || s.name;
  }
  // whoNode is who(s, i) with the number in bold.
  function whoNode(s, i) {
    const l = who(s, i), n = String(studentNo(s, i));
    if (!l.startsWith(n + " ")) return el("span", { class: "who", text: l });
    return el("span", { class: "who" }, el("b", { class: "no", text: n }), l.slice(n.length));
  }
  // fullName is what a title (tooltip) shows: the whole name and 학번,
  // never with names hidden or as initials.
  const fullName = (s) => nameMode === "full" ? s.name + " (학번 " + s.rosterId + ")" : null;

  async function api(path, opts) {
    opts = opts || {};
    opts.credentials = "same-origin";
    opts.headers = Object.assign({ "X-Dslab-Board": "1" }, opts.headers || {});
    const r = await fetch(path, opts);
    if (r.status === 401) {
      const why = r.headers.get("Content-Type")?.includes("json") ? (await r.json()).error : "";
      setAuthed(false, triedToken ? "강사 토큰이 없거나 맞지 않습니다 (HTTP 401" + (why ? ": " + why : "") + ")" : "");
      throw new Error("unauthenticated");
    }
    const body = r.headers.get("Content-Type")?.includes("json") ? await r.json() : await r.text();
    if (!r.ok) {
      // The server's Korean reason (api.Error) with its status and code.
      const e = new Error(body.error || String(body));
      e.status = r.status;
      e.code = body.code || "";
      throw e;
    }
    return body;
  }

  // login exchanges a token (from #token= or the prompt) for the
  // session cookie; false with the reason shown when the server refuses.
  async function login(token) {
    triedToken = true;
    const r = await fetch("/board/session", { method: "POST", credentials: "same-origin", headers: { "Authorization": "Bearer " + token } });
    if (r.ok) return true;
    let why = "";
    try { why = (await r.json()).error; } catch (e) { /* not JSON */ }
    setAuthed(false, "토큰을 받지 않았습니다 (HTTP " + r.status + (why ? ": " + why : "") + ")");
    return false;
  }

  // setAuthed shows the token prompt and disables every instructor action
  // until the board is authenticated; why says what went wrong.
  let frozenNow = false; // the last board's frozen: 제출 마감 stays disabled (render)
  let joinClosedNow = false; // the last board's joinClosed: 참가 닫기 stays disabled (render)
  // stateDisabled: a state button that would change nothing now.
  const stateDisabled = (e) => (e.dataset.kind === "freeze" && frozenNow) || (e.dataset.kind === "close-join" && joinClosedNow);
  function setAuthed(on, why) {
    authed = on;
    if (on) triedToken = true;
    $("auth").hidden = on;
    $("auth-why").textContent = why || "";
    for (const e of document.querySelectorAll(".actions button, .actions input, .actions select")) e.disabled = !on || stateDisabled(e);
    if (!on) {
      $("conn").textContent = "○ 로그인 필요: 강사 토큰을 넣으세요";
      if (es) { es.close(); es = null; }
    }
  }

  // The hints the student opened (from the snapshot) and those the
  // instructor unlocked, labelled apart.
  function hintText(c) {
    const parts = [];
    if (c.hintsUsed != null) parts.push("힌트 본 것 " + c.hintsUsed);
    if (c.hints) parts.push("강사가 연 힌트 " + c.hints);
    return parts.length ? " · " + parts.join(" · ") : "";
  }

  // A cell shows the submission that counts (a pass stays; late ones never
  // count), the newest beside it when that differs ("통과 (지금: 진행 중
  // 3/10)"), and the hints the instructor unlocked even before any
  // submission. Flags are class "flag": projector mode hides them.
  function cell(s, exID) {
    const c = s.cells[exID];
    const attrs = (cls, status) => ({ class: cls, "data-exercise": exID, "data-status": status, tabindex: "-1" });
    if (!c) return el("td", attrs("empty", "none"), "—");
    if (!c.submissions) return el("td", attrs("empty", "none"), "—", el("span", { class: "meta", text: hintText(c) }));
    const td = c.status
      ? el("td", attrs(c.status, c.status), statusSpan(c.status), " ",
        el("span", { class: "score", text: String(c.score) }), el("span", { class: "unit", text: "/" + c.maxScore + "점" }))
      : el("td", attrs("empty", "none"), "—");
    if (c.now) {
      const [icon, text] = STATUS[c.now.status] || ["?", c.now.status];
      td.append(el("span", { class: "now", text: " (지금: " + icon + " " + text + " " + c.now.score + "/" + c.now.maxScore + ")" }));
      if (c.now.late) td.append(el("span", { class: "flag", text: "⚠ " + FLAGS.late + " (점수에 들어가지 않음)" }));
    }
    td.append(el("span", { class: "meta" }, " · ", capturedSpan(c.lastChangeCaptured, c.lastChange), hintText(c) + " · ", el("span", { class: "t", text: (c.attempts ?? c.submissions) + "회" })));
    // The late warning is said once: with "지금" when it is there.
    for (const f of c.flags || []) {
      if (f === "late" && c.now && c.now.late) continue;
      td.append(el("span", { class: "flag", text: "⚠ " + (FLAGS[f] || f) }));
    }
    return td;
  }

  function statusSpan(status) {
    const [icon, text] = STATUS[status] || ["?", status];
    return el("span", { class: "st" }, icon, el("span", { class: "st-text", text: " " + text }));
  }

  // stuckSince: when the student's current exercise last made progress if
  // that is stuckMinutes ago by now (api.Board.RecomputeStuck's rule), so
  // a student turns stuck on the timer without waiting for an event.
  function stuckSince(s, b) {
    if (!s.progressAt || !b.stuckMinutes) return s.stuck ? s.stuckSince : null;
    const now = new Date(b.now).getTime() + (Date.now() - fetchedAt);
    return now - new Date(s.progressAt).getTime() >= b.stuckMinutes * 60000 ? s.progressAt : null;
  }

  // stuckKey names who is stuck now; the timer re-renders only when it
  // changes (a re-render would move the keyboard focus off the grid).
  const stuckKey = (b) => b.students.filter((s) => stuckSince(s, b)).map((s) => s.rosterId).join("\n");
  let shownStuck = "";

  function render(tick) {
    shownStuck = stuckKey(state);
    const b = state;
    const names = studentLabels(b.students);
    labels = new Map(b.students.map((s, i) => [s.rosterId, names[i]]));
    document.title = "dslab 수업 보드 — " + b.class;
    $("title").textContent = b.class;
    $("frozen").hidden = !b.frozen;
    // While frozen, 제출 마감 cannot be pressed again: it says 마감됨 next
    // to 마감 풀기 (issue 12: it stayed enabled).
    const fz = document.querySelector('button[data-kind="freeze"]');
    frozenNow = !!b.frozen;
    fz.disabled = !authed || frozenNow;
    fz.textContent = frozenNow ? "마감됨" : "제출 마감";
    // Joining closed (close-join) shows as a banner, by the install line
    // and on 참가 닫기, disabled as 참가 닫힘 (issue 12: the board had no
    // way to close joining and did not show it).
    joinClosedNow = !!b.joinClosed;
    $("join-closed").hidden = !joinClosedNow;
    if (joinClosedNow && b.joinClosedAt) $("join-closed").title = hhmmss(b.joinClosedAt) + " 부터";
    const cj = document.querySelector('button[data-kind="close-join"]');
    cj.disabled = !authed || joinClosedNow;
    cj.textContent = joinClosedNow ? "참가 닫힘" : "참가 닫기";
    const head = el("tr", {}, el("th", { scope: "col", text: "학생" }));
    // Projector mode numbers the columns (the legend under the grid names
    // them) so 16 exercises fit a 1280×720 screen.
    b.exercises.forEach((x, i) => head.append(el("th", { scope: "col", title: x.title },
      el("span", { class: "ex-id", text: x.id }), el("span", { class: "ex-num", text: String(i + 1) }))));
    $("ex-legend").replaceChildren(...b.exercises.map((x, i) => el("span", { text: (i + 1) + " " + x.id })));
    const rows = b.students.map((s, i) => {
      // The label on one line (ellipsized; the whole name and 학번 in
      // title), the 학번 under it (full mode).
      const th = el("th", { scope: "row", tabindex: "-1", "data-roster": s.rosterId, title: fullName(s) },
        whoNode(s, i), nameMode === "full" ? el("span", { class: "rid meta", text: s.rosterId }) : null);
      const since = stuckSince(s, b);
      if (since) th.append(el("span", { class: "stuck", text: "⚑ 막힘 (" + Math.max(1, Math.round((new Date(b.now).getTime() + (Date.now() - fetchedAt) - new Date(since).getTime()) / 60000)) + "분, " + s.current + ")" }));
      const tr = el("tr", { "data-roster": s.rosterId, class: s.rosterId === selected ? "selected" : null }, th);
      for (const x of b.exercises) tr.append(cell(s, x.id));
      return tr;
    });
    if (!b.students.length) rows.push(el("tr", {}, el("td", { colspan: b.exercises.length + 1, text: "아직 참가한 학생이 없습니다" })));
    placeGrid(head, rows, b.students.length);
    $("exercises").tBodies[0].replaceChildren(...b.exercises.map((x) => el("tr", { "data-exercise": x.id },
      el("th", { scope: "row", text: x.id + " — " + x.title }),
      // Passed of those who tried, and the whole room (instructor trial:
      // "통과 1 / 1명" with 4 students read as everyone passed).
      el("td", { text: x.passed + "명 (시도 " + x.attempted + "명 · 전체 " + b.students.length + "명)" }),
      el("td", { class: "common-check", text: x.commonFailure ? (x.commonFailure.title || x.commonFailure.check) + " (" + x.commonFailure.students + "명)" : "—" }),
      el("td", { class: "common-reason", text: x.commonFailure ? x.commonFailure.reason : "" }))));
    const exSel = $("t-ex"), stSel = $("t-st"), exVal = exSel.value, stVal = stSel.value;
    exSel.replaceChildren(...b.exercises.map((x) => el("option", { value: x.id, text: x.id })));
    stSel.replaceChildren(el("option", { value: "", text: "모든 학생" }), ...b.students.map((s, i) => el("option", { value: s.rosterId, text: who(s, i) })));
    if (exVal) exSel.value = exVal;
    stSel.value = stVal;
    $("commands").replaceChildren(...b.commands.slice().reverse().slice(0, 10).map(commandItem));
    // The intro only with its line (issue 12: without a token the intro
    // stood over nothing).
    // The server's lines for the addresses students reach (b.join: its
    // LAN addresses, never loopback), whatever address this board was
    // opened on (issue 12: a board opened on 127.0.0.1 showed students a
    // 127.0.0.1 line); when it knows none, why (b.joinNote).
    const join = b.join || [];
    $("install-intro").hidden = $("install-line").hidden = $("join-intro").hidden = $("join-line").hidden = !join.length;
    $("install-many").hidden = join.length < 2;
    $("install-line").textContent = join.map((j) => j.install).join("\n");
    $("join-line").textContent = join.map((j) => j.command).join("\n");
    $("install-note").hidden = !b.joinNote;
    $("install-note").textContent = b.joinNote || "";
    $("install-closed").hidden = !joinClosedNow;
    if (selected && !tick) loadTimeline(selected);
  }

  // gridTable is one block of the grid: the column header and rows.
  function gridTable(first, head, rows) {
    const t = el("table", { class: "grid", id: first ? "grid" : null, "aria-describedby": "grid-h" });
    t.style.setProperty("--ncols", String(state.exercises.length));
    t.createTHead().append(first ? head : head.cloneNode(true));
    t.createTBody().append(...rows);
    return t;
  }
  const projector = () => document.body.classList.contains("projector");
  // page: the projector's page of students; pageTimer turns it every
  // PAGE_MS while not every student fits the screen.
  let page = 0, pageTimer = null, pages = 1;
  const PAGE_MS = 10000;
  // placeGrid puts the rows (n students) on the board: one table in the
  // normal view; in projector mode as many blocks side by side as the
  // width holds, each as tall as the screen, paged when they do not all
  // fit, with the position ("60명 중 1–40번째 줄") under them (issue 12: 60
  // students at 1280×800 used 37% of the width and showed 15).
  //
  // The pages come from the rows as drawn: every row's height is measured
  // once (a ⚑ stuck row is two lines tall) and the rows are cut into
  // columns of the screen's height, blocks columns a page, the same cut
  // for every page (issue 12: page 1 was cut on the measured rows, page 2
  // on the first row's height, and students 43–44 were on neither).
  function placeGrid(head, rows, n) {
    const wall = $("wall"), pg = $("page");
    if (!projector() || !n) {
      wall.replaceChildren(gridTable(true, head, rows));
      pg.hidden = true;
      setPaging(false);
      return;
    }
    pg.hidden = false;
    // The longest position line, so that the room under the blocks does
    // not depend on the page shown.
    pg.textContent = positionText(n, n, n, 99, 99);
    wall.replaceChildren(gridTable(true, head, rows));
    const t = $("grid"), gap = parseFloat(getComputedStyle(wall).columnGap) || 0;
    const blocks = Math.min(8, Math.max(1, Math.floor((wall.clientWidth + gap) / Math.max(1, t.getBoundingClientRect().width + gap)) || 1));
    // The bottom the blocks may reach: the screen less what is under
    // them (the position line and the exercise legend).
    const under = pg.getBoundingClientRect().height + $("ex-legend").getBoundingClientRect().height + 8;
    const limit = window.innerHeight - under;
    const body = t.tBodies[0], top = body.getBoundingClientRect().top;
    // tops[i], bottoms[i]: row i's edges in the one table, px from its body.
    const tops = [], bottoms = [];
    for (const r of body.rows) { const b = r.getBoundingClientRect(); tops.push(b.top - top); bottoms.push(b.bottom - top); }
    const cols = columns(tops, bottoms, limit - (top + window.scrollY), blocks);
    pages = Math.ceil(cols.length / blocks);
    page = Math.min(page, pages - 1);
    const mine = cols.slice(page * blocks, (page + 1) * blocks);
    wall.replaceChildren(...mine.map(([a, b], k) => gridTable(k === 0, head, rows.slice(a, b))));
    pg.textContent = positionText(mine[0][0] + 1, mine[mine.length - 1][1], n, page + 1, pages);
    setPaging(pages > 1);
  }
  // columns cuts rows (edges tops, bottoms in px from the first row's top)
  // into [from, to) runs each at most room px tall (at least one row):
  // blocks even runs when they all fit one screen, else as many rows as fit.
  function columns(tops, bottoms, room, blocks) {
    const n = tops.length, fits = (a, b) => b - a <= 1 || bottoms[b - 1] - tops[a] <= room;
    const even = [], per = Math.ceil(n / blocks);
    for (let a = 0; a < n; a += per) even.push([a, Math.min(n, a + per)]);
    if (even.every(([a, b]) => fits(a, b))) return even;
    const cols = [];
    for (let a = 0; a < n;) {
      let b = a + 1;
      while (b < n && fits(a, b + 1)) b++;
      cols.push([a, b]);
      a = b;
    }
    return cols;
  }
  // positionText is the line under the projector's blocks: rows from–to
  // of n students, and the page when there are more. It counts rows, not
  // the students' numbers (issue 12: "학생 1–4/4" beside a student
  // numbered 5 — numbers stay after a removal).
  function positionText(from, to, n, page, pages) {
    return n + "명 중 " + from + "–" + to + "번째 줄" +
      (pages > 1 ? " · " + page + "/" + pages + "쪽 (PageDown/PageUp, " + PAGE_MS / 1000 + "초마다 넘어갑니다)" : "");
  }
  // setPaging turns the projector's pages by itself while on; not while
  // the keyboard is in the grid (the instructor is reading a row).
  function setPaging(on) {
    if (on && !pageTimer) pageTimer = setInterval(() => {
      if (document.activeElement && document.activeElement.closest("#wall")) return;
      turnPage(1);
    }, PAGE_MS);
    if (!on && pageTimer) { clearInterval(pageTimer); pageTimer = null; }
  }
  function turnPage(d) {
    if (!state || !projector() || pages < 2) return false;
    page = (page + d + pages) % pages;
    render(true);
    return true;
  }

  // sentWhat is a sent action as its confirmation says it: the action, its
  // exercise and whom it went to — the student as the grid names it, or
  // 모두 (issue 12: "✔ 보냈습니다: 힌트 열기" said neither).
  function sentWhat(c) {
    let t = COMMANDS[c.kind] || c.kind;
    if (c.kind === "unlock-hint" || c.kind === "reset-exercise" || c.kind === "broadcast") {
      const to = c.rosterId ? (nameMode === "hidden" ? "한 학생" : (labels.get(c.rosterId) || c.rosterId)) : "모두";
      t += " (" + (c.exercise ? c.exercise + " · " : "") + to + ")";
    }
    return t;
  }

  // commandItem names the student an action was for as the grid does
  // (김민수·002; the 학번 in the tooltip), "한 학생" with names hidden.
  function commandItem(c) {
    let t = hhmm(c.time) + " " + (COMMANDS[c.kind] || c.kind), title = null;
    if (c.exercise) t += " · " + c.exercise;
    if (c.rosterId) {
      const s = state && state.students.find((x) => x.rosterId === c.rosterId);
      t += " · " + (nameMode === "hidden" ? "한 학생" : (labels.get(c.rosterId) || c.rosterId));
      if (s) title = fullName(s);
      else if (nameMode === "full") title = "학번 " + c.rosterId;
    }
    if (c.message) t += ": " + c.message;
    return el("li", { text: t, title: title, "data-roster": c.rosterId || null });
  }

  async function refresh() {
    pending = null;
    if (reading) { again = true; return; }
    reading = true;
    try {
      state = await api("/api/v1/instructor/board");
      fetchedAt = Date.now();
      if (!authed) setAuthed(true);
      render();
      connect(state.lastSeq);
    } catch (e) {
      if (e.message !== "unauthenticated") $("conn").textContent = "⚠ 보드를 읽지 못했습니다: " + e.message;
    } finally {
      reading = false;
      if (again) { again = false; schedule(); }
    }
  }
  function schedule() { if (!pending) pending = setTimeout(refresh, 100); }

  function connect(after) {
    if (es) return;
    es = new EventSource("/api/v1/events?after=" + after);
    es.onopen = () => { if (authed) $("conn").textContent = "● 실시간 연결됨"; };
    es.onerror = () => { if (authed) $("conn").textContent = "○ 다시 연결하는 중… (놓친 변경은 다시 받습니다)"; };
    for (const k of KINDS) es.addEventListener(k, schedule);
    es.onmessage = schedule;
  }

  // stateWord is the grader's Korean words for a per-node state of a
  // timeline entry (api.TimelineEntry.States), as the lab's node map.
  function stateWord(e, v) { return (e.states && e.states[v]) || (v ? v : "-"); }

  async function loadTimeline(roster) {
    selected = roster;
    const tl = await api("/api/v1/instructor/timeline/" + encodeURIComponent(roster));
    const i = state.students.findIndex((s) => s.rosterId === roster);
    $("tl-h").textContent = "학생 기록: " + (i >= 0 ? who(state.students[i], i) : roster);
    if (i >= 0) { const t = fullName(state.students[i]); if (t) $("tl-h").title = t; else $("tl-h").removeAttribute("title"); }
    $("timeline").replaceChildren(...tl.entries.map((e) => {
      if (e.command) return commandItem(e.command);
      const v = e.submission, [icon, text] = STATUS[v.status] || ["?", v.status];
      // A not-started submission (the exercise opened or reset) is one
      // line, api.NotStartedNote, without its checks' ✘ (the server sends none).
      const li = v.status === "not-started" ? el("li", { "data-status": v.status }, capturedSpan(v.clientTime, e.time), " " + v.exercise + " " + NOT_STARTED_NOTE)
        : el("li", { "data-status": v.status }, capturedSpan(v.clientTime, e.time), " " + v.exercise + " " + icon + " " + text + " " + v.score + "/" + v.maxScore + "점");
      for (const f of v.flags || []) li.append(el("span", { class: "flag", text: "⚠ " + (FLAGS[f] || f) }));
      for (const c of (e.result && e.result.checks) || []) {
        if (c.passed) continue;
        li.append(el("span", { class: "node", text: "✘ " + (c.title || c.id) + ": " + c.message }));
        for (const n of c.nodes || []) if (!n.passed) li.append(el("span", { class: "node", text: "  · " + n.node + ": 기대 " + stateWord(e, n.expected) + ", 실제 " + stateWord(e, n.actual) + (n.reason ? " — " + n.reason : "") }));
        // A big cluster's check lists only its first failing nodes
        // (server.TimelineNodes); the counts say how many there are.
        const o = e.nodesOmitted && e.nodesOmitted[c.id];
        // The whole stored result is one link away (e.details).
        if (o && o.failed > o.shown) li.append(el("span", { class: "node omitted", text: "  … 노드 " + o.total.toLocaleString("ko-KR") + "개 가운데 실패 " + o.failed.toLocaleString("ko-KR") + "개: 처음 " + o.shown + "개만 보입니다 " },
          e.details ? el("a", { href: e.details, target: "_blank", rel: "noopener", text: "(전체 결과 JSON)" }) : null));
      }
      return li;
    }));
    $("timeline-sec").hidden = false;
    for (const tr of document.querySelectorAll("#wall tbody tr")) tr.classList.toggle("selected", tr.dataset.roster === roster);
  }

  // send posts an instructor action and answers next to the buttons that
  // sent it (note: the group's aria-live span): what was sent, or the
  // server's Korean reason when it refuses (issue 12: a 409 for 제출 마감
  // while already frozen, 400 for 연습 초기화 without a student, showed
  // nothing by the button). A refusal also re-reads the board: the server
  // knew something the board did not show yet.
  async function send(req, note) {
    const say = (text, refused) => {
      note.textContent = text;
      if (refused) note.dataset.refused = ""; else delete note.dataset.refused;
      note.dataset.code = refused || "";
    };
    say("보내는 중…");
    try {
      const c = await api("/api/v1/instructor/commands", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(req) });
      say("✔ 보냈습니다: " + sentWhat(c) + (c.message ? " — " + c.message : ""));
      schedule();
    } catch (e) {
      if (e.message === "unauthenticated") {
        say("⚠ 보내지 못했습니다: 강사 토큰이 없거나 맞지 않습니다 (HTTP 401) — 위의 강사 로그인에 토큰을 넣으세요", "unauthenticated");
      } else if (e.status) {
        say("⚠ " + (COMMANDS[req.kind] || req.kind) + ": " + e.message + " (HTTP " + e.status + ")", e.code || String(e.status));
        schedule();
      } else {
        say("⚠ 보내지 못했습니다 (서버에 닿지 않음): " + e.message, "network");
      }
    }
  }

  // setProjector turns projector mode on or off. On, full names become
  // initials; off, they come back unless the instructor chose a name mode
  // in between (issue 12: initials stuck after leaving). The address keeps
  // ?projector=1 only while on, so a reload shows the same mode.
  function setProjector(on) {
    // A student's record is not for the room: projecting closes it
    // (issue 12: "학생 기록: 학생 4" stayed open on the projector).
    if (on) { $("timeline-sec").hidden = true; selected = null; }
    document.body.classList.toggle("projector", on);
    $("projector").setAttribute("aria-pressed", String(on));
    page = 0;
    const q = new URLSearchParams(location.search);
    if (on) q.set("projector", "1"); else q.delete("projector");
    const search = q.toString();
    history.replaceState(null, "", location.pathname + (search ? "?" + search : "") + location.hash);
    if (on && nameMode === "full") { setNames("initials"); autoInitials = true; return; }
    if (!on && autoInitials) { setNames("full"); return; }
    if (state) render();
  }
  function setNames(m) { nameMode = m; autoInitials = false; $("names").textContent = NAME_LABEL[m] + " (N)"; if (state) render(); }

  function moveFocus(dr, dc) {
    const a = document.activeElement, tr = a && a.closest("#wall tbody tr");
    if (!tr) return false;
    const rows = [...document.querySelectorAll("#wall tbody tr")], r = rows.indexOf(tr), c = [...tr.cells].indexOf(a);
    const nr = rows[Math.min(rows.length - 1, Math.max(0, r + dr))];
    const target = nr && nr.cells[Math.min(nr.cells.length - 1, Math.max(0, c + dc))];
    if (target) { target.tabIndex = 0; target.focus(); }
    return true;
  }

  document.addEventListener("keydown", (ev) => {
    if (ev.target.matches("input, select, textarea")) { if (ev.key === "Escape") ev.target.blur(); return; }
    const k = ev.key;
    if (k === "p" || k === "P") setProjector(!document.body.classList.contains("projector"));
    else if (k === "n" || k === "N") setNames(NAME_MODES[(NAME_MODES.indexOf(nameMode) + 1) % NAME_MODES.length]);
    else if (k === "/") { ev.preventDefault(); $("msg").focus(); }
    else if (k === "?") $("help").showModal();
    else if (k === "Escape") { $("timeline-sec").hidden = true; selected = null; }
    else if ((k === "PageDown" || k === "PageUp") && turnPage(k === "PageDown" ? 1 : -1)) ev.preventDefault();
    else if (k === "Enter" && document.activeElement.closest("#wall tbody tr")) loadTimeline(document.activeElement.closest("tr").dataset.roster);
    else if (k === "ArrowDown") { if (moveFocus(1, 0)) ev.preventDefault(); }
    else if (k === "ArrowUp") { if (moveFocus(-1, 0)) ev.preventDefault(); }
    else if (k === "ArrowLeft") { if (moveFocus(0, -1)) ev.preventDefault(); }
    else if (k === "ArrowRight") { if (moveFocus(0, 1)) ev.preventDefault(); }
    else if (k === "g") { const f = $("wall").querySelector("tbody td, tbody th"); if (f) { f.tabIndex = 0; f.focus(); } }
  });
  // hashLogin logs in with the token of #token=… (and removes it from the
  // address bar at once: history.replaceState); true when there was none
  // or the server took it.
  async function hashLogin() {
    const m = location.hash.match(/token=([^&]+)/);
    if (!m) return true;
    history.replaceState(null, "", location.pathname + location.search);
    return login(decodeURIComponent(m[1]));
  }
  document.addEventListener("DOMContentLoaded", async () => {
    $("projector").onclick = () => setProjector(!document.body.classList.contains("projector"));
    $("names").onclick = () => setNames(NAME_MODES[(NAME_MODES.indexOf(nameMode) + 1) % NAME_MODES.length]);
    $("help-btn").onclick = () => $("help").showModal();
    $("tl-close").onclick = () => { $("timeline-sec").hidden = true; selected = null; };
    $("wall").addEventListener("click", (ev) => { const tr = ev.target.closest("tbody tr"); if (tr && tr.dataset.roster) loadTimeline(tr.dataset.roster); });
    // After a send the field lets go of the keyboard, so P, N and the
    // other shortcuts work again at once (issue 12: P typed "P" into the
    // announcement box after Enter).
    $("f-broadcast").onsubmit = (ev) => { ev.preventDefault(); send({ kind: "broadcast", message: $("msg").value }, $("note-broadcast")); $("msg").value = ""; $("msg").blur(); };
    // The reason goes with 연습 초기화 only (the CLI's --message); a
    // hint has none.
    $("f-target").onsubmit = (ev) => {
      ev.preventDefault();
      // Enter in the reason box means 연습 초기화 (the form's default
      // button would be 다음 힌트 열기).
      const kind = document.activeElement === $("t-reason") || !ev.submitter ? "reset-exercise" : ev.submitter.value;
      const req = { kind: kind, exercise: $("t-ex").value, rosterId: $("t-st").value };
      if (kind === "reset-exercise" && $("t-reason").value.trim()) req.message = $("t-reason").value.trim();
      // 연습 초기화 throws away a student's work on the exercise: it asks
      // first, naming the student and the exercise (issue 12: it was sent
      // at once). The browser's confirm answers to Enter and Esc. Without a
      // student the server refuses it and the note says why.
      if (kind === "reset-exercise" && req.rosterId) {
        const student = $("t-st").selectedOptions[0] ? $("t-st").selectedOptions[0].textContent : req.rosterId;
        if (!confirm("연습 초기화: 학생 " + student + ", 연습 " + req.exercise + "\n이 학생의 랩이 이 연습을 처음 상태로 되돌립니다 (지금까지 한 작업은 사라지고, 이미 받은 제출은 남습니다). 계속할까요?")) {
          $("note-target").textContent = "연습 초기화를 보내지 않았습니다";
          return;
        }
      }
      send(req, $("note-target"));
      if (document.activeElement && document.activeElement.matches("input")) document.activeElement.blur();
    };
    // Each state button answers in the note of its own group; the ones
    // that open (마감 풀기, 참가 열기) need no confirmation.
    for (const b of document.querySelectorAll("button[data-kind]")) b.onclick = () => {
      if (b.dataset.kind !== "unfreeze" && b.dataset.kind !== "open-join" && !confirm(b.textContent + ": 수업 전체에 적용합니다. 계속할까요?")) return;
      send({ kind: b.dataset.kind }, b.parentElement.querySelector(".note"));
    };
    if (new URLSearchParams(location.search).has("projector")) setProjector(true);
    window.addEventListener("resize", () => { if (state) render(true); });
    $("f-login").onsubmit = async (ev) => {
      ev.preventDefault();
      const tok = $("token-input").value.trim();
      if (tok && await login(tok)) { $("token-input").value = ""; await refresh(); }
    };
    // Actions stay disabled until the board reads its state; the prompt
    // shows only when the server refuses (a cookie from before may do).
    setAuthed(false, "");
    $("auth").hidden = true;
    $("conn").textContent = "연결 중…";
    if (!await hashLogin()) return;
    await refresh();
    // A …/board#token=… link pasted into this open tab changes only the
    // fragment: it logs in too (issue 12: nothing happened).
    window.addEventListener("hashchange", async () => {
      if (!/token=/.test(location.hash)) return;
      if (await hashLogin()) { if (es) { es.close(); es = null; } await refresh(); }
    });
    // Stuck is recomputed on a timer from the times the board already has.
    setInterval(() => { if (state && stuckKey(state) !== shownStuck) render(true); }, STUCK_TICK_MS);
    fetch("/download/SHA256SUMS").then((r) => r.text()).then((t) => {
      $("sums").textContent = t;
      // The PowerShell sentence only when a Windows build is served.
      $("windows-note").hidden = !/windows/i.test(t);
    }).catch(() => {});
  });
})();
