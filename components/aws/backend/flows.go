package backend

import (
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/aws/cache"
	"github.com/scalestack/scalestack/policies/flows"
)

const (
	securityGroupType = "aws:ec2/securityGroup:SecurityGroup"
	loadBalancerType  = "aws:lb/loadBalancer:LoadBalancer"
	roleType          = "aws:iam/role:Role"
	dbInstanceType    = "aws:rds/instance:Instance"
	kmsKeyType        = "aws:kms/key:Key"
	secretType        = "aws:secretsmanager/secret:Secret"
	queueType         = "aws:sqs/queue:Queue"
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
	return append(fs, b.tierFlows(name)...)
}

// tierFlows are the flows of the cache and the queue: the primary web tier and the workers
// reach the cache on its port and read (and decrypt) its AUTH token; the web tiers send to
// the queue, encrypting with its key; the workers receive, delete and decrypt.
func (b *Backend) tierFlows(name string) []flows.Flow {
	var fs []flows.Flow
	pri := b.Regions["primary"]
	if c := b.Cache; c != nil {
		cacheName := name + "-cache"
		clients := []struct {
			label string
			res   pulumi.Resource
		}{{"web", pri.Web}}
		if b.Worker != nil {
			clients = append(clients, struct {
				label string
				res   pulumi.Resource
			}{"worker", b.Worker})
		}
		for _, cl := range clients {
			fs = append(fs,
				flows.Flow{Name: "primary: " + cl.label + " → cache", Kind: flows.Network,
					From: flows.Below(cl.res, securityGroupType), To: flows.Below(c, securityGroupType, cacheName), Port: cache.DefaultPort},
				flows.Flow{Name: "primary: " + cl.label + " reads the cache AUTH token", Kind: flows.Permission, Permission: "secretsmanager:GetSecretValue",
					From: flows.Below(cl.res, roleType), To: flows.Below(c, secretType, cacheName+"-auth")},
				flows.Flow{Name: "primary: " + cl.label + " decrypts the cache AUTH token", Kind: flows.Permission, Permission: "kms:Decrypt",
					From: flows.Below(cl.res, roleType), To: flows.Below(c, kmsKeyType, cacheName+"-key")},
			)
		}
	}
	if q := b.Queue; q != nil {
		queueName := name + "-queue"
		for _, role := range []string{"primary", "secondary"} {
			t := b.Regions[role]
			if t == nil {
				continue
			}
			fs = append(fs,
				flows.Flow{Name: role + ": web sends to the queue", Kind: flows.Permission, Permission: "sqs:SendMessage",
					From: flows.Below(t.Web, roleType), To: flows.Below(q, queueType, queueName)},
				flows.Flow{Name: role + ": web encrypts queue messages", Kind: flows.Permission, Permission: "kms:GenerateDataKey",
					From: flows.Below(t.Web, roleType), To: flows.Below(q, kmsKeyType, queueName+"-key")},
			)
		}
		for _, act := range []string{"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility"} {
			fs = append(fs, flows.Flow{Name: "primary: worker " + strings.TrimPrefix(act, "sqs:") + " on the queue", Kind: flows.Permission, Permission: act,
				From: flows.Below(b.Worker, roleType), To: flows.Below(q, queueType, queueName)})
		}
		fs = append(fs, flows.Flow{Name: "primary: worker decrypts queue messages", Kind: flows.Permission, Permission: "kms:Decrypt",
			From: flows.Below(b.Worker, roleType), To: flows.Below(q, kmsKeyType, queueName+"-key")})
	}
	return fs
}
