using System.Text;
using Infra.StackConfig;

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

            var lead = item.Key is null ? "-" : $"{YamlScalars.PlainOrQuoted(item.Key)}:";
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
        DocScalar { IsQuoted: true } quoted => JsonText.Quoted(quoted.Text),
        DocScalar text => YamlScalars.PlainOrQuoted(text.Text),
        DocMap { Items.Count: 0 } => "{}",
        DocMap map => $"{{ {string.Join(", ", map.Items.Select(i => $"{YamlScalars.PlainOrQuoted(i.Key!)}: {Inline(i.Value!)}"))} }}",
        DocList list => $"[{string.Join(", ", list.Items.Select(i => Inline(i.Value!)))}]",
        _ => throw new ArgumentOutOfRangeException(nameof(node), node, "unknown stack file value"),
    };
}
