using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Infra.StackConfig;

namespace Infra.Review;

/// <summary>
/// `diff --state FILE`: the planned program against what a stack has deployed, as `pulumi stack
/// export` writes it (Pulumi's deployment format, version 3: pulumi/pulumi
/// sdk/go/common/apitype/core.go, UntypedDeployment and DeploymentV3 with ResourceV3: urn, custom,
/// id, type, inputs, outputs, parent, provider, protect). Top-level resources are matched by name
/// and type; the program's `${name.path}` references are resolved through the deployed outputs
/// (`id` is the resource's id). Only inputs the program sets are compared: an input the state has
/// and the program leaves out is a provider default, not a change. A secret in the state (an object
/// holding the signature key 4dabf18193072939515e22adb298388d) is compared by nothing and printed as
/// [secret].
/// </summary>
public static partial class DeployedState
{
    /// <summary>apitype's SecretSig: the key that marks a secret value in a deployment.</summary>
    public const string SecretSignature = "4dabf18193072939515e22adb298388d";

    public const string Secret = "[secret]";

    private sealed record Deployed(string Name, string Type, string? Id, JsonObject Inputs, JsonObject Outputs, bool Protect);

    private const string ProtectOption = "(options).protect";

    /// <summary>A value only `pulumi preview` knows (a provider function's answer): not compared.</summary>
    public const string KnownAtPreview = "(known at preview)";

