package classtest

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/internal/class/server"
	"github.com/dslab-kr/dslab/internal/class/store"
)

// Class is a class server running in the test's process (httptest) on a
// store the test opened.
type Class struct {
	// Server is the class server; HTTP serves its Handler at HTTP.URL.
	Server *server.Server
	HTTP   *httptest.Server
	// JoinCode is the class's join code, InstructorToken the instructor's
	// bearer token (also written to dir/server.InstructorTokenFile).
	JoinCode, InstructorToken string
}

// Serve sets up the class titled title in st (server.Setup, the
// instructor token file in dir) and serves it in-process with the
// grader's exercise catalog and GraderVersion "test"; opts adjust the
// Config before server.New. The server and its HTTP listener stop when t
// ends (the test closes st itself). The one copy of the server start that
// the server's and the client's tests used to repeat.
func Serve(t testing.TB, st store.Store, dir, title string, opts ...func(*server.Config)) *Class {
	t.Helper()
	ctx := context.Background()
	c, tok, err := server.Setup(ctx, st, title, nil, filepath.Join(dir, server.InstructorTokenFile))
	if err != nil {
		t.Fatal(err)
	}
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	cfg := server.Config{Store: st, Catalog: cat, GraderVersion: "test"}
	for _, o := range opts {
		o(&cfg)
	}
	s, err := server.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(func() { s.Close(); hs.Close() })
	return &Class{Server: s, HTTP: hs, JoinCode: c.JoinCode, InstructorToken: tok}
}
