namespace Infra.Review;

/// <summary>One change of a hop: the stack-file key, its value before and after, and why that value.</summary>
public sealed record UpgradeStep(string What, string Key, string? From, string To, string Why);

/// <summary>One minor-version hop: its steps in the order `pulumi up` applies them, and what to know.</summary>
public sealed record UpgradeHop(string From, string To, DateOnly EndOfStandardSupport, IReadOnlyList<UpgradeStep> Steps, IReadOnlyList<string> Notes);

public sealed record UpgradePlan(string Stack, string From, string To, DateOnly AsOf, IReadOnlyList<UpgradeHop> Hops);

/// <summary>
/// `infra upgrade`: from the stack's Kubernetes version to another, one minor at a time as EKS
/// requires (EKS User Guide, update-cluster.html: "you can update only one minor version at a
/// time"), each hop with the versions the catalogue (<see cref="VersionCatalogue"/>) gives for it:
/// add-ons that work on both minors where it lists one, so that EKS's rollback (to the previous
/// minor within 7 days, rollback-cluster.html) stays usable; the AMI release; the controller chart.
/// </summary>
public static class Upgrade
{
    public const string KubernetesVersionKey = "cluster.kubernetesVersion";
    /// <summary>The stack-file key of a group's AMI release, without the project: nodeGroup's or its nodeGroups entry's.</summary>
    private static string AmiKeyOf(NodeGroupSpec group)
    {
        var path = group.At.Child("amiReleaseVersion").Path;
        return path[(path.IndexOf(':', StringComparison.Ordinal) + 1)..];
    }
    public const string ChartVersionKey = "loadBalancerController.chartVersion";

    /// <summary>The stack's add-on keys and the add-on each pins.</summary>
    public static IReadOnlyList<(string Key, string Addon)> AddonKeys { get; } =
        [("cluster.addonVersions.vpcCni", VersionCatalogue.VpcCni), ("cluster.addonVersions.coreDns", VersionCatalogue.CoreDns), ("cluster.addonVersions.kubeProxy", VersionCatalogue.KubeProxy)];

