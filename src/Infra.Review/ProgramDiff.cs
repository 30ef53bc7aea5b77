using Infra.Emit;

namespace Infra.Review;

public sealed record PropertyChange(string Path, string? Old, string? New);

/// <summary>Why a resource is replaced: the property and the rule or reference that forces it.</summary>
public sealed record ReplaceReason(string Path, string Why);

/// <param name="Action">create, update, replace or delete (for variables and outputs: create, update, delete).</param>
/// <param name="Stateful">Replacing or deleting it loses what runs on or in it.</param>
/// <param name="Protected">The base program protects it: Pulumi refuses to replace or delete it until protection is lifted.</param>
public sealed record ResourceChange(string Action, string Name, string Type, IReadOnlyList<PropertyChange> Changes, IReadOnlyList<ReplaceReason> ReplaceReasons, bool Stateful = false, bool Protected = false)
{
    /// <summary>What the change means for a later `pulumi destroy` or removal, in words (see <see cref="ProgramDiff.Consequences"/>).</summary>
    public IReadOnlyList<string> Notes => ProgramDiff.Consequences(this);
}

/// <summary>A provider plugin version that changes for every resource of its package: shown once.</summary>
public sealed record ProviderUpgrade(string Package, string From, string To, int Resources);

public sealed record DiffResult(string Base, string Head, bool HasChanges, int Created, int Updated, int Replaced, int Deleted, IReadOnlyList<ProviderUpgrade> ProviderUpgrades, IReadOnlyList<ResourceChange> Resources)
{
    public bool HasReplacements => Replaced > 0;
}

/// <summary>
/// `infra diff`: what `pulumi up` would do to get from one program to another, per resource:
/// create, update, replace (with the property that forces it, from <see cref="Replacements"/>, and
/// the replacements it causes through references) or delete; provider upgrades once.
/// </summary>
public static class ProgramDiff
{
    private const string VersionOption = "(options).version";

    public static DiffResult Compare(ProgramSnapshot old, ProgramSnapshot @new, string baseLabel, string headLabel)
    {
        var oldByName = old.Resources.ToDictionary(r => r.Name, StringComparer.Ordinal);
        var newByName = @new.Resources.ToDictionary(r => r.Name, StringComparer.Ordinal);
        var upgrades = ProviderUpgrades(oldByName, newByName);
        var changes = new Dictionary<string, ResourceChange>(StringComparer.Ordinal);
        foreach (var name in oldByName.Keys.Union(newByName.Keys).Order(StringComparer.Ordinal))
        {
            oldByName.TryGetValue(name, out var before);
            newByName.TryGetValue(name, out var after);
            if (before is null)
            {
                changes[name] = new ResourceChange("create", name, after!.Type, Properties(null, Without(after.Properties, VersionOption)), [], IsStateful(after.Type));
            }
            else if (after is null)
            {
                changes[name] = new ResourceChange("delete", name, before.Type, Properties(Without(before.Properties, VersionOption), null), [], IsStateful(before.Type), IsProtected(before));
            }
            else
            {
                var upgraded = upgrades.Any(u => before[VersionOption] == u.From && after[VersionOption] == u.To && PackageOf(after.Type) == u.Package);
                var properties = Properties(upgraded ? Without(before.Properties, VersionOption) : before.Properties, upgraded ? Without(after.Properties, VersionOption) : after.Properties);
                var reasons = before.Type != after.Type
                    ? [new ReplaceReason("(type)", $"the type changes from {before.Type}")]
                    : ForcedBy(after.Type, properties);
                if (before.Type != after.Type)
                {
                    properties = [new PropertyChange("(type)", before.Type, after.Type), .. properties];
                }

                if (properties.Count > 0)
                {
                    changes[name] = new ResourceChange(reasons.Count > 0 ? "replace" : "update", name, after.Type, properties, reasons, IsStateful(after.Type), IsProtected(before));
                }
            }
        }

        Cascade(changes, oldByName, newByName);
        var list = changes.Values.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        AddSection(list, "variable", old.Variables, @new.Variables);
        AddSection(list, "output", old.Outputs, @new.Outputs);
        return new DiffResult(baseLabel, headLabel, list.Count > 0 || upgrades.Count > 0,
            list.Count(c => c.Action == "create"), list.Count(c => c.Action == "update"), list.Count(c => c.Action == "replace"), list.Count(c => c.Action == "delete"), upgrades, list);
    }

