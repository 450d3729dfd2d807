package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/grader"
	"github.com/dslab-kr/dslab/internal/kube"
)

type gradeOptions struct {
	cluster       clusterFlags
	all           bool
	output        string
	contexts      []string
	kubeconfigDir string
	parallel      int
	snapshotIn    string
	snapshotOut   string
}

func newGradeCommand(env Env) *cobra.Command {
	var o gradeOptions
	cmd := &cobra.Command{
		Use:   "grade <ID>... | --all",
		Short: "클러스터를 채점합니다 (종료 코드: 0 모두 통과, 1 실패가 있음, 2 채점할 수 없음)",
		Long: "연습의 기대 배치와 클러스터를 노드마다 비교하고, 무엇이 왜 틀렸는지 한국어로 알려 줍니다.\n\n" +
			"강사용: --contexts a,b,c 또는 --kubeconfig-dir DIR (학생마다 kubeconfig 하나, 파일 이름이 학생 이름)\n" +
			"로 여러 클러스터를 한꺼번에 채점해 학생 × 연습 점수표를 출력합니다 (-o text|csv|json|junit).\n\n" +
			"자세한 계약(JSON 필드, 종료 코드)은 docs/cli.md 에 있습니다.",
		RunE: func(cmd *cobra.Command, args []string) error {
			return runGrade(cmd.Context(), env, o, args)
		},
	}
	o.cluster.add(cmd)
	f := cmd.Flags()
	f.BoolVar(&o.all, "all", false, "모든 연습을 채점합니다")
	f.StringVarP(&o.output, "output", "o", "text", "출력 형식: text, json, junit (강사용 점수표는 csv 도)")
	f.StringSliceVar(&o.contexts, "contexts", nil, "강사용: 채점할 컨텍스트(context) 목록 (쉼표로 구분)")
	f.StringVar(&o.kubeconfigDir, "kubeconfig-dir", "", "강사용: 학생별 kubeconfig 파일이 있는 디렉터리")
	f.IntVar(&o.parallel, "parallel", 8, "강사용: 동시에 채점할 클러스터 수")
	f.StringVar(&o.snapshotIn, "snapshot", "", "클러스터 대신 저장된 스냅숏(JSON)을 채점합니다")
	f.StringVar(&o.snapshotOut, "save-snapshot", "", "채점한 스냅숏을 JSON 파일로 저장합니다 (연습 하나일 때)")
	return cmd
}

func gradeIDs(c *exercises.Catalog, o gradeOptions, args []string) ([]exercises.Exercise, error) {
	if o.all && len(args) > 0 {
		return nil, usageError("--all 과 연습 ID 를 함께 쓸 수 없습니다")
	}
	if !o.all && len(args) == 0 {
		return nil, usageError("채점할 연습 ID 나 --all 이 필요합니다 (%s)", strings.Join(c.IDs(), ", "))
	}
	if o.all {
		return c.All(), nil
	}
	var out []exercises.Exercise
	for _, id := range args {
		ex, err := findExercise(c, id)
		if err != nil {
			return nil, err
		}
		out = append(out, ex)
	}
	return out, nil
}

