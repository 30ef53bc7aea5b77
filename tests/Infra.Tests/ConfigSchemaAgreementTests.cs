using System.Text.Json.Nodes;
using Infra.StackConfig;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>
/// The schema refuses what the reader refuses, and accepts what it accepts (issue 33, item 4):
/// for every value a shipped or example stack gives, values generated from the key's declared type
/// (each allowed word and one not allowed, a string at and past its maximum length, an empty one,
/// a number as a number and as text, a CIDR with an octet or prefix out of range, a list emptied or
/// with its first item twice), judged by both; they must agree. A declaration that cannot say its
/// whole rule to JSON Schema (a CIDR's host bits) is the reader's alone, and is listed here with why.
/// </summary>
public sealed partial class ConfigSchemaTests
{
    private static readonly string[] StackFiles = ["Pulumi.qas.yaml", "Pulumi.dev.yaml", "examples/Pulumi.adopted.yaml", "examples/Pulumi.bluegreen.yaml"];

    /// <summary>Each concrete key with a value in a stack file, by its declared place, once: (file, key path).</summary>
    public static TheoryData<string, string> GivenValues()
    {
        var data = new TheoryData<string, string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in StackFiles)
        {
            foreach (var (path, _, value, _) in KeyPaths(PulumiRun.StackConfigAt(file)))
            {
                if (value is JsonValue or JsonArray && DeclaredPaths.Of(path) is { } place && seen.Add(place))
                {
                    data.Add(file, path);
                }
            }
        }

