package app

import (
	"strings"
	"testing"
)

// Bad --expose values and kind are refused before anything starts, with
// a Korean message and exit code 2.
func TestClusterUpExposeRefusals(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"cluster", "up", "--runtime", "embedded", "--expose=0.0.0.0"}, "모든 네트워크 인터페이스"},
		{[]string{"cluster", "up", "--runtime", "embedded", "--expose=127.0.0.1"}, "이미 이 주소에서 응답"},
		{[]string{"cluster", "up", "--runtime", "embedded", "--expose=my-laptop"}, "IP 주소가 아닙니다"},
		{[]string{"cluster", "up", "--runtime", "kind", "--expose"}, "kind 런타임 클러스터는 이 기능을 지원하지 않습니다"},
	} {
		code, out, errOut := runCLI(t, tc.args...)
		if code != ExitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q (stdout %q); want exit 2 and %q", tc.args, code, errOut, out, tc.want)
		}
	}
}

func TestGraderKubeconfigRefusals(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"cluster", "kubeconfig", "--grader", "--name", "///"}, "컨텍스트(context) 이름으로 쓸 수 없습니다"},
		{[]string{"cluster", "kubeconfig", "--grader", "--name", "../evil"}, "글자(한글 포함), 숫자, '-', '_', '.' 만 쓸 수 있고"},
		{[]string{"cluster", "kubeconfig", "--grader", "--name", "김민수", "--server", "http://10.0.0.1:6443"}, "https://"},
		{[]string{"cluster", "kubeconfig", "--server", "https://10.0.0.1:6443"}, "--grader 와 함께"},
		{[]string{"cluster", "kubeconfig", "--grader", "--name", "김민수"}, "실행 중이 아닙니다"},
	} {
		code, _, errOut := runCLI(t, tc.args...)
		if code == 0 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want failure with %q", tc.args, code, errOut, tc.want)
		}
	}
}
