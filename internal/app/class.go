package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/atomicfile"
	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/client"
	"github.com/dslab-kr/dslab/internal/class/server"
	"github.com/dslab-kr/dslab/internal/class/store"
	"github.com/dslab-kr/dslab/internal/hangul"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/progress"
)

// DefaultClassListen is where `dslab class serve` listens by default.
const DefaultClassListen = ":7070"

func graderVersion() string {
	return fmt.Sprintf("dslab %s (snapshot v%d)", Version, grader.SnapshotVersion)
}

// graderVersionText words a stored grader version for the instructor
// ("dslab 9763330 (snapshot v1)" → "dslab 9763330 · 스냅숏(snapshot) 형식
// v1"); another form is shown as it is.
func graderVersionText(v string) string {
	if head, n, ok := strings.Cut(v, " (snapshot v"); ok && strings.HasSuffix(n, ")") {
		return head + " · 스냅숏(snapshot) 형식 v" + strings.TrimSuffix(n, ")")
	}
	return v
}

// classDataDir is $XDG_DATA_HOME/dslab/class.
func classDataDir(env Env) string { return filepath.Join(env.Paths.DataDir, "class") }

// classStoreFlags choose the class database: --db URL or SQLite in --data.
type classStoreFlags struct {
	data string
	db   string
}

func (f *classStoreFlags) add(cmd *cobra.Command, env Env) {
	cmd.Flags().StringVar(&f.data, "data", classDataDir(env), "수업 데이터 디렉터리 (SQLite 데이터베이스, 강사 토큰, 로그)")
	cmd.Flags().StringVar(&f.db, "db", "", "PostgreSQL 주소 (postgres://…): 여러 서버가 한 수업을 나눠 맡을 때")
}

func (f classStoreFlags) open(ctx context.Context) (store.Store, string, error) {
	if f.db != "" {
		if !strings.HasPrefix(f.db, "postgres://") && !strings.HasPrefix(f.db, "postgresql://") {
			return nil, "", usageError("--db 는 postgres:// 로 시작하는 주소여야 합니다")
		}
		st, err := store.OpenPostgres(ctx, f.db)
		if err != nil {
			return nil, "", fmt.Errorf("PostgreSQL 에 연결할 수 없습니다: %w", err)
		}
		u, _ := url.Parse(f.db)
		desc := "PostgreSQL"
		if u != nil {
			desc += " " + u.Redacted()
		}
		return st, desc, nil
	}
	path := filepath.Join(f.data, store.SQLiteFile)
	st, err := store.OpenSQLite(ctx, path)
	if err != nil {
		return nil, "", fmt.Errorf("수업 데이터베이스를 열 수 없습니다 (%s): %w", path, err)
	}
	return st, "SQLite " + path, nil
}

func newClassCommand(env Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "class",
		Short: "수업(워크숍): 강사는 서버를 열고, 학생은 참가해 채점 결과를 보냅니다",
		Long: "강사: dslab class serve 로 수업 서버를 엽니다 (참가 주소, 6자리 참가 코드, QR 코드를 보여 줍니다).\n" +
			"학생: 강사 화면의 주소·참가 코드와 자기 이름·학번을 넣어 참가합니다:\n  dslab class join 주소:포트 --code 참가코드 --name 이름 --id 학번\n제출은 채점할 때마다 자동이고, dslab class submit 은 지금 바로 보낼 때 씁니다.\n" +
			"서버는 받은 스냅숏을 자기 채점기로 다시 채점합니다. 자세한 내용은 docs/class.md 에 있습니다.",
	}
	cmd.AddCommand(newClassServeCommand(env), newClassJoinCommand(env), newClassSubmitCommand(env),
		newClassStatusCommand(env), newClassLeaveCommand(env), newClassExportCommand(env),
		newClassApproveCommand(env), newClassRegradeCommand(env), newClassRemoveCommand(env))
	cmd.AddCommand(newClassWatchCommand(env), newClassBoardCommand(env), newClassSendCommand(env)) // class_watch.go, class_board.go
	return cmd
}

// --- serve ---

type classServeOptions struct {
	store       classStoreFlags
	listen      string
	title       string
	exercises   []string
	allowRejoin bool
	qr          bool // --qr: the QR code even on a low terminal
	// titleSet and exercisesSet: the flags were given (a resumed class
	// then changes to them; ChangeClass).
	titleSet, exercisesSet bool
	board                  boardServeFlags // class_board.go
}

func newClassServeCommand(env Env) *cobra.Command {
	var o classServeOptions
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "수업 서버를 엽니다 (Ctrl-C 로 멈춤, 다시 실행하면 같은 수업을 이어 갑니다)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.board.stuckSet = cmd.Flags().Changed("stuck")
			o.titleSet, o.exercisesSet = cmd.Flags().Changed("title"), cmd.Flags().Changed("exercises")
			return runClassServe(cmd.Context(), env, o)
		},
	}
	o.store.add(cmd, env)
	f := cmd.Flags()
	f.StringVar(&o.listen, "listen", DefaultClassListen, "들을 주소 (HOST:PORT)")
	f.StringVar(&o.title, "title", "데몬셋 워크숍", "수업 이름 (이어서 열 때 주면 바꿉니다)")
	f.StringSliceVar(&o.exercises, "exercises", nil, "이 수업의 연습 ID 목록 (쉼표로 구분, 기본: 모두; 이어서 열 때 주면 바꿉니다)")
	f.BoolVar(&o.qr, "qr", false, "참가 주소 QR 코드를 터미널 높이와 상관없이 늘 보여 줍니다 (기본: 다 들어갈 때만)")
	f.BoolVar(&o.allowRejoin, "allow-rejoin", false, "같은 학번이 다른 컴퓨터에서 승인 없이 다시 참가하게 합니다")
	o.board.add(cmd)
	return cmd
}

func runClassServe(ctx context.Context, env Env, o classServeOptions) error {
	out := env.textOut().Lines()
	cat, err := loadCatalog()
	if err != nil {
		return err
	}
	for i, id := range o.exercises {
		ex, err := findExercise(cat, id)
		if err != nil {
			return err
		}
		o.exercises[i] = ex.ID // a course number names the exercise by its ID
	}
	// Bind first: a port already taken must leave nothing behind — no
	// data dir, no new class, no instructor token (issue 12: a failed
	// serve left a new class that the next serve resumed).
	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: listenError(o.listen, err)}
	}
	defer ln.Close() // Serve closes it too; this covers the early returns
	if err := os.MkdirAll(o.store.data, 0o700); err != nil {
		return fmt.Errorf("수업 데이터 디렉터리를 만들 수 없습니다: %w", err)
	}
	if o.store.db == "" {
		// One server per SQLite data dir: a second would take over
		// server-addr and write the same database.
		release, err := lockClassData(o.store.data)
		if err != nil {
			return err
		}
		defer release()
	}
	logf, err := os.OpenFile(filepath.Join(o.store.data, "server.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("서버 로그를 열 수 없습니다: %w", err)
	}
	defer logf.Close()
	// The log goes to the file only: English log lines on the projector
	// terminal scrolled the join code away (issue 12).
	log := slog.New(slog.NewJSONHandler(logf, nil))
	st, desc, err := o.store.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	_, existed := st.GetClass(ctx)
	resumed := existed == nil
	tokenFile := filepath.Join(o.store.data, server.InstructorTokenFile)
	class, token, err := server.Setup(ctx, st, o.title, o.exercises, tokenFile)
	if err != nil {
		return err
	}
	var changed []string
	// After Setup: a changed --stuck is a class-changed event on the
	// class's timeline (store.SettingsStore.SetSetting) and, on a resumed
	// class, a line like --title/--exercises (issue 12).
	if _, line, err := o.board.rememberStuck(ctx, st, o.store.data); err != nil {
		log.Warn("could not remember --stuck", "err", err)
	} else if line != "" && resumed {
		changed = append(changed, line)
	}
	if resumed && (o.titleSet || o.exercisesSet) {
		// An explicit --title/--exercises on a resumed class is applied,
		// never silently ignored (issue 12), and said below.
		var title *string
		var exs []string
		if o.titleSet {
			title = &o.title
		}
		if o.exercisesSet {
			exs = append([]string{}, o.exercises...)
		}
		var lines []string
		if class, lines, err = server.ChangeClass(ctx, st, class, title, exs); err != nil {
			return err
		}
		changed = append(lines, changed...)
	}
	for _, l := range changed {
		// The banner may shrink them to one summary line (serveBanner).
		log.Info("class setting changed", "change", l)
	}
	urls := listenURLs(ln.Addr().(*net.TCPAddr))
	// The board shows students these addresses (its install and join
	// lines), whatever address it was opened on.
	bc := o.board.config()
	bc.StudentURLs = urls
	srv, err := server.New(ctx, server.Config{Store: st, Catalog: cat, GraderVersion: graderVersion(), Log: log, AllowRejoin: o.allowRejoin,
		BoardConfig: bc})
	if err != nil {
		return err
	}
	log.Info("class server listening", "addr", ln.Addr().String(), "store", desc, "class", class.Title)
	// Addresses, the code and commands are copied by hand or mouse: they
	// stand whole on their own lines, never wrapped (raw); prose around
	// them goes through textOut.
	raw := env.Streams.Out // raw: addresses, the join code and commands a user copies are never wrapped
	if err := writeServerAddr(o.store.data, urls[len(urls)-1]); err != nil {
		log.Warn("could not record the server address for `dslab class board`", "err", err)
	}
	b := serveBanner{store: desc, urls: urls, joinCode: class.JoinCode, logFile: logf.Name(), qr: o.qr}
	since, frozen, err := st.Frozen(ctx)
	if err != nil {
		log.Warn("could not read the freeze state for the banner", "err", err)
	}
	b.state = serveState(frozen, since, o.allowRejoin)
	if token != "" {
		b.tokenFile = tokenFile
	}
	if resumed {
		students, _ := st.Students(ctx)
		subs, _ := st.Submissions(ctx, 0, false)
		b.head = append([]string{fmt.Sprintf("수업을 이어서 엽니다: %q", class.Title)}, changed...)
		b.facts = fmt.Sprintf("  학생 %d명 · 제출 %d건 · 막힘 기준 %s", len(students), len(subs), koDuration(o.board.stuck))
	} else {
		b.head = []string{fmt.Sprintf("수업을 열었습니다: %q", class.Title)}
		b.facts = "  막힘 기준 " + koDuration(o.board.stuck)
	}
	b.write(env.textOut(), raw, terminalHeight(env.Streams.Out))
	err = srv.Serve(ctx, ln)
	fmt.Fprintln(out, "수업 서버를 멈췄습니다. 다시 dslab class serve 하면 같은 수업을 이어 갑니다.")
	return err
}

