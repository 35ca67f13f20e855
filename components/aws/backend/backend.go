package backend

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"math/big"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/aws/backup"
	"github.com/scalestack/scalestack/components/aws/cache"
	"github.com/scalestack/scalestack/components/aws/cdn"
	"github.com/scalestack/scalestack/components/aws/database"
	"github.com/scalestack/scalestack/components/aws/dns"
	"github.com/scalestack/scalestack/components/aws/failover"
	"github.com/scalestack/scalestack/components/aws/loadbalancer"
	"github.com/scalestack/scalestack/components/aws/monitoring"
	"github.com/scalestack/scalestack/components/aws/network"
	"github.com/scalestack/scalestack/components/aws/queue"
	"github.com/scalestack/scalestack/components/aws/waf"
	"github.com/scalestack/scalestack/components/aws/webtier"
	"github.com/scalestack/scalestack/components/aws/worker"
	"github.com/scalestack/scalestack/policies/flows"
)

// OriginVerifyHeader is the header CloudFront adds to every origin request, with a secret
// value the load balancers require (they answer 403 without it).
const OriginVerifyHeader = "X-Origin-Verify"

// DatabaseParameterEnv is the variable in /etc/scalestack/app.env that names the SSM
// parameter holding the region's database connection document (DatabaseConnection).
const DatabaseParameterEnv = "SCALESTACK_DATABASE_PARAMETER"

// DatabaseConnection is the JSON document the backend publishes for each region's instances
// in SSM Parameter Store: where the database is and where its password is kept. The password
// itself is read from Secrets Manager (SecretARN, in SecretRegion) with the instance role.
type DatabaseConnection struct {
	// Writer is the primary's "host:port"; "" in the secondary region, whose replica is
	// read-only until it is promoted.
	Writer string `json:"writer"`
	// Readers are the replicas' "host:port" in this region.
	Readers []string `json:"readers"`
	// Database is the application database's name.
	Database string `json:"database"`
	// SecretARN is the RDS-managed master user secret (JSON with username and password).
	SecretARN string `json:"secretArn"`
	// SecretRegion is the region of the secret (the primary region).
	SecretRegion string `json:"secretRegion"`
}

// Backend is a region pair serving one web backend.
type Backend struct {
	pulumi.ResourceState

	// URL is the public URL: https://<Domain>, or the primary load balancer's http:// name
	// when no domain is set.
	URL pulumi.StringOutput `pulumi:"url"`
	// CDNDomainName is CloudFront's own name ("" without a CDN).
	CDNDomainName pulumi.StringOutput `pulumi:"cdnDomainName"`
	// LoadBalancerDNSNames are the load balancers' names, keyed "primary" and "secondary".
	LoadBalancerDNSNames pulumi.StringMapOutput `pulumi:"loadBalancerDnsNames"`
	// DatabaseEndpoint is the primary's host:port.
	DatabaseEndpoint pulumi.StringOutput `pulumi:"databaseEndpoint"`
	// ReadReplicaEndpoints are the in-region replicas' host:port.
	ReadReplicaEndpoints pulumi.StringArrayOutput `pulumi:"readReplicaEndpoints"`
	// CrossRegionReplicaEndpoint is the secondary region's replica ("" without one).
	CrossRegionReplicaEndpoint pulumi.StringOutput `pulumi:"crossRegionReplicaEndpoint"`
	// DatabaseSecretARN is the Secrets Manager secret holding the managed master password.
	DatabaseSecretARN pulumi.StringOutput `pulumi:"databaseSecretArn"`
	// NameServers of the hosted zone, to delegate the domain to (empty without a created zone).
	NameServers pulumi.StringArrayOutput `pulumi:"nameServers"`
	// AlertTopicARNs are the SNS topics the alarms notify, keyed by role.
	AlertTopicARNs pulumi.StringMapOutput `pulumi:"alertTopicArns"`
	// BackupVaultARN is the primary backup vault ("" without backups).
	BackupVaultARN pulumi.StringOutput `pulumi:"backupVaultArn"`
	// DashboardURL opens the CloudWatch dashboard with the on-call numbers in the console
	// ("" in the zone-only first step).
	DashboardURL pulumi.StringOutput `pulumi:"dashboardUrl"`
	// QueueURL is the work queue's URL ("" without a queue).
	QueueURL pulumi.StringOutput `pulumi:"queueUrl"`
	// CacheEndpoint is the cache's primary endpoint, TLS on cache.DefaultPort ("" without a
	// cache).
	CacheEndpoint pulumi.StringOutput `pulumi:"cacheEndpoint"`
	// CDNDistributionID is the CloudFront distribution's id, for invalidations on deploy (""
	// without a CDN).
	CDNDistributionID pulumi.StringOutput `pulumi:"cdnDistributionId"`

	// Notes says which parts were left out and why (single region, no domain).
	Notes []string

	// The parts, for programs that wire more resources to them.
	Regions  map[string]*RegionalTier
	Database *database.Database
	CDN      *cdn.CDN
	WAF      *waf.WebACL
	Failover *failover.Failover
	Backup   *backup.Backup
	Cache    *cache.Cache
	Queue    *queue.Queue
	Worker   *worker.Worker
}

