using Infra.Model;
using Infra.Model.Addressing;
using Infra.Model.Cluster;
using Infra.Model.Network;

namespace Infra.Review;

public sealed record TraceHop(string Step, string Detail);

public sealed record GroupVerdict(string Group, string Role, bool? Allows, IReadOnlyList<string> MatchingRules);

public sealed record TraceResult(
    string From,
    string To,
    string? SourceSubnet,
    string? RouteTable,
    string? RouteTableSelection,
    string? WinningRoute,
    string Target,
    string? DestinationSubnet,
    bool Reachable,
    string? FailedGateway,
    IReadOnlyList<TraceHop> Path,
    IReadOnlyList<GroupVerdict> SecurityGroups,
    IReadOnlyList<GuideFinding> Findings,
    IReadOnlyList<LostRoute> LostRoutes)
{
    /// <summary>
    /// Whether the destination's groups admit the packet on the port asked: the groups on one
    /// interface are a union, so one admitting rule in any of them is enough. Null without --port.
    /// </summary>
    public bool? SecurityGroupsAllow => SecurityGroups.Count == 0 || SecurityGroups.Any(g => g.Allows is null) ? null : SecurityGroups.Any(g => g.Allows == true);

    /// <summary>Routed to its target and not refused by the security groups (when a port was given).</summary>
    public bool Delivered => Reachable && SecurityGroupsAllow != false;
}

public sealed record LostRoute(string RouteTable, string Destination, string Purpose);

/// <summary>
/// `infra trace`: the path a packet takes through the VPC's routing, which security groups would
/// have to allow it, and where the guide's prose says otherwise. With --fail, what a gateway's
/// failure takes away: AWS does not fall back to a less specific route; a route whose target is
/// gone is a blackhole.
/// </summary>
public static class Trace
{

    public static TraceResult Run(EnvironmentSpec env, string from, string to, string? failGateway = null, int? port = null, IpProtocol protocol = IpProtocol.Tcp)
    {
        var network = env.Network;
        if (!Ipv4.TryParse(to, out var destination))
        {
            throw new ReviewArgumentException("--to", to, "not a dotted-quad IPv4 address");
        }

        if (failGateway is not null && network.FindGateway(failGateway) is null)
        {
            throw new ReviewArgumentException("--fail", failGateway, $"not a gateway of the stack (gateways: {string.Join(", ", network.Gateways.Select(g => g.Name))})");
        }

        var source = ResolveSource(network, from);
        var destinationSubnet = network.Subnets.FirstOrDefault(s => s.Cidr.Contains(destination));
        var path = new List<TraceHop>();
        var findings = GuideFindings.For(env).Where(f => f.Applies(source.Subnet, destination, network)).ToList();
        var lost = failGateway is null ? [] : LostRoutes(network, failGateway);

        var destinationInVpc = network.VpcCidrs.Any(c => c.Contains(destination));
        if (source.Subnet is null && !destinationInVpc)
        {
            throw new ReviewArgumentException("--to", to, $"both {from} and {to} are outside the VPC: trace follows packets that enter, leave or stay in it");
        }

        if (source.Subnet is null)
        {
            return Inbound(env, from, to, destinationSubnet, source.Address, path, findings, lost, failGateway, port, protocol);
        }

        var subnet = source.Subnet;
        var table = network.RouteTableOf(subnet)!;
        var explicitly = table.SubnetKeys.Any(k => k.Value == subnet.Key);
        path.Add(new TraceHop("source", $"{subnet.Key} ({subnet.Cidr})"));
        path.Add(new TraceHop("route table", $"{table.Name}{ReplicaText(table.ReplicaOf)}, {(explicitly ? "explicit association" : "main table (no explicit association)")}"));
        var route = RouteLookup.For(network, table).Match(destination);
        string target;
        bool reachable;
        if (route is null)
        {
            target = "none";
            reachable = false;
            path.Add(new TraceHop("route", "no route matches: dropped"));
        }
        else
        {
            target = route.Target.Name;
            var blackholed = failGateway is not null && route.Target.Kind == RouteTargetKind.Instance && route.Target.GatewayName == failGateway;
            reachable = !blackholed && (route.Target.Kind != RouteTargetKind.NatGateway || network.Nat.Enabled);
            path.Add(new TraceHop("route", $"{route.Destination} -> {route.Target.Name}{(route.Purpose is null ? "" : $" ({route.Purpose})")}, longest matching prefix"));
            if (blackholed)
            {
                target = "none";
                path.Add(new TraceHop("target", $"{failGateway} is down: the route is a blackhole and AWS does not fall back to a less specific route"));
            }
            else
            {
                path.Add(new TraceHop("target", DescribeTarget(network, route.Target, destinationSubnet)));
            }
        }

        var groups = route?.Target.Kind == RouteTargetKind.Local
            ? SecurityGroupsFor(env, subnet, source.Address, destinationSubnet, port, protocol)
            : EgressFor(env, subnet, destination, port, protocol);
        return new TraceResult(from, to, subnet.Key, table.Name, explicitly ? "explicit" : "main", route?.Destination.ToString(), target,
            destinationSubnet?.Key, reachable, failGateway, path, groups, findings, lost);
    }