// listenError is the Korean error of a serve that could not listen on
// addr (HOST:PORT): the port, how to find the process holding it (ss on
// Linux, lsof on macOS) and --listen, then the system's error.
func listenError(addr string, err error) error {
	port, host := addr, ""
	if h, p, splitErr := net.SplitHostPort(addr); splitErr == nil {
		port, host = p, h
	}
	// The instructor's host stays (issue 12: 127.0.0.1:7070 got the advice
	// :7071, which listens on every interface).
	next := "--listen " + net.JoinHostPort(host, "7071")
	if n, convErr := strconv.Atoi(port); convErr == nil && n > 0 && n < 65535 {
		next = "--listen " + net.JoinHostPort(host, strconv.Itoa(n+1))
	}
	return fmt.Errorf("수업 서버가 %s 에서 들을 수 없어 아무것도 만들지 않았습니다: 이 포트(%s)는 다른 프로그램(이미 떠 있는 다른 dslab class serve 일 수 있습니다)이 쓰고 있거나, 그 주소가 이 컴퓨터의 것이 아닙니다. 어느 프로세스인지 보기: ss -ltnp 'sport = :%s' (macOS: lsof -nP -iTCP:%s -sTCP:LISTEN). 다른 포트로 열려면 %s: %w",
		addr, port, port, port, next, err)
}

// listenURLs returns http URLs for addr: the LAN addresses of this machine
// first when it listens on every interface, then loopback.
func listenURLs(addr *net.TCPAddr) []string {
	port := addr.Port
	if !addr.IP.IsUnspecified() {
		return []string{fmt.Sprintf("http://%s", net.JoinHostPort(addr.IP.String(), fmt.Sprint(port)))}
	}
	var lan []string
	ifaces, _ := net.Interfaces()
	for _, ifc := range ifaces {
		if ifc.Flags&net.FlagUp == 0 || ifc.Flags&net.FlagLoopback != 0 {
			continue
		}
		addrs, _ := ifc.Addrs()
		for _, a := range addrs {
			ipn, ok := a.(*net.IPNet)
			if !ok || ipn.IP.To4() == nil || ipn.IP.IsLinkLocalUnicast() {
				continue
			}
			lan = append(lan, fmt.Sprintf("http://%s", net.JoinHostPort(ipn.IP.String(), fmt.Sprint(port))))
		}
	}
	return append(lan, fmt.Sprintf("http://%s", net.JoinHostPort("127.0.0.1", fmt.Sprint(port))))
}

// --- join ---

type classJoinOptions struct {
	code, name, studentID string
}

func newClassJoinCommand(env Env) *cobra.Command {
	var o classJoinOptions
	cmd := &cobra.Command{
		Use:   "join URL|HOST:PORT",
		Short: "수업에 참가합니다 (자격 증명은 설정 디렉터리에 0600 으로 저장)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runClassJoin(cmd.Context(), env, o, args[0])
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.code, "code", "", "강사 화면의 6자리 참가 코드 (URL 에 ?code= 가 있으면 생략)")
	f.StringVar(&o.name, "name", "", "이름 (필수)")
	f.StringVar(&o.studentID, "id", "", "학번 (없으면 이 컴퓨터만의 학번 auto-… 을 만듭니다; 학번이 있어야 다른 컴퓨터에서 다시 참가할 수 있습니다)")
	// --student-id is the older name of --id (same variable): printed
	// commands use the shorter one so the join line fits 80 columns.
	f.StringVar(&o.studentID, "student-id", "", "--id 와 같습니다 (학번)")
	return cmd
}

func runClassJoin(ctx context.Context, env Env, o classJoinOptions, rawURL string) error {
	out := env.textOut().Lines()
	given := rawURL
	if !strings.Contains(rawURL, "://") {
		// host:port as the projector shows it (api.JoinCommand).
		rawURL = "http://" + rawURL
	}
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return usageError("수업 주소가 올바르지 않습니다 (%q): 강사 화면의 주소(192.168.0.10:7070 이나 http://…)를 쓰세요", given)
	}
	if o.code == "" {
		o.code = u.Query().Get("code")
	}
	serverURL := u.Scheme + "://" + u.Host
	if o.code == "" {
		return usageError("참가 코드가 필요합니다: --code 참가코드 (강사 화면의 6자리 숫자)")
	}
	if strings.TrimSpace(o.name) == "" {
		return usageError("이름이 필요합니다: --name 이름")
	}
	cfg := env.Paths.ConfigDir
	machine, err := client.MachineID(cfg)
	if err != nil {
		return fmt.Errorf("설정 디렉터리에 쓸 수 없습니다: %w", err)
	}
	// Without a 학번 the server gives this machine's own id, never the
	// name (two 김민수 are two students).
	roster := o.studentID
	if roster == "" {
		roster = api.AutoRosterID(machine)
	}
	hc := &http.Client{Timeout: 30 * time.Second}
	old, err := client.LoadCredentials(cfg)
	if err != nil {
		return err
	}
	if old != nil {
		// A machine learns that the instructor removed its student only
		// from the server's next answer: ask first, so that a join on
		// such a machine joins afresh instead of asking for `class leave`
		// (issue 12) — said in Korean, the credentials forgotten and the
		// outbox set aside as any command does (classRemoved).
		rctx, cancel := context.WithTimeout(ctx, classTitleLookup)
		c := client.New(*old, env.Paths.DataDir)
		c.HTTP = hc
		_, meErr := c.Me(rctx)
		cancel()
		if rerr := classRemoved(env, meErr); rerr != nil {
			// Not the server's own note: it ends "dslab class join 으로
			// 다시 참가하세요", and this is that join (the instructor trial
			// on f9ad301); only what happened to the outbox.
			outbox := strings.TrimPrefix(rerr.Error(), removedNote(meErr)+". ")
			fmt.Fprintf(out, "이 컴퓨터의 이전 참가(학번 %s)는 강사가 수업에서 뺐습니다 — %s. 새로 참가합니다.\n", old.RosterID, strings.TrimSuffix(outbox, "."))
			if o.studentID == "" && old.Server == serverURL && !strings.HasPrefix(old.RosterID, api.AutoRosterIDPrefix) {
				o.studentID = old.RosterID // the same student again, as a join without --id does
				roster = old.RosterID
			}
			old = nil
		}
	}
	if old != nil {
		if old.Server != serverURL {
			return usageError("이미 다른 수업(%s, 학번 %s)에 참가해 있습니다: 먼저 dslab class leave 하세요", old.Server, old.RosterID)
		}
		if o.studentID == "" {
			// Without --id (the install line run again without its 학번)
			// this computer's own join stands (issue 12: it was called
			// another class), and a join again is with its 학번.
			roster = old.RosterID
			if !strings.HasPrefix(old.RosterID, api.AutoRosterIDPrefix) {
				o.studentID = old.RosterID
			}
		}
		if old.RosterID != roster {
			return usageError("이 컴퓨터는 이미 이 수업에 학번 %s %s 참가해 있습니다: 다른 학번(%s)으로 참가하려면 먼저 dslab class leave 하세요",
				old.RosterID, hangul.EuroRo(old.RosterID), roster)
		}
		// The server may have taken this machine's place away (the
		// student rejoined from another computer, issue 12): ask it
		// before saying "already joined", and join again when it refuses
		// the token.
		c := client.New(*old, env.Paths.DataDir)
		c.HTTP = hc
		me, err := c.Me(ctx)
		if !studentTokenRefused(err) {
			// The class's title as the server has it now (issue 12: the
			// stored one was shown after a rename); the stored one, said
			// so, when the server did not answer.
			title, from := old.Class, " (이 컴퓨터에 저장된 수업 이름: 서버에 묻지 못했습니다)"
			if err == nil && me.Class != "" {
				title, from = me.Class, ""
			}
			fmt.Fprintf(out, "이미 수업 %q 에 %s (학번 %s) %s 참가해 있습니다%s.\n", title, old.Name, old.RosterID, hangul.EuroRo(old.Name), from)
			if o.code != "" {
				fmt.Fprintf(out, "참가 코드 %s %s 확인하지 않았습니다: 이 컴퓨터는 이미 참가해 있어 코드가 필요 없습니다.\n", o.code, hangul.EunNeun(o.code))
			}
			fmt.Fprintln(out, alreadyJoinedNext)
			return nil
		}
		fmt.Fprintf(out, "이 컴퓨터의 참가가 끊겨 있어 다시 참가합니다 (학번 %s %s %s).\n", old.RosterID, hangul.EuroRo(old.RosterID), replacedJoinReason(rejoinOf(err)))
	}
	r, err := client.Join(ctx, hc, serverURL, api.JoinRequest{Code: o.code, Name: strings.TrimSpace(o.name), StudentID: o.studentID, MachineID: machine})
	if err != nil {
		var ae *client.APIError
		if errors.As(err, &ae) && ae.Code == "" && ae.Message == "" {
			// Not the class API's answer: another program on that port,
			// a proxy, a mistyped port.
			return &ExitError{Code: ExitFailure, Err: fmt.Errorf("참가하지 못했습니다: %s 의 답이 dslab 수업 서버의 답이 아닙니다 — 강사 화면의 주소와 포트가 맞는지 확인하세요 (%s)", serverURL, ae.Technical())}
		}
		if errors.As(err, &ae) {
			// The server's Korean sentence, then (HTTP status code).
			return &ExitError{Code: ExitFailure, Err: fmt.Errorf("참가하지 못했습니다: %w", err)}
		}
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("수업 서버 %s 에 연결할 수 없습니다 (같은 네트워크인지, 주소와 포트가 맞는지 확인하세요) · %s", serverURL, netCauseText(err))}
	}
	creds := client.Credentials{Server: serverURL, Token: r.Token, RosterID: r.RosterID, Name: r.Name, Class: r.Class, MachineID: machine, Joined: time.Now().UTC(), CommandCursor: r.CommandCursor, Exercises: r.Exercises}
	if err := client.SaveCredentials(cfg, creds); err != nil {
		return fmt.Errorf("자격 증명을 저장할 수 없습니다: %w", err)
	}
	if err := client.ForgetRemoval(cfg); err != nil { // joined again: the removal is over
		env.Logger().Warn("forget the class removal note", "err", err)
	}
	fmt.Fprintf(out, "수업 %q 에 참가했습니다: %s (학번 %s)\n", r.Class, r.Name, r.RosterID)
	if o.studentID == "" {
		fmt.Fprintf(out, "학번을 주지 않아 이 컴퓨터만의 학번 %s %s 만들었습니다. 다른 컴퓨터에서도 이어서 하려면 dslab class leave 뒤에 자기 학번을 --id 옵션에 넣어 다시 참가하세요 (학번이 있어야 다른 컴퓨터에서 다시 참가할 수 있습니다).\n", r.RosterID, hangul.EulReul(r.RosterID))
	}
	fmt.Fprintln(out, "제출은 자동입니다: 랩 화면(dslab)이나 dslab grade 가 채점할 때마다 서버에 보냅니다. 지금 바로 보내려면 dslab class submit <연습 ID>, 서버의 채점 결과는 dslab class status 로 봅니다.")
	return nil
}

