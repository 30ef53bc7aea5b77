using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
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
public sealed record Report(string Title, IReadOnlyList<Block> Blocks, ReportData Data)
{
    /// <summary>
    /// How every report's data is written: indented, camelCase, nulls left out, enums as kebab-case
    /// names, text unescaped. A new instance each call: options are bound to the one generated
    /// context that takes them (ReviewJson here, DriftJson in discovery), with that context's enums.
    /// </summary>
    public static JsonSerializerOptions JsonOptions(params IEnumerable<JsonConverter> enumConverters)
    {
        var options = new JsonSerializerOptions
        {
            WriteIndented = true,
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        foreach (var converter in enumConverters)
        {
            options.Converters.Add(converter);
        }

        return options;
    }

    /// <summary>An enum written by its kebab-case name ("known-at-preview"), as every report writes enums.</summary>
    public static JsonConverter KebabCase<TEnum>()
        where TEnum : struct, Enum => new JsonStringEnumConverter<TEnum>(JsonNamingPolicy.KebabCaseLower);

    public string Render(OutputFormat format, TextLayout? layout = null) => format switch
    {
        OutputFormat.Json => ToJson(Data),
        OutputFormat.Markdown => RenderMarkdown(),
        _ => RenderText(layout ?? TextLayout.Default),
    };

    /// <summary>A count as reports show it to people: thousands grouped, the same in every culture (JSON keeps plain numbers).</summary>
    public static string Number(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    public static string ToJson(ReportData data) => Lines(data.Json());

    /// <summary>A JSON document built as nodes (the config schema, SARIF), written as report data is.</summary>
    public static string ToJson(JsonNode document) => Lines(document.ToJsonString(NodeOptions));

    private static readonly JsonSerializerOptions NodeOptions = JsonOptions();

    private static string Lines(string json) => json.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";

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

    /// <summary>
    /// Text at the layout's width, wrapped between words only: a file:line, an id, a CIDR or a
    /// ${...} reference is never cut (a single word wider than the page stands on its own line).
    /// Prose is wrapped here; tables and trees are drawn by Spectre.Console into the same writer.
    /// </summary>
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
            switch (block)
            {
                case Heading h:
                    writer.Write($"\n{Wrap(h.Text, layout.Width, "", "")}\n");
                    break;
                case Paragraph p:
                    writer.Write($"{Wrap(p.Text, layout.Width, "", "")}\n");
                    break;
                case Bullets b:
                    writer.Write(string.Concat(b.Items.Select(i => $"{Wrap(i, layout.Width, "  * ", "    ")}\n")));
                    break;
                case CodeBlock code:
                    writer.Write($"{code.Code.TrimEnd('\n')}\n");
                    break;
                case TableBlock t when TextTable(t, layout) is { } table:
                    console.Write(table);
                    break;
                case TableBlock t:
                    writer.Write(Records(t, layout.Width));
                    break;
                case TreeBlock tree:
                    var root = new Tree(Markup.Escape(tree.Root.Label)) { Guide = layout.Unicode ? TreeGuide.Line : TreeGuide.Ascii };
                    AddChildren(root, tree.Root.Children);
                    console.Write(root);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(layout), block, "a block the text renderer does not know");
            }

            writer.Write('\n');
        }

