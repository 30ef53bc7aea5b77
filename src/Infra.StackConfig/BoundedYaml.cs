using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Infra.StackConfig;

/// <summary>A YAML text refused before it is loaded: too big, too deep, or aliases that expand without bound.</summary>
public sealed class YamlRefusedException(string message) : Exception(message);

/// <summary>
/// Loads YAML only after a scan of its events proves it small once expanded. YamlDotNet shares an
/// anchored node between its aliases, but every consumer here walks the tree (to JSON, to the
/// model), so nine nested aliases of nine items each ("billion laughs") would become gigabytes, a
/// recursive alias would never end, and deep nesting would overflow the stack. The scan counts each
/// alias as the size of what it names, without building anything.
/// </summary>
public static class BoundedYaml
{
    /// <summary>Far above any stack file or program this project writes (qas's program is about 50 KB).</summary>
    public const int MaxChars = 4 * 1024 * 1024;

    public const int MaxDepth = 64;

    /// <summary>Nodes after every alias is expanded.</summary>
    public const long MaxNodes = 200_000;

    public static YamlStream Load(string text)
    {
        if (text.Length > MaxChars)
        {
            throw new YamlRefusedException($"is {text.Length} characters; at most {MaxChars} are read");
        }

        Scan(text);
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream;
    }

    public static YamlStream LoadFile(string path) => Load(ReadText(path));

    /// <summary>A file's text, refused unread when it is larger than any YAML here may be.</summary>
    public static string ReadText(string path)
    {
        var info = new FileInfo(path);
        if (info.Exists && info.Length > MaxChars * 4L)
        {
            throw new YamlRefusedException($"is {info.Length} bytes; at most {MaxChars} characters are read");
        }

        return File.ReadAllText(path);
    }

    private static void Scan(string text)
    {
        var parser = new Parser(new StringReader(text));
        var open = new Stack<(string? Anchor, long Nodes)>();
        var anchored = new Dictionary<string, long>(StringComparer.Ordinal);
        var openAnchors = new HashSet<string>(StringComparer.Ordinal);

        void Add(long nodes)
        {
            if (open.Count == 0)
            {
                return;
            }

            var (anchor, count) = open.Pop();
            var total = Math.Min(count + nodes, MaxNodes + 1);
            if (total > MaxNodes)
            {
                throw new YamlRefusedException($"expands to more than {MaxNodes} nodes (aliases count as what they repeat)");
            }

            open.Push((anchor, total));
        }

        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case NodeEvent { } node when node is MappingStart or SequenceStart:
                    if (open.Count >= MaxDepth)
                    {
                        throw new YamlRefusedException($"nests deeper than {MaxDepth} levels (line {node.Start.Line})");
                    }

                    var anchor = node.Anchor.IsEmpty ? null : node.Anchor.Value;
                    if (anchor is not null)
                    {
                        openAnchors.Add(anchor);
                    }

                    open.Push((anchor, 1));
                    break;
                case MappingEnd or SequenceEnd:
                    var (closed, nodes) = open.Pop();
                    if (closed is not null)
                    {
                        openAnchors.Remove(closed);
                        anchored[closed] = nodes;
                    }

                    Add(nodes);
                    break;
                case Scalar scalar:
                    if (!scalar.Anchor.IsEmpty)
                    {
                        anchored[scalar.Anchor.Value] = 1;
                    }

                    Add(1);
                    break;
                case AnchorAlias alias:
                    if (openAnchors.Contains(alias.Value.Value))
                    {
                        throw new YamlRefusedException($"has an alias *{alias.Value.Value} inside the node it names (line {alias.Start.Line}): it never ends");
                    }

                    Add(anchored.TryGetValue(alias.Value.Value, out var size) ? size : 1);
                    break;
            }
        }
    }
}
