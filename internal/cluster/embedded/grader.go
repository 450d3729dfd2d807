package embedded

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
	"unicode"

	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"golang.org/x/text/unicode/norm"
)

// Read-only grading access. An instructor grades a student's cluster with
// a client certificate of its own (user "dslab-grader:<student>", group
// GraderGroup) signed by the cluster CA. RBAC gives that group get, list
// and watch on what `dslab grade` reads (internal/kube Capture: nodes,
// DaemonSets, ControllerRevisions, pods, events; namespaces and
// ResourceQuotas for exercises that check them; the ConfigMaps dslab keeps
// in EvidenceNamespace and the per-exercise baselines in kube-system) and
// nothing else: no verbs that write, no Secrets, no pods/exec or logs.
// RBAC is additive (https://kubernetes.io/docs/reference/access-authn-authz/rbac/),
// so these rules are the whole of the identity's rights besides the
// discovery and self-review rules every authenticated user has.
const (
	// GraderGroup is the group of every grader identity.
	GraderGroup = "dslab:graders"
	// GraderRole names the ClusterRole, the ClusterRoleBinding and the
	// namespaced Roles and RoleBindings.
	GraderRole = "dslab:grader"
	// EvidenceNamespace holds dslab's in-cluster records (evidence of
	// passed exercises, the started exercise, rollout recordings).
	EvidenceNamespace = "dslab-system"
	// BaselineNamespace holds the baselines of started exercises as
	// ConfigMaps named BaselinePrefix+<exercise id> (internal/kube state.go).
	BaselineNamespace = "kube-system"
	BaselinePrefix    = "dslab-baseline-"
	// GraderValidity is how long a grader certificate is valid.
	GraderValidity = 90 * 24 * time.Hour
)

var readVerbs = []string{"get", "list", "watch"}

// GraderClusterRole is the cluster-wide part of the grader's rights.
func GraderClusterRole() *rbacv1.ClusterRole {
	return &rbacv1.ClusterRole{
		ObjectMeta: metav1.ObjectMeta{Name: GraderRole, Labels: managedLabels()},
		Rules: []rbacv1.PolicyRule{
			{APIGroups: []string{""}, Resources: []string{"nodes", "pods", "namespaces", "events", "resourcequotas"}, Verbs: readVerbs},
			{APIGroups: []string{"apps"}, Resources: []string{"daemonsets", "controllerrevisions"}, Verbs: readVerbs},
			{APIGroups: []string{"events.k8s.io"}, Resources: []string{"events"}, Verbs: readVerbs},
		},
	}
}

// graderRoles are the namespaced parts: every ConfigMap of
// EvidenceNamespace, and in BaselineNamespace only the baselines of the
// given exercises (get by name; kube-system's other ConfigMaps stay
// private).
func graderRoles(exerciseIDs []string) []*rbacv1.Role {
	var names []string
	for _, id := range exerciseIDs {
		names = append(names, BaselinePrefix+id)
	}
	roles := []*rbacv1.Role{{
		ObjectMeta: metav1.ObjectMeta{Name: GraderRole, Namespace: EvidenceNamespace, Labels: managedLabels()},
		Rules:      []rbacv1.PolicyRule{{APIGroups: []string{""}, Resources: []string{"configmaps"}, Verbs: readVerbs}},
	}}
	if len(names) > 0 {
		roles = append(roles, &rbacv1.Role{
			ObjectMeta: metav1.ObjectMeta{Name: GraderRole, Namespace: BaselineNamespace, Labels: managedLabels()},
			Rules:      []rbacv1.PolicyRule{{APIGroups: []string{""}, Resources: []string{"configmaps"}, ResourceNames: names, Verbs: []string{"get"}}},
		})
	}
	return roles
}

func managedLabels() map[string]string {
	return map[string]string{"app.kubernetes.io/managed-by": "dslab"}
}

func graderSubjects() []rbacv1.Subject {
	return []rbacv1.Subject{{Kind: rbacv1.GroupKind, APIGroup: rbacv1.GroupName, Name: GraderGroup}}
}