        // Trailing spaces depend on column padding; strip them so output is the same everywhere.
        return string.Join('\n', writer.ToString().Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(l => l.TrimEnd())).TrimEnd('\n') + "\n";
    }

    /// <summary>
    /// Prose wrapped between words at <paramref name="width"/>: the first line starts with
    /// <paramref name="first"/>, the others with <paramref name="rest"/>; a word is never cut.
    /// </summary>
    public static string Wrap(string text, int width, string first, string rest)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Split('\n'))
        {
            var line = new StringBuilder(lines.Count == 0 ? first : rest);
            var empty = line.Length;
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (line.Length > empty && line.Length + 1 + word.Length > width)
                {
                    lines.Add(line.ToString());
                    line.Clear().Append(rest);
                    empty = line.Length;
                }

                line.Append(line.Length > empty ? " " : "").Append(word);
            }

            lines.Add(line.ToString());
        }

        return string.Join('\n', lines);
    }

    /// <summary>
    /// A table too wide for the page, as one record per row ("column: value", wrapped between
    /// words), so that no value is cut.
    /// </summary>
    private static string Records(TableBlock t, int width)
    {
        var text = new StringBuilder();
        foreach (var row in t.Rows)
        {
            for (var c = 0; c < t.Columns.Count; c++)
            {
                var value = c < row.Count ? row[c] : "";
                text.Append(Wrap(value, width, c == 0 ? $"- {t.Columns[c]}: " : $"  {t.Columns[c]}: ", "    ")).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// A table whose cells wrap between words only: a CIDR, an id or an instance type is never cut
    /// (and no header is cropped with an ellipsis, which plain ASCII output must not contain). Each
    /// column gets at least its longest word and a share of the rest of the width by how much more
    /// it would use; null when even the longest words do not fit side by side.
    /// </summary>
    private static Table? TextTable(TableBlock t, TextLayout layout)
    {
        var table = new Table { Border = layout.Unicode ? TableBorder.Rounded : TableBorder.Ascii };
        var columns = t.Columns.Count;
        static IEnumerable<string> Words(string text) => text.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        var cells = Enumerable.Range(0, columns).Select(c => t.Rows.Select(r => c < r.Count ? r[c] : "").Prepend(t.Columns[c]).ToList()).ToList();
        // Headers count when there is room; otherwise only the values must stay whole (a header then breaks inside a word).
        var leastWithHeaders = cells.Select(col => col.SelectMany(Words).Select(w => w.Length).DefaultIfEmpty(1).Max()).ToList();
        var leastValues = cells.Select(col => col.Skip(1).SelectMany(Words).Select(w => w.Length).Append(3).Max()).ToList();
        var most = cells.Select(col => col.SelectMany(c => c.Split('\n')).Select(l => l.Length).DefaultIfEmpty(1).Max()).ToList();
        var available = layout.Width - (3 * columns) - 1;
        var least = leastWithHeaders.Sum() <= available ? leastWithHeaders : leastValues;
        if (least.Sum() > available)
        {
            // Even the longest words do not fit side by side: the caller writes records instead.
            return null;
        }

        var spare = available - least.Sum();
        var wants = most.Zip(least, (m, l) => Math.Max(0, m - l)).ToList();
        var wanted = wants.Sum();
        var widths = least.Select((l, i) => Math.Min(most[i], l + (wanted == 0 ? 0 : (int)((long)spare * wants[i] / wanted)))).ToList();
        for (var c = 0; c < columns; c++)
        {
            table.AddColumn(new TableColumn(Markup.Escape(WrapWords(t.Columns[c], widths[c]))) { Width = widths[c], NoWrap = true });
        }

        foreach (var row in t.Rows)
        {
            table.AddRow(row.Select((c, i) => (IRenderable)new Text(WrapWords(c, widths[i]))).ToArray());
        }

        return table;
    }

    /// <summary>Text broken into lines of at most <paramref name="width"/> characters, between words only.</summary>
    private static string WrapWords(string text, int width)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Split('\n'))
        {
            var line = new StringBuilder();
            foreach (var whole in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                // Only a header can hold a word longer than its column (values set the width): cut it, without an ellipsis.
                var word = whole;
                while (word.Length > width)
                {
                    if (line.Length > 0)
                    {
                        lines.Add(line.ToString());
                        line.Clear();
                    }

                    lines.Add(word[..width]);
                    word = word[width..];
                }

                if (line.Length > 0 && line.Length + 1 + word.Length > width)
                {
                    lines.Add(line.ToString());
                    line.Clear();
                }

                line.Append(line.Length > 0 ? " " : "").Append(word);
            }

            lines.Add(line.ToString());
        }

        return string.Join('\n', lines);
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
    /// <summary>What library callers get: 80 columns and plain, the same on every machine.</summary>
    public static TextLayout Default { get; } = new(80, false);
}

/// <summary>
/// A report's data object with the metadata its JSON is written by, generated at build time (the
/// compiler runs Native AOT, where reflection-based serialisation is off).
/// </summary>
public sealed class ReportData
{
    private readonly Func<string> _json;

    private ReportData(Func<string> json) => _json = json;

    public static ReportData Of<T>(T value, JsonTypeInfo<T> type) => new(() => JsonSerializer.Serialize(value, type));

    internal string Json() => _json();
}