// RegionalTier is what the backend runs in one region.
type RegionalTier struct {
	Role         string
	Region       string
	Network      *network.Network
	LoadBalancer *loadbalancer.LoadBalancer
	Web          *webtier.WebTier
	Monitoring   *monitoring.Monitoring
	Certificate  *dns.Certificate
	Origin       *dns.Alias
}

// New validates args, applies defaults and registers the backend's components. Children are
// named "<name>-<part>" and "<name>-<role>-<part>" (role: primary, secondary), so adding the
// secondary region or a replica never renames an existing resource.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Backend, error) {
	if args == nil {
		args = &Args{}
	}
	a := args.withDefaults()
	if a.ParameterPrefix == "" {
		a.ParameterPrefix = "/" + ctx.Project() + "/" + ctx.Stack() + "/" + name
	}
	if err := a.validate(); err != nil {
		return nil, fmt.Errorf("backend %q: %w", name, err)
	}
	for _, r := range []*Region{&a.Primary, a.Secondary} {
		if r == nil || len(r.AvailabilityZones) > 0 {
			continue
		}
		zones, err := AvailableZones(ctx, r.Provider, r.Name, a.AvailabilityZoneCount)
		if err != nil {
			return nil, fmt.Errorf("backend %q: %w", name, err)
		}
		r.AvailabilityZones = zones
	}
	b := &Backend{Regions: map[string]*RegionalTier{}}
	if err := ctx.RegisterComponentResource(TypeToken, name, b, opts...); err != nil {
		return nil, err
	}
	if err := b.build(ctx, name, a); err != nil {
		return nil, fmt.Errorf("backend %q: %w", name, err)
	}
	return b, nil
}

