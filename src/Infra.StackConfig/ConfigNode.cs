using System.Globalization;
using System.Text.Json.Nodes;

namespace Infra.StackConfig;

/// <summary>
/// A position in structured configuration with its key path and its declaration in
/// <see cref="ConfigSchema"/>. Readers record a problem (naming the path and value) instead of
/// throwing, so one run reports every mistake, and they flag keys nobody reads, because a
/// misspelled key silently ignored is a wrong environment. The schema and the reader cannot drift:
/// reading an undeclared key, or leaving a declared one unread, is an internal error.
/// </summary>
internal sealed class ConfigNode
{
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    private readonly IReadOnlySet<string> _secretPaths;

    /// <param name="secretPaths">The config's secret value paths (<see cref="PulumiConfigMap.SecretPaths"/>), shared by every node.</param>
    public ConfigNode(JsonNode? value, Origin at, List<ConfigProblem> problems, ConfigField field, string name = "", IReadOnlySet<string>? secretPaths = null)
    {
        Name = name;
        Value = value;
        At = at;
        Problems = problems;
        Field = field;
        _secretPaths = secretPaths ?? new HashSet<string>();
    }

    /// <summary>
    /// This value is a secret, of which the config holds only <see cref="PulumiConfigMap.SecretStandIn"/>:
    /// its key may take one (<see cref="ConfigField.MayBeSecret"/>: it passes unchanged into a
    /// resource, and the program refers to it), or the node has reported why not and reads as absent.
    /// </summary>
    public bool IsSecretValue => _secretPaths.Count > 0 && _secretPaths.Contains(At.Path);

    /// <summary>A secret where the compiler needs the value itself: refused, since the compiler never holds one.</summary>
    private bool RefusedAsSecret()
    {
        if (!IsSecretValue || Field.MayBeSecret)
        {
            return false;
        }

        Problem("is a secret, but the compiler works with this value (names, addresses, sizes, rules), so the program would hold it, "
            + "or something computed from it, in clear. Keep it as plain config: only keys that pass unchanged into a resource may be secret (README, \"Known limits\")");
        return true;
    }

    /// <summary>The key this value was read under (a map entry's name); empty for list items and top-level keys.</summary>
    public string Name { get; }

    /// <summary>This value's declaration.</summary>
    public ConfigField Field { get; }

    public JsonNode? Value { get; }

    public Origin At { get; }

    public List<ConfigProblem> Problems { get; }

    public bool IsMissing => Value is null;

    public void Problem(string message) => Problems.Add(new ConfigProblem(At.Path, At.Shown(Show(Value)), message));

    public ConfigNode Child(string name)
    {
        var field = Declared(Field.Type, name)
            ?? throw new InvalidOperationException($"the reader reads {At.Path}.{name}, which ConfigSchema does not declare");
        return Read(name, field);
    }

    /// <summary>A key the schema does not allow, looked at only to explain why (an earlier layout's key).</summary>
    public ConfigNode Refused(string name) => Read(name, new ConfigField(name, new ScalarType(ScalarKind.String), "not allowed"));

    private ConfigNode Read(string name, ConfigField field)
    {
        _read.Add(name);
        var value = Value is JsonObject obj && obj.TryGetPropertyValue(name, out var v) ? v : null;
        return new ConfigNode(value, At.Child(name), Problems, field, name, _secretPaths);
    }

    private static ConfigField? Declared(ConfigType type, string name) => type switch
    {
        ObjectType o => o.Field(name),
        MapType m => new ConfigField(name, m.Values, m.ValueDescription),
        EitherType e => e.Variants.Select(v => Declared(v, name)).FirstOrDefault(f => f is not null),
        _ => null,
    };

    public bool IsObject(bool required = true)
    {
        if (RefusedAsSecret())
        {
            return false;
        }

        if (Value is JsonObject)
        {
            return true;
        }

        if (Value is not null || required)
        {
            Problem(Value is null ? "missing; expected a mapping" : "expected a mapping of keys to values");
        }

        return false;
    }

    /// <summary>The entries of a mapping, in ordinal key order (so output does not depend on the file's order).</summary>
    public IReadOnlyList<(string Key, ConfigNode Node)> Entries(bool required = true)
    {
        if (!IsObject(required))
        {
            return [];
        }

        return ((JsonObject)Value!)
            .Select(kv => kv.Key)
            .Order(StringComparer.Ordinal)
            .Select(k => (k, Child(k)))
            .ToList();
    }

    public IReadOnlyList<ConfigNode> Items(bool required = true)
    {
        if (RefusedAsSecret())
        {
            return [];
        }

        if (Value is JsonArray array)
        {
            var items = Field.Type is ListType list ? list.Items
                : Field.Type is EitherType either && either.Variants.OfType<ListType>().FirstOrDefault() is { } listVariant ? listVariant.Items
                : throw new InvalidOperationException($"the reader reads {At.Path} as a list, which ConfigSchema does not declare");
            return array.Select((item, i) => new ConfigNode(item, At.Index(i), Problems, Field with { Type = items }, secretPaths: _secretPaths)).ToList();
        }

        if (Value is not null || required)
        {
            Problem(Value is null ? "missing; expected a list" : "expected a list");
        }

        return [];
    }

