using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Infra.Tests.Harness;

public sealed class MockEngineException(string message) : Exception(message);

public sealed record MockResource(string Name, string Type, JsonObject Inputs, JsonObject Outputs, IReadOnlyList<string> DependsOn, string? Provider)
{
    public string Id => Outputs["id"]!.GetValue<string>();

    public string? Input(string path) => MockEngine.Navigate(Inputs, path)?.ToString();

    public string? Tag(string key) => Inputs["tags"]?[key]?.GetValue<string>();
}

/// <summary>
/// Evaluates a Pulumi YAML program the way the YAML runtime would under mocks: resources and
/// variables in dependency order, every ${...} resolved against the mocks' outputs. A reference to
/// something undeclared, to an output a resource does not have, or a cycle is an error.
/// </summary>
public static partial class MockEngine
{
    public static MockDeployment Run(string programYaml, Mocks? mocks = null)
    {
        mocks ??= new Mocks();
        var yaml = new YamlStream();
        yaml.Load(new StringReader(programYaml));
        var program = (JsonObject)PulumiRun.ToJson(yaml.Documents[0].RootNode)!;
        var variables = program["variables"] as JsonObject ?? [];
        var resources = program["resources"] as JsonObject ?? throw new MockEngineException("the program has no resources");
        var outputs = program["outputs"] as JsonObject ?? [];

        var declared = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var (name, body) in variables)
        {
            declared[name] = body!;
        }

        foreach (var (name, body) in resources)
        {
            if (!declared.TryAdd(name, body!))
            {
                throw new MockEngineException($"'{name}' is declared twice");
            }
        }

        var values = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        var deployed = new List<MockResource>();
        var state = new Dictionary<string, bool>(StringComparer.Ordinal);

        void Visit(string name, List<string> trail)
        {
            if (state.TryGetValue(name, out var done))
            {
                if (!done)
                {
                    throw new MockEngineException($"dependency cycle: {string.Join(" -> ", trail.Append(name))}");
                }

                return;
            }

            state[name] = false;
            var body = declared[name];
            foreach (var root in References(body))
            {
                if (root == "pulumi")
                {
                    continue;
                }

                if (!declared.ContainsKey(root))
                {
                    throw new MockEngineException($"'{name}' refers to ${{{root}}}, which the program does not declare");
                }

                if (root != name)
                {
                    Visit(root, [.. trail, name]);
                }
                else
                {
                    throw new MockEngineException($"dependency cycle: {name} refers to itself");
                }
            }

            if (variables.ContainsKey(name))
            {
                values[name] = Evaluate(body, values, mocks);
            }
            else
            {
                var type = body["type"]?.GetValue<string>() ?? throw new MockEngineException($"resource '{name}' has no type");
                var inputs = Evaluate(body["properties"] ?? new JsonObject(), values, mocks) as JsonObject ?? [];
                var options = body["options"] as JsonObject;
                var dependsOn = (options?["dependsOn"] as JsonArray ?? []).Select(d => RootOf(d!.GetValue<string>())).ToList();
                var provider = options?["provider"] is JsonValue p ? RootOf(p.GetValue<string>()) : null;
                var (id, outState) = mocks.NewResource(type, name, inputs);
                outState["id"] = id;
                outState["urn"] = $"urn:pulumi:test::project::{type}::{name}";
                values[name] = outState;
                deployed.Add(new MockResource(name, type, inputs, outState, dependsOn, provider));
            }

            state[name] = true;
        }

        foreach (var name in declared.Keys)
        {
            Visit(name, []);
        }

        var secretOutputs = new HashSet<string>(StringComparer.Ordinal);
        var resolvedOutputs = new JsonObject();
        foreach (var (name, body) in outputs)
        {
            foreach (var root in References(body!).Where(r => r != "pulumi" && !declared.ContainsKey(r)))
            {
                throw new MockEngineException($"output '{name}' refers to ${{{root}}}, which the program does not declare");
            }

            if (body is JsonObject o && o.ContainsKey("fn::secret"))
            {
                secretOutputs.Add(name);
            }

            resolvedOutputs[name] = Evaluate(body, values, mocks);
        }

