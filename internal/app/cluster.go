package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"

	"github.com/dslab-kr/dslab/internal/cluster"
	"github.com/dslab-kr/dslab/internal/cluster/embedded"
	"github.com/dslab-kr/dslab/internal/hangul"
	"github.com/dslab-kr/dslab/internal/kube"
	"github.com/dslab-kr/dslab/internal/render"
)

func newClusterCommand(env Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "cluster",
		Short: "실습 클러스터를 만들고 관리합니다 (up, down, status, kubeconfig, add-node, remove-node, node stop/start)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cmd.Help()
		},
	}
	cmd.AddCommand(
		newClusterUpCommand(env),
		newClusterDownCommand(env),
		newClusterStatusCommand(env),
		newClusterKubeconfigCommand(env),
		newClusterAddNodeCommand(env),
		newClusterRemoveNodeCommand(env),
		newClusterNodeCommand(env),
	)
	return cmd
}

// progressPrinter prints progress lines with elapsed time to t, each
// line's text hanging after its time.
func progressPrinter(t textOut) cluster.Progress {
	start := time.Now()
	return func(line string) {
		t.Hanging(fmt.Sprintf(" • [%5.1fs] ", time.Since(start).Seconds()), line)
	}
}

// liveProgress is progressPrinter for a slow command with silent stretches
// (cluster up: seconds between starting the control plane and the first
// node, issue 14): on a terminal (tty) each step stays as a lasting line
// " • [  2.6s] …" and below it one live line "… 진행 중 · N초" (N whole
// seconds since the command began, the same clock as the lines, as the
// TUI shows it) is redrawn every second and erased by the returned done;
// elsewhere the plain lines of progressPrinter and a done that does
// nothing. width is the terminal's width in cells; now is the clock; tick
// starts the per-second redraw (false in tests, which call Tick).
func liveProgress(w io.Writer, tty bool, width int, now func() time.Time, tick bool) (cluster.Progress, *progressLine) {
	t := textOut{w: w, width: width}
	if !tty {
		start := now()
		return func(line string) {
			t.Hanging(fmt.Sprintf(" • [%5.1fs] ", now().Sub(start).Seconds()), line)
		}, nil
	}
	l := newProgressLine(w, true, width, now)
	if tick {
		l.startTicking()
	}
	return func(line string) {
		prefix := fmt.Sprintf(" • [%5.1fs] ", now().Sub(l.start).Seconds())
		l.mu.Lock()
		l.msg = ""
		l.mu.Unlock()
		l.Note(hangingLines(prefix, line, width))
		l.Set(liveStep(line, width))
	}, l
}

// hangingLines is text after prefix wrapped to width cells, as
// textOut.Hanging writes it: the first line hangs after prefix, each
// further line of text (a runtime's "  까닭: …") keeps its own indentation
// under the prefix, and every wrapped line hangs at its line's indentation
// (issue 14: a two-line notice lost its indentation on a terminal).
func hangingLines(prefix, text string, width int) string {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	out := []string{render.WrapHangingWhole(prefix, lines[0], width)}
	pad := strings.Repeat(" ", ansi.StringWidth(prefix))
	for _, l := range lines[1:] {
		body := strings.TrimLeft(l, " ")
		out = append(out, render.WrapHangingWhole(pad+l[:len(l)-len(body)], body, width))
	}
	return strings.Join(out, "\n")
}

// liveStep is the live line under the step line while the step runs: it
// names the step ("… 진행 중: etcd 시작", the runtime's own step names:
// etcd, API 서버와 컨트롤러, 노드 등록 …), its first line cut to fit width
// with the " · 12초" the progress line adds.
func liveStep(line string, width int) string {
	s := cluster.Waiting(line) // the TUI's cluster screen says the same
	if width > 12 && ansi.StringWidth(s) > width-9 {
		s = ansi.Truncate(s, width-9, "…")
	}
	return s
}

// stderrLiveProgress is liveProgress on env's stderr, ticking.
func stderrLiveProgress(env Env) (cluster.Progress, *progressLine) {
	_, tty := terminalFile(env.Streams.Err)
	return liveProgress(env.Streams.Err, tty, textWidth(env, env.Streams.Err, 0), time.Now, true)
}

