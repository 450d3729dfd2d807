package lab

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes/scheme"

	"github.com/dslab-kr/dslab/internal/hangul"
)

// The API server's words for a value of the wrong JSON type: on create
// the decoder's ("json: cannot unmarshal string into Go struct field
// ObjectMeta.spec.template.metadata.labels of type map[string]string"),
// on a patch the converter's ("cannot restore map from string"), which
// names no field: the field is then found by walking the patch kubectl
// printed against the object's Go type.
var (
	unmarshalTypeRE = regexp.MustCompile(`cannot unmarshal (\w+) into Go (?:struct field ([\w.]+)|value) of type ([\w.\[\]*]+)`)
	restoreTypeRE   = regexp.MustCompile(`cannot restore (\w+) from (\w+)`)
	gvkRE           = regexp.MustCompile(`GroupVersionKind: "([^"]*), Kind=([^"]*)"`)
	unsupportedRE   = regexp.MustCompile(`([\w.\[\]-]+): Unsupported value: "([^"]*)": supported values: ((?:"[^"]*"(?:, )?)+)`)
)

// typeErrorCause is the Korean cause of a wrong-type value in msg ("" when
// msg is not one): which field, what it must be, what it got, and how to
// write it in YAML.
func typeErrorCause(msg string) string {
	if m := unmarshalTypeRE.FindStringSubmatch(msg); m != nil {
		path := m[2]
		if i := strings.Index(path, "."); i >= 0 {
			path = path[i+1:] // drop the Go type name ("ObjectMeta.")
		}
		return typeMismatchText(path, goKind(m[3]), jsonKind(m[1]))
	}
	m := restoreTypeRE.FindStringSubmatch(msg)
	if m == nil {
		return ""
	}
	want, got := restoreKind(m[1]), restoreKind(m[2])
	if path, w, g := mismatchInPatch(msg); path != "" {
		return typeMismatchText(path, w, g)
	}
	return typeMismatchText("", want, got)
}

// Value kinds as the learner reads them.
const (
	kindMap    = "맵(map)"
	kindList   = "목록(list)"
	kindString = "문자열(string)"
	kindNumber = "숫자(number)"
	kindBool   = "참/거짓(boolean)"
)

func typeMismatchText(path, want, got string) string {
	field := "어떤 필드"
	if path != "" {
		field = path
	}
	s := fmt.Sprintf("%s 값은 종류(type)가 틀려 거부했습니다: %s 와야 하는데 %s 왔습니다",
		field, particle(want, "이"), particle(got, "이"))
	switch want {
	case kindMap:
		s += " — 맵은 다음 줄부터 한 단계 더 들여써 한 줄에 하나씩 키: 값 형식으로 씁니다 (예: labels: 다음 줄에 app: node-exporter). key=value 는 kubectl 명령줄의 형식입니다"
	case kindList:
		s += " — 목록은 항목마다 - 로 시작합니다 (예: containers: 다음 줄에 - name: agent)"
	case kindString:
		s += " — 값만 한 줄에 씁니다 (true, 80 처럼 다른 종류로 읽히는 값은 따옴표로 감쌉니다)"
	}
	return s
}

func jsonKind(k string) string {
	switch k {
	case "object":
		return kindMap
	case "array":
		return kindList
	case "string":
		return kindString
	case "number":
		return kindNumber
	case "bool":
		return kindBool
	}
	return k
}

func restoreKind(k string) string {
	switch k {
	case "map", "struct":
		return kindMap
	case "slice", "array":
		return kindList
	case "string":
		return kindString
	case "bool":
		return kindBool
	case "int", "int32", "int64", "float64", "number":
		return kindNumber
	}
	return k
}

// goKind is the learner's word for a Go type as the decoder prints it
// ("map[string]string", "[]v1.Container", "int32", "v1.PodSpec").
func goKind(t string) string {
	t = strings.TrimLeft(t, "*")
	switch {
	case strings.HasPrefix(t, "map["):
		return kindMap
	case strings.HasPrefix(t, "[]"):
		return kindList
	case t == "string":
		return kindString
	case t == "bool":
		return kindBool
	case strings.HasPrefix(t, "int"), strings.HasPrefix(t, "uint"), strings.HasPrefix(t, "float"):
		return kindNumber
	case strings.Contains(t, "."):
		return kindMap // a struct: a mapping of fields
	}
	return t
}

