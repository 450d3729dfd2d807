package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/client-go/tools/clientcmd"
	kubectlcmd "k8s.io/kubectl/pkg/cmd"
	cmdutil "k8s.io/kubectl/pkg/cmd/util"

	"github.com/dslab-kr/dslab/internal/cluster"
	"github.com/dslab-kr/dslab/internal/hangul"
	"github.com/dslab-kr/dslab/internal/lab"
)

func newKubectlCommand(env Env) *cobra.Command {
	return &cobra.Command{
		Use:   "kubectl [ARGS…]",
		Short: "내장 kubectl 을 실행합니다 (따로 정하지 않으면 dslab 컨텍스트)",
		Long: "dslab 에 들어 있는 kubectl (k8s.io/kubectl v0.37) 을 실행합니다.\n" +
			"--context 나 --kubeconfig 를 주지 않으면 dslab 클러스터의 컨텍스트를 씁니다.\n\n" +
			"예: dslab kubectl get ds -A",
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			def := kubectlTarget(env, args)
			if def.Missing != "" && kubectlNeedsServer(args) {
				// Without a context kubectl falls back to localhost:8080 and
				// prints five discovery errors (trial 2026-11-30, issue 14).
				return &ExitError{Code: ExitFailure, Err: fmt.Errorf("클러스터 %s %s 없습니다 (컨텍스트 %s 없음) — dslab cluster up 으로 시작하세요", cluster.DefaultName, hangul.IGa(cluster.DefaultName), def.Missing)}
			}
			if err := kubectlStopped(cmd.Context(), def, args); err != nil {
				return err
			}
			ctx := cmd.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			var attempt *kubectlAttempt
			if def.rt != nil && kubectlWrites(args) {
				// An attempt at the started exercise counts (kubectlattempt.go).
				if attempt = probeKubectlAttempt(ctx, env, def); attempt != nil {
					args = withLabFieldManager(args)
				}
			}
			// The Korean explanation is for a person at a terminal; piped
			// output (scripts, the lessons' transcripts) stays kubectl's own.
			var explain func(string) string
			if _, tty := terminalFile(env.Streams.Err); tty && kubectlExplains(args) {
				taskNS := ""
				if attempt != nil {
					taskNS = attempt.ns
				}
				explain = func(msg string) string { return lab.ExplainApplyError(msg, kubectlFiles(args), taskNS) }
			}
			err := runKubectl(env, args, def, explain)
			if err == nil && attempt != nil {
				attempt.count(ctx, env, kubectlVerb(args))
			}
			return err
		},
	}
}

// kubectlDefaults is the context or kubeconfig dslab chooses for kubectl
// when the user gives neither; both empty leaves kubectl's own defaults.
// Missing names the dslab context when neither the user's kubeconfig nor
// the cluster's own has it (no cluster: after `dslab cluster down`).
type kubectlDefaults struct {
	Context, Kubeconfig string
	Missing             string
	// rt is the runtime of the dslab cluster when dslab chose its context
	// or kubeconfig (nil otherwise).
	rt cluster.Runtime
}

// kubectlStopped is the Korean error of a kubectl command line that needs
// the API server (kubectlNeedsServer) while the dslab cluster whose
// context dslab chose is stopped or stopping (cluster.Runtime.Status);
// kubectl would otherwise print its own "connection refused" lines (trial
// 2026-11-30, issue 14). nil when the cluster runs, its state is unknown,
// or the user chose the context.
func kubectlStopped(ctx context.Context, def kubectlDefaults, args []string) error {
	if def.rt == nil || !kubectlNeedsServer(args) {
		return nil
	}
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	st, err := def.rt.Status(ctx, cluster.DefaultName)
	if err != nil {
		return nil
	}
	switch st.State {
	case cluster.StateStopped, cluster.StateStopping:
		// The one Korean line every command says (labdown.go).
		return &ExitError{Code: ExitFailure, Err: errors.New(labStateText(cluster.DefaultName, st.State))}
	}
	return nil
}

// kubectlNeedsServer reports whether the kubectl command line talks to an
// API server; help, completion, config, plugin, options and
// `version --client` work without one.
func kubectlNeedsServer(args []string) bool {
	first := ""
	client := false
	for _, a := range args {
		switch {
		case a == "-h" || a == "--help":
			return false
		case a == "--client" || a == "--client=true":
			client = true
		case first == "" && !strings.HasPrefix(a, "-"):
			first = a
		}
	}
	switch first {
	case "", "help", "completion", "config", "plugin", "options", "kustomize":
		return false
	case "version":
		return !client
	}
	return true
}

