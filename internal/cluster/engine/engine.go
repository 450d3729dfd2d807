// Package engine finds the container engine (Docker or Podman) that kind
// needs, and explains in Korean why kind could not use it.
package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// Engine names.
const (
	Docker = "docker"
	Podman = "podman"
)

// DefaultProbeTimeout bounds one `<engine> info` call: a hung daemon must not
// hang `dslab cluster up`.
const DefaultProbeTimeout = 8 * time.Second

// Info is what a probe found out about the container engine.
type Info struct {
	// Engine is "docker" or "podman"; empty when no binary was found.
	Engine string `json:"engine,omitempty"`
	// Path is the engine binary.
	Path string `json:"path,omitempty"`
	// Running is true when the engine answered `info`.
	Running bool `json:"running"`
	// Facts reported by a running engine.
	ServerVersion string `json:"serverVersion,omitempty"`
	CgroupVersion string `json:"cgroupVersion,omitempty"` // "1" or "2"
	CgroupDriver  string `json:"cgroupDriver,omitempty"`
	Rootless      bool   `json:"rootless,omitempty"`
	RootDir       string `json:"rootDir,omitempty"` // where images are stored
	// Err says why the engine does not answer (nil when Running); Output is
	// what the failed command printed.
	Err    error  `json:"-"`
	Output string `json:"output,omitempty"`
}

// Found reports whether an engine binary was found.
func (i Info) Found() bool { return i.Path != "" }

// Answers reports whether kind can use the engine.
func (i Info) Answers() bool { return i.Running }

// Command builds a command for the engine binary.
func (i Info) Command(ctx context.Context, args ...string) *exec.Cmd {
	return exec.CommandContext(ctx, i.Path, args...)
}

// Problem classifies why the engine cannot be used; nil when it answers.
func (i Info) Problem() *Error {
	if i.Running {
		return nil
	}
	if !i.Found() {
		err := i.Err
		if err == nil {
			err = fmt.Errorf("neither docker nor podman found in PATH: %w", exec.ErrNotFound)
		}
		return Classify(err, i.Output)
	}
	err := i.Err
	if err == nil {
		err = fmt.Errorf("%s info failed", i.Engine)
	}
	e := Classify(err, i.Output)
	if e.Class == ClassUnknown {
		// A binary that is found but does not answer is an engine that
		// is not running, whatever words it used to say so.
		e = newError(ClassEngineNotRunning, err, i.Output)
	}
	return e
}

// Prober finds the container engine. Tests use a fake.
type Prober interface {
	Probe(ctx context.Context) Info
}

// ProberFunc adapts a function to Prober.
type ProberFunc func(ctx context.Context) Info

// Probe calls f.
func (f ProberFunc) Probe(ctx context.Context) Info { return f(ctx) }

// ExecProber runs `docker info` / `podman info`.
type ExecProber struct {
	// Candidates are tried in order; the first that answers wins.
	Candidates []string
	// Timeout bounds each info call.
	Timeout time.Duration
	// LookPath finds a binary (exec.LookPath).
	LookPath func(string) (string, error)
	// Run runs a command and returns its stdout and stderr.
	Run func(ctx context.Context, path string, args ...string) (stdout, stderr []byte, err error)
}

// NewProber returns the production prober: docker, then podman.
func NewProber() *ExecProber {
	return &ExecProber{
		Candidates: []string{Docker, Podman},
		Timeout:    DefaultProbeTimeout,
		LookPath:   exec.LookPath,
		Run: func(ctx context.Context, path string, args ...string) ([]byte, []byte, error) {
			cmd := exec.CommandContext(ctx, path, args...)
			var stdout, stderr bytes.Buffer
			cmd.Stdout = &stdout
			cmd.Stderr = &stderr
			err := cmd.Run()
			return stdout.Bytes(), stderr.Bytes(), err
		},
	}
}

