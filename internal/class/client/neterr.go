package client

import (
	"context"
	"errors"
	"net"
	"net/url"
	"syscall"
)

// NetErrorText is the one Korean rendering of a failure to reach a class
// server that every class command uses: "서버에 연결할 수 없습니다
// (127.0.0.1:7070) · connection refused" — the address, then the cause
// in the network's own short words, without Go's request line
// (`Post "http://…/api/v1/submissions": dial tcp …:`, issue 12). ok is
// false when err is not a network failure (an answer of the server, a
// file error): the caller says that one itself.
func NetErrorText(err error) (text string, ok bool) {
	host, cause, ok := netCause(err)
	if !ok {
		return "", false
	}
	text = "서버에 연결할 수 없습니다"
	if host != "" {
		text += " (" + host + ")"
	}
	return text + " · " + cause, true
}

// NetCause is NetErrorText's cause alone ("connection refused"); ok as
// there.
func NetCause(err error) (cause string, ok bool) {
	_, cause, ok = netCause(err)
	return cause, ok
}

func netCause(err error) (host, cause string, ok bool) {
	if err == nil {
		return "", "", false
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil {
			host = u.Host
		}
	}
	var op *net.OpError
	if errors.As(err, &op) && host == "" && op.Addr != nil {
		host = op.Addr.String()
	}
	var dns *net.DNSError
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return host, "connection refused", true
	case errors.Is(err, syscall.ECONNRESET):
		return host, "연결이 끊김 (connection reset)", true
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return host, "네트워크에 닿지 않음 (unreachable)", true
	case errors.As(err, &dns):
		return host, "주소를 찾을 수 없음 (" + dns.Name + ": no such host)", true
	case errors.Is(err, context.DeadlineExceeded), isTimeout(err):
		if ue == nil && op == nil {
			return "", "", false // not a network call's
		}
		return host, "응답 시간 초과 (timeout)", true
	case op != nil:
		return host, op.Err.Error(), true
	case ue != nil && ue.Err != nil && !errors.Is(ue.Err, context.Canceled):
		return host, ue.Err.Error(), true
	}
	return "", "", false
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}