// alreadyJoinedNext is what a student already in the class does next
// (`class join` again, the install line again: issue 12 told them to join
// again).
const alreadyJoinedNext = "다시 참가할 필요가 없습니다. 다음: dslab 으로 랩을 열어 연습하세요 (제출은 자동입니다). 서버의 채점 결과는 dslab class status 로 봅니다."

// notJoinedCommand is the join command a never-joined machine is shown:
// every value a placeholder the student replaces (참가코드 does not look
// like a real code; issue 12: "--code 123456" was typed as is), with --id
// like every printed join command (TestPrintedJoinCommandsUseID).
const notJoinedCommand = "dslab class join 강사주소:7070 --code 참가코드 --name 이름 --id 학번"

func loadClassClient(env Env) (*client.Client, *client.Credentials, error) {
	creds, err := client.LoadCredentials(env.Paths.ConfigDir)
	if err != nil {
		return nil, nil, fmt.Errorf("수업 자격 증명을 읽을 수 없습니다: %w", err)
	}
	if creds == nil {
		if r, _ := client.LoadRemoval(env.Paths.ConfigDir); r != nil {
			return nil, nil, removalError(r)
		}
		return nil, nil, usageError("아직 수업에 참가하지 않았습니다. 강사 화면의 주소·참가 코드와 자기 이름·학번을 넣어 참가하세요:\n%s", joinCommandText(notJoinedCommand))
	}
	return classClient(env, creds), creds, nil
}

// classClient is client.New for creds whose drains keep the class's
// exercise list, as the server gives it, in the credentials
// (keepClassExercises; issue 12: the list saved at join outlived the
// instructor's shorter --exercises).
func classClient(env Env, creds *client.Credentials) *client.Client {
	c := client.New(*creds, env.Paths.DataDir)
	c.OnExercises = func(ids []string) { keepClassExercises(env, creds, ids) }
	return c
}

// keepClassExercises saves ids, the class's exercise list as the server
// gave it now (api.MeResponse.Exercises), into the credentials on disk and
// creds when it changed; an empty list (an older server) changes nothing.
// The credentials are read again first so that only the list changes, and
// nothing is written when they are now another join's.
func keepClassExercises(env Env, creds *client.Credentials, ids []string) {
	if len(ids) == 0 || slices.Equal(ids, creds.Exercises) {
		return
	}
	cur, err := client.LoadCredentials(env.Paths.ConfigDir)
	if err != nil || cur == nil || cur.Token != creds.Token {
		return
	}
	cur.Exercises = slices.Clone(ids)
	if err := client.SaveCredentials(env.Paths.ConfigDir, *cur); err != nil {
		env.Logger().Warn("keep the class's exercise list", "err", err)
		return
	}
	creds.Exercises = slices.Clone(ids)
}

// droppedNote is the one Korean line on the queued submissions a drain
// dropped (client.DrainResult.Dropped: exercises the instructor took out
// of the class since they were made); "" when none. Not a refusal: the
// command still exits 0 for them.
func droppedNote(outboxDir string, res client.DrainResult) string {
	if len(res.Dropped) == 0 {
		return ""
	}
	var ids []string
	for _, it := range res.Dropped {
		if !slices.Contains(ids, it.Exercise) {
			ids = append(ids, it.Exercise)
		}
	}
	// Counted and the first few named (issue 12: every id listed took
	// five lines at 80 columns); the files are in the dropped dir.
	note := fmt.Sprintf("편지함의 제출 %d개(%s)는 강사가 수업에서 뺀 연습이라 보내지 않았습니다 (거절이 아닙니다; 기록: %s)",
		len(res.Dropped), idSummary(ids, noteIDs), filepath.Join(outboxDir, client.DroppedDir))
	if len(res.Exercises) > 0 {
		note += fmt.Sprintf(". 이 수업의 연습 %d개: %s", len(res.Exercises), idSummary(res.Exercises, noteIDs))
	}
	return note
}

// noteIDs is how many exercise ids a one-line note names before "외 N개".
const noteIDs = 3

// idSummary is ids joined by ", " when there are at most n of them, else
// the first n and "등" (the caller says the count).
func idSummary(ids []string, n int) string {
	if len(ids) <= n {
		return strings.Join(ids, ", ")
	}
	return strings.Join(ids[:n], ", ") + " 등"
}

// --- submit ---

type classSubmitOptions struct {
	cluster  clusterFlags
	all      bool
	snapshot string
}

func newClassSubmitCommand(env Env) *cobra.Command {
	var o classSubmitOptions
	cmd := &cobra.Command{
		Use:   "submit [ID...|--all]",
		Short: "클러스터의 스냅숏을 수업 서버에 제출합니다 (ID 없이: 편지함(outbox)에 남은 제출만 보냄)",
		Long: "클러스터 상태(스냅숏)를 먼저 디스크의 편지함(outbox)에 저장한 뒤 보냅니다. 서버가 꺼져 있거나\n" +
			"네트워크가 끊겨도 제출은 사라지지 않고, 다음 submit/status 때 다시 보냅니다. 채점은 서버가 합니다.",
		RunE: func(cmd *cobra.Command, args []string) error {
			return runClassSubmit(cmd.Context(), env, o, args)
		},
	}
	o.cluster.add(cmd)
	cmd.Flags().BoolVar(&o.all, "all", false, "모든 연습을 제출합니다")
	cmd.Flags().StringVar(&o.snapshot, "snapshot", "", "클러스터 대신 저장된 스냅숏(JSON)을 제출합니다 (연습 하나일 때)")
	return cmd
}