    public static UpgradePlan Plan(ValidatedEnvironment env, string to, DateOnly asOf, VersionCatalogue catalogue)
    {
        var design = env.Cluster ?? throw new ReviewArgumentException(ReviewInput.Stack, env.Spec.Stack, "has no cluster to upgrade");
        var from = design.Cluster.KubernetesVersion;
        if (catalogue.Release(to) is not { } target)
        {
            throw new ReviewArgumentException(ReviewInput.To, to, $"the version catalogue knows {string.Join(", ", catalogue.Kubernetes.Select(k => k.Version))} (src/Infra.Model/Versions/kubernetes-versions.csv)");
        }

        if (VersionCatalogue.CompareMinor(to, from) < 0)
        {
            throw new ReviewArgumentException(ReviewInput.To, to, $"is older than the cluster's {from}: EKS only rolls back to the previous minor, within 7 days of upgrading to it (rollback-cluster.html), and `upgrade` plans forward");
        }

        if (!target.Supported(asOf))
        {
            throw new ReviewArgumentException(ReviewInput.To, to, target.EksRelease > asOf ? $"EKS releases it on {target.EksRelease:yyyy-MM-dd}" : $"left EKS extended support on {target.EndOfExtendedSupport:yyyy-MM-dd}");
        }

        var hops = new List<UpgradeHop>();
        var current = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [VersionCatalogue.VpcCni] = design.Cluster.Addons.VpcCni?.Value,
            [VersionCatalogue.CoreDns] = design.Cluster.Addons.CoreDns?.Value,
            [VersionCatalogue.KubeProxy] = design.Cluster.Addons.KubeProxy?.Value,
        };
        // Max pods and the pods each group holds do not change with the minor: worked out once, as `capacity` does.
        var groupCapacity = Capacity.Compute(env, InstanceLimits.Embedded).NodeGroups;
        var amis = design.NodeGroups.ToDictionary(g => g.Name, g => g.AmiReleaseVersion?.Value, StringComparer.Ordinal);
        var chart = design.LoadBalancerController?.ChartVersion;
        for (var version = from; VersionCatalogue.CompareMinor(version, to) < 0;)
        {
            var next = VersionCatalogue.NextMinor(version);
            var release = catalogue.Release(next) ?? throw new ReviewArgumentException(ReviewInput.To, to, $"the catalogue has no row for {next}, a hop on the way");
            var steps = new List<UpgradeStep> { new("control plane", KubernetesVersionKey, version, next, "EKS updates the control plane one minor at a time; nodes and add-ons follow it") };
            var notes = new List<string>();
            foreach (var (key, addon) in AddonKeys)
            {
                var (choice, why) = ChooseAddon(catalogue, addon, version, next, current[addon]);
                if (choice is null)
                {
                    notes.Add($"the catalogue lists no {addon} version for {next}: {key} stays {current[addon] ?? "unset"}; look it up (aws eks describe-addon-versions --kubernetes-version {next} --addon-name {addon})");
                    continue;
                }

                if (choice != current[addon])
                {
                    steps.Add(new UpgradeStep($"{addon} add-on", key, current[addon], choice, why));
                    current[addon] = choice;
                }
            }

            // Groups that follow the cluster's minor get the new AMI; a group pinned to its own minor
            // stays, as long as the skew allows (nodes at most three minors behind).
            var following = design.NodeGroups.Where(g => g.KubernetesVersion is null).ToList();
            if (following.Count > 0 && catalogue.Ami(next) is { } image)
            {
                foreach (var group in following)
                {
                    var key = AmiKeyOf(group);
                    steps.Add(new UpgradeStep(design.NodeGroups.Count == 1 ? "node AMI" : $"node AMI ({group.Name})", key, amis[group.Name], image.ReleaseVersion, $"the newest AL2023 release for {next} the catalogue has ({image.Source}); a new launch template version: the node group rolls its {group.DesiredSize} nodes, one at a time"));
                    amis[group.Name] = image.ReleaseVersion;
                }
            }
            else if (following.Count > 0)
            {
                notes.Add($"the catalogue has no AMI release for {next}: {string.Join(", ", following.Select(AmiKeyOf))} must name one before this hop compiles");
            }

            foreach (var pinned in design.NodeGroups.Where(g => g.KubernetesVersion is not null))
            {
                var behind = VersionCatalogue.MinorsBetween(pinned.KubernetesVersion!.Value, next);
                notes.Add(behind > ClusterRules.MaxNodeSkew
                    ? $"node group {pinned.Name} is pinned to Kubernetes {pinned.KubernetesVersion.Value}, {behind} minors behind {next}: move it (or swap it for a new group) before this hop; nodes may be at most {ClusterRules.MaxNodeSkew} behind"
                    : $"node group {pinned.Name} stays on Kubernetes {pinned.KubernetesVersion.Value} (pinned), {behind} behind {next}: within the skew of {ClusterRules.MaxNodeSkew}");
            }

            if (chart is not null && catalogue.Chart(next) is { } newest && newest.ChartVersion != chart)
            {
                var major = chart.Split('.')[0] != newest.ChartVersion.Split('.')[0] ? $"; a new major version ({chart} to {newest.ChartVersion}): read the controller's release notes between them" : "";
                steps.Add(new UpgradeStep("load balancer controller", ChartVersionKey, chart, newest.ChartVersion, $"the newest chart ({newest.AppVersion}) whose controller supports {next} ({newest.Source}; Kubernetes {newest.MinKubernetes}+); review its IAM policy and values{major}"));
                chart = newest.ChartVersion;
            }

            notes.Add($"max pods per node stays {string.Join(", ", groupCapacity.Select(g => groupCapacity.Count == 1 ? $"{g.MaxPodsPerNode}" : $"{g.MaxPodsPerNode} ({g.Name})"))}: the instance types and the CNI's settings do not change with the minor");
            if (design.NodeGroups.Count == 1)
            {
                notes.Add($"one node group: updated in place, its {design.NodeGroups[0].DesiredSize} nodes replaced one at a time by nodes of the new AMI (EKS's managed node update)");
            }
            else
            {
                notes.Add($"{groupCapacity.Count} node groups, {groupCapacity.Sum(g => g.MaxPods)} pods at their maximum sizes: each rolls in place; for a blue/green swap instead, pin the old group's kubernetesVersion to {version}, add a group for {next}, drain the old and remove it. While one group drains, the others hold {string.Join(", ", groupCapacity.Select(g => $"{g.PodsWithoutIt} pods (without {g.Name})"))}");
            }

            notes.Add($"{next} is in EKS standard support until {release.EndOfStandardSupport:yyyy-MM-dd}");
            hops.Add(new UpgradeHop(version, next, release.EndOfStandardSupport, steps, notes));
            version = next;
        }

