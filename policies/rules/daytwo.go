package rules

// Day-two fights: a field the cloud or an autoscaler changes after deploy, which the program
// keeps setting without ignoring changes, so the next `pulumi up` (or `pulumi up --refresh`)
// puts it back: a loaded tier scaled in, a schedule undone, a grown disk "shrunk" by replacing
// the database. The rules read the resource's ignoreChanges option, which the engine sends to
// analyzers with every resource (AnalyzerResourceOptions.ignoreChanges; pulumi/pulumi
// pkg/resource/deploy/step_generator.go passes goal.IgnoreChanges), and testkit records.

const (
	awsASGSchedule     = "aws:autoscaling/schedule:Schedule"
	awsASGPolicy       = "aws:autoscaling/policy:Policy"
	azAutoscaleSetting = "azure-native:insights:AutoscaleSetting"
)

func init() {
	register(
		&Rule{
			ID: "aws-asg-day-two",
			Description: "Auto Scaling groups ignore changes to the capacity their scaling policies (desiredCapacity) and " +
				"scheduled actions (minSize, maxSize, desiredCapacity) change after deploy.",
			Level: Mandatory,
			Anchors: []string{
				"https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-scheduled-scaling.html",
				"https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/autoscaling_schedule",
			},
			checkStack: func(c *check) {
				for _, asg := range c.ofType(awsASG) {
					changed := map[string]string{} // field → what changes it
					for _, p := range c.ofType(awsASGPolicy) {
						if c.refers(p, "autoscalingGroupName", asg) {
							changed["desiredCapacity"] = "scaling policy " + p.Name
						}
					}
					for _, s := range c.ofType(awsASGSchedule) {
						if !c.refers(s, "autoscalingGroupName", asg) {
							continue
						}
						// A scheduled action sets each size it does not give as -1 (and an
						// absent one to 0): aws_autoscaling_schedule, min_size/max_size/
						// desired_capacity "Set to -1 if you don't want to change".
						for _, f := range []string{"minSize", "maxSize", "desiredCapacity"} {
							if v := c.peekOf(s, f); v.known() {
								if n, ok := v.num(); ok && n < 0 {
									continue
								}
							}
							changed[f] = "scheduled action " + s.Name
						}
					}
					for _, f := range []string{"minSize", "maxSize", "desiredCapacity"} {
						by, ok := changed[f]
						if !ok || !c.peekOf(asg, f).isSet() || asg.Ignores(f) {
							continue
						}
						c.failOn(asg, "%s is set and not in ignoreChanges, but %s changes it after deploy: the next `pulumi up --refresh` "+
							"puts it back; add %q to the group's ignoreChanges", f, by, f)
					}
				}
			},
		},
		&Rule{
			ID: "az-vmss-capacity-day-two",
			Description: "Scale sets under an enabled autoscale setting ignore changes to sku.capacity, which the " +
				"autoscale setting owns after deploy.",
			Level: Mandatory,
			Anchors: []string{
				"https://learn.microsoft.com/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-autoscale-overview",
				"https://learn.microsoft.com/azure/azure-monitor/autoscale/autoscale-best-practices",
			},
			checkStack: func(c *check) {
				for _, ss := range c.ofType(azVMSS) {
					if !c.peekOf(ss, "sku.capacity").isSet() || ss.Ignores("sku.capacity") {
						continue
					}
					for _, as := range c.ofType(azAutoscaleSetting) {
						if v := c.peekOf(as, "enabled"); v.known() && v.isFalse() {
							continue
						}
						if c.refers(as, "targetResourceUri", ss) {
							c.failOn(ss, "sku.capacity is set and not in ignoreChanges, but autoscale setting %s changes it: every update "+
								"of the scale set (an image, a tag) sends the configured capacity and scales a loaded tier back; "+
								"add \"sku.capacity\" to the scale set's ignoreChanges", as.Name)
							break
						}
					}
				}
			},
		},
		&Rule{
			ID: "gcp-sql-disk-day-two",
			Description: "Cloud SQL instances with disk autoresize (the default) that set settings.diskSize ignore changes " +
				"to it, or the next update after a resize replaces the instance to shrink the disk.",
			ResourceTypes: []string{gcpSQLInstance}, Level: Mandatory,
			Anchors: []string{
				"https://www.pulumi.com/registry/packages/gcp/api-docs/sql/databaseinstance/",
				"https://cloud.google.com/sql/docs/postgres/instance-settings#automatic-storage-increase-2ndgen",
			},
			check: func(c *check) {
				if !c.peek("settings.diskSize").isSet() || c.r.Ignores("settings.diskSize") {
					return
				}
				// settings.diskAutoresize defaults to true (pulumi-gcp v7 sql.DatabaseInstanceSettings).
				auto := c.at("settings.diskAutoresize")
				if auto.unknown || auto.known() && auto.isFalse() {
					return
				}
				c.fail("settings.diskSize is set with disk autoresize on and is not in ignoreChanges: once Cloud SQL grows the disk, " +
					"the configured size reads as a shrink, which replaces the instance (and its data); add \"settings.diskSize\" " +
					"to ignoreChanges, or turn settings.diskAutoresize off")
			},
		},
		&Rule{
			ID: "aws-rds-storage-day-two",
			Description: "RDS storage autoscaling (maxAllocatedStorage) has a ceiling at least 10% above allocatedStorage; " +
				"the provider then ignores allocatedStorage changes on its own.",
			ResourceTypes: []string{awsRDSInstance}, Level: Mandatory,
			Anchors: []string{
				"https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PIOPS.Autoscaling.html",
				"https://www.pulumi.com/registry/packages/aws/api-docs/rds/instance/",
			},
			check: func(c *check) {
				max := c.at("maxAllocatedStorage")
				if max.unknown || !max.known() {
					return // no storage autoscaling: allocatedStorage changes only when the program changes it
				}
				ceiling, _ := max.num()
				if ceiling == 0 {
					return // 0 turns storage autoscaling off
				}
				alloc := c.at("allocatedStorage")
				size, ok := alloc.num()
				if alloc.unknown || !ok {
					return
				}
				if ceiling*10 < size*11 {
					c.fail("maxAllocatedStorage %g is not at least 10%% above allocatedStorage %g: RDS refuses it (InvalidParameterCombination: "+
						"\"The maximum allocated storage must be increased by at least 10 percent\"), and storage autoscaling could never grow the disk", ceiling, size)
				}
			},
		},
	)
}