    /// <summary>
    /// A packet from outside the VPC. Where it comes in is where the destination subnet's table
    /// sends the reply (routing is symmetric through a stateful appliance): a corporate, partner or
    /// RFC 1918 source whose return route targets a gateway enters through that gateway's interface;
    /// only a source whose return route is the internet gateway comes from the internet. A private
    /// source with no route to a gateway has no way in.
    /// </summary>
    private static TraceResult Inbound(EnvironmentSpec env, string from, string to, SubnetSpec? destinationSubnet, uint sourceAddress,
        List<TraceHop> path, List<GuideFinding> findings, IReadOnlyList<LostRoute> lost, string? failGateway, int? port, IpProtocol protocol)
    {
        var network = env.Network;
        if (destinationSubnet is null)
        {
            path.Add(new TraceHop("source", $"{Ipv4.Format(sourceAddress)}, outside the VPC"));
            path.Add(new TraceHop("destination", "inside the VPC's CIDRs but in no subnet: nothing there to deliver to"));
            return new TraceResult(from, to, null, null, null, null, "none", null, false, failGateway, path, [], findings, lost);
        }

        var table = network.RouteTableOf(destinationSubnet)!;
        var selection = table.SubnetKeys.Any(k => k.Value == destinationSubnet.Key) ? "explicit" : "main";
        var back = RouteLookup.For(network, table).Match(sourceAddress);
        var privateSource = SpecialPurposeRanges.IsPrivate(sourceAddress);
        bool reachable;
        string entry;
        string verdict;
        if (back?.Target.Kind == RouteTargetKind.Instance && back.Destination.PrefixLength == 0 && !privateSource)
        {
            // An internet address that only the default route sends to the appliance: the internet
            // reaches no private address through it unless the appliance translates, which is not its job here.
            entry = "none";
            reachable = false;
            path.Add(new TraceHop("source", $"{Ipv4.Format(sourceAddress)}, on the internet"));
            verdict = $"not reachable from the internet: {destinationSubnet.Key} has no public addresses, and its default route to {back.Target.Name} carries outbound traffic only";
        }
        else if (back?.Target.Kind == RouteTargetKind.Instance)
        {
            entry = back.Target.Name;
            var failed = failGateway is not null && back.Target.GatewayName == failGateway;
            reachable = !failed;
            path.Add(new TraceHop("source", $"{Ipv4.Format(sourceAddress)}, outside the VPC: enters through {back.Target.Name}, the gateway its return route targets"));
            verdict = failed
                ? $"{failGateway} is down: neither the packet nor its reply has a way through"
                : $"reachable through {back.Target.Name}: it forwards the packet into the VPC and the reply goes back the same way";
        }
        else if (back?.Target.Kind == RouteTargetKind.InternetGateway && !privateSource)
        {
            entry = RouteTarget.InternetGatewayName;
            reachable = !destinationSubnet.Role.Policy().Private;
            path.Add(new TraceHop("source", $"{Ipv4.Format(sourceAddress)}, on the internet: enters through the internet gateway"));
            verdict = reachable
                ? "reachable from the internet: the subnet routes replies to the internet gateway"
                : "not reachable from the internet: only public addresses are, and this subnet's interfaces have none (internal load balancers, nodes, pods)";
        }
        else
        {
            entry = "none";
            reachable = false;
            path.Add(new TraceHop("source", $"{Ipv4.Format(sourceAddress)}, outside the VPC"));
            verdict = privateSource
                ? $"no way in: {Ipv4.Format(sourceAddress)} is not an internet address, and {table.Name} routes it to no gateway"
                : "not reachable: replies do not go back through the internet gateway or a gateway";
        }

        path.Add(new TraceHop("destination", $"{destinationSubnet.Key} ({destinationSubnet.Cidr})"));
        path.Add(new TraceHop("return route", $"{table.Name}: {back?.Destination.ToString() ?? "none"} -> {back?.Target.Name ?? "none"}"));
        path.Add(new TraceHop("verdict", verdict));
        var groups = SecurityGroupsFor(env, null, sourceAddress, destinationSubnet, port, protocol);
        return new TraceResult(from, to, null, table.Name, selection, back?.Destination.ToString(), entry,
            destinationSubnet.Key, reachable, failGateway, path, groups, findings, lost);
    }

