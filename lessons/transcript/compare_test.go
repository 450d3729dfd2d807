package transcript

import (
	"strings"
	"testing"
)

func lines(s string) []string { return strings.Split(strings.Trim(s, "\n"), "\n") }

// labGetPods is what `kubectl get pods -l app=agent -o wide` printed on the lab.
const labGetPods = `NAME          READY   STATUS    RESTARTS   AGE   IP           NODE            NOMINATED NODE   READINESS GATES
agent-9pq4s   1/1     Running   0          31s   10.244.1.2   dslab-worker    <none>           <none>
agent-dz6fw   1/1     Running   0          31s   10.244.3.2   dslab-worker3   <none>           <none>
agent-wv8lk   1/1     Running   0          31s   10.244.2.2   dslab-worker2   <none>           <none>
`

func TestCompareTableSubsetOfColumns(t *testing.T) {
	lesson := lines(`
NAME          READY   STATUS    RESTARTS   AGE   NODE
agent-7xk2p   1/1     Running   0          2m    dslab-worker
agent-b9f4t   1/1     Running   0          2m    dslab-worker2
agent-mz5wq   1/1     Running   0          2m    dslab-worker3
`)
	names := Names{}
	if err := Compare(lesson, labGetPods, names); err != nil {
		t.Fatal(err)
	}
	if names["agent-b9f4t"] != "agent-wv8lk" || names["agent-7xk2p"] != "agent-9pq4s" {
		t.Errorf("names = %v: lesson names must map to the lab's pods on the same nodes", names)
	}
	if got := names.Substitute("kubectl get pod agent-b9f4t -o yaml"); got != "kubectl get pod agent-wv8lk -o yaml" {
		t.Errorf("Substitute = %q", got)
	}
}

// TestCompareDeliberatelyWrongLine is the fixture the issue asks for: one
// wrong line in a lesson's transcript makes the comparison fail.
func TestCompareDeliberatelyWrongLine(t *testing.T) {
	wrong := []struct{ name, lesson, lab string }{
		{"wrong node", `
NAME          READY   STATUS    RESTARTS   AGE   NODE
agent-7xk2p   1/1     Running   0          2m    dslab-worker
agent-b9f4t   1/1     Running   0          2m    dslab-control-plane
agent-mz5wq   1/1     Running   0          2m    dslab-worker3
`, labGetPods},
		{"row missing", `
NAME          READY   STATUS    RESTARTS   AGE   NODE
agent-7xk2p   1/1     Running   0          2m    dslab-worker
agent-mz5wq   1/1     Running   0          2m    dslab-worker3
`, labGetPods},
		{"column the lab does not print", `
NAME          READY   STATUS    QOS
agent-7xk2p   1/1     Running   BestEffort
`, labGetPods},
		{"DESIRED 2 after a NoSchedule taint", `
NAME    DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR
agent   2         2         2       2            2           <none>
`, `NAME    DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE
agent   3         3         3       3            3           <none>          5m
`},
		{"QoS class", "Burstable", "BestEffort"},
		{"wrong message", "daemonset.apps/agent created", "daemonset.apps/agent configured\n"},
		{"extra text after a table", `
REVISION  CHANGE-CAUSE
1         <none>
`, `REVISION  CHANGE-CAUSE
1         <none>
2         <none>
`},
	}
	for _, tc := range wrong {
		t.Run(tc.name, func(t *testing.T) {
			if err := Compare(lines(tc.lesson), tc.lab, Names{}); err == nil {
				t.Fatalf("a wrong lesson line compared equal to the lab:\nlesson:\n%s\nlab:\n%s", tc.lesson, tc.lab)
			}
		})
	}
}

