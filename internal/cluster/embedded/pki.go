package embedded

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/dslab-kr/dslab/internal/atomicfile"
)

// Identity is a client certificate subject for one cluster component.
type Identity struct {
	File         string // base name of the .crt/.key pair under pki/
	CommonName   string // Kubernetes user name
	Organization []string
}

// identities lists the client certificates dslab issues; every component
// authenticates as itself. The scheduler gets its permissions from the
// default RBAC bootstrap policy. The admin, the kubelet simulator (which acts
// for every simulated node) and the controller manager are in
// system:masters: the controller manager runs with
// --use-service-account-credentials=false, because minting one service
// account token per controller costs ~5 s of every cold start here.
func identities() []Identity {
	return []Identity{
		{File: "admin", CommonName: "dslab-admin", Organization: []string{"system:masters"}},
		{File: "controller-manager", CommonName: "system:kube-controller-manager", Organization: []string{"system:masters"}},
		{File: "scheduler", CommonName: "system:kube-scheduler"},
		{File: "kubelet-simulator", CommonName: "system:dslab-kubelet-simulator", Organization: []string{"system:masters"}},
	}
}

// PKI lays out the certificate files of a cluster.
type PKI struct{ Dir string }

func (p PKI) path(name string) string     { return filepath.Join(p.Dir, name) }
func (p PKI) CACert() string              { return p.path("ca.crt") }
func (p PKI) CAKey() string               { return p.path("ca.key") }
func (p PKI) ServingCert() string         { return p.path("apiserver.crt") }
func (p PKI) ServingKey() string          { return p.path("apiserver.key") }
func (p PKI) ServiceAccountKey() string   { return p.path("sa.key") }
func (p PKI) ServiceAccountPub() string   { return p.path("sa.pub") }
func (p PKI) ClientCert(id string) string { return p.path(id + ".crt") }
func (p PKI) ClientKey(id string) string  { return p.path(id + ".key") }

// Ensure creates every missing key and certificate. Existing files are kept,
// so a restarted cluster keeps its identity. The serving certificate names
// localhost, the in-cluster service names, loopback, the service IP and
// extraIPs (the exposed LAN addresses); it is re-issued by the same CA when
// that set of names changes.
func (p PKI) Ensure(now time.Time, extraIPs ...net.IP) error {
	if err := os.MkdirAll(p.Dir, 0o700); err != nil {
		return err
	}
	if !exists(p.CACert()) || !exists(p.CAKey()) {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return err
		}
		tmpl := &x509.Certificate{
			SerialNumber:          serial(),
			Subject:               pkix.Name{CommonName: "dslab-ca"},
			NotBefore:             now.Add(-time.Hour),
			NotAfter:              now.AddDate(10, 0, 0),
			KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
			BasicConstraintsValid: true,
			IsCA:                  true,
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
		if err != nil {
			return err
		}
		if err := writeKey(p.CAKey(), key); err != nil {
			return err
		}
		if err := writePEM(p.CACert(), "CERTIFICATE", der, 0o644); err != nil {
			return err
		}
	}
	ca, caKey, err := p.loadCA()
	if err != nil {
		return err
	}
	if !p.servingCertNames(extraIPs) {
		tmpl := &x509.Certificate{
			Subject:     pkix.Name{CommonName: "kube-apiserver"},
			ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
			DNSNames:    servingDNSNames(),
			IPAddresses: servingIPs(extraIPs),
		}
		if err := p.issue(ca, caKey, tmpl, "apiserver", now); err != nil {
			return err
		}
	}
	for _, id := range identities() {
		if exists(p.ClientCert(id.File)) && exists(p.ClientKey(id.File)) {
			continue
		}
		tmpl := &x509.Certificate{
			Subject:     pkix.Name{CommonName: id.CommonName, Organization: id.Organization},
			ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		}
		if err := p.issue(ca, caKey, tmpl, id.File, now); err != nil {
			return err
		}
	}
	if !exists(p.ServiceAccountKey()) || !exists(p.ServiceAccountPub()) {
		key, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return err
		}
		if err := writeKey(p.ServiceAccountKey(), key); err != nil {
			return err
		}
		pub, err := x509.MarshalPKIXPublicKey(key.Public())
		if err != nil {
			return err
		}
		if err := writePEM(p.ServiceAccountPub(), "PUBLIC KEY", pub, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func servingDNSNames() []string {
	return []string{"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
		"kubernetes.default.svc.cluster.local"}
}

func servingIPs(extra []net.IP) []net.IP {
	ips := []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback, net.IPv4(10, 96, 0, 1)}
	for _, ip := range extra {
		if !slices.ContainsFunc(ips, ip.Equal) {
			ips = append(ips, ip)
		}
	}
	return ips
}

// servingCertNames reports whether the serving certificate and key exist
// and the certificate names exactly the wanted DNS names and IPs.
func (p PKI) servingCertNames(extra []net.IP) bool {
	if !exists(p.ServingKey()) {
		return false
	}
	data, err := os.ReadFile(p.ServingCert())
	if err != nil {
		return false
	}
	b, _ := pem.Decode(data)
	if b == nil {
		return false
	}
	cert, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		return false
	}
	want := servingIPs(extra)
	if len(cert.IPAddresses) != len(want) || !slices.Equal(cert.DNSNames, servingDNSNames()) {
		return false
	}
	for _, ip := range want {
		if !slices.ContainsFunc(cert.IPAddresses, ip.Equal) {
			return false
		}
	}
	return true
}

func (p PKI) issue(ca *x509.Certificate, caKey crypto.Signer, tmpl *x509.Certificate, file string, now time.Time) error {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	tmpl.SerialNumber = serial()
	tmpl.NotBefore = now.Add(-time.Hour)
	tmpl.NotAfter = now.AddDate(1, 0, 0)
	tmpl.KeyUsage = x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, key.Public(), caKey)
	if err != nil {
		return err
	}
	if err := writeKey(p.ClientKey(file), key); err != nil {
		return err
	}
	return writePEM(p.ClientCert(file), "CERTIFICATE", der, 0o644)
}

func (p PKI) loadCA() (*x509.Certificate, crypto.Signer, error) {
	certPEM, err := os.ReadFile(p.CACert())
	if err != nil {
		return nil, nil, err
	}
	keyPEM, err := os.ReadFile(p.CAKey())
	if err != nil {
		return nil, nil, err
	}
	cb, _ := pem.Decode(certPEM)
	kb, _ := pem.Decode(keyPEM)
	if cb == nil || kb == nil {
		return nil, nil, errors.New("corrupt CA files in " + p.Dir)
	}
	cert, err := x509.ParseCertificate(cb.Bytes)
	if err != nil {
		return nil, nil, err
	}
	key, err := x509.ParsePKCS8PrivateKey(kb.Bytes)
	if err != nil {
		return nil, nil, err
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, nil, fmt.Errorf("CA key is %T, not a signer", key)
	}
	return cert, signer, nil
}

func serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		panic(err) // crypto/rand never fails on Linux
	}
	return n
}

func writeKey(path string, key any) error {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return err
	}
	return writePEM(path, "PRIVATE KEY", der, 0o600)
}

func writePEM(path, typ string, der []byte, mode os.FileMode) error {
	return writeFileAtomic(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), mode)
}

// writeFileAtomic writes data with mode through internal/atomicfile
// (temporary file, fsync, rename, directory fsync), creating missing
// directories 0700.
func writeFileAtomic(path string, data []byte, mode os.FileMode) error {
	return atomicfile.WriteFileMode(path, data, mode, 0o700)
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
