package app

// ServeLockFile, in the class data dir, is held (flock, exclusive) by the
// one `dslab class serve` using that dir on Unix; it holds that process's
// pid (class_lock_unix.go). Off Unix there is no lock (class_lock_other.go).
const ServeLockFile = "serve.lock"
