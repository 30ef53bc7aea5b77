using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>
/// One aws plugin and one kubernetes plugin serve the deployment (issue 31, item 2). pulumi-eks v4.3.0
/// pins @pulumi/aws 7.25.0 and @pulumi/kubernetes 4.19.0 (nodejs/eks/package.json), and registers its
/// children through them unless a provider of their package reaches the component; the harness
/// models that inheritance (MockEngine, citing sdk/nodejs/resource.ts and provider/server.ts).
/// </summary>
public sealed class ProviderTests
{
    private static MockDeployment Qas => TestStacks.Qas;

    [Fact]
    public void Every_aws_resource_the_components_create_is_served_by_the_programs_aws_plugin()
    {
        var children = Qas.Resources.Where(r => r.Parent is not null && r.Type.StartsWith("aws:", StringComparison.Ordinal)).ToList();
        Assert.Contains(children, c => c.Type == "aws:eks:Cluster");
        Assert.Contains(children, c => c.Type == "aws:eks:NodeGroup");
        Assert.All(children, c => Assert.Equal(("aws-provider", "7.48.0"), (c.Provider, c.PluginVersion)));
    }

    [Fact]
    public void The_whole_deployment_loads_one_aws_plugin_version()
    {
        var versions = Qas.Resources.Where(r => r.Type.StartsWith("aws:", StringComparison.Ordinal) || r.Type == "pulumi:providers:aws")
            .Select(r => r.PluginVersion).Distinct().ToList();
        Assert.Equal(["7.48.0"], versions);
    }

    /// <summary>
    /// Without `providers` the same program's components register their aws children with the
    /// 7.25.0 they bundle: the model can tell, so the test above can fail.
    /// </summary>
    [Fact]
    public void Without_providers_the_components_children_fall_back_to_the_version_pulumi_eks_bundles()
    {
        var program = TestStacks.Program("qas").Replace("      providers:\n        - ${aws-provider}\n", "", StringComparison.Ordinal);
        var deployed = MockEngine.Run(program, PulumiRun.StackConfig("qas"));
        var eksCluster = deployed.OfType("aws:eks:Cluster").Single();
        Assert.Null(eksCluster.Provider);
        Assert.Equal("7.25.0", eksCluster.PluginVersion);
    }

    /// <summary>
    /// pulumi-eks v4.3.0 cluster.ts lines 914-921: the cluster registers its own kubernetes provider
    /// from the @pulumi/kubernetes it bundles (4.19.0), whatever the caller passes; the engine loads
    /// that plugin to configure it. With authenticationMode API, useDefaultVpcCni, no storage classes
    /// and CoreDNS off, nothing uses it: every kubernetes object goes through the program's 4.34.2.
    /// </summary>
    [Fact]
    public void The_clusters_own_kubernetes_provider_serves_nothing()
    {
        var own = Qas.OfType("pulumi:providers:kubernetes").Single(p => p.Parent is not null);
        Assert.Equal("4.19.0", own.PluginVersion);
        Assert.DoesNotContain(Qas.Resources, r => r.Provider == own.Name);
        var objects = Qas.Resources.Where(r => r.Type.StartsWith("kubernetes:", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(objects);
        Assert.All(objects, o => Assert.Equal(("kubernetes-provider", "4.34.2"), (o.Provider, o.PluginVersion)));
    }

    [Fact]
    public void The_programs_aws_provider_is_configured_as_the_stack_configures_the_default_one()
    {
        var provider = Qas.OfType("pulumi:providers:aws").Single();
        var config = PulumiRun.StackConfig("qas");
        Assert.Equal(config["aws:region"]!.GetValue<string>(), provider.Input("region"));
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(config["aws:defaultTags"], provider.Inputs["defaultTags"]));
    }

    [Fact]
    public void A_secret_aws_setting_is_referred_to_not_written()
    {
        var config = PulumiRun.StackConfig("qas");
        config["aws:secretKey"] = "not-a-real-secret-value";
        var compiled = PulumiRun.Compile("qas", config, secretKeys: ["aws:secretKey"]);
        Assert.Equal(0, compiled.ExitCode);
        Assert.DoesNotContain("not-a-real-secret-value", compiled.Stdout, StringComparison.Ordinal);
        var deployed = MockEngine.Run(compiled.Stdout, config, new HashSet<string> { "aws:secretKey" });
        var provider = deployed.OfType("pulumi:providers:aws").Single();
        Assert.Equal("not-a-real-secret-value", provider.Input("secretKey"));
        Assert.Contains("secretKey", provider.SecretInputs);
    }
}