func (b *Backend) build(ctx *pulumi.Context, name string, a Args) error {
	in := func(p pulumi.ProviderResource) []pulumi.ResourceOption {
		return []pulumi.ResourceOption{pulumi.Parent(b), pulumi.Provider(p)}
	}
	primaryOpts := in(a.Primary.Provider)
	tags := a.Tags

	// DNS: the zone the domain is delegated to.
	zoneID := a.ZoneID
	nameServers := pulumi.StringArray{}.ToStringArrayOutput()
	if a.Domain != "" && zoneID == nil {
		zone, err := dns.NewZone(ctx, name+"-zone", &dns.ZoneArgs{DomainName: a.Domain, Tags: tags}, primaryOpts...)
		if err != nil {
			return err
		}
		zoneID, nameServers = zone.ZoneID, zone.NameServers
	}
	if a.ZoneOnly {
		b.DashboardURL = pulumi.String("").ToStringOutput() // nothing to chart yet
		b.Notes = append(b.Notes, fmt.Sprintf("zone only (first deploy): delegate %s to the name servers in nameServers at its parent domain, then set scalestack:domain.delegated to true and run pulumi up again", a.Domain))
		return b.finish(ctx, name, a, pulumi.String("").ToStringOutput(), pulumi.String("").ToStringOutput(), pulumi.StringMap{}, pulumi.StringMap{},
			pulumi.String("").ToStringOutput(), nameServers, nil)
	}
	if a.Domain == "" {
		b.Notes = append(b.Notes, "no domain: the load balancers serve plain HTTP on their own names, and the CDN and DNS failover are left out (set scalestack:domain.name)")
	}

	regions := []struct {
		role string
		r    Region
	}{{"primary", a.Primary}}
	if a.Secondary != nil {
		regions = append(regions, struct {
			role string
			r    Region
		}{"secondary", *a.Secondary})
	} else {
		b.Notes = append(b.Notes, "single region: no secondary web tier, cross-region database replica, backup copy or DNS failover (set the secondary region)")
	}

	// Behind CloudFront the load balancers admit only CloudFront (and Route 53's health
	// checkers), and only requests carrying the origin header secret.
	var originSecret pulumi.StringOutput
	if a.CDN && a.Domain != "" {
		s, err := newOriginSecret(ctx, name, a, primaryOpts)
		if err != nil {
			return err
		}
		originSecret = s
	}

	lbNames := pulumi.StringMap{}
	topics := pulumi.StringMap{}
	for _, rg := range regions {
		t, err := b.region(ctx, name, rg.role, rg.r, a, zoneID, originSecret)
		if err != nil {
			return err
		}
		b.Regions[rg.role] = t
		lbNames[rg.role] = t.LoadBalancer.DNSName
	}

	// Database: primary (and in-region replicas) next to the primary web tier, the cross-region
	// replica next to the secondary one. Only the web tiers' security groups reach it.
	pri := b.Regions["primary"]
	dbArgs := &database.Args{
		VpcID:                   pri.Network.VpcID,
		SubnetIDs:               pri.Network.DataSubnetIDs,
		AllowedSecurityGroupIDs: pulumi.StringArray{pri.Web.SecurityGroupID},
		InstanceClass:           a.Database.InstanceClass,
		AllocatedStorageGB:      a.Database.StorageGB,
		DatabaseName:            a.Database.Name,
		BackupRetentionDays:     a.Database.BackupRetentionDays,
		MultiAZ:                 pulumi.BoolRef(a.Database.HighAvailability),
		DeletionProtection:      pulumi.BoolRef(a.Database.DeletionProtection),
		FinalSnapshot:           pulumi.BoolRef(a.Database.DeletionProtection),
		ReadReplicas:            a.Database.ReadReplicas,
		Tags:                    tags,
	}
	if sec := b.Regions["secondary"]; sec != nil && a.Database.CrossRegionReplica {
		dbArgs.CrossRegion = &database.CrossRegionArgs{
			Provider:                a.Secondary.Provider,
			VpcID:                   sec.Network.VpcID,
			SubnetIDs:               sec.Network.DataSubnetIDs,
			AllowedSecurityGroupIDs: pulumi.StringArray{sec.Web.SecurityGroupID},
		}
	} else if a.Secondary != nil {
		b.Notes = append(b.Notes, "no cross-region database replica (scalestack:database.crossRegionReplica is false): a regional failover has no database in the secondary region")
	}
	db, err := database.New(ctx, name+"-db", dbArgs, primaryOpts...)
	if err != nil {
		return err
	}
	b.Database = db
	for _, rg := range regions {
		if rg.role == "secondary" && dbArgs.CrossRegion == nil {
			continue // no database in the secondary region to reach
		}
		if err := b.dataAccess(ctx, name, rg.role, rg.r, a, db); err != nil {
			return err
		}
	}

	// Monitoring per region: the load balancer, the group and the databases there.
	for _, rg := range regions {
		t := b.Regions[rg.role]
		margs := &monitoring.Args{
			AlertEmail: a.AlertEmail,
			LoadBalancer: &monitoring.LoadBalancerAlarms{
				LoadBalancerARNSuffix: t.LoadBalancer.ARNSuffix,
				TargetGroupARNSuffix:  t.LoadBalancer.TargetGroupARNSuffix,
			},
			AutoScaling: &monitoring.AutoScalingAlarms{AutoScalingGroupName: t.Web.GroupName, MaxSize: a.Web.MaxSize},
			Tags:        tags,
		}
		if rg.role == "primary" {
			replicas := make([]pulumi.StringInput, len(db.Replicas))
			for i, r := range db.Replicas {
				replicas[i] = r.Identifier
			}
			margs.Database = &monitoring.DatabaseAlarms{DBInstanceIdentifier: db.PrimaryIdentifier, ReplicaIdentifiers: replicas}
		} else if dbArgs.CrossRegion != nil {
			margs.Database = &monitoring.DatabaseAlarms{
				DBInstanceIdentifier: db.CrossRegionReplicaIdentifier,
				ReplicaIdentifiers:   []pulumi.StringInput{db.CrossRegionReplicaIdentifier},
			}
		}
		m, err := monitoring.New(ctx, name+"-"+rg.role+"-monitoring", margs, in(rg.r.Provider)...)
		if err != nil {
			return err
		}
		t.Monitoring = m
		topics[rg.role] = m.TopicARN
	}

	// The cache, the queue and the workers: primary region only (see tiers).
	if a.Cache != nil || a.Queue != nil {
		byRole := map[string]Region{}
		for _, rg := range regions {
			byRole[rg.role] = rg.r
		}
		if err := b.tiers(ctx, name, a, byRole, topics["primary"]); err != nil {
			return err
		}
	}

	// DNS failover between the regions' load balancers, and the CDN in front.
	url := pulumi.Sprintf("http://%s", pri.LoadBalancer.DNSName)
	cdnDomain := pulumi.String("").ToStringOutput()
	if a.Domain != "" {
		url = pulumi.Sprintf("https://%s", a.Domain)
		origin := pri.Origin.FQDN // single region: the primary origin name
		originTarget := dns.AliasTarget{DNSName: pri.LoadBalancer.DNSName, ZoneID: pri.LoadBalancer.ZoneID}
		if sec := b.Regions["secondary"]; sec != nil {
			fo, err := failover.New(ctx, name+"-failover", &failover.Args{
				ZoneID:     zoneID,
				RecordName: "origin." + a.Domain,
				Primary: failover.Endpoint{
					DNSName: pri.LoadBalancer.DNSName, ZoneID: pri.LoadBalancer.ZoneID, HealthCheckFQDN: pri.Origin.FQDN,
				},
				Secondary: failover.Endpoint{
					DNSName: sec.LoadBalancer.DNSName, ZoneID: sec.LoadBalancer.ZoneID, HealthCheckFQDN: sec.Origin.FQDN,
				},
				Path: a.Web.HealthCheckPath,
				Tags: tags,
			}, primaryOpts...)
			if err != nil {
				return err
			}
			b.Failover = fo
			origin = fo.RecordFQDN
			originTarget = dns.AliasTarget{DNSName: fo.RecordFQDN, ZoneID: zoneID.ToStringOutput()}
		}

		apexTarget := originTarget
		if a.CDN {
			cert, err := dns.NewCertificate(ctx, name+"-edge-cert", &dns.CertificateArgs{
				DomainName: a.Domain, ZoneID: zoneID, Tags: tags,
			}, in(a.Edge)...)
			if err != nil {
				return err
			}
			verify := map[string]pulumi.StringInput{OriginVerifyHeader: originSecret}
			cargs := &cdn.Args{
				PrimaryOrigin:  cdn.Origin{DomainName: origin, CustomHeaders: verify},
				CertificateARN: cert.CertificateARN,
				Aliases:        []string{a.Domain},
				Tags:           tags,

				CachedPathPatterns:         a.CDNCachedPaths,
				DestroyBucketsWithContents: a.DestroyBucketsWithContents,
				PageCaching:                a.CDNPageCaching,
			}
			if !a.DisableWAF {
				wargs := a.WAF
				wargs.Scope = waf.ScopeCloudFront
				if wargs.Tags == nil {
					wargs.Tags = tags
				}
				acl, err := waf.New(ctx, name+"-waf", &wargs, in(a.Edge)...)
				if err != nil {
					return err
				}
				b.WAF = acl
				cargs.WebACLARN = acl.WebACLARN
			} else {
				b.Notes = append(b.Notes, "no WAF web ACL in front of CloudFront (DisableWAF)")
			}
			if sec := b.Regions["secondary"]; sec != nil {
				cargs.SecondaryOrigin = &cdn.Origin{DomainName: sec.Origin.FQDN, CustomHeaders: verify}
			}
			dist, err := cdn.New(ctx, name+"-cdn", cargs, primaryOpts...)
			if err != nil {
				return err
			}
			b.CDN = dist
			cdnDomain = dist.DomainName
			apexTarget = dns.AliasTarget{DNSName: dist.DomainName, ZoneID: dist.HostedZoneID}
		} else {
			b.Notes = append(b.Notes, "no CDN (scalestack:cdn.enabled is false): the domain points at the load balancers")
		}
		if _, err := dns.NewAlias(ctx, name+"-apex", &dns.AliasArgs{
			ZoneID: zoneID, RecordName: a.Domain, Target: apexTarget, IPv6: a.CDN, EvaluateTargetHealth: !a.CDN,
		}, primaryOpts...); err != nil {
			return err
		}
	}

	// Backups: what holds state, the primary database (copied to the secondary region). The
	// web instances are stateless and rebuilt from the launch template, so nothing selects them.
	backupVault := pulumi.String("").ToStringOutput()
	if a.Backup != nil {
		bargs := &backup.Args{
			DailyAt:               a.Backup.DailyAt,
			RetentionDays:         a.Backup.RetentionDays,
			WeeklyRetentionDays:   a.Backup.WeeklyRetentionDays,
			ResourceARNs:          pulumi.StringArray{db.PrimaryARN},
			DestroyRecoveryPoints: a.DestroyBucketsWithContents,
			Tags:                  tags,
		}
		if a.Backup.CopyToSecondary && a.Secondary != nil {
			bargs.Copy = &backup.CopyArgs{Provider: a.Secondary.Provider}
		}
		bk, err := backup.New(ctx, name+"-backup", bargs, primaryOpts...)
		if err != nil {
			return err
		}
		b.Backup = bk
		backupVault = bk.VaultARN
	} else {
		b.Notes = append(b.Notes, "no AWS Backup plan: only the database's automated backups protect the data")
	}

	dashboardURL, err := b.dashboard(ctx, name, a, db)
	if err != nil {
		return err
	}
	b.DashboardURL = dashboardURL
	return b.finish(ctx, name, a, url, cdnDomain, lbNames, topics, backupVault, nameServers, db)
}