    public static (ProgramSnapshot Deployed, ProgramSnapshot Planned) Compare(string stateJson, string stateFile, string plannedYaml)
    {
        var resources = Read(stateJson, stateFile);
        var byName = resources.ToDictionary(r => r.Name, StringComparer.Ordinal);
        var planned = new List<SnapshotResource>();
        var root = BoundedYaml.Load(plannedYaml).Documents[0].RootNode as YamlDotNet.RepresentationModel.YamlMappingNode;
        var section = root?.Children.TryGetValue(new YamlDotNet.RepresentationModel.YamlScalarNode("resources"), out var r) == true ? r as YamlDotNet.RepresentationModel.YamlMappingNode : null;
        // The program's variables hold provider-function answers: values only a preview knows.
        var variables = root?.Children.TryGetValue(new YamlDotNet.RepresentationModel.YamlScalarNode("variables"), out var v) == true && v is YamlDotNet.RepresentationModel.YamlMappingNode vars
            ? vars.Children.Keys.Select(k => k.ToString()).ToHashSet(StringComparer.Ordinal)
            : [];
        foreach (var (key, body) in section?.Children ?? Enumerable.Empty<KeyValuePair<YamlDotNet.RepresentationModel.YamlNode, YamlDotNet.RepresentationModel.YamlNode>>())
        {
            var map = (YamlDotNet.RepresentationModel.YamlMappingNode)body;
            var type = map.Children[new YamlDotNet.RepresentationModel.YamlScalarNode("type")].ToString();
            var raw = map.Children.TryGetValue(new YamlDotNet.RepresentationModel.YamlScalarNode("properties"), out var p) ? p : null;
            var properties = raw is null ? new JsonObject() : Evaluate(raw, byName, variables);
            var flat = new SortedDictionary<string, string>(StringComparer.Ordinal);
            Flatten(properties, "", flat);
            var values = flat.Where(kv => kv.Value != KnownAtPreview).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            // The state's ids stand where the program refers to other resources: keep what each value
            // came from, so that a resource the plan replaces still carries its replacement along.
            var rawReferences = new List<(string Path, string Reference)>();
            CollectReferences(raw, "", rawReferences);
            var references = values.Keys.ToDictionary(
                path => path,
                path => (IReadOnlyList<string>)[.. rawReferences.Where(r => r.Path == path || r.Path.StartsWith(path + ".", StringComparison.Ordinal) || r.Path.StartsWith(path + "[", StringComparison.Ordinal)).Select(r => r.Reference).Distinct(StringComparer.Ordinal)],
                StringComparer.Ordinal);
            if (map.Children.TryGetValue(new YamlDotNet.RepresentationModel.YamlScalarNode("options"), out var options) && options is YamlDotNet.RepresentationModel.YamlMappingNode optionMap
                && optionMap.Children.TryGetValue(new YamlDotNet.RepresentationModel.YamlScalarNode("protect"), out var protect) && protect.ToString() == "true")
            {
                values[ProtectOption] = "true";
            }

            planned.Add(new SnapshotResource(key.ToString(), type, values) { References = references });
        }

        var plannedByName = planned.ToDictionary(x => x.Name, StringComparer.Ordinal);
        var deployed = resources.Select(d =>
        {
            var flat = new SortedDictionary<string, string>(StringComparer.Ordinal);
            var inputs = d.Inputs;
            if (d.Type.StartsWith("pulumi:providers:", StringComparison.Ordinal) && plannedByName.TryGetValue(d.Name, out var plannedProvider))
            {
                // A provider's structured inputs are kept JSON-encoded (its SDK's Provider class
                // stringifies them): read back as objects where the program writes an object.
                inputs = new JsonObject(inputs.Select(kv => KeyValuePair.Create(kv.Key,
                    kv.Value is JsonValue v && v.TryGetValue<string>(out var text) && plannedProvider.Properties.Keys.Any(k => k.StartsWith(kv.Key + ".", StringComparison.Ordinal)) ? TryParse(text) ?? kv.Value.DeepClone() : kv.Value?.DeepClone())));
            }

            Flatten(inputs, "", flat);
            // Only what the program sets: the rest are the provider's defaults. Protection is the state's own.
            var wanted = plannedByName.TryGetValue(d.Name, out var mine) ? mine.Properties.Keys.ToHashSet(StringComparer.Ordinal) : null;
            var kept = flat.Where(kv => wanted is null || wanted.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            if (d.Protect)
            {
                kept[ProtectOption] = "true";
            }

            return new SnapshotResource(d.Name, d.Type, kept);
        }).ToList();

        // Under a secret of the state nothing can be compared: the planned value shows as the secret does.
        var masked = planned.Select(x => deployed.FirstOrDefault(d => d.Name == x.Name) is not { } d ? x : x with
        {
            Properties = x.Properties.ToDictionary(kv => kv.Key, kv => d.Properties.TryGetValue(kv.Key, out var old) && old == Secret ? Secret : kv.Value, StringComparer.Ordinal),
        }).ToList();
        return (ProgramSnapshot.Of(deployed), ProgramSnapshot.Of(masked));
    }

    /// <summary>A program value as the YAML runtime would hand it to the provider, references resolved through the state.</summary>
    private static JsonNode? Evaluate(YamlDotNet.RepresentationModel.YamlNode node, IReadOnlyDictionary<string, Deployed> byName, IReadOnlySet<string> variables)
    {
        switch (node)
        {
            case YamlDotNet.RepresentationModel.YamlScalarNode scalar:
                var text = scalar.Value ?? "";
                if (Reference().Matches(text).Any(m => variables.Contains(m.Groups[1].Value)))
                {
                    return JsonValue.Create(KnownAtPreview);
                }

                var whole = WholeReference().Match(text);
                if (whole.Success && byName.TryGetValue(whole.Groups[1].Value, out var target))
                {
                    return ValueAt(target, whole.Groups[2].Success ? whole.Groups[2].Value : "")?.DeepClone() ?? JsonValue.Create(text);
                }

                return JsonValue.Create(Resolve(text, byName).Replace("$$", "$", StringComparison.Ordinal));
            case YamlDotNet.RepresentationModel.YamlSequenceNode sequence:
                return new JsonArray(sequence.Children.Select(c => Evaluate(c, byName, variables)).ToArray());
            case YamlDotNet.RepresentationModel.YamlMappingNode map when map.Children.Count == 1 && map.Children.Keys.Single().ToString() is { } fn && fn.StartsWith("fn::", StringComparison.Ordinal):
                var argument = Evaluate(map.Children.Values.Single(), byName, variables);
                if (argument?.ToJsonString().Contains(KnownAtPreview, StringComparison.Ordinal) == true)
                {
                    return JsonValue.Create(KnownAtPreview);
                }

                return fn switch
                {
                    "fn::toJSON" => JsonValue.Create(Canonical(argument)),
                    "fn::toBase64" => JsonValue.Create(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(argument?.ToString() ?? ""))),
                    "fn::secret" => JsonValue.Create(Secret),
                    _ => JsonValue.Create(KnownAtPreview),
                };
            case YamlDotNet.RepresentationModel.YamlMappingNode map:
                return new JsonObject(map.Children.Select(kv => KeyValuePair.Create(Resolve(kv.Key.ToString(), byName), Evaluate(kv.Value, byName, variables))));
            default:
                return null;
        }
    }

