package backend

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/policies/flows"
)

const (
	templateType       = "gcp:compute/instanceTemplate:InstanceTemplate"
	serviceAccountType = "gcp:serviceaccount/account:Account"
	sqlInstanceType    = "gcp:sql/databaseInstance:DatabaseInstance"
)

// declaredFlows are the flows the backend needs, for the flow evaluator (policies/flows) to
// prove on the plan: the Google front ends and health checkers → each region's instances on
// the web port, each region's instances → the primary Cloud SQL instance on 5432, and each
// region's service account signing in to it with IAM database authentication.
func declaredFlows(name string, port int, webs map[string]pulumi.Resource, db pulumi.Resource) []flows.Flow {
	if port == 0 {
		port = 8080 // webtier.Args' default Port
	}
	primary := flows.Below(db, sqlInstanceType, name+"-db")
	var fs []flows.Flow
	for _, role := range []string{"primary", "secondary"} {
		web := webs[role]
		if web == nil {
			continue
		}
		fs = append(fs,
			flows.Flow{Name: role + ": load balancer → web", Kind: flows.Network,
				From: flows.From(flows.GoogleFrontEnd), To: flows.Below(web, templateType), Port: port},
			flows.Flow{Name: role + ": web → database", Kind: flows.Network,
				From: flows.Below(web, templateType), To: primary, Port: 5432},
			flows.Flow{Name: role + ": web signs in to the database", Kind: flows.Login,
				From: flows.Below(web, serviceAccountType), To: primary},
		)
	}
	return fs
}
