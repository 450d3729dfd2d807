package lab

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/dslab-kr/dslab/internal/hangul"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utilerrors "k8s.io/apimachinery/pkg/util/errors"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/kubectl/pkg/cmd/apply"
	cmdutil "k8s.io/kubectl/pkg/cmd/util"

	"github.com/dslab-kr/dslab/exercises"
	"github.com/dslab-kr/dslab/internal/kube"
)

// ApplyTarget says which cluster a work file is applied to: the same
// kubeconfig files and context as the watcher's connection (kube.Conn).
type ApplyTarget struct {
	// Kubeconfigs are the kubeconfig files in precedence order (as
	// KUBECONFIG lists them).
	Kubeconfigs []string
	// Context is the kubeconfig context (its namespace, or "default",
	// is where objects without metadata.namespace go).
	Context string
}

// TargetOf is the ApplyTarget of a watcher connection: the files of
// conn.Source and its context.
func TargetOf(conn *kube.Conn) ApplyTarget {
	return ApplyTarget{Kubeconfigs: filepath.SplitList(conn.Source), Context: conn.Context}
}

// ApplyError is a work file that kubectl apply refused (Korean Summary
// first, then kubectl's and the API server's own words, whole).
type ApplyError struct {
	Path string
	// Summary is the Korean explanation ("YAML 형식 오류" …).
	Summary string
	// Detail is the error exactly as `kubectl apply -f` prints it.
	Detail string
	Err    error
}

func (e *ApplyError) Error() string {
	return e.Summary + ": " + e.Detail
}

func (e *ApplyError) Unwrap() error { return e.Err }

// ApplyResult is what a successful apply printed, one line per object
// ("daemonset.apps/fluentd-elasticsearch created"), and kubectl's warnings.
type ApplyResult struct {
	Lines    []string
	Warnings []string
}

// Summary is the result in one line.
func (r ApplyResult) Summary() string { return strings.Join(r.Lines, ", ") }

// Unchanged reports whether kubectl found every object of the file as the
// cluster already has it: every line is "<kind>/<name> unchanged" (kubectl
// apply's printer, k8s.io/kubectl/pkg/cmd/apply: "unchanged" when the
// patch is empty), possibly with the namespace note of
// noteDefaultNamespace. An apply that printed nothing is not unchanged.
func (r ApplyResult) Unchanged() bool {
	if len(r.Lines) == 0 {
		return false
	}
	for _, l := range r.Lines {
		base, _, _ := strings.Cut(l, " (")
		if !strings.HasSuffix(base, " unchanged") {
			return false
		}
	}
	return true
}

// ApplyFile applies the work file at path exactly as `kubectl apply -f path`
// does in the learner's lab shell: client-side apply with kubectl's own
// machinery (k8s.io/kubectl/pkg/cmd/apply, default flags, strict field
// validation), so the TUI and the shell are one apply path. Objects
// without metadata.namespace go to the context's namespace, every document
// of the file is applied, the three-way merge against the
// kubectl.kubernetes.io/last-applied-configuration annotation removes a
// field that was applied before and is gone from the file (whichever of the
// two paths applied it; exercise setup writes that annotation too, see
// kube.Apply), and the API server's errors come back word for word in an
// *ApplyError.
func ApplyFile(ctx context.Context, t ApplyTarget, path string) (ApplyResult, error) {
	if _, err := os.Stat(path); err != nil {
		return ApplyResult{}, &ApplyError{Path: path, Summary: "작업 파일을 읽을 수 없습니다", Detail: err.Error(), Err: err}
	}
	getter, err := newRESTGetter(t)
	if err != nil {
		return ApplyResult{}, &ApplyError{Path: path, Summary: "kubeconfig 를 읽을 수 없어 적용하지 못했습니다", Detail: err.Error(), Err: err}
	}
	var out, errOut bytes.Buffer
	streams := genericiooptions.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
	f := cmdutil.NewFactory(getter)
	flags := apply.NewApplyFlags(streams)
	cmd := &cobra.Command{Use: "apply"}
	flags.AddFlags(cmd)
	if err := cmd.Flags().Set("filename", path); err != nil {
		return ApplyResult{}, fmt.Errorf("kubectl apply 플래그 filename 설정 실패: %w", err)
	}
	// The lab's own writes are told apart from the shell's (which the
	// watcher counts as attempts, shellattempt.go) by their field manager.
	if err := cmd.Flags().Set("field-manager", LabFieldManager); err != nil {
		return ApplyResult{}, fmt.Errorf("kubectl apply 플래그 field-manager 설정 실패: %w", err)
	}
	run := func() error {
		o, err := flags.ToOptions(f, cmd, "kubectl", nil)
		if err != nil {
			return err
		}
		if err := o.Validate(); err != nil {
			return err
		}
		return o.Run()
	}
	done := make(chan error, 1)
	go func() { done <- run() }()
	select {
	case err = <-done:
	case <-ctx.Done():
		return ApplyResult{}, &ApplyError{Path: path, Summary: "적용이 제시간에 끝나지 않았습니다", Detail: ctx.Err().Error(), Err: ctx.Err()}
	}
	res := ApplyResult{Lines: nonEmptyLines(out.String()), Warnings: nonEmptyLines(errOut.String())}
	if err != nil {
		summary := applySummary(err, fileNamespaces(path, contextNamespace(getter)), taskNamespace(path), saveAgain)
		if where := yamlContext(err.Error(), []string{path}); where != "" {
			summary += "\n" + where
		}
		return res, &ApplyError{Path: path, Summary: summary, Detail: reasonFirst(kubectlText(err)), Err: err}
	}
	res.Lines = noteDefaultNamespace(res.Lines, defaultedObjects(path, getter), contextNamespace(getter))
	return res, nil
}