        return data;
    }

    /// <summary>
    /// Rules JSON Schema cannot say: here only the schema's refusals are held to the reader's (the
    /// schema is never stricter), and the reader may refuse more, for the reason given.
    /// </summary>
    private static readonly Dictionary<string, string> BeyondSchema = new(StringComparer.Ordinal)
    {
        ["routeTables.*.routes[].target"] = "names a gateway (or a NAT gateway's zone) the file declares elsewhere: a reference",
        ["routeTables.*.ipv6Routes[].target"] = "names a gateway or an endpoint the file declares elsewhere: a reference",
        ["securityGroups.*.ingress[].group"] = "names a group the file declares: a reference",
        ["securityGroups.*.egress[].group"] = "names a group the file declares: a reference",
        ["nodeGroup.desiredSize"] = "lies between minSize and maxSize: a relation between keys",
        ["nodeGroups.*.desiredSize"] = "lies between minSize and maxSize: a relation between keys",
        ["nodeGroup.minSize"] = "is at most desiredSize: a relation between keys",
        ["nodeGroups.*.minSize"] = "is at most desiredSize: a relation between keys",
        ["securityGroups.*.ingress[].toPort"] = "is at least fromPort: a relation between keys",
        ["securityGroups.*.egress[].toPort"] = "is at least fromPort: a relation between keys",
        ["securityGroups.*.ingress[].protocol"] = "decides what the ports mean (an ICMP type is at most 255): a relation between keys",
        ["securityGroups.*.egress[].protocol"] = "decides what the ports mean (an ICMP type is at most 255): a relation between keys",
        ["natGateway.zones"] = "with `enabled`, `zone` or `zones` names a zone: a relation between keys",
    };

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, JsonObject> Parsed = new(StringComparer.Ordinal);

    /// <summary>A fresh copy of a stack file's config (each file parsed once per run).</summary>
    private static JsonObject ConfigOf(string file) => (JsonObject)Parsed.GetOrAdd(file, PulumiRun.StackConfigAt).DeepClone();

    [Theory]
    [MemberData(nameof(GivenValues))]
    public void Schema_and_reader_agree_on_values_generated_from_the_declaration(string file, string path)
    {
        var given = KeyPaths(ConfigOf(file)).Single(p => p.Path == path);
        var field = given.Field;
        Assert.Empty(CompilerProblems(ConfigOf(file)));
        var disagreements = new List<string>();
        foreach (var value in Candidates(field.Type, given.Value))
        {
            var config = ConfigOf(file);
            ConfigEdit.Set(config, path, value?.DeepClone());
            var schema = Evaluate(new JsonObject { ["config"] = config }).IsValid;
            // Problems in the value's own mapping (the key, what is under it, its siblings): a rule
            // one mapping states, which the schema can say; not a rule that reaches across the file.
            var reader = !CompilerProblems(config).Any(p => SameMapping(p.Key, path));
            // A bounded number written as text (pulumi config set --path) is bounded by the reader alone: JSON Schema bounds numbers.
            var oneWay = BeyondSchema.ContainsKey(DeclaredPaths.Of(path)!)
                || (field.Type is ScalarType { Minimum: not null } or ScalarType { Maximum: not null } && value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String);
            if (schema != reader && !(oneWay && !reader))
            {
                disagreements.Add($"{value?.ToJsonString() ?? "null"}: schema {(schema ? "accepts" : "refuses")}, reader {(reader ? "accepts" : "refuses")}");
            }
        }

        Assert.True(disagreements.Count == 0, $"{path} ({DeclaredPaths.Of(path)}):\n{string.Join("\n", disagreements)}");
    }

    private static bool SameMapping(string key, string path)
    {
        var parent = path[..Math.Max(path.LastIndexOf('.'), path.IndexOf(':', StringComparison.Ordinal))];
        return key == path || key.StartsWith(path + ".", StringComparison.Ordinal) || key.StartsWith(path + "[", StringComparison.Ordinal)
            || (key.StartsWith(parent + ".", StringComparison.Ordinal) && !key[(parent.Length + 1)..].Contains('.', StringComparison.Ordinal)) || key == parent;
    }

    /// <summary>What the compiler refuses in a config: the reader's binding and the validation after it.</summary>
    private static IReadOnlyList<ConfigProblem> CompilerProblems(JsonObject config)
    {
        try
        {
            StackLoader.Load(PulumiRun.ProjectName, "qas", PulumiConfigMap.FromEnvironmentJson(PulumiRun.EncodeConfig(config)));
            return [];
        }
        catch (ConfigException e)
        {
            return e.Problems;
        }
    }

    /// <summary>Values of the declared type at its edges, and just past them.</summary>
    private static IEnumerable<JsonNode?> Candidates(ConfigType type, JsonNode? given)
    {
        switch (type)
        {
            case ScalarType { Kind: ScalarKind.String } text:
                foreach (var allowed in text.Allowed ?? [])
                {
                    yield return JsonValue.Create(allowed);
                }

                yield return JsonValue.Create("");
                yield return JsonValue.Create("not one of them!");
                if (text.MaxLength is { } most)
                {
                    yield return JsonValue.Create(new string('W', most));
                    yield return JsonValue.Create(new string('W', most + 1));
                }

                yield return JsonValue.Create(42);
                break;
            case ScalarType { Kind: ScalarKind.Cidr }:
                yield return JsonValue.Create("10.0.0.300/24");
                yield return JsonValue.Create("10.0.0.0/33");
                yield return JsonValue.Create("10.0.0.0");
                yield return JsonValue.Create(10);
                break;
            case ScalarType { Kind: ScalarKind.Integer }:
                yield return JsonValue.Create(7);
                yield return JsonValue.Create("7");
                yield return JsonValue.Create("seven");
                yield return JsonValue.Create(7.5);
                yield return JsonValue.Create(true);
                break;
            case ScalarType { Kind: ScalarKind.Boolean } flag:
                foreach (var allowed in flag.Allowed ?? ["true", "false"])
                {
                    yield return JsonValue.Create(allowed == "true");
                    yield return JsonValue.Create(allowed);
                }

                yield return JsonValue.Create("maybe");
                yield return JsonValue.Create(1);
                break;
            case ListType when given is JsonArray list:
                yield return new JsonArray();
                if (list.Count > 0)
                {
                    yield return new JsonArray(list[0]!.DeepClone(), list[0]!.DeepClone());
                }

                yield return JsonValue.Create("not a list");
                break;
        }
    }
}
