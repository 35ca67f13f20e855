package main

import (
	"strings"

	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
)

// Tokens maps every AWS resource token the project's components, stacks and examples use to
// the Terraform AWS provider's resource name, as pulumi-aws maps them
// (github.com/pulumi/pulumi-aws provider/resources.go). A token missing here fails the
// engine's Check with "unrecognized resource type", naming it: add it when a component
// starts using a new resource.
var Tokens = map[string]string{
	"aws:acm/certificate:Certificate":                                      "aws_acm_certificate",
	"aws:acm/certificateValidation:CertificateValidation":                  "aws_acm_certificate_validation",
	"aws:autoscaling/group:Group":                                          "aws_autoscaling_group",
	"aws:autoscaling/policy:Policy":                                        "aws_autoscaling_policy",
	"aws:autoscaling/schedule:Schedule":                                    "aws_autoscaling_schedule",
	"aws:backup/plan:Plan":                                                 "aws_backup_plan",
	"aws:backup/selection:Selection":                                       "aws_backup_selection",
	"aws:backup/vault:Vault":                                               "aws_backup_vault",
	"aws:backup/vaultLockConfiguration:VaultLockConfiguration":             "aws_backup_vault_lock_configuration",
	"aws:backup/vaultPolicy:VaultPolicy":                                   "aws_backup_vault_policy",
	"aws:cloudfront/cachePolicy:CachePolicy":                               "aws_cloudfront_cache_policy",
	"aws:cloudfront/distribution:Distribution":                             "aws_cloudfront_distribution",
	"aws:cloudfront/originAccessControl:OriginAccessControl":               "aws_cloudfront_origin_access_control",
	"aws:cloudfront/originRequestPolicy:OriginRequestPolicy":               "aws_cloudfront_origin_request_policy",
	"aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy":           "aws_cloudfront_response_headers_policy",
	"aws:cloudwatch/dashboard:Dashboard":                                   "aws_cloudwatch_dashboard",
	"aws:cloudwatch/logGroup:LogGroup":                                     "aws_cloudwatch_log_group",
	"aws:cloudwatch/metricAlarm:MetricAlarm":                               "aws_cloudwatch_metric_alarm",
	"aws:ec2/defaultSecurityGroup:DefaultSecurityGroup":                    "aws_default_security_group",
	"aws:ec2/eip:Eip":                                                      "aws_eip",
	"aws:ec2/flowLog:FlowLog":                                              "aws_flow_log",
	"aws:ec2/internetGateway:InternetGateway":                              "aws_internet_gateway",
	"aws:ec2/launchTemplate:LaunchTemplate":                                "aws_launch_template",
	"aws:ec2/natGateway:NatGateway":                                        "aws_nat_gateway",
	"aws:ec2/route:Route":                                                  "aws_route",
	"aws:ec2/routeTable:RouteTable":                                        "aws_route_table",
	"aws:ec2/routeTableAssociation:RouteTableAssociation":                  "aws_route_table_association",
	"aws:ec2/securityGroup:SecurityGroup":                                  "aws_security_group",
	"aws:ec2/securityGroupRule:SecurityGroupRule":                          "aws_security_group_rule",
	"aws:ec2/subnet:Subnet":                                                "aws_subnet",
	"aws:ec2/vpc:Vpc":                                                      "aws_vpc",
	"aws:ec2/vpcEndpoint:VpcEndpoint":                                      "aws_vpc_endpoint",
	"aws:elasticache/parameterGroup:ParameterGroup":                        "aws_elasticache_parameter_group",
	"aws:elasticache/replicationGroup:ReplicationGroup":                    "aws_elasticache_replication_group",
	"aws:elasticache/subnetGroup:SubnetGroup":                              "aws_elasticache_subnet_group",
	"aws:iam/instanceProfile:InstanceProfile":                              "aws_iam_instance_profile",
	"aws:iam/policy:Policy":                                                "aws_iam_policy",
	"aws:iam/role:Role":                                                    "aws_iam_role",
	"aws:iam/rolePolicy:RolePolicy":                                        "aws_iam_role_policy",
	"aws:iam/rolePolicyAttachment:RolePolicyAttachment":                    "aws_iam_role_policy_attachment",
	"aws:kms/alias:Alias":                                                  "aws_kms_alias",
	"aws:kms/key:Key":                                                      "aws_kms_key",
	"aws:kms/keyPolicy:KeyPolicy":                                          "aws_kms_key_policy",
	"aws:kms/replicaKey:ReplicaKey":                                        "aws_kms_replica_key",
	"aws:lb/listener:Listener":                                             "aws_lb_listener",
	"aws:lb/listenerRule:ListenerRule":                                     "aws_lb_listener_rule",
	"aws:lb/loadBalancer:LoadBalancer":                                     "aws_lb",
	"aws:lb/targetGroup:TargetGroup":                                       "aws_lb_target_group",
	"aws:rds/instance:Instance":                                            "aws_db_instance",
	"aws:rds/parameterGroup:ParameterGroup":                                "aws_db_parameter_group",
	"aws:rds/subnetGroup:SubnetGroup":                                      "aws_db_subnet_group",
	"aws:route53/healthCheck:HealthCheck":                                  "aws_route53_health_check",
	"aws:route53/record:Record":                                            "aws_route53_record",
	"aws:route53/zone:Zone":                                                "aws_route53_zone",
	"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2": "aws_s3_bucket_lifecycle_configuration",
	"aws:s3/bucketLoggingV2:BucketLoggingV2":                               "aws_s3_bucket_logging",
	"aws:s3/bucketOwnershipControls:BucketOwnershipControls":               "aws_s3_bucket_ownership_controls",
	"aws:s3/bucketPolicy:BucketPolicy":                                     "aws_s3_bucket_policy",
	"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":               "aws_s3_bucket_public_access_block",
	"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": "aws_s3_bucket_server_side_encryption_configuration",
	"aws:s3/bucketV2:BucketV2":                                        "aws_s3_bucket",
	"aws:s3/bucketVersioningV2:BucketVersioningV2":                    "aws_s3_bucket_versioning",
	"aws:secretsmanager/secret:Secret":                                "aws_secretsmanager_secret",
	"aws:secretsmanager/secretVersion:SecretVersion":                  "aws_secretsmanager_secret_version",
	"aws:sns/topic:Topic":                                             "aws_sns_topic",
	"aws:sns/topicPolicy:TopicPolicy":                                 "aws_sns_topic_policy",
	"aws:sns/topicSubscription:TopicSubscription":                     "aws_sns_topic_subscription",
	"aws:sqs/queue:Queue":                                             "aws_sqs_queue",
	"aws:sqs/queuePolicy:QueuePolicy":                                 "aws_sqs_queue_policy",
	"aws:sqs/redriveAllowPolicy:RedriveAllowPolicy":                   "aws_sqs_queue_redrive_allow_policy",
	"aws:sqs/redrivePolicy:RedrivePolicy":                             "aws_sqs_queue_redrive_policy",
	"aws:ssm/parameter:Parameter":                                     "aws_ssm_parameter",
	"aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule":         "aws_vpc_security_group_egress_rule",
	"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule":       "aws_vpc_security_group_ingress_rule",
	"aws:wafv2/webAcl:WebAcl":                                         "aws_wafv2_web_acl",
	"aws:wafv2/webAclAssociation:WebAclAssociation":                   "aws_wafv2_web_acl_association",
	"aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": "aws_wafv2_web_acl_logging_configuration",
}

