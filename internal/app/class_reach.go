package app

// Where an instructor command without --server goes (issue 12: approve and
// remove wrote the database straight past a running server, so a wrong
// --token-file was never refused while send refused it): through the
// server that runs on the data dir when there is one, straight on the
// database only when it is stopped — and then an explicit --token-file
// must still be this class's token.

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/dslab-kr/dslab/internal/class/server"
	"github.com/dslab-kr/dslab/internal/class/store"
)

// classServerRunning reports whether a `dslab class serve` runs on
// dataDir: its serve lock is held (Unix, SQLite data dirs;
// class_lock_unix.go), or the address it recorded in ServerAddrFile
// accepts a TCP connection within a second (a --db server, or off Unix).
func classServerRunning(dataDir string) bool {
	if serveLockHeld(dataDir) {
		return true
	}
	u, recorded := localServerURL(dataDir)
	if !recorded {
		return false
	}
	pu, err := url.Parse(u)
	if err != nil || pu.Host == "" {
		return false
	}
	c, err := net.DialTimeout("tcp", pu.Host, time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// checkDirectToken refuses (exit 1) an explicit --token-file whose token
// is not the class's in st (store.Class.InstructorTokenHash, as
// server.Setup compares it): the direct path answers a wrong token as the
// server would. No class yet is left to the command (its own message).
func (f instructorFlags) checkDirectToken(ctx context.Context, st store.Store) error {
	if f.tokenFile == "" {
		return nil
	}
	tok, err := f.token()
	if err != nil {
		return err
	}
	c, err := st.GetClass(ctx)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if server.HashToken(tok) != c.InstructorTokenHash {
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("강사 토큰 파일 %s 의 토큰이 이 수업(%s)의 토큰과 달라 거절했습니다: 이 수업을 연 dslab class serve 의 --data 에 있는 instructor-token 파일을 --token-file 로 주세요",
			f.tokenFile, f.where())}
	}
	return nil
}

// where names the class database of the direct path in Korean: the data
// dir, or the PostgreSQL database of --db.
func (f instructorFlags) where() string {
	if f.store.db != "" {
		return "--db 의 PostgreSQL 데이터베이스"
	}
	return "데이터 폴더 " + f.store.data
}

// directNote is the Korean line a command adds after it wrote (or, with
// read, read) the database itself because no server ran ("" when it went
// through a server).
func (f instructorFlags) directNote(read bool) string {
	if !f.direct {
		return ""
	}
	if read {
		return fmt.Sprintf("서버가 꺼져 있어 %s 에서 바로 읽었습니다.", f.where())
	}
	return fmt.Sprintf("서버가 꺼져 있어 %s 에 바로 기록했습니다: 다음 dslab class serve 가 이어 받습니다.", f.where())
}

// noStudentError is the one Korean wording of an unknown 학번, from the
// server's 404 and from the direct path alike (exit 1, class_exit.go);
// detail, when not empty, is the technical cause after it.
func noStudentError(roster, detail string) error {
	msg := fmt.Sprintf("학번 %s 학생이 없습니다", roster)
	if detail != "" {
		msg += " (" + detail + ")"
	}
	return &ExitError{Code: ExitFailure, Err: errors.New(msg)}
}

// reachLocal is reach for an operation only the class server knows how to
// check and store (a `class send` command: its validation, the freeze
// state, a regrade): with the server stopped, the server's own handler is
// run in-process on the database of --data/--db and call goes to it with
// the instructor token, so the command is stored as the server would store
// it and the students get it when the server is back (issue 12: send
// failed with the server down although its help said it wrote the data
// folder directly).
//
// A data folder without a class database (the class is served from
// elsewhere) has nothing to store into: the recorded or default address
// is tried, and its failure names it.
func (f *instructorFlags) reachLocal(ctx context.Context, call instructorCall) error {
	if f.server == "" && f.store.db == "" {
		if _, err := os.Stat(filepath.Join(f.store.data, store.SQLiteFile)); err != nil {
			f.defaultServer()
		}
	}
	return f.reach(ctx, call, func(st store.Store) error {
		cat, err := loadCatalog()
		if err != nil {
			return err
		}
		srv, err := server.New(ctx, server.Config{Store: st, Catalog: cat, GraderVersion: graderVersion()})
		if err != nil {
			return err
		}
		defer srv.Close()
		local := *f
		local.local = srv.Handler()
		local.server = "http://data-folder" // never dialled: local answers
		local.serverFrom = f.where()
		return local.do(ctx, call)
	})
}

// handlerTransport answers every request with h, in-process.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	return rec.Result(), nil
}
