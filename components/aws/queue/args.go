package queue

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Defaults applied by Args.withDefaults. They are part of the documented contract.
const (
	DefaultMaxReceiveCount          = 5
	DefaultRetentionDays            = 4
	DefaultVisibilityTimeoutSeconds = 120
	DefaultReceiveWaitSeconds       = 20
	DefaultOldestMessageAgeSeconds  = 900
)

// Limits SQS sets.
const (
	// MaxRetentionDays is SQS's longest message retention (1209600 seconds). The dead-letter
	// queue always keeps messages this long.
	MaxRetentionDays = 14
	// MaxVisibilityTimeoutSeconds is SQS's longest visibility timeout (12 hours).
	MaxVisibilityTimeoutSeconds = 43200
	// MaxMaxReceiveCount is the largest maxReceiveCount a redrive policy accepts.
	MaxMaxReceiveCount = 1000
	// maxNameLength keeps "<name>-dlq-<7 random characters>" within SQS's 80 characters.
	maxNameLength = 60
)

const secondsPerDay = 86400

// Args configures a Queue. Zero values mean the documented default.
type Args struct {
	// MaxReceiveCount is how many times a message is received (and not deleted) before it
	// moves to the dead-letter queue. Default: 5. Allowed: 1-1000.
	MaxReceiveCount int
	// RetentionDays keeps an unprocessed message in the queue. Default: 4. Allowed: 1-13: the
	// dead-letter queue keeps messages 14 days, SQS's maximum, and must keep them longer than
	// the queue (a message's age counts from its first enqueue).
	RetentionDays int
	// VisibilityTimeoutSeconds hides a received message from other workers while one works on
	// it; set it above the longest processing time. Default: 120. Allowed: 0-43200.
	VisibilityTimeoutSeconds int
	// ReceiveWaitSeconds is the long-polling wait of a receive. Default: 20. Allowed: 1-20.
	ReceiveWaitSeconds int
	// OldestMessageAgeSeconds raises the backlog alarm when the oldest message has waited
	// this long for 5 minutes. Default: 900. Allowed: 60 up to the retention.
	OldestMessageAgeSeconds int
	// AlarmTopicARN receives the alarms and their recovery (the monitoring component's
	// topic). Default: nil (the alarms exist, with no action).
	AlarmTopicARN pulumi.StringInput
	// Tags are added to every child that takes tags (over the provider's default tags).
	Tags map[string]string
}

var nameRE = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// withDefaults returns a copy of a with every zero value replaced by its documented default.
func (a Args) withDefaults() Args {
	if a.MaxReceiveCount == 0 {
		a.MaxReceiveCount = DefaultMaxReceiveCount
	}
	if a.RetentionDays == 0 {
		a.RetentionDays = DefaultRetentionDays
	}
	if a.VisibilityTimeoutSeconds == 0 {
		a.VisibilityTimeoutSeconds = DefaultVisibilityTimeoutSeconds
	}
	if a.ReceiveWaitSeconds == 0 {
		a.ReceiveWaitSeconds = DefaultReceiveWaitSeconds
	}
	if a.OldestMessageAgeSeconds == 0 {
		a.OldestMessageAgeSeconds = DefaultOldestMessageAgeSeconds
	}
	return a
}

// validate checks a component name and defaulted arguments, reporting every problem at once.
func validate(name string, a Args) error {
	var p []string
	bad := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }

	// SQS: a queue name has 1-80 letters, digits, hyphens and underscores.
	if !nameRE.MatchString(name) || len(name) > maxNameLength {
		bad("name %q is not allowed: want 1-%d letters, digits, hyphens or underscores (SQS queue names, with the dead-letter suffix and Pulumi's random suffix, stay within 80)", name, maxNameLength)
	}
	if a.MaxReceiveCount < 1 || a.MaxReceiveCount > MaxMaxReceiveCount {
		bad("MaxReceiveCount %d is not allowed: want 1-%d", a.MaxReceiveCount, MaxMaxReceiveCount)
	}
	if a.RetentionDays < 1 || a.RetentionDays >= MaxRetentionDays {
		bad("RetentionDays %d is not allowed: want 1-%d (the dead-letter queue keeps messages %d days, and must keep them longer than the queue)", a.RetentionDays, MaxRetentionDays-1, MaxRetentionDays)
	}
	if a.VisibilityTimeoutSeconds < 0 || a.VisibilityTimeoutSeconds > MaxVisibilityTimeoutSeconds {
		bad("VisibilityTimeoutSeconds %d is not allowed: want 0-%d", a.VisibilityTimeoutSeconds, MaxVisibilityTimeoutSeconds)
	}
	if a.ReceiveWaitSeconds < 1 || a.ReceiveWaitSeconds > 20 {
		bad("ReceiveWaitSeconds %d is not allowed: want 1-20", a.ReceiveWaitSeconds)
	}
	if a.OldestMessageAgeSeconds < 60 || a.OldestMessageAgeSeconds > a.RetentionDays*secondsPerDay {
		bad("OldestMessageAgeSeconds %d is not allowed: want 60 up to the retention (%d seconds)", a.OldestMessageAgeSeconds, a.RetentionDays*secondsPerDay)
	}
	if len(p) == 0 {
		return nil
	}
	return errors.New(strings.Join(p, "; "))
}

func resolve(name string, args *Args) (Args, error) {
	if args == nil {
		args = &Args{}
	}
	a := args.withDefaults()
	return a, validate(name, a)
}
