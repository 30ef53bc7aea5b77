using System.Text.Json.Nodes;
using Infra.StackConfig;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>
/// Each concern's rules called directly on a stack read from config (the corpus in BadInput/
/// covers them again through the compiler, as Pulumi runs it).
/// </summary>
public sealed class ValidationRuleTests
{
    private static EnvironmentSpec Read(string? path = null, string? json = null) => Unvalidated("qas", path, json);

    /// <summary>A stack read from its config with one value set (a JSON text), before validation.</summary>
    internal static EnvironmentSpec Unvalidated(string stack, string? path = null, string? json = null)
    {
        var config = PulumiRun.StackConfig(stack);
        if (path is not null)
        {
            ConfigEdit.Set(config, path, JsonNode.Parse(json!));
        }

        return StackConfigReader.Read(PulumiRun.ProjectName, stack, PulumiConfigMap.FromEnvironmentJson(PulumiRun.EncodeConfig(config)));
    }

    private static readonly Dictionary<string, Action<EnvironmentSpec, List<ConfigProblem>>> Rules = new()
    {
        ["vpc blocks"] = (env, problems) => VpcRules.Blocks(env.Network, problems),
        ["vpc zones"] = (env, problems) => VpcRules.Zones(env.Network, problems),
        ["subnets"] = (env, problems) => SubnetRules.Validate(env.Network, problems),
        ["gateways"] = (env, problems) => RoutingRules.Gateways(env.Network, problems),
        ["route tables"] = (env, problems) => RoutingRules.RouteTables(env.Network, problems),
        ["cluster"] = (env, problems) => ClusterRules.Validate(env.Network, env.Cluster!, InstanceLimits.Embedded, problems),
        ["cni"] = (env, problems) => CniRules.Validate(env.Network, env.Cluster!, problems),
        ["load balancers"] = (env, problems) => LoadBalancerRules.Validate(env.Cluster!, problems),
    };

    public static TheoryData<string> RuleNames() => new(Rules.Keys);

    [Theory]
    [MemberData(nameof(RuleNames))]
    public void The_guides_stack_meets_every_rule(string rule)
    {
        var problems = new List<ConfigProblem>();
        Rules[rule](Read(), problems);
        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("vpc blocks", "leadertools:vpc.secondaryCidrs[0]", "\"192.168.32.0/21\"", "leadertools:vpc.secondaryCidrs[0]")]
    [InlineData("vpc zones", "leadertools:availabilityZones[1]", "\"eu-west-1a\"", "leadertools:availabilityZones[1]")]
    [InlineData("subnets", "leadertools:subnets.pods.us-west-2a.cidr", "\"10.142.38.0/24\"", "leadertools:subnets.pods.us-west-2a.cidr")]
    [InlineData("subnets", "leadertools:subnets.nodes.us-west-2b.cidr", "\"10.142.36.0/25\"", "leadertools:subnets.nodes.us-west-2b.cidr")]
    [InlineData("gateways", "leadertools:gateways.aviatrix-primary.interface.subnet", "\"public/us-west-2z\"", "leadertools:gateways.aviatrix-primary.interface.subnet")]
    [InlineData("route tables", "leadertools:routeTables.main.routes[0].target", "\"nobody\"", "leadertools:routeTables.main.routes[0].target")]
    [InlineData("route tables", "leadertools:routeTables.main.routes[1].destination", "\"208.75.9.40/32\"", "leadertools:routeTables.main.routes[1].destination")]
    [InlineData("cluster", "leadertools:cluster.kubernetesVersion", "\"2\"", "leadertools:cluster.kubernetesVersion")]
    [InlineData("cluster", "leadertools:nodeGroup.maxSize", "451", "leadertools:nodeGroup.maxSize")]
    [InlineData("cni", "leadertools:cni.eniConfigLabel", "\" \"", "leadertools:cni.eniConfigLabel")]
    [InlineData("load balancers", "leadertools:loadBalancers[1].name", "\"crownpeak\"", "leadertools:loadBalancers[1].name")]
    public void A_broken_rule_names_the_key(string rule, string path, string json, string key)
    {
        var problems = new List<ConfigProblem>();
        Rules[rule](Read(path, json), problems);
        Assert.Equal([key], problems.Select(p => p.Key));
    }
}

/// <summary>The validated environment the emitters work from: every reference resolved, or a named failure.</summary>
public sealed class ValidatedEnvironmentTests
{
    private static EnvironmentSpec Read(string stack, string? path = null, string? json = null) => ValidationRuleTests.Unvalidated(stack, path, json);

    [Fact]
    public void References_resolve_to_the_subnets_and_gateways_they_name()
    {
        var qas = ValidatedEnvironment.From(Read("qas"));
        var hybrid = qas.Network.RouteTables.Single(t => t.Name == "public-hybrid");
        Assert.Equal(["public/us-west-2a", "public/us-west-2b"], qas.AssociatedSubnets(hybrid).Select(s => s.Key));
        Assert.Equal("public/us-west-2b", qas.InterfaceSubnetOf(qas.Network.FindGateway("aviatrix-secondary")!).Key);
        Assert.Equal("pods/us-west-2a", qas.EniConfigSubnet("us-west-2a").Key);
        Assert.Null(qas.NatSubnet);
        Assert.Equal("public", ValidatedEnvironment.From(Read("dev")).NatSubnet!.Role.Key());
    }

    [Fact]
    public void A_stack_that_was_not_validated_fails_naming_the_dangling_reference()
    {
        var unvalidated = Read("qas", "leadertools:routeTables.main.routes[0].target", "\"nobody\"");
        var error = Assert.Throws<InvalidOperationException>(() => ValidatedEnvironment.From(unvalidated));
        Assert.Contains("route 208.75.9.40/32 in main", error.Message, StringComparison.Ordinal);
    }
}
