// Package paths resolves where dslab stores and reads files, honouring the
// XDG base directory variables and KUBECONFIG.
package paths

import (
	"os"
	"path/filepath"
	"strings"
)

// Paths holds every location dslab reads or writes. Build it once with
// FromEnv and pass it down; nothing reads the environment behind its back.
type Paths struct {
	// ConfigDir is $XDG_CONFIG_HOME/dslab (progress, settings).
	ConfigDir string
	// DataDir is $XDG_DATA_HOME/dslab (clusters, logs).
	DataDir string
	// Kubeconfigs is the KUBECONFIG list, or ~/.kube/config when unset.
	Kubeconfigs []string
}

// FromEnv builds Paths from an environment lookup (os.Getenv in production,
// a map in tests).
func FromEnv(getenv func(string) string) Paths {
	home := getenv("HOME")
	if home == "" {
		if h, err := os.UserHomeDir(); err == nil {
			home = h
		}
	}
	config := getenv("XDG_CONFIG_HOME")
	if config == "" {
		config = filepath.Join(home, ".config")
	}
	data := getenv("XDG_DATA_HOME")
	if data == "" {
		data = filepath.Join(home, ".local", "share")
	}
	var kubeconfigs []string
	for _, p := range filepath.SplitList(getenv("KUBECONFIG")) {
		if strings.TrimSpace(p) != "" {
			kubeconfigs = append(kubeconfigs, p)
		}
	}
	if len(kubeconfigs) == 0 {
		kubeconfigs = []string{filepath.Join(home, ".kube", "config")}
	}
	return Paths{
		ConfigDir:   filepath.Join(config, "dslab"),
		DataDir:     filepath.Join(data, "dslab"),
		Kubeconfigs: kubeconfigs,
	}
}

// ProgressFile is where lesson and exercise progress is persisted.
func (p Paths) ProgressFile() string { return filepath.Join(p.ConfigDir, "progress.json") }

// LogDir holds dslab's own log files (the TUI never writes logs to the terminal).
func (p Paths) LogDir() string { return filepath.Join(p.DataDir, "logs") }

// ClusterDir is the state directory of one cluster.
func (p Paths) ClusterDir(name string) string {
	return filepath.Join(p.DataDir, "clusters", name)
}

// Kubeconfig is the file dslab merges its contexts into: the first entry of
// KUBECONFIG (as kubectl does for writes), else ~/.kube/config.
func (p Paths) Kubeconfig() string { return p.Kubeconfigs[0] }

// Under returns the Paths of a user whose home is root with every XDG
// location inside it (root/config, root/data, root/.kube/config) — a
// self-contained sandbox, e.g. for tests.
func Under(root string) Paths {
	env := map[string]string{
		"HOME":            root,
		"XDG_CONFIG_HOME": filepath.Join(root, "config"),
		"XDG_DATA_HOME":   filepath.Join(root, "data"),
	}
	return FromEnv(func(k string) string { return env[k] })
}