// EnsureGraderRBAC creates or updates the grader's ClusterRole, Roles and
// bindings (and EvidenceNamespace if missing). exerciseIDs are the
// exercises whose baselines the grader may read.
func EnsureGraderRBAC(ctx context.Context, client kubernetes.Interface, exerciseIDs []string) error {
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: EvidenceNamespace, Labels: managedLabels()}}
	if _, err := client.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("namespace %s: %w", EvidenceNamespace, err)
	}
	rbac := client.RbacV1()
	cr := GraderClusterRole()
	if err := upsert(ctx, cr, rbac.ClusterRoles().Create, rbac.ClusterRoles().Update, func() (*rbacv1.ClusterRole, error) {
		return rbac.ClusterRoles().Get(ctx, cr.Name, metav1.GetOptions{})
	}, func(cur, want *rbacv1.ClusterRole) { cur.Rules, cur.Labels = want.Rules, want.Labels }); err != nil {
		return fmt.Errorf("clusterrole %s: %w", cr.Name, err)
	}
	crb := &rbacv1.ClusterRoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: GraderRole, Labels: managedLabels()},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: GraderRole},
		Subjects:   graderSubjects(),
	}
	if err := upsert(ctx, crb, rbac.ClusterRoleBindings().Create, rbac.ClusterRoleBindings().Update, func() (*rbacv1.ClusterRoleBinding, error) {
		return rbac.ClusterRoleBindings().Get(ctx, crb.Name, metav1.GetOptions{})
	}, func(cur, want *rbacv1.ClusterRoleBinding) { cur.Subjects, cur.Labels = want.Subjects, want.Labels }); err != nil {
		return fmt.Errorf("clusterrolebinding %s: %w", crb.Name, err)
	}
	for _, role := range graderRoles(exerciseIDs) {
		roles := rbac.Roles(role.Namespace)
		if err := upsert(ctx, role, roles.Create, roles.Update, func() (*rbacv1.Role, error) {
			return roles.Get(ctx, role.Name, metav1.GetOptions{})
		}, func(cur, want *rbacv1.Role) { cur.Rules, cur.Labels = want.Rules, want.Labels }); err != nil {
			return fmt.Errorf("role %s/%s: %w", role.Namespace, role.Name, err)
		}
		rb := &rbacv1.RoleBinding{
			ObjectMeta: metav1.ObjectMeta{Name: GraderRole, Namespace: role.Namespace, Labels: managedLabels()},
			RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "Role", Name: GraderRole},
			Subjects:   graderSubjects(),
		}
		rbs := rbac.RoleBindings(role.Namespace)
		if err := upsert(ctx, rb, rbs.Create, rbs.Update, func() (*rbacv1.RoleBinding, error) {
			return rbs.Get(ctx, rb.Name, metav1.GetOptions{})
		}, func(cur, want *rbacv1.RoleBinding) { cur.Subjects, cur.Labels = want.Subjects, want.Labels }); err != nil {
			return fmt.Errorf("rolebinding %s/%s: %w", rb.Namespace, rb.Name, err)
		}
	}
	return nil
}

// upsert creates want, or updates the existing object with set(cur, want).
func upsert[T any](ctx context.Context, want T,
	create func(context.Context, T, metav1.CreateOptions) (T, error),
	update func(context.Context, T, metav1.UpdateOptions) (T, error),
	get func() (T, error), set func(cur, want T)) error {
	_, err := create(ctx, want, metav1.CreateOptions{})
	if !apierrors.IsAlreadyExists(err) {
		return err
	}
	cur, err := get()
	if err != nil {
		return err
	}
	set(cur, want)
	_, err = update(ctx, cur, metav1.UpdateOptions{})
	return err
}

// GraderName checks a student's name and returns it as the name of the
// grader kubeconfig's context, cluster and user: NFC-normalised (a name
// typed on macOS arrives decomposed, NFD) and trimmed of surrounding
// spaces. Allowed are letters of any script (Hangul included), digits,
// '-', '_' and '.', starting with a letter or digit, at most 63
// characters; anything else (spaces, '/', "..", ':' …) is refused with a
// Korean error naming the allowed characters, never silently rewritten.
func GraderName(student string) (string, error) {
	s := norm.NFC.String(strings.TrimSpace(student))
	const rule = "글자(한글 포함), 숫자, '-', '_', '.' 만 쓸 수 있고 글자나 숫자로 시작해야 합니다 (63자까지, 예: --name 김민수, --name kim-minsu_2)"
	bad := func(why string) (string, error) {
		return "", fmt.Errorf("학생 이름 %q: 컨텍스트(context) 이름으로 쓸 수 없습니다 (%s): %s", student, why, rule)
	}
	if s == "" {
		return bad("비어 있음")
	}
	if n := len([]rune(s)); n > 63 {
		return bad(fmt.Sprintf("%d자", n))
	}
	for i, r := range s {
		ok := unicode.IsLetter(r) || unicode.IsDigit(r)
		if i == 0 && !ok {
			return bad(fmt.Sprintf("첫 글자 %q", r))
		}
		if !ok && r != '-' && r != '_' && r != '.' {
			return bad(fmt.Sprintf("쓸 수 없는 문자 %q", r))
		}
	}
	return s, nil
}