// mismatchInPatch finds, in the patch kubectl printed before a refused
// patch ("error when applying patch:\n{…}\nto:\n…GroupVersionKind: …"),
// the first field whose value has the wrong kind for the object's Go type.
func mismatchInPatch(msg string) (path, want, got string) {
	_, rest, ok := strings.Cut(msg, "error when applying patch:\n")
	if !ok {
		return "", "", ""
	}
	patchText, _, ok := strings.Cut(rest, "\nto:\n")
	if !ok {
		return "", "", ""
	}
	m := gvkRE.FindStringSubmatch(msg)
	if m == nil {
		return "", "", ""
	}
	gv, err := schema.ParseGroupVersion(m[1])
	if err != nil {
		return "", "", ""
	}
	obj, err := scheme.Scheme.New(gv.WithKind(m[2]))
	if err != nil {
		return "", "", ""
	}
	var patch any
	if json.Unmarshal([]byte(patchText), &patch) != nil {
		return "", "", ""
	}
	return firstMismatch(patch, reflect.TypeOf(obj).Elem(), "")
}

var jsonUnmarshaler = reflect.TypeOf((*json.Unmarshaler)(nil)).Elem()

// firstMismatch walks v (decoded JSON) against Go type t and returns the
// path of the first value of the wrong kind.
func firstMismatch(v any, t reflect.Type, path string) (string, string, string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if v == nil || reflect.PointerTo(t).Implements(jsonUnmarshaler) {
		return "", "", "" // IntOrString, Quantity, Time: their own decoding
	}
	got := valueKind(v)
	join := func(k string) string {
		if path == "" {
			return k
		}
		return path + "." + k
	}
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			return path, kindMap, got
		}
		fields := structFields(t)
		for _, k := range sortedKeys(obj) {
			if f, ok := fields[k]; ok {
				if p, w, g := firstMismatch(obj[k], f, join(k)); p != "" {
					return p, w, g
				}
			}
		}
	case reflect.Map:
		obj, ok := v.(map[string]any)
		if !ok {
			return path, kindMap, got
		}
		for _, k := range sortedKeys(obj) {
			if p, w, g := firstMismatch(obj[k], t.Elem(), join(k)); p != "" {
				return p, w, g
			}
		}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return "", "", "" // []byte: base64 text
		}
		list, ok := v.([]any)
		if !ok {
			return path, kindList, got
		}
		for i, e := range list {
			if p, w, g := firstMismatch(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p, w, g
			}
		}
	case reflect.String:
		if got != kindString {
			return path, kindString, got
		}
	case reflect.Bool:
		if got != kindBool {
			return path, kindBool, got
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		if got != kindNumber {
			return path, kindNumber, got
		}
	}
	return "", "", ""
}

func valueKind(v any) string {
	switch v.(type) {
	case map[string]any:
		return kindMap
	case []any:
		return kindList
	case string:
		return kindString
	case bool:
		return kindBool
	case float64:
		return kindNumber
	}
	return fmt.Sprintf("%T", v)
}

// structFields maps the JSON names of t's fields (inline ones flattened)
// to their types.
func structFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" && (f.Anonymous || strings.Contains(opts, "inline")) {
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for k, v := range structFields(ft) {
					out[k] = v
				}
			}
			continue
		}
		if name != "" {
			out[name] = f.Type
		}
	}
	return out
}

func sortedKeys(m map[string]any) []string {
	var keys []string
	for k := range m {
		if !strings.HasPrefix(k, "$") { // strategic merge directives
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// unsupportedValueCause is the Korean cause of an enum value the API
// server does not support ("spec.template.spec.tolerations[0].effect:
// Unsupported value: "Noschedule": supported values: "NoSchedule", …"):
// the allowed values, and the one meant when only the case differs.
func unsupportedValueCause(msg string) string {
	m := unsupportedRE.FindStringSubmatch(msg)
	if m == nil {
		return ""
	}
	var allowed []string
	for _, v := range strings.Split(m[3], ", ") {
		allowed = append(allowed, strings.Trim(v, `"`))
	}
	value := m[2]
	s := fmt.Sprintf("%s 값 %s 쓸 수 없어 거부했습니다: %s 중 하나여야 합니다 (대소문자를 구분합니다)",
		m[1], particle(value, "은"), strings.Join(allowed, ", "))
	for _, a := range allowed {
		if a != value && strings.EqualFold(a, value) {
			s += fmt.Sprintf(" — %s 고치세요", particle(a, "로"))
			break
		}
	}
	return s
}

// particle is word, a space and the form of p that follows it.
func particle(word, p string) string { return word + " " + hangul.After(word, p) }