// Fields are pulumi-aws's own overrides of the bridge's default property names, for the fields
// the project sets (github.com/pulumi/pulumi-aws provider/resources.go): a Terraform field
// renamed in the Pulumi schema, or a block of at most one element that pulumi-aws keeps a list
// (MaxItemsOne false). Without them the provider refuses the SDK's own property names ("Invalid
// or unknown key"). Every other resource with a name gets pulumi-aws's auto-naming
// (SetAutonaming in main.go), as the SDK's programs expect.
var Fields = map[string]map[string]*tfbridge.SchemaInfo{
	// resources.go: "alarm_name": tfbridge.AutoName("name", 255, "-").
	"aws:cloudwatch/metricAlarm:MetricAlarm": {"alarm_name": tfbridge.AutoName("name", 255, "-")},
	// resources.go: "replication_group_id": tfbridge.AutoNameTransform("replicationGroupId", 40,
	// strings.ToLower).
	"aws:elasticache/replicationGroup:ReplicationGroup": {"replication_group_id": tfbridge.AutoNameTransform("replicationGroupId", 40, strings.ToLower)},
	// resources.go: "topic_arn": {Name: "topic"}.
	"aws:sns/topicSubscription:TopicSubscription": {"topic_arn": {Name: "topic"}},
	// resources.go: the alias block and the routing policies have MaxItems 1 in Terraform,
	// and pulumi-aws keeps them lists under plural names (Record.aliases,
	// Record.failoverRoutingPolicies ...).
	"aws:route53/record:Record": {
		"alias":                      {Name: "aliases", MaxItemsOne: tfbridge.False()},
		"failover_routing_policy":    {Name: "failoverRoutingPolicies", MaxItemsOne: tfbridge.False()},
		"geolocation_routing_policy": {Name: "geolocationRoutingPolicies", MaxItemsOne: tfbridge.False()},
		"latency_routing_policy":     {Name: "latencyRoutingPolicies", MaxItemsOne: tfbridge.False()},
		"weighted_routing_policy":    {Name: "weightedRoutingPolicies", MaxItemsOne: tfbridge.False()},
	},
}
