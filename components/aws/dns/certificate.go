package dns

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/acm"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// CertificateType is the type token of Certificate: part of every child's URN.
const CertificateType = "scalestack:aws:Certificate"

// MaxSubjectAlternativeNames is how many names a certificate may carry besides DomainName
// under ACM's default quota of 10 names per certificate.
const MaxSubjectAlternativeNames = 9

// ValidationRecordTTLSeconds is the TTL of the DNS validation records.
const ValidationRecordTTLSeconds = 60

// CertificateArgs configures a Certificate. Zero values mean the documented default.
type CertificateArgs struct {
	// DomainName is the certificate's primary name ("app.example.com", or a wildcard
	// "*.app.example.com"). Required.
	DomainName string
	// SubjectAlternativeNames are further names the certificate covers, such as
	// "origin-us-east-1.app.example.com". Default: none. Allowed: at most
	// MaxSubjectAlternativeNames distinct names, none equal to DomainName. A plain list:
	// each name decides a validation record.
	SubjectAlternativeNames []string
	// ZoneID is the Route 53 hosted zone that holds the validation records; it must be
	// authoritative for every name. Required.
	ZoneID pulumi.StringInput
	// Tags are added to the certificate, over the provider's default tags.
	Tags map[string]string
}

// Certificate is an ACM certificate, its DNS validation records and the wait for its
// validation. The provider it is given decides the certificate's region; the records live
// in the (global) hosted zone.
//
// Names may overlap between certificates (an ALB's regional certificate and CloudFront's
// us-east-1 certificate both covering app.example.com): ACM asks for the same validation
// record for a name in every region of an account, the records allow overwrite so each
// certificate can write it, and they are retained on delete, so removing one certificate
// never breaks the renewal of another. A retained CNAME grants nothing by itself.
type Certificate struct {
	pulumi.ResourceState

	// CertificateARN is the ARN of the issued certificate. It resolves only once ACM has
	// validated the certificate, so a listener or distribution that uses it never sees a
	// pending certificate.
	CertificateARN pulumi.StringOutput `pulumi:"certificateArn"`
	// ValidationRecordFQDNs are the names of the validation records, one per distinct name.
	ValidationRecordFQDNs pulumi.StringArrayOutput `pulumi:"validationRecordFqdns"`
}

// names returns the certificate's names: DomainName first, then the SANs in order.
func (a CertificateArgs) names() []string {
	return append([]string{a.DomainName}, a.SubjectAlternativeNames...)
}

