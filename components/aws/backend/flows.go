package backend

import (
	"github.com/scalestack/scalestack/policies/flows"
)

const (
	securityGroupType = "aws:ec2/securityGroup:SecurityGroup"
	loadBalancerType  = "aws:lb/loadBalancer:LoadBalancer"
	roleType          = "aws:iam/role:Role"
	dbInstanceType    = "aws:rds/instance:Instance"
	kmsKeyType        = "aws:kms/key:Key"
)

// declaredFlows are the flows the backend needs, for the flow evaluator (policies/flows) to
// prove on the plan: CloudFront → each load balancer on 443, each load balancer → its web
// tier, the web tier → its region's database on 5432, and the primary web tier reading the
// database's managed secret and decrypting it with the database key.
func (b *Backend) declaredFlows(name string, a Args) []flows.Flow {
	dbName := name + "-db"
	var fs []flows.Flow
	for _, role := range []string{"primary", "secondary"} {
		t := b.Regions[role]
		if t == nil {
			continue
		}
		if b.CDN != nil {
			fs = append(fs, flows.Flow{Name: role + ": CDN → load balancer", Kind: flows.Network,
				From: flows.From(flows.CloudFront), To: flows.Below(t.LoadBalancer, loadBalancerType), Port: 443})
		}
		fs = append(fs, flows.Flow{Name: role + ": load balancer → web", Kind: flows.Network,
			From: flows.Below(t.LoadBalancer, securityGroupType), To: flows.Below(t.Web, securityGroupType), Port: a.Web.Port})
	}
	pri := b.Regions["primary"]
	if pri == nil || b.Database == nil { // zone-only first step: nothing runs yet
		return fs
	}
	fs = append(fs,
		flows.Flow{Name: "primary: web → database", Kind: flows.Network,
			From: flows.Below(pri.Web, securityGroupType), To: flows.Below(b.Database, securityGroupType, dbName+"-sg"), Port: 5432},
		flows.Flow{Name: "primary: web reads the database secret", Kind: flows.Permission, Permission: "secretsmanager:GetSecretValue",
			From: flows.Below(pri.Web, roleType), To: flows.Below(b.Database, dbInstanceType, dbName)},
		flows.Flow{Name: "primary: web decrypts the database secret", Kind: flows.Permission, Permission: "kms:Decrypt",
			From: flows.Below(pri.Web, roleType), To: flows.Below(b.Database, kmsKeyType, dbName+"-key")},
	)
	if sec := b.Regions["secondary"]; sec != nil && a.Database.CrossRegionReplica {
		fs = append(fs, flows.Flow{Name: "secondary: web → cross-region replica", Kind: flows.Network,
			From: flows.Below(sec.Web, securityGroupType), To: flows.Below(b.Database, securityGroupType, dbName+"-secondary-sg"), Port: 5432})
	}
	if sec := b.Regions["secondary"]; sec != nil && a.Database.CrossRegionReplica {
		// The secondary's instances sign in to their replica with the same RDS-managed secret,
		// read in the primary region.
		fs = append(fs,
			flows.Flow{Name: "secondary: web reads the database secret", Kind: flows.Permission, Permission: "secretsmanager:GetSecretValue",
				From: flows.Below(sec.Web, roleType), To: flows.Below(b.Database, dbInstanceType, dbName)},
			flows.Flow{Name: "secondary: web decrypts the database secret", Kind: flows.Permission, Permission: "kms:Decrypt",
				From: flows.Below(sec.Web, roleType), To: flows.Below(b.Database, kmsKeyType, dbName+"-key")},
		)
	}
	return fs
}