// contextNamespace is the namespace kubectl gives objects without
// metadata.namespace: the context's, else "default".
func contextNamespace(g *restGetter) string {
	if ns, _, err := g.loader.Namespace(); err == nil && ns != "" {
		return ns
	}
	return "default"
}

// defaultedObjects are the namespaced objects of the file at path written
// without metadata.namespace, as "kind/name" in lower case (kubectl's
// "<resource>.<group>/<name>" line starts with the kind's lower case
// singular for the built-in kinds).
func defaultedObjects(path string, g *restGetter) map[string]bool {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	docs, err := exercises.SplitManifests(data)
	if err != nil {
		return nil
	}
	mapper, err := g.ToRESTMapper()
	if err != nil {
		return nil
	}
	out := map[string]bool{}
	for _, d := range docs {
		if d.Namespace != "" {
			continue
		}
		gv, err := schema.ParseGroupVersion(d.APIVersion)
		if err != nil {
			continue
		}
		m, err := mapper.RESTMapping(schema.GroupKind{Group: gv.Group, Kind: d.Kind}, gv.Version)
		if err != nil || m.Scope.Name() != meta.RESTScopeNameNamespace {
			continue
		}
		out[strings.ToLower(d.Kind)+"/"+d.Name] = true
	}
	return out
}

// noteDefaultNamespace adds "(네임스페이스 ns)" to kubectl's line of each
// object that got the context's namespace rather than one from the file
// (kubectl's own line is kept as it is).
func noteDefaultNamespace(lines []string, defaulted map[string]bool, ns string) []string {
	if len(defaulted) == 0 {
		return lines
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = l
		ref, _, _ := strings.Cut(l, " ")
		res, name, ok := strings.Cut(ref, "/")
		if !ok {
			continue
		}
		kind, _, _ := strings.Cut(res, ".")
		if defaulted[kind+"/"+name] {
			out[i] = l + " (네임스페이스 " + ns + ")"
		}
	}
	return out
}

// kubectlText is err as kubectl prints it: the API server's status with
// its reason ("Error from server (Invalid): …"), one line per error of an
// aggregate, the error text otherwise (cmdutil.StandardErrorMessage; the
// fatal-handler path of cmdutil.CheckErr is process-wide and not used).
func kubectlText(err error) string {
	var agg utilerrors.Aggregate
	if errors.As(err, &agg) && len(agg.Errors()) > 1 {
		var lines []string
		for _, e := range agg.Errors() {
			lines = append(lines, kubectlText(e))
		}
		return strings.Join(lines, "\n")
	}
	if agg != nil && len(agg.Errors()) == 1 {
		err = agg.Errors()[0]
	}
	msg, ok := cmdutil.StandardErrorMessage(err)
	if !ok {
		msg = err.Error()
	}
	return strings.TrimSpace(strings.TrimPrefix(msg, "error: "))
}

