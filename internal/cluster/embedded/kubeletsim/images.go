package kubeletsim

import (
	"fmt"
	"sort"
	"strings"

	"github.com/distribution/reference"
)

// ImageVerdict is what the simulated registry says about one image
// reference.
type ImageVerdict int

const (
	// ImageKnown: the lab knows the repository and the tag exists. Known
	// images are present on every simulated node from the start, as the
	// offline kit's images are on kind nodes after `dslab images load`.
	ImageKnown ImageVerdict = iota
	// ImageSimulated: outside the lab's knowledge (another registry, an
	// untracked tag of an existing repository, a digest). The pull is
	// simulated as successful and a Normal event says so.
	ImageSimulated
	// ImageNoRepository: docker.io/library/<name> that is not a Docker
	// Official Image. A real pull fails with "pull access denied,
	// repository does not exist or may require authorization".
	ImageNoRepository
	// ImageNoTag: a tag the lab knows does not exist in a repository whose
	// tags it tracks. A real pull fails with "…: not found" (gRPC NotFound).
	ImageNoTag
)

func (v ImageVerdict) String() string {
	switch v {
	case ImageKnown:
		return "known"
	case ImageSimulated:
		return "simulated"
	case ImageNoRepository:
		return "no-repository"
	case ImageNoTag:
		return "no-tag"
	}
	return fmt.Sprintf("ImageVerdict(%d)", int(v))
}

// Rejected reports whether a real node would fail to pull the image.
func (v ImageVerdict) Rejected() bool { return v == ImageNoRepository || v == ImageNoTag }

// ImageKnowledge is the simulated registry: which repositories exist and,
// for some, which tags. It is read-only after NewImageKnowledge.
//
// The knowledge is (see docs/embedded-images.md):
//   - trackedRepositories: every image a lesson, exercise, solution, starter
//     or test of this repository uses, and the offline kit's images
//     (`dslab images list`: the kind node image and exercises.Images), each
//     with the real tags of its registry that the lab relies on. A tag not
//     listed there is rejected as not found, like busybox:1.99.
//   - dockerOfficialImages: the Docker Official Images
//     (https://github.com/docker-library/official-images, library/), so an
//     unknown docker.io/library/<name> is rejected as "pull access denied".
//     Their tags are not tracked (any tag is simulated) unless listed above.
//   - everything else (other registries, other Docker Hub namespaces) is
//     simulated as present.
type ImageKnowledge struct {
	// repos maps a normalised repository name (docker.io/library/busybox)
	// to its known tags; a nil set means the tags are not tracked.
	repos map[string]map[string]bool
}

// trackedRepositories lists repositories with the tags the lab knows to
// exist (checked against each registry's tag list, 2026-11).
func trackedRepositories() map[string][]string {
	return map[string][]string{
		// Lessons (busybox:1.36, set image busybox:1.37), exercises
		// (docker.io/library/busybox:1.37.0).
		"docker.io/library/busybox": {"1.35", "1.35.0", "1.36", "1.36.0", "1.36.1", "1.37", "1.37.0",
			"latest", "stable", "musl", "glibc", "uclibc"},
		// Kubelet simulator tests.
		"docker.io/library/nginx": {"1.25", "1.26", "1.27", "1.28", "1.29", "stable", "mainline", "latest", "alpine"},
		// monitoring-agent, rolling-update, on-delete, bad-image-rollback.
		"quay.io/prometheus/node-exporter": {"v1.6.1", "v1.7.0", "v1.8.0", "v1.8.1", "v1.8.2", "v1.9.0", "v1.9.1",
			"v1.10.0", "v1.10.2", "latest", "master"},
		// ds-basics, control-plane and the kubernetes.io DaemonSet example.
		"quay.io/fluentd_elasticsearch/fluentd": {"v2.5.2", "v2.6.0", "v2.7.0", "v2.8.0", "v3.0.0", "v3.1.0", "v3.2.0",
			"v3.3.0", "v3.4.0"},
		// The pause image of the kind integration and lab apply tests; 3.10.2
		// is the upstream e2e's pause (conformance/).
		"registry.k8s.io/pause": {"3.6", "3.7", "3.8", "3.9", "3.10", "3.10.1", "3.10.2"},
		// The upstream e2e images the conformance/ module's specs pull, with
		// the tags of k8s.io/kubernetes v1.37.2 test/utils/image/manifest.go
		// (agnhost 2.66.1, its previous 2.55, busybox, nginx and the new
		// nginx) plus httpd's last two tags (2.4.38-4, 2.4.39-4) that older
		// e2e manifests used.
		"registry.k8s.io/e2e-test-images/agnhost": {"2.55", "2.66.1"},
		"registry.k8s.io/e2e-test-images/busybox": {"1.37.0-2"},
		"registry.k8s.io/e2e-test-images/nginx":   {"1.27.0-2", "1.28.0-2"},
		"registry.k8s.io/e2e-test-images/httpd":   {"2.4.38-4", "2.4.39-4"},
		// The offline kit's kind node image (kind.DefaultNodeImage).
		"docker.io/kindest/node": {"v1.37.0"},
	}
}

