package embedded

import "errors"

// windowsUnsupportedMessage is the Korean refusal of the embedded runtime on
// Windows (see WindowsUnsupported).
const windowsUnsupportedMessage = "Windows 에서는 embedded 런타임(runtime)을 쓸 수 없습니다: " +
	"컨트롤 플레인 프로세스를 관리하려면 유닉스 프로세스 제어(Unix process control: 세션, 시그널, flock)가 필요합니다. " +
	"WSL2 안에서 Linux 용 dslab 을 실행하거나(권장), Docker Desktop 과 함께 kind 런타임(dslab cluster up --runtime kind)을 쓰세요"

// WindowsUnsupported is the error Runtime.Up returns on Windows: an *Error
// whose Korean Message names WSL2 and the kind runtime, wrapping
// errors.ErrUnsupported. It is exported (and built on every platform) so
// the message can be tested without a Windows build.
func WindowsUnsupported() error {
	return &Error{Message: windowsUnsupportedMessage, Err: errors.ErrUnsupported}
}
