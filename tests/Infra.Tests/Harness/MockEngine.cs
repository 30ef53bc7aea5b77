using System.Text;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Infra.Tests.Harness;

public sealed class MockEngineException(string message) : Exception(message);

public sealed record MockResource(string Name, string Type, JsonObject Inputs, JsonObject Outputs, IReadOnlyList<string> DependsOn, string? Provider)
{
    /// <summary>
    /// The version of the plugin that serves it: its explicit or inherited provider's version, else
    /// its own `version` option (program resources) or its component's pin (modelled children).
    /// </summary>
    public string? PluginVersion { get; init; }

    public string Id => Outputs["id"]!.GetValue<string>();

    /// <summary>The component that registered this resource (a modelled child), or null for a program resource.</summary>
    public string? Parent { get; init; }

    /// <summary>Input paths ("tags.Owner", "objs[0].spec") whose value the program wrapped in fn::secret.</summary>
    public IReadOnlySet<string> SecretInputs { get; init; } = new HashSet<string>();

    /// <summary>The names this resource's properties refer to: the runtime's implicit dependencies.</summary>
    public IReadOnlyList<string> Uses { get; init; } = [];

    public string? Input(string path) => MockEngine.Navigate(Inputs, path)?.ToString();

    public string? Tag(string key) => Inputs["tags"]?[key]?.GetValue<string>();
}

/// <summary>
/// Evaluates a Pulumi YAML program the way the YAML runtime would under mocks: resources and
/// variables in dependency order, every ${...} resolved against the mocks' outputs. It enforces the
/// runtime's own rules (<see cref="YamlRuntimeRules"/>: refused types, the reserved name, config keys
/// as named values, "$$" and "${" unescaping) and expands the components whose logic the program
/// relies on (<see cref="ComponentModels"/>). A reference to something undeclared, to an output a
/// resource does not have, or a cycle is an error.
/// </summary>
public static class MockEngine
{
    /// <param name="programYaml">The program, as the compiler printed it.</param>
    /// <param name="stackConfig">The stack's config as Pulumi passes it ("namespace:key" to value).</param>
    /// <param name="secretKeys">Config keys whose values are secret (PULUMI_CONFIG_SECRET_KEYS).</param>
    public static MockDeployment Run(string programYaml, JsonObject? stackConfig = null, IReadOnlySet<string>? secretKeys = null, Mocks? mocks = null)
    {
        mocks ??= new Mocks();
        var yaml = new YamlStream();
        yaml.Load(new StringReader(programYaml));
        var program = (JsonObject)PulumiRun.ToJson(yaml.Documents[0].RootNode)!;
        var variables = program["variables"] as JsonObject ?? [];
        var resources = program["resources"] as JsonObject ?? throw new MockEngineException("the program has no resources");
        var outputs = program["outputs"] as JsonObject ?? [];

        var values = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        var secretValues = new HashSet<string>(StringComparer.Ordinal);
        var configNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in stackConfig ?? [])
        {
            var name = YamlRuntimeRules.ConfigNamedValue(PulumiRun.ProjectName, key);
            configNames.Add(name);
            values[name] = value?.DeepClone();
            if (secretKeys?.Contains(key) == true)
            {
                secretValues.Add(name);
            }
        }

