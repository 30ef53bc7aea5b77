namespace Infra.Review;

/// <summary>
/// A generated part of the README between `&lt;!-- NAME:start --&gt;` and `&lt;!-- NAME:end --&gt;`
/// (the qas diagram, the configuration reference), so a command can refresh it and a test can
/// tell when the copy is stale.
/// </summary>
public static class ReadmeSection
{
    public static string Start(string name) => $"<!-- {name}:start -->";

    public static string End(string name) => $"<!-- {name}:end -->";

    /// <summary>The README with the section's content replaced; <paramref name="value"/> names what is embedded in errors.</summary>
    public static string Replace(string readme, string name, string content, string value)
    {
        var (start, end) = (Start(name), End(name));
        var from = readme.IndexOf(start, StringComparison.Ordinal);
        var to = readme.IndexOf(end, StringComparison.Ordinal);
        if (from < 0 || to < from || readme.IndexOf(start, from + 1, StringComparison.Ordinal) >= 0 || readme.IndexOf(end, to + 1, StringComparison.Ordinal) >= 0)
        {
            throw new ReviewArgumentException(ReviewInput.UpdateReadme, value, $"the README needs exactly one {start} followed by one {end}");
        }

        // A marker inside the content (from a config value such as a description) would make the
        // next update cut the README at the wrong place, for good. Every marker opens with "<!--".
        if (content.Contains("<!--", StringComparison.Ordinal))
        {
            throw new ReviewArgumentException(ReviewInput.UpdateReadme, value, "the generated text would contain \"<!--\", which opens the README's markers, taken from a config value; remove it from the value");
        }

        return readme[..(from + start.Length)] + "\n" + content + readme[to..];
    }

    /// <summary>The section's content, or null when the README has no such section.</summary>
    public static string? Content(string readme, string name)
    {
        var (start, end) = (Start(name), End(name));
        var from = readme.IndexOf(start, StringComparison.Ordinal);
        var to = readme.IndexOf(end, StringComparison.Ordinal);
        return from < 0 || to < from ? null : readme[(from + start.Length)..to].TrimStart('\n');
    }
}
