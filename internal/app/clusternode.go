package app

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/dslab-kr/dslab/internal/cluster"
	"github.com/dslab-kr/dslab/internal/cluster/nodes"
	"github.com/dslab-kr/dslab/internal/hangul"
	"github.com/dslab-kr/dslab/internal/kube"
)

// nodeMonitorGracePeriod is kube-controller-manager's
// --node-monitor-grace-period default in v1.37 (both runtimes use it):
// pkg/controller/nodelifecycle/config/v1alpha1/defaults.go.
const nodeMonitorGracePeriod = 50 * time.Second

func newClusterNodeCommand(env Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "node",
		Short: "노드 장애를 흉내 냅니다: stop (노드를 멈춤), start (다시 켬)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cmd.Help()
		},
	}
	cmd.AddCommand(newClusterNodeStopCommand(env), newClusterNodeStartCommand(env))
	return cmd
}

// nodeFlags are the flags node stop and node start share.
type nodeFlags struct {
	name    string
	wait    bool
	timeout time.Duration
}

func (f *nodeFlags) add(cmd *cobra.Command, what string) {
	cmd.Flags().StringVar(&f.name, "name", cluster.DefaultName, "클러스터 이름")
	cmd.Flags().BoolVar(&f.wait, "wait", true, "컨트롤 플레인이 노드를 "+what+" 것으로 볼 때까지 기다리며 진행 상황을 보여 줍니다")
	cmd.Flags().DurationVar(&f.timeout, "timeout", 5*time.Minute, "--wait 의 최대 대기 시간")
}

func newClusterNodeStopCommand(env Env) *cobra.Command {
	var f nodeFlags
	cmd := &cobra.Command{
		Use:   "stop NODE",
		Short: "노드를 멈춥니다 (노드 장애): kubelet 이 더 이상 보고하지 않아 노드가 NotReady 가 됩니다",
		Long: "노드를 멈춰 노드 장애를 흉내 냅니다.\n\n" +
			"embedded 런타임: 그 노드의 시뮬레이션된 kubelet 이 노드 상태 하트비트와 kube-node-lease 의\n" +
			"리스(Lease) 갱신을 멈춥니다. kind 런타임: 노드 컨테이너를 멈춥니다 (docker stop).\n\n" +
			"그 뒤는 실제 클러스터와 같습니다. kube-controller-manager 의 노드 수명 주기 컨트롤러가 마지막\n" +
			"하트비트 뒤 --node-monitor-grace-period(기본 50초)가 지나면 노드를 NotReady(Ready=Unknown)로\n" +
			"표시하고 테인트(taint) node.kubernetes.io/unreachable 을 NoSchedule 과 NoExecute 이펙트로 붙입니다.\n" +
			"데몬셋 파드는 이 테인트를 기한 없이 용인해 노드에 남고, 다른 파드는 tolerationSeconds\n" +
			"(기본 300초) 뒤 축출(eviction)됩니다.\n\n" +
			"멈춘 노드는 cluster down --keep-data 뒤 cluster up 에도 멈춘 채로 남고, cluster node start 로 다시 켭니다.",
		Example: "  dslab cluster node stop dslab-worker2\n" +
			"  dslab cluster node stop dslab-worker2 --wait=false",
		Args: exactArgs(1, "멈출 노드 이름을 하나 주세요 (예: dslab cluster node stop dslab-worker2)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runNodeStopStart(cmd.Context(), env, f, args[0], true)
		},
	}
	f.add(cmd, "멈춘")
	return cmd
}

func newClusterNodeStartCommand(env Env) *cobra.Command {
	var f nodeFlags
	cmd := &cobra.Command{
		Use:     "start NODE",
		Short:   "멈춘 노드를 다시 켭니다: 노드가 다시 Ready 가 되고 unreachable 테인트가 사라집니다",
		Example: "  dslab cluster node start dslab-worker2",
		Args:    exactArgs(1, "다시 켤 노드 이름을 하나 주세요 (예: dslab cluster node start dslab-worker2)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runNodeStopStart(cmd.Context(), env, f, args[0], false)
		},
	}
	f.add(cmd, "다시 Ready 인")
	return cmd
}

