using System.Text.Json;
using System.Text.Json.Nodes;
using Infra.Review;
using Infra.StackConfig;
using Infra.Tests.Harness;
using CsCheck;
using Json.Schema;
using YamlDotNet.RepresentationModel;

namespace Infra.Tests;

/// <summary>
/// `infra schema`: the JSON Schema editors validate stack files with, and the README's reference,
/// both derived from the key declarations (ConfigSchema gathers them), which the reader binds. The schema is evaluated here by an
/// independent validator (JsonSchema.Net), as the YAML language server would evaluate it.
/// </summary>
public sealed partial class ConfigSchemaTests
{
    private static readonly Lazy<JsonSchema> Shipped = new(() => JsonSchema.FromText(File.ReadAllText(Repo.Path(ConfigReference.ShippedPath))));

    [Fact]
    public void Shipped_schema_is_what_infra_schema_prints()
    {
        var printed = InfraCli.Run("schema");
        Assert.Equal(0, printed.ExitCode);
        Assert.True(File.ReadAllText(Repo.Path(ConfigReference.ShippedPath)) == printed.Stdout,
            $"{ConfigReference.ShippedPath} is stale: run ./infra/pulumi-compiler schema > {ConfigReference.ShippedPath}");
    }

    [Fact]
    public void Readme_reference_is_what_infra_schema_prints_as_markdown()
    {
        var printed = InfraCli.Run("schema", "--format", "markdown");
        Assert.Equal(0, printed.ExitCode);
        Assert.True(ReadmeSection.Content(File.ReadAllText(Repo.Path("README.md")), ConfigReference.ReadmeSection) == printed.Stdout,
            "README's configuration reference is stale: run ./infra/pulumi-compiler schema --update-readme README.md");
    }

    [Theory]
    [InlineData("qas")]
    [InlineData("dev")]
    public void Shipped_stack_file_is_valid_against_the_schema(string stack)
    {
        var result = Evaluate(StackFileJson(Repo.Path($"Pulumi.{stack}.yaml")));
        Assert.True(result.IsValid, Errors(result));
    }

    /// <summary>A key that may be a secret validates as `pulumi config set --secret --path` leaves it; one that may not, does not.</summary>
    [Theory]
    [InlineData("    accessEntries:\n      ci:\n        principalArn:\n          secure: v1:AAAA\n        policy: view\n", true)]
    [InlineData("    accessEntries:\n      ci:\n        principalArn: arn:aws:iam::123456789012:role/ci\n        policy:\n          secure: v1:AAAA\n", false)]
    public void A_secure_value_validates_where_the_key_may_be_secret(string entries, bool valid)
    {
        using var project = new TempProject("schema-secret").WithStack("qas", TempProject.EditedStack("qas", "  leadertools:cluster:\n", "  leadertools:cluster:\n" + entries));
        Assert.Equal(valid, Evaluate(StackFileJson(project.Path("Pulumi.qas.yaml"))).IsValid);
    }

    /// <summary>What the reader accepts, an editor must not flag: random valid stacks (the property tests' generator) validate.</summary>
    [Fact]
    public void Random_valid_configs_are_valid_against_the_schema()
    {
        var gen = Gen.Select(Gen.Int[2, 4], Gen.Int[0, 255], Gen.Int[64, 127], Gen.Int[1, 3], Gen.Bool, Gen.Bool, Gen.Int[0, 3], Gen.Int[0, 5]);
        gen.Sample((zones, second, secondaryOctet, gateways, nat, cluster, instancePick, apps) =>
        {
            var config = PropertyTests.RandomConfig(zones, second, secondaryOctet, gateways, nat, cluster, [], new int[25], instancePick, apps);
            var result = Evaluate(new JsonObject { ["config"] = config });
            Assert.True(result.IsValid, Errors(result));
        }, iter: 100);
    }