        var declared = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var (kind, section) in new[] { ("resource", resources), ("variable", variables) })
        {
            foreach (var (name, body) in section)
            {
                if (name == YamlRuntimeRules.ReservedName)
                {
                    throw new MockEngineException($"{kind} {name} uses the reserved name pulumi");
                }

                if (configNames.Contains(name))
                {
                    throw new MockEngineException($"{kind} '{name}' has the name of the stack config key '{name}': the YAML runtime would resolve ${{{name}}} to the config value and never create the {kind}");
                }

                if (!declared.TryAdd(name, body!))
                {
                    throw new MockEngineException($"'{name}' is declared twice");
                }
            }
        }

        foreach (var (name, body) in resources)
        {
            var type = body?["type"]?.GetValue<string>() ?? throw new MockEngineException($"resource '{name}' has no type");
            if (YamlRuntimeRules.RefusedTypes.TryGetValue(type, out var reason))
            {
                throw new MockEngineException($"resource '{name}': the resource type [{type}] {reason}");
            }
        }

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
            foreach (var root in References(body).Select(r => YamlRuntimeRules.ConfigReference(PulumiRun.ProjectName, r, configNames)))
            {
                if (root == YamlRuntimeRules.ReservedName || configNames.Contains(root))
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
                var secrets = new HashSet<string>(StringComparer.Ordinal);
                values[name] = new Evaluator(values, secretValues, mocks, secrets).Evaluate(body, "");
                if (secrets.Contains(""))
                {
                    secretValues.Add(name);
                }
            }
            else
            {
                var type = body["type"]!.GetValue<string>();
                var secrets = new HashSet<string>(StringComparer.Ordinal);
                var inputs = new Evaluator(values, secretValues, mocks, secrets).Evaluate(body["properties"] ?? new JsonObject(), "") as JsonObject ?? [];
                var options = body["options"] as JsonObject;
                var dependsOn = (options?["dependsOn"] as JsonArray ?? []).Select(d => RootOf(d!.GetValue<string>())).ToList();
                var provider = options?["provider"] is JsonValue p ? RootOf(p.GetValue<string>()) : null;
                var ownVersion = provider is null ? options?["version"]?.GetValue<string>() : VersionOf(provider);
                values[name] = Register(name, type, inputs, dependsOn, provider, null, secrets, References(body["properties"]).Distinct(StringComparer.Ordinal).ToList(), ownVersion);
                var inherited = ComponentProviders(options);
                foreach (var child in ComponentModels.Expand(name, type, inputs))
                {
                    // A remote component is constructed once its dependencies are done, so its
                    // children start after them too. A child takes the provider of its package
                    // from the component (pulumi v3.x sdk/nodejs/resource.ts: a resource starts
                    // from its parent's providers map, and a custom resource without its own
                    // `provider` uses the entry of its package; the provider server hands a
                    // multi-language component the caller's providers as opts.providers,
                    // sdk/nodejs/provider/server.ts construct). Without one, the component's own
                    // SDK registers it with a default provider of the version it bundles.
                    var package = ComponentModels.PackageOf(child.Type);
                    var childProvider = child.Type.StartsWith("pulumi:providers:", StringComparison.Ordinal) ? null : inherited.GetValueOrDefault(package);
                    var childVersion = childProvider is not null ? VersionOf(childProvider) : ComponentModels.BundledVersion(type, package);
                    Register(child.Name, child.Type, child.Inputs, dependsOn, childProvider, name, new HashSet<string>(), [], childVersion);
                }
            }

            state[name] = true;
        }

        JsonObject Register(string name, string type, JsonObject inputs, IReadOnlyList<string> dependsOn, string? provider, string? parent, IReadOnlySet<string> secrets, IReadOnlyList<string> uses, string? pluginVersion)
        {
            var (id, outState) = mocks.NewResource(type, name, inputs);
            outState["id"] = id;
            outState["urn"] = $"urn:pulumi:test::project::{type}::{name}";
            deployed.Add(new MockResource(name, type, inputs, outState, dependsOn, provider) { Parent = parent, SecretInputs = secrets, Uses = uses, PluginVersion = pluginVersion });
            return outState;
        }

        // An explicit provider resource's plugin is the version its own options pin.
        string? VersionOf(string providerName) =>
            declared.TryGetValue(providerName, out var providerBody) && providerBody["type"]?.GetValue<string>() is { } providerType && providerType.StartsWith("pulumi:providers:", StringComparison.Ordinal)
                ? providerBody["options"]?["version"]?.GetValue<string>()
                : throw new MockEngineException($"'{providerName}' is used as a provider but is not a provider resource");

        // pulumi-yaml v1.38.1 pkg/pulumiyaml/run.go: `options.providers` is a list of provider
        // resources ("must be a list of resources"), each keyed by its package; a single
        // `options.provider` joins that map too (Go SDK resource.go Provider()).
        Dictionary<string, string> ComponentProviders(JsonObject? options)
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            if (options?["providers"] is JsonObject)
            {
                throw new MockEngineException("options.providers must be a list of resources (pulumi-yaml run.go)");
            }

            var refs = (options?["providers"] as JsonArray ?? []).Select(r => RootOf(r!.GetValue<string>())).ToList();
            if (options?["provider"] is JsonValue single)
            {
                refs.Add(RootOf(single.GetValue<string>()));
            }

            foreach (var reference in refs)
            {
                VersionOf(reference);
                map[ComponentModels.PackageOf(declared[reference]["type"]!.GetValue<string>())] = reference;
            }

            return map;
        }

        foreach (var name in declared.Keys)
        {
            Visit(name, []);
        }

        var secretOutputs = new HashSet<string>(StringComparer.Ordinal);
        var secretOutputPaths = new HashSet<string>(StringComparer.Ordinal);
        var resolvedOutputs = new JsonObject();
        foreach (var (name, body) in outputs)
        {
            foreach (var root in References(body!).Select(r => YamlRuntimeRules.ConfigReference(PulumiRun.ProjectName, r, configNames)).Where(r => r != YamlRuntimeRules.ReservedName && !declared.ContainsKey(r) && !configNames.Contains(r)))
            {
                throw new MockEngineException($"output '{name}' refers to ${{{root}}}, which the program does not declare");
            }

            var secrets = new HashSet<string>(StringComparer.Ordinal);
            resolvedOutputs[name] = new Evaluator(values, secretValues, mocks, secrets).Evaluate(body, "");
            if (secrets.Contains(""))
            {
                secretOutputs.Add(name);
            }

            // A value nested in an output stays secret on its own (the SDK marshals it as a secret inside the map).
            secretOutputPaths.UnionWith(secrets.Select(p => p.Length == 0 ? name : $"{name}.{p}"));
        }

        return new MockDeployment(deployed, resolvedOutputs, secretOutputs) { SecretOutputPaths = secretOutputPaths };
    }

    private static string RootOf(string reference)
    {
        var parts = YamlRuntimeRules.Parse(reference);
        return parts is [{ Text: "", Root: { } root }] ? root : throw new MockEngineException($"'{reference}' is not a reference");
    }

    /// <summary>The roots of every reference in a node, map keys included (the runtime parses keys as expressions too).</summary>
    private static IEnumerable<string> References(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => YamlRuntimeRules.Parse(s).Where(p => p.Root is not null).Select(p => p.Root!),
        JsonObject o => o.SelectMany(kv => YamlRuntimeRules.Parse(kv.Key).Where(p => p.Root is not null).Select(p => p.Root!).Concat(References(kv.Value))),
        JsonArray a => a.SelectMany(References),
        _ => [],
    };

    /// <summary>
    /// Evaluates expressions; records in <c>secrets</c> the path of every value that is secret: wrapped
    /// in fn::secret, or built from a secret named value (the runtime keeps secretness through
    /// interpolation).
    /// </summary>
    private sealed class Evaluator(IReadOnlyDictionary<string, JsonNode?> values, IReadOnlySet<string> secretValues, Mocks mocks, HashSet<string> secrets)
    {
        public JsonNode? Evaluate(JsonNode? node, string path)
        {
            switch (node)
            {
                case JsonValue v when v.TryGetValue<string>(out var s):
                    return Interpolate(s, path);
                case JsonArray a:
                    return new JsonArray(a.Select((x, i) => Evaluate(x, $"{path}[{i}]")).ToArray());
                case JsonObject o when o.Count == 1 && o.First().Key.StartsWith("fn::", StringComparison.Ordinal):
                    return Function(o.First().Key[4..], o.First().Value, path);
                case JsonObject o:
                    return new JsonObject(o.Select(kv =>
                    {
                        var key = Interpolate(kv.Key, path)!.ToString();
                        return KeyValuePair.Create(key, Evaluate(kv.Value, path.Length == 0 ? key : $"{path}.{key}"));
                    }));
                default:
                    return node?.DeepClone();
            }
        }

        private JsonNode? Function(string name, JsonNode? argument, string path)
        {
            switch (name)
            {
                case "invoke":
                    var function = argument!["function"]!.GetValue<string>();
                    if (argument["options"]?["version"] is null)
                    {
                        throw new MockEngineException($"fn::invoke {function} carries no options.version: the plugin version would float while every resource is pinned");
                    }

                    var arguments = Evaluate(argument["arguments"] ?? new JsonObject(), path) as JsonObject ?? [];
                    var result = mocks.Call(function, arguments);
                    return argument["return"] is JsonValue ret ? result?[ret.GetValue<string>()]?.DeepClone() ?? throw new MockEngineException($"{function} returns no '{ret}'") : result;
                case "toJSON":
                    return JsonValue.Create(Evaluate(argument, path)?.ToJsonString() ?? "null");
                case "secret":
                    secrets.Add(path);
                    return Evaluate(argument, path);
                case "join":
                    var parts = (JsonArray)Evaluate(argument![1], path)!;
                    return JsonValue.Create(string.Join(argument[0]!.GetValue<string>(), parts.Select(p => p?.ToString())));
                case "split":
                    // pulumi-yaml v1.38.1 evaluateBuiltinSplit: Go's strings.Split, both arguments strings ("Must be a string").
                    var delimiter = Evaluate(argument![0], path);
                    var source = Evaluate(argument[1], path);
                    if (delimiter is not JsonValue d || !d.TryGetValue<string>(out var delimiterText) || source is not JsonValue t || !t.TryGetValue<string>(out var sourceText))
                    {
                        throw new MockEngineException($"{path}: fn::split: Must be a string, not {source?.ToJsonString() ?? "null"}");
                    }

                    return new JsonArray([.. sourceText.Split(delimiterText).Select(p => (JsonNode?)JsonValue.Create(p))]);
                case "toBase64":
                    return JsonValue.Create(Convert.ToBase64String(Encoding.UTF8.GetBytes(Evaluate(argument, path)!.ToString())));
                default:
                    throw new MockEngineException($"fn::{name} is not supported by the mock engine");
            }
        }

        private JsonNode? Interpolate(string text, string path)
        {
            var parts = YamlRuntimeRules.Parse(text);
            foreach (var part in parts.Where(p => p.Root is not null && secretValues.Contains(Named(p.Root))))
            {
                secrets.Add(path);
            }

            // A string that is one reference and nothing else is the referenced value itself.
            if (parts is [{ Text: "", Root: { } root } only])
            {
                return Resolve(Named(root), only.Accessors)?.DeepClone();
            }

            var builder = new StringBuilder();
            foreach (var part in parts)
            {
                builder.Append(part.Text);
                if (part.Root is not null)
                {
                    builder.Append(Resolve(Named(part.Root), part.Accessors)?.ToString());
                }
            }

            return JsonValue.Create(builder.ToString());
        }

        /// <summary>A project config key's name as the runtime also knows it, without the prefix.</summary>
        private string Named(string root) => values.ContainsKey(root) ? root : YamlRuntimeRules.ConfigReference(PulumiRun.ProjectName, root, values.Keys.ToHashSet(StringComparer.Ordinal));

        private JsonNode? Resolve(string root, IReadOnlyList<object> accessors)
        {
            if (!values.TryGetValue(root, out var value))
            {
                throw new MockEngineException($"${{{root}}} is not evaluated yet or not declared");
            }

            if (accessors.Count == 0)
            {
                // A bare resource reference stands for the resource; its id is what a property gets.
                return value is JsonObject o && o.ContainsKey("urn") ? o["id"] : value;
            }

            var node = value;
            foreach (var accessor in accessors)
            {
                node = accessor switch
                {
                    int index when node is JsonArray a && index >= a.Count => throw new MockEngineException($"${{{root}[{index}]}}: list index {index} out-of-bounds for list of length {a.Count}"),
                    int index when node is JsonArray a => a[index],
                    string key when node is JsonObject o => o[key],
                    _ => null,
                };
                if (node is null)
                {
                    throw new MockEngineException($"${{{root}.{string.Join(".", accessors)}}}: '{root}' has no output '{string.Join(".", accessors)}'");
                }
            }

            return node;
        }
    }

    public static JsonNode? Navigate(JsonNode? node, string path)
    {
        foreach (var part in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = part;
            var bracket = name.IndexOf('[', StringComparison.Ordinal);
            var indexes = bracket >= 0 ? name[bracket..] : "";
            name = bracket >= 0 ? name[..bracket] : name;
            if (name.Length > 0)
            {
                node = node?[name];
            }

            foreach (var index in indexes.Split(['[', ']'], StringSplitOptions.RemoveEmptyEntries))
            {
                node = node?[int.Parse(index, System.Globalization.CultureInfo.InvariantCulture)];
            }
        }

        return node;
    }
}

