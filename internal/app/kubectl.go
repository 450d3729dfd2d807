package app

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/client-go/tools/clientcmd"
	kubectlcmd "k8s.io/kubectl/pkg/cmd"
	cmdutil "k8s.io/kubectl/pkg/cmd/util"

	"github.com/dslab-kr/dslab/internal/cluster"
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
			return runKubectl(env, kubectlArgs(env, args))
		},
	}
}

// kubectlArgs adds the dslab context unless the user chose a context or
// kubeconfig. When the user's kubeconfig lacks the context (e.g. KUBECONFIG
// changed since `cluster up`), the cluster's own kubeconfig is used.
func kubectlArgs(env Env, args []string) []string {
	for _, a := range args {
		if a == "--context" || strings.HasPrefix(a, "--context=") || a == "--kubeconfig" || strings.HasPrefix(a, "--kubeconfig=") {
			return args
		}
	}
	rt := existingRuntime(env, cluster.DefaultName)
	ctxName := rt.Context(cluster.DefaultName)
	rules := &clientcmd.ClientConfigLoadingRules{Precedence: env.Paths.Kubeconfigs}
	if cfg, err := rules.Load(); err == nil {
		if _, ok := cfg.Contexts[ctxName]; ok {
			return append([]string{"--context=" + ctxName}, args...)
		}
	}
	if _, err := os.Stat(rt.KubeconfigPath(cluster.DefaultName)); err == nil {
		return append([]string{"--kubeconfig=" + rt.KubeconfigPath(cluster.DefaultName)}, args...)
	}
	return args
}

// kubectlFatal carries kubectl's fatal exit out of its CheckErr so that only
// Main exits the process.
type kubectlFatal struct {
	msg  string
	code int
}

func runKubectl(env Env, args []string) (err error) {
	streams := genericiooptions.IOStreams{In: env.Streams.In, Out: env.Streams.Out, ErrOut: env.Streams.Err}
	cmdutil.BehaviorOnFatal(func(msg string, code int) { panic(kubectlFatal{msg, code}) })
	defer cmdutil.DefaultBehaviorOnFatal()
	defer func() {
		if r := recover(); r != nil {
			f, ok := r.(kubectlFatal)
			if !ok {
				panic(r)
			}
			if f.msg != "" {
				msg := f.msg
				if !strings.HasSuffix(msg, "\n") {
					msg += "\n"
				}
				fmt.Fprint(env.Streams.Err, msg) // raw: kubectl's own text
			}
			err = &ExitError{Code: f.code}
		}
	}()
	kc := kubectlcmd.NewDefaultKubectlCommandWithArgs(kubectlcmd.KubectlOptions{
		PluginHandler: kubectlcmd.NewDefaultPluginHandler([]string{"kubectl"}),
		Arguments:     append([]string{"kubectl"}, args...),
		ConfigFlags:   genericclioptions.NewConfigFlags(true).WithDiscoveryBurst(300).WithDiscoveryQPS(50).WithWarningPrinter(streams),
		IOStreams:     streams,
	})
	kc.SetArgs(args)
	if err := kc.Execute(); err != nil {
		env.textErr().Printf("error: %v\n", err)
		return &ExitError{Code: ExitFailure}
	}
	return nil
}
