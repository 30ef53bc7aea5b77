using System.Text.Json.Nodes;
using Infra.Tests.Harness;
using YamlDotNet.RepresentationModel;

namespace Infra.Tests;

/// <summary>
/// What the Pulumi YAML runtime and the eks components do with the program beyond what a type check
/// sees. Each defect that would have failed `pulumi preview` or silently misconfigured `pulumi up` is
/// checked twice: on the shipped stacks, and on a snippet shaped like the program that had it, which
/// the harness must reject or expose (so the harness itself is shown to model the rule).
/// </summary>
public sealed class PulumiRuntimeTests
{
    private static readonly string[] Stacks = ["qas", "dev"];

    public static TheoryData<string> StackNames() => new(Stacks);

    private static YamlMappingNode Section(string program, string name)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(program));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        return root.Children.TryGetValue(new YamlScalarNode(name), out var section) ? (YamlMappingNode)section : new YamlMappingNode();
    }

    private static IEnumerable<string> DeclaredNames(string program) =>
        Section(program, "resources").Children.Keys.Concat(Section(program, "variables").Children.Keys).Select(k => ((YamlScalarNode)k).Value!);

    // 1. Stack config keys are named values.
    [Theory]
    [MemberData(nameof(StackNames))]
    public void No_resource_or_variable_has_the_name_of_a_stack_config_key(string stack)
    {
        var configNames = PulumiRun.StackConfig(stack).Select(kv => YamlRuntimeRules.ConfigNamedValue(PulumiRun.ProjectName, kv.Key)).ToHashSet();
        Assert.Contains("vpc", configNames);
        Assert.DoesNotContain(DeclaredNames(TestStacks.Program(stack)), configNames.Contains);
    }

    [Fact]
    public void Harness_rejects_a_resource_named_like_a_config_key_as_the_runtime_would_shadow_it()
    {
        var program = "resources:\n  vpc:\n    type: aws:ec2:Vpc\n    properties:\n      cidrBlock: 10.0.0.0/16\n";
        var config = new JsonObject { ["leadertools:vpc"] = new JsonObject { ["name"] = "x" } };
        var error = Assert.Throws<MockEngineException>(() => MockEngine.Run(program, config));
        Assert.Contains("stack config key 'vpc'", error.Message, StringComparison.Ordinal);
    }

    // 2. Types the YAML runtime refuses.
    [Theory]
    [MemberData(nameof(StackNames))]
    public void Stacks_use_no_resource_type_the_yaml_runtime_refuses(string stack)
    {
        var types = Section(TestStacks.Program(stack), "resources").Children.Values.Cast<YamlMappingNode>().Select(r => r.Children[new YamlScalarNode("type")].ToString());
        Assert.DoesNotContain(types, YamlRuntimeRules.RefusedTypes.ContainsKey);
    }

    [Theory]
    [InlineData("kubernetes:apiextensions.k8s.io:CustomResource")]
    [InlineData("kubernetes:yaml:ConfigGroup")]
    [InlineData("kubernetes:helm.sh/v3:Chart")]
    public void Harness_rejects_the_types_the_yaml_runtime_refuses(string type)
    {
        var program = $"resources:\n  eni-config:\n    type: {type}\n    properties:\n      apiVersion: crd.k8s.amazonaws.com/v1alpha1\n";
        var error = Assert.Throws<MockEngineException>(() => MockEngine.Run(program));
        Assert.Contains(type, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Harness_rejects_the_reserved_name_pulumi() =>
        Assert.Throws<MockEngineException>(() => MockEngine.Run("resources:\n  pulumi:\n    type: aws:ec2:Vpc\n"));

    [Fact]
    public void Harness_rejects_a_variable_and_a_resource_of_the_same_name() =>
        Assert.Throws<MockEngineException>(() => MockEngine.Run("variables:\n  a: x\nresources:\n  a:\n    type: aws:ec2:Vpc\n"));

    // 3 and 4. eks:VpcCniAddon, as pulumi-eks v4.3.0 computes it.
    private const string VpcCniAddonAsItWas =
        "resources:\n  cluster:\n    type: eks:Cluster\n    properties:\n      useDefaultVpcCni: true\n" +
        "  vpc-cni:\n    type: eks:VpcCniAddon\n    properties:\n      clusterName: ${cluster.eksCluster.name}\n" +
        "      customNetworkConfig: true\n      eniConfigLabelDef: topology.kubernetes.io/zone\n      enablePrefixDelegation: true\n";

    [Fact]
    public void Harness_models_vpc_cni_addon_throwing_without_a_cluster_or_addon_version()
    {
        var error = Assert.Throws<MockEngineException>(() => MockEngine.Run(VpcCniAddonAsItWas));
        Assert.Contains("addonVersion", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Harness_shows_custom_networking_off_when_set_through_customNetworkConfig_on_vpc_cni_addon()
    {
        var deployment = MockEngine.Run(VpcCniAddonAsItWas + "      clusterVersion: \"1.33\"\n");
        Assert.Equal("false", deployment.AwsNodeEnvironment()["AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG"]);
        Assert.Equal("true", deployment.AwsNodeEnvironment()["ENABLE_PREFIX_DELEGATION"]);
    }

    [Fact]
    public void Harness_counts_the_vpc_cni_add_on_the_cluster_component_makes_by_default()
    {
        var program = "resources:\n  cluster:\n    type: eks:Cluster\n    properties:\n      version: \"1.33\"\n" +
            "  vpc-cni:\n    type: aws:eks:Addon\n    properties:\n      clusterName: ${cluster.eksCluster.name}\n      addonName: vpc-cni\n";
        Assert.Throws<MockEngineException>(() => MockEngine.Run(program).AwsNodeEnvironment());
    }

    [Theory]
    [MemberData(nameof(StackNames))]
    public void Aws_node_gets_the_custom_networking_setting_the_stack_asks_for(string stack)
    {
        var asked = PulumiRun.StackConfig(stack)["leadertools:cni"]!["customNetworking"]!.GetValue<bool>();
        Assert.Equal(asked ? "true" : "false", TestStacks.Run(stack).AwsNodeEnvironment()["AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG"]);
    }

    // 6. Invokes are pinned like resources (an existing appliance's interface is looked up).
    [Fact]
    public void Every_invoke_is_pinned_to_the_provider_version_of_the_resources()
    {
        var config = PulumiRun.StackConfig("qas");
        config["leadertools:gateways"] = JsonNode.Parse("""{"aviatrix-primary":{"existing":{"instanceId":"i-0919b0c12ffebfc98","inThisVpc":true}},"aviatrix-secondary":{"existing":{"instanceId":"i-022003229928b80a1","inThisVpc":true}}}""");
        var program = PulumiRun.Compile("qas", config).Stdout;
        var awsVersion = Section(program, "resources").Children.Values.Cast<YamlMappingNode>()
            .Where(r => r.Children[new YamlScalarNode("type")].ToString().StartsWith("aws:", StringComparison.Ordinal))
            .Select(r => ((YamlMappingNode)r.Children[new YamlScalarNode("options")]).Children[new YamlScalarNode("version")].ToString())
            .Distinct().Single();
        var invokes = Section(program, "variables").Children.Values.OfType<YamlMappingNode>()
            .Where(v => v.Children.ContainsKey(new YamlScalarNode("fn::invoke")))
            .Select(v => (YamlMappingNode)v.Children[new YamlScalarNode("fn::invoke")]).ToList();
        // The two gateways' instance lookups and the account id for the secrets key's policy.
        Assert.Equal(3, invokes.Count);
        Assert.All(invokes, i => Assert.Equal(awsVersion, ((YamlMappingNode)i.Children[new YamlScalarNode("options")]).Children[new YamlScalarNode("version")].ToString()));
        MockEngine.Run(program, config);
    }

    [Fact]
    public void Harness_rejects_an_invoke_without_a_version()
    {
        var program = "variables:\n  eni:\n    fn::invoke:\n      function: aws:ec2:getInstance\n      arguments:\n        instanceId: i-0123\n      return: networkInterfaceId\nresources:\n  a:\n    type: aws:ec2:Vpc\n    properties:\n      tags:\n        Name: ${eni}\n";
        Assert.Contains("options.version", Assert.Throws<MockEngineException>(() => MockEngine.Run(program)).Message, StringComparison.Ordinal);
    }

    // 7. The compiler script runs where there is no flock (macOS).
    [Fact]
    public void Compiler_script_runs_on_a_machine_without_flock()
    {
        var shims = Directory.CreateTempSubdirectory("infra-no-flock-");
        try
        {
            var flock = Path.Combine(shims.FullName, "flock");
            File.WriteAllText(flock, "#!/bin/sh\necho 'flock: command not found' >&2\nexit 127\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(flock, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var result = PulumiRun.Run(["--stack", "qas"], new Dictionary<string, string>
            {
                ["PATH"] = $"{shims.FullName}{Path.PathSeparator}{Environment.GetEnvironmentVariable("PATH")}",
            });
            Assert.Equal(0, result.ExitCode);
            Assert.Equal(TestStacks.Program("qas"), result.Stdout);
        }
        finally
        {
            shims.Delete(recursive: true);
        }
    }

    // 8. Secrets. Pulumi hands the compiler decrypted values and no list of secret keys
    // (pulumi-yaml v1.38.1 pkg/server/server.go Run); a literal the compiler prints is stored in
    // clear in resource inputs. The compiler learns secretness from the stack file's `secure:`
    // values; a secret it would compute with is refused (SecretTests has those it refers to).
    [Theory]
    [InlineData("leadertools:gateways", "  leadertools:gateways:\n    secure: v1:AAAAbm90IHJlYWxseSBhIHNlY3JldA==\n")]
    [InlineData("leadertools:nodeGroup.maxPodsCap", "  leadertools:nodeGroup:\n    instanceTypes: [t3.medium]\n    minSize: 2\n    desiredSize: 2\n    maxSize: 6\n    maxPodsCap:\n      secure: v1:AAAAOTc=\n")]
    public void A_secret_in_the_stack_file_is_refused_under_exactly_the_environment_pulumi_gives(string secretKey, string stackFileEntry)
    {
        // The stack file as `pulumi config set --secret [--path]` leaves it; PULUMI_CONFIG holds
        // the decrypted value (97 for the nested case: short secrets must not leak either).
        var shipped = File.ReadAllText(Repo.Path("Pulumi.qas.yaml"));
        var topKey = secretKey.Split('.')[0];
        var start = shipped.IndexOf($"  {topKey}:\n", StringComparison.Ordinal);
        var end = shipped.IndexOf("\n  leadertools:", start + 3, StringComparison.Ordinal) + 1;
        using var project = new TempProject("secret").WithStack("qas", shipped[..start] + stackFileEntry + shipped[end..]);
        var config = PulumiRun.StackConfig("qas");
        ConfigEdit.Set(config, "leadertools:gateways.aviatrix-primary.replicaOf", "i-0919b0c12ffebfc98");
        ConfigEdit.Set(config, "leadertools:nodeGroup.maxPodsCap", 97);
        var environment = new Dictionary<string, string>
        {
            ["PULUMI_STACK"] = "qas",
            ["PULUMI_PROJECT"] = PulumiRun.ProjectName,
            ["PULUMI_ORGANIZATION"] = "organization",
            ["PULUMI_ROOT_DIRECTORY"] = project.Directory,
            ["PULUMI_CONFIG"] = PulumiRun.EncodeConfig(config),
        };
        var result = PulumiRun.Run([], environment);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal("", result.Stdout);
        ErrorLines.AssertNames(result.Stderr, secretKey);
        Assert.Contains("[secret]", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("97", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("i-0919b0c12ffebfc98", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_listed_as_secret_is_refused_without_echoing_its_value()
    {
        var config = PulumiRun.StackConfig("qas");
        ConfigEdit.Set(config, "leadertools:gateways.aviatrix-primary.replicaOf", "hunter2-not-an-instance");
        var result = PulumiRun.Compile("qas", config, ["leadertools:gateways"]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal("", result.Stdout);
        ErrorLines.AssertNames(result.Stderr, "leadertools:gateways");
        Assert.DoesNotContain("hunter2", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_secret_in_the_stack_file_is_refused_offline_too()
    {
        using var project = new TempProject("secret-offline").WithStack("qas", TempProject.EditedStack("qas", "    replicaOf: igw-0e74bf1068b4cd3dd", "    replicaOf:\n      secure: v1:AAAAaWd3"));
        var result = InfraCli.Run("compile", "--stack", "qas", "--dir", project.Directory);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Matches(@"infra: error: Pulumi\.qas\.yaml:\d+:\d+: leadertools:internetGateway\.replicaOf = \[secret\]: is a secret", result.Stderr);
    }

    [Fact]
    public void Malformed_secret_key_list_is_one_clear_error()
    {
        var result = PulumiRun.Run([], new Dictionary<string, string>
        {
            ["PULUMI_STACK"] = "qas",
            ["PULUMI_PROJECT"] = PulumiRun.ProjectName,
            ["PULUMI_CONFIG"] = PulumiRun.EncodeConfig(PulumiRun.StackConfig("qas")),
            ["PULUMI_CONFIG_SECRET_KEYS"] = "not json",
        });
        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains("PULUMI_CONFIG_SECRET_KEYS", result.Stderr, StringComparison.Ordinal);
    }

    // 9. Escaping: every "$" survives the runtime's unescaping as written.
    [Theory]
    [InlineData("price $5")]
    [InlineData("price $$5 $${vpc.id}")]
    [InlineData("${eks-vpc.id}")]
    [InlineData("tail $")]
    public void Dollar_signs_in_config_reach_the_provider_as_written(string text)
    {
        var config = PulumiRun.StackConfig("qas");
        ConfigEdit.Set(config, "leadertools:vpc.name", text);
        var result = PulumiRun.Compile("qas", config);
        Assert.Equal(0, result.ExitCode);
        var deployment = MockEngine.Run(result.Stdout, config);
        Assert.Equal(text, deployment.OfType("aws:ec2:Vpc").Single().Tag("Name"));
        Assert.Equal($"{text}-igw", deployment.OfType("aws:ec2:InternetGateway").Single().Tag("Name"));
    }

    [Theory]
    [InlineData("$$", "$")]
    [InlineData("a$$5", "a$5")]
    [InlineData("$${x}", "${x}")]
    [InlineData("$$$${x}", "$${x}")]
    [InlineData("$5", "$5")]
    public void Harness_unescapes_like_the_runtime(string written, string read)
    {
        var program = $"resources:\n  a:\n    type: aws:ec2:Vpc\n    properties:\n      tags:\n        Name: '{written}'\n";
        Assert.Equal(read, MockEngine.Run(program).Named("a").Tag("Name"));
    }

    [Fact]
    public void Harness_reads_a_doubled_dollar_before_a_brace_as_text_and_a_single_one_as_a_reference()
    {
        var program = "resources:\n  a:\n    type: aws:ec2:Vpc\n  b:\n    type: aws:ec2:Vpc\n    properties:\n      tags:\n        Name: '$$$${a.id} and $${a.id} and ${a.id}'\n";
        Assert.Equal("$${a.id} and ${a.id} and a_id", MockEngine.Run(program).Named("b").Tag("Name"));
    }

    // 10. Names: collision-free by construction.
    [Fact]
    public void Applications_whose_names_extend_each_other_get_distinct_resources()
    {
        var config = PulumiRun.StackConfig("qas");
        config["leadertools:loadBalancers"] = JsonNode.Parse("""[{"name":"po3"},{"name":"po3-all-egress"},{"name":"po3-all"}]""");
        var result = PulumiRun.Compile("qas", config);
        Assert.Equal(0, result.ExitCode);
        var deployment = MockEngine.Run(result.Stdout, config);
        Assert.Equal(deployment.Resources.Count, deployment.Resources.Select(r => r.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(3, deployment.OfType("aws:ec2:SecurityGroup").Count(g => g.Tag("Name")!.Contains("po3", StringComparison.Ordinal)));
    }
}
