using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Infra.StackConfig;

namespace Infra.Review;

/// <summary>
/// `infra schema`: <see cref="ConfigSchema"/> as a JSON Schema of Pulumi.&lt;stack&gt;.yaml (for
/// editors with the YAML language server) and as the README's configuration reference. Both are
/// derived, never written by hand, so they cannot disagree with what the reader accepts.
/// </summary>
public static class ConfigReference
{
    /// <summary>Where the JSON Schema is shipped in the repository; stack files point at it.</summary>
    public const string ShippedPath = "schema/stack-config.schema.json";

    public const string ReadmeSection = "config-reference";

    /// <summary>An IPv4 block as the reader parses one: four octets of 0-255 without leading zeros, a prefix of 0-32 (host bits are the reader's alone).</summary>
    private const string CidrPattern = "^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])/(3[0-2]|[12]?[0-9])$";

    private const string IntegerPattern = "^[+-]?[0-9]+$";

    /// <summary>
    /// JSON Schema draft-07 (the draft the YAML language server supports best) of a stack file:
    /// its `config` keys in the project's namespace (with or without the prefix, as Pulumi reads
    /// them), `aws:region` and the aws provider's settings, other providers' namespaces; a value may
    /// be Pulumi's encrypted `{secure: ...}` form.
    /// </summary>
    public static string JsonSchema(string project)
    {
        var definitions = new JsonObject
        {
            ["secure"] = new JsonObject
            {
                ["description"] = "a value encrypted by `pulumi config set --secret`",
                ["type"] = "object",
                ["properties"] = new JsonObject { ["secure"] = new JsonObject { ["type"] = "string" } },
                ["required"] = new JsonArray("secure"),
                ["additionalProperties"] = false,
            },
        };
        var properties = new JsonObject
        {
            // The closed list the compiler knows, so an editor flags another region (README, "Regions").
            [StackConfigReader.RegionKey] = new JsonObject { ["description"] = "the AWS region; availability zones must belong to it", ["type"] = "string", ["enum"] = new JsonArray([.. Infra.Model.Addressing.Regions.KnownRegions.Select(r => (JsonNode?)r)]) },
        };
        var required = new JsonArray();
        required.Add((JsonNode)new JsonObject { ["required"] = new JsonArray(StackConfigReader.RegionKey) });
        var dependencies = new JsonObject();
        foreach (var field in ConfigSchema.ProjectKeys)
        {
            definitions[field.Name] = Describe(field);
            foreach (var name in new[] { $"{project}:{field.Name}", field.Name })
            {
                properties[name] = new JsonObject
                {
                    ["anyOf"] = new JsonArray(new JsonObject { ["$ref"] = $"#/definitions/{field.Name}" }, new JsonObject { ["$ref"] = "#/definitions/secure" }),
                };
            }

            if (field.Required)
            {
                required.Add((JsonNode)RequiredInEitherForm(project, field.Name));
            }

            if (field.RequiredWith is { } with)
            {
                foreach (var name in new[] { $"{project}:{with}", with })
                {
                    dependencies[name] = field.OrInstead is { } instead
                        ? new JsonObject { ["anyOf"] = new JsonArray(RequiredInEitherForm(project, field.Name), RequiredInEitherForm(project, instead)) }
                        : RequiredInEitherForm(project, field.Name);
                }
            }

            if (field.OrInstead is { } alternative)
            {
                foreach (var name in new[] { $"{project}:{alternative}", alternative })
                {
                    dependencies[name] = new JsonObject { ["not"] = RequiredInEitherForm(project, field.Name) };
                }
            }
        }

        // The instance types the compiler knows (the embedded ENI limits table), so an editor flags a
        // misspelt one; the README's reference names the table instead of listing them.
        foreach (var nodeGroup in new[] { definitions["nodeGroup"]!, definitions["nodeGroups"]!["additionalProperties"]! })
        {
            var instanceTypeItems = nodeGroup["properties"]!["instanceTypes"]!["items"]!.AsObject();
            instanceTypeItems["enum"] = new JsonArray([.. Infra.Model.Cluster.InstanceLimits.Embedded.InstanceTypes.Select(t => (JsonNode?)t)]);
        }

        var awsSettings = string.Join("|", StackConfigReader.AwsProviderKeys.Where(k => $"aws:{k}" != StackConfigReader.RegionKey));
        var otherNamespaces = string.Join("|", StackConfigReader.ProviderNamespaces.Where(n => n != "aws"));
        var schema = new JsonObject
        {
            ["$schema"] = "http://json-schema.org/draft-07/schema#",
            ["$comment"] = "Generated by `infra schema` from src/Infra.StackConfig/ConfigSchema.cs; a test fails when this copy is stale.",
            ["title"] = $"Pulumi.<stack>.yaml of {project}",
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["config"] = new JsonObject
                {
                    ["type"] = "object",
                    ["properties"] = properties,
                    ["patternProperties"] = new JsonObject
                    {
                        [$"^aws:({awsSettings})$"] = new JsonObject { ["description"] = "a setting of the aws provider" },
                        [$"^({otherNamespaces}):"] = new JsonObject { ["description"] = "a setting of another provider of the program" },
                    },
                    ["additionalProperties"] = false,
                    ["allOf"] = required,
                    ["dependencies"] = dependencies,
                },
                ["secretsprovider"] = new JsonObject { ["type"] = "string" },
                ["encryptedkey"] = new JsonObject { ["type"] = "string" },
                ["environment"] = new JsonObject(),
            },
            ["definitions"] = definitions,
        };
        return Report.ToJson(schema);
    }

    private static JsonObject RequiredOne(string name) => new() { ["required"] = new JsonArray(name) };

    /// <summary>A project key given with its namespace or without, as Pulumi reads both.</summary>
    private static JsonObject RequiredInEitherForm(string project, string key) =>
        new() { ["anyOf"] = new JsonArray(RequiredOne($"{project}:{key}"), RequiredOne(key)) };

    private static JsonObject Describe(ConfigField field)
    {
        var node = Describe(field.Type);
        if (field.MayBeSecret)
        {
            // `pulumi config set --secret --path` leaves {secure: CIPHERTEXT} in the stack file.
            node = new JsonObject { ["anyOf"] = new JsonArray(node, new JsonObject { ["type"] = "object", ["properties"] = new JsonObject { ["secure"] = new JsonObject { ["type"] = "string" } }, ["required"] = new JsonArray("secure"), ["additionalProperties"] = false }) };
        }

        node.Insert(0, "description", field.Description);
        if (field.Default is { } value)
        {
            node["default"] = value switch
            {
                bool flag => JsonValue.Create(flag),
                int number => JsonValue.Create(number),
                string text => JsonValue.Create(text),
                _ => throw new InvalidOperationException($"{field.Name}: a default is a bool, an int or a string, not {value.GetType().Name}"),
            };
        }

        return node;
    }

    private static JsonObject Describe(ConfigType type)
    {
        switch (type)
        {
            case ScalarType { Kind: ScalarKind.String } s:
                var text = new JsonObject { ["type"] = "string", ["minLength"] = 1 };
                if (s.Allowed is { } allowed)
                {
                    text["enum"] = new JsonArray([.. allowed.Select(a => JsonValue.Create(a))]);
                }

                if (s.Pattern is { } pattern)
                {
                    text["pattern"] = pattern;
                }

                if (s.MaxLength is { } most)
                {
                    text["maxLength"] = most;
                }

                return text;
            case ScalarType { Kind: ScalarKind.Cidr }:
                return new JsonObject { ["type"] = "string", ["pattern"] = CidrPattern };
            case ScalarType { Kind: ScalarKind.Integer } number:
                // `pulumi config set --path` stores numbers as strings; the reader accepts both.
                // JSON Schema bounds the number's form only; the reader bounds both.
                var integer = new JsonObject { ["type"] = new JsonArray("integer", "string"), ["pattern"] = IntegerPattern };
                if (number.Minimum is { } least)
                {
                    integer["minimum"] = least;
                }

                if (number.Maximum is { } greatest)
                {
                    integer["maximum"] = greatest;
                }

                return integer;
            case ScalarType { Kind: ScalarKind.Boolean } b:
                var values = b.Allowed ?? ["true", "false"];
                return new JsonObject { ["type"] = new JsonArray("boolean", "string"), ["enum"] = new JsonArray([.. values.Select(v => (JsonNode)JsonValue.Create(v == "true")!), .. values.Select(v => JsonValue.Create(v))]) };
            case ObjectType o:
                var obj = new JsonObject
                {
                    ["type"] = "object",
                    ["properties"] = new JsonObject([.. o.Fields.Select(f => new KeyValuePair<string, JsonNode?>(f.Name, Describe(f)))]),
                    ["additionalProperties"] = false,
                };
                if (o.Fields.Where(f => f.Required).Select(f => f.Name).ToList() is { Count: > 0 } names)
                {
                    obj["required"] = new JsonArray([.. names.Select(n => JsonValue.Create(n))]);
                }

                if (o.ExactlyOneOf is { } exactlyOne)
                {
                    obj["oneOf"] = new JsonArray([.. exactlyOne.Select(n => RequiredOne(n))]);
                }

                if (o.AtLeastOneOf is { } atLeastOne)
                {
                    obj["anyOf"] = new JsonArray([.. atLeastOne.Select(n => RequiredOne(n))]);
                }

                if (o.Conditions.Count > 0)
                {
                    obj["allOf"] = new JsonArray([.. o.Conditions.Select(c => (JsonNode)Condition(o, c))]);
                }

                if (o.AtMostOneOf is { } atMostOne)
                {
                    // No two of them together.
                    var pairs = atMostOne.SelectMany((a, i) => atMostOne.Skip(i + 1).Select(b => (JsonNode)new JsonObject { ["required"] = new JsonArray(JsonValue.Create(a), JsonValue.Create(b)) }));
                    obj["not"] = new JsonObject { ["anyOf"] = new JsonArray([.. pairs]) };
                }

                return obj;
            case MapType { Keys: { } keys } m:
                return new JsonObject
                {
                    ["type"] = "object",
                    ["properties"] = new JsonObject([.. keys.Select(k => new KeyValuePair<string, JsonNode?>(k, Describe(m.Values)))]),
                    ["additionalProperties"] = false,
                };
            case MapType m:
                var map = new JsonObject { ["type"] = "object", ["additionalProperties"] = Describe(m.Values) };
                if (m.MinEntries is { } fewestEntries)
                {
                    map["minProperties"] = fewestEntries;
                }

                return map;
            case ListType l:
                var list = new JsonObject { ["type"] = "array", ["items"] = Describe(l.Items) };
                if (l.MinItems is { } fewest)
                {
                    list["minItems"] = fewest;
                }

                if (l.MaxItems is { } mostItems)
                {
                    list["maxItems"] = mostItems;
                }

                if (l.Unique)
                {
                    list["uniqueItems"] = true;
                }

                return list;
            case EitherType e:
                return new JsonObject { ["anyOf"] = new JsonArray([.. e.Variants.Select(v => Describe(v))]) };
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "a config type the schema cannot describe");
        }
    }

    /// <summary>A key's value requiring or refusing others: if it is one of the values, then the required keys are there (a list not empty) and the refused ones are not.</summary>
    private static JsonObject Condition(ObjectType mapping, KeyCondition condition)
    {
        var then = new JsonObject();
        if (condition.Requires.Count > 0)
        {
            then["required"] = new JsonArray([.. condition.Requires.Select(k => JsonValue.Create(k))]);
            var lists = condition.Requires.Where(k => mapping.Field(k)?.Type is ListType).ToList();
            if (lists.Count > 0)
            {
                then["properties"] = new JsonObject([.. lists.Select(k => new KeyValuePair<string, JsonNode?>(k, new JsonObject { ["minItems"] = 1 }))]);
            }
        }

        if (condition.Refuses.Count > 0)
        {
            then["not"] = new JsonObject { ["anyOf"] = new JsonArray([.. condition.Refuses.Select(k => RequiredOne(k))]) };
        }

        return new JsonObject
        {
            ["if"] = new JsonObject
            {
                ["properties"] = new JsonObject { [condition.Key] = new JsonObject { ["enum"] = new JsonArray([.. condition.Values.Select(v => JsonValue.Create(v))]) } },
                ["required"] = new JsonArray(JsonValue.Create(condition.Key)),
            },
            ["then"] = then,
        };
    }

    /// <summary>One row of the reference: a key path, its type, whether it is required, its default, its meaning.</summary>
    public sealed record Row(string Key, string Type, string Required, string Default, string Meaning);

    /// <summary>Every key the reader accepts, depth first in declaration order.</summary>
    public static IReadOnlyList<Row> Rows()
    {
        var rows = new List<Row>();
        void Walk(string path, ConfigField field)
        {
            var required = field.Required ? "yes" : field.RequiredWith is { } with ? field.OrInstead is { } instead ? $"with `{with}`, or `{instead}`" : $"with `{with}`" : "";
            var shown = field.Default switch
            {
                null => "",
                bool b => b ? "`true`" : "`false`",
                var other => $"`{Convert.ToString(other, CultureInfo.InvariantCulture)}`",
            };
            rows.Add(new Row(path, TypeName(field.Type), required, shown, field.Description));
            foreach (var (suffix, child) in Children(field.Type))
            {
                Walk(path + suffix, child);
            }
        }

        foreach (var field in ConfigSchema.ProjectKeys)
        {
            Walk(field.Name, field);
        }

        return rows;
    }

    private static IEnumerable<(string Suffix, ConfigField Field)> Children(ConfigType type) => type switch
    {
        ObjectType o => o.Fields.Select(f => ($".{f.Name}", f)),
        MapType m => [($".<{m.KeyName}>", new ConfigField(m.KeyName, m.Values, m.ValueDescription))],
        ListType l => Children(l.Items).Select(c => ($"[]{c.Suffix}", c.Field)),
        EitherType e => e.Variants.SelectMany(Children),
        _ => [],
    };

    private static string TypeName(ConfigType type) => type switch
    {
        ScalarType { Allowed: { } allowed } => string.Join(" or ", allowed.Select(a => $"`{a}`")),
        ScalarType { Kind: ScalarKind.Cidr } => "CIDR",
        ScalarType s when s == ConfigSchema.SubnetReference => "`role/zone`",
        ScalarType s => s.Kind.ToString().ToLowerInvariant(),
        ObjectType => "mapping",
        MapType { Keys: { } keys } m => $"map of {m.KeyName} ({string.Join(", ", keys)}) to {TypeName(m.Values)}",
        MapType m => $"map of {m.KeyName} to {TypeName(m.Values)}",
        ListType l => $"list of {TypeName(l.Items)}",
        EitherType e => string.Join(" or ", e.Variants.Select(TypeName)),
        _ => type.GetType().Name,
    };

    /// <summary>The reference as a Markdown table, the form the README embeds.</summary>
    public static string Markdown(string project)
    {
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"`{StackConfigReader.RegionKey}` (required) is the AWS region; availability zones must belong to it. The other keys are in the `{project}:` namespace; generated by `infra schema --format markdown` from the key declarations in `src/Infra.StackConfig/Keys/`, which the reader binds:\n\n");
        md.Append("| key | type | required | default | meaning |\n| --- | --- | --- | --- | --- |\n");
        foreach (var row in Rows())
        {
            md.Append(CultureInfo.InvariantCulture, $"| `{row.Key}` | {Cell(row.Type)} | {row.Required} | {Cell(row.Default)} | {Cell(row.Meaning)} |\n");
        }

        return md.ToString();
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