    [Theory]
    [InlineData("qas")]
    [InlineData("dev")]
    public void Shipped_stack_file_names_the_schema_for_the_yaml_language_server(string stack) =>
        Assert.Contains($"# yaml-language-server: $schema=./{ConfigReference.ShippedPath}", File.ReadLines(Repo.Path($"Pulumi.{stack}.yaml")));

    public static TheoryData<string> UnknownKeyCases() =>
        new(BadInputTests.LoadCases().Where(c => c.Raw.Count == 0 && c.Set.Any(s => IsUndeclared(s.Item1))).Select(c => c.Name));

    /// <summary>Every corpus case that sets a key the reader does not know is flagged by an editor too.</summary>
    [Theory]
    [MemberData(nameof(UnknownKeyCases))]
    public void A_key_the_reader_rejects_as_unknown_fails_the_schema(string name)
    {
        var config = Edited(BadInputTests.LoadCases().Single(c => c.Name == name));
        Assert.False(Evaluate(new JsonObject { ["config"] = config }).IsValid);
    }

    [Theory]
    [InlineData("leadertools:cluster.kubernetesVersion", "1.33", false)]
    [InlineData("leadertools:cluster.kubernetesVersion", "\"1.33\"", true)]
    [InlineData("leadertools:nodeGroup.maxSize", "\"8\"", true)]
    [InlineData("leadertools:nodeGroup.maxSize", "\"eight\"", false)]
    [InlineData("leadertools:cluster.serviceCidr", "\"172.20.0.0\"", false)]
    [InlineData("leadertools:bootstrap.nodeEgress", "\"natGateway\"", false)]
    [InlineData("leadertools:subnets.private", "{}", false)]
    [InlineData("leadertools:cni.prefixDelegation", "\"false\"", true)]
    [InlineData("aws:region", "\"eu-south-2\"", true)]
    [InlineData("aws:region", "\"us-gov-west-1\"", false)]
    [InlineData("leadertools:nodeGroup.instanceTypes", "[\"m6i.xlarge\"]", true)]
    [InlineData("leadertools:nodeGroup.instanceTypes", "[\"m6i.xlarg\"]", false)]
    [InlineData("leadertools:gateways.aviatrix-primary.existing", "{\"instanceId\": \"i-1\", \"inThisVpc\": true}", false)]
    [InlineData("leadertools:natGateway", "{\"enabled\": false, \"zone\": \"us-west-2a\", \"zones\": [\"us-west-2a\"]}", false)]
    [InlineData("leadertools:natGateway", "{\"enabled\": false, \"zones\": [\"us-west-2a\"]}", true)]
    [InlineData("leadertools:securityGroups", "{\"web\": {\"description\": \"WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW\"}}", false)]
    [InlineData("leadertools:securityGroups", "{\"web\": {\"description\": \"WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW\"}}", true)]
    [InlineData("leadertools:securityGroups", "{\"web\": {\"description\": \"Web\", \"ingress\": [{\"protocol\": \"tcp\", \"fromPort\": 443, \"cidr\": \"10.0.0.0/8\", \"groupId\": \"sg-0123abcd\"}]}}", false)]
    [InlineData("leadertools:vpcEndpoints", "{\"logs\": {\"service\": \"com.amazonaws.us-west-2.logs\", \"type\": \"Interface\", \"subnets\": [\"nodes/us-west-2a\"]}}", false)]
    [InlineData("leadertools:vpcEndpoints", "{\"logs\": {\"service\": \"com.amazonaws.us-west-2.logs\", \"type\": \"Interface\", \"subnets\": [\"nodes/us-west-2a\"], \"privateDns\": false}}", true)]
    [InlineData("leadertools:vpcEndpoints", "{\"ddb\": {\"service\": \"com.amazonaws.us-west-2.dynamodb\", \"type\": \"Gateway\", \"routeTables\": [\"main\"], \"subnets\": [\"nodes/us-west-2a\"]}}", false)]
    [InlineData("leadertools:vpcEndpoints", "{\"ddb\": {\"service\": \"com.amazonaws.us-west-2.dynamodb\", \"type\": \"Gateway\", \"routeTables\": []}}", false)]
    [InlineData("leadertools:availabilityZones", "[\"us-west-2a\", \"us-west-2a\"]", false)]
    [InlineData("leadertools:availabilityZones", "[]", false)]
    [InlineData("leadertools:nodeGroup.rootVolume", "{\"sizeGiB\": 19}", false)]
    public void The_schema_judges_values_as_the_reader_does(string path, string json, bool valid)
    {
        var config = PulumiRun.StackConfig("qas");
        ConfigEdit.Set(config, path, JsonNode.Parse(json));

        Assert.Equal(valid, Evaluate(new JsonObject { ["config"] = config }).IsValid);
    }