// reasonFirst moves the patch kubectl prints before a failed patch's
// reason ("error when applying patch:\n{…}\nto:\nResource: …\nName: …\n
// for: …: <reason>", k8s.io/kubectl/pkg/cmd/apply) after the reason (issue
// 14: an 8-line JSON dump came first and the reason last): the API
// server's words, then "보낸 패치(patch):" and the dump. Other texts are
// returned as they are.
func reasonFirst(text string) string {
	lines := strings.Split(text, "\n")
	if len(lines) < 2 || !strings.HasSuffix(lines[0], "error when applying patch:") {
		return text
	}
	for i := 1; i < len(lines); i++ {
		if strings.HasPrefix(lines[i], "for: ") {
			head := strings.TrimSpace(strings.TrimSuffix(lines[0], "error when applying patch:"))
			reason := strings.Join(lines[i:], "\n")
			if head != "" {
				reason = head + " " + reason
			}
			return reason + "\n보낸 패치(patch):\n" + strings.Join(lines[1:i], "\n")
		}
	}
	return text
}

// fileNamespaces maps "Kind/name" of every object of the work file at
// path to the namespace kubectl apply puts it in: its metadata.namespace,
// else ctxNS (the context's namespace). Nil when the file cannot be read
// or split (the apply error then is about the file itself).
func fileNamespaces(path, ctxNS string) map[string]string {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	docs, err := exercises.SplitManifests(data)
	if err != nil {
		return nil
	}
	out := map[string]string{}
	for _, d := range docs {
		ns := d.Namespace
		if ns == "" {
			ns = ctxNS
		}
		out[d.Kind+"/"+d.Name] = ns
	}
	return out
}

// invalidObject is the kind and name of the object an Invalid error is
// about, from the API server's message (`DaemonSet.apps "x" is invalid`,
// apimachinery errors.NewInvalid: kind, ".group" when not core, quoted
// name); "" when there is none.
func invalidObject(msg string) (kind, name string) {
	i := strings.LastIndex(msg, `" is invalid`)
	if i < 0 {
		return "", ""
	}
	j := strings.LastIndex(msg[:i], `"`)
	if j < 1 || msg[j-1] != ' ' {
		return "", ""
	}
	name = msg[j+1 : i]
	head := msg[:j-1]
	kind = head[strings.LastIndexAny(head, " \n:")+1:]
	kind, _, _ = strings.Cut(kind, ".")
	return kind, name
}

// applySummary is the Korean explanation of an apply error: the kind of
// error first, and for the mistakes learners make most (an immutable
// selector, selector≠labels, a pod-spec field at the DaemonSet's level)
// what to do, with the command filled in for the failed object
// (namespaces: "Kind/name" → namespace of the file's objects,
// fileNamespaces). Error texts are the API server's
// (k8s.io/kubernetes/pkg/apis/apps/validation, apimachinery's strict
// decoding "unknown field"). Plain text: no markdown, as the CLI prints it
// unrendered (dslab grade's apply-failure note).
//
// taskNS is the namespace of the exercise's target (taskNamespace; "" when
// unknown), named when the file's namespace does not exist. again is how
// the advice says to apply once more where it is read: saveAgain in the
// TUI (a save applies), applyAgain at the CLI (issue 14: `dslab kubectl
// apply` said "다시 저장하세요").
func applySummary(err error, namespaces map[string]string, taskNS, again string) string {
	msg := err.Error()
	if ns := missingNamespace(msg); ns != "" {
		return missingNamespaceSummary(ns, taskNS)
	}
	switch {
	case strings.Contains(msg, "error converting YAML to JSON"), strings.Contains(msg, "yaml: "):
		return "YAML 형식 오류라 적용하지 못했습니다 (들여쓰기와 콜론을 확인하세요)"
	case strings.Contains(msg, "no objects passed to apply"):
		return "적용할 오브젝트가 없습니다 (파일이 비었거나 주석뿐입니다)"
	case strings.Contains(msg, "strict decoding error"), strings.Contains(msg, "unknown field"):
		return unknownFieldSummary(msg)
	case typeErrorCause(msg) != "":
		// A value of the wrong YAML type (issue 14: "labels: app=x"
		// gave the generic line on create, "cannot restore map from
		// string" after the patch dump on update).
		return typeErrorCause(msg)
	case len(validationCauses(msg, namespaces, again)) > 0:
		// The API server lists every invalid field at once (an immutable
		// selector AND labels that do not match it): one line each.
		return strings.Join(validationCauses(msg, namespaces, again), "\n")
	case unsupportedValueCause(msg) != "":
		return unsupportedValueCause(msg)
	case strings.Contains(msg, "is invalid"):
		if cause := invalidCause(msg); cause != "" {
			return "API 서버가 매니페스트를 거부했습니다 (검증 실패): " + cause
		}
		return "API 서버가 매니페스트를 거부했습니다 (검증 실패): 아래 API 서버의 오류에서 필드 경로와 이유를 보세요"
	case strings.Contains(msg, "Object 'Kind' is missing"), strings.Contains(msg, "apiVersion"):
		return "apiVersion 이나 kind 가 빠졌거나 틀렸습니다"
	case strings.Contains(msg, "no matches for kind"):
		return "클러스터가 모르는 종류(kind)입니다"
	case strings.Contains(msg, "connection refused"), strings.Contains(msg, "Unable to connect"):
		return "API 서버에 연결할 수 없어 적용하지 못했습니다"
	}
	return "kubectl apply 가 실패했습니다"
}

