using Infra.Review;

namespace Infra.Discovery;

/// <summary>One place where the stack file and the live original disagree.</summary>
/// <param name="Kind">What drifted: vpc-cidr, internet-gateway, flow-log, nat-gateway, subnet, subnet-tag, route-table, route-missing, route-extra, route-retargeted, association, security-group, security-group-rule.</param>
/// <param name="Resource">The stack's name for it (and the live id).</param>
public sealed record DriftFinding(string Kind, string Resource, string Stack, string Live);

public sealed record DriftResult(string Stack, string VpcId, string Region, IReadOnlyList<DriftFinding> Findings)
{
    public bool Drifted => Findings.Count > 0;
}

/// <summary>
/// `infra drift`: the stack file against the live VPC its `replicaOf` ids name. Routes missing,
/// extra or retargeted, CIDRs, subnets and their load-balancer discovery tags, route table
/// associations, the VPC's flow logs (one recording the stack's traffic type), and the ingress
/// rules of the security groups the stack names as replicas.
/// What the stack file does not name (a subnet or table without replicaOf) is not compared.
/// </summary>
public static class Drift
{
    public static DriftResult Compare(ValidatedEnvironment env, LiveVpc live)
    {
        var network = env.Network;
        var findings = new List<DriftFinding>();
        void Add(string kind, string resource, string stack, string liveText) => findings.Add(new DriftFinding(kind, resource, stack, liveText));

        if (network.Vpc.Primary.Value.ToString() != live.PrimaryCidr)
        {
            Add("vpc-cidr", $"vpc ({live.VpcId})", network.Vpc.Primary.Value.ToString(), live.PrimaryCidr);
        }

        var stackSecondary = network.Vpc.Secondary.Select(s => s.Value.ToString()).Order(StringComparer.Ordinal).ToList();
        var liveSecondary = live.SecondaryCidrs.Order(StringComparer.Ordinal).ToList();
        if (!stackSecondary.SequenceEqual(liveSecondary))
        {
            Add("vpc-cidr", $"vpc ({live.VpcId}) secondary", Join(stackSecondary), Join(liveSecondary));
        }

        if (network.InternetGatewayReplicaOf is { } igw && live.InternetGatewayId != igw)
        {
            Add("internet-gateway", $"internet gateway ({igw})", $"{igw} attached", live.InternetGatewayId is null ? "(none attached)" : $"{live.InternetGatewayId} attached");
        }

        var flowLogs = network.Vpc.FlowLogs;
        if (flowLogs is null ? live.FlowLogs.Count > 0 : !live.FlowLogs.Any(f => f.TrafficType == flowLogs.TrafficType))
        {
            Add("flow-log", $"flow logs of vpc ({live.VpcId})", flowLogs is null ? "none" : $"{flowLogs.TrafficType} traffic", live.FlowLogs.Count == 0 ? "none" : string.Join(", ", live.FlowLogs.Select(f => $"{f.Id}: {f.TrafficType} traffic into {f.DestinationType}")));
        }

        if (network.Nat.Enabled != (live.NatGateways.Count > 0))
        {
            Add("nat-gateway", "NAT gateway", network.Nat.Enabled ? "enabled" : "none", live.NatGateways.Count == 0 ? "none" : string.Join(", ", live.NatGateways.Select(n => n.Id)));
        }

        var liveSubnets = live.Subnets.ToDictionary(s => s.Id, StringComparer.Ordinal);
        foreach (var subnet in network.OrderedSubnets.Where(s => s.ReplicaOf is not null))
        {
            if (!liveSubnets.TryGetValue(subnet.ReplicaOf!, out var original))
            {
                Add("subnet", $"{subnet.Key} ({subnet.ReplicaOf})", subnet.Cidr.ToString(), "(no such subnet in the VPC)");
                continue;
            }

            if (original.Cidr != subnet.Cidr.ToString() || original.Zone != subnet.Zone)
            {
                Add("subnet", $"{subnet.Key} ({subnet.ReplicaOf})", $"{subnet.Cidr} in {subnet.Zone}", $"{original.Cidr} in {original.Zone}");
            }

            if (subnet.Role.LoadBalancerDiscoveryTag() is { } tag && !original.Tags.ContainsKey(tag))
            {
                Add("subnet-tag", $"{subnet.Key} ({subnet.ReplicaOf})", tag, "(not tagged)");
            }
        }

        // An appliance by one id whichever the route or the stack names (its instance, else its
        // interface): replicaOf may give either, and a route may target either.
        string Appliance(string id) =>
            live.Gateways.FirstOrDefault(g => g.TargetId == id || g.InstanceId == id || g.NetworkInterfaceId == id) is { } g ? g.InstanceId ?? g.NetworkInterfaceId ?? id : id;

        // A route's target in live terms: the appliance's original id, the internet gateway's, or the kind.
        string StackTarget(RouteTarget target) => target.Kind switch
        {
            RouteTargetKind.Instance => env.GatewayOf(target).ReplicaOf is { } original ? Appliance(original) : target.Name,
            RouteTargetKind.InternetGateway => network.InternetGatewayReplicaOf ?? RouteTarget.InternetGatewayName,
            _ => target.Name,
        };
        string LiveTarget(LiveRoute route) => route.Kind switch
        {
            LiveTargetKind.InternetGateway when network.InternetGatewayReplicaOf is null => RouteTarget.InternetGatewayName,
            LiveTargetKind.NatGateway => RouteTarget.NatGatewayName,
            LiveTargetKind.Appliance => Appliance(route.TargetId),
            _ => route.TargetId,
        };
        string ShowLive(string id) => network.Gateways.FirstOrDefault(g => g.ReplicaOf is { } original && Appliance(original) == id) is { } g ? $"{g.Name} ({id})" : id;

        var liveTables = live.RouteTables.ToDictionary(t => t.Id, StringComparer.Ordinal);
        foreach (var table in network.RouteTables.Where(t => t.ReplicaOf is not null))
        {
            var name = $"{table.Name} ({table.ReplicaOf})";
            if (!liveTables.TryGetValue(table.ReplicaOf!, out var original))
            {
                Add("route-table", name, $"{table.Routes.Count} routes", "(no such route table in the VPC)");
                continue;
            }

            var stackRoutes = table.Routes.ToDictionary(r => r.Destination.ToString(), r => StackTarget(r.Target), StringComparer.Ordinal);
            var liveRoutes = original.Routes.Where(r => r.Kind != LiveTargetKind.Local).ToDictionary(r => r.Destination, LiveTarget, StringComparer.Ordinal);
            foreach (var destination in stackRoutes.Keys.Union(liveRoutes.Keys).OrderBy(Cidr.Parse))
            {
                var inStack = stackRoutes.TryGetValue(destination, out var stackTarget);
                var inLive = liveRoutes.TryGetValue(destination, out var liveTarget);
                if (inStack && !inLive)
                {
                    Add("route-missing", name, $"{destination} -> {ShowLive(stackTarget!)}", "(no route)");
                }
                else if (!inStack && inLive)
                {
                    Add("route-extra", name, "(no route)", $"{destination} -> {ShowLive(liveTarget!)}");
                }
                else if (stackTarget != liveTarget)
                {
                    Add("route-retargeted", name, $"{destination} -> {ShowLive(stackTarget!)}", $"{destination} -> {ShowLive(liveTarget!)}");
                }
            }

            // Compared only where the stack names every associated subnet's original.
            var associated = env.AssociatedSubnets(table);
            if (associated.All(s => s.ReplicaOf is not null))
            {
                var stackAssociated = associated.Select(s => s.ReplicaOf!).Order(StringComparer.Ordinal).ToList();
                var liveAssociated = original.SubnetIds.Order(StringComparer.Ordinal).ToList();
                if (!stackAssociated.SequenceEqual(liveAssociated))
                {
                    Add("association", name, Join(stackAssociated), Join(liveAssociated));
                }
            }
        }

        CompareSecurityGroups(env, live, Add);
        return new DriftResult(env.Stack, live.VpcId, live.Region, findings);
    }