// finish sets the outputs and registers them; db is nil in zone-only mode.
func (b *Backend) finish(ctx *pulumi.Context, name string, a Args, url, cdnDomain pulumi.StringOutput, lbNames, topics pulumi.StringMap,
	backupVault pulumi.StringOutput, nameServers pulumi.StringArrayOutput, db *database.Database) error {
	empty := pulumi.String("").ToStringOutput()
	b.URL = url
	b.CDNDomainName = cdnDomain
	b.LoadBalancerDNSNames = lbNames.ToStringMapOutput()
	b.DatabaseEndpoint, b.CrossRegionReplicaEndpoint, b.DatabaseSecretARN = empty, empty, empty
	b.ReadReplicaEndpoints = pulumi.StringArray{}.ToStringArrayOutput()
	if db != nil {
		b.DatabaseEndpoint = db.Endpoint
		b.ReadReplicaEndpoints = db.ReplicaEndpoints
		b.CrossRegionReplicaEndpoint = db.CrossRegionReplicaEndpoint
		b.DatabaseSecretARN = db.MasterUserSecretARN
	}
	b.NameServers = nameServers
	b.AlertTopicARNs = topics.ToStringMapOutput()
	b.BackupVaultARN = backupVault
	b.QueueURL, b.CacheEndpoint, b.CDNDistributionID = empty, empty, empty
	if b.Queue != nil {
		b.QueueURL = b.Queue.URL
	}
	if b.Cache != nil {
		b.CacheEndpoint = b.Cache.PrimaryEndpoint
	}
	if b.CDN != nil {
		b.CDNDistributionID = b.CDN.DistributionID
	}
	outputs := pulumi.Map{
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
		"notes":                      pulumi.ToStringArray(b.Notes),
	}
	if err := flows.Declare(ctx, b, outputs, b.declaredFlows(name, a)...); err != nil {
		return err
	}
	return ctx.RegisterResourceOutputs(b, outputs)
}

