using YamlDotNet.Core;

namespace Infra.StackConfig;

/// <summary>A line and column in a file, both counted from 1 (as editors and SARIF count them).</summary>
public readonly record struct SourcePosition(int Line, int Column)
{
    internal static SourcePosition Of(Mark mark) => new((int)mark.Line, (int)mark.Column);
}

/// <summary>Where the keys of a stack file stand, by the key paths config problems and findings name.</summary>
/// <param name="File">The stack file's name (Pulumi.qas.yaml).</param>
public sealed record StackFilePositions(string? File, IReadOnlyDictionary<string, SourcePosition> Keys)
{
    public static StackFilePositions None { get; } = new(null, new Dictionary<string, SourcePosition>());

    /// <summary>
    /// The key's position, or its nearest enclosing key's when the file leaves it out (a default),
    /// so a finding about an absent key still points at the mapping to add it to.
    /// </summary>
    public SourcePosition? Find(string key)
    {
        for (var path = key; path.Length > 0; path = Parent(path))
        {
            if (Keys.TryGetValue(path, out var position))
            {
                return position;
            }
        }

        return null;
    }

    private static string Parent(string path)
    {
        var colon = path.IndexOf(':', StringComparison.Ordinal);
        var cut = path.LastIndexOfAny(['.', '[']);
        return cut > colon ? path[..cut] : "";
    }
}
