package client_test

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/class/client"
)

// TestNetErrorTextIsKorean: a refused connection is one Korean line with
// the address and the cause, without Go's request line (issue 12:
// `(Post "http://…": dial tcp …: connection refused)`); a non-network
// error is not rendered.
func TestNetErrorTextIsKorean(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	req, _ := http.NewRequestWithContext(context.Background(), "POST", "http://"+addr+"/api/v1/submissions", nil)
	_, err = http.DefaultClient.Do(req)
	if err == nil {
		t.Skip("something answered on a closed port")
	}
	got, ok := client.NetErrorText(err)
	if want := "서버에 연결할 수 없습니다 (" + addr + ") · connection refused"; !ok || got != want {
		t.Fatalf("NetErrorText(%v) = %q, %v; want %q", err, got, ok, want)
	}
	if strings.Contains(got, "dial tcp") || strings.Contains(got, "Post ") {
		t.Fatalf("raw Go error in %q", got)
	}
	if _, ok := client.NetErrorText(&client.APIError{Status: 409}); ok {
		t.Fatal("an answer of the server is not a network failure")
	}
}
