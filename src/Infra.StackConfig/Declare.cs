using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Infra.StackConfig;

/// <summary>
/// Builds <see cref="ConfigKey{T}"/> declarations: each factory gives a key its schema entry and its
/// reading rule at once. Scalars come back located (<see cref="Located{T}"/>) so a later rule can name
/// the key; a check function returns the problem to report, or null.
/// </summary>
internal static class Declare
{
    /// <summary>A subnet named as `role/zone` (`role/zone/2` for the zone's second of the role), the roles being the subnet-role table's keys.</summary>
    public static ScalarType SubnetReference { get; } = new(ScalarKind.String, Pattern: $"^({string.Join("|", SubnetRoles.All.Select(r => r.Key()))})/[a-z0-9-]+(/[1-9][0-9]*)?$");

    /// <summary>Text; absent, the default when one is declared.</summary>
    public static ConfigShape<Located<string>?> TextShape(ScalarType? type = null, Func<string, string?>? check = null) =>
        new(type ?? new ScalarType(ScalarKind.String), (node, required) =>
        {
            var text = node.String(required);
            // A secret's stand-in is not the value: nothing here can check what the compiler never holds.
            return text is null || (!node.IsSecretValue && Refused(node, check?.Invoke(text))) ? null : new Located<string>(text, node.At);
        });

    public static ConfigShape<Located<Cidr>?> CidrShape { get; } = new(new ScalarType(ScalarKind.Cidr), (node, required) => node.Cidr(required));

    public static ConfigKey<Located<string>?> Text(string name, string description, bool required = false, string? @default = null, Func<string, string?>? check = null) =>
        Key(name, description, TextShape(check: check), required, @default);

    /// <summary>Text of at most <paramref name="maxLength"/> characters (also in the JSON Schema).</summary>
    public static ConfigKey<Located<string>?> Text(string name, string description, int maxLength, bool required = false) =>
        Key(name, description, TextShape(new ScalarType(ScalarKind.String, MaxLength: maxLength), text => text.Length <= maxLength ? null : $"is {text.Length} characters; at most {maxLength}"), required);

    /// <summary>Text that must pass <paramref name="check"/>, which says more than a pattern can (its message first), and match <paramref name="pattern"/>, the rule's outline the JSON Schema gets.</summary>
    public static ConfigKey<Located<string>?> Matching(string name, string description, string pattern, string problem, Func<string, string?> check, bool required = false) =>
        Key(name, description, TextShape(new ScalarType(ScalarKind.String, Pattern: pattern), text => check(text) ?? (Regex.IsMatch(text, pattern, RegexOptions.CultureInvariant) ? null : problem)), required);

    /// <summary>Text that must match <paramref name="pattern"/> (also given to the JSON Schema); <paramref name="problem"/> says what was expected.</summary>
    /// <param name="mayBeSecret">The value goes unchanged into a resource: a secret is referred to, and not checked (<see cref="ConfigField.MayBeSecret"/>).</param>
    public static ConfigKey<Located<string>?> Matching(string name, string description, string pattern, string problem, bool required = false, bool mayBeSecret = false)
    {
        var key = Key(name, description, TextShape(new ScalarType(ScalarKind.String, Pattern: pattern), text => Regex.IsMatch(text, pattern, RegexOptions.CultureInvariant) ? null : problem), required);
        return mayBeSecret ? new ConfigKey<Located<string>?>(key.Field with { MayBeSecret = true }, (node, isRequired) => key.Read(node)) : key;
    }

    /// <summary>
    /// Text the JSON Schema restricts to <paramref name="pattern"/> (and <paramref name="maxLength"/>),
    /// which a model rule checks with its own message (it names what the pattern means).
    /// </summary>
    public static ConfigKey<Located<string>?> Outlined(string name, string description, string pattern, bool required = false, int? maxLength = null) =>
        Key(name, description, TextShape(new ScalarType(ScalarKind.String, Pattern: pattern, MaxLength: maxLength)), required);

    /// <summary>The schema's outline of an IPv6 block (hex digits and colons, a prefix of 0-128); the reader checks the exact form.</summary>
    public const string Ipv6BlockOutline = "^[0-9a-f:]*:[0-9a-f:]*/([0-9]|[1-9][0-9]|1[01][0-9]|12[0-8])$";

