package server_test

import (
	"strings"
	"testing"

	"github.com/dslab-kr/dslab/internal/class/api"
	"github.com/dslab-kr/dslab/internal/class/server"
)

// TestInstallLineWithoutArgumentsSaysHowToJoin (issue 12, instructor
// trial on 63d375f): the install line with no arguments (`curl
// …/install.sh | sh -s --`) installed and said nothing about joining. It
// ends with the join command as the next step, this server's address
// filled in and placeholders for the rest. Run against the server on
// loopback in a clean HOME.
func TestInstallLineWithoutArgumentsSaysHowToJoin(t *testing.T) {
	f := installFixture(t)
	for _, line := range []string{server.InstallLine(f.srv.URL, ""), server.InstallLine(f.srv.URL, "") + " -s --"} {
		out, err := runInstallLine(t.TempDir(), line)
		if err != nil || !strings.Contains(out, "설치했습니다") {
			t.Fatalf("%s: %v\n%s", line, err, out)
		}
		want := "dslab class join " + api.JoinAddress(f.srv.URL) + " --code 참가코드 --name 이름 --id 학번"
		if !strings.Contains(out, "다음 단계") || !strings.Contains(out, want) {
			t.Errorf("%s: no join command as the next step (want %q):\n%s", line, want, out)
		}
		if strings.Contains(out, "dslab class join "+f.srv.URL) {
			t.Errorf("the install ran a join without a code:\n%s", out)
		}
	}
}
