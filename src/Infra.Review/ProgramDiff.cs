namespace Infra.Review;

public sealed record PropertyChange(string Path, string? Old, string? New);

public sealed record ResourceChange(string Kind, string Name, string Type, IReadOnlyList<PropertyChange> Changes);

public sealed record DiffResult(string Base, string Head, bool HasChanges, int Added, int Removed, int Changed, IReadOnlyList<ResourceChange> Resources);

/// <summary>
/// `infra diff`: what changes between two programs: resources (and variables and outputs) added,
/// removed and changed, with the property paths that change and their old and new values.
/// </summary>
public static class ProgramDiff
{
    public static DiffResult Compare(ProgramSnapshot old, ProgramSnapshot @new, string baseLabel, string headLabel)
    {
        var changes = new List<ResourceChange>();
        var oldByName = old.Resources.ToDictionary(r => r.Name, StringComparer.Ordinal);
        var newByName = @new.Resources.ToDictionary(r => r.Name, StringComparer.Ordinal);
        foreach (var name in oldByName.Keys.Union(newByName.Keys).Order(StringComparer.Ordinal))
        {
            oldByName.TryGetValue(name, out var before);
            newByName.TryGetValue(name, out var after);
            if (before is null)
            {
                changes.Add(new ResourceChange("added", name, after!.Type, Properties(null, after.Properties)));
            }
            else if (after is null)
            {
                changes.Add(new ResourceChange("removed", name, before.Type, Properties(before.Properties, null)));
            }
            else
            {
                var properties = Properties(before.Properties, after.Properties);
                if (before.Type != after.Type)
                {
                    properties = [new PropertyChange("(type)", before.Type, after.Type), .. properties];
                }

                if (properties.Count > 0)
                {
                    changes.Add(new ResourceChange("changed", name, after.Type, properties));
                }
            }
        }

        AddSection(changes, "variable", old.Variables, @new.Variables);
        AddSection(changes, "output", old.Outputs, @new.Outputs);
        return new DiffResult(baseLabel, headLabel, changes.Count > 0,
            changes.Count(c => c.Kind == "added"), changes.Count(c => c.Kind == "removed"), changes.Count(c => c.Kind == "changed"), changes);
    }

    private static void AddSection(List<ResourceChange> changes, string kind, IReadOnlyDictionary<string, string> old, IReadOnlyDictionary<string, string> @new)
    {
        static string Root(string path) => path.Split('.', '[')[0];
        var roots = old.Keys.Select(Root).Union(@new.Keys.Select(Root)).Order(StringComparer.Ordinal);
        foreach (var root in roots)
        {
            var before = old.Where(kv => Root(kv.Key) == root).ToDictionary();
            var after = @new.Where(kv => Root(kv.Key) == root).ToDictionary();
            var properties = Properties(before.Count == 0 ? null : before, after.Count == 0 ? null : after);
            if (properties.Count > 0)
            {
                var verb = before.Count == 0 ? "added" : after.Count == 0 ? "removed" : "changed";
                changes.Add(new ResourceChange(verb, root, $"({kind})", properties));
            }
        }
    }

    private static List<PropertyChange> Properties(IReadOnlyDictionary<string, string>? old, IReadOnlyDictionary<string, string>? @new)
    {
        var keys = (old?.Keys ?? []).Union(@new?.Keys ?? []).Order(StringComparer.Ordinal);
        var result = new List<PropertyChange>();
        foreach (var key in keys)
        {
            string? before = null, after = null;
            old?.TryGetValue(key, out before);
            @new?.TryGetValue(key, out after);
            if (before != after)
            {
                result.Add(new PropertyChange(key, before, after));
            }
        }

        return result;
    }

    public static Report ToReport(DiffResult diff)
    {
        var blocks = new List<Block>
        {
            new Paragraph(diff.HasChanges
                ? $"{diff.Added} added, {diff.Removed} removed, {diff.Changed} changed ({diff.Base} -> {diff.Head})."
                : $"No changes ({diff.Base} -> {diff.Head})."),
        };
        foreach (var change in diff.Resources)
        {
            var sign = change.Kind switch { "added" => "+", "removed" => "-", _ => "~" };
            blocks.Add(new Heading($"{sign} {change.Name} ({change.Type}) {change.Kind}"));
            blocks.Add(new TableBlock(["property", "old", "new"], change.Changes.Select(p => (IReadOnlyList<string>)[p.Path, p.Old ?? "", p.New ?? ""]).ToList()));
        }

        return new Report("diff of the planned program", blocks, diff);
    }
}
