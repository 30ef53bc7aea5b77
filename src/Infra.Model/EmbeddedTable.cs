namespace Infra.Model;

/// <summary>
/// The comma-separated tables Infra.Model embeds (instance architectures, the version catalogue):
/// blank lines and '#' comments skipped, the first line a header that must name the expected
/// columns, the last column taking any further commas (a source may hold them).
/// </summary>
public static class EmbeddedTable
{
    /// <summary>An embedded file of this assembly, by its logical name.</summary>
    public static TextReader Open(string file) =>
        new StreamReader(typeof(EmbeddedTable).Assembly.GetManifestResourceStream(file)
            ?? throw new InvalidOperationException($"{file} is not embedded in Infra.Model"));

    /// <summary>The rows after the header, each with at most <paramref name="columns"/>' count of cells.</summary>
    public static List<string[]> Rows(TextReader reader, string name, IReadOnlyList<string> columns)
    {
        var rows = new List<string[]>();
        var header = true;
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var cells = line.Split(',', columns.Count);
            if (header)
            {
                header = false;
                if (!cells.SequenceEqual(columns))
                {
                    throw new FormatException($"{name} starts with '{line}', not '{string.Join(",", columns)}'");
                }

                continue;
            }

            rows.Add(cells);
        }

        return rows;
    }
}
