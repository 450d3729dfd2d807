package embedded

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"
)

// Dir is the state directory of one embedded cluster:
//
//	config.json      name, ports, creation time (kept across restarts)
//	expose.json      `cluster up --expose` setting (absent: loopback only)
//	stopped-nodes.json nodes stopped with `dslab cluster node stop` (absent: none)
//	status.json      written by the supervisor: phase, components, pids
//	supervisor.lock  flock held by the running supervisor
//	supervisor.pid   its pid
//	pki/             CA, serving and client certificates, service-account keys
//	etcd/            etcd data
//	kubeconfig       admin kubeconfig; kubeconfigs/ one per component
//	logs/            one log file per component and the supervisor
type Dir string

func (d Dir) path(elem ...string) string {
	return filepath.Join(append([]string{string(d)}, elem...)...)
}
func (d Dir) Config() string          { return d.path("config.json") }
func (d Dir) StatusFile() string      { return d.path("status.json") }
func (d Dir) Lock() string            { return d.path("supervisor.lock") }
func (d Dir) PID() string             { return d.path("supervisor.pid") }
func (d Dir) PKI() PKI                { return PKI{Dir: d.path("pki")} }
func (d Dir) Etcd() string            { return d.path("etcd") }
func (d Dir) AdminKubeconfig() string { return d.path("kubeconfig") }
func (d Dir) ComponentKubeconfig(id string) string {
	return d.path("kubeconfigs", id+".kubeconfig")
}
func (d Dir) Logs() string           { return d.path("logs") }
func (d Dir) Log(name string) string { return d.path("logs", name+".log") }
func (d Dir) Exists() bool           { return exists(d.Config()) }

// StoppedNodesFile is stopped-nodes.json: the nodes whose simulated kubelet
// is down. The CLI writes it, the running supervisor follows it, and a
// restarted supervisor starts with it (so a stop survives `cluster down
// --keep-data` + `cluster up`); `cluster down` removes it with the rest.
func (d Dir) StoppedNodesFile() string { return d.path("stopped-nodes.json") }

// stoppedNodes is the content of stopped-nodes.json.
type stoppedNodes struct {
	Nodes []string `json:"nodes"`
}

// LoadStoppedNodes reads the sorted set of stopped nodes (none when the
// file is absent).
func (d Dir) LoadStoppedNodes() ([]string, error) {
	var s stoppedNodes
	if err := readJSON(d.StoppedNodesFile(), &s); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	return normalizeNodes(s.Nodes), nil
}

// SaveStoppedNodes writes the set of stopped nodes atomically (sorted,
// without duplicates); an empty set removes the file.
func (d Dir) SaveStoppedNodes(nodes []string) error {
	nodes = normalizeNodes(nodes)
	if len(nodes) == 0 {
		if err := os.Remove(d.StoppedNodesFile()); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		return nil
	}
	return writeJSON(d.StoppedNodesFile(), stoppedNodes{Nodes: nodes}, 0o600)
}

