package paths

import (
	"path/filepath"
	"testing"
)

func TestFromEnv(t *testing.T) {
	env := map[string]string{
		"HOME":            "/home/kim",
		"XDG_CONFIG_HOME": "/cfg",
		"KUBECONFIG":      "/a/config" + string(filepath.ListSeparator) + " " + string(filepath.ListSeparator) + "/b/config",
	}
	p := FromEnv(func(k string) string { return env[k] })
	if p.ConfigDir != "/cfg/dslab" || p.ProgressFile() != "/cfg/dslab/progress.json" {
		t.Errorf("config: %s %s", p.ConfigDir, p.ProgressFile())
	}
	if p.DataDir != "/home/kim/.local/share/dslab" || p.ClusterDir("dslab") != "/home/kim/.local/share/dslab/clusters/dslab" {
		t.Errorf("data: %s %s", p.DataDir, p.ClusterDir("dslab"))
	}
	if len(p.Kubeconfigs) != 2 || p.Kubeconfig() != "/a/config" {
		t.Errorf("kubeconfigs: %v", p.Kubeconfigs)
	}
	p = FromEnv(func(k string) string { return map[string]string{"HOME": "/h"}[k] })
	if p.Kubeconfig() != "/h/.kube/config" || p.ConfigDir != "/h/.config/dslab" {
		t.Errorf("defaults: %s %s", p.Kubeconfig(), p.ConfigDir)
	}
}

func TestUnder(t *testing.T) {
	p := Under("/r")
	if p.ConfigDir != "/r/config/dslab" || p.DataDir != "/r/data/dslab" || p.Kubeconfig() != "/r/.kube/config" {
		t.Errorf("%+v", p)
	}
}