// validationCauses are the Korean explanations, one per line, of the
// validation failures a learner makes most that msg lists (the API
// server reports every invalid field in one error): the immutable
// selector, then the selector that does not match the template's labels.
func validationCauses(msg string, namespaces map[string]string, again string) []string {
	var out []string
	if strings.Contains(msg, "spec.selector") && strings.Contains(msg, "field is immutable") {
		out = append(out, "데몬셋의 셀렉터(spec.selector)는 만든 뒤에 바꿀 수 없습니다 (immutable): 셀렉터를 바꾸려면 "+
			deleteAdvice(msg, namespaces, again))
	}
	if strings.Contains(msg, "`selector` does not match template `labels`") {
		out = append(out, "셀렉터(spec.selector.matchLabels)가 파드 템플릿의 레이블(spec.template.metadata.labels)과 "+
			"맞지 않아 거부했습니다: 셀렉터의 레이블이 모두 템플릿에 같은 값으로 있어야 합니다")
	}
	for _, v := range strategyValidations {
		if strings.Contains(msg, v.field) && strings.Contains(msg, v.reason) {
			out = append(out, v.korean+" ("+v.field+": "+v.reason+")")
		}
	}
	return out
}

// strategyValidations are the API server's validation errors for a
// DaemonSet's update strategy (k8s.io/kubernetes/pkg/apis/apps/validation:
// ValidateDaemonSetUpdateStrategy, ValidateRollingUpdateDaemonSet,
// ValidatePositiveIntOrPercent, IsNotMoreThan100Percent) with their Korean
// cause: the field path and the server's reason as it writes them.
var strategyValidations = []struct{ field, reason, korean string }{
	{"rollingUpdate.maxUnavailable", "cannot be 0 when maxSurge is 0",
		"maxUnavailable 과 maxSurge 가 둘 다 0 이라 거부했습니다: 둘 다 0 이면 어느 노드의 파드도 바꿀 수 없습니다 — " +
			"둘 중 하나를 1 이상으로 하세요: hostPort 를 쓰는 파드는 maxSurge 0, maxUnavailable 1"},
	{"rollingUpdate.maxSurge", "may not be set when maxUnavailable is non-zero",
		"데몬셋에서는 maxSurge 와 maxUnavailable 중 하나만 0 이 아닐 수 있어 거부했습니다: 하나를 0 으로 하세요"},
	{"rollingUpdate.maxUnavailable", "must not be greater than 100%",
		"maxUnavailable 은 100% 를 넘을 수 없어 거부했습니다"},
	{"rollingUpdate.maxSurge", "must not be greater than 100%",
		"maxSurge 는 100% 를 넘을 수 없어 거부했습니다"},
	{"rollingUpdate.maxUnavailable", "must be greater than or equal to 0",
		"maxUnavailable 은 음수일 수 없어 거부했습니다"},
	{"rollingUpdate.maxSurge", "must be greater than or equal to 0",
		"maxSurge 는 음수일 수 없어 거부했습니다"},
	{"rollingUpdate.max", "a valid percent string must be",
		"maxUnavailable 과 maxSurge 는 정수(1)나 퍼센트 문자열(\"25%\")이어야 해서 거부했습니다"},
	{"spec.updateStrategy.type", "Unsupported value",
		"updateStrategy.type 은 RollingUpdate 나 OnDelete 만 쓸 수 있어 거부했습니다 (대소문자를 구분합니다)"},
}