    private static string ReplicaText(string? replicaOf) => replicaOf is null ? "" : $" ({replicaOf})";

    private static string DescribeTarget(NetworkSpec network, RouteTarget target, SubnetSpec? destinationSubnet) => target.Kind switch
    {
        RouteTargetKind.Local => destinationSubnet is null ? "local: inside the VPC but in no subnet" : $"local: delivered inside the VPC to {destinationSubnet.Key} ({destinationSubnet.Cidr})",
        RouteTargetKind.InternetGateway => "internet gateway: out to the internet",
        RouteTargetKind.NatGateway => network.Nat.Enabled ? "NAT gateway: translated, then out through the internet gateway" : "NAT gateway, which is switched off: dropped",
        _ => $"{target.GatewayName}: {network.FindGateway(target.GatewayName!)?.Description} ({network.FindGateway(target.GatewayName!)?.Identity})",
    };

    private static (SubnetSpec? Subnet, uint Address) ResolveSource(NetworkSpec network, string from)
    {
        if (Ipv4.TryParse(from, out var address))
        {
            var subnet = network.Subnets.FirstOrDefault(s => s.Cidr.Contains(address));
            if (subnet is null && network.VpcCidrs.Any(c => c.Contains(address)))
            {
                throw new ReviewArgumentException("--from", from, "inside the VPC but in no subnet");
            }

            return (subnet, address);
        }

        // A subnet stands for a host in it: its first address past the four AWS reserves.
        var bySubnet = network.FindSubnet(from) ?? network.Subnets.FirstOrDefault(s => s.ReplicaOf == from);
        return bySubnet is null
            ? throw new ReviewArgumentException("--from", from, $"neither an IPv4 address nor a subnet (subnets: {string.Join(", ", network.Subnets.Select(s => s.Key))})")
            : (bySubnet, bySubnet.Cidr.Network + AwsAddressRules.ReservedAddressesPerSubnet - 1);
    }

    /// <summary>For each gateway failure: the routes that become blackholes, table by table.</summary>
    public static IReadOnlyList<LostRoute> LostRoutes(NetworkSpec network, string gateway) =>
        network.RouteTables
            .SelectMany(t => NetworkSpec.Ordered(t.Routes).Where(r => r.Target.Kind == RouteTargetKind.Instance && r.Target.GatewayName == gateway)
                .Select(r => new LostRoute(t.Name, r.Destination.ToString(), r.Purpose ?? "")))
            .ToList();