        return new UpgradePlan(env.Spec.Stack, from, to, asOf, hops);
    }

    /// <summary>
    /// An add-on version for the hop: the current one if the catalogue lists it for the new minor too,
    /// else the newest listed for both minors (the rollback to the old minor stays usable), else the
    /// newest for the new minor (rolling back then needs the add-on rolled back first). kube-proxy
    /// follows the minor (EKS User Guide, managing-kube-proxy: its version matches the cluster's).
    /// </summary>
    private static (string? Version, string Why) ChooseAddon(VersionCatalogue catalogue, string addon, string from, string to, string? current)
    {
        if (addon == VersionCatalogue.KubeProxy)
        {
            var proxy = catalogue.Addon(to, addon)?.Version;
            return (proxy, $"kube-proxy matches the cluster's minor; after this step a rollback to {from} needs kube-proxy rolled back first");
        }

        if (current is not null && catalogue.Offers(to, addon, current))
        {
            return (current, "");
        }

        var both = catalogue.Addons.Where(a => a.Addon == addon && a.Kubernetes == to && catalogue.Offers(from, addon, a.Version))
            .Select(a => a.Version).OrderBy(v => v, AddonVersionOrder.Instance).LastOrDefault();
        return both is not null
            ? (both, $"listed for {from} and {to}: it works before and after the control plane moves, so a rollback to {from} stays usable")
            : (catalogue.Addon(to, addon)?.Version, $"the catalogue lists no version for both {from} and {to}: this one is for {to} only, and a rollback to {from} needs it rolled back first");
    }

    /// <summary>The first hop's steps written into the stack file's text, layout and comments kept.</summary>
    public static string WriteFirstHop(string stackFileText, string project, UpgradePlan plan)
    {
        var hop = plan.Hops.FirstOrDefault() ?? throw new ReviewArgumentException(ReviewInput.To, plan.To, $"the stack is at {plan.From} already: nothing to write");
        var text = stackFileText;
        foreach (var step in hop.Steps)
        {
            text = StackConfig.StackFileEdit.SetScalar(text, $"{project}:{step.Key}", step.To);
        }

        return text;
    }

    public static Report ToReport(UpgradePlan plan)
    {
        var blocks = new List<Block>
        {
            new Paragraph(plan.Hops.Count == 0
                ? $"{plan.Stack} is at Kubernetes {plan.From} already."
                : $"{plan.Stack}: Kubernetes {plan.From} to {plan.To} in {plan.Hops.Count} hop{(plan.Hops.Count == 1 ? "" : "s")}, one `pulumi up` each, reviewed with `diff` (as of {plan.AsOf:yyyy-MM-dd}). `upgrade --write` writes the first hop into the stack file."),
        };
        foreach (var hop in plan.Hops)
        {
            blocks.Add(new Heading($"{hop.From} -> {hop.To}"));
            blocks.Add(new TableBlock(["step", "key", "from", "to", "why"], hop.Steps.Select(s => (IReadOnlyList<string>)[s.What, s.Key, s.From ?? "(unset)", s.To, s.Why]).ToList()));
            blocks.Add(new Bullets(hop.Notes));
        }

        return new Report("upgrade plan", blocks, ReportData.Of(plan, ReviewJson.Reports.UpgradePlan));
    }
}
