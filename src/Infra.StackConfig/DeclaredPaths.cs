using System.Text.RegularExpressions;

namespace Infra.StackConfig;

/// <summary>
/// A value's place in any stack file, as the declarations give it: a project key's name, then
/// `.field` into a mapping with fixed keys, `.*` for a name the user chooses, `[]` for a list's
/// items ("routeTables.*.routes[].target"). With the reasons, inherited from the keys above, why
/// discover does not write it or drift does not compare it.
/// </summary>
public sealed record DeclaredPath(string Path, ConfigField Field, string? NotDiscovered, string? NotCompared)
{
    /// <summary>The place whose declaration gives <see cref="NotCompared"/> (this one, or a key above it).</summary>
    public string? NotComparedAt { get; init; }

    /// <summary>The place whose declaration gives <see cref="NotDiscovered"/> (this one, or a key above it).</summary>
    public string? NotDiscoveredAt { get; init; }
}

/// <summary>Every declared value's place (<see cref="All"/>), and the place of a concrete key (<see cref="Of"/>).</summary>
public static partial class DeclaredPaths
{
    /// <summary>Every value a stack file can give (scalars, and the items of lists and maps of scalars), in declaration order.</summary>
    public static IReadOnlyList<DeclaredPath> All { get; } = Enumerate();

    private static List<DeclaredPath> Enumerate()
    {
        var paths = new List<DeclaredPath>();
        foreach (var field in ConfigSchema.ProjectKeys)
        {
            Walk(field.Type, field.Name, field, field.NotDiscovered is null ? null : (field.NotDiscovered, field.Name), field.NotCompared is null ? null : (field.NotCompared, field.Name), paths);
        }

        return [.. paths.DistinctBy(p => p.Path)];
    }

    private static void Walk(ConfigType type, string path, ConfigField field, (string Why, string At)? notDiscovered, (string Why, string At)? notCompared, List<DeclaredPath> into)
    {
        switch (type)
        {
            case ScalarType:
                into.Add(new DeclaredPath(path, field, notDiscovered?.Why, notCompared?.Why) { NotDiscoveredAt = notDiscovered?.At, NotComparedAt = notCompared?.At });
                break;
            case ListType list:
                Walk(list.Items, $"{path}[]", field, notDiscovered, notCompared, into);
                break;
            case MapType map:
                Walk(map.Values, $"{path}.*", field, notDiscovered, notCompared, into);
                break;
            case ObjectType mapping:
                foreach (var inner in mapping.Fields)
                {
                    var innerPath = $"{path}.{inner.Name}";
                    Walk(inner.Type, innerPath, inner, inner.NotDiscovered is { } unread ? (unread, innerPath) : notDiscovered, inner.NotCompared is { } why ? (why, innerPath) : notCompared, into);
                }

                break;
            case EitherType either:
                // A shorthand (a subnet as its CIDR alone) says what its long form says: the long
                // forms' places (a mapping's, a list's) stand for it.
                var longForms = either.Variants.Where(v => v is ObjectType or ListType).ToList();
                foreach (var variant in longForms.Count > 0 ? longForms : either.Variants)
                {
                    Walk(variant, path, field, notDiscovered, notCompared, into);
                }

                break;
        }
    }

    [GeneratedRegex(@"\.([^.\[]+)|\[([0-9]+)\]")]
    private static partial Regex Segment();

    /// <summary>
    /// The declared place of a key as problems and findings name it ("leadertools:routeTables.main.routes[0]"
    /// is "routeTables.*.routes[]"); null when no declaration holds it. A key naming a mapping or list
    /// (not a value) gives that mapping's or list's place.
    /// </summary>
    public static string? Of(string key)
    {
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        var rest = colon < 0 ? key : key[(colon + 1)..];
        var end = rest.IndexOfAny(['.', '[']);
        var name = end < 0 ? rest : rest[..end];
        if (ConfigSchema.ProjectKeys.FirstOrDefault(f => f.Name == name) is not { } top)
        {
            return null;
        }

        var path = name;
        var types = new List<ConfigType> { top.Type };
        foreach (Match segment in Segment().Matches(end < 0 ? "" : rest[end..]))
        {
            var next = new List<ConfigType>();
            foreach (var type in types.SelectMany(Variants))
            {
                switch (type)
                {
                    case ObjectType mapping when segment.Groups[1].Success && mapping.Field(segment.Groups[1].Value) is { } field:
                        next.Add(field.Type);
                        break;
                    case MapType map when segment.Groups[1].Success:
                        next.Add(map.Values);
                        break;
                    case ListType list when segment.Groups[2].Success:
                        next.Add(list.Items);
                        break;
                }
            }

            if (next.Count == 0)
            {
                return null;
            }

            var objectField = segment.Groups[1].Success && types.SelectMany(Variants).OfType<ObjectType>().Any(o => o.Field(segment.Groups[1].Value) is not null);
            path += segment.Groups[2].Success ? "[]" : objectField ? $".{segment.Groups[1].Value}" : ".*";
            types = next;
        }

        return path;
    }

    private static IEnumerable<ConfigType> Variants(ConfigType type) => type is EitherType either ? either.Variants : [type];
}
