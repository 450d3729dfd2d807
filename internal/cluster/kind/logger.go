package kind

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"unicode"

	kindlog "sigs.k8s.io/kind/pkg/log"

	"github.com/dslab-kr/dslab/internal/cluster"
	"github.com/dslab-kr/dslab/internal/hangul"
)

// progressLogger is kind's logger: kind's user-facing lines (V(0) and
// warnings) become Korean progress lines, everything goes to the log file;
// nothing is ever written to the terminal.
type progressLogger struct {
	mu       sync.Mutex
	progress cluster.Progress
	log      *slog.Logger
}

var _ kindlog.Logger = (*progressLogger)(nil)

func newProgressLogger(progress cluster.Progress, log *slog.Logger) *progressLogger {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &progressLogger{progress: progress, log: log}
}

func (l *progressLogger) emit(line string) {
	if l.progress == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.progress(line)
}

func (l *progressLogger) info(msg string) {
	for _, line := range strings.Split(msg, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		l.log.Info("kind", "line", line)
		if strings.HasPrefix(line, "Creating cluster ") {
			continue // the runtime announces the creation itself, with more detail
		}
		l.emit(TranslateLine(line))
	}
}

func (l *progressLogger) Warn(message string) {
	l.log.Warn("kind", "warning", message)
	l.emit("kind 경고(warning): " + TranslateWarning(strings.TrimSpace(message)))
}

func (l *progressLogger) Warnf(format string, args ...any) { l.Warn(fmt.Sprintf(format, args...)) }

func (l *progressLogger) Error(message string) {
	l.log.Error("kind", "error", message)
	l.emit("kind 오류(error): " + strings.TrimSpace(message))
}

func (l *progressLogger) Errorf(format string, args ...any) { l.Error(fmt.Sprintf(format, args...)) }

func (l *progressLogger) V(level kindlog.Level) kindlog.InfoLogger {
	if level <= 0 {
		return infoLogger{l: l}
	}
	return debugLogger{l: l, level: level}
}

type infoLogger struct{ l *progressLogger }

func (i infoLogger) Info(message string)              { i.l.info(message) }
func (i infoLogger) Infof(format string, args ...any) { i.l.info(fmt.Sprintf(format, args...)) }
func (i infoLogger) Enabled() bool                    { return true }

// debugLogger sends kind's V(1+) lines to the log file only.
type debugLogger struct {
	l     *progressLogger
	level kindlog.Level
}

func (d debugLogger) Info(message string) {
	d.l.log.Debug("kind", "v", int(d.level), "line", strings.TrimSpace(message))
}
func (d debugLogger) Infof(format string, args ...any) { d.Info(fmt.Sprintf(format, args...)) }
func (d debugLogger) Enabled() bool {
	return d.l.log.Enabled(context.Background(), slog.LevelDebug)
}

// kindSteps maps kind's status texts (pkg/cluster/internal/create/…) to
// Korean.
var kindSteps = []struct{ prefix, korean string }{
	{"Ensuring node image", "노드 이미지(node image) 확인"},
	{"Preparing nodes", "노드 컨테이너 준비"},
	{"Configuring the external load balancer", "외부 로드밸런서(load balancer) 설정"},
	{"Writing configuration", "설정(configuration) 쓰기"},
	{"Starting control-plane", "컨트롤 플레인(control plane) 시작"},
	{"Installing CNI", "네트워크 플러그인(CNI) 설치"},
	{"Installing StorageClass", "스토리지클래스(StorageClass) 설치"},
	{"Joining more control-plane nodes", "컨트롤 플레인 노드 합류"},
	{"Joining worker nodes", "워커 노드(worker node) 합류"},
	{"Waiting ≤", "컨트롤 플레인 Ready 대기"},
}

var (
	parenRE    = regexp.MustCompile(`\(([^)]*)\)`)
	creatingRE = regexp.MustCompile(`^(Creating|Deleting) cluster "([^"]+)"`)
	readyRE    = regexp.MustCompile(`^• Ready after (\S+)`)
)

// TranslateLine turns one of kind's progress lines (" • Ensuring node image
// (kindest/node:v1.37.0) 🖼  ...", " ✓ …", " ✗ …") into a Korean progress
// line prefixed "kind:"; lines it does not know pass through unchanged
// after the prefix.
func TranslateLine(line string) string {
	line = strings.TrimSpace(line)
	if m := creatingRE.FindStringSubmatch(line); m != nil {
		verb := "만듭니다"
		if m[1] == "Deleting" {
			verb = "지웁니다"
		}
		return fmt.Sprintf("kind: 클러스터 %q %s %s", m[2], hangul.EulReul(m[2]), verb)
	}
	if m := readyRE.FindStringSubmatch(line); m != nil {
		return "kind: 컨트롤 플레인 Ready (" + m[1] + ")"
	}
	marker := ""
	rest := line
	for _, mk := range []string{"•", "✓", "✗"} {
		if strings.HasPrefix(line, mk) {
			marker, rest = mk, strings.TrimSpace(strings.TrimPrefix(line, mk))
			break
		}
	}
	if marker != "" {
		for _, s := range kindSteps {
			if !strings.HasPrefix(rest, s.prefix) {
				continue
			}
			text := s.korean
			if m := parenRE.FindStringSubmatch(rest); m != nil {
				text += " (" + m[1] + ")"
			}
			switch marker {
			case "•":
				text += " …"
			case "✗":
				text += " 실패"
			}
			return "kind: " + marker + " " + text
		}
	}
	return "kind: " + stripDecorations(line)
}

// TranslateWarning explains kind's warnings that learners meet.
func TranslateWarning(msg string) string {
	if strings.Contains(msg, "cgroup v1 is deprecated") {
		return "이 컴퓨터는 cgroup v1 을 씁니다. 쿠버네티스와 kind 는 cgroup v1 지원을 중단(deprecated)하고 있어 앞으로의 kind 에서는 동작하지 않을 수 있습니다 (" + msg + ")"
	}
	return msg
}

// stripDecorations removes kind's emoji and trailing dots.
func stripDecorations(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 0x1F000 || (r >= 0x2300 && r <= 0x23FF) || (r >= 0x2600 && r <= 0x27BF && r != '✓' && r != '✗') || r == 0xFE0F {
			continue
		}
		if !unicode.IsPrint(r) && r != ' ' {
			continue
		}
		b.WriteRune(r)
	}
	out := strings.TrimSpace(b.String())
	out = strings.TrimSpace(strings.TrimSuffix(out, "..."))
	return strings.Join(strings.Fields(out), " ")
}