    /// <summary>Reports keys of this mapping that no reader asked for.</summary>
    public void RejectUnknownKeys()
    {
        var declared = Field.Type switch
        {
            ObjectType o => o,
            EitherType e => e.Variants.OfType<ObjectType>().FirstOrDefault(),
            _ => null,
        };
        if (declared?.Fields.FirstOrDefault(f => !_read.Contains(f.Name)) is { } unread)
        {
            throw new InvalidOperationException($"ConfigSchema declares {At.Path}.{unread.Name}, which the reader never reads");
        }

        if (Value is not JsonObject obj)
        {
            return;
        }

        foreach (var key in obj.Select(kv => kv.Key).Order(StringComparer.Ordinal))
        {
            if (!_read.Contains(key))
            {
                var known = string.Join(", ", _read.Order(StringComparer.Ordinal));
                Problems.Add(new ConfigProblem(At.Child(key).Path, At.Shown(Show(obj[key])), $"unknown key{Infra.Model.Text.Spelling.Suggestion(_read, key)} (known here: {known})"));
            }
        }
    }

    public string? String(bool required = true)
    {
        if (RefusedAsSecret())
        {
            return null;
        }

        switch (Value)
        {
            case JsonValue v when v.TryGetValue<string>(out var s) && s.Length > 0:
                return s;
            case null when Field.Default is string declared:
                return declared;
            case null when !required:
                return null;
            case null:
                Problem("missing; expected a string");
                return null;
            case JsonValue v when v.GetValueKind() is System.Text.Json.JsonValueKind.Number or System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False:
                // YAML reads 1.33 as a number (and 1.30 as 1.3): only quotes keep the text.
                if (v.GetValueKind() != System.Text.Json.JsonValueKind.Number)
                {
                    Problem($"expected a string, but YAML read a boolean; quote it: \"{v.ToJsonString()}\"");
                    return null;
                }

                // Unquoted, 1.30 reaches us as the number 1.3: say so, and suggest the likely text.
                var number = v.ToJsonString();
                var decimals = number.Contains('.', StringComparison.Ordinal) ? number.Split('.')[1].Length : -1;
                var dropped = decimals >= 0 ? " (unquoted, trailing zeros are dropped: 1.30 reads as 1.3)" : "";
                var suggested = decimals == 1 ? number + "0" : number;
                Problem($"expected a string, but YAML read the number {number}{dropped}; write the value in quotes exactly as you mean it, e.g. \"{suggested}\"");
                return null;
            default:
                Problem("expected a non-empty string");
                return null;
        }
    }

    /// <summary>Integers arrive as JSON numbers or, after `pulumi config set --path`, as numeric strings; absent, the caller's fallback or else the schema's default.</summary>
    public int? Int(int? fallback = null)
    {
        if (RefusedAsSecret())
        {
            return null;
        }

        fallback ??= Field.Default as int?;
        switch (Value)
        {
            case null when fallback is not null:
                return fallback;
            case null:
                Problem("missing; expected a whole number");
                return null;
            case JsonValue v when v.TryGetValue<int>(out var i):
                return i;
            case JsonValue v when v.TryGetValue<string>(out var s) && int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed):
                return parsed;
            default:
                Problem("expected a whole number");
                return null;
        }
    }

    /// <summary>Booleans; absent, the caller's fallback or else the schema's default.</summary>
    public bool? Bool(bool? fallback = null)
    {
        if (RefusedAsSecret())
        {
            return null;
        }

        fallback ??= Field.Default as bool?;
        switch (Value)
        {
            case null when fallback is not null:
                return fallback;
            case null:
                Problem("missing; expected true or false");
                return null;
            case JsonValue v when v.TryGetValue<bool>(out var b):
                return b;
            case JsonValue v when v.TryGetValue<string>(out var s) && s is "true" or "false":
                return s == "true";
            default:
                Problem("expected true or false");
                return null;
        }
    }

    public Located<Cidr>? Cidr(bool required = true)
    {
        var text = String(required);
        if (text is null)
        {
            return null;
        }

        if (!Model.Addressing.Cidr.TryParse(text, out var cidr, out var why))
        {
            Problems.Add(new ConfigProblem(At.Path, At.Shown(text), why));
            return null;
        }

        return new Located<Cidr>(cidr, At);
    }

    public IReadOnlyList<Located<string>> Strings(bool required = true) =>
        Items(required).Select(i => (i.String(), i.At)).Where(x => x.Item1 is not null).Select(x => new Located<string>(x.Item1!, x.At)).ToList();


    public static string Show(JsonNode? value) => value switch
    {
        null => "(missing)",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => value.ToJsonString(),
    };
}
