package embedded

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/dslab-kr/dslab/internal/hangul"
)

// Expose is whether and where the API server of a cluster is reachable
// from other machines (`dslab cluster up --expose[=ADDR]`). It is kept in
// expose.json in the cluster directory, written by the CLI and read by the
// supervisor at every start, so it persists across restarts.
type Expose struct {
	// Auto exposes on the addresses of every non-loopback interface that is
	// up (resolved at each start, so a new DHCP lease is picked up).
	Auto bool `json:"auto,omitempty"`
	// Addrs are explicit IP addresses (used when Auto is false).
	Addrs []string `json:"addrs,omitempty"`
}

// Enabled reports whether the cluster is exposed at all.
func (e Expose) Enabled() bool { return e.Auto || len(e.Addrs) > 0 }

// String is the flag notation of e ("false", "auto" or "ADDR[,ADDR]").
func (e Expose) String() string {
	switch {
	case e.Auto:
		return "auto"
	case len(e.Addrs) > 0:
		return strings.Join(e.Addrs, ",")
	}
	return "false"
}

// ParseExpose parses the value of --expose: "true"/"auto" (the LAN
// addresses of this machine), "false"/"off" (loopback only) or a
// comma-separated list of IP addresses. Loopback 127.0.0.1/::1 (where the
// API server always listens) and unspecified addresses (0.0.0.0, ::) are
// refused: the first is already served, the second would expose every
// interface.
func ParseExpose(v string) (Expose, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "true", "auto", "yes", "on":
		return Expose{Auto: true}, nil
	case "false", "off", "no", "none":
		return Expose{}, nil
	}
	var e Expose
	for _, s := range strings.Split(v, ",") {
		s = strings.TrimSpace(strings.Trim(strings.TrimSpace(s), "[]"))
		if s == "" {
			continue
		}
		ip := net.ParseIP(s)
		switch {
		case ip == nil:
			return Expose{}, fmt.Errorf("--expose 값 %q %s IP 주소가 아닙니다: --expose (자동), --expose=192.168.0.10 처럼 주소, 또는 --expose=false 를 쓰세요", s, hangul.EunNeun(s))
		case ip.IsUnspecified():
			return Expose{}, fmt.Errorf("--expose=%s %s 모든 네트워크 인터페이스를 엽니다: 학생 PC 의 LAN 주소 하나를 주세요 (예: --expose=192.168.0.10)", s, hangul.EunNeun(s))
		case ip.Equal(net.IPv4(127, 0, 0, 1)) || ip.Equal(net.IPv6loopback):
			return Expose{}, fmt.Errorf("--expose=%s: API 서버는 이미 이 주소에서 응답합니다. 다른 컴퓨터가 닿는 LAN 주소를 주세요", s)
		}
		if a := ip.String(); !slices.Contains(e.Addrs, a) {
			e.Addrs = append(e.Addrs, a)
		}
	}
	if len(e.Addrs) == 0 {
		return Expose{}, errors.New("--expose 에 주소가 없습니다")
	}
	return e, nil
}

// ExposeFile is expose.json of the cluster.
func (d Dir) ExposeFile() string { return d.path("expose.json") }

// LoadExpose reads expose.json; a missing file is "not exposed".
func (d Dir) LoadExpose() (Expose, error) {
	var e Expose
	err := readJSON(d.ExposeFile(), &e)
	if errors.Is(err, os.ErrNotExist) {
		return Expose{}, nil
	}
	return e, err
}

// SaveExpose writes expose.json (removing it when e is not enabled).
func (d Dir) SaveExpose(e Expose) error {
	if !e.Enabled() {
		err := os.Remove(d.ExposeFile())
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		return err
	}
	if err := os.MkdirAll(string(d), 0o700); err != nil {
		return err
	}
	return writeJSON(d.ExposeFile(), e, 0o600)
}

// InterfaceAddrs is one network interface with its addresses, as
// net.Interfaces reports them (kept as plain data for tests).
type InterfaceAddrs struct {
	Name  string
	Flags net.Flags
	Addrs []net.IP
}

// HostInterfaces lists this machine's interfaces and their IP addresses.
func HostInterfaces() ([]InterfaceAddrs, error) {
	ifs, err := net.Interfaces()
	if err != nil {
		return nil, err
	}
	var out []InterfaceAddrs
	for _, i := range ifs {
		addrs, err := i.Addrs()
		if err != nil {
			continue
		}
		ia := InterfaceAddrs{Name: i.Name, Flags: i.Flags}
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok {
				ia.Addrs = append(ia.Addrs, n.IP)
			}
		}
		out = append(out, ia)
	}
	return out, nil
}