func runNodeStopStart(ctx context.Context, env Env, f nodeFlags, node string, stop bool) error {
	if err := validateClusterName(f.name); err != nil {
		return err
	}
	if err := cluster.ValidateName("노드", node); err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	if f.wait && f.timeout <= 0 {
		return usageError("--timeout 은 0 보다 커야 합니다 (예: --timeout 3m)")
	}
	rt := existingRuntime(env, f.name)
	out := env.textOut()
	var err error
	if stop {
		err = rt.StopNode(ctx, f.name, node)
	} else {
		err = rt.StartNode(ctx, f.name, node)
	}
	if err != nil {
		what := "노드 다시 켜기(node start)"
		if stop {
			what = "노드 멈추기(node stop)"
		}
		return notSupportedOr(err, rt, what)
	}
	if stop {
		printNodeStopped(out, rt.Name(), node)
	} else {
		printNodeStarted(out, rt.Name(), node)
	}
	if !f.wait {
		return nil
	}
	conn, err := kube.Connect(ctx, nil, kube.Target{Kubeconfig: rt.KubeconfigPath(f.name)})
	if err != nil {
		return &ExitError{Code: ExitFailure, Err: err}
	}
	wctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	progress := progressPrinter(newTextOut(env, env.Streams.Err, 0))
	start := time.Now()
	if stop {
		progress(fmt.Sprintf("노드 %s %s NotReady 가 될 때까지 기다립니다 (마지막 하트비트 뒤 약 %d초)", node, hangul.IGa(node), int(nodeMonitorGracePeriod.Seconds())))
		_, err = nodes.Wait(wctx, conn.Client, node, nodes.Health.Down, nodes.WaitOptions{Waiting: stopWaiting}, progress)
	} else {
		_, err = nodes.Wait(wctx, conn.Client, node, nodes.Health.Up, nodes.WaitOptions{Waiting: startWaiting}, progress)
	}
	if err != nil {
		return &ExitError{Code: ExitFailure, Err: nodeWaitError(node, stop, f.timeout, err)}
	}
	took := time.Since(start).Seconds()
	if stop {
		out.Printf("\n노드 %s %s 이제 NotReady 이고 unreachable 테인트가 붙었습니다 (%.0f초 걸림):\n", node, hangul.EunNeun(node), took)
		out.Println("  • 새 파드는 이 노드에 스케줄되지 않습니다 (node.kubernetes.io/unreachable:NoSchedule).")
		out.Println("  • 데몬셋 파드는 unreachable/not-ready NoExecute 테인트를 기한 없이 용인하므로 이 노드에 그대로 남습니다 (Ready 는 False).")
		out.Println("  • 다른 파드는 그 테인트를 용인하는 tolerationSeconds(기본 300초)가 지나면 축출(eviction)되어 Terminating 으로 남고, 디플로이먼트는 다른 노드에 새 파드를 만듭니다.")
		out.Items("확인: dslab kubectl get nodes", "dslab kubectl get pods -A -o wide")
		out.Printf("다시 켜기: dslab cluster node start %s\n", node)
	} else {
		out.Printf("\n노드 %s %s 다시 Ready 이고 unreachable 테인트가 사라졌습니다 (%.0f초 걸림).\n", node, hangul.IGa(node), took)
	}
	return nil
}

func printNodeStopped(w textOut, runtime, node string) {
	if runtime == cluster.RuntimeKind {
		w.Printf("노드 %s 의 컨테이너를 멈췄습니다 (docker stop): kubelet 과 그 노드의 컨테이너가 모두 멈췄습니다.\n", node)
	} else {
		w.Printf("노드 %s 의 kubelet 을 멈췄습니다: 노드 상태 하트비트와 kube-node-lease 의 리스(Lease) 갱신이 멈췄습니다.\n", node)
	}
	w.Printf("컨트롤 플레인은 이것을 바로 알지 못합니다. 노드 수명 주기 컨트롤러(node lifecycle controller)가 "+
		"마지막 하트비트 뒤 --node-monitor-grace-period(기본 %d초)가 지나면 노드를 NotReady(Ready=Unknown)로 표시하고, "+
		"이어서 테인트(taint) node.kubernetes.io/unreachable 을 NoSchedule 과 NoExecute 이펙트로 붙입니다.\n", int(nodeMonitorGracePeriod.Seconds()))
}

func printNodeStarted(w textOut, runtime, node string) {
	if runtime == cluster.RuntimeKind {
		w.Printf("노드 %s 의 컨테이너를 다시 시작했습니다 (docker start).\n", node)
	} else {
		w.Printf("노드 %s 의 kubelet 이 다시 하트비트와 리스(Lease) 갱신을 보냅니다.\n", node)
	}
	w.Println("노드 수명 주기 컨트롤러가 이를 보면 노드를 Ready 로 되돌리고 unreachable 테인트를 뗍니다.")
}

func stopWaiting(waited time.Duration, h nodes.Health) string {
	if h.Ready == "True" {
		return fmt.Sprintf("아직 Ready 로 보입니다: 컨트롤 플레인은 하트비트가 %d초 동안 없어야 NotReady 로 판단합니다 (%.0f초 지남)",
			int(nodeMonitorGracePeriod.Seconds()), waited.Seconds())
	}
	return fmt.Sprintf("NotReady 입니다. unreachable 테인트를 기다립니다 (%.0f초 지남)", waited.Seconds())
}

func startWaiting(waited time.Duration, _ nodes.Health) string {
	return fmt.Sprintf("노드가 다시 Ready 가 되기를 기다립니다 (%.0f초 지남)", waited.Seconds())
}

func nodeWaitError(node string, stop bool, timeout time.Duration, err error) error {
	if stop {
		return fmt.Errorf("노드 %s %s %s 안에 NotReady 가 되지 않았습니다 (노드는 멈춘 상태로 남습니다; dslab cluster status 로 확인하세요): %w", node, hangul.IGa(node), timeout, err)
	}
	return fmt.Errorf("노드 %s %s %s 안에 다시 Ready 가 되지 않았습니다 (dslab cluster status 로 확인하세요): %w", node, hangul.IGa(node), timeout, err)
}