// validationKeys returns the distinct validation record keys of the certificate's names, in
// order of first appearance ("*.example.com" and "example.com" share "example.com").
func (a CertificateArgs) validationKeys() []string {
	var keys []string
	seen := map[string]bool{}
	for _, n := range a.names() {
		k := validationKey(n)
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	return keys
}

// validate checks args without registering anything.
func (a CertificateArgs) validate() error {
	if err := ValidateDomainName("DomainName", a.DomainName, true); err != nil {
		return err
	}
	if n := len(a.SubjectAlternativeNames); n > MaxSubjectAlternativeNames {
		return fmt.Errorf("SubjectAlternativeNames has %d names, which is not allowed: want at most %d (ACM's default quota is 10 names per certificate)", n, MaxSubjectAlternativeNames)
	}
	seen := map[string]bool{a.DomainName: true}
	for i, s := range a.SubjectAlternativeNames {
		field := fmt.Sprintf("SubjectAlternativeNames[%d]", i)
		if err := ValidateDomainName(field, s, true); err != nil {
			return err
		}
		if seen[s] {
			return fmt.Errorf("%s %q is not allowed: the name is already on the certificate, want each name once", field, s)
		}
		seen[s] = true
	}
	if a.ZoneID == nil {
		return fmt.Errorf("ZoneID is required: want the hosted zone that validates %s", a.DomainName)
	}
	return nil
}

func (a *CertificateArgs) resolve() (CertificateArgs, error) {
	if a == nil {
		return CertificateArgs{}, fmt.Errorf("args are required: want DomainName and ZoneID at least")
	}
	r := *a
	r.SubjectAlternativeNames = append([]string(nil), a.SubjectAlternativeNames...)
	return r, r.validate()
}

// NewCertificate validates args and registers an ACM certificate named name, one DNS
// validation record per distinct name (named "<name>-validation-<domain>", so adding or
// removing a name never renames another record; retained on delete) and a certificate
// validation.
func NewCertificate(ctx *pulumi.Context, name string, args *CertificateArgs, opts ...pulumi.ResourceOption) (*Certificate, error) {
	a, err := args.resolve()
	if err != nil {
		return nil, fmt.Errorf("certificate %q: %w", name, err)
	}
	c := &Certificate{}
	if err := ctx.RegisterComponentResource(CertificateType, name, c, opts...); err != nil {
		return nil, err
	}
	certArgs := &acm.CertificateArgs{
		DomainName:       pulumi.String(a.DomainName),
		ValidationMethod: pulumi.String("DNS"),
		KeyAlgorithm:     pulumi.String("RSA_2048"),
		Options: &acm.CertificateOptionsArgs{
			CertificateTransparencyLoggingPreference: pulumi.String("ENABLED"),
		},
		Tags: pulumi.ToStringMap(a.Tags),
	}
	if len(a.SubjectAlternativeNames) > 0 {
		certArgs.SubjectAlternativeNames = pulumi.ToStringArray(a.SubjectAlternativeNames)
	}
	cert, err := acm.NewCertificate(ctx, name, certArgs, pulumi.Parent(c))
	if err != nil {
		return nil, fmt.Errorf("certificate %q: creating certificate: %w", name, err)
	}

	var fqdns pulumi.StringArray
	for _, key := range a.validationKeys() {
		opt := validationOption(cert, key)
		rec, err := route53.NewRecord(ctx, name+"-validation-"+key, &route53.RecordArgs{
			ZoneId: a.ZoneID,
			Name: opt.ApplyT(func(o acm.CertificateDomainValidationOption) string {
				return deref(o.ResourceRecordName)
			}).(pulumi.StringOutput),
			Type: opt.ApplyT(func(o acm.CertificateDomainValidationOption) string {
				return deref(o.ResourceRecordType)
			}).(pulumi.StringOutput),
			Records: pulumi.StringArray{opt.ApplyT(func(o acm.CertificateDomainValidationOption) string {
				return deref(o.ResourceRecordValue)
			}).(pulumi.StringOutput)},
			Ttl:            pulumi.Int(ValidationRecordTTLSeconds),
			AllowOverwrite: pulumi.Bool(true),
		}, pulumi.Parent(c), pulumi.RetainOnDelete(true))
		if err != nil {
			return nil, fmt.Errorf("certificate %q: creating validation record for %s: %w", name, key, err)
		}
		fqdns = append(fqdns, rec.Fqdn)
	}

	validation, err := acm.NewCertificateValidation(ctx, name, &acm.CertificateValidationArgs{
		CertificateArn:        cert.Arn,
		ValidationRecordFqdns: fqdns,
	}, pulumi.Parent(c))
	if err != nil {
		return nil, fmt.Errorf("certificate %q: creating certificate validation: %w", name, err)
	}
	c.CertificateARN = validation.CertificateArn
	c.ValidationRecordFQDNs = fqdns.ToStringArrayOutput()
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"certificateArn":        c.CertificateARN,
		"validationRecordFqdns": c.ValidationRecordFQDNs,
	})
}

// validationOption picks, from the options ACM returns (a set, in no particular order), the
// one for the names sharing key. It fails when ACM returned none, which would mean the
// certificate does not cover that name.
func validationOption(cert *acm.Certificate, key string) acm.CertificateDomainValidationOptionOutput {
	return cert.DomainValidationOptions.ApplyT(func(opts []acm.CertificateDomainValidationOption) (acm.CertificateDomainValidationOption, error) {
		for _, o := range opts {
			if validationKey(deref(o.DomainName)) == key {
				return o, nil
			}
		}
		return acm.CertificateDomainValidationOption{}, fmt.Errorf("ACM returned no DNS validation option for %s", key)
	}).(acm.CertificateDomainValidationOptionOutput)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
