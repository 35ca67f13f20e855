package database

import (
	"fmt"
	"regexp"
	"strconv"
)

// The Cloud SQL editions (settings.edition).
const (
	Enterprise     = "ENTERPRISE"
	EnterprisePlus = "ENTERPRISE_PLUS"
)

var (
	customTierRE = regexp.MustCompile(`^db-custom-([0-9]+)-([0-9]+)$`)
	perfTierRE   = regexp.MustCompile(`^db-perf-optimized-N-([0-9]+)$`)
	perfVCPUs    = map[int]bool{2: true, 4: true, 8: true, 16: true, 32: true, 48: true, 64: true, 80: true, 96: true, 128: true}
)

// CheckTier reports whether tier is a Cloud SQL for PostgreSQL machine type of edition, as
// the Admin API accepts them:
//   - ENTERPRISE_PLUS takes only the performance-optimized N2 types
//     db-perf-optimized-N-<2|4|8|16|32|48|64|80|96|128>, and those types need ENTERPRISE_PLUS
//     (https://cloud.google.com/sql/docs/postgres/machine-series-overview);
//   - ENTERPRISE takes the shared-core db-f1-micro and db-g1-small and the custom types
//     db-custom-<vCPUs>-<memory MB>: 1 or an even number of vCPUs up to 96, memory a multiple
//     of 256 MB, at least 3840 MB, from 0.9 to 6.5 GB per vCPU
//     (https://cloud.google.com/sql/docs/postgres/instance-settings). PostgreSQL takes no
//     predefined db-n1-* types (the pulumi-gcp DatabaseInstanceSettings.tier doc).
//
// The error says what is allowed, without naming a field: callers add the field or key.
func CheckTier(edition, tier string) error {
	switch edition {
	case EnterprisePlus:
		m := perfTierRE.FindStringSubmatch(tier)
		if m == nil {
			return fmt.Errorf("edition ENTERPRISE_PLUS takes only db-perf-optimized-N-<vCPUs> tiers (2, 4, 8, 16, 32, 48, 64, 80, 96 or 128 vCPUs)")
		}
		if n, _ := strconv.Atoi(m[1]); !perfVCPUs[n] {
			return fmt.Errorf("db-perf-optimized-N-%s has no such vCPU count: want 2, 4, 8, 16, 32, 48, 64, 80, 96 or 128", m[1])
		}
		return nil
	case Enterprise:
		if perfTierRE.MatchString(tier) {
			return fmt.Errorf("db-perf-optimized-N-* tiers need edition ENTERPRISE_PLUS: with ENTERPRISE want db-f1-micro, db-g1-small or db-custom-<vCPUs>-<memory MB>")
		}
		if tier == "db-f1-micro" || tier == "db-g1-small" {
			return nil
		}
		m := customTierRE.FindStringSubmatch(tier)
		if m == nil {
			return fmt.Errorf("edition ENTERPRISE takes db-f1-micro, db-g1-small or db-custom-<vCPUs>-<memory MB> (such as db-custom-2-7680)")
		}
		cpus, _ := strconv.Atoi(m[1])
		mem, _ := strconv.Atoi(m[2])
		switch {
		case cpus < 1 || cpus > 96 || (cpus > 1 && cpus%2 == 1):
			return fmt.Errorf("%d vCPUs is not allowed: want 1 or an even number up to 96", cpus)
		case mem%256 != 0 || mem < 3840:
			return fmt.Errorf("%d MB of memory is not allowed: want a multiple of 256 MB, at least 3840", mem)
		case float64(mem) < 0.9*1024*float64(cpus) || float64(mem) > 6.5*1024*float64(cpus):
			return fmt.Errorf("%d MB for %d vCPUs is not allowed: want 0.9 to 6.5 GB per vCPU (%d-%d MB)", mem, cpus, roundUp256(0.9*1024*float64(cpus)), int(6.5*1024*float64(cpus))/256*256)
		}
		return nil
	}
	return fmt.Errorf("edition %q is not allowed: want %s or %s", edition, Enterprise, EnterprisePlus)
}

func roundUp256(mb float64) int {
	n := int(mb)
	if float64(n) < mb {
		n++
	}
	return (n + 255) / 256 * 256
}

// MaxPointInTimeRecoveryDays is the most transaction-log days an edition keeps: 7 on
// ENTERPRISE, 35 on ENTERPRISE_PLUS (pulumi-gcp DatabaseInstanceSettingsBackupConfiguration
// transactionLogRetentionDays doc).
func MaxPointInTimeRecoveryDays(edition string) int {
	if edition == EnterprisePlus {
		return 35
	}
	return 7
}