    /// <summary>Text the JSON Schema restricts to <paramref name="allowed"/>; the reader leaves the check to the model's rules.</summary>
    public static ConfigKey<Located<string>?> OneOf(string name, string description, IReadOnlyList<string> allowed, bool required = false, string? @default = null, string? problem = null) =>
        Key(name, description, TextShape(new ScalarType(ScalarKind.String, allowed), problem is null ? null : text => allowed.Contains(text) ? null : problem), required, @default);

    /// <summary>One of a fixed set of words, each standing for a model value.</summary>
    public static ConfigKey<T?> Choice<T>(string name, string description, IReadOnlyList<(string Text, T Value)> choices, string problem, bool required = false, string? @default = null)
        where T : struct =>
        Key(name, description, new ConfigShape<T?>(new ScalarType(ScalarKind.String, [.. choices.Select(c => c.Text)]), (node, isRequired) =>
        {
            var text = node.String(isRequired);
            if (text is null)
            {
                return null;
            }

            foreach (var (word, value) in choices)
            {
                if (word == text)
                {
                    return value;
                }
            }

            node.Problem(problem);
            return null;
        }), required, @default);

    public static ConfigKey<Located<Cidr>?> Cidr(string name, string description, bool required = false) =>
        Key(name, description, CidrShape, required);

    /// <param name="minimum">The smallest value, for the schema (the check, or a model rule, refuses less with its own message).</param>
    /// <param name="maximum">The largest value, for the schema, likewise.</param>
    public static ConfigKey<int?> Integer(string name, string description, bool required = false, int? @default = null, Func<int, string?>? check = null, int? minimum = null, int? maximum = null) =>
        Key(name, description, new ConfigShape<int?>(new ScalarType(ScalarKind.Integer, Minimum: minimum, Maximum: maximum), (node, isRequired) =>
        {
            if (node.IsMissing && !isRequired && @default is null)
            {
                return null;
            }

            var number = node.Int();
            return number is { } n && Refused(node, check?.Invoke(n)) ? null : number;
        }), required, @default);

    public static ConfigKey<bool?> Boolean(string name, string description, bool required = false, bool? @default = null) =>
        Key(name, description, new ConfigShape<bool?>(new ScalarType(ScalarKind.Boolean), (node, _) => node.Bool()), required, @default);

    /// <summary>The id of the original a replica copies: recorded as a `ReplicaOf` tag, nothing is imported.</summary>
    public static ConfigKey<Located<string>?> ReplicaOf(string what) =>
        Text("replicaOf", $"id of the original {what} this one replicates; recorded as a `ReplicaOf` tag, nothing is imported");

    /// <summary>A list; items that fail are reported and left out. Its length and uniqueness, when declared, are checked as read and said in the schema.</summary>
    public static ConfigShape<IReadOnlyList<T>> ListShape<T>(ConfigShape<T?> items, int? minItems = null, int? maxItems = null, bool unique = false)
        where T : class =>
        new(new ListType(items.Type, minItems, maxItems, unique), (node, required) =>
        {
            var nodes = node.Items(required);
            if (!node.IsMissing && node.Value is JsonArray)
            {
                if (minItems is { } fewest && nodes.Count < fewest)
                {
                    node.Problem(fewest == 1 ? "is empty; give at least one" : $"has {nodes.Count} items; give at least {fewest}");
                }

                if (maxItems is { } most && nodes.Count > most)
                {
                    node.Problem($"has {nodes.Count} items; at most {most}");
                }

                if (unique)
                {
                    // The repeat is named at its own place, with where the item stands first.
                    var first = new Dictionary<string, int>(StringComparer.Ordinal);
                    for (var i = 0; i < nodes.Count; i++)
                    {
                        var item = nodes[i].Value?.ToJsonString() ?? "null";
                        if (!first.TryAdd(item, i))
                        {
                            nodes[i].Problem($"repeats item [{first[item]}]; each item once");
                        }
                    }
                }
            }

            return nodes.Select(item => items.Read(item, true)).OfType<T>().ToList();
        });

