package dns

import (
	"fmt"
	"strings"
)

// ValidateDomainName checks that name is a fully qualified DNS name as Route 53 and ACM
// accept it: lowercase labels of letters, digits and hyphens (1-63 characters each, not
// starting or ending with a hyphen), at least two labels, at most 253 characters, no
// trailing dot. When wildcard is true the first label may be "*". field names the argument
// in the error ("DomainName", "Aliases[1]").
func ValidateDomainName(field, name string, wildcard bool) error {
	const want = "want a lowercase DNS name like app.example.com"
	if name == "" {
		return fmt.Errorf("%s is required: %s", field, want)
	}
	if len(name) > 253 {
		return fmt.Errorf("%s %q is not allowed: %d characters, want at most 253", field, name, len(name))
	}
	labels := strings.Split(name, ".")
	if len(labels) < 2 {
		return fmt.Errorf("%s %q is not allowed: %s", field, name, want)
	}
	for i, l := range labels {
		if i == 0 && l == "*" {
			if !wildcard {
				return fmt.Errorf("%s %q is not allowed: wildcards are not allowed here, %s", field, name, want)
			}
			continue
		}
		if !validLabel(l) {
			return fmt.Errorf("%s %q is not allowed: label %q must be 1-63 lowercase letters, digits or hyphens, not starting or ending with a hyphen (%s)", field, name, l, want)
		}
	}
	return nil
}

func validLabel(l string) bool {
	if len(l) == 0 || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for _, c := range l {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// validationKey is the name whose DNS validation record covers domain: ACM asks for the
// same record for "*.example.com" and "example.com", so both share the key "example.com".
func validationKey(domain string) string { return strings.TrimPrefix(domain, "*.") }