func runClassSubmit(ctx context.Context, env Env, o classSubmitOptions, args []string) error {
	out := env.textOut().Lines()
	c, creds, err := loadClassClient(env)
	if err != nil {
		return err
	}
	if len(args) > 0 || o.all {
		cat, err := loadCatalog()
		if err != nil {
			return err
		}
		exs, err := gradeIDs(cat, gradeOptions{all: o.all}, args)
		if err != nil {
			return err
		}
		// Only the class's exercises: the server refuses the others
		// (issue 12: --all sent the whole catalog, 13 refusals).
		if exs, err = classExercisesOf(ctx, env, c, creds, exs, o.all); err != nil {
			return err
		}
		if o.snapshot != "" {
			if len(exs) != 1 {
				return usageError("--snapshot 은 연습 하나를 제출할 때만 씁니다")
			}
			snap, err := readSnapshot(o.snapshot)
			if err != nil {
				return &ExitError{Code: ExitUsage, Err: err}
			}
			raw, err := json.Marshal(progressHints(env)(exs[0].ID, snap))
			if err != nil {
				return err
			}
			if _, err := c.Outbox.Enqueue(exs[0].ID, raw, snap.CapturedAt); err != nil {
				return err
			}
		} else {
			conn, err := connect(ctx, env, o.cluster.target())
			if err != nil {
				return err
			}
			st := localState{env: env, name: kube.StateName(conn.Context), own: o.cluster.ownLab(env.Paths)}
			if o.all {
				// Only what the student worked on (issue 12: --all sent
				// never-started exercises, each one more 시도 on the board).
				var skipped []string
				if exs, skipped, err = exercisesWithEvidence(ctx, env, conn, st, exs); err != nil {
					return &ExitError{Code: ExitUsage, Err: explainForbidden(err)}
				}
				if line := skippedLine(skipped, len(exs)); line != "" {
					fmt.Fprintln(out, line)
				}
			}
			hints := progressHints(env)
			for _, ex := range exs {
				// One capture per exercise, as `dslab grade <ID>` and the
				// lab take it: the snapshot holds that exercise's objects
				// only, so work on another exercise does not make it a
				// new snapshot — and a new attempt — of this one (issue
				// 12: after an outage every exercise was stored and
				// printed twice).
				snaps, err := captureFor(ctx, conn, []exercises.Exercise{ex}, st)
				if err != nil {
					return &ExitError{Code: ExitUsage, Err: err}
				}
				raw, err := json.Marshal(hints(ex.ID, snaps[0]))
				if err != nil {
					return err
				}
				if _, err := c.Outbox.Enqueue(ex.ID, raw, snaps[0].CapturedAt); err != nil {
					return err
				}
			}
		}
	}
	err = drainAndReport(ctx, out, c, creds)
	if rerr := classRemoved(env, err); rerr != nil {
		return rerr // credentials gone: no commands to apply
	}
	applyClassCommands(ctx, env, out) // class_actions.go
	return err
}

// exercisesWithEvidence keeps of exs the exercises the learner has worked
// on, as every screen counts it (progress.StateOf not 시작 전: prepared on
// this cluster, started, attempted or passed — progress.json, the
// cluster's and this computer's pass and attempt records), and the one
// currently started on the cluster; skipped are the others' ids.
func exercisesWithEvidence(ctx context.Context, env Env, conn *kube.Conn, st localState, exs []exercises.Exercise) (keep []exercises.Exercise, skipped []string, err error) {
	passes, attempts, err := loadRecords(ctx, env, conn, st.own)
	if err != nil {
		return nil, nil, err
	}
	cur, err := kube.LoadCurrent(ctx, conn.Client)
	if err != nil {
		return nil, nil, err
	}
	prog, _ := progress.Read(env.Paths.ProgressFile())
	for _, ex := range exs {
		_, passed := passes[ex.ID]
		_, attempted := attempts[ex.ID]
		p := withLocalAttempt(env, ex.ID, prog.Exercises[ex.ID])
		state := progress.StateOf(p, !preparedAt(env, st.name, ex.ID).IsZero(), passed)
		if state != progress.StateNotStarted || attempted || (cur != nil && cur.Exercise == ex.ID) {
			keep = append(keep, ex)
		} else {
			skipped = append(skipped, ex.ID)
		}
	}
	return keep, skipped, nil
}

// skippedLine is the one line `class submit --all` prints about the
// exercises it did not send because the learner never started them ("" when
// none); sending is how many it sends.
func skippedLine(skipped []string, sending int) string {
	if len(skipped) == 0 {
		return ""
	}
	line := fmt.Sprintf("시작하지 않은 연습 %d개(%s)는 보내지 않았습니다: --all 은 시작·시도·통과한 연습만 보냅니다", len(skipped), idSummary(skipped, noteIDs))
	if sending == 0 {
		line += " (보낼 연습이 없습니다)"
	}
	return line
}

// classRemoved handles the server saying the instructor removed this
// student (client.IsRemoved): the credentials are forgotten, so nothing on
// this computer submits again; the outbox stays on disk only as a local
// record; a removal note (client.Removal) keeps explaining it to later
// commands until a new join. The returned error says all that once, in
// Korean (exit 1). nil when err is not that.
func classRemoved(env Env, err error) error {
	if !client.IsRemoved(err) {
		return nil
	}
	cfg := env.Paths.ConfigDir
	creds, _ := client.LoadCredentials(cfg)
	if old, _ := client.LoadRemoval(cfg); creds == nil && old != nil {
		// Already noted (the TUI's poll and a command at once).
		return removalError(old)
	}
	var note client.Removal
	if creds != nil {
		note = client.Removal{Server: creds.Server, RosterID: creds.RosterID, Name: creds.Name, Class: creds.Class}
	}
	var ae *client.APIError
	if errors.As(err, &ae) && ae.Class != "" {
		note.Class = ae.Class // the title now, not the one at join (issue 12)
	}
	note.Message = removedNote(err) + ". " + outboxRecordNote(env)
	note.At = time.Now().UTC()
	if saveErr := client.SaveRemoval(cfg, note); saveErr != nil {
		env.Logger().Warn("keep the class removal note", "err", saveErr)
	}
	if rmErr := client.RemoveCredentials(cfg); rmErr != nil {
		env.Logger().Warn("forget class credentials after removal", "err", rmErr)
	}
	env.Logger().Warn("removed from the class by the instructor", "err", err)
	return &ExitError{Code: ExitFailure, Err: errors.New(note.Message)}
}

// outboxRecordNote sets the outbox's pending submissions aside
// (client.Outbox.SetAside into client.RemovedDir) and is the Korean
// sentence on it: nothing made before the removal is sent, even after a
// new join; the files stay as this computer's record.
func outboxRecordNote(env Env) string {
	box := client.Outbox{Dir: client.OutboxDir(env.Paths.DataDir)}
	dir, n, err := box.SetAside(client.RemovedDir)
	if err != nil {
		env.Logger().Warn("set the outbox aside after removal", "err", err)
	}
	if n == 0 {
		return "더 보내는 제출은 없습니다"
	}
	return fmt.Sprintf("편지함(outbox)의 제출 %d개는 보내지 않고, 이 컴퓨터의 기록으로만 %s 에 옮겨 두었습니다", n, dir)
}

// removalError is a removal noted earlier (client.LoadRemoval) for a
// command that needs the class: one short line — when this computer
// learned it and the join that takes the student back — because the whole
// story (classRemoved) was told the first time (issue 12: every later
// status/submit repeated it). Exit 1 like the first time: the rule is that
// every class command that cannot take part in the class exits 1, `class
// status` included (as for a refused token), while the removal lasts;
// docs/class.md "수업에서 빠진 컴퓨터".
func removalError(r *client.Removal) error {
	join := "dslab class join"
	if r.Server != "" {
		join += " " + api.ShellArg(api.JoinAddress(r.Server))
	}
	join += " --code 참가코드"
	if r.Name != "" {
		join += " --name " + api.ShellArg(r.Name)
	}
	if r.RosterID != "" {
		join += " --id " + api.ShellArg(r.RosterID)
	}
	// The command alone on its own line: copied whole (issue 12).
	return &ExitError{Code: ExitFailure, Err: fmt.Errorf("이 컴퓨터는 %s 에 수업에서 빠졌습니다 — 다시 참가하려면 강사 화면의 참가 코드를 넣어:\n%s",
		r.At.Local().Format("01-02 15:04"), joinCommandText(join))}
}

// classExerciseRefresh bounds the /me call that refreshes the class's
// exercise list before a submit; a slow server falls back to the stored list.
const classExerciseRefresh = 5 * time.Second

// classExercisesOf keeps of exs the class's exercises: the list the server
// gives now (api.MeResponse.Exercises, saved into the credentials when it
// changed) or, when the server cannot be reached, the one stored at join.
// With all, the others are dropped; an explicit id outside the class is a
// usage error naming the class's exercises. An empty list (an older server)
// keeps exs.
func classExercisesOf(ctx context.Context, env Env, c *client.Client, creds *client.Credentials, exs []exercises.Exercise, all bool) ([]exercises.Exercise, error) {
	class := creds.Exercises
	rctx, cancel := context.WithTimeout(ctx, classExerciseRefresh)
	me, err := c.Me(rctx)
	cancel()
	if rerr := classRemoved(env, err); rerr != nil {
		return nil, rerr // nothing to capture for a class this student left
	}
	if err == nil && len(me.Exercises) > 0 {
		keepClassExercises(env, creds, me.Exercises)
		class = me.Exercises
	}
	if len(class) == 0 {
		return exs, nil
	}
	var keep []exercises.Exercise
	for _, ex := range exs {
		if slices.Contains(class, ex.ID) {
			keep = append(keep, ex)
		} else if !all {
			return nil, usageError("%s %s 이 수업(%s)의 연습이 아닙니다: 이 수업의 연습은 %s 입니다", ex.ID, hangul.EunNeun(ex.ID), creds.Class, strings.Join(class, ", "))
		}
	}
	return keep, nil
}

