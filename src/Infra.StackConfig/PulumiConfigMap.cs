using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Infra.StackConfig;

/// <summary>
/// Stack configuration exactly as Pulumi hands it to a YAML compiler: "namespace:key" to string,
/// structured values JSON-encoded inside the string. Built from PULUMI_CONFIG during a Pulumi run,
/// or from Pulumi.&lt;stack&gt;.yaml the same way Pulumi would, so both paths read one format.
/// </summary>
public sealed record PulumiConfigMap
{
    /// <summary>
    /// What stands in the values for a secret: the compiler never holds a decrypted secret, so nothing
    /// it prints or computes can leak one; where a secret passes unchanged into a resource, the
    /// program refers to the config key and pulumi-yaml resolves it, secret, at run time.
    /// </summary>
    public const string SecretStandIn = Origin.Redacted;

    private PulumiConfigMap(IReadOnlyDictionary<string, string> values, IReadOnlySet<string> secretKeys, IReadOnlySet<string>? secretPaths = null)
    {
        SecretKeys = secretKeys;
        SecretPaths = secretPaths ?? secretKeys;
        Values = RedactSecrets(values, SecretPaths);
    }

    /// <summary>The values, each secret replaced by <see cref="SecretStandIn"/>.</summary>
    public IReadOnlyDictionary<string, string> Values { get; }

    /// <summary>
    /// Keys that hold a secret anywhere in their value ("namespace:key"): never echoed. pulumi-yaml
    /// treats the whole key as secret when any value nested in it is (pulumi v3.255.0
    /// sdk/go/common/resource/config/object.go, an object is secure when a nested value is).
    /// </summary>
    public IReadOnlySet<string> SecretKeys { get; }

    /// <summary>
    /// The paths of the secret values themselves ("leadertools:cluster.accessEntries.ci.principalArn",
    /// or a whole key): the stack file's `secure:` values where it is known, else the secret keys.
    /// </summary>
    public IReadOnlySet<string> SecretPaths { get; }

    /// <summary>Whether the value at <paramref name="path"/> is, or lies inside, a secret.</summary>
    public static bool IsUnder(string path, IEnumerable<string> secretPaths) =>
        secretPaths.Any(p => path == p || (path.Length > p.Length && path.StartsWith(p, StringComparison.Ordinal) && path[p.Length] is '.' or '['));

    private static SortedDictionary<string, string> RedactSecrets(IReadOnlyDictionary<string, string> values, IReadOnlySet<string> secretPaths)
    {
        var redacted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            if (secretPaths.Contains(key))
            {
                redacted[key] = SecretStandIn;
            }
            else if (secretPaths.Any(p => p.StartsWith(key, StringComparison.Ordinal) && p.Length > key.Length && p[key.Length] is '.' or '['))
            {
                // A secret nested in a structured value (`pulumi config set --secret --path`).
                JsonNode? parsed;
                try
                {
                    parsed = StrictJson.Parse(value);
                }
                catch (JsonException)
                {
                    parsed = null;
                }

                redacted[key] = parsed is null ? SecretStandIn : (Redact(parsed, key, secretPaths)?.ToJsonString() ?? string.Empty);
            }
            else
            {
                redacted[key] = value;
            }
        }

