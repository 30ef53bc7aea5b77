using System.Globalization;

namespace Infra.Review;

public sealed record PodSubnetCapacity(string Subnet, string Cidr, long UsableAddresses, long AssignablePrefixes, long AddressesInPrefixes);

/// <param name="Cap">The max-pods cap applied in every setup: configured, or AWS's rule by vCPU count.</param>
public sealed record InstanceCapacity(string InstanceType, int? Vcpus, int MaxEnis, int Ipv4PerEni, int Cap, int Standard, int CustomNetworking, int CustomNetworkingWithPrefixDelegation, int UncappedWithPrefixDelegation);

/// <param name="PodsWithoutIt">What the other groups hold while this one drains (a blue/green swap's middle step).</param>
public sealed record NodeGroupCapacity(string Name, int MaxNodes, int MaxPodsPerNode, int MaxPods, int PodsWithoutIt);

public sealed record ClaimVerdict(string Claim, string Claimed, string Computed, bool Holds, string Explanation);

public sealed record CapacityResult(
    string Stack,
    IReadOnlyList<PodSubnetCapacity> PodSubnets,
    long TotalUsableAddresses,
    long TotalAddressesInPrefixes,
    IReadOnlyList<InstanceCapacity> InstanceTypes,
    int? ConfiguredMaxPodsCap,
    int? NodeGroupMaxNodes,
    int? NodeGroupMaxPods,
    IReadOnlyList<ClaimVerdict> Claims)
{
    /// <summary>How many pods the stack can run at once (null without a cluster), and what limits it.</summary>
    public long? PodsThatFit { get; init; }

    public string? PodsThatFitLimitedBy { get; init; }

    /// <summary>Each node group's share, in the stack's order (empty without a cluster).</summary>
    public IReadOnlyList<NodeGroupCapacity> NodeGroups { get; init; } = [];
}

/// <summary>
/// `infra capacity`: pod addresses per pod subnet with and without prefix delegation, max pods per
/// node in the three CNI setups, and whether the guide's numbers hold.
/// </summary>
public static class Capacity
{
    public static CapacityResult Compute(ValidatedEnvironment env, InstanceLimits catalogue)
    {
        var network = env.Network;
        var podSubnets = network.SubnetsOf(SubnetRoles.With(ClusterUse.EniConfigs)).Select(s =>
        {
            var prefixes = AwsAddressRules.AssignablePrefixes(s.Cidr);
            return new PodSubnetCapacity(s.Key, s.Cidr.ToString(), AwsAddressRules.UsableAddresses(s.Cidr), prefixes, prefixes * MaxPods.AddressesPerPrefix);
        }).ToList();

        var design = env.Cluster;
        var groups = design?.NodeGroups ?? [];
        var caps = groups.Select(g => g.MaxPodsCap).Distinct().ToList();
        var cap = caps.Count == 1 ? caps[0] : null;
        var types = groups.SelectMany(g => g.InstanceTypes.Select(t => (Type: t.Value, g.MaxPodsCap))).Distinct();
        var instances = types.Select(typeAndCap =>
        {
            var (t, groupCap) = typeAndCap;
            var limits = catalogue.Get(t);
            return new InstanceCapacity(t, limits.Vcpus, limits.MaxEnis, limits.Ipv4PerEni, MaxPods.Cap(limits, groupCap),
                MaxPods.ForKubelet(limits, PodNetworkingMode.Standard, groupCap),
                MaxPods.ForKubelet(limits, PodNetworkingMode.CustomNetworking, groupCap),
                MaxPods.ForKubelet(limits, PodNetworkingMode.CustomNetworkingWithPrefixDelegation, groupCap),
                MaxPods.Uncapped(limits, PodNetworkingMode.CustomNetworkingWithPrefixDelegation));
        }).ToList();

        var totalUsable = podSubnets.Sum(p => p.UsableAddresses);
        var totalPrefixed = podSubnets.Sum(p => p.AddressesInPrefixes);
        var perGroup = design is null ? [] : groups.Select(g => (Group: g, PerNode: MaxPods.ForNodeGroup(g, design.Cni, catalogue))).ToList();
        int? nodeGroupMaxPods = design is null ? null : perGroup.Sum(g => g.PerNode * g.Group.MaxSize);
        int? nodeGroupMaxNodes = design is null ? null : groups.Sum(g => g.MaxSize);
        var groupCapacities = perGroup.Select(g => new NodeGroupCapacity(g.Group.Name, g.Group.MaxSize, g.PerNode, g.PerNode * g.Group.MaxSize, nodeGroupMaxPods!.Value - (g.PerNode * g.Group.MaxSize))).ToList();
        var claims = Claims(env, instances, totalUsable, totalPrefixed, nodeGroupMaxPods, groupCapacities);
        long? fit = null;
        string? limitedBy = null;
        if (design is not null && nodeGroupMaxPods is { } podsOnNodes)
        {
            // Pods take addresses from the pod subnets under custom networking (in /28 prefixes with
            // prefix delegation), from the node subnets otherwise.
            var addresses = !design.Cni.CustomNetworking
                ? network.SubnetsOf(SubnetRoles.With(ClusterUse.ClusterAndNodes)).Sum(n => AwsAddressRules.UsableAddresses(n.Cidr))
                : design.Cni.PrefixDelegation ? totalPrefixed : totalUsable;
            fit = Math.Min(podsOnNodes, addresses);
            limitedBy = podsOnNodes <= addresses
                ? groupCapacities.Count == 1
                    ? $"the node group at its maximum size ({groupCapacities[0].MaxNodes} nodes of {groupCapacities[0].MaxPodsPerNode} pods)"
                    : $"the {groupCapacities.Count} node groups at their maximum sizes ({string.Join(", ", groupCapacities.Select(g => $"{g.Name}: {g.MaxNodes} nodes of {g.MaxPodsPerNode} pods"))})"
                : $"the {(design.Cni.CustomNetworking ? "pod" : "node")} subnets' {Report.Number(addresses)} addresses";
        }

        return new CapacityResult(env.Stack, podSubnets, totalUsable, totalPrefixed, instances, cap, nodeGroupMaxNodes, nodeGroupMaxPods, claims)
        {
            NodeGroups = groupCapacities,
            PodsThatFit = fit,
            PodsThatFitLimitedBy = limitedBy,
        };
    }