// drainAndReport sends the outbox and prints the server's verdicts.
func drainAndReport(ctx context.Context, out io.Writer, c *client.Client, creds *client.Credentials) error {
	res, err := c.Drain(ctx)
	for _, l := range ackLines(res.Acked, ": ") {
		fmt.Fprintln(out, l)
	}
	for _, e := range res.Rejected {
		fmt.Fprintf(out, "! 서버가 제출 하나를 거절했습니다: %v (편지함의 rejected/ 에 보관)\n", e)
	}
	if note := droppedNote(c.Outbox.Dir, res); note != "" {
		fmt.Fprintln(out, note)
	}
	if err != nil {
		if client.IsRemoved(err) {
			return err // classRemoved explains it once; nothing is sent again
		}
		if studentTokenRefused(err) {
			return &ExitError{Code: ExitFailure, Err: errors.New(replacedMessage(creds, err, fmt.Sprintf("제출 %d개는 편지함에 남아 있습니다", res.Pending)))}
		}
		fmt.Fprintf(out, "서버에 보내지 못해 제출 %d개가 편지함(outbox)에 남았습니다: 다음 dslab class submit 이나 dslab class status 때 다시 보냅니다 — %s\n", res.Pending, netText(err))
		return &ExitError{Code: ExitFailure, Err: errors.New("")}
	}
	if len(res.Acked) == 0 && len(res.Rejected) == 0 && len(res.Dropped) == 0 {
		fmt.Fprintln(out, "보낼 제출이 없습니다.")
	}
	if len(res.Rejected) > 0 {
		// Scripts and the install line must see that the server did not
		// take it (the reasons are printed above).
		return &ExitError{Code: ExitUsage, Err: fmt.Errorf("서버가 제출 %d개를 거절했습니다: 위의 이유를 보세요", len(res.Rejected))}
	}
	return nil
}

// ackLines (sep between the exercise and its verdict) is one line per exercise of the acknowledged submissions of
// one drain, in the order the exercises first came: the server's verdict
// of the newest one, with the board's icon and word together as `class
// status` prints them (issue 12: the first submit after an outage printed
// the outbox's copy and the new capture as two results). Earlier ones of
// the exercise sent in the same drain (made while the server was down) are
// counted on that line when the server stored them as other submissions;
// an answer that is the same stored submission (a retry, or the server's
// unchanged) is not a second result.
// serverVerdictBadge is the server's verdict of one snapshot in the words
// dslab grade and the lab use (grader.ScoreBadge): the student read
// "진행 중 · 5/10점" from dslab grade and "✘ 실패 5/10" from the submit
// line for the same state (issue 12). The server's failed (graded, the
// DaemonSet there, not passed) is the learner's 진행 중; not-started shows
// the full marks as dslab grade does. The icon is the board's of that
// word (api.StatusMark): "✔ 통과 · 10/10점", "… 진행 중 · 5/10점".
func serverVerdictBadge(status string, score, maxScore int) string {
	var word string
	switch status {
	case api.StatusPassed:
		word = grader.ScoreBadge(grader.StatusPassed, score, maxScore, true, nil)
	case api.StatusFailed:
		status = api.StatusInProgress
		word = grader.ScoreBadge(grader.StatusInProgress, score, maxScore, true, nil)
	case api.StatusNotStarted:
		word = grader.ScoreBadge(grader.StatusNotStarted, score, maxScore, false, nil)
	default:
		return fmt.Sprintf("%s %d/%d", api.StatusText(status), score, maxScore)
	}
	icon, _ := api.StatusMark(status)
	return icon + " " + word
}

func ackLines(acked []api.SubmitResponse, sep string) []string {
	var order []string
	byEx := map[string][]api.SubmitResponse{}
	for _, r := range acked {
		if _, ok := byEx[r.Exercise]; !ok {
			order = append(order, r.Exercise)
		}
		byEx[r.Exercise] = append(byEx[r.Exercise], r)
	}
	lines := make([]string, 0, len(order))
	for _, ex := range order {
		rs := byEx[ex]
		r := rs[len(rs)-1]
		earlier := map[int64]bool{} // other stored submissions sent now
		storedNow := false          // r's own submission was stored in this drain
		for _, e := range rs[:len(rs)-1] {
			if e.ID != r.ID {
				earlier[e.ID] = true
			} else if !e.Unchanged {
				storedNow = true
			}
		}
		line := fmt.Sprintf("%s%s%s (서버 채점)", r.Exercise, sep, serverVerdictBadge(r.Status, r.Score, r.MaxScore))
		if len(r.Flags) > 0 {
			line += " — 표시: " + api.FlagsText(r.Flags)
		}
		if slices.Contains(r.Flags, server.FlagLate) {
			// As class status says it (issue 12: the submit line only
			// said "마감 후 제출").
			line += " — 점수에 들어가지 않음"
		}
		if r.Unchanged && !storedNow {
			// server.sameAsPrevious: not stored, not an attempt.
			line += " — 지난 제출과 같은 스냅숏이라 새 시도로 세지 않았습니다"
		}
		if len(earlier) > 0 {
			line += fmt.Sprintf(" — 편지함에 있던 이전 제출 %d개도 보냈습니다", len(earlier))
		}
		lines = append(lines, line)
	}
	return lines
}

// replacedJoinReason is why a class server refuses a token it once gave,
// as far as the server lets the client know: the server keeps only the
// newest token of a student, so this computer's place was taken by a join
// of the same 학번 from another computer — with the instructor's approval
// only when the server asks for one (rejoin, api.Error.Rejoin: issue 12,
// the reason always named an approval, also under --allow-rejoin).
func replacedJoinReason(rejoin string) string {
	if rejoin == api.RejoinApproval {
		return "강사의 승인을 받아 다른 컴퓨터에서 다시 참가했습니다"
	}
	return "다른 컴퓨터에서 다시 참가했습니다"
}

// studentTokenRefused reports whether err is the class server refusing the
// stored student token (HTTP 401).
func studentTokenRefused(err error) bool {
	var ae *client.APIError
	return errors.As(err, &ae) && ae.Status == http.StatusUnauthorized
}

// rejoinOf is the server's rejoin setting carried by a refused token's
// error (api.Error.Rejoin; "" from an older server).
func rejoinOf(err error) string {
	var ae *client.APIError
	if errors.As(err, &ae) {
		return ae.Rejoin
	}
	return ""
}

// replacedMessage is the Korean text for a refused student token (err, a
// 401 from the server): this computer's place was taken by a rejoin, what
// became of the submissions (kept, a sentence or ""), and how to take the
// place back, as the server's rejoin setting says (api.Error.Rejoin; issue
// 12: the advice always asked for the instructor's approval, even on a
// server with --allow-rejoin). With --allow-rejoin the join command just
// works again; otherwise the instructor must first approve again (the
// one-time approval went to the other computer); an older server that does
// not say gets the approval as a condition. The join command comes last,
// alone on its own line indented by two, so that it is copied whole (issue
// 12: inside the sentence it wrapped at 80 columns); every user value in
// it is one shell word (api.ShellArg: an unquoted two-word name failed to
// paste). The server's answer (HTTP status, code) is in parentheses after
// the first Korean clause.
func replacedMessage(creds *client.Credentials, err error, kept string) string {
	id := api.ShellArg(creds.RosterID)
	join := fmt.Sprintf("dslab class join %s --code 참가코드 --name %s --id %s",
		api.ShellArg(api.JoinAddress(creds.Server)), api.ShellArg(creds.Name), id)
	rejoin := rejoinOf(err)
	technical := ""
	var ae *client.APIError
	if errors.As(err, &ae) {
		technical = " (" + ae.Technical() + ")"
	}
	msg := fmt.Sprintf("서버가 이 컴퓨터의 학생 토큰을 받지 않습니다%s: 학번 %s %s %s. ",
		technical, creds.RosterID, hangul.EuroRo(creds.RosterID), replacedJoinReason(rejoin))
	if kept != "" {
		msg += kept + ". "
	}
	approve := api.AfterCommand("dslab class approve "+id, hangul.EulReul)
	switch rejoin {
	case api.RejoinOpen:
		msg += "이 서버는 같은 학번이 승인 없이 다시 참가할 수 있게 열려 있으니 (--allow-rejoin), 이 컴퓨터에서 이어 하려면 강사 화면의 참가 코드를 넣어 다시 참가하세요 (다른 컴퓨터의 참가는 끊깁니다):"
	case api.RejoinApproval:
		msg += "이 컴퓨터에서 이어 하려면 먼저 강사가 " + approve + " 실행해야 합니다 (한 번뿐인 승인은 다른 컴퓨터가 이미 썼습니다). 그 뒤 강사 화면의 참가 코드를 넣어 다시 참가하세요:"
	default:
		msg += "이 컴퓨터에서 이어 하려면 강사 화면의 참가 코드를 넣어 다시 참가하세요 (서버가 --allow-rejoin 으로 열려 있지 않으면 그 전에 강사가 " + approve + " 실행해야 합니다):"
	}
	return msg + "\n" + joinCommandText(join)
}

