package app

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
	"github.com/dslab-kr/dslab/internal/paths"
)

// TestClassServeBoardShowsLANLines (issue 12, instructor trial: `dslab
// class board` prints 127.0.0.1 links, and the board opened that way put
// a 127.0.0.1 install line on the projector): serve on every interface
// tells its server the addresses its banner lists, so the board read on
// the loopback address `class board` uses gives students the LAN ones —
// every one the banner lists, none loopback.
func TestClassServeBoardShowsLANLines(t *testing.T) {
	var lan []string
	for _, u := range listenURLs(&net.TCPAddr{IP: net.IPv4zero, Port: 1}) {
		if !strings.Contains(u, "127.0.0.1") {
			lan = append(lan, u)
		}
	}
	if len(lan) == 0 {
		t.Skip("this machine has no LAN address")
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	p := paths.Under(filepath.Join(dir, "home"))
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb syncBuffer
	env := Env{Streams: Streams{In: strings.NewReader(""), Out: &out, Err: &errb}, Paths: p, Getenv: unwrapped}
	done := make(chan int, 1)
	go func() { done <- Run(ctx, env, []string{"class", "serve", "--listen", "0.0.0.0:0", "--data", data}) }()
	t.Cleanup(func() { cancel(); <-done })
	deadline := time.After(60 * time.Second)
	for !strings.Contains(out.String(), "Ctrl-C") {
		select {
		case code := <-done:
			t.Fatalf("serve ended early (%d): %s %s", code, out.String(), errb.String())
		case <-deadline:
			t.Fatalf("no banner: %s %s", out.String(), errb.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	base, recorded := localServerURL(data)
	tok, err := os.ReadFile(filepath.Join(data, server.InstructorTokenFile))
	if !recorded || !strings.Contains(base, "127.0.0.1") || err != nil {
		t.Fatalf("recorded address %q (%v), token: %v", base, recorded, err)
	}
	req, _ := http.NewRequest("GET", base+api.PathBoard, nil)
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(tok)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b api.Board
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&b) != nil {
		t.Fatalf("board: %d", resp.StatusCode)
	}
	var got []string
	for _, j := range b.Join {
		got = append(got, j.URL)
		if strings.Contains(j.Install+j.Command, "127.0.0.1") {
			t.Errorf("a students' line on loopback: %+v", j)
		}
		if !strings.Contains(out.String(), "  "+j.URL+"\n") {
			t.Errorf("the board's %s is not among the banner's addresses:\n%s", j.URL, out.String())
		}
	}
	if len(got) != len(lan) {
		t.Errorf("the board's addresses %v, the machine's LAN ones %v", got, lan)
	}
}