    public static ConfigKey<IReadOnlyList<T>> List<T>(string name, string description, ConfigShape<T?> items, bool required = false, int? minItems = null, int? maxItems = null, bool unique = false)
        where T : class =>
        Key(name, description, ListShape(items, minItems, maxItems, unique), required);

    /// <summary>A map of names the user chooses to values, in ordinal key order; values that fail are reported and left out.</summary>
    /// <param name="minEntries">The fewest entries it takes (read and in the schema).</param>
    public static ConfigKey<IReadOnlyList<T>> Map<T>(string name, string description, string keyName, ConfigShape<T?> values, string valueDescription, bool required = false, int? minEntries = null)
        where T : class =>
        Key(name, description, new ConfigShape<IReadOnlyList<T>>(new MapType(keyName, values.Type, valueDescription, MinEntries: minEntries), (node, isRequired) =>
        {
            var entries = node.Entries(isRequired);
            if (minEntries is { } fewest && !node.IsMissing && node.Value is JsonObject && entries.Count < fewest)
            {
                node.Problem(fewest == 1 ? "is empty; give at least one" : $"has {entries.Count} entries; give at least {fewest}");
            }

            return entries.Select(entry => values.Read(entry.Node, true)).OfType<T>().ToList();
        }), required);

    /// <summary>
    /// A mapping with fixed keys, bound by <paramref name="bind"/> once every key was read without a
    /// problem. Absent and optional, it binds as if empty when <paramref name="bindWhenAbsent"/> (its
    /// keys' defaults make the record), else to null. Keys nobody declared are reported.
    /// </summary>
    /// <param name="exactlyOneOf">Keys of which the mapping gives exactly one (read and in the schema).</param>
    /// <param name="atMostOneOf">Keys of which the mapping gives one or none (read and in the schema).</param>
    /// <param name="atLeastOneOf">Keys of which the mapping gives one or more (read and in the schema).</param>
    /// <param name="conditions">Keys another key's value requires or refuses (read and in the schema).</param>
    public static ConfigShape<T?> Object<T>(IReadOnlyList<ConfigKey> keys, Func<Section, T?> bind, bool bindWhenAbsent = false, IReadOnlyList<string>? exactlyOneOf = null, IReadOnlyList<string>? atMostOneOf = null,
        IReadOnlyList<string>? atLeastOneOf = null, IReadOnlyList<KeyCondition>? conditions = null)
        where T : class => Mapping(keys, bind, bindWhenAbsent, exactlyOneOf, atMostOneOf, atLeastOneOf, conditions);

    /// <summary>When <paramref name="key"/> is one of <paramref name="values"/>, the mapping gives <paramref name="requires"/> and not <paramref name="refuses"/>, for <paramref name="why"/>.</summary>
    public static KeyCondition When(ConfigKey key, IReadOnlyList<string> values, IReadOnlyList<ConfigKey> requires, IReadOnlyList<ConfigKey> refuses, string why) =>
        new(key.Name, values, [.. requires.Select(k => k.Name)], [.. refuses.Select(k => k.Name)], why);

    /// <summary>A mapping that binds to one value (a flag, a choice) rather than a record; as <see cref="Object{T}"/> otherwise.</summary>
    public static ConfigShape<T?> ValueObject<T>(IReadOnlyList<ConfigKey> keys, Func<Section, T> bind, bool bindWhenAbsent = false)
        where T : struct => Mapping<T?>(keys, section => bind(section), bindWhenAbsent, null, null, null, null);

    /// <summary>Days CloudWatch Logs keeps a log group's events: one of the retention periods it accepts.</summary>
    public static ConfigKey<int?> LogRetentionDays(string name, string description) =>
        Integer(name, description, @default: LogRetention.DefaultDays, check: days => LogRetention.Choices.Contains(days)
            ? null
            : $"CloudWatch Logs keeps logs for one of {string.Join(", ", LogRetention.Choices)} days");

