package embedded

import (
	"fmt"
	"os"
	"path/filepath"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// Server is the apiserver URL for a port.
func Server(port int) string { return fmt.Sprintf("https://127.0.0.1:%d", port) }

// buildKubeconfig returns a kubeconfig for identity id with the certificates
// embedded (so it can be merged into the user's kubeconfig and copied).
func buildKubeconfig(pki PKI, server, contextName, user, id string) (*clientcmdapi.Config, error) {
	ca, err := os.ReadFile(pki.CACert())
	if err != nil {
		return nil, err
	}
	cert, err := os.ReadFile(pki.ClientCert(id))
	if err != nil {
		return nil, err
	}
	key, err := os.ReadFile(pki.ClientKey(id))
	if err != nil {
		return nil, err
	}
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters[contextName] = &clientcmdapi.Cluster{Server: server, CertificateAuthorityData: ca}
	cfg.AuthInfos[user] = &clientcmdapi.AuthInfo{ClientCertificateData: cert, ClientKeyData: key}
	cfg.Contexts[contextName] = &clientcmdapi.Context{Cluster: contextName, AuthInfo: user}
	cfg.CurrentContext = contextName
	return cfg, nil
}

// WriteKubeconfigs writes the admin kubeconfig and one per component.
func WriteKubeconfigs(d Dir, name string, port int) error {
	server := Server(port)
	if err := os.MkdirAll(filepath.Dir(d.ComponentKubeconfig("x")), 0o700); err != nil {
		return err
	}
	for _, id := range identities() {
		contextName, user, path := name, id.File, d.ComponentKubeconfig(id.File)
		if id.File == "admin" {
			user, path = name+"-admin", d.AdminKubeconfig()
		}
		cfg, err := buildKubeconfig(d.PKI(), server, contextName, user, id.File)
		if err != nil {
			return err
		}
		data, err := clientcmd.Write(*cfg)
		if err != nil {
			return err
		}
		if err := writeFileAtomic(path, data, 0o600); err != nil {
			return err
		}
	}
	return nil
}

// MergeKubeconfig merges the cluster's admin kubeconfig into the user's
// kubeconfig file at target as context contextName, making it current.
// The file is created (0600) if missing; other contexts are kept.
func MergeKubeconfig(adminKubeconfig, target, contextName string) error {
	src, err := clientcmd.LoadFromFile(adminKubeconfig)
	if err != nil {
		return err
	}
	dst := clientcmdapi.NewConfig()
	if exists(target) {
		if dst, err = clientcmd.LoadFromFile(target); err != nil {
			return fmt.Errorf("%s: %w", target, err)
		}
	}
	for k, v := range src.Clusters {
		dst.Clusters[k] = v
	}
	for k, v := range src.AuthInfos {
		dst.AuthInfos[k] = v
	}
	for k, v := range src.Contexts {
		dst.Contexts[k] = v
	}
	dst.CurrentContext = contextName
	if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
		return err
	}
	return writeKubeconfigFile(target, dst)
}

// RemoveFromKubeconfig removes the context, cluster and user that
// MergeKubeconfig added. A missing file or context is not an error.
func RemoveFromKubeconfig(target, contextName string) error {
	if !exists(target) {
		return nil
	}
	cfg, err := clientcmd.LoadFromFile(target)
	if err != nil {
		return err
	}
	ctx, ok := cfg.Contexts[contextName]
	if !ok {
		return nil
	}
	delete(cfg.Clusters, ctx.Cluster)
	delete(cfg.AuthInfos, ctx.AuthInfo)
	delete(cfg.Contexts, contextName)
	if cfg.CurrentContext == contextName {
		cfg.CurrentContext = ""
	}
	return writeKubeconfigFile(target, cfg)
}

func writeKubeconfigFile(path string, cfg *clientcmdapi.Config) error {
	data, err := clientcmd.Write(*cfg)
	if err != nil {
		return err
	}
	mode := os.FileMode(0o600)
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
	}
	return writeFileAtomic(path, data, mode)
}