// joinCommandText is a join command the student copies, alone on its own
// lines indented by two (issue 12: inside a sentence, with its particle
// after it, it was about 90 cells and wrapped at 80): one line when it
// fits 80 columns, else broken before an option with the shell's line
// continuation (commandLines), so that no terminal of 80 columns wraps it
// inside a word and the lines pasted together run it.
func joinCommandText(cmd string) string {
	return strings.Join(commandLines(cmd, "  ", 80), "\n")
}

// --- status ---

func newClassStatusCommand(env Env) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "status",
		Short: "연결, 편지함(outbox), 서버의 마지막 채점 결과를 보여 줍니다 (남은 제출도 보냅니다)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runClassStatus(cmd.Context(), env, output)
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "text", "출력 형식: text, json")
	return cmd
}

func runClassStatus(ctx context.Context, env Env, output string) error {
	out := env.textOut().Lines()
	c, creds, err := loadClassClient(env)
	if err != nil {
		return err
	}
	res, drainErr := c.Drain(ctx)
	pending, _ := c.Outbox.Pending()
	rejected, _ := c.Outbox.Rejected()
	me, meErr := c.Me(ctx)
	if rerr := classRemoved(env, meErr); rerr != nil {
		return rerr
	}
	if meErr == nil {
		keepClassExercises(env, creds, me.Exercises) // whenever the server is reached
	}
	if output == "json" {
		applyClassCommands(ctx, env, env.Streams.Err) // class_actions.go
		title, _ := currentClassTitle(creds, me, meErr)
		// pending is what waits to be sent; rejected (kept in rejected/,
		// never sent again) is not part of it.
		v := map[string]any{"server": creds.Server, "rosterId": creds.RosterID, "name": creds.Name, "class": title,
			"connected": meErr == nil, "sent": len(res.Acked), "pending": len(pending), "rejected": len(rejected), "dropped": len(res.Dropped)}
		if meErr == nil {
			v["latest"] = me.Latest
			v["scores"] = me.Scores
			v["commands"] = printClassCommands(ctx, nil, c)
		} else if studentTokenRefused(meErr) {
			v["error"] = replacedMessage(creds, meErr, "")
		} else {
			v["error"] = meErr.Error()
		}
		enc := json.NewEncoder(env.Streams.Out)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			return err
		}
		if meErr != nil {
			// As the text form: not connected (a refused token, an
			// unreachable server) is exit 1 (issue 12: it was 0).
			return &ExitError{Code: ExitFailure, Err: errors.New("")}
		}
		return nil
	}
	// The class as the server names it now (the instructor may have
	// renamed it since this student joined).
	title, known := currentClassTitle(creds, me, meErr)
	switch {
	case !known:
		title += " (이 컴퓨터에 저장된 이름: 서버에 묻지 못했습니다)"
	case title != creds.Class:
		title += " (참가할 때 이름: " + creds.Class + ")"
	}
	fmt.Fprintf(out, "수업: %s (%s)\n학생: %s (학번 %s)\n", title, creds.Server, creds.Name, creds.RosterID)
	if meErr != nil {
		var ae *client.APIError
		if studentTokenRefused(meErr) {
			fmt.Fprintf(out, "연결: 실패 — %s\n", replacedMessage(creds, meErr, ""))
		} else if errors.As(meErr, &ae) {
			fmt.Fprintf(out, "연결: 실패 — %v\n", meErr) // the server's own Korean answer
		} else {
			// Korean first, the transport's words after (issue 12).
			fmt.Fprintf(out, "연결: 실패 — 수업 서버 %s 에 닿지 못했습니다 (강사의 서버가 켜져 있는지, 같은 네트워크인지 확인하세요; 제출은 편지함에 남았다가 다시 연결되면 보냅니다) · %s\n", creds.Server, netCauseText(meErr))
		}
	} else {
		fmt.Fprintln(out, "연결: 정상")
	}
	// Only what waits to be sent is pending; refused items are kept aside
	// and said on a line of their own (issue 12: "거절됨 N개" on this line
	// read as still pending, days later).
	sent := fmt.Sprintf("편지함(outbox): 보낼 제출 %d개, 방금 보냄 %d개", len(pending), len(res.Acked))
	if len(res.Rejected) > 0 {
		sent += fmt.Sprintf(", 방금 거절됨 %d개", len(res.Rejected))
	}
	fmt.Fprintln(out, sent)
	if len(rejected) > 0 {
		fmt.Fprintf(out, "  서버가 거절한 제출 %d개는 보낼 제출이 아닙니다: 다시 보내지 않고 기록으로만 %s 에 남아 있습니다\n", len(rejected), filepath.Join(c.Outbox.Dir, "rejected"))
	}
	if note := droppedNote(c.Outbox.Dir, res); note != "" {
		fmt.Fprintln(out, "  "+note)
	}
	if w := client.WaitingText(len(pending)); w != "" {
		// One wording with the lab's class line (the instructor trial on
		// f9ad301: no sign that a pass waited for the server).
		if drainErr != nil {
			w += " — " + netText(drainErr)
		}
		fmt.Fprintln(out, "  "+w)
	}
	if meErr != nil {
		return &ExitError{Code: ExitFailure, Err: errors.New("")}
	}
	applyClassCommandsTelling(ctx, env, out, false) // class_actions.go; the earlier ones are counted below
	printClassCommands(ctx, out, c)                 // class_board.go
	printServerScores(out, me)
	return nil
}

// currentClassTitle is the class's title as the server names it now and
// true: from /me, or from the 401 that refused this computer's token
// (api.Error.Class; issue 12: a replaced computer's status showed the title
// saved at the join); the title saved at the join and false when the
// server did not say.
func currentClassTitle(creds *client.Credentials, me api.MeResponse, meErr error) (string, bool) {
	var ae *client.APIError
	switch {
	case meErr == nil && me.Class != "":
		return me.Class, true
	case errors.As(meErr, &ae) && ae.Class != "":
		return ae.Class, true
	}
	return creds.Class, false
}

// verdictTime is when the submission of v was made, as the student knows
// it: the lab's capture time (api.Verdict.ClientTime; local clock,
// "15:04:05") and, when the server received it more than a minute apart
// (it waited in the outbox), "(보낸 시각 …)" after (issue 12: a queued
// submission showed only the time it arrived). An older server's verdict
// has only the received time.
func verdictTime(v api.Verdict) string {
	if v.ClientTime.IsZero() {
		return v.ReceivedAt.Local().Format("15:04:05")
	}
	t := v.ClientTime.Local().Format("15:04:05")
	if d := v.ReceivedAt.Sub(v.ClientTime); d > time.Minute || d < -time.Minute {
		t += " (보낸 시각 " + v.ReceivedAt.Local().Format("15:04:05") + ")"
	}
	return t
}

// printServerScores prints the server's verdicts as the board and the
// class table count them (docs/class.md "점수 규칙"): one line per
// exercise of the class as the server lists it now (MeResponse.Exercises;
// one not submitted yet is "— 제출 없음"), the submission that counts and,
// only when it says something else, the newest one beside it (a failing
// one after a pass, a late one); then the exercises the instructor took
// out of the class that the student had submitted. A server without
// MeResponse.Scores gets the newest verdicts, labelled so.
func printServerScores(out io.Writer, me api.MeResponse) {
	if len(me.Latest) == 0 && len(me.Scores) == 0 && len(me.Exercises) == 0 {
		fmt.Fprintln(out, "서버의 채점 결과: 아직 없습니다")
		return
	}
	word := func(v api.Verdict) string {
		// dslab grade's words, as `class submit` prints them
		// (serverVerdictBadge; issue 12: status said "✘ 실패 5/10" where
		// submit and dslab grade said "진행 중 · 5/10점").
		return serverVerdictBadge(v.Status, v.Score, v.MaxScore)
	}
	flags := func(v api.Verdict) string {
		if len(v.Flags) == 0 {
			return ""
		}
		return "  표시: " + api.FlagsText(v.Flags)
	}
	if me.Scores == nil && len(me.Exercises) == 0 {
		fmt.Fprintln(out, "서버의 채점 결과 (연습마다 마지막 제출):")
		for _, v := range me.Latest {
			fmt.Fprintf(out, "  %-18s %s  %s%s\n", v.Exercise, word(v), verdictTime(v), flags(v))
		}
		return
	}
	line := func(sc api.ExerciseScore) string {
		line := fmt.Sprintf("  %-18s ", sc.Exercise)
		c := sc.Counted
		if c != nil {
			line += fmt.Sprintf("%s  %s%s", word(*c), verdictTime(*c), flags(*c))
		} else {
			line += api.NoSubmissionMark + " 제때 낸 제출 없음"
		}
		n := sc.Newest
		if n == nil {
			return line
		}
		late := slices.Contains(n.Flags, server.FlagLate)
		switch {
		case c != nil && n.Status == c.Status && n.Score == c.Score && !late:
			// The same verdict again says nothing new (the board hides
			// it too).
		case c != nil && n.Status == c.Status && n.Score == c.Score:
			line += fmt.Sprintf("  (마지막 제출 %s: 같은 결과, 마감 후 — 점수에 들어가지 않음)", verdictTime(*n))
		case late:
			line += fmt.Sprintf("  (마지막 제출 %s: %s, 마감 후 — 점수에 들어가지 않음)", verdictTime(*n), word(*n))
		default:
			line += fmt.Sprintf("  (마지막 제출 %s: %s)", verdictTime(*n), word(*n))
		}
		return line
	}
	byEx := map[string]api.ExerciseScore{}
	for _, sc := range me.Scores {
		byEx[sc.Exercise] = sc
	}
	if me.Scores == nil { // a server with Exercises but without Scores
		for _, v := range me.Latest {
			byEx[v.Exercise] = api.ExerciseScore{Exercise: v.Exercise, Counted: &v}
		}
	}
	fmt.Fprintln(out, "서버의 채점 결과 (점수표·보드와 같은 기준: 한 번 통과한 연습은 통과로 남고, 마감 후 제출은 점수에 들어가지 않습니다):")
	ids := me.Exercises
	if len(ids) == 0 { // an older server: the exercises submitted to
		for _, sc := range me.Scores {
			ids = append(ids, sc.Exercise)
		}
	}
	for _, id := range ids {
		if sc, ok := byEx[id]; ok {
			fmt.Fprintln(out, line(sc))
			continue
		}
		fmt.Fprintf(out, "  %-18s %s %s\n", id, api.NoSubmissionMark, api.NoSubmissionWord)
	}
	var gone []string
	for _, sc := range me.Scores {
		if !slices.Contains(ids, sc.Exercise) {
			gone = append(gone, line(sc))
		}
	}
	if len(gone) > 0 {
		fmt.Fprintln(out, "수업 목록에서 빠진 연습 (강사가 뺐습니다; 점수에 들어가지 않습니다):")
		for _, l := range gone {
			fmt.Fprintln(out, l)
		}
	}
	fmt.Fprintln(out, statusLegend())
}

