package app

import (
	"github.com/dslab-kr/dslab/internal/cluster"
)

// upRuntime picks the runtime for `cluster up --runtime want`.
// TODO(kind): auto/kind selection with fallback (issue 4).
func upRuntime(env Env, want, image string, progress cluster.Progress) (cluster.Runtime, error) {
	switch want {
	case cluster.RuntimeKind:
		return nil, &ExitError{Code: ExitFailure, Err: errKindNotYet}
	case cluster.RuntimeAuto:
		progress("런타임 자동 선택: embedded")
	}
	return embeddedRuntime(env), nil
}

// existingRuntime returns the runtime a cluster lives on.
func existingRuntime(env Env, name string) cluster.Runtime {
	return embeddedRuntime(env)
}

var errKindNotYet = errorString("kind 런타임은 아직 준비되지 않았습니다. --runtime embedded 를 쓰세요")

type errorString string

func (e errorString) Error() string { return string(e) }