// region builds one region's network, certificate, load balancer, origin name and web tier.
func (b *Backend) region(ctx *pulumi.Context, name, role string, r Region, a Args, zoneID pulumi.StringInput, originSecret pulumi.StringOutput) (*RegionalTier, error) {
	opts := []pulumi.ResourceOption{pulumi.Parent(b), pulumi.Provider(r.Provider)}
	prefix := name + "-" + role
	t := &RegionalTier{Role: role, Region: r.Name}
	nat := network.NATSingle
	if a.NATPerAZ {
		nat = network.NATPerAZ
	}
	net, err := network.New(ctx, prefix+"-network", &network.Args{
		AvailabilityZones: r.AvailabilityZones,
		CIDRBlock:         r.CIDRBlock,
		NATGateways:       nat,
		S3Endpoint:        true,
		Tags:              a.Tags,
	}, opts...)
	if err != nil {
		return nil, err
	}
	t.Network = net

	var certARN pulumi.StringInput
	if a.Domain != "" {
		cert, err := dns.NewCertificate(ctx, prefix+"-cert", &dns.CertificateArgs{
			DomainName:              a.Domain,
			SubjectAlternativeNames: []string{"*." + a.Domain},
			ZoneID:                  zoneID,
			Tags:                    a.Tags,
		}, opts...)
		if err != nil {
			return nil, err
		}
		t.Certificate = cert
		certARN = cert.CertificateARN
	}
	lbArgs := &loadbalancer.Args{
		VpcID:              net.VpcID,
		SubnetIDs:          net.PublicSubnetIDs,
		Region:             r.Name,
		CertificateARN:     certARN,
		TargetPort:         a.Web.Port,
		HealthCheckPath:    a.Web.HealthCheckPath,
		DeletionProtection: a.LoadBalancerDeletionProtection,
		Tags:               a.Tags,
	}
	if a.CDN && a.Domain != "" {
		// Only CloudFront reaches the load balancer (and Route 53's health checkers, which
		// probe the origin names for DNS failover), and only with the origin header secret.
		lbArgs.IngressPrefixLists = []string{loadbalancer.CloudFrontOriginFacingPrefixList}
		if a.Secondary != nil {
			lbArgs.IngressPrefixLists = append(lbArgs.IngressPrefixLists, loadbalancer.Route53HealthCheckPrefixList(r.Name))
		}
		lbArgs.RequiredHeader = &loadbalancer.Header{Name: OriginVerifyHeader, Value: originSecret}
	}
	lb, err := loadbalancer.New(ctx, prefix+"-lb", lbArgs, opts...)
	if err != nil {
		return nil, err
	}
	t.LoadBalancer = lb

	if a.Domain != "" {
		origin, err := dns.NewAlias(ctx, prefix+"-origin", &dns.AliasArgs{
			ZoneID:               zoneID,
			RecordName:           "origin-" + role + "." + a.Domain,
			Target:               dns.AliasTarget{DNSName: lb.DNSName, ZoneID: lb.ZoneID},
			EvaluateTargetHealth: true,
		}, opts...)
		if err != nil {
			return nil, err
		}
		t.Origin = origin
	}

	min, desired := a.Web.MinSize, a.Web.DesiredSize
	var schedules []webtier.Schedule
	if role == "primary" {
		schedules = a.Web.Schedules
	} else {
		desired = min // warm standby: at its minimum until traffic fails over
	}
	web, err := webtier.New(ctx, prefix+"-web", &webtier.Args{
		VpcID:                       net.VpcID,
		SubnetIDs:                   net.PrivateSubnetIDs,
		LoadBalancerSecurityGroupID: lb.SecurityGroupID,
		TargetGroupARNs:             pulumi.StringArray{lb.TargetGroupARN},
		LoadBalancerARNSuffix:       lb.ARNSuffix,
		TargetGroupARNSuffix:        lb.TargetGroupARNSuffix,
		ImageID:                     stringOrNil(a.Web.ImageID),
		InstanceType:                a.Web.InstanceType,
		Port:                        a.Web.Port,
		HealthCheckPath:             a.Web.HealthCheckPath,
		MinSize:                     min,
		MaxSize:                     a.Web.MaxSize,
		DesiredCapacity:             desired,
		TargetCPUPercent:            a.Web.TargetCPUPercent,
		RequestsPerTarget:           a.Web.RequestsPerInstance,
		DisableRequestScaling:       a.Web.DisableRequestScaling,
		Schedules:                   schedules,
		Environment:                 webEnvironment(a, role, r.Name),
		Tags:                        a.Tags,
	}, opts...)
	if err != nil {
		return nil, err
	}
	t.Web = web
	return t, nil
}

