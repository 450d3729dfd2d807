package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
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
			if kubectlBadCommandLine(args, env.Streams.Err) {
				// A mistyped command or flag is said as such (kubectl's
				// own error, Korean first at a terminal), cluster or not:
				// kubectl answers it before it asks any server.
				def.Missing, def.rt = "", nil
			}
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
				if attempt = probeKubectlAttempt(ctx, env, def); attempt != nil && attempt.mayWriteTarget(args) {
					args = withLabFieldManager(args)
				}
			}
			// The Korean explanation is for a person at a terminal; piped
			// output (scripts, the lessons' transcripts) stays kubectl's own.
			var explain func(string) string
			if _, tty := terminalFile(env.Streams.Err); tty {
				explain = kubectlExplainer(args, attempt)
			}
			err := runKubectl(env, args, def, explain)
			if err == nil && attempt != nil {
				attempt.count(ctx, env, args)
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

// kubectlExplainer is the Korean first line for a failure of the kubectl
// command line args (printKubectlFatal): a command-line error (an unknown
// flag or command, a missing value or argument: kubectlUsageKorean), else
// for apply, create and replace of manifests the TUI's explanation of a
// failed apply (lab.ExplainApplyError, with the started exercise's
// namespace when attempt is set), else none ("").
func kubectlExplainer(args []string, attempt *kubectlAttempt) func(string) string {
	taskNS := ""
	if attempt != nil {
		taskNS = attempt.ns
	}
	return func(msg string) string {
		if k := kubectlUsageKorean(msg, args); k != "" {
			return k
		}
		if kubectlExplains(args) {
			return lab.ExplainApplyError(msg, kubectlFiles(args), taskNS)
		}
		return ""
	}
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
// for none): the cause in Korean first, then what kubectl wrote on stderr
// before it (held, nil for none), then kubectl's and the API server's own
// words, unchanged (issue 14).
func printKubectlFatal(env Env, msg string, explain func(string) string, held *heldErr) {
	defer held.release()
	if msg == "" {
		return
	}
	if explain != nil {
		if k := explain(msg); k != "" {
			env.textErr().Println(k)
		}
	}
	held.release()
	if !strings.HasSuffix(msg, "\n") {
		msg += "\n"
	}
	fmt.Fprint(env.Streams.Err, msg) // raw: kubectl's own text
}

func runKubectl(env Env, args []string, def kubectlDefaults, explain func(string) string) (err error) {
	streams := genericiooptions.IOStreams{In: env.Streams.In, Out: env.Streams.Out, ErrOut: env.Streams.Err}
	var held *heldErr
	if explain != nil && !kubectlStreams(args) {
		// The Korean line of an error goes before kubectl's lines about it.
		held = newHeldErr(env.Streams.Err)
		streams.Out, streams.ErrOut = releasing{env.Streams.Out, held}, held
		defer held.release()
	}
	cmdutil.BehaviorOnFatal(func(msg string, code int) { panic(kubectlFatal{msg, code}) })
	defer cmdutil.DefaultBehaviorOnFatal()
	defer func() {
		if r := recover(); r != nil {
			f, ok := r.(kubectlFatal)
			if !ok {
				panic(r)
			}
			printKubectlFatal(env, f.msg, explain, held)
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
	opts := kubectlcmd.KubectlOptions{
		PluginHandler: kubectlcmd.NewDefaultPluginHandler([]string{"kubectl"}),
		Arguments:     append([]string{"kubectl"}, args...),
		ConfigFlags:   flags,
		IOStreams:     streams,
	}
	if msg := kubectlFlagBeforeCommand(opts, args); msg != "" {
		// NewDefaultKubectlCommandWithArgs would print this and call
		// os.Exit(1) itself; only Main exits.
		printKubectlFatal(env, msg, explain, held)
		return &ExitError{Code: ExitFailure}
	}
	kc := kubectlcmd.NewDefaultKubectlCommandWithArgs(opts)
	kc.SetArgs(args)
	// Errors are printed once below, as kubectl's main does (error: …).
	kc.SetOut(streams.Out)
	kc.SetErr(streams.ErrOut)
	kc.SilenceErrors, kc.SilenceUsage = true, true
	if err := kc.Execute(); err != nil {
		// kubectl's own command-line errors (unknown flag or command,
		// missing value): kubectl's text after the Korean cause.
		printKubectlFatal(env, "error: "+err.Error(), explain, held)
		return &ExitError{Code: ExitFailure}
	}
	return nil
}

// kubectlBadCommandLine reports whether kubectl rejects the command line
// args before it talks to any server: no such command, or a flag the
// command does not know or that lacks its value (kubectl's cobra tree
// and pflag parsing, as kc.Execute would find them). errOut is stderr:
// building the command tree reads the user's kuberc, and kubectl reports a
// broken one there before it exits.
func kubectlBadCommandLine(args []string, errOut io.Writer) bool {
	if len(args) == 0 {
		return false
	}
	var discard bytes.Buffer
	opts := kubectlcmd.KubectlOptions{
		Arguments:   append([]string{"kubectl"}, args...),
		ConfigFlags: genericclioptions.NewConfigFlags(true),
		IOStreams:   genericiooptions.IOStreams{In: strings.NewReader(""), Out: &discard, ErrOut: errOut},
	}
	if kubectlFlagBeforeCommand(opts, args) != "" {
		return true
	}
	probe := kubectlcmd.NewKubectlCommand(opts)
	found, rest, err := probe.Find(args)
	if err != nil {
		return true
	}
	if found == probe {
		// Cobra's Find leaves a mistyped command among rest when the
		// root takes arguments; kubectl's root takes none.
		for _, a := range rest {
			if !strings.HasPrefix(a, "-") {
				return a != "help" && a != cobra.ShellCompRequestCmd && a != cobra.ShellCompNoDescRequestCmd
			}
		}
	}
	found.InitDefaultHelpFlag()
	return found.ParseFlags(rest) != nil
}

// kubectlFlagBeforeCommand is kubectl's error text ("Error: flags cannot
// be placed before plugin name: --bogus") for a command line that
// NewDefaultKubectlCommandWithArgs answers by printing it and exiting the
// process: no command found for args, whose first word is a flag (a flag
// kubectl does not know, before the command), and not a help or
// completion request. "" for any other command line.
func kubectlFlagBeforeCommand(opts kubectlcmd.KubectlOptions, args []string) string {
	if len(args) == 0 || !strings.HasPrefix(args[0], "-") {
		return ""
	}
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			switch a {
			case "help", cobra.ShellCompRequestCmd, cobra.ShellCompNoDescRequestCmd:
				return ""
			}
			break
		}
	}
	probe := kubectlcmd.NewKubectlCommand(opts)
	if _, _, err := probe.Find(args); err == nil {
		return ""
	}
	return "Error: flags cannot be placed before plugin name: " + args[0]
}