// dockerOfficialImages are the repositories of the Docker Official Images
// program (docker.io/library/<name>), from docker-library/official-images
// library/ (2026-11).
func dockerOfficialImages() []string {
	return []string{
		"adminer", "aerospike", "almalinux", "alpine", "alt", "amazoncorretto", "amazonlinux", "api-firewall",
		"arangodb", "archlinux", "backdrop", "bash", "bonita", "buildpack-deps", "busybox", "caddy",
		"cassandra", "chronograf", "cirros", "clearlinux", "clickhouse", "clojure", "composer", "convertigo",
		"couchbase", "couchdb", "crate", "dart", "debian", "docker", "drupal", "eclipse-mosquitto",
		"eclipse-temurin", "eggdrop", "elasticsearch", "elixir", "emqx", "erlang", "fedora", "flink",
		"fluentd", "friendica", "gazebo", "gcc", "geonetwork", "ghost", "golang", "gradle", "groovy",
		"haproxy", "haskell", "haxe", "hello-world", "hitch", "httpd", "hylang", "ibm-semeru-runtimes",
		"ibmjava", "influxdb", "irssi", "jetty", "joomla", "jruby", "julia", "kapacitor", "kibana", "kong",
		"krakend", "lightstreamer", "liquibase", "logstash", "mageia", "mariadb", "matomo", "maven",
		"memcached", "mongo", "mongo-express", "monica", "mono", "mysql", "nats", "neo4j", "neurodebian",
		"nextcloud", "nginx", "node", "notary", "odoo", "open-liberty", "openjdk", "oraclelinux", "orientdb",
		"percona", "perl", "photon", "php", "php-zendserver", "phpmyadmin", "plone", "postfixadmin",
		"postgres", "pypy", "python", "r-base", "rabbitmq", "rakudo-star", "redis", "redmine", "registry",
		"rethinkdb", "rocket.chat", "rockylinux", "ruby", "rust", "sapmachine", "satosa", "silverpeas",
		"solr", "sonarqube", "spark", "spiped", "storm", "swift", "swipl", "teamspeak", "telegraf", "tomcat",
		"tomee", "traefik", "ubuntu", "unit", "varnish", "websphere-liberty", "wordpress", "xwiki", "yourls",
		"znc", "zookeeper",
	}
}

// NewImageKnowledge returns the lab's image knowledge (see ImageKnowledge).
func NewImageKnowledge() *ImageKnowledge {
	k := &ImageKnowledge{repos: map[string]map[string]bool{}}
	for _, name := range dockerOfficialImages() {
		k.repos["docker.io/library/"+name] = nil
	}
	for repo, tags := range trackedRepositories() {
		set := make(map[string]bool, len(tags))
		for _, t := range tags {
			set[t] = true
		}
		k.repos[repo] = set
	}
	return k
}

// Lookup classifies image (as written in a pod spec: "busybox:1.36",
// "quay.io/prometheus/node-exporter:v1.8.2"). ref is the fully qualified
// reference a container runtime resolves ("docker.io/library/busybox:1.36";
// the default tag is "latest"). An unparseable image is the kubelet's
// InvalidImageName, handled before any lookup: Lookup returns an error.
func (k *ImageKnowledge) Lookup(image string) (verdict ImageVerdict, ref string, err error) {
	if image == "" {
		return 0, "", reference.ErrNameEmpty
	}
	named, err := reference.ParseNormalizedNamed(image)
	if err != nil {
		return 0, "", err
	}
	named = reference.TagNameOnly(named)
	ref = named.String()
	repo := named.Name()
	tags, known := k.repos[repo]
	if !known {
		if strings.HasPrefix(repo, "docker.io/library/") {
			return ImageNoRepository, ref, nil
		}
		return ImageSimulated, ref, nil
	}
	tagged, isTagged := named.(reference.Tagged)
	if _, digested := named.(reference.Digested); digested || tags == nil || !isTagged {
		return ImageSimulated, ref, nil
	}
	if tags[tagged.Tag()] {
		return ImageKnown, ref, nil
	}
	return ImageNoTag, ref, nil
}

// Repositories lists the known repositories with their tracked tags
// ("docker.io/library/busybox: 1.36 1.37 …"; untracked: "…: *"), sorted;
// for docs and tests.
func (k *ImageKnowledge) Repositories() []string {
	out := make([]string, 0, len(k.repos))
	for repo, tags := range k.repos {
		if tags == nil {
			out = append(out, repo+": *")
			continue
		}
		list := make([]string, 0, len(tags))
		for t := range tags {
			list = append(list, t)
		}
		sort.Strings(list)
		out = append(out, repo+": "+strings.Join(list, " "))
	}
	sort.Strings(out)
	return out
}

// pullError is the error text containerd's CRI returns for a rejected
// image, as the kubelet prints it after "Failed to pull image %q: ".
// Sources: containerd internal/cri/server/images/image_pull.go ("failed to
// pull and unpack image %q: %w"), client/pull.go ("failed to resolve
// reference %q: %w"), core/remotes/docker/resolver.go ("%s: not found",
// errdefs.ErrNotFound → gRPC NotFound) and authorizer.go (Docker Hub's 401
// for a missing repository: "pull access denied, repository does not exist
// or may require authorization: server message: insufficient_scope:
// authorization failed", gRPC Unknown). k8s.io/cri-client
// pkg/remote_image.go strips the "rpc error: code = Unknown desc = "
// prefix of Unknown errors only, so NotFound keeps its prefix.
func pullError(verdict ImageVerdict, ref string) string {
	switch verdict {
	case ImageNoRepository:
		return fmt.Sprintf("failed to pull and unpack image %q: failed to resolve reference %q: "+
			"pull access denied, repository does not exist or may require authorization: "+
			"server message: insufficient_scope: authorization failed", ref, ref)
	case ImageNoTag:
		return fmt.Sprintf("rpc error: code = NotFound desc = failed to pull and unpack image %q: "+
			"failed to resolve reference %q: %s: not found", ref, ref, ref)
	}
	return ""
}
