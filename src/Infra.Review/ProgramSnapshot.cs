using Infra.StackConfig;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Infra.Review;

public sealed record SnapshotResource(string Name, string Type, IReadOnlyDictionary<string, string> Properties)
{
    public string? this[string path] => Properties.TryGetValue(path, out var v) ? v : null;

    /// <summary>
    /// The resources each property's value came from, where its text no longer says so (a deployed
    /// state's resolved ids); empty for a program, whose `${name...}` references are in the values.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> References { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Whether the value at <paramref name="path"/> refers to <paramref name="name"/> (or to <paramref name="name"/>.output).</summary>
    public bool RefersTo(string path, string name) =>
        References.TryGetValue(path, out var names)
            ? names.Any(n => n == name || n.StartsWith(name + ".", StringComparison.Ordinal))
            : this[path] is { } value && (value.Contains($"${{{name}}}", StringComparison.Ordinal) || value.Contains($"${{{name}.", StringComparison.Ordinal) || value.Contains($"${{{name}[", StringComparison.Ordinal));
}

/// <summary>
/// A Pulumi YAML program read back as flat property paths ("tags.Name", "subnetIds[0]"): what
/// diff compares and what the policy check inspects. Variables and outputs are kept alongside.
/// </summary>
public sealed class ProgramSnapshot
{
    private ProgramSnapshot(IReadOnlyList<SnapshotResource> resources, IReadOnlyDictionary<string, string> variables, IReadOnlyDictionary<string, string> outputs)
    {
        Resources = resources;
        Variables = variables;
        Outputs = outputs;
    }

    public IReadOnlyList<SnapshotResource> Resources { get; }

    public IReadOnlyDictionary<string, string> Variables { get; }

    public IReadOnlyDictionary<string, string> Outputs { get; }

    public SnapshotResource? Find(string name) => Resources.FirstOrDefault(r => r.Name == name);

    /// <summary>A snapshot made of resources read elsewhere (a deployment's state), without variables or outputs.</summary>
    public static ProgramSnapshot Of(IReadOnlyList<SnapshotResource> resources) =>
        new(resources, new Dictionary<string, string>(), new Dictionary<string, string>());

    public IEnumerable<SnapshotResource> OfType(Infra.Emit.ResourceType type) => Resources.Where(r => r.Type == type.Token);

    /// <summary>
    /// The resource or variable a value refers to when the whole value is one reference
    /// (`${name}`, `${name.property[0]}`), as the YAML runtime reads an interpolation: the name ends
    /// at `.`, `[` or `}`, and `$${` is an escaped `$`, not a reference (pulumi-yaml v1.38.1,
    /// pkg/pulumiyaml/ast/interpolation.go). Null for anything else.
    /// </summary>
    public static string? ReferencedName(string? value)
    {
        if (value is null || !value.StartsWith("${", StringComparison.Ordinal) || !value.EndsWith('}'))
        {
            return null;
        }

        var inner = value[2..^1];
        var end = inner.IndexOfAny(['.', '[', '}', '$']);
        var name = end < 0 ? inner : inner[..end];
        var rest = end < 0 ? "" : inner[end..];
        return name.Length > 0 && !rest.Contains('}', StringComparison.Ordinal) && !rest.Contains('$', StringComparison.Ordinal) ? name : null;
    }

    /// <summary>
    /// The snapshot of a program the compiler holds, read from its tree: the same resources, paths
    /// and values as <see cref="Parse"/> of its rendering (a test holds the two equal for every
    /// stack), without rendering and parsing it back. The compiler's gate checks this.
    /// </summary>
    public static ProgramSnapshot From(Infra.Emit.PulumiProgram program)
    {
        var resources = program.Resources.Select(r =>
        {
            var properties = new SortedDictionary<string, string>(StringComparer.Ordinal);
            Flatten(r.Properties, "", properties);
            Flatten(r.Options, "(options)", properties);
            return new SnapshotResource(r.Name, r.Type, properties);
        }).ToList();
        IReadOnlyDictionary<string, string> Section(IReadOnlyList<KeyValuePair<string, Infra.Emit.PValue>> entries)
        {
            var flat = new SortedDictionary<string, string>(StringComparer.Ordinal);
            Flatten(new Infra.Emit.PMap(entries), "", flat);
            return flat;
        }

        return new ProgramSnapshot(resources, Section(program.Variables), Section(program.Outputs));
    }

