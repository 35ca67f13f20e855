package rules

// The flow rules read the declarations from a component's outputs, as the engine's stack
// analysis sends them (Properties are outputs there). The evaluator itself is tested on
// hand-made plans in policies/flows.
var (
	flowWebSG = res("aws:ec2/securityGroup:SecurityGroup", "web", obj{"vpcId": "vpc-1"})
	flowDBSG  = res("aws:ec2/securityGroup:SecurityGroup", "db", obj{"vpcId": "vpc-1"})
	flowIn    = dep(dep(res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "db-from-web", obj{
		"securityGroupId": computed, "referencedSecurityGroupId": computed, "ipProtocol": "tcp", "fromPort": 5432, "toPort": 5432,
	}), "securityGroupId", flowDBSG), "referencedSecurityGroupId", flowWebSG)
	flowOut = dep(dep(res("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "web-to-db", obj{
		"securityGroupId": computed, "referencedSecurityGroupId": computed, "ipProtocol": "tcp", "fromPort": 5432, "toPort": 5432,
	}), "securityGroupId", flowWebSG), "referencedSecurityGroupId", flowDBSG)
	flowApp = res("scalestack:test:App", "app", obj{"scalestackFlows": arr{obj{
		"name": "web → database", "kind": "network", "protocol": "tcp", "port": 5432,
		"from": obj{"urn": flowWebSG.URN}, "to": obj{"urn": flowDBSG.URN},
	}}})

	edgeSG  = res("aws:ec2/securityGroup:SecurityGroup", "lb", obj{"vpcId": "vpc-1"})
	edgeLB  = dep(res("aws:lb/loadBalancer:LoadBalancer", "lb", obj{"internal": false, "securityGroups": arr{computed}}), "securityGroups", edgeSG)
	edgeCDN = dep(res("aws:cloudfront/distribution:Distribution", "cdn", obj{"origins": arr{obj{"domainName": computed}}}), "origins", edgeLB)
	edgeCF  = dep(res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "lb-from-cloudfront", obj{
		"securityGroupId": computed, "ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "prefixListId": "pl-3b927c52",
	}), "securityGroupId", edgeSG)
	edgeAny = dep(res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "lb-from-anywhere", obj{
		"securityGroupId": computed, "ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "cidrIpv4": "0.0.0.0/0",
	}), "securityGroupId", edgeSG)
)

func init() {
	stackCases = append(stackCases,
		stackCase{rule: "stack-flow-blocked",
			good: []Resource{flowApp, flowWebSG, flowDBSG, flowIn, flowOut},
			bad:  []Resource{flowApp, flowWebSG, flowDBSG, flowIn},
			want: `flow "web → database" (web → db, tcp/5432) is BLOCKED: security group web has no egress rule for tcp/5432 to db`},
		stackCase{rule: "stack-exposure-bypasses-edge",
			good: []Resource{edgeSG, edgeLB, edgeCDN, edgeCF},
			bad:  []Resource{edgeSG, edgeLB, edgeCDN, edgeAny},
			want: "lb is reachable from 0.0.0.0/0 on 443 (lb-from-anywhere): load balancer lb is an origin of CloudFront distribution cdn but admits the internet directly"},
	)
}
