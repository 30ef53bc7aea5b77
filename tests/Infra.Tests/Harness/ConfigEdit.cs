using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Infra.Tests.Harness;

/// <summary>
/// Edits stack config the way `pulumi config set --path` / `rm --path` would: the first segment
/// is the "namespace:key", the rest walks into its structured value (a.b[0].c).
/// </summary>
public static partial class ConfigEdit
{
    public static void Set(JsonObject config, string path, JsonNode? value)
    {
        var (parent, last) = Walk(config, path, create: true);
        switch (last)
        {
            case int index when parent is JsonArray array:
                while (array.Count <= index)
                {
                    array.Add(null);
                }

                array[index] = value;
                break;
            case string key when parent is JsonObject obj:
                obj[key] = value;
                break;
            default:
                throw new ArgumentException($"cannot set {path}");
        }
    }

    public static void Remove(JsonObject config, string path)
    {
        var (parent, last) = Walk(config, path, create: false);
        switch (last)
        {
            case int index when parent is JsonArray array:
                array.RemoveAt(index);
                break;
            case string key when parent is JsonObject obj:
                obj.Remove(key);
                break;
        }
    }

    private static (JsonNode Parent, object Last) Walk(JsonObject config, string path, bool create)
    {
        var top = TopKey().Match(path).Value;
        var segments = Segment().Matches(path[top.Length..]).Select(m => m.Value.StartsWith('[') ? (object)int.Parse(m.Value[1..^1], System.Globalization.CultureInfo.InvariantCulture) : m.Value.TrimStart('.')).ToList();
        if (segments.Count == 0)
        {
            return (config, top);
        }

        JsonNode current = config[top] ?? (create ? config[top] = new JsonObject() : throw new ArgumentException(path));
        foreach (var segment in segments.SkipLast(1))
        {
            var next = segment is int i ? current[i] : current[(string)segment];
            if (next is null)
            {
                next = new JsonObject();
                if (segment is string s)
                {
                    current[s] = next;
                }
            }

            current = next;
        }

        return (current, segments[^1]);
    }

    [GeneratedRegex(@"^[^.\[]+")]
    private static partial Regex TopKey();

    [GeneratedRegex(@"\.[^.\[]+|\[[0-9]+\]")]
    private static partial Regex Segment();
}
