package embedded

import (
	"crypto/x509"
	"encoding/pem"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

func readCert(t *testing.T, path string) *x509.Certificate {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := pem.Decode(data)
	if b == nil {
		t.Fatalf("%s: no PEM", path)
	}
	c, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestPKI(t *testing.T) {
	pki := PKI{Dir: filepath.Join(t.TempDir(), "pki")}
	if err := pki.Ensure(time.Now()); err != nil {
		t.Fatal(err)
	}
	ca := readCert(t, pki.CACert())
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	serving := readCert(t, pki.ServingCert())
	if _, err := serving.Verify(x509.VerifyOptions{Roots: pool, DNSName: "localhost"}); err != nil {
		t.Errorf("serving cert does not verify for localhost: %v", err)
	}
	if err := serving.VerifyHostname("127.0.0.1"); err != nil {
		t.Errorf("serving cert not valid for 127.0.0.1: %v", err)
	}
	for _, id := range identities() {
		c := readCert(t, pki.ClientCert(id.File))
		if _, err := c.Verify(x509.VerifyOptions{Roots: pool, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}); err != nil {
			t.Errorf("%s: %v", id.File, err)
		}
		if c.Subject.CommonName != id.CommonName {
			t.Errorf("%s: CN %q, want %q", id.File, c.Subject.CommonName, id.CommonName)
		}
		st, err := os.Stat(pki.ClientKey(id.File))
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s key mode %v, want 0600", id.File, st.Mode().Perm())
		}
	}
	for _, key := range []string{pki.CAKey(), pki.ServingKey(), pki.ServiceAccountKey()} {
		if st, _ := os.Stat(key); st.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v, want 0600", key, st.Mode().Perm())
		}
	}
	// A second Ensure keeps the identity.
	before, _ := os.ReadFile(pki.CACert())
	if err := pki.Ensure(time.Now()); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(pki.CACert())
	if string(before) != string(after) {
		t.Error("Ensure replaced an existing CA")
	}
}

func TestEnsurePortsReplacesTakenPorts(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	taken := l.Addr().(*net.TCPAddr).Port
	var p Ports
	if _, err := EnsurePorts(&p); err != nil {
		t.Fatal(err)
	}
	if p.EtcdClient == 0 || p.EtcdPeer == 0 || p.APIServer == 0 || p.EtcdClient == p.APIServer || p.EtcdPeer == p.APIServer {
		t.Fatalf("ports not distinct: %+v", p)
	}
	kept := p.EtcdClient
	p.APIServer = taken
	changed, err := EnsurePorts(&p)
	if err != nil {
		t.Fatal(err)
	}
	if p.APIServer == taken || len(changed) != 1 {
		t.Errorf("taken port kept or wrong change list: %+v %v", p, changed)
	}
	if p.EtcdClient != kept {
		t.Errorf("free port %d changed to %d", kept, p.EtcdClient)
	}
	if !portFree(p.APIServer) {
		t.Errorf("new port %d not free", p.APIServer)
	}
}

func TestMergeAndRemoveKubeconfig(t *testing.T) {
	dir := t.TempDir()
	d := Dir(filepath.Join(dir, "cluster"))
	if err := d.PKI().Ensure(time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := WriteKubeconfigs(d, "dslab", 6443); err != nil {
		t.Fatal(err)
	}
	user := filepath.Join(dir, "kube", "config")
	// The user already has another context.
	other := clientcmdapi.NewConfig()
	other.Clusters["prod"] = &clientcmdapi.Cluster{Server: "https://prod.example:6443"}
	other.AuthInfos["prod"] = &clientcmdapi.AuthInfo{Token: "secret"}
	other.Contexts["prod"] = &clientcmdapi.Context{Cluster: "prod", AuthInfo: "prod"}
	other.CurrentContext = "prod"
	if err := os.MkdirAll(filepath.Dir(user), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := clientcmd.WriteToFile(*other, user); err != nil {
		t.Fatal(err)
	}
	if err := MergeKubeconfig(d.AdminKubeconfig(), user, "dslab"); err != nil {
		t.Fatal(err)
	}
	cfg, err := clientcmd.LoadFromFile(user)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.CurrentContext != "dslab" || cfg.Contexts["prod"] == nil || cfg.Contexts["dslab"] == nil {
		t.Fatalf("merge lost or missed contexts: current=%s contexts=%v", cfg.CurrentContext, cfg.Contexts)
	}
	if got := cfg.Clusters["dslab"].Server; got != "https://127.0.0.1:"+strconv.Itoa(6443) {
		t.Errorf("server %s", got)
	}
	if len(cfg.AuthInfos["dslab-admin"].ClientCertificateData) == 0 {
		t.Error("admin client certificate not embedded")
	}
	if err := RemoveFromKubeconfig(user, "dslab"); err != nil {
		t.Fatal(err)
	}
	cfg, _ = clientcmd.LoadFromFile(user)
	if cfg.Contexts["dslab"] != nil || cfg.Clusters["dslab"] != nil || cfg.AuthInfos["dslab-admin"] != nil {
		t.Errorf("dslab entries left: %v", cfg.Contexts)
	}
	if cfg.Contexts["prod"] == nil || cfg.AuthInfos["prod"].Token != "secret" {
		t.Error("the user's own context was touched")
	}
}

func TestSupervisorLock(t *testing.T) {
	d := Dir(t.TempDir())
	if d.SupervisorRunning() {
		t.Fatal("running without a lock file")
	}
	f, err := d.TryLock()
	if err != nil {
		t.Fatal(err)
	}
	if !d.SupervisorRunning() {
		t.Error("lock held but not reported running")
	}
	if _, err := d.TryLock(); err != ErrLocked {
		t.Errorf("second TryLock = %v, want ErrLocked", err)
	}
	f.Close()
	if d.SupervisorRunning() {
		t.Error("lock released but still reported running")
	}
}
