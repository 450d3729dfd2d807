package lab

import (
	"context"
	"strconv"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
)

// More than OthersRunningListMax other exercises' DaemonSets are counted,
// with the one command that removes them all (trainee trial, issue 14: 8
// DaemonSets, 12 lines on every open and reset at 80x24, no single
// command); up to it, each is listed with its own command. CleanOthers
// (`dslab exercise clean`) deletes them all and keeps the current
// exercise's and non-exercise DaemonSets.
func TestOthersRunningManyOneCommand(t *testing.T) {
	cat, err := exercises.Load()
	if err != nil {
		t.Fatal(err)
	}
	cur, _ := cat.Get("gpu-only")
	objs := []runtime.Object{&appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Namespace: "kube-system", Name: "kube-proxy"}}}
	seen := map[grader.ObjectRef]bool{}
	for _, e := range cat.All() {
		if ref := e.Spec.Target; ref.Name != "" && !seen[ref] {
			seen[ref] = true
			objs = append(objs, &appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Namespace: ref.Namespace, Name: ref.Name}})
		}
	}
	client := fake.NewClientset(objs...)
	ctx := context.Background()
	rs, err := ListOthersRunning(ctx, client, cat.All(), cur, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) <= OthersRunningListMax {
		t.Fatalf("only %d other DaemonSets: the test needs more than %d", len(rs), OthersRunningListMax)
	}
	note := OthersRunningNote(rs)
	lines := strings.Split(note, "\n")
	if len(lines) != 2 || lines[1] != CleanCommand || strings.Contains(note, "kubectl delete") {
		t.Errorf("many DaemonSets: want a count and one command, got:\n%s", note)
	}
	if !strings.Contains(lines[0], "데몬셋 "+strconv.Itoa(len(rs))+"개") {
		t.Errorf("the count is not said:\n%s", note)
	}
	if few := OthersRunningNote(rs[:OthersRunningListMax]); strings.Count(few, "dslab kubectl delete ds ") != OthersRunningListMax || strings.Contains(few, CleanCommand) {
		t.Errorf("a few DaemonSets are listed one by one, got:\n%s", few)
	}

	done, err := CleanOthers(ctx, client, cat.All(), cur, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(done) != len(rs) {
		t.Errorf("deleted %d, want %d", len(done), len(rs))
	}
	left, err := client.AppsV1().DaemonSets(metav1.NamespaceAll).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, ds := range left.Items {
		names = append(names, ds.Namespace+"/"+ds.Name)
	}
	got := strings.Join(names, ",")
	if !strings.Contains(got, "kube-system/kube-proxy") || !strings.Contains(got, cur.Spec.Target.String()) || len(names) != 2 {
		t.Errorf("left after clean: %s, want kube-proxy and %s only", got, cur.Spec.Target)
	}
}
