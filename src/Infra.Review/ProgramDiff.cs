using Infra.StackConfig;
using System.Diagnostics;
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

    /// <summary>
    /// The program of a saved file, or of another git revision: that revision is checked out in a
    /// temporary worktree and its own compiler run, so the base reflects its code and its config.
    /// </summary>
    public static (string Program, string Label) LoadBase(string reference, string projectDirectory, string stack)
    {
        if (File.Exists(reference))
        {
            try
            {
                return (BoundedYaml.ReadText(reference), reference);
            }
            catch (YamlRefusedException e)
            {
                throw new ReviewArgumentException("--base", reference, e.Message);
            }
        }

        var verify = Git(projectDirectory, "rev-parse", "--verify", "--quiet", $"{reference}^{{commit}}");
        if (verify.Code != 0)
        {
            throw new ReviewArgumentException("--base", reference, "neither a saved program file nor a git revision of this repository");
        }

        var commit = verify.Out.Trim();
        var top = Git(projectDirectory, "rev-parse", "--show-toplevel").Out.Trim();
        var relative = Path.GetRelativePath(top, projectDirectory);
        var worktree = Path.Combine(Path.GetTempPath(), $"infra-diff-{commit[..12]}-{Environment.ProcessId}");
        var add = Git(projectDirectory, "worktree", "add", "--detach", "--force", worktree, commit);
        if (add.Code != 0)
        {
            throw new ReviewArgumentException("--base", reference, $"could not check the revision out: {add.Err.Trim()}");
        }

        try
        {
            var dir = Path.Combine(worktree, relative);
            var compiler = Path.Combine(dir, "infra", "pulumi-compiler");
            if (!File.Exists(compiler))
            {
                throw new ReviewArgumentException("--base", reference, "that revision has no infra/pulumi-compiler");
            }

            var run = Run(compiler, dir, ["--stack", stack, "--dir", dir]);
            return run.Code == 0
                ? (run.Out, $"{reference} ({commit[..12]})")
                : throw new ReviewArgumentException("--base", reference, $"its compiler failed for stack {stack}: {run.Err.Trim()}");
        }
        finally
        {
            Git(projectDirectory, "worktree", "remove", "--force", worktree);
        }
    }

    private static (int Code, string Out, string Err) Git(string directory, params string[] args) => Run("git", directory, args);

    private static (int Code, string Out, string Err) Run(string file, string directory, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("PULUMI_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        using var process = Process.Start(start)!;
        var err = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, err.Result);
    }
}