    /// <summary>Ingress rules of the design's groups that name a live group as their original.</summary>
    private static void CompareSecurityGroups(ValidatedEnvironment env, LiveVpc live, Action<string, string, string, string> add)
    {
        var design = env.SecurityGroups;
        var idOf = design.Where(g => g.ReplicaOf is not null).ToDictionary(g => g.Name, g => g.ReplicaOf!, StringComparer.Ordinal);
        var known = idOf.Values.ToHashSet(StringComparer.Ordinal);
        var liveGroups = live.SecurityGroups.ToDictionary(g => g.Id, StringComparer.Ordinal);
        foreach (var group in design.Where(g => g.ReplicaOf is not null && g.Role != SecurityGroupRole.EksManaged))
        {
            var name = $"{group.Name} ({group.ReplicaOf})";
            if (!liveGroups.TryGetValue(group.ReplicaOf!, out var original))
            {
                add("security-group", name, $"{group.Rules.Count} rules", "(no such group in the VPC)");
                continue;
            }

            // Only rules whose peer both sides can name: a CIDR, or a group the stack names as a replica.
            var expected = group.Rules.Where(r => r.Direction == TrafficDirection.Ingress && !r.CreatedByEks)
                .Select(r => r.Peer.Cidr is { } cidr ? RuleText(r.Protocol, r.FromPort, r.ToPort, cidr.ToString())
                    : idOf.TryGetValue(r.Peer.GroupName!, out var peer) ? RuleText(r.Protocol, r.FromPort, r.ToPort, peer) : null)
                .OfType<string>().ToHashSet(StringComparer.Ordinal);
            var actual = original.Ingress.Where(r => Cidr.TryParse(r.Peer, out _, out _) || known.Contains(r.Peer))
                .Select(r => RuleText(r.Protocol, r.FromPort, r.ToPort, r.Peer)).ToHashSet(StringComparer.Ordinal);
            foreach (var missing in expected.Except(actual).Order(StringComparer.Ordinal))
            {
                add("security-group-rule", name, missing, "(no such rule)");
            }

            foreach (var extra in actual.Except(expected).Order(StringComparer.Ordinal))
            {
                add("security-group-rule", name, "(no such rule)", extra);
            }
        }
    }

    private static string RuleText(IpProtocol protocol, int from, int to, string peer) =>
        RuleText(protocol.Ec2Name(), from, to, peer);

    private static string RuleText(string protocol, int from, int to, string peer) =>
        protocol is "-1" or "all" ? $"all from {peer}" : from == to ? $"{protocol} {from} from {peer}" : $"{protocol} {from}-{to} from {peer}";

    private static string Join(IReadOnlyList<string> items) => items.Count == 0 ? "(none)" : string.Join(", ", items);

    public static Report ToReport(DriftResult result)
    {
        var blocks = new List<Block>
        {
            new Paragraph(result.Drifted
                ? $"{result.Findings.Count} difference(s) between Pulumi.{result.Stack}.yaml and {result.VpcId} in {result.Region}."
                : $"No drift: Pulumi.{result.Stack}.yaml matches {result.VpcId} in {result.Region} wherever it names an original."),
        };
        if (result.Drifted)
        {
            blocks.Add(new TableBlock(["what", "resource", "stack file", "live"],
                result.Findings.Select(f => (IReadOnlyList<string>)[f.Kind, f.Resource, f.Stack, f.Live]).ToList()));
        }

        return new Report($"drift {result.Stack} <-> {result.VpcId}", blocks, result);
    }
}
