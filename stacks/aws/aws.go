// Package awsstack is the AWS reference stack: the spec's intent deployed as a
// scalestack:aws:Backend over the primary and (optionally) secondary region, with explicit
// providers per region and the us-east-1 edge provider for CloudFront.
//
// Primary active, secondary warm standby: the secondary web tier runs at its minimum, the
// database has a cross-region replica there, backups are copied there, and CloudFront plus
// Route 53 failover route around a failed region. The cache (scalestack:cache), the queue
// and its workers (scalestack:queue) run in the primary region only; the secondary web tier
// sends to the primary's queue and runs without a cache after a failover.
package awsstack

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/aws/backend"
	"github.com/scalestack/scalestack/components/aws/waf"
	"github.com/scalestack/scalestack/components/aws/webtier"
	"github.com/scalestack/scalestack/providers"
	"github.com/scalestack/scalestack/providers/awsregions"
	"github.com/scalestack/scalestack/stacks/spec"
)

// BackendName is the logical name of the stack's Backend; it prefixes every resource name.
const BackendName = "backend"

// Args maps a validated spec onto the Backend's arguments, given the region providers.
func Args(s *spec.Spec, regions *awsregions.Regions) *backend.Args {
	a := &backend.Args{
		Primary:                        backend.Region{Provider: regions.Primary, Name: regions.PrimaryRegion},
		Edge:                           regions.Edge,
		Domain:                         s.Domain.Name,
		AvailabilityZoneCount:          s.AWS.AvailabilityZones,
		NATPerAZ:                       s.Environment == spec.Prod,
		LoadBalancerDeletionProtection: s.Environment == spec.Prod,
		CDN:                            s.CDN.Enabled,
		CDNPageCaching:                 s.CDN.Enabled,
		ZoneOnly:                       !s.Domain.Delegated,
		DestroyBucketsWithContents:     s.Environment == spec.Dev,
		WAF:                            waf.Args{BodySizeAction: s.AWS.WAFBodySizeAction},
		AlertEmail:                     s.Alerts.Email,
		Web: backend.Web{
			ImageID:               s.AWS.ImageID,
			InstanceType:          s.AWS.InstanceType,
			MinSize:               s.Web.MinSize,
			MaxSize:               s.Web.MaxSize,
			DesiredSize:           s.Web.DesiredSize,
			Port:                  s.Web.Port,
			HealthCheckPath:       s.Web.HealthCheckPath,
			TargetCPUPercent:      s.Web.TargetCPUPercent,
			RequestsPerInstance:   s.Web.RequestsPerInstance,
			DisableRequestScaling: s.Web.RequestsPerInstance == 0,
		},
		Database: backend.Database{
			InstanceClass:       s.AWS.DBInstanceClass,
			StorageGB:           s.Database.StorageGB,
			Name:                s.Database.Name,
			ReadReplicas:        s.Database.ReadReplicas,
			CrossRegionReplica:  s.Database.CrossRegionReplica,
			BackupRetentionDays: s.Database.BackupRetentionDays,
			HighAvailability:    s.Database.HighAvailability,
			DeletionProtection:  s.Database.DeletionProtection,
		},
		Backup: &backend.Backup{
			DailyAt:             s.Backup.DailyAt,
			RetentionDays:       s.Backup.RetentionDays,
			WeeklyRetentionDays: s.Backup.WeeklyRetentionDays,
			CopyToSecondary:     s.Backup.CopyToSecondary,
		},
	}
	for _, sch := range s.Web.Schedules {
		a.Web.Schedules = append(a.Web.Schedules, webtier.Schedule{
			Name: sch.Name, Recurrence: sch.Cron,
			MinSize: sch.MinSize, MaxSize: sch.MaxSize, DesiredCapacity: sch.DesiredSize,
		})
	}
	if s.Cache.Enabled {
		a.Cache = &backend.Cache{
			Replicas:       s.Cache.Replicas,
			MemoryGB:       float64(s.Cache.MemoryGB),
			EvictionPolicy: s.Cache.EvictionPolicy,
		}
	}
	if s.Queue.Enabled {
		a.Queue = &backend.Queue{
			MaxReceiveCount:          s.Queue.MaxReceiveCount,
			RetentionDays:            s.Queue.RetentionDays,
			VisibilityTimeoutSeconds: s.Queue.VisibilityTimeoutSeconds,
			Workers: backend.Workers{
				MinSize:          s.Queue.Workers.MinSize,
				MaxSize:          s.Queue.Workers.MaxSize,
				BacklogPerWorker: s.Queue.Workers.BacklogPerWorker,
			},
		}
	}
	if s.AWS.HostedZoneID != "" {
		a.ZoneID = pulumi.String(s.AWS.HostedZoneID)
	}
	if regions.Secondary != nil {
		a.Secondary = &backend.Region{Provider: regions.Secondary, Name: regions.SecondaryRegion}
	}
	return a
}

// Build creates the providers and the Backend, and returns the stack outputs.
func Build(ctx *pulumi.Context, s *spec.Spec) (pulumi.Map, error) {
	regions, err := awsregions.New(ctx, awsregions.Args{
		Primary:   s.AWS.PrimaryRegion,
		Secondary: s.AWS.SecondaryRegion,
		Tags:      providers.DefaultTags(s.Project, s.Stack, string(s.Environment)),
	})
	if err != nil {
		return nil, err
	}
	b, err := backend.New(ctx, BackendName, Args(s, regions))
	if err != nil {
		return nil, err
	}
	for _, n := range b.Notes {
		if err := ctx.Log.Info("scalestack: "+n, nil); err != nil {
			return nil, err
		}
	}
	regionsOut := pulumi.StringMap{"primary": pulumi.String(s.AWS.PrimaryRegion)}
	if s.AWS.SecondaryRegion != "" {
		regionsOut["secondary"] = pulumi.String(s.AWS.SecondaryRegion)
	}
	return pulumi.Map{
		"url":                        b.URL,
		"cdnDomainName":              b.CDNDomainName,
		"loadBalancerDnsNames":       b.LoadBalancerDNSNames,
		"databaseEndpoint":           b.DatabaseEndpoint,
		"readReplicaEndpoints":       b.ReadReplicaEndpoints,
		"crossRegionReplicaEndpoint": b.CrossRegionReplicaEndpoint,
		"databaseSecretArn":          b.DatabaseSecretARN,
		"nameServers":                b.NameServers,
		"alertTopicArns":             b.AlertTopicARNs,
		"backupVaultArn":             b.BackupVaultARN,
		"dashboardUrl":               b.DashboardURL,
		"queueUrl":                   b.QueueURL,
		"cacheEndpoint":              b.CacheEndpoint,
		"cdnDistributionId":          b.CDNDistributionID,
		"regions":                    regionsOut,
		"notes":                      pulumi.ToStringArray(b.Notes),
	}, nil
}
