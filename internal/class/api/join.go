package api

import "strings"

// JoinCommand is the `dslab class join` line a student types from the
// projector, for the class server at serverURL (http://host:port) and the
// 6-digit join code (이름 and 학번 are placeholders the student replaces):
// "dslab class join 192.168.100.123:7071 --code 482913 --name 이름 --id 학번".
// It is short enough that, indented by two, it fits an 80-column terminal
// for any IPv4 address and port (76 cells at most; issue 12: with
// "http://" and --student-id it was 90 and wrapped mid-word). The serve
// banner, the join page, install.sh and the PowerShell line print it.
// `dslab class join` still takes a full URL and --student-id.
func JoinCommand(serverURL, code string) string {
	return "dslab class join " + JoinAddress(serverURL) + " --code " + code + " --name 이름 --id 학번"
}

// JoinAddress is serverURL as `dslab class join` takes it most briefly:
// host:port without "http://" (join adds it back; https stays written).
func JoinAddress(serverURL string) string {
	u := strings.TrimRight(serverURL, "/")
	if rest, ok := strings.CutPrefix(u, "http://"); ok {
		return rest
	}
	return u
}
