using DiffPlex;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using Infra.Emit;

namespace Infra.Review;

public sealed record PropertyChange(string Path, string? Old, string? New);

/// <summary>Why a resource is replaced: the property and the rule or reference that forces it.</summary>
public sealed record ReplaceReason(string Path, string Why);

/// <summary>How Pulumi orders a replacement: the successor first (the default), or the old one deleted first.</summary>
public sealed record ReplaceOrder(bool DeleteFirst, string Why)
{
    public string Words => DeleteFirst ? "delete, then create" : "create, then delete";
}

/// <param name="Action">
/// create, update, replace or delete: steps that call the provider. protect, unprotect and state-only
/// (a change of dependsOn, retainOnDelete or deleteBeforeReplace alone) call none: Pulumi records the
/// option in the state. For variables and outputs: create, update, delete.
/// </param>
/// <param name="Stateful">Replacing or deleting it loses what runs on or in it.</param>
/// <param name="Protected">The base program protects it: Pulumi refuses to replace or delete it until protection is lifted.</param>
public sealed record ResourceChange(string Action, string Name, string Type, IReadOnlyList<PropertyChange> Changes, IReadOnlyList<ReplaceReason> ReplaceReasons, bool Stateful = false, bool Protected = false)
{
    /// <summary>For a replacement: which of the old and the new resource exists while the other is made or removed.</summary>
    public ReplaceOrder? Order { get; init; }

    /// <summary>What the step does beyond its properties (a node group's update rolls its nodes).</summary>
    public IReadOnlyList<string> Effects { get; init; } = [];

    /// <summary>What the change means for a later `pulumi destroy` or removal, in words (see <see cref="ProgramDiff.Consequences"/>).</summary>
    public IReadOnlyList<string> Notes => ProgramDiff.Consequences(this);

    /// <summary>Whether the engine calls the provider for it (an option-only change is recorded in the state).</summary>
    public bool CallsProvider => Action is "create" or "update" or "replace" or "delete";
}

/// <summary>A provider plugin version that changes for every resource of its package: shown once.</summary>
public sealed record ProviderUpgrade(string Package, string From, string To, int Resources);

/// <param name="Resources">Changes to resources, the only thing the counts count.</param>
public sealed record DiffResult(string Base, string Head, bool HasChanges, int Created, int Updated, int Replaced, int Deleted, IReadOnlyList<ProviderUpgrade> ProviderUpgrades, IReadOnlyList<ResourceChange> Resources)
{
    public bool HasReplacements => Replaced > 0;

    /// <summary>Changes to the program's variables (provider-function answers) and stack outputs: no resource, no step.</summary>
    public IReadOnlyList<ResourceChange> Values { get; init; } = [];

    /// <summary>Option-only changes (protect, retainOnDelete, dependsOn): recorded in the state, no provider call.</summary>
    public int OptionOnly => Resources.Count(r => !r.CallsProvider);

    /// <summary>Changes preview accepts and `pulumi up` will fail on (<see cref="ApplyRefusals"/>).</summary>
    public IReadOnlyList<ApplyRefusal> Refusals { get; init; } = [];
}

/// <summary>
/// `infra diff`: what `pulumi up` would do to get from one program to another, per resource:
/// create, update, replace (with the property that forces it, from <see cref="Replacements"/>, the
/// replacements and recomputed outputs it causes through references, and the order Pulumi replaces
/// in) or delete; option-only changes apart; provider upgrades and provider configuration once.
/// </summary>
public static class ProgramDiff
{
    private const string VersionOption = "(options).version";

    /// <summary>
    /// Options the engine records in the state without asking the provider anything (pulumi
    /// pkg/resource/deploy/step_generator.go: a resource whose inputs are the same is a same step,
    /// with its new protect, retainOnDelete and dependencies written to the state).
    /// </summary>
    private static readonly string[] StateOnlyOptions = ["(options).protect", "(options).retainOnDelete", "(options).dependsOn", "(options).deleteBeforeReplace"];

