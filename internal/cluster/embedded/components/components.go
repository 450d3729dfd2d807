// Package components wraps the real Kubernetes control-plane commands so the
// dslab binary can re-exec itself as each of them (`dslab __component NAME`).
// They must run one per process: component-base keeps global logging state.
package components

import (
	"fmt"
	"sort"

	"github.com/spf13/cobra"
	apiserver "k8s.io/kubernetes/cmd/kube-apiserver/app"
	controllermanager "k8s.io/kubernetes/cmd/kube-controller-manager/app"
	scheduler "k8s.io/kubernetes/cmd/kube-scheduler/app"
)

func constructors() map[string]func() *cobra.Command {
	return map[string]func() *cobra.Command{
		"kube-apiserver":          apiserver.NewAPIServerCommand,
		"kube-controller-manager": controllermanager.NewControllerManagerCommand,
		"kube-scheduler":          func() *cobra.Command { return scheduler.NewSchedulerCommand() },
	}
}

// Names lists the components.
func Names() []string {
	var names []string
	for n := range constructors() {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Command returns the cobra command of a component, ready for SetArgs.
func Command(name string) (*cobra.Command, error) {
	c, ok := constructors()[name]
	if !ok {
		return nil, fmt.Errorf("unknown component %q (known: %v)", name, Names())
	}
	return c(), nil
}