func validateRuntimeFlag(v string) error {
	switch v {
	case cluster.RuntimeAuto, cluster.RuntimeEmbedded, cluster.RuntimeKind:
		return nil
	}
	return usageError("알 수 없는 런타임(runtime) %q: embedded, kind, auto 중 하나를 쓰세요", v)
}

func validateClusterName(name string) error {
	if err := cluster.ValidateName("클러스터", name); err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	return nil
}

func newClusterUpCommand(env Env) *cobra.Command {
	var name, runtimeName, image, expose string
	cmd := &cobra.Command{
		Use:   "up",
		Short: "클러스터를 만들거나 (중지된 클러스터는 데이터와 함께) 다시 시작합니다",
		Long: "클러스터를 만들거나 다시 시작하고, 모든 노드가 준비(Ready)될 때까지 기다립니다.\n" +
			"이미 실행 중이면 아무것도 바꾸지 않습니다.\n\n" +
			"--runtime auto (기본값): 컨테이너 엔진(Docker/podman)이 응답하면 kind, 아니면 embedded.\n\n" +
			"--expose: 강사가 다른 컴퓨터에서 채점할 수 있게 API 서버를 이 컴퓨터의 LAN 주소에서도 엽니다\n" +
			"(embedded 런타임). 설정은 클러스터에 저장되어 다음 up 에도 이어지고, --expose=false 로 끕니다.\n" +
			"강사에게는 dslab cluster kubeconfig --grader --name 이름 -o 파일 로 만든 읽기 전용 kubeconfig 를 보내세요.",
		Example: "  dslab cluster up\n" +
			"  dslab cluster up --expose                 # LAN 주소 자동\n" +
			"  dslab cluster up --expose=192.168.0.12    # 주소를 직접\n" +
			"  dslab cluster up --expose=false           # 다시 이 컴퓨터에서만",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := validateClusterName(name); err != nil {
				return err
			}
			if err := validateRuntimeFlag(runtimeName); err != nil {
				return err
			}
			if cmd.Flags().Changed("expose") {
				var err error
				if runtimeName, err = applyExpose(env, name, runtimeName, expose); err != nil {
					return err
				}
			}
			progress, live := stderrLiveProgress(env)
			rt, err := upCluster(cmd.Context(), env, runtimeName, image, name, progress)
			live.Done()
			if err != nil {
				return err
			}
			env.textOut().Printf("클러스터 %s %s 준비되었습니다 (런타임: %s, 컨텍스트: %s). 예: dslab kubectl get nodes\n", name, hangul.IGa(name), rt.Name(), rt.Context(name))
			printExposure(env, rt, name)
			if name == cluster.DefaultName {
				// The lab's cluster is up: a class command that waited for
				// it (an instructor's reset) runs now, not at the next
				// class command (the instructor trial on f9ad301).
				ctx, cancel := context.WithTimeout(cmd.Context(), classUpFetch)
				applyClassCommands(ctx, env, env.textErr().Lines()) // class_actions.go
				cancel()
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&name, "name", cluster.DefaultName, "클러스터 이름")
	cmd.Flags().StringVar(&runtimeName, "runtime", cluster.RuntimeAuto, "런타임: embedded, kind, auto")
	cmd.Flags().StringVar(&image, "image", "", "kind 노드 이미지 (kind 런타임 전용; 기본값은 kind 의 기본 이미지)")
	cmd.Flags().StringVar(&expose, "expose", "", "API 서버를 LAN 주소에서도 엽니다 (embedded): --expose (자동), --expose=주소[,주소], --expose=false (끄기)")
	cmd.Flags().Lookup("expose").NoOptDefVal = "auto"
	return cmd
}

func newClusterDownCommand(env Env) *cobra.Command {
	var name string
	var keepData bool
	cmd := &cobra.Command{
		Use:   "down",
		Short: "클러스터를 멈추고 (기본값) 데이터를 지웁니다",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := validateClusterName(name); err != nil {
				return err
			}
			rt := existingRuntime(env, name)
			st, err := rt.Status(cmd.Context(), name)
			if err == nil && st.State == cluster.StateAbsent {
				env.textOut().Printf("클러스터 %s %s 없습니다. 할 일이 없습니다.\n", name, hangul.IGa(name))
				return nil
			}
			if err := kube.StopRecorders(env.Paths, name); err != nil {
				env.Logger().Warn("stop rollout recorders", "err", err)
			}
			if !keepData && err == nil && st.State != cluster.StateStopped {
				// The learner's records go with the data: keep a copy.
				if err := keepClusterRecords(cmd.Context(), env, rt.Context(name)); err != nil {
					env.textErr().Println("참고: " + err.Error())
				}
			}
			if err := rt.Down(cmd.Context(), name, keepData); err != nil {
				return &ExitError{Code: ExitFailure, Err: err}
			}
			if keepData {
				env.textOut().Printf("클러스터 %s %s 멈췄습니다. 데이터는 남아 있습니다: dslab cluster up 으로 다시 시작하세요.\n", name, hangul.EulReul(name))
			} else {
				env.textOut().Printf("클러스터 %s %s 멈추고 데이터를 지웠습니다.\n", name, hangul.EulReul(name))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&name, "name", cluster.DefaultName, "클러스터 이름")
	cmd.Flags().BoolVar(&keepData, "keep-data", false, "데이터를 남겨 두고 멈추기만 합니다 (다음 up 에서 그대로 다시 시작)")
	return cmd
}

// StateText is the Korean name of a cluster state.
func StateText(s cluster.State) string {
	switch s {
	case cluster.StateAbsent:
		return "없음 (absent)"
	case cluster.StateStopped:
		return "중지됨 (stopped)"
	case cluster.StateStarting:
		return "시작 중 (starting)"
	case cluster.StateRunning:
		return "실행 중 (running)"
	case cluster.StateDegraded:
		return "일부 이상 (degraded)"
	case cluster.StateStopping:
		return "멈추는 중 (stopping)"
	}
	return string(s)
}

func newClusterStatusCommand(env Env) *cobra.Command {
	var name, output string
	cmd := &cobra.Command{
		Use:   "status",
		Short: "클러스터 상태와 노드(레이블, 테인트)를 보여 줍니다",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := validateClusterName(name); err != nil {
				return err
			}
			if output != "text" && output != "json" {
				return badFlagValue("--output(-o)", output, "text 또는 json 을 쓰세요")
			}
			rt := existingRuntime(env, name)
			st, err := rt.Status(cmd.Context(), name)
			if err != nil {
				return &ExitError{Code: ExitFailure, Err: err}
			}
			if output == "json" {
				enc := json.NewEncoder(env.Streams.Out)
				enc.SetIndent("", "  ")
				return enc.Encode(st)
			}
			printStatus(env.textOut(), st)
			if er, ok := rt.(*embedded.Runtime); ok && st.State != cluster.StateAbsent {
				if x, err := er.Exposure(name); err == nil && x.Setting.Enabled() {
					env.textOut().Printf("\n다른 컴퓨터용 API 서버 주소 (--expose=%s): %s\n", x.Setting, orDash(strings.Join(x.URLs, ", ")))
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&name, "name", cluster.DefaultName, "클러스터 이름")
	cmd.Flags().StringVarP(&output, "output", "o", "text", "출력 형식: text, json")
	return cmd
}

// interestingLabel hides the labels every node has.
func interestingLabel(k string) bool {
	return !strings.HasPrefix(k, "kubernetes.io/") && !strings.HasPrefix(k, "beta.kubernetes.io/") &&
		!strings.HasPrefix(k, "node-role.kubernetes.io/")
}

func printStatus(w textOut, st cluster.Status) {
	w.Printf("클러스터:   %s\n", st.Name)
	w.Printf("런타임:     %s\n", st.Runtime)
	w.Printf("상태:       %s\n", StateText(st.State))
	if st.Message != "" {
		w.Printf("알림:       %s\n", st.Message)
	}
	if st.State == cluster.StateAbsent {
		w.Println("\ndslab cluster up 으로 클러스터를 만드세요.")
		return
	}
	if st.Endpoint != "" {
		w.Printf("API 서버:   %s\n", st.Endpoint)
	}
	if st.Context != "" {
		w.Printf("컨텍스트:   %s\n", st.Context)
	}
	if st.Kubeconfig != "" {
		w.Printf("kubeconfig: %s\n", st.Kubeconfig)
	}
	if len(st.Nodes) == 0 {
		return
	}
	w.Println("")
	var rows [][]string
	for _, n := range st.Nodes {
		status := "NotReady"
		if n.Ready {
			status = "Ready"
		}
		if n.Stopped {
			// The control plane notices a stopped node only after its
			// grace period; say both.
			status += " (멈춤: node stop)"
		}
		roles := orDash(strings.Join(n.Roles, ","))
		var labels []string
		for k, v := range n.Labels {
			if interestingLabel(k) {
				labels = append(labels, k+"="+v)
			}
		}
		sort.Strings(labels)
		var taints []string
		for _, t := range n.Taints {
			taints = append(taints, t.String())
		}
		rows = append(rows, []string{n.Name, status, roles, orDash(strings.Join(labels, ",")), orDash(strings.Join(taints, ","))})
	}
	// writeTable measures cells (the stopped mark is Hangul).
	writeTableFit(w, []string{"노드", "상태", "역할", "레이블", "테인트"}, rows)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func newClusterKubeconfigCommand(env Env) *cobra.Command {
	var name, clusterName, server, output string
	var path, grader bool
	cmd := &cobra.Command{
		Use:   "kubeconfig",
		Short: "클러스터의 kubeconfig 를 출력합니다 (--path: 파일 경로만, --grader: 강사용 읽기 전용)",
		Long: "클러스터의 관리자 kubeconfig 를 출력합니다. 이 파일은 클러스터의 모든 권한을 가지므로 남에게 보내지 마세요.\n\n" +
			"--grader: 강사가 다른 컴퓨터에서 채점할 때 쓰는 읽기 전용 kubeconfig 를 만듭니다. 이 클러스터의 CA 가 서명한\n" +
			"채점 전용 인증서(그룹 " + embedded.GraderGroup + ")가 들어 있고, RBAC 로 채점에 필요한 것(노드, 파드, 데몬셋,\n" +
			"컨트롤러 리비전, 이벤트, 네임스페이스, 리소스쿼터, " + embedded.EvidenceNamespace + " 의 컨피그맵)을 읽기만(get, list, watch)\n" +
			"할 수 있습니다. 컨텍스트, 클러스터, 사용자 이름은 --name 의 학생 이름입니다. 서버 주소는\n" +
			"dslab cluster up --expose 로 연 주소(또는 --server). --grader 에서는 클러스터를 --cluster 로 고릅니다.",
		Example: "  dslab cluster kubeconfig --path\n" +
			"  dslab cluster kubeconfig --grader --name 김민수 -o 김민수.yaml",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if grader {
				student := name
				if !cmd.Flags().Changed("name") {
					student = ""
				}
				return writeGraderKubeconfig(cmd, env, clusterName, student, server, output)
			}
			if cmd.Flags().Changed("server") || cmd.Flags().Changed("output") {
				return usageError("--server 와 -o 는 --grader 와 함께 씁니다")
			}
			if cmd.Flags().Changed("cluster") && !cmd.Flags().Changed("name") {
				name = clusterName
			}
			if err := validateClusterName(name); err != nil {
				return err
			}
			rt := existingRuntime(env, name)
			file := rt.KubeconfigPath(name)
			if _, err := os.Stat(file); err != nil {
				return &ExitError{Code: ExitFailure, Err: fmt.Errorf("클러스터 %s 의 kubeconfig 가 없습니다. 먼저 dslab cluster up 을 실행하세요", name)}
			}
			if path {
				env.textOut().Println(file)
				return nil
			}
			data, err := os.ReadFile(file)
			if err != nil {
				return &ExitError{Code: ExitFailure, Err: fmt.Errorf("kubeconfig 를 읽을 수 없습니다: %w", err)}
			}
			_, err = env.Streams.Out.Write(data) // raw: the kubeconfig
			return err
		},
	}
	cmd.Flags().StringVar(&name, "name", cluster.DefaultName, "클러스터 이름 (--grader 와 함께: 학생 이름, 예: --name 김민수)")
	cmd.Flags().StringVar(&clusterName, "cluster", cluster.DefaultName, "클러스터 이름 (--grader 와 함께 쓸 때)")
	cmd.Flags().BoolVar(&path, "path", false, "내용 대신 파일 경로를 출력합니다")
	cmd.Flags().BoolVar(&grader, "grader", false, "강사용 읽기 전용 kubeconfig 를 만듭니다 (embedded 런타임)")
	cmd.Flags().StringVar(&server, "server", "", "--grader: 강사가 쓸 API 서버 URL (기본: --expose 로 연 첫 주소)")
	cmd.Flags().StringVarP(&output, "output", "o", "", "--grader: kubeconfig 를 쓸 파일 (기본: 표준 출력)")
	return cmd
}

func newClusterAddNodeCommand(env Env) *cobra.Command {
	var name string
	var labels, taints []string
	cmd := &cobra.Command{
		Use:   "add-node NAME",
		Short: "노드를 추가합니다 (embedded 런타임)",
		Example: "  dslab cluster add-node dslab-worker4 --label hardware=gpu\n" +
			"  dslab cluster add-node dslab-edge --label zone=edge --taint edge=true:NoSchedule",
		Args: exactArgs(1, "추가할 노드 이름을 하나 주세요 (예: dslab cluster add-node dslab-worker4)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := validateClusterName(name); err != nil {
				return err
			}
			if err := cluster.ValidateName("노드", args[0]); err != nil {
				return &ExitError{Code: ExitUsage, Err: err}
			}
			extra := map[string]string{}
			for _, l := range labels {
				k, v, ok := strings.Cut(l, "=")
				if !ok || k == "" {
					return usageError("레이블(label) %q 형식이 잘못되었습니다: key=value", l)
				}
				extra[k] = v
			}
			var ts []cluster.Taint
			for _, t := range taints {
				taint, err := cluster.ParseTaint(t)
				if err != nil {
					return &ExitError{Code: ExitUsage, Err: err}
				}
				ts = append(ts, taint)
			}
			rt := existingRuntime(env, name)
			if err := rt.AddNode(cmd.Context(), name, cluster.NewNodeSpec(args[0], extra, ts...)); err != nil {
				return notSupportedOr(err, rt, "노드 추가(add-node)")
			}
			env.textOut().Printf("노드 %s %s 추가했습니다 (Ready).\n", args[0], hangul.EulReul(args[0]))
			return nil
		},
	}
	cmd.Flags().StringVar(&name, "name", cluster.DefaultName, "클러스터 이름")
	cmd.Flags().StringArrayVar(&labels, "label", nil, "노드 레이블 key=value (여러 번 쓸 수 있음)")
	cmd.Flags().StringArrayVar(&taints, "taint", nil, "노드 테인트 key[=value]:Effect (NoSchedule, PreferNoSchedule, NoExecute)")
	return cmd
}

func newClusterRemoveNodeCommand(env Env) *cobra.Command {
	var name string
	cmd := &cobra.Command{
		Use:   "remove-node NAME",
		Short: "노드를 제거합니다 (embedded 런타임); 그 노드의 파드도 정리됩니다",
		Args:  exactArgs(1, "제거할 노드 이름을 하나 주세요 (예: dslab cluster remove-node dslab-worker3)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := validateClusterName(name); err != nil {
				return err
			}
			rt := existingRuntime(env, name)
			if err := rt.RemoveNode(cmd.Context(), name, args[0]); err != nil {
				return notSupportedOr(err, rt, "노드 제거(remove-node)")
			}
			env.textOut().Printf("노드 %s %s 제거했습니다.\n", args[0], hangul.EulReul(args[0]))
			return nil
		},
	}
	cmd.Flags().StringVar(&name, "name", cluster.DefaultName, "클러스터 이름")
	return cmd
}

func notSupportedOr(err error, rt cluster.Runtime, what string) error {
	if errors.Is(err, cluster.ErrNotSupported) {
		return &ExitError{Code: ExitUsage, Err: fmt.Errorf("%s 런타임은 %s %s 지원하지 않습니다: 노드 수는 클러스터를 만들 때 정해집니다. embedded 런타임(dslab cluster up --runtime embedded)에서 해 보세요", rt.Name(), what, hangul.EulReul(what))}
	}
	return &ExitError{Code: ExitFailure, Err: err}
}

// exactArgs is cobra.ExactArgs with a Korean message and exit code 2.
func exactArgs(n int, msg string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) != n {
			return usageError("%s", msg)
		}
		return nil
	}
}
