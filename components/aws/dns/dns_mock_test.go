package dns_test

import (
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/components/aws/dns"
	"github.com/scalestack/scalestack/testkit"
)

const (
	zoneType       = "aws:route53/zone:Zone"
	recordType     = "aws:route53/record:Record"
	certType       = "aws:acm/certificate:Certificate"
	validationType = "aws:acm/certificateValidation:CertificateValidation"
)

// edgeProgram puts the zone in eu-west-1 and the CloudFront certificate in us-east-1.
func edgeProgram(sans []string) func(ctx *pulumi.Context) (pulumi.Map, error) {
	return func(ctx *pulumi.Context) (pulumi.Map, error) {
		primary, err := aws.NewProvider(ctx, "aws-eu-west-1", &aws.ProviderArgs{Region: pulumi.String("eu-west-1")})
		if err != nil {
			return nil, err
		}
		edge, err := aws.NewProvider(ctx, "aws-us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
		if err != nil {
			return nil, err
		}
		zone, err := dns.NewZone(ctx, "app", &dns.ZoneArgs{DomainName: "app.example.com"}, pulumi.Provider(primary))
		if err != nil {
			return nil, err
		}
		cert, err := dns.NewCertificate(ctx, "app-edge", &dns.CertificateArgs{
			DomainName:              "app.example.com",
			SubjectAlternativeNames: sans,
			ZoneID:                  zone.ZoneID,
		}, pulumi.Provider(edge))
		if err != nil {
			return nil, err
		}
		return pulumi.Map{
			"zoneId":      zone.ZoneID,
			"nameServers": zone.NameServers,
			"zoneName":    zone.Name,
			"certArn":     cert.CertificateARN,
			"fqdns":       cert.ValidationRecordFQDNs,
		}, nil
	}
}

func TestZoneIsRetainedAndParented(t *testing.T) {
	plan, err := testkit.RunExports(edgeProgram(nil))
	require.NoError(t, err)

	comp := plan.Find(dns.ZoneType, "app")
	require.NotNil(t, comp)
	children := plan.Children(comp.URN)
	require.Len(t, children, 1)
	zone := children[0]
	assert.Equal(t, zoneType, zone.Type)
	assert.Equal(t, "app", zone.Name)
	assert.Equal(t, "app.example.com", zone.Input("name"))
	assert.Equal(t, false, zone.Input("forceDestroy"))
	assert.True(t, zone.RetainOnDelete, "the zone outlives a destroy so its delegation never breaks")
	assert.Equal(t, "eu-west-1", zone.Region())

	assert.Equal(t, zone.ID, plan.Outputs["zoneId"])
	assert.Equal(t, "app.example.com", plan.Outputs["zoneName"])
	assert.Len(t, plan.Outputs["nameServers"], 4)
}

func TestZoneAllowDelete(t *testing.T) {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := dns.NewZone(ctx, "scratch", &dns.ZoneArgs{DomainName: "scratch.example.com", AllowDelete: true, ForceDestroy: true})
		return err
	})
	require.NoError(t, err)
	zone := plan.Find(zoneType, "scratch")
	require.NotNil(t, zone)
	assert.False(t, zone.RetainOnDelete)
	assert.Equal(t, true, zone.Input("forceDestroy"))
}

