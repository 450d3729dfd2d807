package app

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/client"
	"github.com/dslab-kr/dslab/internal/class/server"
	"github.com/dslab-kr/dslab/internal/class/store"
)

// classTestServer is a class served in-process by serveTestClass: the
// SQLite store under data, the server and its httptest listener, the join
// code and the instructor token (also in tokenFile, as serve writes it).
type classTestServer struct {
	st        store.Store
	srv       *server.Server
	hs        *httptest.Server
	data      string
	code      string
	token     string
	tokenFile string
}

// serveTestClass sets up a class titled title with exercises exs (nil:
// the whole catalog) in a SQLite store under data and serves it
// in-process, as `dslab class serve --data data` would; the store, server
// and listener are closed at cleanup.
func serveTestClass(t *testing.T, data, title string, exs []string) *classTestServer {
	t.Helper()
	return serveTestClassWith(t, data, title, exs, server.Config{})
}

// serveTestClassWith is serveTestClass with the server's settings of cfg
// (e.g. AllowRejoin); its Store, Catalog and GraderVersion are set here.
func serveTestClassWith(t *testing.T, data, title string, exs []string, cfg server.Config) *classTestServer {
	t.Helper()
	ctx := context.Background()
	st, err := store.OpenSQLite(ctx, filepath.Join(data, store.SQLiteFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	tokenFile := filepath.Join(data, server.InstructorTokenFile)
	class, tok, err := server.Setup(ctx, st, title, exs, tokenFile)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Store, cfg.Catalog, cfg.GraderVersion = st, cat, graderVersion()
	srv, err := server.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { srv.Close(); hs.Close() })
	return &classTestServer{st: st, srv: srv, hs: hs, data: data, code: class.JoinCode, token: tok, tokenFile: tokenFile}
}

// newServer is another server of the class's store, as `class serve`
// run again on the same data dir: the caller serves its Handler where the
// test needs it (a new address, the old one, or none for BuildBoard). It
// is closed when t ends.
func (s *classTestServer) newServer(t *testing.T) *server.Server {
	t.Helper()
	cat, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(context.Background(), server.Config{Store: s.st, Catalog: cat, GraderVersion: graderVersion()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// startClassServer is serveTestClass of the whole catalog in a fresh
// temporary data dir.
func startClassServer(t *testing.T) *classTestServer {
	t.Helper()
	return serveTestClass(t, filepath.Join(t.TempDir(), "serverdata"), "보드 수업", nil)
}

// join joins a student named name with 학번 id through the client package
// and returns its client (outbox in a temporary dir).
func (s *classTestServer) join(t *testing.T, name, id string) *client.Client {
	t.Helper()
	j, err := client.Join(context.Background(), s.hs.Client(), s.hs.URL, api.JoinRequest{Code: s.code, Name: name, StudentID: id, MachineID: "machine-" + id})
	if err != nil {
		t.Fatal(err)
	}
	return client.New(client.Credentials{Server: s.hs.URL, Token: j.Token, RosterID: id}, t.TempDir())
}

// submit sends grader/testdata/exercises/<ex>/<snap>.json for ex.
func (s *classTestServer) submit(t *testing.T, c *client.Client, ex, snap string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "grader", "testdata", "exercises", ex, snap+".json"))
	if err != nil {
		t.Fatal(err)
	}
	s.send(t, c, ex, b)
}

// send submits the raw snapshot b for ex through c's outbox.
func (s *classTestServer) send(t *testing.T, c *client.Client, ex string, b []byte) {
	t.Helper()
	it, err := c.Outbox.Enqueue(ex, b, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Send(context.Background(), it); err != nil {
		t.Fatal(err)
	}
}