// AvailableZones returns the first count availability zone names that the region's provider
// reports as available to the account without opting in (aws.getAvailabilityZones with
// state "available" and opt-in-status "opt-in-not-required", which leaves out Local Zones
// and Wavelength Zones). Zone letters are per region and per account, so they are looked
// up, not guessed; testkit answers the lookup offline.
func AvailableZones(ctx *pulumi.Context, provider pulumi.ProviderResource, region string, count int) ([]string, error) {
	res, err := aws.GetAvailabilityZones(ctx, &aws.GetAvailabilityZonesArgs{
		State: pulumi.StringRef("available"),
		Filters: []aws.GetAvailabilityZonesFilter{
			{Name: "opt-in-status", Values: []string{"opt-in-not-required"}},
		},
	}, pulumi.Provider(provider))
	if err != nil {
		return nil, fmt.Errorf("looking up the availability zones of %s: %w", region, err)
	}
	if len(res.Names) < count {
		return nil, fmt.Errorf("region %s has %d availability zones available without opt-in (%v): want at least %d (AvailabilityZoneCount)", region, len(res.Names), res.Names, count)
	}
	return append([]string(nil), res.Names[:count]...), nil
}

// webEnvironment is what a region's web instances find in /etc/scalestack/app.env.
func webEnvironment(a Args, role, region string) map[string]string {
	env := map[string]string{
		DatabaseParameterEnv: databaseParameterName(a, role),
		"AWS_REGION":         region,
	}
	if hasTiers(a, role) {
		env[TiersParameterEnv] = tiersParameterName(a, role)
	}
	return env
}