// Probe returns the first engine that answers, else the first one found
// (with why it does not answer), else an Info with no engine.
func (p *ExecProber) Probe(ctx context.Context) Info {
	var first *Info
	var lookErr error
	for _, name := range p.Candidates {
		path, err := p.LookPath(name)
		if err != nil {
			if lookErr == nil {
				lookErr = err
			}
			continue
		}
		info := p.probeOne(ctx, name, path)
		if info.Running {
			return info
		}
		if first == nil {
			first = &info
		}
	}
	if first != nil {
		return *first
	}
	if lookErr == nil {
		lookErr = exec.ErrNotFound
	}
	return Info{Err: fmt.Errorf("neither docker nor podman found in PATH: %w", lookErr)}
}

func (p *ExecProber) probeOne(ctx context.Context, name, path string) Info {
	timeout := p.Timeout
	if timeout <= 0 {
		timeout = DefaultProbeTimeout
	}
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	info := Info{Engine: name, Path: path}
	out, stderr, err := p.Run(cctx, path, "info", "--format", "{{json .}}")
	if err != nil {
		if cctx.Err() == context.DeadlineExceeded {
			err = fmt.Errorf("%s info did not answer within %s (Cannot connect to the daemon): %w", name, timeout, err)
		}
		info.Err = err
		info.Output = strings.TrimSpace(string(stderr))
		if info.Output == "" {
			info.Output = strings.TrimSpace(string(out))
		}
		return info
	}
	if perr := parseInfo(&info, out); perr != nil {
		info.Err = fmt.Errorf("%s info: %w", name, perr)
		info.Output = strings.TrimSpace(string(stderr))
		return info
	}
	info.Running = true
	return info
}

// dockerInfo is the part of `docker info --format '{{json .}}'` we read.
type dockerInfo struct {
	ServerVersion   string   `json:"ServerVersion"`
	CgroupVersion   string   `json:"CgroupVersion"`
	CgroupDriver    string   `json:"CgroupDriver"`
	DockerRootDir   string   `json:"DockerRootDir"`
	SecurityOptions []string `json:"SecurityOptions"`
	ServerErrors    []string `json:"ServerErrors"`
}

// podmanInfo is the part of `podman info --format json` we read (also what a
// podman-docker `docker` shim prints).
type podmanInfo struct {
	Host *struct {
		CgroupVersion string `json:"cgroupVersion"` // "v1" / "v2"
		CgroupManager string `json:"cgroupManager"`
		Security      struct {
			Rootless bool `json:"rootless"`
		} `json:"security"`
	} `json:"host"`
	Store struct {
		GraphRoot string `json:"graphRoot"`
	} `json:"store"`
	Version struct {
		Version string `json:"Version"`
	} `json:"version"`
}

// parseInfo fills info from an engine's JSON info; a docker client without a
// daemon prints JSON with ServerErrors and exits 0 on some versions.
func parseInfo(info *Info, out []byte) error {
	line := bytes.TrimSpace(out)
	var pi podmanInfo
	if err := json.Unmarshal(line, &pi); err == nil && pi.Host != nil {
		info.Engine = Podman
		info.ServerVersion = pi.Version.Version
		info.CgroupVersion = strings.TrimPrefix(pi.Host.CgroupVersion, "v")
		info.CgroupDriver = pi.Host.CgroupManager
		info.Rootless = pi.Host.Security.Rootless
		info.RootDir = pi.Store.GraphRoot
		return nil
	}
	var di dockerInfo
	if err := json.Unmarshal(line, &di); err != nil {
		return fmt.Errorf("unreadable info output: %w", err)
	}
	if len(di.ServerErrors) > 0 {
		return errors.New(strings.Join(di.ServerErrors, "; "))
	}
	if di.ServerVersion == "" {
		return errors.New("Cannot connect to the daemon: info has no server version")
	}
	info.ServerVersion = di.ServerVersion
	info.CgroupVersion = di.CgroupVersion
	info.CgroupDriver = di.CgroupDriver
	info.RootDir = di.DockerRootDir
	for _, o := range di.SecurityOptions {
		if strings.Contains(o, "name=rootless") {
			info.Rootless = true
		}
	}
	return nil
}
