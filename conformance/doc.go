// Package conformance runs Kubernetes' own end-to-end tests (k8s.io/kubernetes
// test/e2e, built at the product's Kubernetes version, v1.37.2) against a
// fresh dslab embedded cluster: a standing fidelity gate for the simulated
// kubelets. See README.md in this directory.
//
// It is its own module (github.com/dslab-kr/dslab/conformance) so the
// product's go.mod stays free of the e2e framework's dependencies. It cannot
// import the product's internal packages; it drives the built dslab binary
// named by $DSLAB_BIN instead.
package conformance