        return redacted;
    }

    private static JsonNode? Redact(JsonNode? node, string path, IReadOnlySet<string> secretPaths)
    {
        if (secretPaths.Contains(path))
        {
            return JsonValue.Create(SecretStandIn);
        }

        return node switch
        {
            JsonObject o => new JsonObject(o.Select(kv => KeyValuePair.Create(kv.Key, Redact(kv.Value, $"{path}.{kv.Key}", secretPaths)))),
            JsonArray a => new JsonArray([.. a.Select((item, i) => Redact(item, $"{path}[{i}]", secretPaths))]),
            _ => node?.DeepClone(),
        };
    }

    /// <summary>
    /// Where each key path ("leadertools:routeTables.main.routes[3]") stands in the stack file, for
    /// reports that point at a line (SARIF); empty when the config came from PULUMI_CONFIG.
    /// </summary>
    public StackFilePositions Positions { get; private init; } = StackFilePositions.None;

    public static PulumiConfigMap FromValues(IReadOnlyDictionary<string, string> values, IEnumerable<string>? secretKeys = null) =>
        new(new SortedDictionary<string, string>(values.ToDictionary(), StringComparer.Ordinal), new SortedSet<string>(secretKeys ?? [], StringComparer.Ordinal));

    /// <param name="secretPaths">The secret values' paths (whole keys or nested values); their keys are the secret keys.</param>
    private static PulumiConfigMap WithSecretPaths(IReadOnlyDictionary<string, string> values, IEnumerable<string> secretPaths)
    {
        var paths = new SortedSet<string>(secretPaths, StringComparer.Ordinal);
        var keys = new SortedSet<string>(paths.Select(KeyOf), StringComparer.Ordinal);
        return new(values, keys, paths);
    }

    /// <summary>The config key a value path lies under ("leadertools:cluster.accessEntries.ci" -> "leadertools:cluster").</summary>
    public static string KeyOf(string path)
    {
        var end = path.IndexOfAny(['.', '['], path.IndexOf(':', StringComparison.Ordinal) + 1);
        return end < 0 ? path : path[..end];
    }

    /// <summary>
    /// Parses PULUMI_CONFIG (a JSON object whose values are all strings, secrets decrypted) and
    /// PULUMI_CONFIG_SECRET_KEYS (a JSON array naming the keys that hold secrets), as Pulumi's
    /// language hosts pass them to programs.
    /// </summary>
    public static PulumiConfigMap FromEnvironmentJson(string json, string? secretKeysJson = null)
    {
        var secretKeys = ParseSecretKeys(secretKeysJson);
        JsonNode? root;
        try
        {
            root = StrictJson.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ConfigException([new ConfigProblem("PULUMI_CONFIG", secretKeys.Count > 0 ? Origin.Redacted : Printable.Short(json), $"not a JSON object: {e.Message}")]);
        }

        if (root is not JsonObject obj)
        {
            throw new ConfigException([new ConfigProblem("PULUMI_CONFIG", secretKeys.Count > 0 ? Origin.Redacted : Printable.Short(json), "not a JSON object of \"namespace:key\" to string")]);
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in obj)
        {
            values[key] = value switch
            {
                JsonValue v when v.TryGetValue<string>(out var s) => s,
                null => string.Empty,
                _ => value.ToJsonString(),
            };
        }

        return FromValues(values, secretKeys);
    }

    private static IReadOnlyList<string> ParseSecretKeys(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        try
        {
            if (StrictJson.Parse(json) is JsonArray array && array.All(k => k is JsonValue v && v.TryGetValue<string>(out _)))
            {
                return array.Select(k => k!.GetValue<string>()).ToList();
            }
        }
        catch (JsonException)
        {
        }

        throw new ConfigException([new ConfigProblem("PULUMI_CONFIG_SECRET_KEYS", Printable.Short(json), "not a JSON array of config key names")]);
    }

    /// <summary>The first tab among a content line's leading whitespace (1-based), or null; comment lines may hold tabs.</summary>
    private static (int Line, int Column)? TabInIndentation(string text)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            var tab = lines[i].IndexOf('\t', StringComparison.Ordinal);
            var content = lines[i].Trim();
            if (tab >= 0 && tab < indent && content.Length > 0 && content[0] != '#')
            {
                return (i + 1, tab + 1);
            }
        }

        return null;
    }

    /// <summary>
    /// Reads the config section of Pulumi.&lt;stack&gt;.yaml: keys without a namespace belong to the
    /// project, structured values are JSON-encoded, secure values cannot be decrypted here.
    /// </summary>
    public static PulumiConfigMap FromStackFile(string path, string project)
    {
        var fileName = Path.GetFileName(path);
        YamlMappingNode? config;
        try
        {
            var text = BoundedYaml.ReadText(path);

            // YAML forbids tabs in indentation; YamlDotNet blames the scalar before the tab, so the
            // tab is found here and reported where it is.
            if (TabInIndentation(text) is { } tab)
            {
                throw new ConfigException([new ConfigProblem(fileName, "(tab)", "a tab in the indentation; YAML indents with spaces only") { Location = $"{fileName}:{tab.Line}:{tab.Column}" }]);
            }

            var stream = BoundedYaml.Load(text);
            var root = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
            if (root is not YamlMappingNode mapping)
            {
                throw new ConfigException([new ConfigProblem(fileName, root is null ? "(empty)" : $"line {root.Start.Line}", $"holds no `config:` mapping; a stack file is `config:` with {StackConfigReader.RegionKey} and the project's keys under it")]);
            }

            if (!mapping.Children.TryGetValue(new YamlScalarNode("config"), out var c))
            {
                var found = mapping.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "").ToList();
                var misspelt = found.FirstOrDefault(k => Infra.Model.Text.Spelling.Closest(["config"], k) is not null);
                throw new ConfigException([misspelt is not null
                    ? new ConfigProblem(fileName, misspelt, "not a stack file section; did you mean config?") { Location = $"{fileName}:{mapping.Children.Keys.First(k => k is YamlScalarNode { Value: var v } && v == misspelt).Start.Line}:1" }
                    : new ConfigProblem(fileName, "(no config:)", $"holds no `config:` mapping (found: {string.Join(", ", found)}); a stack file is `config:` with {StackConfigReader.RegionKey} and the project's keys under it")]);
            }

            config = c as YamlMappingNode;
        }
        catch (YamlException e)
        {
            throw new ConfigException([new ConfigProblem(fileName, "(not read)", $"not valid YAML: {e.InnerException?.Message ?? e.Message}") { Location = $"{fileName}:{e.Start.Line}:{e.Start.Column}" }]);
        }
        catch (YamlRefusedException e)
        {
            throw new ConfigException([new ConfigProblem(fileName, "(not read)", e.Message)]);
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<ConfigProblem>();
        var positions = new Dictionary<string, SourcePosition>(StringComparer.Ordinal);
        var securePaths = new List<string>();
        foreach (var (keyNode, valueNode) in config?.Children ?? Enumerable.Empty<KeyValuePair<YamlNode, YamlNode>>())
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                problems.Add(new ConfigProblem($"{fileName}: config", $"line {keyNode.Start.Line}", "a config key must be a plain name, not a mapping or a list"));
                continue;
            }

            var full = key.Contains(':', StringComparison.Ordinal) ? key : $"{project}:{key}";
            positions[full] = SourcePosition.Of(keyNode.Start);
            Locate(valueNode, full, positions);
            // `pulumi config set --secret` (with --path, nested anywhere in the value): the value
            // cannot be decrypted here, and the stand-in takes its place as in a Pulumi run.
            foreach (var (securePath, plainNames) in SecurePaths(valueNode, full, true))
            {
                if (plainNames)
                {
                    securePaths.Add(securePath);
                }
                else
                {
                    // The program refers to a secret by its path; a name holding . [ ] or " would be read as more path.
                    problems.Add(new ConfigProblem(securePath, Origin.Redacted, "is a secret under a name holding '.', '[', ']' or '\"', which the program could not refer to; rename the entry"));
                }
            }

            values[full] = valueNode switch
            {
                YamlScalarNode scalar => scalar.Value ?? string.Empty,
                _ => ToJson(valueNode, full, problems)?.ToJsonString() ?? string.Empty,
            };
        }

        return problems.Count > 0 ? throw new ConfigException(problems) : WithSecretPaths(values, securePaths) with { Positions = new StackFilePositions(fileName, positions) };
    }

    /// <summary>
    /// For a Pulumi run: the secret keys and key positions of the stack file beside PULUMI_CONFIG.
    /// A stack file that cannot be read adds nothing (PULUMI_CONFIG is what Pulumi runs with).
    /// </summary>
    public PulumiConfigMap WithStackFileFacts(string path, string project)
    {
        try
        {
            // The file's `secure:` paths say which nested values are the secrets; a key listed as
            // secret without one in the file stays secret as a whole.
            var file = FromStackFile(path, project);
            var paths = file.SecretPaths.Concat(SecretKeys.Where(k => !file.SecretKeys.Contains(k)));
            return WithSecretPaths(Values, paths) with { Positions = file.Positions };
        }
        catch (ConfigException)
        {
            return this;
        }
    }

    /// <summary>The key paths of `secure:` values in a stack-file value (a whole secret, or nested ones set with --path).</summary>
    /// <param name="plainNames">Whether every name on the way is free of the characters a path reads as structure.</param>
    private static IEnumerable<(string Path, bool PlainNames)> SecurePaths(YamlNode node, string path, bool plainNames)
    {
        switch (node)
        {
            case YamlMappingNode secret when secret.Children.Count == 1 && secret.Children.ContainsKey(new YamlScalarNode("secure")):
                yield return (path, plainNames);
                break;
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    var name = (key as YamlScalarNode)?.Value ?? "";
                    foreach (var inner in SecurePaths(value, $"{path}.{name}", plainNames && name.IndexOfAny(['.', '[', ']', '"']) < 0))
                    {
                        yield return inner;
                    }
                }

                break;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    foreach (var inner in SecurePaths(sequence.Children[i], $"{path}[{i}]", plainNames))
                    {
                        yield return inner;
                    }
                }

                break;
        }
    }

    /// <summary>Records where each key and list item below <paramref name="path"/> starts, with the paths the reader's problems use.</summary>
    private static void Locate(YamlNode node, string path, Dictionary<string, SourcePosition> positions)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (keyNode, value) in mapping.Children)
                {
                    if (keyNode is YamlScalarNode { Value: { } key })
                    {
                        positions[$"{path}.{key}"] = SourcePosition.Of(keyNode.Start);
                        Locate(value, $"{path}.{key}", positions);
                    }
                }

                break;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    positions[$"{path}[{i}]"] = SourcePosition.Of(sequence.Children[i].Start);
                    Locate(sequence.Children[i], $"{path}[{i}]", positions);
                }

                break;
        }
    }

    /// <summary>
    /// YAML to JSON as Pulumi stores it: plain scalars that read as numbers or booleans become
    /// numbers and booleans, quoted scalars stay strings, mapping keys are sorted.
    /// </summary>
    private static JsonNode? ToJson(YamlNode node, string path, List<ConfigProblem> problems)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                var entries = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
                foreach (var (keyNode, value) in mapping.Children)
                {
                    if (keyNode is not YamlScalarNode { Value: { } key })
                    {
                        problems.Add(new ConfigProblem(path, $"line {keyNode.Start.Line}", "a key must be a plain name, not a mapping or a list"));
                        continue;
                    }

                    entries[key] = ToJson(value, $"{path}.{key}", problems);
                }

                return new JsonObject(entries);
            case YamlSequenceNode sequence:
                return new JsonArray(sequence.Children.Select((item, i) => ToJson(item, $"{path}[{i}]", problems)).ToArray());
            case YamlScalarNode scalar:
                return ScalarToJson(scalar);
            default:
                return null;
        }
    }

    private static JsonNode? ScalarToJson(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style is ScalarStyle.Plain)
        {
            if (text is "true" or "True" or "TRUE")
            {
                return JsonValue.Create(true);
            }

            if (text is "false" or "False" or "FALSE")
            {
                return JsonValue.Create(false);
            }

            if (text is "null" or "~" or "")
            {
                return null;
            }

            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            {
                return JsonValue.Create(integer);
            }

            // A number beyond a double (1e400) stays text: the reader then names the key where a
            // number belongs, and JSON has no infinity to carry it.
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real) && text.Any(char.IsAsciiDigit))
            {
                return JsonValue.Create(real);
            }
        }

        return JsonValue.Create(text);
    }
}