// saveAgain ends an advice read in the TUI, where saving the work file
// applies it.
const saveAgain = "다시 저장하세요"

// SaveAgainAdvice is saveAgain, for the CLI to rewrite an advice the TUI
// recorded (CLIAdvice).
const SaveAgainAdvice = saveAgain

// applyAgain ends an advice read at the CLI: apply the files once more
// with the command that does it ("<파일>" when none is known).
func applyAgain(files []string) string {
	f := strings.Join(files, " -f ")
	if f == "" {
		f = "<파일>"
	}
	return "다시 적용하세요 (dslab kubectl apply -f " + f + ")"
}

// CLIAdvice is summary, an apply-error explanation written for the TUI
// (saveAgain: the lab's last apply, grader.Result.LastApplyFailure), as
// the CLI says it: apply path again with dslab kubectl apply.
func CLIAdvice(summary, path string) string {
	var files []string
	if path != "" {
		files = []string{path}
	}
	return strings.ReplaceAll(summary, saveAgain, applyAgain(files))
}

// deleteAdvice says how to delete the DaemonSet an immutable-field error
// is about, the command filled in with its name and namespace when the
// message and the file give them (never a "<이름>" placeholder), then how
// to apply again (again: saveAgain or applyAgain).
func deleteAdvice(msg string, namespaces map[string]string, again string) string {
	kind, name := invalidObject(msg)
	if name == "" {
		return "데몬셋을 dslab kubectl delete daemonset 으로 지운 뒤 " + again
	}
	cmd := "dslab kubectl delete daemonset " + name
	if ns, ok := namespaces[kind+"/"+name]; ok && ns != "" {
		cmd += " -n " + ns
	}
	return cmd + " " + hangul.EuroRo(cmd) + " 지운 뒤 " + again
}

// invalidCause is the field path and reason of an Invalid status ("spec.x:
// Required value: …", several joined by ", " in brackets), the text after
// the last "is invalid: " up to the end of its line — after a patch kubectl
// prints the whole patch first, which pushed the reason off the panel
// (apimachinery's StatusError message, errors.NewInvalid). "" when there
// is none or it is too long to be a summary.
func invalidCause(msg string) string {
	i := strings.LastIndex(msg, "is invalid: ")
	if i < 0 {
		return ""
	}
	cause, _, _ := strings.Cut(msg[i+len("is invalid: "):], "\n")
	cause = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(cause), "["), "]"))
	if cause == "" || len([]rune(cause)) > 300 {
		return ""
	}
	return cause
}

// podSpecFields are PodSpec fields (k8s.io/api/core/v1.PodSpec) learners
// put at the DaemonSet's spec instead of spec.template.spec.
var podSpecFields = []string{"nodeSelector", "tolerations", "affinity", "containers", "initContainers",
	"hostNetwork", "hostPID", "priorityClassName", "volumes", "nodeName", "serviceAccountName",
	"terminationGracePeriodSeconds", "dnsPolicy", "securityContext", "imagePullSecrets"}

// unknownFieldSummary explains an "unknown field" error; a known PodSpec
// field under spec. or spec.template. is named with where it belongs.
func unknownFieldSummary(msg string) string {
	_, rest, ok := strings.Cut(msg, `unknown field "`)
	if !ok {
		return "API 서버가 모르는 필드가 있어 거부했습니다 (철자와 들여쓰기(위치)를 확인하세요)"
	}
	field, _, _ := strings.Cut(rest, `"`)
	last := field[strings.LastIndex(field, ".")+1:]
	if slices.Contains(podSpecFields, last) && field != "spec.template.spec."+last {
		return fmt.Sprintf("%s %s 이 위치에 올 수 없습니다: 이름은 맞지만 파드의 필드라서 "+
			"spec.template.spec 아래에 있어야 합니다 (들여쓰기를 확인하세요)", field, hangul.EunNeun(field))
	}
	return fmt.Sprintf("API 서버가 모르는 필드 %s %s 있어 거부했습니다 (철자와 들여쓰기(위치)를 확인하세요)", field, hangul.IGa(field))
}

func nonEmptyLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// restGetter is kubectl's RESTClientGetter for a fixed set of kubeconfig
// files and a context (what genericclioptions.ConfigFlags does for
// --kubeconfig/--context, without reading the process environment).
type restGetter struct {
	loader clientcmd.ClientConfig
	config *rest.Config
	disc   discovery.CachedDiscoveryInterface
}

func newRESTGetter(t ApplyTarget) (*restGetter, error) {
	if len(t.Kubeconfigs) == 0 {
		return nil, errors.New("kubeconfig 파일이 없습니다")
	}
	rules := &clientcmd.ClientConfigLoadingRules{Precedence: t.Kubeconfigs}
	loader := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, &clientcmd.ConfigOverrides{CurrentContext: t.Context})
	cfg, err := loader.ClientConfig()
	if err != nil {
		return nil, err
	}
	cfg.QPS, cfg.Burst = 50, 100
	dc, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		return nil, err
	}
	return &restGetter{loader: loader, config: cfg, disc: memory.NewMemCacheClient(dc)}, nil
}

func (g *restGetter) ToRESTConfig() (*rest.Config, error) { return rest.CopyConfig(g.config), nil }

func (g *restGetter) ToDiscoveryClient() (discovery.CachedDiscoveryInterface, error) {
	return g.disc, nil
}

func (g *restGetter) ToRESTMapper() (meta.RESTMapper, error) {
	m := restmapper.NewDeferredDiscoveryRESTMapper(g.disc)
	return restmapper.NewShortcutExpander(m, g.disc, nil), nil
}

func (g *restGetter) ToRawKubeConfigLoader() clientcmd.ClientConfig { return g.loader }

// missingNamespace is the namespace msg says does not exist ("" when
// none): a NotFound error about a namespace (apimachinery
// errors.NewNotFound: `namespaces "logging" not found`, what the API
// server answers a create in a namespace that does not exist).
func missingNamespace(msg string) string {
	_, rest, ok := strings.Cut(msg, `namespaces "`)
	if !ok {
		return ""
	}
	ns, tail, ok := strings.Cut(rest, `"`)
	if !ok || !strings.HasPrefix(tail, " not found") {
		return ""
	}
	return ns
}

// missingNamespaceSummary explains an apply into the namespace ns that does
// not exist: the task's namespace taskNS when known (apply never creates a
// namespace), or, when ns is the task's own, that the exercise needs
// preparing again.
func missingNamespaceSummary(ns, taskNS string) string {
	head := fmt.Sprintf("네임스페이스 %s %s 없습니다 (NotFound)", ns, hangul.IGa(ns))
	switch taskNS {
	case "":
		return head + ": metadata.namespace 를 과제의 네임스페이스로 고치세요 (적용은 네임스페이스를 만들지 않습니다)"
	case ns:
		return head + ": 과제의 네임스페이스가 지워졌습니다 — 연습을 다시 준비하세요 (TUI 에서 r 을 두 번, 셸에서 dslab exercise reset)"
	}
	return fmt.Sprintf("%s — 과제의 네임스페이스는 %s 입니다: metadata.namespace 를 %s %s 고치세요 (적용은 네임스페이스를 만들지 않습니다)",
		head, taskNS, taskNS, hangul.EuroRo(taskNS))
}

// taskNamespace is the namespace of the target of the exercise whose work
// file is path (WorkFile: <id>.yaml), "" when the name is no exercise's.
func taskNamespace(path string) string {
	cat, err := exercises.Load()
	if err != nil {
		return ""
	}
	ex, err := cat.Get(strings.TrimSuffix(filepath.Base(path), ".yaml"))
	if err != nil {
		return ""
	}
	return ex.Spec.Target.Namespace
}
