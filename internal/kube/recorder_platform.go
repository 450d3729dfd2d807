package kube

import (
	"errors"
	"fmt"
)

// recorderWindowsMessage is the Korean refusal of the background rollout
// recorder on Windows (see RecorderWindowsUnsupported).
const recorderWindowsMessage = "Windows 에서는 롤아웃 기록기(rollout recorder)를 백그라운드로 실행할 수 없습니다: " +
	"유닉스 프로세스 제어(Unix process control: 세션, 시그널)가 필요합니다. " +
	"롤아웃을 관측하는 이 연습은 WSL2 안에서 Linux 용 dslab 으로 진행하세요. " +
	"다른 연습은 Windows 에서도 kind 런타임(dslab cluster up --runtime kind)이나 --kubeconfig 로 지정한 클러스터로 할 수 있습니다"

// RecorderWindowsUnsupported is the error SpawnRecorder returns on Windows:
// the Korean message names WSL2 and kind and wraps errors.ErrUnsupported. It
// is exported (and built on every platform) so the message can be tested
// without a Windows build.
func RecorderWindowsUnsupported() error {
	return fmt.Errorf("%s: %w", recorderWindowsMessage, errors.ErrUnsupported)
}