func normalizeNodes(nodes []string) []string {
	seen := map[string]bool{}
	out := make([]string, 0, len(nodes))
	for _, n := range nodes {
		if n != "" && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// Ports are the loopback ports a cluster listens on.
type Ports struct {
	EtcdClient int `json:"etcdClient"`
	EtcdPeer   int `json:"etcdPeer"`
	APIServer  int `json:"apiServer"`
	// Kubelet serves the simulated kubelet API (container logs) of every node.
	Kubelet int `json:"kubelet"`
}

// Config is the durable configuration of a cluster.
type Config struct {
	Name    string    `json:"name"`
	Runtime string    `json:"runtime"`
	Created time.Time `json:"created"`
	Ports   Ports     `json:"ports"`
	// NodesRegistered is set once the topology's nodes were created, so that
	// a node the learner removed does not come back on restart.
	NodesRegistered bool `json:"nodesRegistered"`
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func writeJSON(path string, v any, mode os.FileMode) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(path, append(data, '\n'), mode)
}

// LoadConfig reads config.json.
func (d Dir) LoadConfig() (Config, error) {
	var c Config
	err := readJSON(d.Config(), &c)
	return c, err
}

// SaveConfig writes config.json atomically.
func (d Dir) SaveConfig(c Config) error { return writeJSON(d.Config(), c, 0o600) }

// Phase of the supervisor's work, written to status.json.
type Phase string

const (
	PhaseStarting Phase = "starting"
	PhaseRunning  Phase = "running"
	PhaseStopping Phase = "stopping"
	PhaseStopped  Phase = "stopped"
	PhaseFailed   Phase = "failed"
)

// ComponentStatus is one supervised process.
type ComponentStatus struct {
	Name     string    `json:"name"`
	PID      int       `json:"pid,omitempty"`
	Running  bool      `json:"running"`
	Restarts int       `json:"restarts"`
	Started  time.Time `json:"started,omitempty"`
	LastExit string    `json:"lastExit,omitempty"`
}

// SupervisorStatus is status.json.
type SupervisorStatus struct {
	PID        int               `json:"pid"`
	Phase      Phase             `json:"phase"`
	Step       string            `json:"step,omitempty"` // current start-up step (Korean, shown as progress)
	Error      string            `json:"error,omitempty"`
	Components []ComponentStatus `json:"components,omitempty"`
	// Expose is the --expose setting this run started with (Expose.String)
	// and Exposed the API server URLs it forwards on other addresses.
	Expose  string    `json:"expose,omitempty"`
	Exposed []string  `json:"exposed,omitempty"`
	Updated time.Time `json:"updated"`
}

// LoadStatus reads status.json.
func (d Dir) LoadStatus() (SupervisorStatus, error) {
	var s SupervisorStatus
	err := readJSON(d.StatusFile(), &s)
	return s, err
}

// ErrLocked means another process holds the supervisor lock.
var ErrLocked = errors.New("supervisor lock is held by another process")

// SupervisorRunning reports whether a supervisor holds the lock.
func (d Dir) SupervisorRunning() bool {
	if !exists(d.Lock()) {
		return false
	}
	f, err := d.TryLock()
	if err != nil {
		return errors.Is(err, ErrLocked)
	}
	f.Close()
	return false
}

// SupervisorPID reads supervisor.pid (0 if absent).
func (d Dir) SupervisorPID() int {
	data, err := os.ReadFile(d.PID())
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(string(trimSpace(data)))
	return pid
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == ' ') {
		b = b[:len(b)-1]
	}
	return b
}

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// portFree reports whether a loopback port can be bound now.
func portFree(port int) bool {
	if port <= 0 {
		return false
	}
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return false
	}
	l.Close()
	return true
}

// EnsurePorts keeps the configured ports that are still free and replaces
// taken ones. It reports which ports changed.
func EnsurePorts(p *Ports) (changed []string, err error) {
	slots := []struct {
		name string
		port *int
	}{{"etcd-client", &p.EtcdClient}, {"etcd-peer", &p.EtcdPeer}, {"kube-apiserver", &p.APIServer}, {"kubelet", &p.Kubelet}}
	taken := map[int]bool{}
	for _, s := range slots {
		if *s.port != 0 && !taken[*s.port] && portFree(*s.port) {
			taken[*s.port] = true
			continue
		}
		old := *s.port
		for {
			n, err := freePort()
			if err != nil {
				return changed, err
			}
			if !taken[n] {
				*s.port = n
				taken[n] = true
				break
			}
		}
		if old != 0 {
			changed = append(changed, fmt.Sprintf("%s %d→%d", s.name, old, *s.port))
		}
	}
	return changed, nil
}

// SaveStatus writes status.json atomically (the supervisor's job).
func (d Dir) SaveStatus(s SupervisorStatus) error { return writeJSON(d.StatusFile(), s, 0o644) }
