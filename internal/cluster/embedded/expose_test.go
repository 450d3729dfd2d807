package embedded

import (
	"bufio"
	"crypto/x509"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/client-go/tools/clientcmd"
)

func TestParseExpose(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Expose
	}{
		{"auto", Expose{Auto: true}},
		{"true", Expose{Auto: true}},
		{"", Expose{Auto: true}},
		{"false", Expose{}},
		{"off", Expose{}},
		{"192.168.0.12", Expose{Addrs: []string{"192.168.0.12"}}},
		{"192.168.0.12, 10.0.0.5,192.168.0.12", Expose{Addrs: []string{"192.168.0.12", "10.0.0.5"}}},
		{"[fd00::1]", Expose{Addrs: []string{"fd00::1"}}},
		{"127.0.0.2", Expose{Addrs: []string{"127.0.0.2"}}},
	} {
		got, err := ParseExpose(tc.in)
		if err != nil {
			t.Errorf("ParseExpose(%q): %v", tc.in, err)
			continue
		}
		if got.Auto != tc.want.Auto || !slices.Equal(got.Addrs, tc.want.Addrs) {
			t.Errorf("ParseExpose(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
	for _, bad := range []string{"0.0.0.0", "::", "127.0.0.1", "::1", "my-laptop", ",", "192.168.0.300"} {
		if _, err := ParseExpose(bad); err == nil {
			t.Errorf("ParseExpose(%q) accepted", bad)
		}
	}
}

func TestExposeSaveLoad(t *testing.T) {
	d := Dir(filepath.Join(t.TempDir(), "c"))
	if e, err := d.LoadExpose(); err != nil || e.Enabled() {
		t.Fatalf("missing file: %+v, %v", e, err)
	}
	want := Expose{Addrs: []string{"10.1.2.3"}}
	if err := d.SaveExpose(want); err != nil {
		t.Fatal(err)
	}
	got, err := d.LoadExpose()
	if err != nil || got.String() != "10.1.2.3" {
		t.Fatalf("LoadExpose = %+v, %v", got, err)
	}
	if err := d.SaveExpose(Expose{}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(d.ExposeFile()); !os.IsNotExist(err) {
		t.Errorf("--expose=false left %s (err %v)", d.ExposeFile(), err)
	}
}

func TestLANAddrs(t *testing.T) {
	up := net.FlagUp | net.FlagRunning
	ifs := []InterfaceAddrs{
		{Name: "lo", Flags: up | net.FlagLoopback, Addrs: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}},
		{Name: "wlan0", Flags: up, Addrs: []net.IP{net.ParseIP("fe80::1"), net.ParseIP("2001:db8::5"), net.IPv4(192, 168, 0, 12)}},
		{Name: "eth1", Flags: net.FlagUp, Addrs: []net.IP{net.IPv4(10, 0, 0, 9)}}, // no carrier
		{Name: "eth2", Flags: 0, Addrs: []net.IP{net.IPv4(10, 0, 0, 10)}},         // down
		{Name: "eth3", Flags: up, Addrs: []net.IP{net.IPv4(169, 254, 1, 1), net.IPv4(172, 16, 0, 4)}},
	}
	var got []string
	for _, ip := range LANAddrs(ifs) {
		got = append(got, ip.String())
	}
	want := []string{"192.168.0.12", "172.16.0.4", "2001:db8::5"}
	if !slices.Equal(got, want) {
		t.Errorf("LANAddrs = %v, want %v", got, want)
	}
	if _, err := (Expose{Auto: true}).Resolve(ifs[:1]); err == nil {
		t.Error("auto without a LAN address resolved")
	}
	ips, err := (Expose{Addrs: []string{"127.0.0.2"}}).Resolve(nil)
	if err != nil || len(ips) != 1 || !ips[0].Equal(net.IPv4(127, 0, 0, 2)) {
		t.Errorf("explicit Resolve = %v, %v", ips, err)
	}
}

func TestServingCertFollowsExposedAddrs(t *testing.T) {
	pki := PKI{Dir: filepath.Join(t.TempDir(), "pki")}
	now := time.Now()
	if err := pki.Ensure(now); err != nil {
		t.Fatal(err)
	}
	ca0, _ := os.ReadFile(pki.CACert())
	lan := net.IPv4(192, 168, 0, 12)
	if readCert(t, pki.ServingCert()).VerifyHostname(lan.String()) == nil {
		t.Fatal("fresh serving cert already names the LAN address")
	}
	if err := pki.Ensure(now, lan); err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(readCert(t, pki.CACert()))
	serving := readCert(t, pki.ServingCert())
	if _, err := serving.Verify(x509.VerifyOptions{Roots: pool, DNSName: lan.String()}); err != nil {
		t.Errorf("serving cert does not verify for the exposed address: %v", err)
	}
	if err := serving.VerifyHostname("127.0.0.1"); err != nil {
		t.Errorf("exposed serving cert lost loopback: %v", err)
	}
	// Same names: the certificate is kept.
	before, _ := os.ReadFile(pki.ServingCert())
	if err := pki.Ensure(now, lan); err != nil {
		t.Fatal(err)
	}
	if after, _ := os.ReadFile(pki.ServingCert()); string(after) != string(before) {
		t.Error("Ensure re-issued a serving cert whose names did not change")
	}
	// Exposure off: re-issued without the address; the CA never changes.
	if err := pki.Ensure(now); err != nil {
		t.Fatal(err)
	}
	if readCert(t, pki.ServingCert()).VerifyHostname(lan.String()) == nil {
		t.Error("serving cert still names the address after --expose=false")
	}
	if ca1, _ := os.ReadFile(pki.CACert()); string(ca1) != string(ca0) {
		t.Error("the CA changed")
	}
}

func TestGraderName(t *testing.T) {
	nfd := "\u1100\u1175\u11b7\u1106\u1175\u11ab\u1109\u116e" // 김민수 decomposed (macOS file names)
	for in, want := range map[string]string{
		"김민수":            "김민수",
		nfd:              "김민수",
		"  Kim-Min-su ":  "Kim-Min-su",
		"student_01.bak": "student_01.bak",
		"박지민2반":          "박지민2반",
	} {
		got, err := GraderName(in)
		if err != nil || got != want {
			t.Errorf("GraderName(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "   ", "///", "...", "../evil", "lee/../etc", "박지민 (2반)", "a:b@c", ".hidden", strings.Repeat("가", 64)} {
		_, err := GraderName(bad)
		if err == nil || !strings.Contains(err.Error(), "글자(한글 포함), 숫자, '-', '_', '.' 만 쓸 수 있고") {
			t.Errorf("GraderName(%q) = %v, want a Korean refusal naming the allowed characters", bad, err)
		}
	}
}

func TestGraderKubeconfigIsItsOwnIdentity(t *testing.T) {
	pki := PKI{Dir: filepath.Join(t.TempDir(), "pki")}
	if err := pki.Ensure(time.Now()); err != nil {
		t.Fatal(err)
	}
	g, err := NewGraderKubeconfig(pki, "김민수", "https://192.168.0.12:6443", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := clientcmd.Load(g.Data)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.CurrentContext != "김민수" || cfg.Contexts["김민수"] == nil || cfg.Clusters["김민수"] == nil || cfg.AuthInfos["김민수"] == nil {
		t.Fatalf("kubeconfig names: current %q, contexts %v", cfg.CurrentContext, cfg.Contexts)
	}
	if s := cfg.Clusters["김민수"]; s.Server != "https://192.168.0.12:6443" || s.InsecureSkipTLSVerify || len(s.CertificateAuthorityData) == 0 {
		t.Errorf("cluster entry %+v: want the server, the CA and TLS verification", s)
	}
	certPEM := cfg.AuthInfos["김민수"].ClientCertificateData
	admin, _ := os.ReadFile(pki.ClientCert("admin"))
	if string(certPEM) == string(admin) {
		t.Fatal("grader kubeconfig carries the admin certificate")
	}
	cert := parsePEMCert(t, certPEM)
	pool := x509.NewCertPool()
	pool.AddCert(readCert(t, pki.CACert()))
	if _, err := cert.Verify(x509.VerifyOptions{Roots: pool, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}); err != nil {
		t.Errorf("grader cert not signed by the cluster CA for client auth: %v", err)
	}
	if cert.Subject.CommonName != "dslab-grader:김민수" || !slices.Equal(cert.Subject.Organization, []string{GraderGroup}) {
		t.Errorf("subject %v", cert.Subject)
	}
	if slices.Contains(cert.Subject.Organization, "system:masters") {
		t.Error("grader is in system:masters")
	}
	if d := cert.NotAfter.Sub(time.Now()); d > GraderValidity+time.Minute || d < GraderValidity-time.Hour {
		t.Errorf("validity %v, want %v", d, GraderValidity)
	}
}

func parsePEMCert(t *testing.T, data []byte) *x509.Certificate {
	t.Helper()
	f := filepath.Join(t.TempDir(), "c.crt")
	if err := os.WriteFile(f, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return readCert(t, f)
}

// The grader's RBAC rules only ever read, and never Secrets or
// subresources (pods/exec, pods/log): a change that adds a write verb or a
// sensitive resource fails here.
func TestGraderRBACIsReadOnly(t *testing.T) {
	rules := slices.Clone(GraderClusterRole().Rules)
	for _, r := range graderRoles([]string{"ds-basics"}) {
		rules = append(rules, r.Rules...)
	}
	check := func(r rbacv1.PolicyRule) {
		for _, v := range r.Verbs {
			if v != "get" && v != "list" && v != "watch" {
				t.Errorf("rule %v has verb %q", r, v)
			}
		}
		for _, res := range r.Resources {
			if res == "*" || res == "secrets" || slices.Contains([]string{"pods/exec", "pods/log", "pods/attach", "nodes/proxy"}, res) {
				t.Errorf("rule %v grants %q", r, res)
			}
		}
		if slices.Contains(r.APIGroups, "*") {
			t.Errorf("rule %v grants every API group", r)
		}
	}
	for _, r := range rules {
		check(r)
	}
	kubeSystem := graderRoles([]string{"ds-basics", "gpu-only"})[1]
	if kubeSystem.Namespace != BaselineNamespace || !slices.Equal(kubeSystem.Rules[0].ResourceNames, []string{"dslab-baseline-ds-basics", "dslab-baseline-gpu-only"}) {
		t.Errorf("kube-system role %+v: want get on the baselines only", kubeSystem)
	}
}

func TestForwarder(t *testing.T) {
	target, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer target.Close()
	go func() {
		for {
			c, err := target.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				sc := bufio.NewScanner(c)
				for sc.Scan() {
					c.Write([]byte("echo " + sc.Text() + "\n"))
				}
			}()
		}
	}()
	port := target.Addr().(*net.TCPAddr).Port
	fwd, errs := Forward(target.Addr().String(), port, []net.IP{net.IPv4(127, 0, 0, 2)}, slog.New(slog.DiscardHandler))
	if errs[0] != nil {
		t.Skipf("cannot listen on 127.0.0.2 here: %v", errs[0])
	}
	if got := fwd.Addrs(); len(got) != 1 || got[0] != "127.0.0.2:"+strconv.Itoa(port) {
		t.Errorf("Addrs = %v", got)
	}
	c, err := net.Dial("tcp", "127.0.0.2:"+strconv.Itoa(port))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Write([]byte("안녕\n"))
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil || line != "echo 안녕\n" {
		t.Fatalf("through the forwarder: %q, %v", line, err)
	}
	// Close ends open connections too (it would hang otherwise).
	fwd.Close()
	if _, err := net.Dial("tcp", "127.0.0.2:"+strconv.Itoa(port)); err == nil {
		t.Error("still listening after Close")
	}
	// A second forwarder on an address that is taken reports it.
	_, errs = Forward(target.Addr().String(), port, []net.IP{net.IPv4(127, 0, 0, 1)}, slog.New(slog.DiscardHandler))
	if errs[0] == nil {
		t.Error("listening on a taken address did not fail")
	}
}
