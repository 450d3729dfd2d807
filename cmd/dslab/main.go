// Command dslab is a terminal lab that teaches Kubernetes DaemonSets in Korean.
package main

import (
	"os"

	"github.com/dslab-kr/dslab/internal/app"
)

func main() {
	os.Exit(app.Main())
}