func runGrade(ctx context.Context, env Env, o gradeOptions, args []string) error {
	class := len(o.contexts) > 0 || o.kubeconfigDir != ""
	switch o.output {
	case "text", "json", "junit":
	case "csv":
		if !class {
			return usageError("-o csv 는 강사용 점수표(--contexts, --kubeconfig-dir)에서만 씁니다")
		}
	default:
		return usageError("알 수 없는 출력 형식 %q: text, json, junit, csv 중 하나를 쓰세요", o.output)
	}
	if class && (o.cluster.context != "" || o.cluster.kubeconfig != "") {
		return usageError("--contexts/--kubeconfig-dir 와 --context/--kubeconfig 는 함께 쓸 수 없습니다")
	}
	if len(o.contexts) > 0 && o.kubeconfigDir != "" {
		return usageError("--contexts 와 --kubeconfig-dir 중 하나만 쓰세요")
	}
	c, err := loadCatalog()
	if err != nil {
		return err
	}
	exs, err := gradeIDs(c, o, args)
	if err != nil {
		return err
	}
	if o.snapshotOut != "" && (len(exs) != 1 || class) {
		return usageError("--save-snapshot 은 연습 하나를 채점할 때만 씁니다")
	}
	if class {
		return runClassGrade(ctx, env, o, exs)
	}
	var results []grader.Result
	if o.snapshotIn != "" {
		if len(exs) != 1 {
			return usageError("--snapshot 은 연습 하나를 채점할 때만 씁니다")
		}
		snap, err := readSnapshot(o.snapshotIn)
		if err != nil {
			return &ExitError{Code: ExitUsage, Err: err}
		}
		results = append(results, grader.Grade(exs[0].Spec, snap))
	} else {
		conn, err := connect(ctx, env, o.cluster.target())
		if err != nil {
			return err
		}
		snaps, err := captureFor(ctx, conn, exs, localState{env: env, name: kube.StateName(conn.Context)})
		if err != nil {
			return &ExitError{Code: ExitUsage, Err: err}
		}
		for i, ex := range exs {
			results = append(results, grader.Grade(ex.Spec, snaps[i]))
		}
		if o.snapshotOut != "" {
			if err := writeSnapshot(o.snapshotOut, snaps[0]); err != nil {
				return &ExitError{Code: ExitUsage, Err: err}
			}
		}
	}
	if err := writeResults(env, o.output, results); err != nil {
		return err
	}
	for _, r := range results {
		if !r.Passed {
			return &ExitError{Code: ExitFailure, Err: errors.New("")}
		}
	}
	return nil
}

func writeResults(env Env, format string, results []grader.Result) error {
	switch format {
	case "json":
		return grader.WriteJSON(env.Streams.Out, results)
	case "junit":
		return grader.WriteJUnit(env.Streams.Out, results)
	}
	return grader.WriteText(env.Streams.Out, results)
}

// localState says where a learner's own baselines and recordings are; an
// instructor grading students' clusters has none (zero value).
type localState struct {
	env  Env
	name string
}

// captureFor captures the cluster once and returns one snapshot per
// exercise, each with its baseline (state dir, else in-cluster copy, else
// derived from the lab topology) and, for rolling-update, its recording.
func captureFor(ctx context.Context, conn *kube.Conn, exs []exercises.Exercise, st localState) ([]grader.Snapshot, error) {
	var targets []grader.ObjectRef
	for _, ex := range exs {
		targets = append(targets, ex.Spec.Target)
	}
	base, err := kube.Capture(ctx, conn.Client, kube.CaptureOptions{Targets: targets, Context: conn.Context})
	if err != nil {
		return nil, fmt.Errorf("클러스터 상태를 읽을 수 없습니다: %w", err)
	}
	out := make([]grader.Snapshot, len(exs))
	for i, ex := range exs {
		s := base
		var dir string
		if st.name != "" {
			dir = kube.ExerciseDir(st.env.Paths, st.name, ex.ID)
			b, err := kube.LoadBaseline(kube.BaselineFile(dir))
			if err != nil {
				return nil, err
			}
			s.Baseline = b
		}
		if s.Baseline == nil {
			if b, err := kube.LoadBaselineFromCluster(ctx, conn.Client, ex.ID); err == nil && b != nil {
				s.Baseline = b
			}
		}
		if s.Baseline == nil {
			s.Baseline = kube.TopologyBaseline(ex, s.Nodes)
		}
		if ex.Setup.Recorder && dir != "" {
			rec, err := kube.ReadRecording(kube.RecorderDir(dir))
			if err != nil {
				return nil, fmt.Errorf("롤아웃 기록을 읽을 수 없습니다: %w", err)
			}
			s.Rollout = rec
		}
		out[i] = s
	}
	return out, nil
}

func readSnapshot(path string) (grader.Snapshot, error) {
	var s grader.Snapshot
	data, err := os.ReadFile(path)
	if err != nil {
		return s, fmt.Errorf("스냅숏을 읽을 수 없습니다: %w", err)
	}
	if err := json.Unmarshal(data, &s); err != nil {
		return s, fmt.Errorf("스냅숏 %s 이 올바른 JSON 이 아닙니다: %w", path, err)
	}
	if s.Version > grader.SnapshotVersion {
		return s, fmt.Errorf("스냅숏 버전 %d 은 이 dslab(버전 %d 까지)보다 새롭습니다: dslab 을 업데이트하세요", s.Version, grader.SnapshotVersion)
	}
	return s, nil
}