    /// <summary>Every `${name.path}` in a program value, with the property path it stands at.</summary>
    private static void CollectReferences(YamlDotNet.RepresentationModel.YamlNode? node, string path, List<(string Path, string Reference)> into)
    {
        switch (node)
        {
            case YamlDotNet.RepresentationModel.YamlScalarNode scalar:
                foreach (Match match in Reference().Matches(scalar.Value ?? ""))
                {
                    into.Add((path, match.Groups[2].Success ? $"{match.Groups[1].Value}.{match.Groups[2].Value}" : match.Groups[1].Value));
                }

                break;
            case YamlDotNet.RepresentationModel.YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    CollectReferences(sequence.Children[i], $"{path}[{i}]", into);
                }

                break;
            case YamlDotNet.RepresentationModel.YamlMappingNode map:
                foreach (var (key, value) in map.Children)
                {
                    CollectReferences(value, path.Length == 0 ? key.ToString() : $"{path}.{key}", into);
                }

                break;
        }
    }

    private static JsonNode? ValueAt(Deployed resource, string path)
    {
        if (path is "" or "id")
        {
            return resource.Id is null ? null : JsonValue.Create(resource.Id);
        }

        JsonNode? node = resource.Outputs;
        foreach (var step in path.Split('.'))
        {
            node = node?[step];
        }

        return node;
    }

    /// <summary>JSON text with object keys sorted, as Go's encoder writes a map: two encodings of one value compare equal.</summary>
    private static string Canonical(JsonNode? node)
    {
        static JsonNode? Sort(JsonNode? n) => n switch
        {
            JsonObject o => new JsonObject(o.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, Sort(kv.Value)))),
            JsonArray a => new JsonArray(a.Select(Sort).ToArray()),
            _ => n?.DeepClone(),
        };

        return Sort(node)?.ToJsonString() ?? "null";
    }

    private static List<Deployed> Read(string json, string file)
    {
        JsonNode? root;
        try
        {
            root = StrictJson.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ReviewArgumentException(ReviewInput.State, file, $"not JSON: {e.Message}");
        }

        if (root?["version"] is not JsonValue version || version.ToString() != "3" || root["deployment"] is not JsonObject deployment)
        {
            throw new ReviewArgumentException(ReviewInput.State, file, "not a Pulumi deployment of version 3 (write one with `pulumi stack export --file state.json`)");
        }

        var resources = new List<Deployed>();
        var stackUrns = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in deployment["resources"] as JsonArray ?? [])
        {
            if (node is not JsonObject resource || resource["urn"]?.ToString() is not { } urn || resource["type"]?.ToString() is not { } type)
            {
                throw new ReviewArgumentException(ReviewInput.State, file, "a resource without urn or type");
            }

            if (type == "pulumi:pulumi:Stack")
            {
                stackUrns.Add(urn);
                continue;
            }

            // Top-level only: the program declares those; components' children are theirs.
            var parent = resource["parent"]?.ToString();
            var name = urn[(urn.LastIndexOf("::", StringComparison.Ordinal) + 2)..];
            if ((parent is not null && !stackUrns.Contains(parent)) || (type.StartsWith("pulumi:providers:", StringComparison.Ordinal) && name.StartsWith("default", StringComparison.Ordinal)))
            {
                continue;
            }

            resources.Add(new Deployed(name, ProgramType(type), resource["id"]?.ToString(), Sanitize(resource["inputs"]) as JsonObject ?? [], Sanitize(resource["outputs"]) as JsonObject ?? [], resource["protect"] is JsonValue p && p.TryGetValue<bool>(out var isProtected) && isProtected));
        }

        return resources;
    }

    /// <summary>
    /// A state's type token as a YAML program writes it: aws:ec2/vpc:Vpc -> aws:ec2:Vpc (the aws
    /// provider's module is a file path), eks:index:Cluster -> eks:Cluster; kubernetes modules
    /// (helm.sh/v3, yaml/v2) are kept.
    /// </summary>
    public static string ProgramType(string stateType)
    {
        var parts = stateType.Split(':');
        if (parts.Length != 3)
        {
            return stateType;
        }

        var module = parts[0] == "aws" ? parts[1].Split('/')[0] : parts[1];
        return module == "index" ? $"{parts[0]}:{parts[2]}" : $"{parts[0]}:{module}:{parts[2]}";
    }

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Secrets replaced by [secret], Pulumi's internal keys dropped.</summary>
    private static JsonNode? Sanitize(JsonNode? node) => node switch
    {
        JsonObject o when o.ContainsKey(SecretSignature) => JsonValue.Create(Secret),
        JsonObject o => new JsonObject(o.Where(kv => !kv.Key.StartsWith("__", StringComparison.Ordinal)).Select(kv => KeyValuePair.Create(kv.Key, Sanitize(kv.Value)))),
        JsonArray a => new JsonArray(a.Select(Sanitize).ToArray()),
        _ => node?.DeepClone(),
    };

    private static void Flatten(JsonNode? node, string path, IDictionary<string, string> into)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    Flatten(value, path.Length == 0 ? key : $"{path}.{key}", into);
                }

                break;
            case JsonArray a:
                if (a.Count == 0)
                {
                    into[path] = "[]";
                }

                for (var i = 0; i < a.Count; i++)
                {
                    Flatten(a[i], $"{path}[{i}]", into);
                }

                break;
            case JsonValue v when v.TryGetValue<bool>(out var b):
                into[path] = b ? "true" : "false";
                break;
            case JsonValue v when v.TryGetValue<double>(out var d):
                into[path] = d.ToString(CultureInfo.InvariantCulture);
                break;
            case null:
                break;
            case JsonValue v when v.TryGetValue<string>(out var text) && text.TrimStart() is ['{' or '[', ..]:
                // A JSON document in a string (a policy): compared by content, not by its key order.
                try
                {
                    into[path] = Canonical(JsonNode.Parse(text));
                }
                catch (JsonException)
                {
                    into[path] = text;
                }

                break;
            default:
                into[path] = node.ToString();
                break;
        }
    }

    /// <summary>Each ${name.path} the state can answer replaced by the deployed value; the rest stay references.</summary>
    private static string Resolve(string value, IReadOnlyDictionary<string, Deployed> byName) =>
        Reference().Replace(value, match =>
        {
            if (!byName.TryGetValue(match.Groups[1].Value, out var resource))
            {
                return match.Value;
            }

            var path = match.Groups[2].Success ? match.Groups[2].Value : "";
            if (path is "" or "id")
            {
                return resource.Id ?? match.Value;
            }

            JsonNode? node = resource.Outputs;
            foreach (var step in path.Split('.'))
            {
                node = node?[step];
            }

            return node switch
            {
                JsonValue v when v.ToString() == Secret => Secret,
                JsonValue v => v.ToString(),
                _ => match.Value,
            };
        });

    [GeneratedRegex(@"\$\{([A-Za-z0-9_-]+)(?:\.([A-Za-z0-9_.]+))?\}")]
    private static partial Regex Reference();

    [GeneratedRegex(@"^\$\{([A-Za-z0-9_-]+)(?:\.([A-Za-z0-9_.]+))?\}$")]
    private static partial Regex WholeReference();
}
