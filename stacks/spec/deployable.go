package spec

import (
	"fmt"
	"strings"
)

// ReservedDomainSuffixes are the names no one can register or delegate: the example
// domains of RFC 2606 section 3 (example.com, example.net, example.org) and the special-use
// top-level domains of RFC 2606 section 2 and RFC 6761 section 6 (.test, .example, .invalid,
// .localhost). Route 53 refuses to create public hosted zones for them ("CreateHostedZone":
// InvalidDomainName for reserved names), ACM cannot validate them, and Azure DNS and Cloud
// DNS zones for them can never be delegated to.
var ReservedDomainSuffixes = []string{
	"example.com", "example.net", "example.org",
	"test", "example", "invalid", "localhost",
}

// ReservedDomain reports whether name is one of ReservedDomainSuffixes or a subdomain of one.
func ReservedDomain(name string) bool {
	name = strings.TrimSuffix(strings.ToLower(name), ".")
	for _, r := range ReservedDomainSuffixes {
		if name == r || strings.HasSuffix(name, "."+r) {
			return true
		}
	}
	return false
}

// CheckDeployable refuses, for a deployment (not a preview: dryRun false), what a preview may
// keep but a cloud would refuse: a reserved or placeholder domain. It runs before any resource
// is registered; a preview (dryRun true) passes, so the sample stack file previews offline.
func CheckDeployable(s *Spec, dryRun bool) error {
	if dryRun {
		return nil
	}
	if s.Domain.Name != "" && ReservedDomain(s.Domain.Name) {
		return &ConfigError{Problems: []string{fmt.Sprintf(
			"%s:domain.name: %q is a reserved example domain (RFC 2606/6761: example.com/.net/.org, .test, .example, .invalid, .localhost) that no cloud can serve: "+
				"set scalestack:domain.name to a domain you own (pulumi config set --path scalestack:domain.name app.yourcompany.com), "+
				"or remove it for a dev stack without a domain. Previews keep working with the sample domain.",
			Namespace, s.Domain.Name)}}
	}
	return nil
}