// LANAddrs picks the addresses another machine can reach: global unicast
// addresses (no loopback, no link-local, which would need a zone) of
// interfaces that are up and running and not loopback. IPv4 first, then
// IPv6, each in interface order.
func LANAddrs(ifs []InterfaceAddrs) []net.IP {
	var v4, v6 []net.IP
	for _, i := range ifs {
		if i.Flags&net.FlagUp == 0 || i.Flags&net.FlagRunning == 0 || i.Flags&net.FlagLoopback != 0 {
			continue
		}
		for _, ip := range i.Addrs {
			if !ip.IsGlobalUnicast() {
				continue
			}
			if ip4 := ip.To4(); ip4 != nil {
				v4 = append(v4, ip4)
			} else {
				v6 = append(v6, ip)
			}
		}
	}
	return append(v4, v6...)
}

// Resolve returns the addresses e exposes on: the explicit ones, or for
// Auto the LAN addresses of ifs. Auto on a machine without a network is an
// error.
func (e Expose) Resolve(ifs []InterfaceAddrs) ([]net.IP, error) {
	if !e.Auto {
		var out []net.IP
		for _, a := range e.Addrs {
			if ip := net.ParseIP(a); ip != nil {
				out = append(out, ip)
			}
		}
		return out, nil
	}
	ips := LANAddrs(ifs)
	if len(ips) == 0 {
		return nil, errors.New("이 컴퓨터에 다른 컴퓨터가 닿을 수 있는 네트워크 주소(루프백이 아닌, 켜진 인터페이스의 주소)가 없습니다. 네트워크에 연결하거나 --expose=주소 로 직접 주세요")
	}
	return ips, nil
}

// ExposedURL is the API server URL on an exposed address.
func ExposedURL(ip string, port int) string {
	return "https://" + net.JoinHostPort(ip, strconv.Itoa(port))
}

// Forwarder makes a loopback-only TCP server reachable on more addresses:
// it listens on each address at the same port and copies bytes both ways
// to the loopback target. TLS is not terminated here: clients talk to
// kube-apiserver itself and verify its serving certificate, which names
// the exposed addresses. kube-apiserver takes one --bind-address, and
// 0.0.0.0 would open every interface; this opens only the chosen ones.
type Forwarder struct {
	target    string // host:port on loopback
	log       *slog.Logger
	listeners []net.Listener
	wg        sync.WaitGroup

	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool
}

// Forward starts listening on ip:port for every ip and forwarding to
// target (host:port). Listening errors are returned per address (nil
// entries for success); the caller decides whether a failure is fatal.
func Forward(target string, port int, ips []net.IP, log *slog.Logger) (*Forwarder, []error) {
	f := &Forwarder{target: target, log: log, conns: map[net.Conn]struct{}{}}
	errs := make([]error, len(ips))
	for i, ip := range ips {
		l, err := net.Listen("tcp", net.JoinHostPort(ip.String(), strconv.Itoa(port)))
		if err != nil {
			errs[i] = err
			continue
		}
		f.listeners = append(f.listeners, l)
		f.wg.Add(1)
		go f.serve(l)
	}
	return f, errs
}

// Addrs are the addresses actually listening (host:port).
func (f *Forwarder) Addrs() []string {
	var out []string
	for _, l := range f.listeners {
		out = append(out, l.Addr().String())
	}
	return out
}

// track adds (or, with add false, removes) an open connection; it
// reports false when the forwarder is closed.
func (f *Forwarder) track(c net.Conn, add bool) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !add {
		delete(f.conns, c)
		return true
	}
	if f.closed {
		return false
	}
	f.conns[c] = struct{}{}
	return true
}

func (f *Forwarder) serve(l net.Listener) {
	defer f.wg.Done()
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		if !f.track(c, true) {
			c.Close()
			return
		}
		f.wg.Add(1)
		go func() {
			defer f.wg.Done()
			defer f.track(c, false)
			f.pipe(c)
		}()
	}
}

func (f *Forwarder) pipe(c net.Conn) {
	defer c.Close()
	up, err := net.Dial("tcp", f.target)
	if err != nil {
		f.log.Warn("expose: dial API server", "err", err)
		return
	}
	if !f.track(up, true) {
		up.Close()
		return
	}
	defer f.track(up, false)
	defer up.Close()
	done := make(chan struct{}, 2)
	cp := func(dst, src net.Conn) {
		_, _ = io.Copy(dst, src)
		if tc, ok := dst.(*net.TCPConn); ok {
			_ = tc.CloseWrite()
		}
		done <- struct{}{}
	}
	go cp(up, c)
	go cp(c, up)
	<-done
	<-done
}

// Close stops listening, closes every forwarded connection and waits for
// the forwarding goroutines to end.
func (f *Forwarder) Close() {
	f.mu.Lock()
	f.closed = true
	for c := range f.conns {
		_ = c.Close()
	}
	f.mu.Unlock()
	for _, l := range f.listeners {
		_ = l.Close()
	}
	f.wg.Wait()
}
