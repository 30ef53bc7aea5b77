using Infra.Emit;
using Infra.StackConfig;

namespace Infra.Discovery;

/// <summary>
/// The declared places (<see cref="DeclaredPaths"/>) a stack document writes a value at, and every
/// key it writes that no declaration holds: discover refuses to write such a file (the declarations
/// are the stack format), and a test holds discover to writing each declared key it can.
/// </summary>
public sealed record WrittenKeys(IReadOnlySet<string> Written, IReadOnlyList<string> Undeclared)
{
    /// <summary>The keys of the `config:` mappings given (a project's keys, and the providers' such as `aws:region`).</summary>
    public static WrittenKeys Of(string project, params IEnumerable<DocMap> configs)
    {
        var written = new SortedSet<string>(StringComparer.Ordinal);
        var undeclared = new List<string>();
        foreach (var item in configs.SelectMany(c => c.Items).Where(i => i.Value is not null))
        {
            var key = item.Key!;
            if (!key.StartsWith($"{project}:", StringComparison.Ordinal))
            {
                // A provider's key (aws:region) is the provider's to declare; any other is not the stack's.
                if (!key.StartsWith("aws:", StringComparison.Ordinal))
                {
                    undeclared.Add(key);
                }

                continue;
            }

            var name = key[(project.Length + 1)..];
            if (ConfigSchema.ProjectKeys.FirstOrDefault(f => f.Name == name) is { } field)
            {
                Walk(item.Value!, field.Type, name, written, undeclared);
            }
            else
            {
                undeclared.Add(name);
            }
        }

        return new WrittenKeys(written, undeclared);
    }

    private static void Walk(DocNode node, ConfigType type, string path, ISet<string> written, List<string> undeclared)
    {
        if (type is EitherType either)
        {
            type = either.Variants.FirstOrDefault(v => Fits(node, v)) ?? either.Variants[0];
        }

        switch (type, node)
        {
            case (ScalarType, DocScalar):
                written.Add(path);
                break;
            case (ListType list, DocList items):
                foreach (var item in items.Items.Where(i => i.Value is not null))
                {
                    Walk(item.Value!, list.Items, $"{path}[]", written, undeclared);
                }

                break;
            case (MapType map, DocMap entries):
                foreach (var entry in entries.Items.Where(i => i.Value is not null))
                {
                    if (map.Keys is { } allowed && !allowed.Contains(entry.Key!))
                    {
                        undeclared.Add($"{path}.{entry.Key}");
                        continue;
                    }

                    Walk(entry.Value!, map.Values, $"{path}.*", written, undeclared);
                }

                break;
            case (ObjectType mapping, DocMap entries):
                foreach (var entry in entries.Items.Where(i => i.Value is not null))
                {
                    if (mapping.Field(entry.Key!) is { } field)
                    {
                        Walk(entry.Value!, field.Type, $"{path}.{entry.Key}", written, undeclared);
                    }
                    else
                    {
                        undeclared.Add($"{path}.{entry.Key}");
                    }
                }

                break;
            default:
                undeclared.Add($"{path} (declared as {Describe(type)}, written as {Describe(node)})");
                break;
        }
    }

    private static bool Fits(DocNode node, ConfigType type) => (type, node) switch
    {
        (ScalarType, DocScalar) or (ListType, DocList) or (MapType or ObjectType, DocMap) => true,
        _ => false,
    };

    private static string Describe(ConfigType type) => type switch
    {
        ScalarType => "a value",
        ListType => "a list",
        _ => "a mapping",
    };

    private static string Describe(DocNode node) => node switch
    {
        DocScalar => "a value",
        DocList => "a list",
        _ => "a mapping",
    };
}
