package rules

import (
	"context"
	"net"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/emptypb"
)

type recordingManager struct{ msgs []string }

func (m *recordingManager) ReportViolation(msg, urn string) { m.msgs = append(m.msgs, msg+" @ "+urn) }

func policyNamed(t *testing.T, p policyx.PolicyPack, name string) policyx.Policy {
	t.Helper()
	for _, pol := range p.Policies() {
		if pol.Name() == name {
			return pol
		}
	}
	t.Fatalf("policy %s not in pack", name)
	return nil
}

func TestPackSetsEveryLevelExplicitly(t *testing.T) {
	dev, err := Pack(Options{Environment: "dev"})
	require.NoError(t, err)
	prod, err := Pack(Options{Environment: "prod", Settings: map[string]map[string]any{"aws-sns-encrypted": {"enforcementLevel": "disabled"}}})
	require.NoError(t, err)
	assert.Equal(t, PackName, dev.Name())
	assert.Len(t, dev.Policies(), len(All())+2)
	assert.Len(t, prod.Policies(), len(All())+1, "a disabled rule is left out")

	assert.Equal(t, policyx.EnforcementLevelAdvisory, policyNamed(t, dev, "aws-rds-multi-az").EnforcementLevel())
	assert.Equal(t, policyx.EnforcementLevelMandatory, policyNamed(t, prod, "aws-rds-multi-az").EnforcementLevel())
	assert.Equal(t, policyx.EnforcementLevelMandatory, policyNamed(t, dev, "aws-rds-encrypted").EnforcementLevel())
	assert.Equal(t, policyx.EnforcementLevelAdvisory, policyNamed(t, dev, "aws-lb-hardening").EnforcementLevel())
	assert.Equal(t, policyx.EnforcementLevelAdvisory, policyNamed(t, prod, NotesPolicy).EnforcementLevel())
	assert.Equal(t, policyx.EnforcementLevelAdvisory, policyNamed(t, prod, StackNotesPolicy).EnforcementLevel())
	_, isStack := policyNamed(t, prod, "stack-db-read-replica").(policyx.StackValidationPolicy)
	assert.True(t, isStack)

	schema := policyNamed(t, prod, "aws-rds-backup-retention").ConfigSchema()
	require.NotNil(t, schema)
	assert.Equal(t, 7, schema.Properties["minDays"]["default"])
}

func TestPackRoutesUnknownAndWaivedFindingsToAdvisoryNotes(t *testing.T) {
	p, err := Pack(Options{Environment: "prod", Waivers: []Waiver{{Rule: "aws-rds-private", Resource: "db", Reason: "migration window"}}})
	require.NoError(t, err)
	db := policyx.AnalyzerResource{
		Type: awsRDSInstance, Name: "db", URN: "urn:pulumi:prod::p::aws:rds/instance:Instance::db",
		Properties: props(obj{"storageEncrypted": computed, "publiclyAccessible": true, "multiAz": false}),
	}
	run := func(name string) []string {
		m := &recordingManager{}
		err := policyNamed(t, p, name).(policyx.ResourceValidationPolicy).Validate(context.Background(), policyx.ResourceValidationArgs{Manager: m, Resource: db})
		require.NoError(t, err)
		return m.msgs
	}
	assert.Empty(t, run("aws-rds-encrypted"), "an unknown value never reaches a mandatory policy")
	assert.Empty(t, run("aws-rds-private"), "a waived violation never reaches a mandatory policy")
	assert.Equal(t, []string{"multiAz is false: a standby in another Availability Zone takes over on failure @ " + db.URN}, run("aws-rds-multi-az"))
	notes := strings.Join(run(NotesPolicy), "\n")
	assert.Contains(t, notes, "[aws-rds-encrypted] cannot verify during preview: storageEncrypted is not known until the resource is created")
	assert.Contains(t, notes, "[aws-rds-private] waived (migration window): publiclyAccessible is true")

	// Config from the engine (policy config file) overrides a setting.
	m := &recordingManager{}
	pol := policyNamed(t, p, "aws-rds-backup-retention").(policyx.ResourceValidationPolicy)
	require.NoError(t, pol.Validate(context.Background(), policyx.ResourceValidationArgs{Manager: m, Resource: policyx.AnalyzerResource{
		Type: awsRDSInstance, URN: "u", Properties: props(obj{"backupRetentionPeriod": 7}),
	}, Config: map[string]any{"minDays": float64(30)}}))
	assert.Equal(t, []string{"backupRetentionPeriod is 7: want at least 30 days @ u"}, m.msgs)
}

// serve starts the analyzer on a local port and returns a client, as the engine connects.
func serve(t *testing.T) pulumirpc.AnalyzerClient {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := grpc.NewServer()
	pulumirpc.RegisterAnalyzerServer(srv, NewAnalyzer(PackFromContext))
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	return pulumirpc.NewAnalyzerClient(conn)
}

