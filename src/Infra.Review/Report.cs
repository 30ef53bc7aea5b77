using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Infra.Review;

public enum OutputFormat
{
    Text,
    Markdown,
    Json,
}

/// <summary>A piece of a report: how each command says what it found, whatever the format.</summary>
public abstract record Block;

public sealed record Heading(string Text) : Block;

public sealed record Paragraph(string Text) : Block;

public sealed record Bullets(IReadOnlyList<string> Items) : Block;

public sealed record TableBlock(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows) : Block;

public sealed record TreeNode(string Label, IReadOnlyList<TreeNode> Children);

public sealed record TreeBlock(TreeNode Root) : Block;

/// <summary>Verbatim text (a Mermaid diagram): fenced in Markdown, as is in text.</summary>
public sealed record CodeBlock(string Language, string Code) : Block;

/// <summary>
/// A command's result: blocks for people (text, Markdown) and a data object for scripts (JSON).
/// The JSON is serialised from records, so its shape is the records' and stays stable.
/// </summary>
public sealed record Report(string Title, IReadOnlyList<Block> Blocks, object Data)
{
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public string Render(OutputFormat format, TextLayout? layout = null) => format switch
    {
        OutputFormat.Json => ToJson(Data),
        OutputFormat.Markdown => RenderMarkdown(),
        _ => RenderText(layout ?? TextLayout.Default),
    };

    /// <summary>A count as reports show it to people: thousands grouped, the same in every culture (JSON keeps plain numbers).</summary>
    public static string Number(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    public static string ToJson(object data) => JsonSerializer.Serialize(data, JsonOptions).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";

    private string RenderMarkdown()
    {
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"## {Title}\n\n");
        foreach (var block in Blocks)
        {
            switch (block)
            {
                case Heading h:
                    md.Append(CultureInfo.InvariantCulture, $"### {h.Text}\n\n");
                    break;
                case Paragraph p:
                    md.Append(CultureInfo.InvariantCulture, $"{p.Text}\n\n");
                    break;
                case Bullets b:
                    foreach (var item in b.Items)
                    {
                        md.Append(CultureInfo.InvariantCulture, $"- {item}\n");
                    }

                    md.Append('\n');
                    break;
                case TableBlock t:
                    md.Append("| ").Append(string.Join(" | ", t.Columns.Select(Cell))).Append(" |\n");
                    md.Append('|').Append(string.Concat(t.Columns.Select(_ => " --- |"))).Append('\n');
                    foreach (var row in t.Rows)
                    {
                        md.Append("| ").Append(string.Join(" | ", row.Select(Cell))).Append(" |\n");
                    }

                    md.Append('\n');
                    break;
                case TreeBlock tree:
                    AppendTree(md, tree.Root, 0);
                    md.Append('\n');
                    break;
                case CodeBlock code:
                    md.Append(CultureInfo.InvariantCulture, $"```{code.Language}\n{code.Code.TrimEnd('\n')}\n```\n\n");
                    break;
            }
        }

        return md.ToString().TrimEnd('\n') + "\n";
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", "<br>", StringComparison.Ordinal);

    private static void AppendTree(StringBuilder md, TreeNode node, int depth)
    {
        md.Append(' ', depth * 2).Append("- ").Append(node.Label).Append('\n');
        foreach (var child in node.Children)
        {
            AppendTree(md, child, depth + 1);
        }
    }

    private string RenderText(TextLayout layout)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = layout.Width;
        console.Write(new Rule(Markup.Escape(Title)) { Justification = Justify.Left, Border = layout.Unicode ? BoxBorder.Square : BoxBorder.Ascii });
        foreach (var block in Blocks)
        {
            console.Write(ToRenderable(block, layout));
            console.WriteLine();
        }

        // Trailing spaces depend on column padding; strip them so output is the same everywhere.
        return string.Join('\n', writer.ToString().Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(l => l.TrimEnd())).TrimEnd('\n') + "\n";
    }

    private static IRenderable ToRenderable(Block block, TextLayout layout)
    {
        switch (block)
        {
            case Heading h:
                return new Markup($"\n{Markup.Escape(h.Text)}");
            case Paragraph p:
                return new Text(p.Text);
            case Bullets b:
                return new Text(string.Join('\n', b.Items.Select(i => $"  * {i}")));
            case TableBlock t:
                var table = new Table { Border = layout.Unicode ? TableBorder.Rounded : TableBorder.Ascii };
                foreach (var column in t.Columns)
                {
                    table.AddColumn(new TableColumn(Markup.Escape(column)));
                }

                foreach (var row in t.Rows)
                {
                    table.AddRow(row.Select(c => (IRenderable)new Text(c)).ToArray());
                }

                return table;
            case TreeBlock tree:
                var root = new Tree(Markup.Escape(tree.Root.Label)) { Guide = layout.Unicode ? TreeGuide.Line : TreeGuide.Ascii };
                AddChildren(root, tree.Root.Children);
                return root;
            case CodeBlock code:
                return new Text(code.Code.TrimEnd('\n'));
            default:
                throw new ArgumentOutOfRangeException(nameof(block));
        }
    }

    private static void AddChildren(IHasTreeNodes parent, IReadOnlyList<TreeNode> children)
    {
        foreach (var child in children)
        {
            var node = parent.AddNode(Markup.Escape(child.Label));
            AddChildren(node, child.Children);
        }
    }
}

/// <summary>How text output is laid out: the width to fill, and whether box-drawing characters may be used.</summary>
public sealed record TextLayout(int Width, bool Unicode)
{
    /// <summary>What library callers get: wide and plain, the same on every machine.</summary>
    public static TextLayout Default { get; } = new(120, false);
}