        return new MockDeployment(deployed, resolvedOutputs, secretOutputs);
    }

    private static string RootOf(string reference)
    {
        var match = ReferencePattern().Match(reference);
        return match.Success ? match.Groups[1].Value : throw new MockEngineException($"'{reference}' is not a reference");
    }

    private static IEnumerable<string> References(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => ReferencePattern().Matches(s.Replace("$${", "", StringComparison.Ordinal)).Select(m => m.Groups[1].Value),
        JsonObject o => o.SelectMany(kv => References(kv.Value)),
        JsonArray a => a.SelectMany(References),
        _ => [],
    };

    private static JsonNode? Evaluate(JsonNode? node, IReadOnlyDictionary<string, JsonNode?> values, Mocks mocks)
    {
        switch (node)
        {
            case JsonValue v when v.TryGetValue<string>(out var s):
                return Interpolate(s, values);
            case JsonArray a:
                return new JsonArray(a.Select(x => Evaluate(x, values, mocks)).ToArray());
            case JsonObject o when o.Count == 1 && o.First().Key.StartsWith("fn::", StringComparison.Ordinal):
                return Function(o.First().Key[4..], o.First().Value, values, mocks);
            case JsonObject o:
                return new JsonObject(o.Select(kv => KeyValuePair.Create(kv.Key, Evaluate(kv.Value, values, mocks))));
            default:
                return node?.DeepClone();
        }
    }

    private static JsonNode? Function(string name, JsonNode? argument, IReadOnlyDictionary<string, JsonNode?> values, Mocks mocks)
    {
        switch (name)
        {
            case "invoke":
                var function = argument!["function"]!.GetValue<string>();
                var arguments = Evaluate(argument["arguments"] ?? new JsonObject(), values, mocks) as JsonObject ?? [];
                var result = mocks.Call(function, arguments);
                return argument["return"] is JsonValue ret ? result?[ret.GetValue<string>()]?.DeepClone() ?? throw new MockEngineException($"{function} returns no '{ret}'") : result;
            case "toJSON":
                return JsonValue.Create(Evaluate(argument, values, mocks)?.ToJsonString() ?? "null");
            case "secret":
                return Evaluate(argument, values, mocks);
            case "join":
                var parts = (JsonArray)Evaluate(argument![1], values, mocks)!;
                return JsonValue.Create(string.Join(argument[0]!.GetValue<string>(), parts.Select(p => p?.ToString())));
            case "toBase64":
                return JsonValue.Create(Convert.ToBase64String(Encoding.UTF8.GetBytes(Evaluate(argument, values, mocks)!.ToString())));
            default:
                throw new MockEngineException($"fn::{name} is not supported by the mock engine");
        }
    }

    private static JsonNode? Interpolate(string text, IReadOnlyDictionary<string, JsonNode?> values)
    {
        var matches = ReferencePattern().Matches(text);
        if (matches.Count == 1 && matches[0].Value == text)
        {
            return Resolve(matches[0].Groups[1].Value, matches[0].Groups[2].Value, values)?.DeepClone();
        }

        var builder = new StringBuilder();
        var last = 0;
        foreach (Match m in matches)
        {
            if (m.Index > 0 && text[m.Index - 1] == '$')
            {
                continue;
            }

            builder.Append(text, last, m.Index - last);
            builder.Append(Resolve(m.Groups[1].Value, m.Groups[2].Value, values)?.ToString());
            last = m.Index + m.Length;
        }

        builder.Append(text, last, text.Length - last);
        return JsonValue.Create(builder.ToString().Replace("$${", "${", StringComparison.Ordinal));
    }

    private static JsonNode? Resolve(string root, string path, IReadOnlyDictionary<string, JsonNode?> values)
    {
        if (!values.TryGetValue(root, out var value))
        {
            throw new MockEngineException($"${{{root}}} is not evaluated yet or not declared");
        }

        if (path.Length == 0)
        {
            // A bare resource reference stands for the resource; its id is what a property gets.
            return value is JsonObject o && o.ContainsKey("urn") ? o["id"] : value;
        }

        var found = Navigate(value, path.TrimStart('.'));
        return found ?? throw new MockEngineException($"${{{root}{path}}}: '{root}' has no output '{path.TrimStart('.')}'");
    }

    public static JsonNode? Navigate(JsonNode? node, string path)
    {
        foreach (var part in PathPart().Matches(path).Select(m => m.Value))
        {
            node = part.StartsWith('[')
                ? part[1] == '"' ? node?[part[2..^2]] : node?[int.Parse(part[1..^1], System.Globalization.CultureInfo.InvariantCulture)]
                : node?[part];
        }

        return node;
    }

    [GeneratedRegex(@"\$\{([A-Za-z0-9_-]+)((?:\.[A-Za-z0-9_]+|\[[^\]]+\])*)\}")]
    private static partial Regex ReferencePattern();

    [GeneratedRegex(@"\[[^\]]+\]|[^.\[]+")]
    private static partial Regex PathPart();
}

public sealed class MockDeployment(IReadOnlyList<MockResource> resources, JsonObject outputs, IReadOnlySet<string> secretOutputs)
{
    public IReadOnlyList<MockResource> Resources { get; } = resources;

    public JsonObject Outputs { get; } = outputs;

    public IReadOnlySet<string> SecretOutputs { get; } = secretOutputs;

    public IEnumerable<MockResource> OfType(string type) => Resources.Where(r => r.Type == type);

    public MockResource Named(string name) => Resources.Single(r => r.Name == name);

    public MockResource ById(string id) => Resources.Single(r => r.Id == id);
}
