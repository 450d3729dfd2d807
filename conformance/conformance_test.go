// Package conformance runs Kubernetes' own end-to-end tests (k8s.io/kubernetes
// test/e2e, built at the product's Kubernetes version) against a fresh dslab
// embedded cluster, as a standing fidelity gate for the simulated kubelets.
//
// It is its own module so the product's go.mod stays free of the e2e
// framework's dependencies. The cluster is started by the dslab binary named
// by $DSLAB_BIN (`dslab cluster up --runtime embedded` with its own XDG and
// KUBECONFIG locations, like internal/testcluster does); without it the test
// skips with the reason.
//
// Usage (from the repository root, see the Makefile):
//
//	cd conformance && DSLAB_BIN=$PWD/../bin/dslab go test -v -run TestConformance -timeout 60m . \
//	    -args -conformance.set=daemonset|wide [-conformance.table=FILE]
//
// The spec sets are in sets.go; specs the simulator cannot serve are listed
// with their reason in skips.txt.
package conformance

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	"github.com/onsi/gomega"

	"k8s.io/component-base/logs"
	"k8s.io/klog/v2"
	"k8s.io/kubernetes/test/e2e/framework"
	"k8s.io/kubernetes/test/e2e/framework/config"
	e2enode "k8s.io/kubernetes/test/e2e/framework/node"

	// Upstream spec sources: DaemonSet/ControllerRevision (apps),
	// NoExecuteTaintManager (node), SchedulerPredicates and friends (scheduling).
	_ "k8s.io/kubernetes/test/e2e/apps"
	_ "k8s.io/kubernetes/test/e2e/node"
	_ "k8s.io/kubernetes/test/e2e/scheduling"

	// define and freeze the feature constants, as test/e2e/e2e_test.go does
	_ "k8s.io/kubernetes/test/e2e/feature"
	// after every spec: all nodes must still be Ready (upstream behaviour)
	_ "k8s.io/kubernetes/test/e2e/framework/node/init"
)

// options are this suite's own flags (after -args).
type options struct {
	set   string
	table string
	keep  bool
}

func registerOptions(fs *flag.FlagSet) *options {
	o := &options{}
	fs.StringVar(&o.set, "conformance.set", "daemonset", "spec set to run: daemonset (make test) or wide (make conformance)")
	fs.StringVar(&o.table, "conformance.table", "", "also write the result table (Markdown) to this file")
	fs.BoolVar(&o.keep, "conformance.keep-cluster", false, "leave the embedded cluster running after the run (debugging)")
	return o
}

// opts is filled once by TestMain from the command line; read-only afterwards.
var opts *options

func TestMain(m *testing.M) {
	opts = registerOptions(flag.CommandLine)
	config.CopyFlags(config.Flags, flag.CommandLine)
	framework.RegisterCommonFlags(flag.CommandLine)
	framework.RegisterClusterFlags(flag.CommandLine)
	flag.Parse()
	os.Exit(m.Run())
}

// The suite setup of test/e2e/e2e.go, reduced to what a fresh embedded
// cluster needs: every node schedulable, and NumNodes taken from the cluster.
var _ = ginkgo.BeforeSuite(func(ctx context.Context) {
	c, err := framework.LoadClientset()
	framework.ExpectNoError(err, "loading the e2e client")
	timeouts := framework.NewTimeoutContext()
	framework.ExpectNoError(e2enode.WaitForAllNodesSchedulable(ctx, c, timeouts.NodeSchedulable))
	if framework.TestContext.CloudConfig.NumNodes == framework.DefaultNumNodes {
		nodes, err := e2enode.GetReadySchedulableNodes(ctx, c)
		framework.ExpectNoError(err)
		framework.TestContext.CloudConfig.NumNodes = len(nodes.Items)
	}
})

