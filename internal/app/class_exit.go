package app

// Exit codes of the instructor's class commands (approve, regrade, remove,
// send, board, export, watch): one mapping for every one of them (issue 12: approve
// and send answered the same failure with different codes), documented in
// docs/class.md "강사 명령의 종료 코드" and held by TestInstructorExitCodes.
//
//	0  done
//	1  refused or not found: the server (or the class database) answered
//	   no — an unknown 학번, a wrong instructor token (401/403), a bad
//	   command (400), a server error
//	2  usage: bad arguments or flags, an unreadable token file, a malformed
//	   --server address, no class in --data (nothing was asked)
//	3  the class server could not be reached (not running, wrong address)

// ExitUnreachable is the exit code of an instructor command whose class
// server did not answer.
const ExitUnreachable = 3
