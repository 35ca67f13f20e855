// Package dns owns the public DNS of a scalestack deployment on AWS: a Route 53 hosted zone
// for the stack's domain (the user delegates it), ACM certificates validated through DNS
// records in that zone, and alias records that point names of the zone at load balancers or
// CloudFront distributions.
//
// Route 53 is global, ACM is regional: a Certificate is issued in the region of the provider
// it is given (us-east-1 for CloudFront, the load balancer's region for an ALB), while its
// validation records land in the zone whatever that region is.
//
//	zone, _ := dns.NewZone(ctx, "app", &dns.ZoneArgs{DomainName: "app.example.com"}, pulumi.Provider(primary))
//	edge, _ := dns.NewCertificate(ctx, "app-edge", &dns.CertificateArgs{
//		DomainName: "app.example.com", ZoneID: zone.ZoneID,
//	}, pulumi.Provider(usEast1))
//	// edge.CertificateARN is known once ACM has issued the certificate.
package dns
