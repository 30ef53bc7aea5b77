using System.Text;
using System.Text.Json;

namespace Infra.Emit;

/// <summary>The stack files the tool writes (discover's), by the same quoting rule as its keys and values alike.</summary>
public static partial class YamlWriter
{
    /// <summary>
    /// The stack file as YAML: block mappings and lists indented by two, one-line ones as
    /// `{ key: value }` and `[a, b]`, comments after their value or on lines of their own.
    /// </summary>
    public static string WriteStackFile(StackDocument document)
    {
        var text = new StringBuilder();
        foreach (var line in document.Header)
        {
            text.Append(line.Length == 0 ? "#\n" : $"# {line}\n");
        }

        text.Append("config:\n");
        WriteItems(text, document.Config, 2);
        return text.ToString();
    }

    /// <summary>More entries of a stack file's `config:` mapping, to follow a written file.</summary>
    public static string WriteStackFileEntries(DocMap config)
    {
        var text = new StringBuilder();
        WriteItems(text, config, 2);
        return text.ToString();
    }

    /// <summary>
    /// A key or a text value: plain where every YAML reader takes it back as the same string,
    /// double-quoted otherwise (JSON's escapes are YAML's). A colon is plain only between letters or
    /// digits (`aws:region`), where no reader takes it for a mapping.
    /// </summary>
    public static string PlainOrQuoted(string text) => IsPlainText(text) ? text : JsonSerializer.Serialize(text);

    private static bool IsPlainText(string text)
    {
        if (text.Length == 0 || char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]) || text.StartsWith("- ", StringComparison.Ordinal) || NeedsQuotes(text))
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var plain = char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ' ' or '(' or ')'
                || (c == ':' && i > 0 && i < text.Length - 1 && char.IsAsciiLetterOrDigit(text[i - 1]) && char.IsAsciiLetterOrDigit(text[i + 1]));
            if (!plain)
            {
                return false;
            }
        }

        return true;
    }

    private static void WriteItems(StringBuilder text, DocContainer container, int indent)
    {
        var pad = new string(' ', indent);
        foreach (var item in container.Items)
        {
            if (item.Value is null)
            {
                text.Append(pad).Append("# ").Append(item.Comment).Append('\n');
                continue;
            }

            var lead = item.Key is null ? "-" : $"{PlainOrQuoted(item.Key)}:";
            var comment = item.Comment is null ? "" : $" # {item.Comment}";
            if (item.Value is DocContainer { Flow: false } block)
            {
                if (item.Key is null)
                {
                    throw new NotSupportedException("a stack file's list items are one-line values");
                }

                // A block mapping or list with nothing but comment lines would read as null: it is written empty.
                var empty = block.Items.All(i => i.Value is null) ? block is DocMap ? " {}" : " []" : "";
                text.Append(pad).Append(lead).Append(empty).Append(comment).Append('\n');
                WriteItems(text, block, indent + 2);
                continue;
            }

            text.Append(pad).Append(lead).Append(' ').Append(Inline(item.Value)).Append(comment).Append('\n');
        }
    }

    private static string Inline(DocNode node) => node switch
    {
        DocScalar { IsPlain: true } plain => plain.Text,
        DocScalar { IsQuoted: true } quoted => JsonSerializer.Serialize(quoted.Text),
        DocScalar text => PlainOrQuoted(text.Text),
        DocMap { Items.Count: 0 } => "{}",
        DocMap map => $"{{ {string.Join(", ", map.Items.Select(i => $"{PlainOrQuoted(i.Key!)}: {Inline(i.Value!)}"))} }}",
        DocList list => $"[{string.Join(", ", list.Items.Select(i => Inline(i.Value!)))}]",
        _ => throw new ArgumentOutOfRangeException(nameof(node), node, "unknown stack file value"),
    };
}