    /// <summary>
    /// The groups on the destination side (by the role of its subnet) and whether their ingress
    /// rules admit the source; egress is open in every group of the design.
    /// </summary>
    private static IReadOnlyList<GroupVerdict> SecurityGroupsFor(EnvironmentSpec env, SubnetSpec? sourceSubnet, uint sourceAddress, SubnetSpec? destinationSubnet,
        int? port, IpProtocol protocol)
    {
        if (env.Cluster is null || destinationSubnet is null)
        {
            return [];
        }

        var groups = SecurityDesign.Build(env.Network, env.Cluster);
        var sourceGroups = sourceSubnet is null ? [] : SecurityDesign.Guarding(groups, sourceSubnet.Role);
        return SecurityDesign.Guarding(groups, destinationSubnet.Role).Select(g =>
        {
            var matching = g.Rules.Where(r => r.Direction == TrafficDirection.Ingress
                    && (r.Peer.Cidr is { } c ? c.Contains(sourceAddress) : sourceGroups.Any(s => s.Name == r.Peer.GroupName))
                    && (port is null || r.Allows(protocol, port.Value)))
                .Select(r => $"{r.Name}: {r.Protocol.ToString().ToLowerInvariant()} {r.PortText} from {r.Peer}").ToList();
            return new GroupVerdict(g.Name, g.Role.ToString(), port is null ? null : matching.Count > 0, matching);
        }).ToList();
    }

    /// <summary>
    /// Leaving the VPC, what counts is the source's egress: whether the groups on the source's
    /// interfaces let the packet out on the port asked (--port is not ignored outside the VPC).
    /// </summary>
    private static IReadOnlyList<GroupVerdict> EgressFor(EnvironmentSpec env, SubnetSpec sourceSubnet, uint destination, int? port, IpProtocol protocol)
    {
        if (env.Cluster is null)
        {
            return [];
        }

        var groups = SecurityDesign.Build(env.Network, env.Cluster);
        return SecurityDesign.Guarding(groups, sourceSubnet.Role).Select(g =>
        {
            var matching = g.Rules.Where(r => r.Direction == TrafficDirection.Egress
                    && r.Peer.Cidr is { } c && c.Contains(destination)
                    && (port is null || r.Allows(protocol, port.Value)))
                .Select(r => $"{r.Name}: {r.Protocol.ToString().ToLowerInvariant()} {r.PortText} to {r.Peer} (egress)").ToList();
            return new GroupVerdict(g.Name, g.Role.ToString(), port is null ? null : matching.Count > 0, matching);
        }).ToList();
    }

    public static Report ToReport(TraceResult result)
    {
        var blocks = new List<Block>
        {
            new TableBlock(["step", "detail"], result.Path.Select(h => (IReadOnlyList<string>)[h.Step, h.Detail]).ToList()),
            new Paragraph(result.Reachable
                ? $"Result: delivered via {result.Target}."
                : $"Result: not delivered: {result.Path.LastOrDefault()?.Detail ?? "no path"}."),
        };
        if (result.SecurityGroups.Count > 0)
        {
            blocks.Add(new Heading(result.SecurityGroups.Any(g => g.MatchingRules.Any(r => r.EndsWith("(egress)", StringComparison.Ordinal)))
                ? "Security groups that would have to let it out"
                : "Security groups that would have to allow it"));
            blocks.Add(new TableBlock(["group", "role", "allows", "matching rules"], result.SecurityGroups
                .Select(g => (IReadOnlyList<string>)[g.Group, g.Role, g.Allows switch { true => "yes", false => "no", null => "(give --port)" }, g.MatchingRules.Count == 0 ? "none" : string.Join("\n", g.MatchingRules)])
                .ToList()));
            if (result.SecurityGroupsAllow is { } allow)
            {
                blocks.Add(new Paragraph(allow
                    ? "Security groups: allowed (the groups on one interface are a union; one admitting rule is enough)."
                    : "Security groups: denied (no group admits it on this port)."));
            }
        }

        if (result.FailedGateway is not null)
        {
            blocks.Add(new Heading($"If {result.FailedGateway} is down, these destinations lose their route"));
            blocks.Add(new TableBlock(["route table", "destination", "purpose"], result.LostRoutes.Select(l => (IReadOnlyList<string>)[l.RouteTable, l.Destination, l.Purpose]).ToList()));
        }

        if (result.Findings.Count > 0)
        {
            blocks.Add(new Heading("Where the guide's prose and its route tables disagree"));
            blocks.Add(new Bullets(result.Findings.Select(f => f.Text).ToList()));
        }

        return new Report($"trace {result.From} -> {result.To}", blocks, result);
    }
}