    [Fact]
    public void A_stack_without_the_region_or_the_node_group_of_its_cluster_fails_the_schema()
    {
        var noRegion = PulumiRun.StackConfig("qas");
        noRegion.Remove("aws:region");
        var noNodes = PulumiRun.StackConfig("qas");
        noNodes.Remove("leadertools:nodeGroup");
        Assert.False(Evaluate(new JsonObject { ["config"] = noRegion }).IsValid);
        Assert.False(Evaluate(new JsonObject { ["config"] = noNodes }).IsValid);
    }

    public static TheoryData<string, string> EveryKeyWithAWrongShape()
    {
        var data = new TheoryData<string, string>();
        // Every key qas gives, and every declared key it leaves out (gateways' `existing`, ...).
        foreach (var path in KeyPaths(PulumiRun.StackConfig("qas"), includeAbsent: true).Select(p => p.Path).Distinct())
        {
            foreach (var value in new[] { "\"just-a-string\"", "42", "[1]", "{\"x\": 1}" })
            {
                data.Add(path, value);
            }
        }

        return data;
    }

    /// <summary>
    /// Any key qas gives or could give, set to a value of each shape: the reader never stops with an
    /// internal error, every problem names a key, and a value whose shape the key's declared type
    /// does not admit (judged by <see cref="Admits"/>, written here from JSON Schema's reading of
    /// the types) is refused, never accepted silently.
    /// </summary>
    [Theory]
    [MemberData(nameof(EveryKeyWithAWrongShape))]
    public void A_value_of_the_wrong_shape_is_a_problem_never_an_internal_error(string path, string json)
    {
        var config = PulumiRun.StackConfig("qas");
        var value = JsonNode.Parse(json);
        ConfigEdit.Set(config, path, value?.DeepClone());
        var problems = Problems(config);
        Assert.All(problems, p => Assert.False(string.IsNullOrEmpty(p.Key)));
        var type = KeyPaths(PulumiRun.StackConfig("qas"), includeAbsent: true).First(p => p.Path == path).Field.Type;
        if (!Admits(type, value))
        {
            // At the key, under it, or at a mapping holding it (a gateway's `existing` beside its
            // `interface` is refused as a whole before its keys are read); qas itself has no problem.
            static bool Related(string key, string edited) =>
                key == edited || Under(key, edited) || Under(edited, key);
            static bool Under(string inner, string outer) =>
                inner.StartsWith(outer + ".", StringComparison.Ordinal) || inner.StartsWith(outer + "[", StringComparison.Ordinal);
            Assert.Contains(problems, p => Related(p.Key, path));
        }
    }