// databaseParameterName is the SSM parameter holding a region's DatabaseConnection.
func databaseParameterName(a Args, role string) string {
	return a.ParameterPrefix + "/" + role + "/database"
}

// dataAccess lets one region's web tier use its database: the egress rule to the database's
// security group on 5432 (the Terraform AWS provider removes AWS's default allow-all egress
// rule from every security group it creates, so without it every connection times out), the
// connection document in SSM Parameter Store, and an inline policy on the instance role that
// reads exactly that parameter, exactly the RDS-managed master secret, and decrypts with
// exactly the secret's key, only through Secrets Manager in the primary region.
func (b *Backend) dataAccess(ctx *pulumi.Context, name, role string, r Region, a Args, db *database.Database) error {
	opts := []pulumi.ResourceOption{pulumi.Parent(b), pulumi.Provider(r.Provider)}
	prefix := name + "-" + role
	t := b.Regions[role]
	dbSG, readers, writer := db.SecurityGroupID, db.ReplicaEndpoints, db.Endpoint
	if role != "primary" {
		dbSG = db.CrossRegionSecurityGroupID
		readers = pulumi.StringArray{db.CrossRegionReplicaEndpoint}.ToStringArrayOutput()
		writer = pulumi.String("").ToStringOutput()
	}
	if _, err := vpc.NewSecurityGroupEgressRule(ctx, prefix+"-web-to-db", &vpc.SecurityGroupEgressRuleArgs{
		SecurityGroupId:           t.Web.SecurityGroupID,
		ReferencedSecurityGroupId: dbSG,
		IpProtocol:                pulumi.String("tcp"),
		FromPort:                  pulumi.Int(database.Port),
		ToPort:                    pulumi.Int(database.Port),
		Description:               pulumi.String("PostgreSQL to the database of this region"),
	}, opts...); err != nil {
		return fmt.Errorf("creating %s web-to-database egress rule: %w", role, err)
	}
	primaryRegion := a.Primary.Name
	doc := pulumi.All(writer, readers, db.MasterUserSecretARN).ApplyT(func(v []any) (string, error) {
		c := DatabaseConnection{
			Writer: v[0].(string), Readers: v[1].([]string), Database: a.Database.Name,
			SecretARN: v[2].(string), SecretRegion: primaryRegion,
		}
		if c.Readers == nil {
			c.Readers = []string{}
		}
		out, err := json.Marshal(c)
		return string(out), err
	}).(pulumi.StringOutput)
	param, err := ssm.NewParameter(ctx, prefix+"-database", &ssm.ParameterArgs{
		Name:        pulumi.String(databaseParameterName(a, role)),
		Description: pulumi.Sprintf("Database connection of the %s web tier of %s (no password: see secretArn)", role, name),
		Type:        pulumi.String("String"),
		Tier:        pulumi.String("Standard"),
		Value:       doc,
		Tags:        pulumi.ToStringMap(a.Tags),
	}, opts...)
	if err != nil {
		return fmt.Errorf("creating %s database parameter: %w", role, err)
	}
	policy := pulumi.All(db.MasterUserSecretARN, db.MasterUserSecretKMSKeyARN, param.Arn).ApplyT(func(v []any) (string, error) {
		return DataAccessPolicy(v[0].(string), v[1].(string), v[2].(string), primaryRegion)
	}).(pulumi.StringOutput)
	if _, err := iam.NewRolePolicy(ctx, prefix+"-web-data-access", &iam.RolePolicyArgs{
		Role:   t.Web.InstanceRoleName,
		Policy: policy,
	}, opts...); err != nil {
		return fmt.Errorf("creating %s web data access policy: %w", role, err)
	}
	return nil
}