func marshal(t *testing.T, m obj) *pulumirpc.AnalyzeRequest {
	t.Helper()
	pm := resource.PropertyMap{}
	for k, v := range m {
		pm[resource.PropertyKey(k)] = toPV(v)
	}
	s, err := plugin.MarshalProperties(pm, plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true})
	require.NoError(t, err)
	return &pulumirpc.AnalyzeRequest{Properties: s}
}

func TestAnalyzerServesInfoBeforeConfigureStack(t *testing.T) {
	client := serve(t)
	ctx := context.Background()

	// What `pulumi policy publish` and `pulumi policy ls` do: ask before any stack exists.
	info, err := client.GetAnalyzerInfo(ctx, &emptypb.Empty{})
	require.NoError(t, err)
	assert.Equal(t, PackName, info.GetName())
	assert.Len(t, info.GetPolicies(), len(All())+2)
	levels := map[string]pulumirpc.EnforcementLevel{}
	for _, p := range info.GetPolicies() {
		levels[p.GetName()] = p.GetEnforcementLevel()
	}
	assert.Equal(t, pulumirpc.EnforcementLevel_MANDATORY, levels["aws-rds-encrypted"])
	assert.Equal(t, pulumirpc.EnforcementLevel_ADVISORY, levels["aws-rds-multi-az"], "mandatory-in-prod is advisory before a stack says prod")
	pi, err := client.GetPluginInfo(ctx, &emptypb.Empty{})
	require.NoError(t, err)
	assert.Equal(t, PackVersion.String(), pi.GetVersion())

	_, err = client.Analyze(ctx, marshal(t, obj{}))
	require.ErrorContains(t, err, "has not been configured for a stack")

	// What `pulumi preview --policy-pack` does.
	_, err = client.Handshake(ctx, &pulumirpc.AnalyzerHandshakeRequest{})
	require.NoError(t, err)
	_, err = client.ConfigureStack(ctx, &pulumirpc.AnalyzerStackConfigureRequest{
		Project: "scalestack", Stack: "prod",
		Config: map[string]string{"scalestack:environment": "prod", "scalestack:policy": `{"waivers":[{"rule":"aws-rds-ops","resource":"db","reason":"logs via agent"}]}`},
	})
	require.NoError(t, err)
	info, err = client.GetAnalyzerInfo(ctx, &emptypb.Empty{})
	require.NoError(t, err)
	for _, p := range info.GetPolicies() {
		if p.GetName() == "aws-rds-multi-az" {
			assert.Equal(t, pulumirpc.EnforcementLevel_MANDATORY, p.GetEnforcementLevel(), "prod stack")
		}
	}

	req := marshal(t, obj{"storageEncrypted": true, "backupRetentionPeriod": 7, "multiAz": false, "deletionProtection": true, "autoMinorVersionUpgrade": false, "enabledCloudwatchLogsExports": arr{"postgresql"}})
	req.Type, req.Name, req.Urn = awsRDSInstance, "db", "urn:pulumi:prod::scalestack::aws:rds/instance:Instance::db"
	resp, err := client.Analyze(ctx, req)
	require.NoError(t, err)
	got := map[string]*pulumirpc.AnalyzeDiagnostic{}
	for _, d := range resp.GetDiagnostics() {
		got[d.GetPolicyName()] = d
	}
	require.Contains(t, got, "aws-rds-multi-az")
	assert.Equal(t, pulumirpc.EnforcementLevel_MANDATORY, got["aws-rds-multi-az"].GetEnforcementLevel())
	assert.Contains(t, got["aws-rds-multi-az"].GetMessage(), "multiAz is false")
	assert.Equal(t, req.Urn, got["aws-rds-multi-az"].GetUrn())
	assert.NotContains(t, got, "aws-rds-ops", "waived")
	require.Contains(t, got, NotesPolicy)
	assert.Contains(t, got[NotesPolicy].GetMessage(), "[aws-rds-ops] waived (logs via agent)")

	props := marshal(t, obj{"storageEncrypted": true}).GetProperties()
	stack, err := client.AnalyzeStack(ctx, &pulumirpc.AnalyzeStackRequest{Resources: []*pulumirpc.AnalyzerResource{
		{Type: awsRDSInstance, Name: "db", Urn: req.Urn, Properties: props},
	}})
	require.NoError(t, err)
	var stackPolicies []string
	for _, d := range stack.GetDiagnostics() {
		stackPolicies = append(stackPolicies, d.GetPolicyName())
	}
	assert.Contains(t, stackPolicies, "stack-db-read-replica")
	assert.Contains(t, stackPolicies, "stack-backup-covers-db")

	// Per-policy config from the engine can turn a policy off.
	_, err = client.Configure(ctx, &pulumirpc.ConfigureAnalyzerRequest{PolicyConfig: map[string]*pulumirpc.PolicyConfig{
		"aws-rds-multi-az": {EnforcementLevel: pulumirpc.EnforcementLevel_DISABLED},
	}})
	require.NoError(t, err)
	resp, err = client.Analyze(ctx, req)
	require.NoError(t, err)
	for _, d := range resp.GetDiagnostics() {
		assert.NotEqual(t, "aws-rds-multi-az", d.GetPolicyName())
	}
}
