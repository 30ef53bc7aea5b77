namespace Infra.Emit;

/// <summary>A value in a Pulumi YAML program. Construction order is output order.</summary>
public abstract record PValue;

/// <summary>A string, possibly holding ${...} interpolations (build with <see cref="P"/>).</summary>
public sealed record PString(string Value) : PValue;

public sealed record PNumber(long Value) : PValue;

public sealed record PBool(bool Value) : PValue;

public sealed record PList(IReadOnlyList<PValue> Items) : PValue;

public sealed record PMap(IReadOnlyList<KeyValuePair<string, PValue>> Entries) : PValue
{
    public PValue? this[string key] => Entries.FirstOrDefault(e => e.Key == key).Value;
}

/// <summary>Builders for program values; literals are escaped so they never read as interpolations.</summary>
public static class P
{
    /// <summary>
    /// A literal string. The YAML runtime reads "$$" as "$" anywhere in a string and "${" as the start
    /// of an interpolation (pulumi/pulumi-yaml v1.38.1, pkg/pulumiyaml/ast/interpolation.go,
    /// parseInterpolate), so every "$" is doubled: "price $$5" must reach the provider as written.
    /// </summary>
    public static PString Text(string literal) => new(literal.Replace("$", "$$", StringComparison.Ordinal));

    public static PNumber Number(long value) => new(value);

    public static PBool Bool(bool value) => new(value);

    /// <summary>A reference to a resource, variable or one of a resource's outputs: ${name.path}.</summary>
    public static PString Ref(string name, string? path = null) => new(path is null ? $"${{{name}}}" : $"${{{name}.{path}}}");

    /// <summary>An item of a list variable: ${name[index]} (pulumi-yaml walks subscripts into variables as into resources).</summary>
    public static PString Item(string name, int index) => new($"${{{name}[{index.ToString(System.Globalization.CultureInfo.InvariantCulture)}]}}");

    public static PList List(params IEnumerable<PValue> items) => new(items.ToList());

    /// <summary>
    /// A value from the stack's config: the literal, or for a secret (of which the compiler holds only
    /// a stand-in) a reference to where the config holds it. pulumi-yaml v1.38.1 makes every stack
    /// config key a named value (a project key also under its prefix), walks `.name`, `["key"]` and
    /// `[0]` into it, and keeps a secret's value secret through the walk and into the resource
    /// (pkg/pulumiyaml/run.go, config nodes and property access).
    /// </summary>
    public static PString Config(Located<string> value) =>
        value.At.Secret && value.Value == Origin.Redacted ? ConfigRef(value.At.Path) : Text(value.Value);

    /// <summary>
    /// ${namespace:key["map key"][0]["name"]} for a config path as the reader writes it
    /// ("leadertools:cluster.accessEntries.ci.principalArn"); every name as a quoted subscript, so
    /// that a hyphen or a dot-free name never reads as anything else.
    /// </summary>
    public static PString ConfigRef(string path)
    {
        var end = path.IndexOfAny(['.', '['], path.IndexOf(':', StringComparison.Ordinal) + 1);
        var reference = new System.Text.StringBuilder(end < 0 ? path : path[..end]);
        var rest = end < 0 ? "" : path[end..];
        foreach (System.Text.RegularExpressions.Match part in System.Text.RegularExpressions.Regex.Matches(rest, @"\.([^.\[]+)|\[([0-9]+)\]"))
        {
            reference.Append(part.Groups[1].Success ? $"[\"{part.Groups[1].Value}\"]" : $"[{part.Groups[2].Value}]");
        }

        return new PString($"${{{reference}}}");
    }

    public static PMap Map(params IEnumerable<(string Key, PValue? Value)> entries) =>
        new(entries.Where(e => e.Value is not null).Select(e => KeyValuePair.Create(e.Key, e.Value!)).ToList());

    public static PMap Function(string name, PValue argument) => Map(($"fn::{name}", argument));

    /// <summary>fn::invoke with its provider version pinned, like every resource (options.version).</summary>
    public static PMap Invoke(string function, PMap arguments, string version, string? returnField = null) =>
        Function("invoke", Map(
            ("function", Text(function)),
            ("arguments", arguments),
            ("options", Map(("version", Text(version)))),
            ("return", returnField is null ? null : Text(returnField))));

    /// <summary>Literals and references in one string, e.g. "${eks-cluster.oidcIssuer}:sub".</summary>
    public static PString Concat(params IEnumerable<PString> parts) => new(string.Concat(parts.Select(p => p.Value)));

    public static PMap Secret(PValue value) => Function("secret", value);

    public static PMap ToJson(PValue value) => Function("toJSON", value);
}

public sealed record ProgramResource(string Name, string Type, PMap Properties, PMap? Options)
{
}

/// <summary>A Pulumi YAML program: variables, resources and outputs, in the order they were added.</summary>
public sealed class PulumiProgram(string name, string description, IEnumerable<string>? namedValues = null)
{
    /// <summary>
    /// Names the YAML runtime already gives a meaning: "pulumi", and every stack config key of the
    /// project's namespace, which becomes a named value that silently shadows a resource or variable
    /// of the same name (pulumi/pulumi-yaml v1.38.1, pkg/pulumiyaml/run.go getConfNodesFromMap and
    /// sort.go topologicallySortedResources / checkUniqueNode).
    /// </summary>
    private readonly HashSet<string> _reserved = new(namedValues?.Append("pulumi") ?? ["pulumi"], StringComparer.Ordinal);

    private readonly List<KeyValuePair<string, PValue>> _variables = [];
    private readonly List<ProgramResource> _resources = [];
    private readonly List<KeyValuePair<string, PValue>> _outputs = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    public string Description { get; } = description;

    public IReadOnlyList<KeyValuePair<string, PValue>> Variables => _variables;

    public IReadOnlyList<ProgramResource> Resources => _resources;

    public IReadOnlyList<KeyValuePair<string, PValue>> Outputs => _outputs;

    public void AddVariable(string name, PValue value)
    {
        EnsureUnique(name);
        _variables.Add(KeyValuePair.Create(name, value));
    }

    public ProgramResource AddResource(string name, string type, PMap properties, PMap? options = null)
    {
        EnsureUnique(name);
        var resource = new ProgramResource(name, type, properties, options is { Entries.Count: > 0 } ? options : null);
        _resources.Add(resource);
        return resource;
    }

    public void AddOutput(string name, PValue value) => _outputs.Add(KeyValuePair.Create(name, value));

    private void EnsureUnique(string name)
    {
        if (_reserved.Contains(name))
        {
            throw new InvalidOperationException($"'{name}' is a name the Pulumi YAML runtime reserves (a config key or 'pulumi')");
        }

        if (!_names.Add(name))
        {
            throw new InvalidOperationException($"the program already declares '{name}'");
        }
    }

    /// <summary>The whole program as one tree, ready to write.</summary>
    public PMap ToTree()
    {
        var resources = _resources.Select(r => (r.Name, (PValue?)P.Map(
            ("type", P.Text(r.Type)),
            ("properties", r.Properties.Entries.Count > 0 ? r.Properties : null),
            ("options", r.Options))));
        return P.Map(
            ("name", P.Text(Name)),
            ("runtime", P.Text("yaml")),
            ("description", P.Text(Description)),
            ("variables", _variables.Count > 0 ? new PMap(_variables) : null),
            ("resources", P.Map(resources)),
            ("outputs", _outputs.Count > 0 ? new PMap(_outputs) : null));
    }
}