// statusLegend is the line under `class status`'s scores naming every
// mark they may show, "…" (진행 중) included (the instructor trial on
// f9ad301: the legend lacked it), from the one table (api.StatusMark).
func statusLegend() string {
	parts := make([]string, 0, 5)
	for _, st := range api.KnownStatuses() {
		if st == api.StatusFailed {
			// serverVerdictBadge shows a failed verdict as … 진행 중,
			// dslab grade's word: ✘ never appears here (and "✘ 진행 중"
			// beside "… 진행 중" named one word twice).
			continue
		}
		parts = append(parts, api.StatusText(st))
	}
	parts = append(parts, api.NoSubmissionMark+" "+api.NoSubmissionWord)
	return "  기호: " + strings.Join(parts, " · ")
}

// --- leave ---

func newClassLeaveCommand(env Env) *cobra.Command {
	return &cobra.Command{
		Use:   "leave",
		Short: "수업 자격 증명을 지웁니다",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			out := env.textOut().Lines()
			creds, err := client.LoadCredentials(env.Paths.ConfigDir)
			if err != nil {
				return err
			}
			if creds == nil {
				fmt.Fprintln(out, "참가한 수업이 없습니다.")
				return nil
			}
			title, fresh := classTitleNow(cmd.Context(), env, creds)
			if err := client.RemoveCredentials(env.Paths.ConfigDir); err != nil {
				return fmt.Errorf("자격 증명을 지울 수 없습니다: %w", err)
			}
			setClassFrozen(env, false) // that class's freeze is not the next one's
			if fresh {
				fmt.Fprintf(out, "수업 %q 에서 나왔습니다 (자격 증명을 지웠습니다).\n", title)
			} else {
				fmt.Fprintf(out, "수업 %q 에서 나왔습니다 (자격 증명을 지웠습니다; 서버에서 지금 이름을 받지 못해 참가할 때 저장한 이름입니다).\n", title)
			}
			if p, _ := (client.Outbox{Dir: client.OutboxDir(env.Paths.DataDir)}).Pending(); len(p) > 0 {
				fmt.Fprintf(out, "보내지 못한 제출 %d개는 편지함(%s)에 남겨 두었습니다: 다시 참가하면 보냅니다.\n", len(p), client.OutboxDir(env.Paths.DataDir))
			}
			return nil
		},
	}
}

// classTitleLookup bounds the /me call of `class leave` for the class's
// current title; a slow or unreachable server falls back to the stored one.
const classTitleLookup = 3 * time.Second

// classTitleNow is the class's title as the server names it now
// (api.MeResponse.Class: the instructor may have renamed it since the
// join; issue 12, `class leave` printed the old title) and true, or the
// title stored at the join and false when the server did not answer.
func classTitleNow(ctx context.Context, env Env, creds *client.Credentials) (string, bool) {
	ctx, cancel := context.WithTimeout(ctx, classTitleLookup)
	defer cancel()
	me, err := client.New(*creds, env.Paths.DataDir).Me(ctx)
	if err != nil || me.Class == "" {
		return creds.Class, false
	}
	return me.Class, true
}

// --- instructor: export, approve, regrade ---

// instructorFlags reach the class either through a running server (--server,
// instructor token) or straight through the database (--data/--db).
type instructorFlags struct {
	store     classStoreFlags
	server    string
	tokenFile string
	// serverFrom says where server came from, for the Korean error when
	// it cannot be reached ("" means --server).
	serverFrom string
	// direct is set by reach when it went straight to the database
	// (no server ran on --data): directNote says so.
	direct bool
	// local, when set, answers do's requests in-process instead of over
	// the network (reachLocal: the class server's own handler on the
	// stopped server's database).
	local http.Handler
}

// defaultServer fills server, when --server is not given, with the address
// `dslab class serve` left in the data dir (ServerAddrFile) or the default
// one, and notes where it came from.
func (f *instructorFlags) defaultServer() {
	if f.server != "" {
		return
	}
	u, recorded := localServerURL(f.store.data)
	f.server = u
	if recorded {
		f.serverFrom = "dslab class serve 가 남긴 " + filepath.Join(f.store.data, ServerAddrFile) + " 파일에서 읽은 주소"
	} else {
		f.serverFrom = "기본 주소 (" + filepath.Join(f.store.data, ServerAddrFile) + " 파일이 없음)"
	}
}

// netText is err as every class command says it: a failure to reach the
// class server in the one Korean rendering (client.NetErrorText: "서버에
// 연결할 수 없습니다 (주소) · connection refused"), any other error as is.
func netText(err error) string {
	if t, ok := client.NetErrorText(err); ok {
		return t
	}
	return err.Error()
}

// netCauseText is netText's cause alone, for a line that already says the
// server could not be reached and names its address.
func netCauseText(err error) string {
	if c, ok := client.NetCause(err); ok {
		return c
	}
	return err.Error()
}

// unreachable is the Korean error for a class server that did not answer:
// the address tried, where it came from, and the --server flag.
func (f instructorFlags) unreachable(err error) error {
	from := f.serverFrom
	if from == "" {
		from = "--server 로 준 주소"
	}
	return &ExitError{Code: ExitUnreachable, Err: fmt.Errorf("수업 서버 %s 에 연결할 수 없습니다 (%s). 서버가 켜져 있는지 확인하고, 다른 주소에서 들으면 그 주소를 --server 옵션에 주세요 (예: --server http://192.168.0.10:7070) · %s", f.server, from, netCauseText(err))}
}

func (f *instructorFlags) add(cmd *cobra.Command, env Env) {
	f.store.add(cmd, env)
	cmd.Flags().StringVar(&f.server, "server", "", "수업 서버 주소 (http://…; 없으면 --data 에서 실행 중인 서버, 서버가 꺼져 있으면 --data/--db 를 직접)")
	cmd.Flags().StringVar(&f.tokenFile, "token-file", "", "강사 토큰 파일 (기본: --data 의 instructor-token)")
}

// tokenPath is the instructor token file read: --token-file, or the one
// dslab class serve wrote in --data.
func (f instructorFlags) tokenPath() string {
	if f.tokenFile != "" {
		return f.tokenFile
	}
	return filepath.Join(f.store.data, server.InstructorTokenFile)
}

func (f instructorFlags) token() (string, error) {
	path := f.tokenPath()
	b, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && f.tokenFile != "":
		return "", usageError("강사 토큰 파일이 없습니다: %s — --token-file 에 수업 서버의 데이터 폴더에 있는 %s 파일 경로를 주세요", path, server.InstructorTokenFile)
	case errors.Is(err, fs.ErrNotExist):
		// Issue 12: "open …/instructor-token: no such file or directory".
		return "", usageError("강사 토큰 파일이 없습니다: %s — 이 폴더에서 수업을 연 적이 없습니다 (dslab class serve 가 처음 열 때 만듭니다). 수업을 연 폴더를 --data 로 주거나, 그 폴더의 %s 파일을 --token-file 로 주세요", path, server.InstructorTokenFile)
	case errors.Is(err, fs.ErrPermission):
		return "", usageError("강사 토큰 파일을 읽을 권한이 없습니다: %s — 수업을 연 사용자로 실행하거나 --token-file 로 읽을 수 있는 사본을 주세요", path)
	case err != nil:
		return "", usageError("강사 토큰 파일을 읽을 수 없습니다: %s — --token-file 로 지정하세요 (%v)", path, err)
	}
	return strings.TrimSpace(string(b)), nil
}

