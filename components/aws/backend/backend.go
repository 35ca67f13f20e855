package backend

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/aws/backup"
	"github.com/scalestack/scalestack/components/aws/cdn"
	"github.com/scalestack/scalestack/components/aws/database"
	"github.com/scalestack/scalestack/components/aws/dns"
	"github.com/scalestack/scalestack/components/aws/failover"
	"github.com/scalestack/scalestack/components/aws/loadbalancer"
	"github.com/scalestack/scalestack/components/aws/monitoring"
	"github.com/scalestack/scalestack/components/aws/network"
	"github.com/scalestack/scalestack/components/aws/waf"
	"github.com/scalestack/scalestack/components/aws/webtier"
	"github.com/scalestack/scalestack/policies/flows"
)

// BackupSelectionTagKey tags the instances that the backup plan selects.
const BackupSelectionTagKey = "scalestack-backup"

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

	// Notes says which parts were left out and why (single region, no domain).
	Notes []string

	// The parts, for programs that wire more resources to them.
	Regions  map[string]*RegionalTier
	Database *database.Database
	CDN      *cdn.CDN
	WAF      *waf.WebACL
	Failover *failover.Failover
	Backup   *backup.Backup
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
	if err := a.validate(); err != nil {
		return nil, fmt.Errorf("backend %q: %w", name, err)
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

	lbNames := pulumi.StringMap{}
	topics := pulumi.StringMap{}
	for _, rg := range regions {
		t, err := b.region(ctx, name, rg.role, rg.r, a, zoneID)
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
			cargs := &cdn.Args{
				PrimaryOrigin:  cdn.Origin{DomainName: origin},
				CertificateARN: cert.CertificateARN,
				Aliases:        []string{a.Domain},
				Tags:           tags,
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
				cargs.SecondaryOrigin = &cdn.Origin{DomainName: sec.Origin.FQDN}
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

	// Backups: the database and the instances, copied to the secondary region.
	backupVault := pulumi.String("").ToStringOutput()
	if a.Backup != nil {
		bargs := &backup.Args{
			DailyAt:             a.Backup.DailyAt,
			RetentionDays:       a.Backup.RetentionDays,
			WeeklyRetentionDays: a.Backup.WeeklyRetentionDays,
			ResourceARNs:        pulumi.StringArray{db.PrimaryARN},
			SelectionTag:        &backup.SelectionTag{Key: BackupSelectionTagKey, Value: name},
			Tags:                tags,
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

	b.URL = url
	b.CDNDomainName = cdnDomain
	b.LoadBalancerDNSNames = lbNames.ToStringMapOutput()
	b.DatabaseEndpoint = db.Endpoint
	b.ReadReplicaEndpoints = db.ReplicaEndpoints
	b.CrossRegionReplicaEndpoint = db.CrossRegionReplicaEndpoint
	b.DatabaseSecretARN = db.MasterUserSecretARN
	b.NameServers = nameServers
	b.AlertTopicARNs = topics.ToStringMapOutput()
	b.BackupVaultARN = backupVault
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
		"notes":                      pulumi.ToStringArray(b.Notes),
	}
	if err := flows.Declare(ctx, b, outputs, b.declaredFlows(name, a)...); err != nil {
		return err
	}
	return ctx.RegisterResourceOutputs(b, outputs)
}

// region builds one region's network, certificate, load balancer, origin name and web tier.
func (b *Backend) region(ctx *pulumi.Context, name, role string, r Region, a Args, zoneID pulumi.StringInput) (*RegionalTier, error) {
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
	lb, err := loadbalancer.New(ctx, prefix+"-lb", &loadbalancer.Args{
		VpcID:              net.VpcID,
		SubnetIDs:          net.PublicSubnetIDs,
		Region:             r.Name,
		CertificateARN:     certARN,
		TargetPort:         a.Web.Port,
		HealthCheckPath:    a.Web.HealthCheckPath,
		DeletionProtection: a.LoadBalancerDeletionProtection,
		Tags:               a.Tags,
	}, opts...)
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
	webTags := map[string]string{BackupSelectionTagKey: name}
	for k, v := range a.Tags {
		webTags[k] = v
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
		Tags:                        webTags,
	}, opts...)
	if err != nil {
		return nil, err
	}
	t.Web = web
	return t, nil
}

func stringOrNil(s string) pulumi.StringInput {
	if s == "" {
		return nil
	}
	return pulumi.String(s)
}
