package app

import (
	"context"
	"os"
	"strings"
	"testing"
)

// Issue 14 (trainee trial): `dslab kubectl get ds --bogus` and other
// command-line errors of kubectl came out in kubectl's English only. At a
// terminal (explain set, as RunE sets it when stderr is one) a Korean
// first line names the cause, kubectl's English term in parentheses, and
// kubectl's own text follows unchanged; each kind of command-line error
// is run through the real kubectl here.
func TestKubectlCommandLineErrorsKoreanFirst(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		korean  []string // in the first line
		kubectl string   // kubectl's own text, after it
	}{
		{[]string{"get", "ds", "--bogus"}, []string{"kubectl get 에는 --bogus 플래그(flag)가 없습니다 (unknown flag)", "dslab kubectl get --help"}, "error: unknown flag: --bogus"},
		{[]string{"get", "ds", "-Z"}, []string{"kubectl get 에는 -Z 플래그(flag)가 없습니다 (unknown flag)"}, "unknown shorthand flag: 'Z' in -Z"},
		{[]string{"get", "ds", "-n"}, []string{"-n 플래그(flag)에 값이 빠졌습니다 (flag needs an argument)", "예: -n kube-system"}, "flag needs an argument: 'n' in -n"},
		{[]string{"get", "ds", "--namespace"}, []string{"--namespace 플래그(flag)에 값이 빠졌습니다"}, "flag needs an argument: --namespace"},
		{[]string{"scale", "ds/x", "--replicas=abc"}, []string{`--replicas 플래그(flag)의 값 "abc" 는 쓸 수 없습니다 (invalid argument)`}, `invalid argument "abc" for "--replicas" flag`},
		{[]string{"gett", "ds"}, []string{"kubectl 에는 gett 명령(command)이 없습니다 (unknown command)", "혹시 get,"}, `unknown command "gett" for "kubectl"`},
		{[]string{"get"}, []string{"kubectl get 에 필요한 인수(argument)가 빠졌습니다"}, "Required resource not specified."},
		{[]string{"logs"}, []string{"kubectl logs 에 필요한 인수(argument)가 빠졌습니다"}, "is a required argument for the logs command"},
		{[]string{"apply"}, []string{"kubectl apply 에 필요한 인수(argument)가 빠졌습니다"}, "error: must specify one of -f and -k"},
		// A flag kubectl does not know before the command: kubectl
		// itself would print this and exit the process.
		{[]string{"--bogus", "get", "ds"}, []string{"kubectl 에는 --bogus 플래그(flag)가 없습니다 (unknown flag)"}, "Error: flags cannot be placed before plugin name: --bogus"},
	} {
		env, _, errb, ctxName := kubectlEnv(t)
		err := runKubectl(env, tc.args, kubectlDefaults{Context: ctxName}, kubectlExplainer(tc.args, nil))
		if err == nil {
			t.Errorf("%v: no error", tc.args)
			continue
		}
		out := errb.String()
		// The Korean sentence comes first (wrapped at the width), then
		// every line kubectl wrote, its error among them.
		at := strings.Index(out, "\n"+kubectlFirstLine(t, tc.args))
		if at < 0 || !strings.Contains(out[at:], tc.kubectl) {
			t.Errorf("%v: kubectl's own text %q not after the Korean line:\n%s", tc.args, tc.kubectl, out)
			continue
		}
		korean := strings.Join(strings.Fields(out[:at]), " ")
		for _, k := range tc.korean {
			if !strings.Contains(korean, k) {
				t.Errorf("%v: Korean first line %q lacks %q:\n%s", tc.args, korean, k, out)
			}
		}
	}
}

// Piped (not a terminal) the same errors stay kubectl's own text, with no
// Korean line (scripts and the lessons' transcripts compare it), and a
// flag before the command ends in an exit code, not in kubectl exiting the
// process.
func TestKubectlCommandLineErrorsPipedStayKubectls(t *testing.T) {
	for _, args := range [][]string{{"get", "ds", "--bogus"}, {"gett", "ds"}, {"get"}, {"--bogus", "get", "ds"}} {
		env, _, errb, _ := kubectlEnv(t)
		code := Run(context.Background(), env, append([]string{"kubectl"}, args...))
		if code != ExitFailure {
			t.Errorf("%v: exit code %d, want %d", args, code, ExitFailure)
		}
		out := errb.String()
		if kubectlUsageKorean(out, args) == "" {
			t.Errorf("%v: kubectl's text not recognised as a command-line error:\n%s", args, out)
		}
		for _, r := range out {
			if r >= 0xAC00 && r <= 0xD7A3 {
				t.Errorf("%v: piped stderr has Korean:\n%s", args, out)
				break
			}
		}
	}
}

// Errors that are not about the command line get no usage line.
func TestKubectlUsageKoreanOnlyCommandLine(t *testing.T) {
	for _, msg := range []string{
		`Error from server (NotFound): daemonsets.apps "x" not found`,
		`The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?`,
		`error: error validating "ds.yaml": error validating data: unknown field "tolerationz"`,
	} {
		if k := kubectlUsageKorean(msg, []string{"get", "ds"}); k != "" {
			t.Errorf("%q explained as a command-line error: %q", msg, k)
		}
	}
}

// kubectlFirstLine is the first line kubectl itself writes on stderr for
// args, run as when piped (no Korean).
func kubectlFirstLine(t *testing.T, args []string) string {
	t.Helper()
	env, _, errb, ctxName := kubectlEnv(t)
	_ = runKubectl(env, args, kubectlDefaults{Context: ctxName}, nil)
	first, _, _ := strings.Cut(errb.String(), "\n")
	if first == "" {
		t.Fatalf("%v: kubectl wrote nothing on stderr", args)
	}
	return first
}

// Without a cluster a mistyped command line is still said as such, not as
// a missing cluster (trainee trial: `dslab kubectl gett ds` said "클러스터
// dslab 이 없습니다", the typo found only after starting one); a right one
// still says the cluster is missing.
func TestKubectlBadCommandLineBeforeNoCluster(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"gett", "ds"}, `unknown command "gett" for "kubectl"`},
		{[]string{"get", "ds", "--bogus"}, "unknown flag: --bogus"},
		{[]string{"get", "ds", "-n"}, "flag needs an argument"},
		{[]string{"--bogus", "get", "ds"}, "flags cannot be placed before plugin name"},
		{[]string{"get", "ds", "-n", "kube-system"}, "클러스터 dslab 이 없습니다"},
		{[]string{"-n", "kube-system", "get", "ds"}, "클러스터 dslab 이 없습니다"},
	} {
		env, _, errb, _ := kubectlEnv(t)
		if err := os.WriteFile(env.Getenv("KUBECONFIG"), []byte("apiVersion: v1\nkind: Config\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if code := Run(context.Background(), env, append([]string{"kubectl"}, tc.args...)); code == ExitOK {
			t.Errorf("%v: exit 0", tc.args)
		}
		if msg := strings.Join(strings.Fields(errb.String()), " "); !strings.Contains(msg, tc.want) {
			t.Errorf("%v: stderr lacks %q:\n%s", tc.args, tc.want, errb.String())
		}
	}
}