    /// <summary>Whether a value has a shape the type allows (generous: a check may still refuse it).</summary>
    private static bool Admits(ConfigType type, JsonNode? value) => type switch
    {
        ScalarType { Kind: ScalarKind.String } => value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String,
        ScalarType { Kind: ScalarKind.Cidr } => value is JsonValue v && v.TryGetValue<string>(out var s) && System.Text.RegularExpressions.Regex.IsMatch(s, @"^[0-9]{1,3}(\.[0-9]{1,3}){3}/[0-9]{1,2}$"),
        ScalarType { Kind: ScalarKind.Integer } => value is JsonValue v && (v.TryGetValue<int>(out _) || v.TryGetValue<string>(out var s) && int.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out _)),
        ScalarType { Kind: ScalarKind.Boolean } => value is JsonValue v && (v.TryGetValue<bool>(out _) || v.TryGetValue<string>(out var s) && s is "true" or "false"),
        ObjectType o => value is JsonObject obj
            && obj.All(kv => o.Field(kv.Key) is { } f && Admits(f.Type, kv.Value))
            && o.Fields.Where(f => f.Required).All(f => obj.ContainsKey(f.Name)),
        MapType m => value is JsonObject map && map.All(kv => (m.Keys is null || m.Keys.Contains(kv.Key)) && Admits(m.Values, kv.Value)),
        ListType l => value is JsonArray list && list.All(item => Admits(l.Items, item)),
        EitherType e => e.Variants.Any(variant => Admits(variant, value)),
        _ => true,
    };

    public static TheoryData<string> QasKeyPaths() => new(KeyPaths(PulumiRun.StackConfig("qas")).Select(p => p.Path));

    /// <summary>
    /// Each key qas gives, removed: the reader reports it missing exactly when the schema says it
    /// is required (or required with the cluster, which qas has).
    /// </summary>
    [Theory]
    [MemberData(nameof(QasKeyPaths))]
    public void A_key_is_reported_missing_exactly_when_the_schema_requires_it(string path)
    {
        var field = KeyPaths(PulumiRun.StackConfig("qas")).Single(p => p.Path == path).Field;
        var config = PulumiRun.StackConfig("qas");
        ConfigEdit.Remove(config, path);
        var missing = Problems(config).Any(p => p.Key == path && p.Value == "(missing)");
        Assert.True(missing == (field.Required || field.RequiredWith is not null), $"{path}: required in the schema: {field.Required}, reported missing: {missing}");
    }

    /// <summary>
    /// Keys that declare a default: where qas leaves them out or gives the default, and, for a key
    /// qas gives otherwise everywhere (guideClaims.internetReachesInternalLoadBalancers), its first place.
    /// </summary>
    private static IEnumerable<(string Path, ConfigField Field, JsonNode? Value, string Reference)> DefaultedKeys()
    {
        var defaulted = KeyPaths(PulumiRun.StackConfig("qas"), includeAbsent: true).Where(p => p.Field.Default is not null).ToList();
        var atDefault = defaulted.Where(p => p.Value is null || p.Value.ToJsonString() == JsonValue.Create(p.Field.Default)!.ToJsonString()).ToList();
        var elsewhere = defaulted.Where(p => !atDefault.Any(d => d.Reference == p.Reference)).GroupBy(p => p.Reference).Select(g => g.First());
        return atDefault.Concat(elsewhere);
    }

    public static TheoryData<string> DefaultedKeyPaths() => new(DefaultedKeys().Select(p => p.Path));

    /// <summary>A documented default is the reader's: leaving a key out plans the same program as giving its default.</summary>
    [Theory]
    [MemberData(nameof(DefaultedKeyPaths))]
    public void Leaving_a_key_out_plans_what_its_documented_default_plans(string path)
    {
        var field = KeyPaths(PulumiRun.StackConfig("qas"), includeAbsent: true).Single(p => p.Path == path).Field;
        var given = PulumiRun.StackConfig("qas");
        ConfigEdit.Set(given, path, JsonValue.Create(field.Default));
        // The same config without the key (its mapping stays, so the key alone is left out).
        var absent = given.DeepClone().AsObject();
        ConfigEdit.Remove(absent, path);
        Assert.Equal(Emit(given), Emit(absent));
    }

    /// <summary>Every key the reference documents a default for is one the test above leaves out, so no documented default goes untried.</summary>
    [Fact]
    public void Defaulted_keys_are_covered_by_the_default_test()
    {
        // nodeGroups' entries are nodeGroup's shape (ClusterKeys.NodeGroupShape): qas's nodeGroup covers them;
        // a zone's list of subnets holds the one subnet's shape (SubnetKeys): qas's subnets cover it.
        Assert.Equal(
            ConfigReference.Rows().Where(r => r.Default.Length > 0).Select(r => r.Key)
                .Where(k => !k.StartsWith("nodeGroups.<name>.", StringComparison.Ordinal) && !k.StartsWith("subnets.<role>.<zone>[].", StringComparison.Ordinal)).Order(StringComparer.Ordinal),
            DefaultedKeys().Select(p => p.Reference).Distinct().Order(StringComparer.Ordinal));
        Assert.All(
            ConfigReference.Rows().Where(r => r.Default.Length > 0 && r.Key.StartsWith("nodeGroups.<name>.", StringComparison.Ordinal)),
            r => Assert.Contains(DefaultedKeys(), p => p.Reference == "nodeGroup." + r.Key["nodeGroups.<name>.".Length..]));
    }

    [Fact]
    public void Reference_lists_every_key_with_its_type_and_required_flag()
    {
        var rows = ConfigReference.Rows().ToDictionary(r => r.Key);
        Assert.Equal(("CIDR", "yes"), (rows["vpc.primaryCidr"].Type, rows["vpc.primaryCidr"].Required));
        Assert.Equal("CIDR or mapping or list of CIDR or mapping", rows["subnets.<role>.<zone>"].Type);
        Assert.Equal("CIDR", rows["routeTables.<name>.routes[].destination"].Type);
        Assert.Equal("with `cluster`, or `nodeGroups`", rows["nodeGroup"].Required);
        Assert.Equal("`vpcEndpoints` or `gateways`", rows["bootstrap.nodeEgress"].Type);
        Assert.Equal("`topology.kubernetes.io/zone`", rows["cni.eniConfigLabel"].Default);
    }

    [Fact]
    public void Schema_update_rewrites_the_readme_section_in_place()
    {
        using var project = new TempProject("schema-readme");
        var readme = project.Path("README.md");
        File.WriteAllText(readme, $"# x\n{ReadmeSection.Start(ConfigReference.ReadmeSection)}\nold\n{ReadmeSection.End(ConfigReference.ReadmeSection)}\ntail\n");
        var result = InfraCli.Run("schema", "--update-readme", readme);
        Assert.Equal(0, result.ExitCode);
        var text = File.ReadAllText(readme);
        Assert.Equal(InfraCli.Run("schema", "--format", "markdown").Stdout, ReadmeSection.Content(text, ConfigReference.ReadmeSection));
        Assert.EndsWith($"{ReadmeSection.End(ConfigReference.ReadmeSection)}\ntail\n", text, StringComparison.Ordinal);
    }

    private static bool IsUndeclared(string path)
    {
        var segments = path[(path.IndexOf(':', StringComparison.Ordinal) + 1)..].Split('.');
        return path.StartsWith(PulumiRun.ProjectName + ":", StringComparison.Ordinal) && !Declares(ConfigSchema.Project, segments);
    }

    private static bool Declares(ConfigType type, IReadOnlyList<string> segments)
    {
        if (segments.Count == 0)
        {
            return true;
        }

        var name = segments[0].Split('[')[0];
        return type switch
        {
            ObjectType o => o.Field(name) is { } f && Declares(Unlisted(f.Type, segments[0]), segments.Skip(1).ToList()),
            MapType { Keys: { } keys } m => keys.Contains(name) && Declares(m.Values, segments.Skip(1).ToList()),
            MapType m => Declares(m.Values, segments.Skip(1).ToList()),
            EitherType e => e.Variants.Any(v => Declares(v, segments)),
            _ => false,
        };
    }

    private static ConfigType Unlisted(ConfigType type, string segment) => segment.Contains('[', StringComparison.Ordinal) && type is ListType l ? l.Items : type;

    /// <summary>The concrete key paths of a config, each with its declaration (and, optionally, declared keys it leaves out).</summary>
    /// <param name="includeAbsent">Also the declared keys the config leaves out, top-level ones included.</param>
    private static List<(string Path, ConfigField Field, JsonNode? Value, string Reference)> KeyPaths(JsonObject config, bool includeAbsent = false)
    {
        // Reference: the path as the README's reference writes it (routeTables.<name>.main), built
        // here from the schema's shapes rather than taken from ConfigReference.
        var paths = new List<(string, ConfigField, JsonNode?, string)>();
        void Walk(string path, string reference, JsonNode? value, ConfigType type)
        {
            switch (type)
            {
                case ObjectType o:
                    foreach (var field in o.Fields)
                    {
                        var child = value is JsonObject obj && obj.TryGetPropertyValue(field.Name, out var v) ? v : null;
                        if (child is not null || includeAbsent)
                        {
                            paths.Add(($"{path}.{field.Name}", field, child, $"{reference}.{field.Name}"));
                            Walk($"{path}.{field.Name}", $"{reference}.{field.Name}", child, field.Type);
                        }
                    }

                    break;
                case MapType m when value is JsonObject map:
                    foreach (var (key, child) in map)
                    {
                        Walk($"{path}.{key}", $"{reference}.<{m.KeyName}>", child, m.Values);
                    }

                    break;
                case ListType l when value is JsonArray list:
                    for (var i = 0; i < list.Count; i++)
                    {
                        Walk($"{path}[{i}]", $"{reference}[]", list[i], l.Items);
                    }

                    break;
                case EitherType e when value is JsonObject:
                    Walk(path, reference, value, e.Variants.OfType<ObjectType>().Single());
                    break;
            }
        }

        foreach (var field in ConfigSchema.ProjectKeys)
        {
            var key = $"{PulumiRun.ProjectName}:{field.Name}";
            var value = config[key];
            if (value is not null || includeAbsent)
            {
                paths.Add((key, field, value, field.Name));
                Walk(key, field.Name, value, field.Type);
            }
        }

        return paths;
    }

    private static IReadOnlyList<ConfigProblem> Problems(JsonObject config)
    {
        try
        {
            StackConfigReader.Read(PulumiRun.ProjectName, "qas", PulumiConfigMap.FromEnvironmentJson(PulumiRun.EncodeConfig(config)));
            return [];
        }
        catch (ConfigException e)
        {
            return e.Problems;
        }
    }

    private static string Emit(JsonObject config) =>
        Infra.Emit.ProgramEmitter.Render(StackLoader.Load(PulumiRun.ProjectName, "qas", PulumiConfigMap.FromEnvironmentJson(PulumiRun.EncodeConfig(config))));

    private static JsonObject Edited(BadInputTests.BadCase @case)
    {
        var config = PulumiRun.StackConfig("qas");
        foreach (var path in @case.Remove)
        {
            ConfigEdit.Remove(config, path);
        }

        foreach (var (path, value) in @case.Set)
        {
            ConfigEdit.Set(config, path, value);
        }

        return config;
    }

    private static JsonNode StackFileJson(string path)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            yaml.Load(reader);
        }

        return PulumiRun.ToJson(yaml.Documents[0].RootNode)!;
    }

    private static EvaluationResults Evaluate(JsonNode document) =>
        Shipped.Value.Evaluate(JsonSerializer.SerializeToElement(document), new EvaluationOptions { OutputFormat = Json.Schema.OutputFormat.List });

    private static string Errors(EvaluationResults result) =>
        string.Join("\n", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).Select(d => $"{d.InstanceLocation}: {string.Join("; ", d.Errors!.Values)}"));
}