    private static List<ClaimVerdict> Claims(ValidatedEnvironment env, IReadOnlyList<InstanceCapacity> instances, long totalUsable, long totalPrefixed, int? nodeGroupMaxPods, IReadOnlyList<NodeGroupCapacity> groups)
    {
        var verdicts = new List<ClaimVerdict>();
        var claims = env.Claims;
        if (claims is null)
        {
            return verdicts;
        }

        foreach (var instance in instances)
        {
            if (claims.ClaimedPodsPerNode is { } perNode)
            {
                verdicts.Add(new ClaimVerdict($"~{perNode} pods per node with prefix delegation ({instance.InstanceType})", Report.Number(perNode), Report.Number(instance.CustomNetworkingWithPrefixDelegation),
                    instance.CustomNetworkingWithPrefixDelegation == perNode,
                    $"custom networking with /28 prefixes: ({instance.MaxEnis} - 1) ENIs x ({instance.Ipv4PerEni} - 1) slots x 16 + 2 = {Report.Number(instance.UncappedWithPrefixDelegation)}, capped at {Report.Number(instance.Cap)}"));
            }

            if (claims.ClaimedTraditionalPodsPerNode is { } traditional)
            {
                verdicts.Add(new ClaimVerdict($"~{traditional} pods per node traditionally ({instance.InstanceType})", Report.Number(traditional), Report.Number(instance.Standard), instance.Standard == traditional,
                    $"standard VPC CNI: {instance.MaxEnis} ENIs x ({instance.Ipv4PerEni} - 1) + 2 = {Report.Number(instance.Standard)}; with custom networking alone the primary ENI carries no pods: {Report.Number(instance.CustomNetworking)}"));
            }
        }

        if (claims.ClaimedConcurrentPods is { } concurrent)
        {
            var prefixMode = env.Cluster?.Cni.PrefixDelegation ?? false;
            var addresses = prefixMode ? totalPrefixed : totalUsable;
            verdicts.Add(new ClaimVerdict($"{Report.Number(concurrent)}+ concurrent pods (pod subnet addresses)", Report.Number(concurrent), Report.Number(addresses), addresses >= concurrent,
                $"pod subnets hold {Report.Number(totalUsable)} usable addresses one by one, but only {Report.Number(totalPrefixed)} in whole /28 prefixes (a prefix cannot hold an address AWS reserves){(prefixMode ? "; prefix delegation is on, so the prefix count is the limit" : "")}"));
            if (nodeGroupMaxPods is { } nodeLimit && groups.Count > 0)
            {
                verdicts.Add(new ClaimVerdict($"{Report.Number(concurrent)}+ concurrent pods (node {(groups.Count == 1 ? "group" : "groups")} at max size)", Report.Number(concurrent), Report.Number(nodeLimit), nodeLimit >= concurrent,
                    string.Join(" + ", groups.Select(g => $"{g.MaxNodes} nodes at most x {Report.Number(g.MaxPodsPerNode)} pods per node{(groups.Count == 1 ? "" : $" ({g.Name})")}"))));
            }
        }

        return verdicts;
    }

