// Package kube is dslab's client-go side of exercises and grading: it
// connects to a cluster, captures grader.Snapshots, prepares exercises
// (setup objects, node labels and taints, baselines) and runs the rollout
// recorder.
package kube

import (
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strings"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/dslab-kr/dslab/internal/cluster"
	"github.com/dslab-kr/dslab/internal/hangul"
)

// DefaultContext is the kubeconfig context of the lab cluster.
const DefaultContext = cluster.DefaultName

// LabContexts are the lab cluster's context names under each runtime
// (embedded, kind), tried in order when no context is given.
var LabContexts = []string{DefaultContext, "kind-" + cluster.DefaultName}

// Target says which cluster to talk to.
type Target struct {
	// Kubeconfig is an explicit kubeconfig file; empty means the user's
	// kubeconfig files (KUBECONFIG or ~/.kube/config).
	Kubeconfig string
	// Context is the context to use; empty means "dslab" in the user's
	// kubeconfig, or the current context of an explicit Kubeconfig.
	Context string
}

// Conn is a connected cluster.
type Conn struct {
	Client  kubernetes.Interface
	Rest    *rest.Config
	Context string
	// Source is the kubeconfig the connection came from (for messages).
	Source string
}

// ConnectError says in Korean why a cluster could not be reached.
type ConnectError struct {
	// Reason is "kubeconfig", "context" or "unreachable".
	Reason  string
	Context string
	Source  string
	Err     error
}

func (e *ConnectError) Error() string {
	switch e.Reason {
	case "kubeconfig":
		return fmt.Sprintf("클러스터에 연결할 수 없습니다: kubeconfig 파일을 읽을 수 없습니다: %s (%v)", e.Source, e.Err)
	case "context":
		msg := fmt.Sprintf("클러스터에 연결할 수 없습니다: kubeconfig %s 에 컨텍스트(context) %q %s 없습니다", e.Source, e.Context, hangul.IGa(e.Context))
		if e.Context == DefaultContext {
			msg += " — dslab cluster up 으로 시작하세요"
		}
		if e.Err != nil {
			msg += " (" + e.Err.Error() + ")"
		}
		return msg
	}
	msg := fmt.Sprintf("클러스터에 연결할 수 없습니다: 컨텍스트(context) %q 의 API 서버가 응답하지 않습니다 (%v)", e.Context, e.Err)
	if e.Context == DefaultContext {
		msg += " — dslab cluster up 으로 시작하세요"
	}
	return msg
}

func (e *ConnectError) Unwrap() error { return e.Err }

// Connect loads the kubeconfig for t (clientcmd loading rules, as kubectl
// does), checks that the API server answers, and returns a client.
// kubeconfigs are the user's kubeconfig files (paths.Paths.Kubeconfigs).
func Connect(ctx context.Context, kubeconfigs []string, t Target) (*Conn, error) {
	rules := &clientcmd.ClientConfigLoadingRules{Precedence: kubeconfigs}
	source := strings.Join(kubeconfigs, string(os.PathListSeparator))
	ctxName := t.Context
	if t.Kubeconfig != "" {
		rules = &clientcmd.ClientConfigLoadingRules{ExplicitPath: t.Kubeconfig}
		source = t.Kubeconfig
		if _, err := os.Stat(t.Kubeconfig); err != nil {
			return nil, &ConnectError{Reason: "kubeconfig", Source: source, Err: err}
		}
	} else if ctxName == "" {
		ctxName = DefaultContext
	}
	raw, err := rules.Load()
	if err != nil {
		return nil, &ConnectError{Reason: "kubeconfig", Source: source, Err: err}
	}
	if ctxName == "" {
		ctxName = raw.CurrentContext
	}
	if t.Kubeconfig == "" && t.Context == "" {
		// The lab's context: "dslab" (embedded) or "kind-dslab" (kind).
		for _, c := range LabContexts {
			if _, ok := raw.Contexts[c]; ok {
				ctxName = c
				break
			}
		}
	}
	if _, ok := raw.Contexts[ctxName]; !ok || ctxName == "" {
		return nil, &ConnectError{Reason: "context", Source: source, Context: ctxName, Err: availableContexts(raw)}
	}
	cfg, err := clientcmd.NewDefaultClientConfig(*raw, &clientcmd.ConfigOverrides{CurrentContext: ctxName}).ClientConfig()
	if err != nil {
		return nil, &ConnectError{Reason: "kubeconfig", Source: source, Context: ctxName, Err: err}
	}
	cfg.Timeout = 15 * time.Second
	cfg.QPS, cfg.Burst = 50, 100
	client, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, &ConnectError{Reason: "kubeconfig", Source: source, Context: ctxName, Err: err}
	}
	if err := Ping(ctx, client); err != nil {
		return nil, &ConnectError{Reason: "unreachable", Source: source, Context: ctxName, Err: err}
	}
	return &Conn{Client: client, Rest: cfg, Context: ctxName, Source: source}, nil
}

func availableContexts(cfg *clientcmdapi.Config) error {
	var names []string
	for n := range cfg.Contexts {
		names = append(names, n)
	}
	if len(names) == 0 {
		return errors.New("컨텍스트가 하나도 없습니다")
	}
	sort.Strings(names)
	return fmt.Errorf("있는 컨텍스트: %s", strings.Join(names, ", "))
}

// Ping checks that the API server answers within a few seconds.
func Ping(ctx context.Context, client kubernetes.Interface) error {
	ctx, cancel := context.WithTimeout(ctx, 8*time.Second)
	defer cancel()
	rc := client.Discovery().RESTClient()
	if rc == nil || reflect.ValueOf(rc).IsNil() {
		_, err := client.Discovery().ServerVersion()
		return err
	}
	if err := rc.Get().AbsPath("/readyz").Do(ctx).Error(); err != nil {
		// Some servers restrict /readyz; the version endpoint is public.
		if _, verr := client.Discovery().ServerVersion(); verr != nil {
			return err
		}
	}
	return nil
}
