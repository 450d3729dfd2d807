package lab

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

// TestProbeAPIServer: the probe tells an API server that began to shut
// down (its /readyz/shutdown check fails, as kube-apiserver's does from
// SIGTERM on) and one that is gone from one that is alive, or that lacks
// or restricts the check.
func TestProbeAPIServer(t *testing.T) {
	for _, tc := range []struct {
		name string
		code int
		want error
	}{
		{"alive", http.StatusOK, nil},
		{"shutting down", http.StatusInternalServerError, errShuttingDown},
		{"no such check", http.StatusNotFound, nil},
		{"restricted", http.StatusForbidden, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var path string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				path = r.URL.Path
				w.WriteHeader(tc.code)
				_, _ = w.Write([]byte("[-]shutdown failed: reason withheld\n"))
			}))
			defer srv.Close()
			client, err := kubernetes.NewForConfig(&rest.Config{Host: srv.URL})
			if err != nil {
				t.Fatal(err)
			}
			err = probeAPIServer(context.Background(), client)
			if !errors.Is(err, tc.want) || (tc.want == nil && err != nil) {
				t.Errorf("probe = %v, want %v", err, tc.want)
			}
			if path != "/readyz/shutdown" {
				t.Errorf("probe asked %q", path)
			}
		})
	}
	t.Run("gone", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		url := srv.URL
		srv.Close()
		client, err := kubernetes.NewForConfig(&rest.Config{Host: url})
		if err != nil {
			t.Fatal(err)
		}
		if err := probeAPIServer(context.Background(), client); err == nil || errors.Is(err, errShuttingDown) {
			t.Errorf("probe of a closed server = %v, want a transport error", err)
		}
	})
}