// DataAccessPolicy is the instance role's policy for its data: read the connection parameter,
// read (and describe) the master user secret, and decrypt with the secret's key only when
// Secrets Manager in secretRegion asks (kms:ViaService). Every resource is one exact ARN.
func DataAccessPolicy(secretARN, keyARN, parameterARN, secretRegion string) (string, error) {
	out, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{
			map[string]any{
				"Sid": "ReadDatabaseParameter", "Effect": "Allow",
				"Action": []string{"ssm:GetParameter"}, "Resource": parameterARN,
			},
			map[string]any{
				"Sid": "ReadDatabaseSecret", "Effect": "Allow",
				"Action":   []string{"secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"},
				"Resource": secretARN,
			},
			map[string]any{
				"Sid": "DecryptDatabaseSecret", "Effect": "Allow",
				"Action": []string{"kms:Decrypt"}, "Resource": keyARN,
				"Condition": map[string]any{"StringEquals": map[string]any{
					"kms:ViaService": "secretsmanager." + secretRegion + ".amazonaws.com",
				}},
			},
		},
	})
	return string(out), err
}

// newOriginSecret keeps the origin header's secret value in an SSM SecureString parameter:
// a random value on creation, kept by ignoring later changes (so no random provider is
// needed and every later run reuses it). Rotate it with `pulumi up --replace` on the
// parameter: CloudFront and the load balancers take the new value in the same update.
func newOriginSecret(ctx *pulumi.Context, name string, a Args, opts []pulumi.ResourceOption) (pulumi.StringOutput, error) {
	v, err := randomToken(40)
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("generating the origin header secret: %w", err)
	}
	p, err := ssm.NewParameter(ctx, name+"-origin-verify", &ssm.ParameterArgs{
		Name:        pulumi.String(a.ParameterPrefix + "/origin-verify"),
		Description: pulumi.Sprintf("The %s header value CloudFront sends and the load balancers of %s require", OriginVerifyHeader, name),
		Type:        pulumi.String("SecureString"),
		Tier:        pulumi.String("Standard"),
		Value:       pulumi.ToSecret(pulumi.String(v)).(pulumi.StringOutput),
		Tags:        pulumi.ToStringMap(a.Tags),
	}, append(append([]pulumi.ResourceOption{}, opts...), pulumi.IgnoreChanges([]string{"value"}))...)
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("creating the origin header secret: %w", err)
	}
	return pulumi.ToSecret(p.Value).(pulumi.StringOutput), nil
}

// randomToken is n random letters and digits (ALB header conditions treat * and ? as
// wildcards and compare case-insensitively, so the alphabet has neither).
func randomToken(n int) (string, error) {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	out := make([]byte, n)
	for i := range out {
		k, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		if err != nil {
			return "", err
		}
		out[i] = alphabet[k.Int64()]
	}
	return string(out), nil
}

func stringOrNil(s string) pulumi.StringInput {
	if s == "" {
		return nil
	}
	return pulumi.String(s)
}