// instructorCall is one request to the class server's instructor API: in
// is sent as JSON (nil: no body), the answer is decoded into out.
type instructorCall struct {
	method, path string
	in, out      any
	// roster is the 학번 the call is about ("" none): the server's
	// no-student 404 is worded as the direct path's (noStudentError).
	roster string
}

// reach does one instructor operation: through a server (do, with the
// instructor token) when --server is set or one runs on --data
// (classServerRunning), otherwise straight on the class database of
// --data/--db, after an explicit --token-file was checked against the
// class (checkDirectToken); direct gets the open store, which is closed
// when direct returns, and f.direct is set (directNote).
func (f *instructorFlags) reach(ctx context.Context, call instructorCall, direct func(store.Store) error) error {
	if f.server == "" && classServerRunning(f.store.data) {
		f.defaultServer()
	}
	if f.server != "" {
		return f.do(ctx, call)
	}
	st, _, err := f.store.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := f.checkDirectToken(ctx, st); err != nil {
		return err
	}
	f.direct = true
	return direct(st)
}

func (f instructorFlags) call(ctx context.Context, method, path string, in, out any) error {
	return f.do(ctx, instructorCall{method: method, path: path, in: in, out: out})
}

// do sends call to the server with the instructor token; every failure
// is an *ExitError (class_exit.go).
func (f instructorFlags) do(ctx context.Context, call instructorCall) error {
	method, path, in, out := call.method, call.path, call.in, call.out
	tok, err := f.token()
	if err != nil {
		return err
	}
	hc := &http.Client{Timeout: 5 * time.Minute}
	if f.local != nil {
		hc.Transport = handlerTransport{f.local}
	}
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = strings.NewReader(string(b))
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(f.server, "/")+path, body)
	if err != nil {
		return usageError("수업 서버 주소가 올바르지 않습니다: %v", err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := hc.Do(req)
	if err != nil {
		return f.unreachable(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		var e api.Error
		json.Unmarshal(b, &e)
		if e.Error == "" {
			e.Error = strings.TrimSpace(string(b))
		}
		if resp.StatusCode == http.StatusUnauthorized || e.Code == "forbidden" {
			// The server's text is for a browser (issue 12): say which
			// file's token it refused.
			return &ExitError{Code: ExitFailure, Err: fmt.Errorf("수업 서버가 강사 토큰 파일 %s 의 토큰을 거절했습니다: 이 서버를 띄운 dslab class serve 의 --data 에 있는 instructor-token 파일을 --token-file 로 주세요 (서버 %s, HTTP %d %s)",
				f.tokenPath(), f.server, resp.StatusCode, e.Code)}
		}
		if resp.StatusCode == http.StatusNotFound && e.Code == "no-student" && call.roster != "" {
			return noStudentError(call.roster, fmt.Sprintf("수업 서버 HTTP %d %s", resp.StatusCode, e.Code))
		}
		if resp.StatusCode == http.StatusConflict && e.Error != "" {
			// Nothing to change (a freeze while frozen, …): the server's
			// Korean note first, the HTTP answer after.
			return &ExitError{Code: ExitFailure, Err: fmt.Errorf("%s (수업 서버 HTTP %d %s)", e.Error, resp.StatusCode, e.Code)}
		}
		if e.Code != "" {
			e.Code = " " + e.Code
		}
		// Refused (exit 1) whatever the reason, a wrong token included:
		// the server answered (class_exit.go).
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("수업 서버가 거절했습니다 (HTTP %d%s): %s", resp.StatusCode, e.Code, e.Error)}
	}
	if err := json.Unmarshal(b, out); err != nil {
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("수업 서버의 답을 읽을 수 없습니다 (dslab 버전이 서버와 다른가요?): %w", err)}
	}
	return nil
}

type classExportOptions struct {
	inst        instructorFlags
	output      string
	outFile     string
	submissions bool
	snapshots   bool
}

func newClassExportCommand(env Env) *cobra.Command {
	var o classExportOptions
	cmd := &cobra.Command{
		Use:   "export",
		Short: "수업 점수표와 모든 제출을 내보냅니다 (-o csv|json|junit; CSV 는 엑셀용 BOM 포함)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runClassExport(cmd.Context(), env, o)
		},
	}
	o.inst.add(cmd, env)
	f := cmd.Flags()
	f.StringVarP(&o.output, "output", "o", "csv", "출력 형식: csv, json, junit")
	f.StringVar(&o.outFile, "out", "", "파일로 저장 (기본: 표준 출력)")
	f.BoolVar(&o.submissions, "submissions", false, "CSV: 점수표 대신 제출 하나당 한 줄 (flags 열 포함)")
	f.BoolVar(&o.snapshots, "snapshots", false, "JSON: 원본 스냅숏도 넣습니다")
	return cmd
}

func runClassExport(ctx context.Context, env Env, o classExportOptions) error {
	switch o.output {
	case "csv", "json", "junit":
	default:
		return usageError("알 수 없는 출력 형식 %q: csv, json, junit 중 하나를 쓰세요", o.output)
	}
	cat, err := loadCatalog()
	if err != nil {
		return err
	}
	var exp api.Export
	path := api.PathExport
	if o.snapshots {
		path += "?snapshots=1"
	}
	err = o.inst.reach(ctx, instructorCall{method: "GET", path: path, out: &exp}, func(st store.Store) error {
		var err error
		if exp, err = server.BuildExport(ctx, st, cat, o.snapshots, time.Now()); errors.Is(err, store.ErrNotFound) {
			return usageError("%s 에 수업이 없습니다: 먼저 dslab class serve 로 수업을 여세요", o.inst.store.data)
		}
		return err
	})
	if err != nil {
		return err
	}
	fillExportStates(&exp)
	if note := o.inst.directNote(true); note != "" {
		env.textErr().Println(note)
	}
	write := func(w io.Writer) error {
		switch {
		case o.output == "json":
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			enc.SetEscapeHTML(false)
			return enc.Encode(exp)
		case o.output == "junit":
			return writeClassJUnit(w, exportClassReport(exp, cat))
		case o.submissions:
			return server.WriteSubmissionsCSV(w, exp, nil)
		default:
			// The same writer as `dslab grade --all -o csv`.
			return writeClassCSV(w, exportClassReport(exp, cat))
		}
	}
	if o.outFile == "" {
		return write(env.Streams.Out)
	}
	// The file appears only when complete: a failed export leaves an
	// earlier 점수.csv as it was.
	if err := atomicfile.Write(o.outFile, 0o644, 0o755, write); err != nil {
		return fmt.Errorf("%s 에 쓸 수 없습니다: %w", o.outFile, err)
	}
	fmt.Fprintf(env.textErr().Lines(), "학생 %d명, 제출 %d개를 %s 에 저장했습니다\n", len(exp.Students), len(exp.Submissions), o.outFile)
	return nil
}

func newClassApproveCommand(env Env) *cobra.Command {
	var inst instructorFlags
	cmd := &cobra.Command{
		Use:   "approve 학번",
		Short: "강사용: 같은 학생이 새 컴퓨터에서 다시 참가하도록 승인합니다 (다른 학생을 합치지 마세요)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			var r map[string]string
			call := instructorCall{method: "POST", path: api.PathApprove, in: api.ApproveRequest{RosterID: args[0]}, out: &r, roster: args[0]}
			err := inst.reach(ctx, call, func(st store.Store) error {
				if _, err := st.ApproveRejoin(ctx, args[0]); errors.Is(err, store.ErrNotFound) {
					return noStudentError(args[0], "") // as the server's 404 (class_exit.go)
				} else if err != nil {
					return err
				}
				return nil
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(env.textOut().Lines(), "학번 %s 학생이 다른 컴퓨터에서 한 번 다시 참가할 수 있습니다. 같은 학생이 새 컴퓨터로 옮길 때만 승인하세요: 다시 참가하면 이전 컴퓨터의 참가는 끊깁니다.\n", args[0])
			if note := inst.directNote(false); note != "" {
				env.textOut().Println(note)
			}
			return nil
		},
	}
	inst.add(cmd, env)
	return cmd
}

func newClassRegradeCommand(env Env) *cobra.Command {
	var inst instructorFlags
	cmd := &cobra.Command{
		Use:   "regrade --all",
		Short: "강사용: 저장된 모든 스냅숏을 이 dslab 의 채점기로 다시 채점합니다",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			var r api.RegradeResponse
			err := inst.reach(ctx, instructorCall{method: "POST", path: api.PathRegrade, out: &r}, func(st store.Store) error {
				cat, err := loadCatalog()
				if err != nil {
					return err
				}
				r, _, err = server.RegradeAll(ctx, st, cat, graderVersion(), time.Now())
				return err
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(env.textOut().Lines(), "다시 채점했습니다: %s\n채점기 버전: %s\n", api.RegradeText(r.Regraded, r.Changed), graderVersionText(r.GraderVersion))
			if note := inst.directNote(false); note != "" {
				env.textOut().Println(note)
			}
			return nil
		},
	}
	inst.add(cmd, env)
	cmd.Flags().Bool("all", true, "저장된 모든 제출 (지금은 이것만 됩니다)")
	return cmd
}
