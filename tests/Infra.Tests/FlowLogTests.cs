using System.Text.Json.Nodes;
using Infra.Review;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>
/// VPC flow logs (leadertools:vpc.flowLogs): on the dev program, which turns them on, under the mock
/// engine; absent from qas, whose guide draws none; the key's defaults and refusals.
/// </summary>
public sealed class FlowLogTests
{
    private static MockDeployment Dev => TestStacks.Run("dev");

    private static MockResource FlowLog => Dev.OfType("aws:ec2:FlowLog").Single();

    private static MockResource Group => Dev.OfType("aws:cloudwatch:LogGroup").Single(g => g.Input("name") == "/aws/vpc/leadertools-dev-vpc/flow-logs");

    private static MockResource Role => Dev.OfType("aws:iam:Role").Single(r => r.Outputs["arn"]!.GetValue<string>() == FlowLog.Input("iamRoleArn"));

    [Fact]
    public void The_flow_log_records_the_stacks_vpc() =>
        Assert.Equal(Dev.OfType("aws:ec2:Vpc").Single().Id, FlowLog.Input("vpcId"));

    [Fact]
    public void The_flow_log_records_the_traffic_type_the_stack_file_gives() =>
        Assert.Equal("REJECT", FlowLog.Input("trafficType"));

    [Fact]
    public void Records_go_to_the_stacks_log_group_with_the_stack_files_retention()
    {
        Assert.Equal("cloud-watch-logs", FlowLog.Input("logDestinationType"));
        Assert.Equal(Group.Outputs["arn"]!.GetValue<string>(), FlowLog.Input("logDestination"));
        Assert.Equal("30", Group.Input("retentionInDays"));
    }

    [Fact]
    public void The_delivery_role_is_trusted_by_the_flow_logs_service_only()
    {
        var statements = JsonNode.Parse(Role.Input("assumeRolePolicy")!)!["Statement"]!.AsArray();
        Assert.Equal(["vpc-flow-logs.amazonaws.com"], statements.Select(s => s!["Principal"]!["Service"]!.GetValue<string>()));
    }

    [Fact]
    public void The_delivery_role_may_write_to_the_stacks_log_group_and_nowhere_else()
    {
        var policy = Dev.OfType("aws:iam:RolePolicy").Single(p => p.Input("role") == Role.Outputs["name"]!.GetValue<string>());
        var resources = JsonNode.Parse(policy.Input("policy")!)!["Statement"]!.AsArray().SelectMany(s => s!["Resource"]!.AsArray()).Select(r => r!.GetValue<string>());
        var group = Group.Outputs["arn"]!.GetValue<string>();
        Assert.All(resources, r => Assert.True(r == group || r == group + ":*", r));
    }

    [Fact]
    public void The_flow_log_waits_for_its_role_policy() =>
        Assert.True(Dev.WaitsFor(FlowLog, Dev.OfType("aws:iam:RolePolicy").Single(p => p.Input("role") == Role.Outputs["name"]!.GetValue<string>())));

    [Fact]
    public void Qas_has_no_flow_log_because_the_guide_draws_none() =>
        Assert.Empty(TestStacks.Qas.OfType("aws:ec2:FlowLog"));

    [Fact]
    public void An_empty_flow_logs_mapping_records_all_traffic_for_90_days()
    {
        var config = PulumiRun.StackConfig("qas");
        ConfigEdit.Set(config, "leadertools:vpc.flowLogs", new JsonObject());
        var deployment = MockEngine.Run(PulumiRun.Compile("qas", config).Stdout, config);
        Assert.Equal("ALL", deployment.OfType("aws:ec2:FlowLog").Single().Input("trafficType"));
        Assert.Equal("90", deployment.OfType("aws:cloudwatch:LogGroup").Single(g => g.Input("name") == "/aws/vpc/leadertools-qas-vpc/flow-logs").Input("retentionInDays"));
    }

    [Theory]
    [InlineData("trafficType", "DENIED")]
    [InlineData("retentionDays", "42")]
    public void A_value_aws_refuses_names_its_key(string key, string value)
    {
        var config = PulumiRun.StackConfig("qas");
        ConfigEdit.Set(config, $"leadertools:vpc.flowLogs.{key}", value);
        var result = PulumiRun.Compile("qas", config);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Empty(result.Stdout);
        ErrorLines.AssertNames(result.Stderr, $"leadertools:vpc.flowLogs.{key}");
    }

    [Theory]
    [InlineData("trafficType", true)]
    [InlineData("logDestination", true)]
    [InlineData("tags.Name", false)]
    public void Changing_what_a_flow_log_records_replaces_it_and_a_tag_does_not(string property, bool replaces) =>
        // terraform-provider-aws ec2/vpc_flow_log.go: every argument but tags is ForceNew.
        Assert.Equal(replaces, Replacements.ByType["aws:ec2:FlowLog"].Forcing.Any(f => Replacements.Covers(f, property)));
}