// GraderUser is the Kubernetes user name of a grader certificate.
func GraderUser(name string) string { return "dslab-grader:" + name }

// GraderKubeconfig is a read-only kubeconfig for grading one student.
type GraderKubeconfig struct {
	Name     string // context, cluster and user name (GraderName)
	User     string // Kubernetes user name
	Server   string
	NotAfter time.Time
	Data     []byte // the kubeconfig file (certificate and key embedded)
}

// NewGraderKubeconfig issues a grader client certificate with the CA in
// pki (valid from now for GraderValidity) and returns a kubeconfig for
// server with context, cluster and user all named name. The certificate
// is not stored anywhere else.
func NewGraderKubeconfig(pki PKI, name, server string, now time.Time) (GraderKubeconfig, error) {
	ca, caKey, err := pki.loadCA()
	if err != nil {
		return GraderKubeconfig{}, err
	}
	caPEM, err := os.ReadFile(pki.CACert())
	if err != nil {
		return GraderKubeconfig{}, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return GraderKubeconfig{}, err
	}
	g := GraderKubeconfig{Name: name, User: GraderUser(name), Server: server, NotAfter: now.Add(GraderValidity)}
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: g.User, Organization: []string{GraderGroup}},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     g.NotAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, key.Public(), caKey)
	if err != nil {
		return GraderKubeconfig{}, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return GraderKubeconfig{}, err
	}
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters[name] = &clientcmdapi.Cluster{Server: server, CertificateAuthorityData: caPEM}
	cfg.AuthInfos[name] = &clientcmdapi.AuthInfo{
		ClientCertificateData: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		ClientKeyData:         pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}),
	}
	cfg.Contexts[name] = &clientcmdapi.Context{Cluster: name, AuthInfo: name}
	cfg.CurrentContext = name
	if g.Data, err = clientcmd.Write(*cfg); err != nil {
		return GraderKubeconfig{}, err
	}
	return g, nil
}

// ErrNotExposed means the cluster has no address other machines reach.
var ErrNotExposed = errors.New("API 서버가 다른 컴퓨터에 공개되지 않았습니다(not exposed)")

// GraderKubeconfig sets up the grader's RBAC on running cluster name and
// returns a read-only kubeconfig for student (see GraderName). server is
// the API server URL the instructor uses; empty picks the first URL the
// cluster is exposed on, and ErrNotExposed (wrapped in *Error) when there
// is none.
func (r *Runtime) GraderKubeconfig(ctx context.Context, name, student, server string, exerciseIDs []string) (GraderKubeconfig, error) {
	gname, err := GraderName(student)
	if err != nil {
		return GraderKubeconfig{}, err
	}
	client, err := r.requireRunning(name)
	if err != nil {
		return GraderKubeconfig{}, err
	}
	if server == "" {
		x, err := r.Exposure(name)
		if err != nil {
			return GraderKubeconfig{}, &Error{Message: "API 서버 공개(--expose) 설정을 읽을 수 없습니다", Err: err}
		}
		if len(x.URLs) == 0 {
			return GraderKubeconfig{}, &Error{Message: "다른 컴퓨터가 닿을 API 서버 주소가 없습니다 (클러스터 " + name + ", 루프백에서만 응답). 먼저 dslab cluster up --expose 를 실행하세요 (또는 --server URL 로 주소를 직접 주세요)", Err: ErrNotExposed}
		}
		server = x.URLs[0]
	}
	if err := EnsureGraderRBAC(ctx, client, exerciseIDs); err != nil {
		return GraderKubeconfig{}, &Error{Message: "채점용 읽기 전용 권한(RBAC)을 만들 수 없습니다", Err: err}
	}
	g, err := NewGraderKubeconfig(r.Dir(name).PKI(), gname, server, time.Now())
	if err != nil {
		return GraderKubeconfig{}, &Error{Message: "채점용 인증서를 만들 수 없습니다", Err: err}
	}
	return g, nil
}