// kubectlTarget picks the dslab context unless the user chose a context or
// kubeconfig. When the user's kubeconfig lacks the context (e.g. KUBECONFIG
// changed since `cluster up`), the cluster's own kubeconfig is used. The
// choice goes into kubectl's config flags as their default values, never
// into argv: a flag before the subcommand makes kubectl's plugin lookup
// fail with "flags cannot be placed before plugin name" instead of its own
// "unknown command … Did you mean this?" for a mistyped command
// (k8s.io/kubectl/pkg/cmd NewDefaultKubectlCommandWithArgs).
func kubectlTarget(env Env, args []string) kubectlDefaults {
	for _, a := range args {
		if a == "--context" || strings.HasPrefix(a, "--context=") || a == "--kubeconfig" || strings.HasPrefix(a, "--kubeconfig=") {
			return kubectlDefaults{}
		}
	}
	rt := existingRuntime(env, cluster.DefaultName)
	ctxName := rt.Context(cluster.DefaultName)
	rules := &clientcmd.ClientConfigLoadingRules{Precedence: env.Paths.Kubeconfigs}
	if cfg, err := rules.Load(); err == nil {
		if _, ok := cfg.Contexts[ctxName]; ok {
			return kubectlDefaults{Context: ctxName, rt: rt}
		}
	}
	if _, err := os.Stat(rt.KubeconfigPath(cluster.DefaultName)); err == nil {
		return kubectlDefaults{Kubeconfig: rt.KubeconfigPath(cluster.DefaultName), rt: rt}
	}
	return kubectlDefaults{Missing: ctxName}
}

// kubectlFatal carries kubectl's fatal exit out of its CheckErr so that only
// Main exits the process.
type kubectlFatal struct {
	msg  string
	code int
}

// kubectlExplains reports whether a failure of the kubectl command line
// args gets the TUI's Korean explanation of a failed apply first
// (lab.ExplainApplyError): apply, create and replace of manifests.
func kubectlExplains(args []string) bool {
	switch kubectlVerb(args) {
	case "apply", "create", "replace":
		return kubectlNeedsServer(args)
	}
	return false
}

// kubectlFiles are the manifest files args name (-f/--filename, as
// "-f x", "-f=x", "--filename x", "--filename=x").
func kubectlFiles(args []string) []string {
	var out []string
	for i, a := range args {
		switch {
		case a == "--":
			return out
		case (a == "-f" || a == "--filename") && i+1 < len(args):
			out = append(out, args[i+1])
		case strings.HasPrefix(a, "-f="), strings.HasPrefix(a, "--filename="):
			_, v, _ := strings.Cut(a, "=")
			out = append(out, v)
		}
	}
	return out
}

// printKubectlFatal prints kubectl's fatal error text msg on stderr as
// kubectl does, after the Korean explanation explain gives it (nil or ""
// for none): the cause in Korean first, kubectl's and the API server's
// own words after, unchanged (issue 14).
func printKubectlFatal(env Env, msg string, explain func(string) string) {
	if msg == "" {
		return
	}
	if explain != nil {
		if k := explain(msg); k != "" {
			env.textErr().Println(k)
		}
	}
	if !strings.HasSuffix(msg, "\n") {
		msg += "\n"
	}
	fmt.Fprint(env.Streams.Err, msg) // raw: kubectl's own text
}

func runKubectl(env Env, args []string, def kubectlDefaults, explain func(string) string) (err error) {
	streams := genericiooptions.IOStreams{In: env.Streams.In, Out: env.Streams.Out, ErrOut: env.Streams.Err}
	cmdutil.BehaviorOnFatal(func(msg string, code int) { panic(kubectlFatal{msg, code}) })
	defer cmdutil.DefaultBehaviorOnFatal()
	defer func() {
		if r := recover(); r != nil {
			f, ok := r.(kubectlFatal)
			if !ok {
				panic(r)
			}
			printKubectlFatal(env, f.msg, explain)
			err = &ExitError{Code: f.code}
		}
	}()
	flags := genericclioptions.NewConfigFlags(true).WithDiscoveryBurst(300).WithDiscoveryQPS(50).WithWarningPrinter(streams)
	// Defaults of --context/--kubeconfig (AddFlags binds them with the
	// current values as defaults); the user's flags still win.
	if def.Context != "" {
		flags.Context = &def.Context
	}
	if def.Kubeconfig != "" {
		flags.KubeConfig = &def.Kubeconfig
	}
	kc := kubectlcmd.NewDefaultKubectlCommandWithArgs(kubectlcmd.KubectlOptions{
		PluginHandler: kubectlcmd.NewDefaultPluginHandler([]string{"kubectl"}),
		Arguments:     append([]string{"kubectl"}, args...),
		ConfigFlags:   flags,
		IOStreams:     streams,
	})
	kc.SetArgs(args)
	// Errors are printed once below, as kubectl's main does (error: …).
	kc.SetOut(env.Streams.Out)
	kc.SetErr(env.Streams.Err)
	kc.SilenceErrors, kc.SilenceUsage = true, true
	if err := kc.Execute(); err != nil {
		env.textErr().Printf("error: %v\n", err)
		return &ExitError{Code: ExitFailure}
	}
	return nil
}
