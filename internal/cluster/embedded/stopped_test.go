package embedded

import (
	"os"
	"slices"
	"testing"
)

func TestStoppedNodesFile(t *testing.T) {
	d := Dir(t.TempDir())
	got, err := d.LoadStoppedNodes()
	if err != nil || len(got) != 0 {
		t.Fatalf("no file: %v, %v; want none", got, err)
	}
	if err := d.SaveStoppedNodes([]string{"dslab-worker3", "dslab-worker2", "dslab-worker3", ""}); err != nil {
		t.Fatal(err)
	}
	got, err = d.LoadStoppedNodes()
	if err != nil || !slices.Equal(got, []string{"dslab-worker2", "dslab-worker3"}) {
		t.Fatalf("round trip: %v, %v; want sorted, unique", got, err)
	}
	if err := d.SaveStoppedNodes(nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(d.StoppedNodesFile()); !os.IsNotExist(err) {
		t.Errorf("an empty set should remove the file (stat: %v)", err)
	}
	if err := os.WriteFile(d.StoppedNodesFile(), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := d.LoadStoppedNodes(); err == nil {
		t.Error("a corrupt file must be an error, not an empty set")
	}
}

func TestSetStoppedEditsTheSet(t *testing.T) {
	r := &Runtime{}
	d := Dir(t.TempDir())
	set := func(node string, stop bool) []string {
		t.Helper()
		if err := r.setStoppedIn(d, node, stop); err != nil {
			t.Fatal(err)
		}
		got, err := d.LoadStoppedNodes()
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := set("dslab-worker2", true); !slices.Equal(got, []string{"dslab-worker2"}) {
		t.Errorf("stop worker2: %v", got)
	}
	if got := set("dslab-worker2", true); !slices.Equal(got, []string{"dslab-worker2"}) {
		t.Errorf("stopping twice: %v", got)
	}
	if got := set("dslab-worker", true); !slices.Equal(got, []string{"dslab-worker", "dslab-worker2"}) {
		t.Errorf("stop worker: %v", got)
	}
	if got := set("dslab-worker2", false); !slices.Equal(got, []string{"dslab-worker"}) {
		t.Errorf("start worker2: %v", got)
	}
	if got := set("dslab-worker3", false); !slices.Equal(got, []string{"dslab-worker"}) {
		t.Errorf("starting a running node: %v", got)
	}
}
