// Package classtest holds test helpers for the class server: a real
// PostgreSQL server started from Debian's postgresql package in a temporary
// directory.
package classtest

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// Postgres is a running PostgreSQL server owned by one test.
type Postgres struct {
	// Addr is host:port on loopback.
	Addr string
	dir  string
}

// PostgresBin returns the bin directory of the newest installed Debian
// PostgreSQL (/usr/lib/postgresql/<major>/bin), or "" when none is.
func PostgresBin() string {
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	sort.Slice(matches, func(i, j int) bool {
		a, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(matches[i]))))
		b, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(matches[j]))))
		return a > b
	})
	if len(matches) == 0 {
		return ""
	}
	return filepath.Dir(matches[0])
}

// StartPostgres starts a PostgreSQL server for t in a fresh temporary data
// directory on a free loopback port and stops it (and removes the
// directory) when t ends. It skips t, saying why, when Debian's postgresql
// package is not installed (`make test` installs it when run as root).
// PostgreSQL refuses to run as root, so as root it runs as the "postgres"
// user the package creates.
func StartPostgres(t testing.TB) *Postgres {
	t.Helper()
	bin := PostgresBin()
	if bin == "" {
		t.Skip("PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb not found): `apt-get install -y postgresql`, or run `make test` as root")
	}
	dir, err := os.MkdirTemp("", "dslab-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Skipf("running as root and there is no postgres user to run PostgreSQL as: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	}
	data := filepath.Join(dir, "data")
	cmd := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-instructions", "--no-sync")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	port := freePort(t)
	logf, err := os.Create(filepath.Join(dir, "postgres.log"))
	if err != nil {
		t.Fatal(err)
	}
	if cred != nil {
		os.Chown(logf.Name(), int(cred.Uid), int(cred.Gid))
	}
	srv := exec.Command(filepath.Join(bin, "postgres"), "-D", data, "-p", strconv.Itoa(port), "-h", "127.0.0.1", "-k", dir,
		"-c", "max_connections=200", "-c", "shared_buffers=32MB")
	srv.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Setpgid: true}
	srv.Stdout, srv.Stderr = logf, logf
	srv.Dir = dir
	if err := srv.Start(); err != nil {
		t.Fatalf("postgres: %v", err)
	}
	done := make(chan struct{})
	go func() { srv.Wait(); close(done) }()
	t.Cleanup(func() {
		srv.Process.Signal(syscall.SIGINT) // fast shutdown
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			srv.Process.Kill()
			<-done
		}
		logf.Close()
	})
	p := &Postgres{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), dir: dir}
	deadline := time.Now().Add(30 * time.Second)
	for {
		db, err := sql.Open("pgx", p.DSN("postgres"))
		if err == nil {
			err = db.Ping()
			db.Close()
		}
		if err == nil {
			break
		}
		select {
		case <-done:
			log, _ := os.ReadFile(logf.Name())
			t.Fatalf("postgres exited: %s", log)
		default:
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(logf.Name())
			t.Fatalf("postgres did not answer: %v\n%s", err, log)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return p
}

// DSN is the URL of database db on p.
func (p *Postgres) DSN(db string) string {
	return fmt.Sprintf("postgres://postgres@%s/%s?sslmode=disable", p.Addr, db)
}

// NewDatabase creates a fresh database and returns its URL.
func (p *Postgres) NewDatabase(t testing.TB) string {
	t.Helper()
	db, err := sql.Open("pgx", p.DSN("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	name := "t" + strings.ToLower(strconv.FormatInt(time.Now().UnixNano(), 36))
	if _, err := db.ExecContext(context.Background(), "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	return p.DSN(name)
}

func freePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