func TestCertificateValidatesThroughTheZone(t *testing.T) {
	sans := []string{"*.app.example.com", "origin-eu-west-1.app.example.com"}
	plan, err := testkit.RunExports(edgeProgram(sans))
	require.NoError(t, err)

	comp := plan.Find(dns.CertificateType, "app-edge")
	require.NotNil(t, comp)
	zone := plan.Find(zoneType, "app")
	require.NotNil(t, zone)

	// One certificate, one record per distinct validation name (the wildcard shares the
	// apex's record), one validation: all children of the component.
	kids := plan.Children(comp.URN)
	counts := map[string]int{}
	for _, k := range kids {
		counts[k.Type]++
		assert.Equal(t, "us-east-1", k.Region(), "%s %s inherits the us-east-1 provider", k.Type, k.Name)
		assert.Equal(t, "aws-us-east-1", k.ProviderResource().Name)
	}
	assert.Equal(t, map[string]int{certType: 1, recordType: 2, validationType: 1}, counts)
	assert.Equal(t, 1, plan.CountByType()[zoneType])

	cert := plan.Find(certType, "app-edge")
	require.NotNil(t, cert)
	assert.Equal(t, "us-east-1", cert.Region(), "the CloudFront certificate is issued in us-east-1")
	assert.Contains(t, cert.Output("arn"), "arn:aws:acm:us-east-1:")
	assert.Equal(t, "app.example.com", cert.Input("domainName"))
	assert.Equal(t, []any{"*.app.example.com", "origin-eu-west-1.app.example.com"}, cert.Input("subjectAlternativeNames"))
	assert.Equal(t, "DNS", cert.Input("validationMethod"))

	opts := cert.Output("domainValidationOptions").([]any)
	want := map[string]map[string]any{}
	for _, o := range opts {
		m := o.(map[string]any)
		want[m["domainName"].(string)] = m
	}
	for key, domain := range map[string]string{
		"app-edge-validation-app.example.com":                  "app.example.com",
		"app-edge-validation-origin-eu-west-1.app.example.com": "origin-eu-west-1.app.example.com",
	} {
		rec := plan.Find(recordType, key)
		require.NotNil(t, rec, key)
		assert.True(t, rec.InputFrom("zoneId", zone), "%s is in the zone", key)
		assert.Equal(t, zone.ID, rec.Input("zoneId"))
		assert.True(t, rec.InputFrom("name", cert), "%s name comes from the certificate", key)
		assert.Equal(t, want[domain]["resourceRecordName"], rec.Input("name"))
		assert.Equal(t, want[domain]["resourceRecordType"], rec.Input("type"))
		assert.Equal(t, []any{want[domain]["resourceRecordValue"]}, rec.Input("records"))
		assert.Equal(t, true, rec.Input("allowOverwrite"))
		assert.True(t, rec.RetainOnDelete, "another certificate for the same name may still need the record")
		assert.Equal(t, float64(dns.ValidationRecordTTLSeconds), rec.Input("ttl"))
	}
	assert.Equal(t, want["*.app.example.com"]["resourceRecordName"], want["app.example.com"]["resourceRecordName"],
		"the mock answers as ACM does: a wildcard shares its base name's record")

	validation := plan.Find(validationType, "app-edge")
	require.NotNil(t, validation)
	assert.True(t, validation.InputFrom("certificateArn", cert))
	for _, rec := range plan.ByType(recordType) {
		assert.True(t, validation.InputFrom("validationRecordFqdns", rec), "validation waits for %s", rec.Name)
	}
	assert.Equal(t, cert.Output("arn"), plan.Outputs["certArn"], "the component's ARN is the validated certificate's")
	assert.Len(t, plan.Outputs["fqdns"], 2)
}

// ACM's validation options are a set: the component must not depend on their order.
func TestCertificateRecordsDoNotDependOnOptionOrder(t *testing.T) {
	reverse := testkit.OnNewResource(func(r *testkit.Resource) error {
		if r.Type != certType {
			return nil
		}
		opts := r.Outputs["domainValidationOptions"].ArrayValue()
		rev := make([]resource.PropertyValue, len(opts))
		for i, o := range opts {
			rev[len(opts)-1-i] = o
		}
		r.Outputs["domainValidationOptions"] = resource.NewArrayProperty(rev)
		return nil
	})
	sans := []string{"a.app.example.com", "b.app.example.com"}
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := edgeProgram(sans)(ctx)
		return err
	}, reverse)
	require.NoError(t, err)
	for _, d := range append([]string{"app.example.com"}, sans...) {
		rec := plan.Find(recordType, "app-edge-validation-"+d)
		require.NotNil(t, rec, d)
		assert.Regexp(t, `^_[0-9a-f]{12}\.`+d+`\.$`, rec.Input("name"), "record for %s carries its own name", d)
	}
}

func TestCertificateFailsWhenACMOmitsAName(t *testing.T) {
	drop := testkit.OnNewResource(func(r *testkit.Resource) error {
		if r.Type == certType {
			r.Outputs["domainValidationOptions"] = resource.NewArrayProperty(r.Outputs["domainValidationOptions"].ArrayValue()[:1])
		}
		return nil
	})
	_, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := edgeProgram([]string{"b.app.example.com"})(ctx)
		return err
	}, drop)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "ACM returned no DNS validation option for b.app.example.com")
}

func TestAddingANameKeepsEveryURN(t *testing.T) {
	before, err := testkit.RunExports(edgeProgram([]string{"a.app.example.com"}))
	require.NoError(t, err)
	after, err := testkit.RunExports(edgeProgram([]string{"z.app.example.com", "a.app.example.com"}))
	require.NoError(t, err)
	assert.Empty(t, testkit.MissingURNs(before, after), "records are keyed by name, not position")
	assert.Len(t, after.ByType(recordType), 3)
}

func TestInvalidArgsRegisterNothing(t *testing.T) {
	var registered int
	count := testkit.OnNewResource(func(*testkit.Resource) error { registered++; return nil })
	_, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := dns.NewCertificate(ctx, "bad", &dns.CertificateArgs{DomainName: "app.example.com"})
		return err
	}, count)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `certificate "bad": ZoneID is required`)
	assert.Zero(t, registered)

	_, err = testkit.Run(func(ctx *pulumi.Context) error {
		_, err := dns.NewZone(ctx, "bad", &dns.ZoneArgs{DomainName: "nodots"})
		return err
	}, count)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `zone "bad": DomainName "nodots" is not allowed`)

	_, err = testkit.Run(func(ctx *pulumi.Context) error {
		_, err := dns.NewAlias(ctx, "bad", &dns.AliasArgs{RecordName: "app.example.com"})
		return err
	}, count)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `alias "bad": ZoneID is required`)
	assert.Zero(t, registered)
}

