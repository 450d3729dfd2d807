package app

import (
	"context"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/dslab-kr/dslab/internal/cluster"
	"github.com/dslab-kr/dslab/internal/cluster/embedded"
)

// kindExposeMessage explains why --expose and --grader need the embedded
// runtime. kind's v1alpha4 config has networking.apiServerAddress, but it
// is fixed when the cluster is created, its kubeconfig holds only admin
// credentials, and the CA key that would sign a grader certificate lives
// inside the node container.
const kindExposeMessage = "kind 런타임 클러스터는 이 기능을 지원하지 않습니다. kind 는 API 서버 주소(networking.apiServerAddress)를 " +
	"클러스터를 만들 때만 정하고, 읽기 전용 인증서를 서명할 CA 키가 노드 컨테이너 안에 있습니다.\n" +
	"  → 해결: 다른 컴퓨터에서 채점받으려면 embedded 런타임으로 다시 만드세요:\n" +
	"      dslab cluster down && dslab cluster up --runtime embedded --expose\n" +
	"    (관리자 kubeconfig 를 강사에게 보내지는 마세요: 클러스터의 모든 권한이 들어 있습니다)"

// applyExpose validates --expose, refuses it on kind, records it for the
// embedded runtime and returns the runtime to bring the cluster up on.
func applyExpose(env Env, name, runtimeName, value string) (string, error) {
	e, err := embedded.ParseExpose(value)
	if err != nil {
		return "", &ExitError{Code: ExitUsage, Err: err}
	}
	if e.Enabled() {
		if runtimeName == cluster.RuntimeKind {
			return "", usageError("--expose: %s", kindExposeMessage)
		}
		if rt := existingRuntime(env, name); rt.Name() == cluster.RuntimeKind {
			if st, err := rt.Status(context.Background(), name); err == nil && st.State != cluster.StateAbsent {
				return "", usageError("--expose: %s", kindExposeMessage)
			}
		}
		runtimeName = cluster.RuntimeEmbedded
	}
	if err := embeddedRuntime(env).SetExpose(name, e); err != nil {
		return "", &ExitError{Code: ExitFailure, Err: err}
	}
	return runtimeName, nil
}

// printExposure tells the student where the instructor reaches the
// cluster and what to send.
func printExposure(env Env, rt cluster.Runtime, name string) {
	er, ok := rt.(*embedded.Runtime)
	if !ok {
		return
	}
	x, err := er.Exposure(name)
	if err != nil || !x.Setting.Enabled() {
		return
	}
	w := env.textOut()
	w.Println("\n다른 컴퓨터(강사)가 이 클러스터에 접속할 API 서버 주소:")
	for _, u := range x.URLs {
		w.Printf("  %s\n", u)
	}
	w.Printf("강사에게는 읽기 전용 kubeconfig 를 만들어 보내세요 (관리자 kubeconfig 는 보내지 마세요):\n")
	w.Printf("  dslab cluster kubeconfig --grader --name 내이름 -o 내이름.yaml\n")
	w.Printf("이 설정은 다음 dslab cluster up 에도 유지됩니다. 다시 이 컴퓨터에서만 쓰려면: dslab cluster up --expose=false\n")
}

// defaultStudentName is the login name, the student name when --name is
// not given.
func defaultStudentName() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return os.Getenv("USER")
}

func writeGraderKubeconfig(cmd *cobra.Command, env Env, clusterName, student, server, output string) error {
	if err := validateClusterName(clusterName); err != nil {
		return err
	}
	if server != "" && !strings.HasPrefix(server, "https://") {
		return usageError("--server 값 %q: https:// 로 시작하는 URL 이어야 합니다 (예: https://192.168.0.12:6443)", server)
	}
	if student == "" {
		student = defaultStudentName()
		env.textErr().Printf("알림: --name 이 없어 학생 이름으로 로그인 이름(%s)을 씁니다. 강사가 알아보도록 --name 김민수 처럼 주세요.\n", student)
	}
	if _, err := embedded.GraderName(student); err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	rt := existingRuntime(env, clusterName)
	er, ok := rt.(*embedded.Runtime)
	if !ok {
		return usageError("--grader: %s", kindExposeMessage)
	}
	c, err := loadCatalog()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(cmd.Context(), time.Minute)
	defer cancel()
	g, err := er.GraderKubeconfig(ctx, clusterName, student, server, c.IDs())
	if err != nil {
		return &ExitError{Code: ExitFailure, Err: err}
	}
	guide := env.textErr()
	if output != "" {
		if dir := filepath.Dir(output); dir != "." {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return &ExitError{Code: ExitFailure, Err: fmt.Errorf("kubeconfig 파일을 쓸 수 없습니다: %w", err)}
			}
		}
		err := os.WriteFile(output, g.Data, 0o600)
		if err == nil {
			err = os.Chmod(output, 0o600) // an existing file keeps its mode otherwise
		}
		if err != nil {
			return &ExitError{Code: ExitFailure, Err: fmt.Errorf("kubeconfig 파일을 쓸 수 없습니다: %w", err)}
		}
		guide = env.textOut()
	} else if _, err := env.Streams.Out.Write(g.Data); err != nil { // raw: the kubeconfig
		return err
	}
	printGraderGuide(guide, g, output)
	return nil
}

func printGraderGuide(w textOut, g embedded.GraderKubeconfig, output string) {
	file := output
	if file == "" {
		file = g.Name + ".yaml"
		w.Println("\n(위 kubeconfig 를 -o 파일 로 저장하면 더 편합니다)")
	} else {
		w.Printf("채점용 읽기 전용 kubeconfig 를 만들었습니다: %s\n", output)
	}
	w.Printf("  컨텍스트(context): %s\n", g.Name)
	w.Printf("  API 서버:          %s\n", g.Server)
	w.Printf("  사용자:            %s (그룹 %s)\n", g.User, embedded.GraderGroup)
	w.Printf("  유효 기간:         %s 까지\n", g.NotAfter.Local().Format("2006-01-02 15:04"))
	w.Println("  권한: 노드, 파드, 데몬셋, 컨트롤러 리비전, 이벤트, 네임스페이스, 리소스쿼터와 dslab 기록을 읽기만 합니다 (만들기, 바꾸기, 지우기 불가).")
	w.Printf("이 파일을 강사에게 보내세요. 강사는 이렇게 채점합니다:\n")
	w.Printf("  dslab grade --all --kubeconfig %s --context %s\n", file, g.Name)
	w.Println("관리자 kubeconfig(dslab cluster kubeconfig)는 보내지 마세요: 클러스터의 모든 권한이 들어 있습니다.")
}