func TestCompareByMeaning(t *testing.T) {
	ok := []struct{ name, lesson, lab string }{
		{"ages, hashes and suffixes masked", `
NAME          READY   STATUS    RESTARTS   AGE   CONTROLLER-REVISION-HASH
agent-2dq5r   1/1     Running   0          40s   7c9b5d6f48
`, `NAME          READY   STATUS    RESTARTS   AGE     CONTROLLER-REVISION-HASH
agent-xk4lz   1/1     Running   0          2m13s   6d4fbd9b7c
`},
		{"wrapped error", `
The DaemonSet "agent" is invalid: spec.updateStrategy.rollingUpdate.
maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero
`, `The DaemonSet "agent" is invalid: spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero` + "\n"},
		{"ellipsis lines", `
...
      tolerations:
      - operator: Exists
`, "apiVersion: apps/v1\nkind: DaemonSet\n  spec:\n      tolerations:\n      - operator: Exists\n"},
		{"inline ellipsis", `[{"effect":"NoExecute","key":"node.kubernetes.io/not-ready","operator":…`,
			`[{"effect":"NoExecute","key":"node.kubernetes.io/not-ready","operator":"Exists","tolerationSeconds":300}]`},
		{"rows in another order, more rows allowed after ...", `
NAME                  STATUS   ROLES
dslab-worker          Ready    <none>
dslab-control-plane   Ready    control-plane
...
`, `NAME                  STATUS   ROLES           AGE   VERSION
dslab-control-plane   Ready    control-plane   12m   v1.37.2
dslab-worker          Ready    <none>          12m   v1.37.2
dslab-worker2         Ready    <none>          12m   v1.37.2
`},
		{"empty cells", `
NAME                  HARDWARE   DISKTYPE
dslab-control-plane
dslab-worker                     ssd
`, `NAME                  STATUS   ROLES           AGE   VERSION   HARDWARE   DISKTYPE
dslab-control-plane   Ready    control-plane   1m    v1.37.2
dslab-worker          Ready    <none>          1m    v1.37.2              ssd
`},
		{"text before a table", `
daemonset.apps/agent
REVISION  CHANGE-CAUSE
1         <none>
`, "daemonset.apps/agent\nREVISION  CHANGE-CAUSE\n1         <none>\n\n"},
	}
	for _, tc := range ok {
		t.Run(tc.name, func(t *testing.T) {
			if err := Compare(lines(tc.lesson), tc.lab, Names{}); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestMask(t *testing.T) {
	for in, want := range map[string]string{
		"agent-7xk2p":                 "agent-<id>",
		"fluentd-elasticsearch-4vq8n": "fluentd-elasticsearch-<id>",
		"agent-57f9d8c6b4":            "agent-<hash>",
		"dslab-worker2":               "dslab-worker2",
		"node-exporter":               "node-exporter",
		"10.244.3.7":                  "<ip>",
		"2m40s":                       "<age>",
		"v1.37.2":                     "v1.37.2",
		"uid: 0a1b2c3d-1111-2222-3333-444455556666": "uid: <uid>",
		`resourceVersion: "4711"`:                   `resourceVersion: "<rv>"`,
	} {
		if got := Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseConventions(t *testing.T) {
	const intro = "\n출력은 다음과 비슷합니다:\n\n"
	body := "앞\n\n```yaml file=agent.yaml\nkind: DaemonSet\n```\n\n" +
		"```shell\nkubectl apply -f agent.yaml\n```\n" + intro + "```text\ndaemonset.apps/agent created\n```\n\n" +
		"```shell\nkubectl label node w a=b\nkubectl get pods \\\n    -o wide\n```\n\n" +
		"```shell\nkubectl get pods\n```\n" + intro + "```text\nNAME\nagent-x\n\n```\n\n" +
		"예시입니다.\n\n```text\nnot output\n```\n\n" +
		"> 이 출력은 실제 컨테이너가 필요해 랩에서는 볼 수 없습니다.\n\n```shell norun\nkubectl logs agent-7xk2p\n```\n" + intro + "```text\nhello\n```\n\n" +
		"```shell norun\ncurl http://10.0.0.1\n```\n\n" +
		"```shell\ndslab exercise start ds-basics\ndslab grade ds-basics\n```\n"
	steps, err := Parse(body)
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) != 7 || steps[0].File == nil || steps[0].File.Name != "agent.yaml" || steps[0].File.Content != "kind: DaemonSet\n" || steps[0].File.Line != 3 {
		t.Fatalf("steps: %d, file step: %+v", len(steps), steps[0])
	}
	if b := steps[1].Block; b == nil || b.Skip != "" || len(b.Commands) != 1 || b.Commands[0].Text != "kubectl apply -f agent.yaml" || strings.Join(b.Commands[0].Expected, "|") != "daemonset.apps/agent created" || b.Commands[0].Line != 8 {
		t.Fatalf("command with output: %+v", b)
	}
	if b := steps[2].Block; len(b.Commands) != 2 || b.Commands[1].Text != "kubectl get pods \\\n    -o wide" || b.Commands[0].Expected != nil || b.Commands[1].Expected != nil || b.Commands[1].Line != 19 {
		t.Fatalf("commands without output (each must succeed): %+v", b)
	}
	if b := steps[3].Block; strings.Join(b.Commands[0].Expected, "|") != "NAME|agent-x" {
		t.Fatalf("output (a text block after a paragraph that is no intro is not output): %+v", b)
	}
	if s := steps[4].Block.Skip; !strings.Contains(s, "실제 컨테이너가 필요해") || steps[5].Block.Skip != s {
		t.Errorf("norun reasons = %q, %q: a norun block right after another (and its output) shares its note", s, steps[5].Block.Skip)
	}
	if steps[6].Block.Skip != ExerciseReason {
		t.Errorf("exercise block not recognised: %+v", steps[6].Block)
	}
	for name, bad := range map[string]string{
		"console transcript":    "```console\n$ kubectl get pods\nNAME\n```\n",
		"prompt":                "```shell\n$ kubectl get pods\n```\n",
		"output not introduced": "```shell\nkubectl get pods\n```\n\n```text\nNAME\n```\n",
		"intro without colon":   "```shell\nkubectl get pods\n```\n\n파드를 봅니다.\n\n```text\nNAME\n```\n",
		"output of two":         "```shell\nkubectl apply -f a.yaml\nkubectl get pods\n```\n" + intro + "```text\nNAME\n```\n",
		"norun without note":    "text\n\n```shell norun\nkubectl logs x\n```\n",
		"curl replayed":         "```shell\ncurl http://10.0.0.1\n```\n",
		"bash block":            "```bash\nkubectl get pods\n```\n",
		"file without name":     "```yaml file=\nx: 1\n```\n",
	} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("%s: Parse accepted it", name)
		}
	}
}

func TestMutates(t *testing.T) {
	for cmd, want := range map[string]bool{
		"kubectl get ds agent":                  false,
		"kubectl describe node x | grep Taints": false,
		"kubectl rollout status ds/agent":       false,
		"kubectl rollout undo ds/agent":         true,
		"kubectl apply -f agent.yaml":           true,
		"dslab cluster add-node dslab-worker4":  true,
		"kubectl get pods \\\n  -o wide":        false,
	} {
		if got := Mutates(cmd); got != want {
			t.Errorf("Mutates(%q) = %v, want %v", cmd, got, want)
		}
	}
}