func TestAliasPointsAtTheLoadBalancer(t *testing.T) {
	plan, err := testkit.RunExports(func(ctx *pulumi.Context) (pulumi.Map, error) {
		p, err := aws.NewProvider(ctx, "aws-us-west-2", &aws.ProviderArgs{Region: pulumi.String("us-west-2")})
		if err != nil {
			return nil, err
		}
		zone, err := dns.NewZone(ctx, "app", &dns.ZoneArgs{DomainName: "app.example.com"}, pulumi.Provider(p))
		if err != nil {
			return nil, err
		}
		alb, err := lb.NewLoadBalancer(ctx, "web", &lb.LoadBalancerArgs{}, pulumi.Provider(p))
		if err != nil {
			return nil, err
		}
		al, err := dns.NewAlias(ctx, "origin-us-west-2", &dns.AliasArgs{
			ZoneID:               zone.ZoneID,
			RecordName:           "origin-us-west-2.app.example.com",
			Target:               dns.AliasTarget{DNSName: alb.DnsName, ZoneID: alb.ZoneId},
			IPv6:                 true,
			EvaluateTargetHealth: true,
		}, pulumi.Provider(p))
		if err != nil {
			return nil, err
		}
		return pulumi.Map{"fqdn": al.FQDN}, nil
	})
	require.NoError(t, err)
	comp := plan.Find(dns.AliasType, "origin-us-west-2")
	require.NotNil(t, comp)
	zone := plan.Find(zoneType, "app")
	alb := plan.Find("aws:lb/loadBalancer:LoadBalancer", "web")
	kids := plan.Children(comp.URN)
	require.Len(t, kids, 2)
	for suffix, typ := range map[string]string{"a": "A", "aaaa": "AAAA"} {
		rec := plan.Find(recordType, "origin-us-west-2-"+suffix)
		require.NotNil(t, rec, typ)
		assert.Equal(t, comp.URN, rec.Parent)
		assert.Equal(t, typ, rec.Input("type"))
		assert.Equal(t, "origin-us-west-2.app.example.com", rec.Input("name"))
		assert.True(t, rec.InputFrom("zoneId", zone))
		assert.True(t, rec.InputFrom("aliases", alb), "the alias targets the ALB")
		assert.Equal(t, alb.Output("dnsName"), rec.Input("aliases.0.name"))
		assert.Equal(t, "Z35SXDOTRQ7X7K", rec.Input("aliases.0.zoneId"))
		assert.Equal(t, true, rec.Input("aliases.0.evaluateTargetHealth"))
		assert.Equal(t, "us-west-2", rec.Region())
	}
	assert.Equal(t, "origin-us-west-2.app.example.com", plan.Outputs["fqdn"])
}

// A regional certificate for the ALB and CloudFront's us-east-1 certificate may cover the
// same name: each writes the (shared) validation record under its own logical name.
func TestRegionalAndEdgeCertificatesForTheSameName(t *testing.T) {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		if _, err := edgeProgram(nil)(ctx); err != nil {
			return err
		}
		regional, err := aws.NewProvider(ctx, "aws-us-west-2", &aws.ProviderArgs{Region: pulumi.String("us-west-2")})
		if err != nil {
			return err
		}
		_, err = dns.NewCertificate(ctx, "app-us-west-2", &dns.CertificateArgs{
			DomainName: "app.example.com", ZoneID: pulumi.String("Z0123456789ABC"),
		}, pulumi.Provider(regional))
		return err
	})
	require.NoError(t, err)
	edge := plan.Find(certType, "app-edge")
	regional := plan.Find(certType, "app-us-west-2")
	require.NotNil(t, edge)
	require.NotNil(t, regional)
	assert.Equal(t, "us-east-1", edge.Region())
	assert.Equal(t, "us-west-2", regional.Region())
	var records []*testkit.Resource
	for _, n := range []string{"app-edge-validation-app.example.com", "app-us-west-2-validation-app.example.com"} {
		rec := plan.Find(recordType, n)
		require.NotNil(t, rec, n)
		assert.Equal(t, true, rec.Input("allowOverwrite"))
		assert.True(t, rec.RetainOnDelete)
		records = append(records, rec)
	}
	assert.Equal(t, records[0].Input("name"), records[1].Input("name"), "ACM asks both certificates for the same record")
	assert.Equal(t, records[0].Input("records"), records[1].Input("records"))
}