func TestConformance(t *testing.T) {
	if testing.Short() {
		t.Skip("upstream e2e against an embedded cluster: skipped with -short")
	}
	set, ok := specSets()[opts.set]
	if !ok {
		t.Fatalf("unknown -conformance.set=%q (known: daemonset, wide)", opts.set)
	}
	skips, err := loadSkips("skips.txt")
	if err != nil {
		t.Fatal(err)
	}
	flakes, err := loadSkips("flakes.txt")
	if err != nil {
		t.Fatal(err)
	}
	bin := os.Getenv("DSLAB_BIN")
	if bin == "" {
		t.Skip("건너뜀: dslab 바이너리가 없습니다 — DSLAB_BIN is not set: the upstream e2e needs the dslab binary (make build, then DSLAB_BIN=$PWD/bin/dslab)")
	}
	if _, err := os.Stat(bin); err != nil {
		t.Skipf("건너뜀: dslab 바이너리가 없습니다 — DSLAB_BIN=%s is absent (%v): run make build first", bin, err)
	}

	start := time.Now()
	cl, err := startCluster(t, bin, opts.keep)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("embedded cluster up in %s (kubeconfig %s)", time.Since(start).Round(time.Second), cl.kubeconfig)

	framework.TestContext.KubeConfig = cl.kubeconfig
	framework.TestContext.KubeContext = cl.context
	framework.TestContext.Provider = "skeleton"
	framework.AfterReadingAllFlags(&framework.TestContext)

	logs.InitLogs()
	defer logs.FlushLogs()
	klog.EnableContextualLogging(true)
	gomega.RegisterFailHandler(framework.Fail)

	suiteConfig, reporterConfig := ginkgo.GinkgoConfiguration()
	// -ginkgo.focus narrows the run (the table still lists the set's specs
	// only); -ginkgo.skip adds to skips.txt.
	if len(suiteConfig.FocusStrings) == 0 {
		suiteConfig.FocusStrings = set.focus
	}
	suiteConfig.SkipStrings = append(suiteConfig.SkipStrings, skips.patterns()...)
	suiteConfig.RandomizeAllSpecs = false
	// Known upstream flakes (flakes.txt) get two more attempts. Ginkgo can
	// only retry every spec, so tableRows fails any spec outside flakes.txt
	// that needed a retry: a new flake still breaks the gate.
	if len(flakes) > 0 && suiteConfig.FlakeAttempts == 0 {
		suiteConfig.FlakeAttempts = 3
	}
	suiteConfig.Timeout = set.timeout
	// One mark per spec that runs, not one "S" per filtered-out spec of the
	// ~860 the binary holds; plain text for CI logs.
	reporterConfig.SilenceSkips = true
	reporterConfig.NoColor = true
	reportFile := filepath.Join(t.TempDir(), "report.json")
	reporterConfig.JSONReport = reportFile

	runStart := time.Now()
	passed := ginkgo.RunSpecs(t, "dslab conformance: "+opts.set, suiteConfig, reporterConfig)
	runTime := time.Since(runStart)

	reports, err := readReport(reportFile)
	if err != nil {
		t.Fatalf("reading the ginkgo report: %v", err)
	}
	rows := tableRows(reports, set, specSet{focus: suiteConfig.FocusStrings}, skips, flakes)
	table := renderTable(opts.set, rows, runTime)
	fmt.Println()
	fmt.Println(table)
	if opts.table != "" {
		if err := os.WriteFile(opts.table, []byte(table), 0o644); err != nil {
			t.Errorf("writing %s: %v", opts.table, err)
		}
	}
	for _, r := range rows {
		if r.result == resultFail || r.result == resultNotRun {
			t.Errorf("failed: %s", r.name)
		}
	}
	if len(rows) == 0 {
		t.Errorf("the focus %v matched no spec: the upstream spec names changed?", set.focus)
	}
	if !passed {
		t.Errorf("ginkgo reported a failed suite")
	}
}

// readReport reads the JSON report ginkgo writes for -ginkgo.json-report.
func readReport(path string) ([]types.Report, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var reports []types.Report
	if err := json.Unmarshal(data, &reports); err != nil {
		return nil, err
	}
	return reports, nil
}