    /// <summary>
    /// A replaced resource gets a new id: a resource whose replace-forcing input refers to it is
    /// replaced too (a subnet of a replaced VPC), one that refers to it elsewhere is updated, and
    /// every resource of a replaced provider is replaced.
    /// </summary>
    private static void Cascade(Dictionary<string, ResourceChange> changes, Dictionary<string, SnapshotResource> oldByName, Dictionary<string, SnapshotResource> newByName)
    {
        bool grew;
        do
        {
            grew = false;
            var replaced = changes.Values.Where(c => c.Action == "replace").Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var (name, after) in newByName)
            {
                if (!oldByName.ContainsKey(name) || changes.TryGetValue(name, out var existing) && existing.Action == "replace")
                {
                    continue;
                }

                var rule = Replacements.ByType.GetValueOrDefault(after.Type);
                var reasons = new List<ReplaceReason>();
                var updates = new List<PropertyChange>();
                foreach (var (path, value) in after.Properties)
                {
                    foreach (var target in replaced.Where(r => r != name && RefersTo(value, r)))
                    {
                        if (path == "(options).provider")
                        {
                            reasons.Add(new ReplaceReason(path, $"its provider {target} is replaced"));
                        }
                        else if (rule is not null && rule.Forcing.Any(f => Replacements.Covers(f, path)))
                        {
                            reasons.Add(new ReplaceReason(path, $"refers to {target}, which is replaced"));
                        }
                        else if (!path.StartsWith("(options)", StringComparison.Ordinal))
                        {
                            updates.Add(new PropertyChange(path, value, $"{value} (new value once {target} is replaced)"));
                        }
                    }
                }

                if (reasons.Count == 0 && updates.Count == 0)
                {
                    continue;
                }

                var known = changes.TryGetValue(name, out var change) ? change.Changes : [];
                var merged = known.Concat(updates.Where(u => known.All(k => k.Path != u.Path))).ToList();
                var next = new ResourceChange(reasons.Count > 0 ? "replace" : "update", name, after.Type, merged, [.. change?.ReplaceReasons ?? [], .. reasons], IsStateful(after.Type), IsProtected(oldByName[name]));
                if (change is null || next.Action != change.Action || next.Changes.Count != change.Changes.Count)
                {
                    changes[name] = next;
                    grew = true;
                }
            }
        }
        while (grew);
    }

    private static bool RefersTo(string value, string name) =>
        value.Contains($"${{{name}}}", StringComparison.Ordinal) || value.Contains($"${{{name}.", StringComparison.Ordinal) || value.Contains($"${{{name}[", StringComparison.Ordinal);

    private static List<ReplaceReason> ForcedBy(string type, IReadOnlyList<PropertyChange> properties)
    {
        if (!Replacements.ByType.TryGetValue(type, out var rule))
        {
            return [];
        }

        var reasons = new List<ReplaceReason>();
        foreach (var change in properties)
        {
            if (rule.Forcing.FirstOrDefault(f => Replacements.Covers(f, change.Path)) is { } forcing)
            {
                reasons.Add(new ReplaceReason(change.Path, $"{forcing} cannot change in place ({rule.Source})"));
            }
            else if ((change.Old is null) != (change.New is null) && rule.ForcingWhenAddedOrRemoved.FirstOrDefault(f => Replacements.Covers(f, change.Path)) is { } flip)
            {
                reasons.Add(new ReplaceReason(change.Path, $"{flip} {(change.Old is null ? "appears" : "goes")}, which replaces the resource ({rule.Source})"));
            }
        }

        return reasons;
    }

    /// <summary>A plugin version that moves from one value to another for resources of a package, counted once.</summary>
    private static List<ProviderUpgrade> ProviderUpgrades(Dictionary<string, SnapshotResource> old, Dictionary<string, SnapshotResource> @new) =>
        [.. old.Keys.Intersect(@new.Keys)
            .Select(n => (Package: PackageOf(@new[n].Type), From: old[n][VersionOption], To: @new[n][VersionOption]))
            .Where(v => v.From is not null && v.To is not null && v.From != v.To)
            .GroupBy(v => (v.Package, v.From, v.To))
            .OrderBy(g => g.Key.Package, StringComparer.Ordinal)
            .Select(g => new ProviderUpgrade(g.Key.Package, g.Key.From!, g.Key.To!, g.Count()))];

    private static string PackageOf(string type) => ResourceTypes.Find(type)?.Package.Name ?? type.Split(':')[type.StartsWith("pulumi:providers:", StringComparison.Ordinal) ? 2 : 0];

    /// <summary>What the program protects is what a replacement loses (ResourceType.Protected).</summary>
    private static bool IsStateful(string type) => ResourceTypes.Find(type)?.Protected == true;

    private static bool IsProtected(SnapshotResource resource) => resource["(options).protect"] == "true";

    private static IReadOnlyDictionary<string, string> Without(IReadOnlyDictionary<string, string> properties, string key) =>
        properties.Where(kv => kv.Key != key).ToDictionary(StringComparer.Ordinal);

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
                var action = before.Count == 0 ? "create" : after.Count == 0 ? "delete" : "update";
                changes.Add(new ResourceChange(action, root, $"({kind})", properties, []));
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

    /// <summary>
    /// What lifting or adding a guard does to teardown, said where the option changes: a reviewer
    /// unprotecting a stack must see that the gateway interfaces will then go with it.
    /// </summary>
    public static IReadOnlyList<string> Consequences(ResourceChange change)
    {
        var notes = new List<string>();
        string? Old(string path) => change.Changes.FirstOrDefault(c => c.Path == path)?.Old;
        string? New(string path) => change.Changes.FirstOrDefault(c => c.Path == path)?.New;
        bool Lifted(string path) => change.Changes.Any(c => c.Path == path) && Old(path) == "true" && New(path) != "true";
        bool Added(string path) => change.Changes.Any(c => c.Path == path) && Old(path) != "true" && New(path) == "true";
        if (change.Action is not ("update" or "replace"))
        {
            return notes;
        }

        if (Lifted("(options).retainOnDelete"))
        {
            // terraform-provider-aws internal/service/ec2/vpc_network_interface.go, resourceNetworkInterfaceDelete:
            // it detaches the interface first when its state records an attachment, then deletes it.
            notes.Add("retainOnDelete goes: `pulumi destroy`, or removing it from the stack, now DELETES this interface in AWS instead of leaving it. "
                + "The aws provider detaches it first when its state records an attachment (after a refresh), so an appliance still using it loses it; "
                + "without a recorded attachment EC2 refuses to delete an interface in use and the destroy stops there. Detach the appliances first (infra/pre-destroy).");
        }
        else if (Added("(options).retainOnDelete"))
        {
            notes.Add("retainOnDelete comes: `pulumi destroy` will leave this interface in AWS (Pulumi forgets it); delete it by hand once no appliance holds it.");
        }

        if (Lifted("(options).protect"))
        {
            notes.Add("protect goes: Pulumi no longer refuses to replace or delete it; the next `up` that replaces it, or a `destroy`, goes ahead.");
        }

        if (Lifted("deletionProtection"))
        {
            notes.Add("EKS deletion protection goes (set to false, as it must be: a value left out keeps AWS's): `pulumi destroy` can delete the cluster.");
        }
        else if (change.Changes.Any(c => c.Path == "deletionProtection" && c.Old == "true" && c.New is null))
        {
            notes.Add("deletionProtection is left out: the component passes it as given and AWS keeps its current value (on), so `pulumi destroy` still fails at the cluster.");
        }

        return notes;
    }

    public static Report ToReport(DiffResult diff)
    {
        var blocks = new List<Block>
        {
            new Paragraph(diff.HasChanges
                ? $"{diff.Created} to create, {diff.Updated} to update, {diff.Replaced} to replace, {diff.Deleted} to delete ({diff.Base} -> {diff.Head})."
                : $"No changes ({diff.Base} -> {diff.Head})."),
        };
        var loud = diff.Resources.Where(c => c.Action is "replace" or "delete" && (c.Stateful || c.Protected)).ToList();
        if (loud.Count > 0)
        {
            blocks.Add(new Paragraph($"WARNING: {string.Join("; ", loud.Select(c => $"{c.Name} ({c.Type}) is {(c.Action == "replace" ? "REPLACED" : "DELETED")}{(c.Stateful ? ": what runs on or in it is lost" : "")}{(c.Protected ? ", and it is protected: `pulumi up` refuses until protection is lifted (leadertools:protection)" : "")}"))}."));
        }

        foreach (var upgrade in diff.ProviderUpgrades)
        {
            blocks.Add(new Heading($"~ provider {upgrade.Package} {upgrade.From} -> {upgrade.To} (upgrade, {upgrade.Resources} resources)"));
        }

        foreach (var change in diff.Resources)
        {
            var sign = change.Action switch { "create" => "+", "delete" => "-", "replace" => "-/+", _ => "~" };
            var stateful = change.Stateful && change.Action is "replace" or "delete" ? " !! stateful" : "";
            var guarded = change.Protected && change.Action is "replace" or "delete" ? " !! protected" : "";
            blocks.Add(new Heading($"{sign} {change.Name} ({change.Type}) {(change.Action == "replace" ? "REPLACE" : change.Action)}{stateful}{guarded}"));
            foreach (var note in change.Notes)
            {
                blocks.Add(new Paragraph($"NOTE: {note}"));
            }

            if (change.ReplaceReasons.Count > 0)
            {
                blocks.Add(new TableBlock(["forces replacement", "why"], change.ReplaceReasons.Select(r => (IReadOnlyList<string>)[r.Path, r.Why]).ToList()));
            }

            if (change.Changes.Count > 0)
            {
                blocks.Add(new TableBlock(["property", "old", "new"], change.Changes.Select(p => (IReadOnlyList<string>)[p.Path, p.Old ?? "", p.New ?? ""]).ToList()));
            }
        }

        return new Report("diff of the planned program", blocks, diff);
    }
}
