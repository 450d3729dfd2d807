package lab

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/dslab-kr/dslab/internal/hangul"
)

// saveQuiet is how long a work file must be left alone after a write
// before it counts as saved (editors write in several steps: truncate,
// write, chmod, or a temporary file renamed over the old one).
const saveQuiet = 120 * time.Millisecond

// WorkWatcher reports every save of a work file (fsnotify on the work
// directory, so that editors that replace the file by renaming a new one
// over it are seen too).
type WorkWatcher struct {
	w     *fsnotify.Watcher
	saves chan string
	done  chan struct{}
	once  sync.Once
}

// WatchWorkDir starts watching dir (created if missing) for saved *.yaml
// files. Close stops it.
func WatchWorkDir(dir string) (*WorkWatcher, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("작업 디렉터리 %s %s 만들 수 없습니다: %w", dir, hangul.EulReul(dir), err)
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("작업 파일 감시(fsnotify)를 시작할 수 없습니다: %w", err)
	}
	if err := w.Add(dir); err != nil {
		w.Close()
		return nil, fmt.Errorf("작업 디렉터리 %s %s 감시할 수 없습니다: %w", dir, hangul.EulReul(dir), err)
	}
	ww := &WorkWatcher{w: w, saves: make(chan string, 16), done: make(chan struct{})}
	go ww.run()
	return ww, nil
}

// Saves delivers the path of each saved work file, once per save (a burst
// of writes within saveQuiet is one save). It is closed by Close.
func (ww *WorkWatcher) Saves() <-chan string { return ww.saves }

// Close stops watching.
func (ww *WorkWatcher) Close() error {
	var err error
	ww.once.Do(func() {
		close(ww.done)
		err = ww.w.Close()
	})
	return err
}

func (ww *WorkWatcher) run() {
	defer close(ww.saves)
	pending := map[string]time.Time{}
	tick := time.NewTicker(saveQuiet / 3)
	defer tick.Stop()
	for {
		select {
		case <-ww.done:
			return
		case ev, ok := <-ww.w.Events:
			if !ok {
				return
			}
			if !strings.HasSuffix(ev.Name, ".yaml") || !ev.Has(fsnotify.Write|fsnotify.Create|fsnotify.Rename|fsnotify.Chmod) {
				continue
			}
			pending[filepath.Clean(ev.Name)] = time.Now()
		case _, ok := <-ww.w.Errors:
			if !ok {
				return
			}
		case now := <-tick.C:
			for name, at := range pending {
				if now.Sub(at) < saveQuiet {
					continue
				}
				delete(pending, name)
				if _, err := os.Stat(name); err != nil {
					continue // renamed away or deleted: not a save
				}
				select {
				case ww.saves <- name:
				case <-ww.done:
					return
				}
			}
		}
	}
}