func writeSnapshot(path string, s grader.Snapshot) error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("스냅숏을 저장할 수 없습니다: %w", err)
	}
	return nil
}

// student is one cluster of a class.
type student struct {
	name   string
	source string
	target kube.Target
}

func classStudents(o gradeOptions) ([]student, error) {
	var out []student
	for _, c := range o.contexts {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, student{name: c, source: "context " + c, target: kube.Target{Context: c}})
		}
	}
	if o.kubeconfigDir != "" {
		entries, err := os.ReadDir(o.kubeconfigDir)
		if err != nil {
			return nil, usageError("kubeconfig 디렉터리를 읽을 수 없습니다: %v", err)
		}
		for _, e := range entries {
			if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
				continue
			}
			name := strings.TrimSuffix(e.Name(), filepath.Ext(e.Name()))
			path := filepath.Join(o.kubeconfigDir, e.Name())
			out = append(out, student{name: name, source: path, target: kube.Target{Kubeconfig: path}})
		}
	}
	if len(out) == 0 {
		return nil, usageError("채점할 학생 클러스터가 없습니다 (--contexts 가 비었거나 디렉터리에 kubeconfig 가 없습니다)")
	}
	sort.SliceStable(out, func(i, j int) bool { return o.kubeconfigDir != "" && out[i].name < out[j].name })
	return out, nil
}

// runClassGrade grades many clusters in parallel. An unreachable cluster
// is a row with the reason, never an abort.
func runClassGrade(ctx context.Context, env Env, o gradeOptions, exs []exercises.Exercise) error {
	students, err := classStudents(o)
	if err != nil {
		return err
	}
	report := grader.ClassReport{Students: make([]grader.StudentResult, len(students))}
	for _, ex := range exs {
		report.Exercises = append(report.Exercises, ex.ID)
	}
	workers := max(1, o.parallel)
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	progress := progressPrinter(env.Streams.Err)
	var mu sync.Mutex
	for i, s := range students {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			r := gradeStudent(ctx, env, s, exs)
			mu.Lock()
			report.Students[i] = r
			if r.Error != "" {
				progress(fmt.Sprintf("%s: 채점 불가", s.name))
			} else {
				progress(fmt.Sprintf("%s: %d/%d점", s.name, r.Score, r.Max))
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	switch o.output {
	case "csv":
		err = grader.WriteClassCSV(env.Streams.Out, report)
	case "json":
		err = grader.WriteClassJSON(env.Streams.Out, report)
	case "junit":
		err = grader.WriteClassJUnit(env.Streams.Out, report)
	default:
		err = grader.WriteClassText(env.Streams.Out, report)
	}
	if err != nil {
		return err
	}
	graded, perfect := 0, true
	for _, s := range report.Students {
		if s.Error == "" {
			graded++
		}
		if s.Error != "" || s.Score != s.Max {
			perfect = false
		}
	}
	switch {
	case graded == 0:
		return &ExitError{Code: ExitUsage, Err: errors.New("어느 클러스터도 채점하지 못했습니다")}
	case !perfect:
		return &ExitError{Code: ExitFailure, Err: errors.New("")}
	}
	return nil
}

func gradeStudent(ctx context.Context, env Env, s student, exs []exercises.Exercise) grader.StudentResult {
	r := grader.StudentResult{Student: s.name, Source: s.source}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	conn, err := kube.Connect(ctx, env.Paths.Kubeconfigs, s.target)
	if err != nil {
		r.Error = err.Error()
		return r
	}
	snaps, err := captureFor(ctx, conn, exs, localState{})
	if err != nil {
		r.Error = err.Error()
		return r
	}
	for i, ex := range exs {
		r.Results = append(r.Results, grader.Grade(ex.Spec, snaps[i]))
	}
	r.Totals()
	return r
}