    /// <summary>What <see cref="Object{T}"/> and <see cref="ValueObject{T}"/> share; <typeparamref name="T"/> is nullable, null standing for no value.</summary>
    private static ConfigShape<T> Mapping<T>(IReadOnlyList<ConfigKey> keys, Func<Section, T> bind, bool bindWhenAbsent, IReadOnlyList<string>? exactlyOneOf, IReadOnlyList<string>? atMostOneOf,
        IReadOnlyList<string>? atLeastOneOf, IReadOnlyList<KeyCondition>? conditions)
    {
        if (bindWhenAbsent && keys.FirstOrDefault(k => k.Field.Required) is { } required)
        {
            throw new InvalidOperationException($"{required.Name} is required, so its mapping cannot bind when absent");
        }

        var type = new ObjectType([.. keys.Select(k => k.Field)], exactlyOneOf, atLeastOneOf, atMostOneOf) { Conditions = conditions ?? [] };
        return new(type, (node, isRequired) =>
        {
            if (!(bindWhenAbsent && node.IsMissing) && !node.IsObject(isRequired))
            {
                return default!;
            }

            var before = node.Problems.Count;
            var values = new Dictionary<ConfigKey, object?>();
            foreach (var key in keys)
            {
                values[key] = key.ReadBoxed(node.Child(key.Name));
            }

            node.RejectUnknownKeys();
            if (node.Problems.Count > before)
            {
                return default!;
            }

            // The declaration says "exactly one of": the binder receives a mapping that holds one.
            if (exactlyOneOf is { Count: > 0 } && exactlyOneOf.Where(k => !node.Child(k).IsMissing).ToList() is { Count: not 1 } given)
            {
                var choices = string.Join(", ", exactlyOneOf.Select(k => $"`{k}`"));
                if (given.Count == 0)
                {
                    node.Problem($"needs one of {choices}");
                }
                else
                {
                    node.Child(given[1]).Problem($"give one of {choices}, not `{given[0]}` and `{given[1]}` both");
                }

                return default!;
            }

            if (atMostOneOf is { Count: > 0 } && atMostOneOf.Where(k => !node.Child(k).IsMissing).ToList() is { Count: > 1 } both)
            {
                node.Child(both[1]).Problem($"give `{both[0]}` or `{both[1]}`, not both");
                return default!;
            }

            if (atLeastOneOf is { Count: > 0 } && atLeastOneOf.All(k => node.Child(k).IsMissing))
            {
                node.Problem($"needs at least one of {string.Join(", ", atLeastOneOf.Select(k => $"`{k}`"))}");
                return default!;
            }

            foreach (var condition in conditions ?? [])
            {
                if (node.Child(condition.Key).Value is not JsonValue chosen || !chosen.TryGetValue<string>(out var value) || !condition.Values.Contains(value))
                {
                    continue;
                }

                foreach (var missing in condition.Requires.Where(k => node.Child(k).IsMissing || node.Child(k).Value is JsonArray { Count: 0 }))
                {
                    node.Child(missing).Problem($"{condition.Key} {value} needs `{missing}`: {condition.Why}");
                }

                foreach (var refused in condition.Refuses.Where(k => !node.Child(k).IsMissing))
                {
                    node.Child(refused).Problem($"{condition.Key} {value} does not take `{refused}`: {condition.Why}");
                }
            }

            if (node.Problems.Count > before)
            {
                return default!;
            }

            var bound = bind(new Section(node, values));
            return node.Problems.Count > before ? default! : bound;
        });
    }

    /// <summary>A key holding a value of <paramref name="shape"/>.</summary>
    public static ConfigKey<T> Key<T>(string name, string description, ConfigShape<T> shape, bool required = false, object? @default = null, string? requiredWith = null, string? orInstead = null) =>
        new(new ConfigField(name, shape.Type, description, required, @default, requiredWith) { OrInstead = orInstead }, shape.Read);

    /// <summary>A key read by hand, for values a shape above cannot say (a CIDR or a mapping; keys refused with a reason).</summary>
    internal static ConfigKey<T> Custom<T>(string name, string description, ConfigType type, Func<ConfigNode, bool, T> read, bool required = false) =>
        new(new ConfigField(name, type, description, required), read);

    private static bool Refused(ConfigNode node, string? problem)
    {
        if (problem is not null)
        {
            node.Problem(problem);
        }

        return problem is not null;
    }
}
