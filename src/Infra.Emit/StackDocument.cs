namespace Infra.Emit;

/// <summary>
/// A stack file as a tree, for the files the tool writes (discover's): mappings and lists in the
/// order they were built, each value with its own comment, and comment lines standing among them
/// where something was left out. <see cref="YamlWriter.WriteStackFile"/> renders it, quoting keys and
/// values by one rule; discover checks its keys against the key declarations before writing.
/// </summary>
public abstract class DocNode;

/// <summary>A scalar: text quoted where YAML would read it as something else, or a number or boolean.</summary>
public sealed class DocScalar : DocNode
{
    private DocScalar(string text, bool plain, bool quoted)
    {
        Text = text;
        IsPlain = plain;
        IsQuoted = quoted;
    }

    public string Text { get; }

    /// <summary>A number or a boolean: written as it is.</summary>
    public bool IsPlain { get; }

    /// <summary>Text always written in quotes (a version, which reads as a number when plain).</summary>
    public bool IsQuoted { get; }

    public static DocScalar Of(string text) => new(text, false, false);

    public static DocScalar Quoted(string text) => new(text, false, true);

    public static DocScalar Of(int number) => new(number.ToString(System.Globalization.CultureInfo.InvariantCulture), true, false);

    public static DocScalar Of(bool value) => new(value ? "true" : "false", true, false);

    public static implicit operator DocScalar(string text) => Of(text);
}

/// <summary>An item of a mapping or list: a value under a key (none in a list) with its comment, or a comment line alone.</summary>
public sealed record DocItem(string? Key, DocNode? Value, string? Comment);

/// <summary>What mappings and lists share: their items in order, and whether they are written on one line.</summary>
public abstract class DocContainer : DocNode
{
    private readonly List<DocItem> items = [];

    private protected DocContainer(bool flow) => Flow = flow;

    /// <summary>Written on one line ({ a: 1 } or [a, b]), else one item per line.</summary>
    public bool Flow { get; }

    public IReadOnlyList<DocItem> Items => items;

    /// <summary>A comment on a line of its own, among the items (a block container's only).</summary>
    public void Comment(string text)
    {
        if (Flow)
        {
            throw new InvalidOperationException("a comment line cannot stand inside a one-line mapping or list");
        }

        items.Add(new DocItem(null, null, text));
    }

    private protected void RemoveItems(Predicate<DocItem> match) => items.RemoveAll(match);

    private protected T AddItem<T>(string? key, T value, string? comment)
        where T : DocNode
    {
        if (Flow && (comment is not null || value is DocContainer { Flow: false }))
        {
            throw new InvalidOperationException("a one-line mapping or list holds one-line values without comments");
        }

        items.Add(new DocItem(key, value, comment));
        return value;
    }
}

public sealed class DocMap(bool flow = false) : DocContainer(flow)
{
    /// <summary>Adds <paramref name="value"/> under <paramref name="key"/>; returns it (a mapping or list to fill).</summary>
    public T Add<T>(string key, T value, string? comment = null)
        where T : DocNode => AddItem(key, value, comment);

    public DocScalar Add(string key, DocScalar value, string? comment = null) => Add<DocScalar>(key, value, comment);

    /// <summary>A mapping under <paramref name="key"/>, to fill.</summary>
    public DocMap Map(string key, string? comment = null, bool flow = false) => Add(key, new DocMap(flow), comment);

    /// <summary>A list under <paramref name="key"/>, to fill.</summary>
    public DocList List(string key, string? comment = null, bool flow = false) => Add(key, new DocList(flow), comment);

    /// <summary>A one-line list of <paramref name="items"/> under <paramref name="key"/>.</summary>
    public DocList List(string key, IEnumerable<string> items)
    {
        var list = List(key, flow: true);
        foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    /// <summary>Takes the value under <paramref name="key"/> out again (one left empty after all).</summary>
    public void Remove(string key) => RemoveItems(i => i.Key == key);
}

public sealed class DocList(bool flow = false) : DocContainer(flow)
{
    public T Add<T>(T value, string? comment = null)
        where T : DocNode => AddItem(null, value, comment);

    public DocScalar Add(DocScalar value, string? comment = null) => Add<DocScalar>(value, comment);
}

/// <summary>A whole stack file: comment lines at the top, then the `config:` mapping.</summary>
public sealed class StackDocument
{
    /// <summary>Lines written as comments before `config:`.</summary>
    public List<string> Header { get; } = [];

    public DocMap Config { get; } = new();
}