    public static Report ToReport(CapacityResult result)
    {
        var blocks = new List<Block>
        {
            new Heading("Pod subnets"),
            new TableBlock(["subnet", "CIDR", "usable addresses", "assignable /28 prefixes", "addresses in prefixes"],
                result.PodSubnets.Select(p => (IReadOnlyList<string>)[p.Subnet, p.Cidr, Report.Number(p.UsableAddresses), Report.Number(p.AssignablePrefixes), Report.Number(p.AddressesInPrefixes)])
                    .Append(["total", "", Report.Number(result.TotalUsableAddresses), "", Report.Number(result.TotalAddressesInPrefixes)]).ToList()),
            new Heading(result.ConfiguredMaxPodsCap is { } configured
                ? $"Max pods per node (capped at {configured} by nodeGroup.maxPodsCap)"
                : $"Max pods per node (AWS's cap: {MaxPods.SmallInstanceCap} up to {MaxPods.LargeInstanceVcpus} vCPUs, {MaxPods.LargeInstanceCap} above)"),
            new TableBlock(["instance type", "vCPUs", "ENIs", "IPv4 per ENI", "cap", "standard", "custom networking", "custom + prefix delegation", "uncapped with prefixes"],
                result.InstanceTypes.Select(i => (IReadOnlyList<string>)[i.InstanceType, i.Vcpus is { } v ? Report.Number(v) : "?", Report.Number(i.MaxEnis), Report.Number(i.Ipv4PerEni), Report.Number(i.Cap), Report.Number(i.Standard), Report.Number(i.CustomNetworking), Report.Number(i.CustomNetworkingWithPrefixDelegation), Report.Number(i.UncappedWithPrefixDelegation)]).ToList()),
        };
        if (result.NodeGroups.Count > 1)
        {
            // A blue/green swap's steps: both groups up, then one drained.
            blocks.Add(new Heading("Node groups"));
            blocks.Add(new TableBlock(["node group", "max nodes", "max pods per node", "pods at max size", "pods while it drains (the others)"],
                result.NodeGroups.Select(g => (IReadOnlyList<string>)[g.Name, Report.Number(g.MaxNodes), Report.Number(g.MaxPodsPerNode), Report.Number(g.MaxPods), Report.Number(g.PodsWithoutIt)]).ToList()));
        }

        if (result.PodsThatFit is { } fit)
        {
            blocks.Add(new Paragraph($"Pods that fit at once: {Report.Number(fit)}, limited by {result.PodsThatFitLimitedBy}."));
        }

        if (result.Claims.Count > 0)
        {
            blocks.Add(new Heading("The guide's claims"));
            blocks.Add(new TableBlock(["claim", "claimed", "computed", "holds", "why"],
                result.Claims.Select(c => (IReadOnlyList<string>)[c.Claim, c.Claimed, c.Computed, c.Holds ? "yes" : "no", c.Explanation]).ToList()));
        }

        return new Report($"capacity of {result.Stack}", blocks, ReportData.Of(result, ReviewJson.Reports.CapacityResult));
    }

}