public sealed class MockDeployment(IReadOnlyList<MockResource> resources, JsonObject outputs, IReadOnlySet<string> secretOutputs)
{
    public IReadOnlyList<MockResource> Resources { get; } = resources;

    public JsonObject Outputs { get; } = outputs;

    public IReadOnlySet<string> SecretOutputs { get; } = secretOutputs;

    /// <summary>Outputs and the paths inside them ("ingressAnnotations.crownpeak.KEY") whose values are secret.</summary>
    public IReadOnlySet<string> SecretOutputPaths { get; init; } = new HashSet<string>();

    public IEnumerable<MockResource> OfType(string type) => Resources.Where(r => r.Type == type);

    public MockResource Named(string name) => Resources.Single(r => r.Name == name);

    public MockResource ById(string id) => Resources.Single(r => r.Id == id);

    /// <summary>
    /// Whether the engine creates <paramref name="other"/> before <paramref name="resource"/>: through
    /// dependsOn, a reference, or a component, since depending on a remote component waits for all
    /// of its children (pulumi/pulumi#7541 and #7542, remote components' dependsOn) and a component's
    /// children start only after the component's own dependencies.
    /// </summary>
    public bool WaitsFor(MockResource resource, MockResource other)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>([resource.Name]);
        while (queue.Count > 0)
        {
            var name = queue.Dequeue();
            var current = Resources.FirstOrDefault(r => r.Name == name);
            if (current is null)
            {
                continue;
            }

            var next = current.DependsOn.Concat(current.Uses).ToList();
            foreach (var dependency in next.ToList())
            {
                next.AddRange(Resources.Where(r => r.Parent == dependency).Select(r => r.Name));
            }

            foreach (var dependency in next.Where(seen.Add))
            {
                if (dependency == other.Name)
                {
                    return true;
                }

                queue.Enqueue(dependency);
            }
        }

        return false;
    }

    /// <summary>
    /// The environment EKS puts on the aws-node daemonset: the `env` of the one vpc-cni add-on's
    /// configurationValues (AWS, "Amazon EKS add-ons: advanced configuration"; the vpc-cni add-on's
    /// configuration schema). An add-on without configurationValues keeps the daemonset's defaults,
    /// which have custom networking off. Two vpc-cni add-ons on one cluster is what AWS refuses
    /// ("Addon already exists").
    /// </summary>
    public IReadOnlyDictionary<string, string> AwsNodeEnvironment()
    {
        var addons = OfType("aws:eks:Addon").Where(a => a.Input("addonName") == "vpc-cni").ToList();
        if (addons.Count != 1)
        {
            throw new MockEngineException($"{addons.Count} vpc-cni add-ons ({string.Join(", ", addons.Select(a => a.Name))}): a cluster has exactly one");
        }

        var configuration = addons[0].Input("configurationValues");
        var env = configuration is null ? null : System.Text.Json.Nodes.JsonNode.Parse(configuration)?["env"] as JsonObject;
        return (env ?? []).ToDictionary(e => e.Key, e => e.Value!.GetValue<string>(), StringComparer.Ordinal);
    }
}