    /// <summary>EKS's default for a managed node group's updateConfig (EKS User Guide, "Understand each phase of node updates").</summary>
    private const int DefaultMaxUnavailable = 1;

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
                    : ForcedBy(after.Type, properties, before);
                if (before.Type != after.Type)
                {
                    properties = [new PropertyChange("(type)", before.Type, after.Type), .. properties];
                }

                if (properties.Count > 0)
                {
                    changes[name] = new ResourceChange(StepFor(properties, reasons), name, after.Type, properties, reasons, IsStateful(after.Type), IsProtected(before));
                }
            }
        }

        ProviderConfiguration(changes, oldByName, newByName);
        Cascade(changes, oldByName, newByName);
        // A template whose tags alone change makes no new version at apply (ec2_launch_template.go
        // resourceLaunchTemplateUpdate: tags are not among its updateKeys), though preview shows its
        // latest version unknown.
        var tagsOnly = changes.Values
            .Where(c => c.Type == ResourceTypes.LaunchTemplate.Token && c.Action == "update" && c.Changes.All(p => p.Path.StartsWith("tags", StringComparison.Ordinal) || p.Path.StartsWith("(options)", StringComparison.Ordinal)))
            .Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var list = changes.Values
            .Select(c => c with { Order = c.Action == "replace" ? OrderOf(newByName[c.Name]) : null, Effects = EffectsOf(c, newByName.GetValueOrDefault(c.Name), tagsOnly) })
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
        var values = new List<ResourceChange>();
        AddSection(values, "variable", old.Variables, @new.Variables);
        AddSection(values, "output", old.Outputs, @new.Outputs);
        return new DiffResult(baseLabel, headLabel, list.Count > 0 || values.Count > 0 || upgrades.Count > 0,
            list.Count(c => c.Action == "create"), list.Count(c => c.Action == "update"), list.Count(c => c.Action == "replace"), list.Count(c => c.Action == "delete"), upgrades, list)
        {
            Values = values,
            Refusals = ApplyRefusals.Find(list, oldByName, newByName),
        };
    }

    /// <summary>The step for changed properties: replace when something forces it; no provider call when only state-held options change.</summary>
    private static string StepFor(IReadOnlyList<PropertyChange> properties, IReadOnlyList<ReplaceReason> reasons)
    {
        if (reasons.Count > 0)
        {
            return "replace";
        }

        if (properties.All(p => StateOnlyOptions.Any(o => p.Path == o || p.Path.StartsWith(o + "[", StringComparison.Ordinal))))
        {
            var protect = properties.FirstOrDefault(p => p.Path == "(options).protect");
            return protect is null ? "state-only" : protect.New == "true" ? "protect" : "unprotect";
        }

        return "update";
    }

    /// <summary>
    /// The program's own aws provider carries the stack's aws: settings, which configure the default
    /// provider too: a region that changes moves every aws resource (pulumi-aws v7 replaces a regional
    /// resource whose region changes, forceNewIfRegionChanges), default tags that change rewrite the
    /// tags_all of every tagged resource in place (terraform-provider-aws internal/tags: tags_all is
    /// the provider's default tags merged with the resource's), the components' children included.
    /// </summary>
    private static void ProviderConfiguration(Dictionary<string, ResourceChange> changes, Dictionary<string, SnapshotResource> oldByName, Dictionary<string, SnapshotResource> newByName)
    {
        var provider = changes.Values.FirstOrDefault(c => c.Type == ResourceTypes.AwsProvider.Token && c.Action is "update" or "replace");
        if (provider is null)
        {
            return;
        }

        var region = provider.Changes.FirstOrDefault(p => p.Path == "region");
        var tags = provider.Changes.Where(p => p.Path.StartsWith("defaultTags", StringComparison.Ordinal)).ToList();
        foreach (var (name, after) in newByName)
        {
            if (name == provider.Name || !oldByName.ContainsKey(name) || changes.TryGetValue(name, out var existing) && existing.Action is "replace" or "delete")
            {
                continue;
            }

            var type = ResourceTypes.Find(after.Type);
            var served = after.Type.StartsWith("aws:", StringComparison.Ordinal) || type?.Package == PulumiPackage.Eks;
            if (!served)
            {
                continue;
            }

            var known = changes.TryGetValue(name, out var change) ? change.Changes : [];
            if (region is not null)
            {
                changes[name] = new ResourceChange("replace", name, after.Type, known, [.. change?.ReplaceReasons ?? [], new ReplaceReason("(provider) region", $"the aws provider's region changes from {region.Old} to {region.New}: the resource is made anew there (pulumi-aws v7 forceNewIfRegionChanges)")], IsStateful(after.Type), IsProtected(oldByName[name]));
            }
            else if (tags.Count > 0 && (type?.Taggable == true || type?.Package == PulumiPackage.Eks))
            {
                var what = type?.Package == PulumiPackage.Eks ? "tagsAll of the resources it creates" : "tagsAll";
                var summary = new PropertyChange(what, string.Join(", ", tags.Select(t => $"{t.Path[(t.Path.LastIndexOf('.') + 1)..]}={t.Old ?? "(none)"}")), string.Join(", ", tags.Select(t => $"{t.Path[(t.Path.LastIndexOf('.') + 1)..]}={t.New ?? "(none)"}")));
                changes[name] = new ResourceChange(change?.Action is "replace" ? "replace" : "update", name, after.Type, [.. known, summary], change?.ReplaceReasons ?? [], IsStateful(after.Type), IsProtected(oldByName[name]));
            }
        }
    }

    /// <summary>
    /// A replaced resource gets a new id: a resource whose replace-forcing input refers to it is
    /// replaced too (a subnet of a replaced VPC), one that refers to it elsewhere is updated, and
    /// every resource of a replaced provider is replaced. An updated resource whose type recomputes
    /// some outputs on any update (<see cref="ResourceType.RecomputedOnUpdate"/>: a launch template's
    /// latest version) changes every input that refers to those outputs, in the same way.
    /// </summary>
    private static void Cascade(Dictionary<string, ResourceChange> changes, Dictionary<string, SnapshotResource> oldByName, Dictionary<string, SnapshotResource> newByName)
    {
        bool grew;
        do
        {
            grew = false;
            var replaced = changes.Values.Where(c => c.Action == "replace").Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
            var recomputed = changes.Values
                .Where(c => c.Action == "update" && ResourceTypes.Find(c.Type)?.RecomputedOnUpdate?.RecomputedBy(c.Changes.Select(p => p.Path)) == true)
                .ToDictionary(c => c.Name, c => ResourceTypes.Find(c.Type)!.RecomputedOnUpdate!, StringComparer.Ordinal);
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
                    var causes = replaced.Where(r => r != name && after.RefersTo(path, r)).Select(r => (Target: r, What: "replaced", Output: (string?)null))
                        .Concat(recomputed.Where(r => r.Key != name && !replaced.Contains(r.Key)).SelectMany(r => r.Value.Outputs.Where(o => after.RefersTo(path, $"{r.Key}.{o}")).Select(o => (Target: r.Key, What: "updated", Output: (string?)o))));
                    foreach (var (target, what, output) in causes)
                    {
                        var because = output is null ? $"{target}, which is replaced" : $"{target}.{output}, which its update recomputes ({recomputed[target].Source})";
                        if (path.StartsWith("(options).provider", StringComparison.Ordinal) && output is null)
                        {
                            reasons.Add(new ReplaceReason(path, $"its provider {target} is replaced"));
                        }
                        else if (rule is not null && rule.Forcing.Any(f => Replacements.Covers(f, path)))
                        {
                            reasons.Add(new ReplaceReason(path, $"refers to {because}"));
                        }
                        else if (!path.StartsWith("(options)", StringComparison.Ordinal))
                        {
                            updates.Add(new PropertyChange(path, value, output is null ? $"{value} (new value once {target} is replaced)" : $"{value} (known after {target} is updated)"));
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

    /// <summary>
    /// pulumi-terraform-bridge (pkg/tfbridge, nameRequiresDeleteBeforeReplace) deletes first when an
    /// input the provider would auto-name is given by the program: the successor could not take the
    /// name while the old resource holds it. The program's own deleteBeforeReplace does the same.
    /// </summary>
    private static ReplaceOrder OrderOf(SnapshotResource after)
    {
        var type = ResourceTypes.Find(after.Type);
        if (after["(options).deleteBeforeReplace"] == "true")
        {
            return new ReplaceOrder(true, $"the program sets deleteBeforeReplace: {type?.DeleteBeforeReplace ?? "its successor cannot exist beside it"}");
        }

        if (type?.AutoNamed.FirstOrDefault(n => after[n] is not null) is { } named)
        {
            return new ReplaceOrder(true, $"its {named} `{after[named]}` is given by the program, not generated, so the old one is deleted before its successor is made ({type.AutoNamedSource}); nothing of it exists in between");
        }

        return new ReplaceOrder(false, "Pulumi makes the successor first, then deletes the old one");
    }

    /// <summary>What the step does that its properties do not say.</summary>
    private static IReadOnlyList<string> EffectsOf(ResourceChange change, SnapshotResource? after, IReadOnlySet<string> tagsOnlyTemplates)
    {
        var effects = new List<string>();
        var rolling = change.Changes.Where(p => p.Path.StartsWith("launchTemplate", StringComparison.Ordinal) || p.Path is "amiType" or "releaseVersion" or "version").ToList();
        if (after is not null && change.Type == ResourceTypes.ManagedNodeGroup.Token && change.Action == "update" && rolling.Count > 0
            && rolling.All(p => tagsOnlyTemplates.Any(t => p.New?.Contains($"known after {t} is updated", StringComparison.Ordinal) == true)))
        {
            effects.Add("preview shows the launch template version unknown, but only the template's tags change, which make no new version (terraform-provider-aws ec2_launch_template.go: tags are not among the update keys): no node is expected to roll");
        }
        else if (after is not null && change.Type == ResourceTypes.ManagedNodeGroup.Token && change.Action == "update" && rolling.Count > 0)
        {
            // EKS User Guide, "Understand each phase of node updates": a new launch template version
            // (or AMI) replaces every node, at most maxUnavailable at a time, draining each first.
            var nodes = after["scalingConfig.desiredSize"] ?? "all";
            var unavailable = after["updateConfig.maxUnavailable"] ?? DefaultMaxUnavailable.ToString(System.Globalization.CultureInfo.InvariantCulture);
            effects.Add($"rolls all {nodes} nodes (max unavailable {unavailable}): each is drained, its pods rescheduled, and replaced by a node from the new launch template version");
        }

        if (change.Type == ResourceTypes.EksCluster.Token && change.Changes.FirstOrDefault(p => p.Path == "version") is { Old: { } from, New: { } to }
            && Version.TryParse(from, out var fromVersion) && Version.TryParse(to, out var toVersion) && toVersion.Major == fromVersion.Major && toVersion.Minor == fromVersion.Minor - 1)
        {
            // EKS User Guide, rollback-cluster.html: back to the previous minor, within 7 days of an in-place upgrade, the cluster ACTIVE.
            effects.Add($"a rollback from {from} to {to}: EKS accepts it only within 7 days of the in-place upgrade to {from}, and `pulumi up` fails after that; roll incompatible add-ons back first");
        }

        if (change.Action == "replace" && change.Stateful)
        {
            effects.Add("what runs on or in it is lost");
        }

        // EC2 ReleaseAddress gives the address back to Amazon's pool; a new allocation gets another.
        if (change.Type == ResourceTypes.Eip.Token && change.Action is "replace" or "delete")
        {
            effects.Add("its public address is released for good: what leaves through it (a NAT gateway's traffic) comes from another address afterwards, which partners and firewalls that allow the old one refuse");
        }

        return effects;
    }

    private static List<ReplaceReason> ForcedBy(string type, IReadOnlyList<PropertyChange> properties, SnapshotResource before)
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
            else if (rule.ForcingWhileWasTrue.FirstOrDefault(f => Replacements.Covers(f.Input, change.Path)) is { Input: not null } conditional && before[conditional.WhileWasTrue] == "true")
            {
                reasons.Add(new ReplaceReason(change.Path, $"{conditional.Input} changes while {conditional.WhileWasTrue} was true, which replaces the resource ({rule.Source})"));
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

    /// <summary>
    /// Variables and outputs, by their root name. The policy warnings output is compared warning by
    /// warning, keyed by rule, resource and config key, so one warning gone is one line, not every
    /// warning after it moving up a place.
    /// </summary>
    private static void AddSection(List<ResourceChange> changes, string kind, IReadOnlyDictionary<string, string> old, IReadOnlyDictionary<string, string> @new)
    {
        static string Root(string path) => path.Split('.', '[')[0];
        var roots = old.Keys.Select(Root).Union(@new.Keys.Select(Root)).Order(StringComparer.Ordinal);
        foreach (var root in roots)
        {
            var before = old.Where(kv => Root(kv.Key) == root).ToDictionary();
            var after = @new.Where(kv => Root(kv.Key) == root).ToDictionary();
            var properties = root == PolicyWarningsOutput ? WarningChanges(before, after) : Properties(before.Count == 0 ? null : before, after.Count == 0 ? null : after);
            if (properties.Count > 0)
            {
                var action = before.Count == 0 ? "create" : after.Count == 0 ? "delete" : "update";
                changes.Add(new ResourceChange(action, root, $"({kind})", properties, []));
            }
        }
    }

    /// <summary>The stack output that carries the policy check's warnings (CompilerGate).</summary>
    public const string PolicyWarningsOutput = "policyWarnings";

    private static List<PropertyChange> WarningChanges(Dictionary<string, string> before, Dictionary<string, string> after)
    {
        // "INFRA004 route-table--main (leadertools:routeTables.main.routes): text": keyed by what precedes the text.
        static Dictionary<string, string> Keyed(Dictionary<string, string> items) => items.Values
            .GroupBy(w => w.IndexOf("): ", StringComparison.Ordinal) is var end and > 0 ? w[..(end + 1)] : w, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => string.Join(" / ", g.Select(w => w.IndexOf("): ", StringComparison.Ordinal) is var end and > 0 ? w[(end + 3)..] : w)), StringComparer.Ordinal);
        var old = Keyed(before);
        var @new = Keyed(after);
        return [.. old.Keys.Union(@new.Keys).Order(StringComparer.Ordinal)
            .Select(k => new PropertyChange(k, old.GetValueOrDefault(k), @new.GetValueOrDefault(k)))
            .Where(c => c.Old != c.New)];
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
        if (change.Action is "create" or "delete" || change.Type.StartsWith('('))
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

    /// <summary>A value longer than this, or on several lines, is shown as a line diff rather than whole in a table, twice.</summary>
    private const int LongValue = 200;

    private static bool IsLong(string? value) => value is not null && (value.Length > LongValue || value.Contains('\n', StringComparison.Ordinal));

    /// <summary>The changed lines of a long value with two lines of context, as `diff -u` marks them.</summary>
    public static IReadOnlyList<string> LineDiff(string? old, string? @new)
    {
        var model = new InlineDiffBuilder(new Differ()).BuildDiffModel(old ?? "", @new ?? "", ignoreWhitespace: false);
        var lines = model.Lines;
        var keep = new bool[lines.Count];
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].Type != ChangeType.Unchanged)
            {
                for (var j = Math.Max(0, i - 2); j <= Math.Min(lines.Count - 1, i + 2); j++)
                {
                    keep[j] = true;
                }
            }
        }

        var result = new List<string>();
        for (var i = 0; i < lines.Count; i++)
        {
            if (!keep[i])
            {
                if (i > 0 && keep[i - 1])
                {
                    result.Add("  ...");
                }

                continue;
            }

            result.Add(lines[i].Type switch { ChangeType.Inserted => "+ ", ChangeType.Deleted => "- ", _ => "  " } + lines[i].Text);
        }

        return result;
    }

    public static Report ToReport(DiffResult diff)
    {
        var counts = $"{diff.Created} to create, {diff.Updated} to update, {diff.Replaced} to replace, {diff.Deleted} to delete";
        var extras = new List<string>();
        if (diff.OptionOnly > 0)
        {
            extras.Add($"{diff.OptionOnly} option change{(diff.OptionOnly == 1 ? "" : "s")} recorded in the state without a provider call");
        }

        if (diff.Values.Count > 0)
        {
            extras.Add($"{diff.Values.Count} output or variable change{(diff.Values.Count == 1 ? "" : "s")}");
        }

        var blocks = new List<Block>
        {
            new Paragraph(diff.HasChanges
                ? $"{counts}{(extras.Count > 0 ? "; " + string.Join("; ", extras) : "")} ({diff.Base} -> {diff.Head})."
                : $"No changes ({diff.Base} -> {diff.Head})."),
        };
        foreach (var refusal in diff.Refusals)
        {
            blocks.Add(new Paragraph($"ERROR {refusal.Rule} {refusal.Resource}: {refusal.Message} ({refusal.Source})."));
        }

        var loud = diff.Resources.Where(c => c.Action is "replace" or "delete" && (c.Stateful || c.Protected)).ToList();
        if (loud.Count > 0)
        {
            blocks.Add(new Paragraph($"WARNING: {string.Join("; ", loud.Select(c => $"{c.Name} ({c.Type}) is {(c.Action == "replace" ? "REPLACED" : "DELETED")}{(c.Stateful ? ": what runs on or in it is lost" : "")}{(c.Protected ? ", and it is protected: `pulumi up` refuses until protection is lifted (leadertools:protection)" : "")}"))}."));
        }

        foreach (var upgrade in diff.ProviderUpgrades)
        {
            blocks.Add(new Heading($"~ provider {upgrade.Package} {upgrade.From} -> {upgrade.To} (upgrade, {upgrade.Resources} resources)"));
        }

        foreach (var change in diff.Resources.Concat(diff.Values))
        {
            AddChange(blocks, change);
        }

        return new Report("diff of the planned program", blocks, ReportData.Of(diff, ReviewJson.Reports.DiffResult));
    }

    private static void AddChange(List<Block> blocks, ResourceChange change)
    {
        var sign = change.Action switch { "create" => "+", "delete" => "-", "replace" => "-/+", "update" => "~", _ => "=" };
        var stateful = change.Stateful && change.Action is "replace" or "delete" ? " !! stateful" : "";
        var guarded = change.Protected && change.Action is "replace" or "delete" ? " !! protected" : "";
        var step = change.Action switch
        {
            "replace" => $"REPLACE ({change.Order?.Words ?? "create, then delete"})",
            "protect" or "unprotect" or "state-only" => $"{change.Action} (no provider call)",
            _ => change.Action,
        };
        blocks.Add(new Heading($"{sign} {change.Name} ({change.Type}) {step}{stateful}{guarded}"));
        if (change.Order is { DeleteFirst: true } order)
        {
            blocks.Add(new Paragraph($"ORDER: delete, then create: {order.Why}."));
        }

        foreach (var effect in change.Effects.Where(e => !(change.Stateful && e == "what runs on or in it is lost")))
        {
            blocks.Add(new Paragraph($"EFFECT: {effect}."));
        }

        foreach (var note in change.Notes)
        {
            blocks.Add(new Paragraph($"NOTE: {note}"));
        }

        if (change.ReplaceReasons.Count > 0)
        {
            blocks.Add(new TableBlock(["forces replacement", "why"], change.ReplaceReasons.Select(r => (IReadOnlyList<string>)[r.Path, r.Why]).ToList()));
        }

        var shortChanges = change.Changes.Where(p => !IsLong(p.Old) && !IsLong(p.New)).ToList();
        if (shortChanges.Count > 0)
        {
            blocks.Add(new TableBlock(["property", "old", "new"], shortChanges.Select(p => (IReadOnlyList<string>)[p.Path, p.Old ?? "", p.New ?? ""]).ToList()));
        }

        foreach (var p in change.Changes.Where(p => IsLong(p.Old) || IsLong(p.New)))
        {
            blocks.Add(new CodeBlock("diff", $"{p.Path}\n{string.Join("\n", LineDiff(p.Old, p.New))}\n"));
        }
    }
}
