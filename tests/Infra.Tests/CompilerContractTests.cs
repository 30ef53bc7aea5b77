using System.Text.Json.Nodes;
using Infra.Emit;
using Infra.Tests.Harness;
using YamlDotNet.RepresentationModel;

namespace Infra.Tests;

/// <summary>The contract with Pulumi's YAML runtime: what it runs, what it reads, what it gets.</summary>
public sealed class CompilerContractTests
{
    private static IReadOnlySet<string> TypesOf(string program)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(program));
        var resources = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode).Children[new YamlScalarNode("resources")];
        return resources.Children.Values.Cast<YamlMappingNode>().Select(r => ((YamlScalarNode)r.Children[new YamlScalarNode("type")]).Value!).ToHashSet();
    }

    private static string PackageOf(string type) => type.StartsWith("pulumi:providers:", StringComparison.Ordinal) ? type.Split(':')[2] : type.Split(':')[0];

    [Fact]
    public void Discovery_call_without_any_pulumi_variables_succeeds()
    {
        var result = PulumiRun.Discover();
        Assert.Equal(0, result.ExitCode);
        Assert.NotEmpty(TypesOf(result.Stdout));
    }

    /// <summary>The example stacks (examples/Pulumi.*.yaml): stacks of the project that use the optional keys qas and dev leave out.</summary>
    private static IReadOnlyList<string> ExampleNames() =>
        [.. Directory.GetFiles(Repo.Path("examples"), "Pulumi.*.yaml").Select(f => Path.GetFileName(f)["Pulumi.".Length..^".yaml".Length]).Order(StringComparer.Ordinal)];

    public static TheoryData<string> ExampleStacks() => new(ExampleNames());

    private static string Example(string stack)
    {
        var result = InfraCli.Run("compile", "--stack", stack, "--dir", Repo.Path("examples"));
        Assert.True(result.ExitCode == 0, $"examples/Pulumi.{stack}.yaml: {result.Stderr}");
        return result.Stdout;
    }

    /// <summary>Every example compiles, the compiler's gate included (CI type-checks and mock-runs them as it does qas and dev).</summary>
    [Theory]
    [MemberData(nameof(ExampleStacks))]
    public void Every_example_stack_compiles_through_the_gate(string stack) => Assert.NotEmpty(TypesOf(Example(stack)));

    [Theory]
    [InlineData("qas")]
    [InlineData("dev")]
    public void Discovery_names_every_resource_type_and_package_the_stack_uses(string stack) => AssertDiscoveryCovers(TestStacks.Program(stack));

    [Theory]
    [MemberData(nameof(ExampleStacks))]
    public void Discovery_names_every_resource_type_and_package_an_example_uses(string stack) => AssertDiscoveryCovers(Example(stack));

    private static void AssertDiscoveryCovers(string program)
    {
        var discovered = TypesOf(PulumiRun.Discover().Stdout);
        var used = TypesOf(program);
        Assert.Subset(discovered.ToHashSet(), used.ToHashSet());
        Assert.Subset(discovered.Select(PackageOf).ToHashSet(), used.Select(PackageOf).ToHashSet());
    }

    /// <summary>Every type the catalogue says is emitted is emitted by a stack: qas, dev or an example.</summary>
    [Fact]
    public void Catalogue_of_types_is_exactly_what_the_emitters_produce_across_the_stacks()
    {
        var emitted = TypesOf(TestStacks.Program("qas")).Union(TypesOf(TestStacks.Program("dev")))
            .Union(ExampleNames().SelectMany(stack => TypesOf(Example(stack))));
        Assert.Equal(Infra.Emit.ResourceTypes.All.Where(t => t.Emitted).Select(t => t.Token).Order(StringComparer.Ordinal), emitted.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Offline_stack_file_run_prints_the_same_bytes_as_the_pulumi_run()
    {
        var offline = PulumiRun.Run(["--stack", "qas"], new Dictionary<string, string>());
        Assert.Equal(0, offline.ExitCode);
        Assert.Equal(TestStacks.Program("qas"), offline.Stdout);
    }

    /// <summary>
    /// Each process gets its own string-hash seed, so an order taken from a hash set would differ
    /// between runs; two fresh processes must both print the reviewed program.
    /// </summary>
    [Fact]
    public void Two_compiler_processes_both_print_the_reviewed_program()
    {
        var golden = File.ReadAllText(Repo.Path("tests", "Infra.Tests", "golden", "qas.yaml"));
        Assert.Equal(golden, PulumiRun.Compile("qas").Stdout);
        Assert.Equal(golden, PulumiRun.Compile("qas").Stdout);
    }

    [Theory]
    [InlineData("tr_TR.UTF-8")]
    [InlineData("de_DE.UTF-8")]
    public void Compiling_under_another_locale_gives_identical_bytes(string locale)
    {
        var config = PulumiRun.EncodeConfig(PulumiRun.StackConfig("qas"));
        var result = PulumiRun.Run([], new Dictionary<string, string>
        {
            ["PULUMI_STACK"] = "qas",
            ["PULUMI_PROJECT"] = PulumiRun.ProjectName,
            ["PULUMI_CONFIG"] = config,
            ["LANG"] = locale,
            ["LC_ALL"] = locale,
        });
        Assert.Equal(TestStacks.Program("qas"), result.Stdout);
    }

    [Fact]
    public void Config_keys_and_lists_in_another_order_give_identical_bytes()
    {
        var config = PulumiRun.StackConfig("qas");
        var reordered = (JsonObject)Reverse(config)!;
        foreach (var table in reordered["leadertools:routeTables"]!.AsObject())
        {
            if (table.Value!["routes"] is JsonArray routes)
            {
                table.Value["routes"] = new JsonArray(routes.Reverse().Select(r => r!.DeepClone()).ToArray());
            }
        }

        foreach (var key in new[] { "leadertools:loadBalancers", "leadertools:availabilityZones" })
        {
            reordered[key] = new JsonArray(reordered[key]!.AsArray().Reverse().Select(x => x!.DeepClone()).ToArray());
        }

        Assert.Equal(TestStacks.Program("qas"), PulumiRun.Compile("qas", reordered).Stdout);
    }

    [Fact]
    public void Numbers_and_booleans_given_as_strings_by_pulumi_config_set_path_are_accepted()
    {
        var config = PulumiRun.StackConfig("qas");
        ConfigEdit.Set(config, "leadertools:nodeGroup.minSize", "2");
        ConfigEdit.Set(config, "leadertools:natGateway.enabled", "false");
        Assert.Equal(TestStacks.Program("qas"), PulumiRun.Compile("qas", config).Stdout);
    }

    [Fact]
    public void Config_change_shows_up_in_the_program()
    {
        var config = PulumiRun.StackConfig("qas");
        ConfigEdit.Set(config, "leadertools:nodeGroup.maxSize", 9);
        var program = PulumiRun.Compile("qas", config);
        Assert.Equal(0, program.ExitCode);
        Assert.Equal("9", MockEngine.Run(program.Stdout, config).OfType("eks:ManagedNodeGroup").Single().Input("scalingConfig.maxSize"));
    }

    [Fact]
    public void Network_only_stack_emits_no_cluster()
    {
        var config = PulumiRun.StackConfig("qas");
        foreach (var key in new[] { "cluster", "cni", "nodeGroup", "loadBalancers", "bootstrap", "loadBalancerController" })
        {
            config.Remove($"leadertools:{key}");
        }

        var deployment = MockEngine.Run(PulumiRun.Compile("qas", config).Stdout, config);
        Assert.Empty(deployment.OfType("eks:Cluster"));
        Assert.Equal(6, deployment.OfType("aws:ec2:Subnet").Count());
    }

    private static JsonNode? Reverse(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Reverse().Select(kv => KeyValuePair.Create(kv.Key, Reverse(kv.Value)))),
        JsonArray a => new JsonArray(a.Select(Reverse).ToArray()),
        _ => node?.DeepClone(),
    };
}