    /// <summary>A tree value flattened as <see cref="Flatten(YamlNode?, string, IDictionary{string, string})"/> flattens its YAML.</summary>
    private static void Flatten(Infra.Emit.PValue? value, string path, IDictionary<string, string> into)
    {
        switch (value)
        {
            case null:
                return;
            case Infra.Emit.PString text:
                into[path] = text.Value;
                break;
            case Infra.Emit.PNumber number:
                into[path] = number.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
                break;
            case Infra.Emit.PBool flag:
                into[path] = flag.Value ? "true" : "false";
                break;
            case Infra.Emit.PList { Items.Count: 0 }:
                into[path] = "[]";
                break;
            case Infra.Emit.PList list:
                for (var i = 0; i < list.Items.Count; i++)
                {
                    Flatten(list.Items[i], $"{path}[{i}]", into);
                }

                break;
            case Infra.Emit.PMap map:
                foreach (var (key, item) in map.Entries)
                {
                    Flatten(item, path.Length == 0 ? key : $"{path}.{key}", into);
                }

                break;
        }
    }

    /// <param name="origin">Where the text came from (a file, a revision), for error messages.</param>
    /// <param name="option">Which input supplied it (the CLI names it by its option).</param>
    public static ProgramSnapshot Parse(string yaml, string origin, ReviewInput option = ReviewInput.Base)
    {
        try
        {
            return Walk(BoundedYaml.Load(yaml).Documents.FirstOrDefault()?.RootNode as YamlMappingNode
                ?? throw new ReviewArgumentException(option, origin, "holds no Pulumi YAML program"));
        }
        catch (YamlException e)
        {
            throw new ReviewArgumentException(option, origin, $"is not valid YAML: {e.Message}");
        }
        catch (YamlRefusedException e)
        {
            throw new ReviewArgumentException(option, origin, e.Message);
        }
    }

    private static ProgramSnapshot Walk(YamlMappingNode root)
    {
        var resources = new List<SnapshotResource>();
        if (Child(root, "resources") is YamlMappingNode map)
        {
            foreach (var (key, value) in map.Children)
            {
                var body = value as YamlMappingNode;
                var type = body is null ? "" : (Child(body, "type") as YamlScalarNode)?.Value ?? "";
                var properties = new SortedDictionary<string, string>(StringComparer.Ordinal);
                if (body is not null)
                {
                    Flatten(Child(body, "properties"), "", properties);
                    Flatten(Child(body, "options"), "(options)", properties);
                }

                resources.Add(new SnapshotResource(KeyName(key), type, properties));
            }
        }

        return new ProgramSnapshot(resources, Section(root, "variables"), Section(root, "outputs"));
    }

    private static IReadOnlyDictionary<string, string> Section(YamlMappingNode root, string name)
    {
        var flat = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Flatten(Child(root, name), "", flat);
        return flat;
    }

    private static string KeyName(YamlNode key) => key is YamlScalarNode { Value: { } name }
        ? name
        : throw new YamlRefusedException($"has a key that is a mapping or a list (line {key.Start.Line}); Pulumi YAML keys are strings");

    private static YamlNode? Child(YamlMappingNode node, string key) => node.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    private static void Flatten(YamlNode? node, string path, IDictionary<string, string> into)
    {
        switch (node)
        {
            case null:
                return;
            case YamlScalarNode scalar:
                into[path] = scalar.Value ?? "";
                break;
            case YamlSequenceNode sequence:
                if (sequence.Children.Count == 0)
                {
                    into[path] = "[]";
                }

                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    Flatten(sequence.Children[i], $"{path}[{i}]", into);
                }

                break;
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    var name = KeyName(key);
                    Flatten(value, path.Length == 0 ? name : $"{path}.{name}", into);
                }

                break;
        }
    }
}
