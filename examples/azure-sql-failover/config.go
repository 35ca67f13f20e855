package main

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// The config helpers read this project's keys ("<project>:vpcId") as config.Require and
// config.Get do, but return an error instead of panicking, so a missing key fails the
// program (and the test) with a message that names it.

func optional(ctx *pulumi.Context, key, def string) string {
	if v, ok := ctx.GetConfig(ctx.Project() + ":" + key); ok && v != "" {
		return v
	}
	return def
}

func requireString(ctx *pulumi.Context, key string) (string, error) {
	v, ok := ctx.GetConfig(ctx.Project() + ":" + key)
	if !ok || v == "" {
		return "", fmt.Errorf("missing required configuration variable %q: set it with `pulumi config set %s <value>`", ctx.Project()+":"+key, key)
	}
	return v, nil
}
