using Infra.Review;
using Infra.StackConfig;

namespace Infra.Discovery;

/// <summary>One place where the stack file and the live original disagree.</summary>
/// <param name="Kind">What drifted: vpc-cidr, vpc-ipv6, internet-gateway, egress-only-gateway, flow-log, nat-gateway, gateway (an appliance in another subnet), subnet, subnet-ipv6, subnet-tag, subnet-extra, route-table, route-missing, route-extra, route-retargeted, association, main-table, security-group, security-group-rule, vpc-endpoint.</param>
/// <param name="Resource">The stack's name for it (and the live id).</param>
/// <param name="Key">The stack-file key to change to follow the live VPC (or whose statement the original should be brought back to).</param>
/// <param name="LiveId">The live object's id.</param>
public sealed record DriftFinding(string Kind, string Resource, string Stack, string Live, string Key, string? LiveId)
{
    /// <summary>Where <see cref="Key"/> stands in the stack file (or the nearest key enclosing it); null without a stack file.</summary>
    public int? Line { get; init; }

    /// <summary>
    /// error: the live VPC routes or admits traffic otherwise than the stack states (a replica built
    /// from the file would behave differently); warning: what it records or labels differs (flow
    /// logs, load balancer tags) or it holds something more the stack does not name.
    /// </summary>
    public string Severity => Kind is "flow-log" or "subnet-tag" or "subnet-extra" ? "warning" : "error";
}

public sealed record DriftResult(string Stack, string VpcId, string Region, IReadOnlyList<DriftFinding> Findings)
{
    public bool Drifted => Findings.Count > 0;

    /// <summary>What drift compared.</summary>
    public IReadOnlyList<string> Compared { get; init; } = [];

    /// <summary>What the live VPC has that drift did not compare, and why: never silent.</summary>
    public IReadOnlyList<string> NotCompared { get; init; } = [];
}

/// <summary>
/// `infra drift`: the stack file against the live VPC its `replicaOf` ids name. Routes missing,
/// extra or retargeted, CIDRs, subnets and their load-balancer discovery tags, route table
/// associations, the VPC's flow logs (one recording the stack's traffic type), and the ingress
/// and egress rules of the security groups the stack names as replicas.
/// What the stack file does not name (a subnet or table without replicaOf) is not compared.
/// </summary>
public static class Drift
{
    /// <summary>
    /// The declared places (<see cref="DeclaredPaths"/>) whose values drift compares with the live
    /// VPC. A test holds it to the declarations: every key discover writes is here, or its declaration
    /// says why drift leaves it; and every finding names a key at or above one of these.
    /// </summary>
    public static IReadOnlySet<string> ComparedKeys { get; } = new HashSet<string>(
    [
        "vpc.replicaOf", "vpc.primaryCidr", "vpc.secondaryCidrs[]", "vpc.amazonIpv6", "vpc.flowLogs.trafficType",
        "subnets.*.*.cidr", "subnets.*.*.replicaOf", "subnets.*.*[].cidr", "subnets.*.*[].replicaOf",
        "subnets.*.*.ipv6Index", "subnets.*.*.assignIpv6", "subnets.*.*.dns64", "subnets.*.*[].ipv6Index", "subnets.*.*[].assignIpv6", "subnets.*.*[].dns64",
        "internetGateway.replicaOf", "egressOnlyInternetGateway.replicaOf",
        "natGateway.enabled", "natGateway.zone", "natGateway.zones[]", "natGateway.replicaOf.*",
        "privateNatGateways.*.subnet", "privateNatGateways.*.replicaOf", "publicNatGateways.*.subnet", "publicNatGateways.*.replicaOf",
        "gateways.*.replicaOf", "gateways.*.interface.subnet",
        "routeTables.*.main", "routeTables.*.replicaOf", "routeTables.*.subnets[]",
        "routeTables.*.routes[].destination", "routeTables.*.routes[].target",
        "routeTables.*.ipv6Routes[].destination", "routeTables.*.ipv6Routes[].target",
        "securityGroups.*.replicaOf",
        .. RuleKeys("ingress"),
        .. RuleKeys("egress"),
        "vpcEndpoints.*.replicaOf", "vpcEndpoints.*.service", "vpcEndpoints.*.type", "vpcEndpoints.*.routeTables[]",
        "vpcEndpoints.*.subnets[]", "vpcEndpoints.*.securityGroups[]", "vpcEndpoints.*.privateDns",
    ], StringComparer.Ordinal);

    /// <summary>How vpc.leftOut names a route discover left out: its table's id and its destination.</summary>
    public static string LeftOutRoute(string tableId, string destination) => $"{tableId}:{destination}";

    private static IEnumerable<string> RuleKeys(string direction) =>
        new[] { "protocol", "fromPort", "toPort", "cidr", "ipv6Cidr", "prefixList", "group", "groupId" }.Select(k => $"securityGroups.*.{direction}[].{k}");


    /// <param name="positions">Where the stack file's keys stand, so each finding names its line.</param>
    public static DriftResult Compare(ValidatedEnvironment env, LiveVpc live, StackFilePositions? positions = null)
    {
        var network = env.Network;
        var findings = new List<DriftFinding>();
        var project = env.Project;
        void Add(string kind, string resource, string stack, string liveText, string key, string? liveId) =>
            findings.Add(new DriftFinding(kind, resource, stack, liveText, key, liveId) { Line = positions?.Find(key)?.Line });

        if (network.Vpc.Primary.Value.ToString() != live.PrimaryCidr)
        {
            Add("vpc-cidr", $"vpc ({live.VpcId})", network.Vpc.Primary.Value.ToString(), live.PrimaryCidr, network.Vpc.Primary.At.Path, live.VpcId);
        }

        var stackSecondary = network.Vpc.Secondary.Select(s => s.Value.ToString()).Order(StringComparer.Ordinal).ToList();
        var liveSecondary = live.SecondaryCidrs.Order(StringComparer.Ordinal).ToList();
        if (!stackSecondary.SequenceEqual(liveSecondary))
        {
            Add("vpc-cidr", $"vpc ({live.VpcId}) secondary", Join(stackSecondary), Join(liveSecondary), $"{project}:vpc.secondaryCidrs", live.VpcId);
        }

        if (network.InternetGatewayReplicaOf is { } igw && live.InternetGatewayId != igw)
        {
            Add("internet-gateway", $"internet gateway ({igw})", $"{igw} attached", live.InternetGatewayId is null ? "(none attached)" : $"{live.InternetGatewayId} attached", $"{project}:internetGateway.replicaOf", live.InternetGatewayId ?? igw);
        }

        // An IPv6 block from Amazon's pool differs between original and replica by nature: compared is whether there is one.
        if (network.Vpc.AmazonIpv6 != (live.Ipv6Cidrs.Count > 0))
        {
            Add("vpc-ipv6", $"vpc ({live.VpcId})", network.Vpc.AmazonIpv6 ? "an IPv6 block from Amazon's pool" : "no IPv6 block", live.Ipv6Cidrs.Count == 0 ? "no IPv6 block" : Join(live.Ipv6Cidrs), $"{project}:vpc.amazonIpv6", live.VpcId);
        }

        if (network.EgressOnlyGateway is { ReplicaOf: { } eigw } && !live.EgressOnlyGateways.Contains(eigw))
        {
            Add("egress-only-gateway", $"egress-only internet gateway ({eigw})", $"{eigw} attached", live.EgressOnlyGateways.Count == 0 ? "(none attached)" : $"{Join(live.EgressOnlyGateways)} attached", $"{project}:egressOnlyInternetGateway.replicaOf", eigw);
        }

        var flowLogs = network.Vpc.FlowLogs;
        if (flowLogs is null ? live.FlowLogs.Count > 0 : !live.FlowLogs.Any(f => f.TrafficType == flowLogs.TrafficType))
        {
            Add("flow-log", $"flow logs of vpc ({live.VpcId})", flowLogs is null ? "none" : $"{flowLogs.TrafficType} traffic", live.FlowLogs.Count == 0 ? "none" : string.Join(", ", live.FlowLogs.Select(f => $"{f.Id}: {f.TrafficType} traffic into {f.DestinationType}")),
                flowLogs?.At.Path ?? $"{project}:vpc", live.VpcId);
        }

        var liveSubnets = live.Subnets.ToDictionary(s => s.Id, StringComparer.Ordinal);
        string? ZoneOfNat(LiveNatGateway nat) => liveSubnets.TryGetValue(nat.SubnetId, out var s) ? s.Zone : null;
        CompareNatGateways(network, project, live, ZoneOfNat, Add);
        foreach (var subnet in network.OrderedSubnets.Where(s => s.ReplicaOf is not null))
        {
            if (!liveSubnets.TryGetValue(subnet.ReplicaOf!, out var original))
            {
                Add("subnet", $"{subnet.Key} ({subnet.ReplicaOf})", subnet.Cidr.ToString(), "(no such subnet in the VPC)", subnet.EntryAt.Path, subnet.ReplicaOf);
                continue;
            }

            if (original.Cidr != subnet.Cidr.ToString() || original.Zone != subnet.Zone)
            {
                Add("subnet", $"{subnet.Key} ({subnet.ReplicaOf})", $"{subnet.Cidr} in {subnet.Zone}", $"{original.Cidr} in {original.Zone}", subnet.At.Path, subnet.ReplicaOf);
            }

            CompareSubnetIpv6(subnet, original, live, Add);

            // The stack always tags its subnets by role; the original is held to the tag only where the
            // VPC uses it (some live subnet carries it), else a freshly discovered VPC that never used
            // the tags would drift at once (the role's tag is then listed as not compared).
            if (subnet.LoadBalancerDiscoveryTag is { } tag && TagInUse(live, tag))
            {
                // The controller discovers a subnet by the tag with the value "1" or "" only
                // (aws-load-balancer-controller, pkg/networking/subnet_resolver.go, the role tag filter).
                if (!original.Tags.TryGetValue(tag, out var value))
                {
                    Add("subnet-tag", $"{subnet.Key} ({subnet.ReplicaOf})", tag, "(not tagged)", subnet.EntryAt.Path, subnet.ReplicaOf);
                }
                else if (value is not ("1" or ""))
                {
                    Add("subnet-tag", $"{subnet.Key} ({subnet.ReplicaOf})", $"{tag}=1", $"{tag}={value} (the load balancer controller does not discover it)", subnet.EntryAt.Path, subnet.ReplicaOf);
                }
            }
        }

        // An appliance by one id whichever the route or the stack names (its instance, else its
        // interface): replicaOf may give either, and a route may target either.
        LiveGateway? LiveAppliance(string id) => live.Gateways.FirstOrDefault(g => g.TargetId == id || g.InstanceId == id || g.NetworkInterfaceId == id);
        string Appliance(string id) => LiveAppliance(id) is { } g ? g.InstanceId ?? g.NetworkInterfaceId ?? id : id;

        // The replica creates an appliance's interface in the subnet the stack names: the original's must sit in that subnet's original.
        var subnetsByKey = network.OrderedSubnets.ToDictionary(s => s.Key, StringComparer.Ordinal);
        foreach (var gateway in network.Gateways.Where(g => g.ReplicaOf is not null && g.InterfaceSubnet is not null))
        {
            if (LiveAppliance(gateway.ReplicaOf!) is { SubnetId: { } liveSubnet } appliance
                && subnetsByKey.TryGetValue(gateway.InterfaceSubnet!, out var stated) && stated.ReplicaOf is { } statedOriginal && liveSubnet != statedOriginal)
            {
                var where = live.Subnets.FirstOrDefault(s => s.Id == liveSubnet) is { } s ? $"{liveSubnet} ({s.Cidr} in {s.Zone})" : liveSubnet;
                Add("gateway", $"{gateway.Name} ({gateway.ReplicaOf})", $"in {gateway.InterfaceSubnet} ({statedOriginal})", $"in {where}", gateway.At.Child("interface").Child("subnet").Path, appliance.TargetId);
            }
        }

        // A NAT gateway by its original where the stack records it, else by its zone.
        var nat = network.Nat;
        var natOriginals = nat.ReplicaOf.Values.Concat(network.NamedNatGateways.Select(n => n.ReplicaOf).OfType<string>()).ToHashSet(StringComparer.Ordinal);
        var liveNats = live.NatGateways.ToDictionary(n => n.Id, StringComparer.Ordinal);
        string LiveNat(string id) => natOriginals.Contains(id) ? id : $"{RouteTarget.NatGatewayName} in {(liveNats.TryGetValue(id, out var n) ? ZoneOfNat(n) : null) ?? id}";

        // A route's target in live terms: the appliance's original id, the internet gateway's, a NAT gateway's, or the kind.
        string StackTarget(RouteTarget target) => target.Kind switch
        {
            RouteTargetKind.NatGateway => nat.ReplicaOf.GetValueOrDefault(target.NatZone(nat)!) ?? $"{RouteTarget.NatGatewayName} in {target.NatZone(nat)}",
            RouteTargetKind.Instance => env.GatewayOf(target).ReplicaOf is { } original ? Appliance(original) : target.Name,
            RouteTargetKind.InternetGateway => network.InternetGatewayReplicaOf ?? RouteTarget.InternetGatewayName,
            // A NAT gateway stated by name by its original's id, as the live route names it.
            RouteTargetKind.PrivateNat or RouteTargetKind.PublicNat => env.NamedNatOf(target).ReplicaOf ?? target.Name,
            // A Gateway Load Balancer endpoint by its original's id, as the live route names it.
            RouteTargetKind.Endpoint => network.VpcEndpoints.FirstOrDefault(e => e.Name == target.GatewayName)?.ReplicaOf ?? target.Name,
            // A transit gateway or peering connection is named by its live id in both.
            _ => target.Name,
        };
        string LiveTarget(LiveRoute route) => route.Kind switch
        {
            LiveTargetKind.InternetGateway when network.InternetGatewayReplicaOf is null => RouteTarget.InternetGatewayName,
            LiveTargetKind.NatGateway => LiveNat(route.TargetId),
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
                Add("route-table", name, $"{table.Routes.Count} routes", "(no such route table in the VPC)", table.At.Path, table.ReplicaOf);
                continue;
            }

            var stackRoutes = table.Routes.ToDictionary(r => r.Destination.ToString(), r => StackTarget(r.Target), StringComparer.Ordinal);
            var routeKeys = table.Routes.ToDictionary(r => r.Destination.ToString(), r => r.At.Path, StringComparer.Ordinal);
            var routesKey = table.At.Child("routes").Path;
            // A route discover left out (vpc.leftOut records it as TABLE:DESTINATION) is said as not compared, not drift.
            bool Kept(LiveRoute r) => r.Kind != LiveTargetKind.Local && !network.Vpc.LeftOut.Contains(LeftOutRoute(original.Id, r.Destination));
            var liveRoutes = original.Routes.Where(r => Kept(r) && r.Family == LiveDestination.Ipv4).ToDictionary(r => r.Destination, LiveTarget, StringComparer.Ordinal);
            foreach (var destination in stackRoutes.Keys.Union(liveRoutes.Keys).OrderBy(Cidr.Parse))
            {
                var inStack = stackRoutes.TryGetValue(destination, out var stackTarget);
                var inLive = liveRoutes.TryGetValue(destination, out var liveTarget);
                if (inStack && !inLive)
                {
                    Add("route-missing", name, $"{destination} -> {ShowLive(stackTarget!)}", "(no route)", routeKeys[destination], table.ReplicaOf);
                }
                else if (!inStack && inLive)
                {
                    Add("route-extra", name, "(no route)", $"{destination} -> {ShowLive(liveTarget!)}", routesKey, table.ReplicaOf);
                }
                else if (stackTarget != liveTarget)
                {
                    Add("route-retargeted", name, $"{destination} -> {ShowLive(stackTarget!)}", $"{destination} -> {ShowLive(liveTarget!)}", routeKeys[destination], table.ReplicaOf);
                }
            }

            // IPv6 routes, where the stack asks for an IPv6 block: the egress-only gateway and the internet gateway by their originals.
            if (network.Vpc.AmazonIpv6)
            {
                // Every target IPv4 routes may have is compared as theirs are; the egress-only gateway by its original.
                string Ipv6Stack(Ipv6RouteSpec r) => r.SharedTarget is { } shared ? StackTarget(shared) : network.EgressOnlyGateway?.ReplicaOf ?? Ipv6RouteSpec.EgressOnlyName;
                string Ipv6Live(LiveRoute r) => r.TargetId.StartsWith("eigw-", StringComparison.Ordinal) && network.EgressOnlyGateway is { ReplicaOf: null } ? Ipv6RouteSpec.EgressOnlyName : LiveTarget(r);
                var stated6 = table.Ipv6Routes.ToDictionary(r => r.Destination, r => (Target: Ipv6Stack(r), r.At), StringComparer.Ordinal);
                var live6 = original.Routes.Where(r => Kept(r) && r.Family == LiveDestination.Ipv6).ToDictionary(r => r.Destination, Ipv6Live, StringComparer.Ordinal);
                foreach (var destination in stated6.Keys.Union(live6.Keys).Order(StringComparer.Ordinal))
                {
                    var inStack = stated6.TryGetValue(destination, out var stack6);
                    var inLive = live6.TryGetValue(destination, out var liveTarget6);
                    if (inStack && !inLive)
                    {
                        Add("route-missing", name, $"{destination} -> {stack6.Target}", "(no route)", stack6.At.Path, table.ReplicaOf);
                    }
                    else if (!inStack && inLive)
                    {
                        Add("route-extra", name, "(no route)", $"{destination} -> {liveTarget6}", table.At.Child("ipv6Routes").Path, table.ReplicaOf);
                    }
                    else if (stack6.Target != liveTarget6)
                    {
                        Add("route-retargeted", name, $"{destination} -> {stack6.Target}", $"{destination} -> {liveTarget6}", stack6.At.Path, table.ReplicaOf);
                    }
                }
            }

            // Compared only where the stack names every associated subnet's original.
            var associated = env.AssociatedSubnets(table);
            if (associated.All(s => s.ReplicaOf is not null))
            {
                var stackAssociated = associated.Select(s => s.ReplicaOf!).Order(StringComparer.Ordinal).ToList();
                // Subnets discover left out (vpc.leftOut) stay associated live; they are said as not compared.
                var liveAssociated = original.SubnetIds.Where(id => !network.Vpc.LeftOut.Contains(id)).Order(StringComparer.Ordinal).ToList();
                if (!stackAssociated.SequenceEqual(liveAssociated))
                {
                    Add("association", name, Join(stackAssociated), Join(liveAssociated), table.IsMain ? table.At.Path : table.At.Child("subnets").Path, table.ReplicaOf);
                }
            }
        }

        // The main table: which live table is main is a fact of the VPC the stack states.
        if (network.RouteTables.FirstOrDefault(t => t.IsMain) is { ReplicaOf: { } mainOriginal } main && live.MainTable is { } liveMain && liveMain.Id != mainOriginal)
        {
            Add("main-table", $"{main.Name} ({mainOriginal})", $"{mainOriginal} is main", $"{liveMain.Id} is main", main.At.Child("main").Path, liveMain.Id);
        }

        // A live subnet the stack does not name, when the stack names every one of its own: one more in the VPC.
        if (network.OrderedSubnets.All(s => s.ReplicaOf is not null))
        {
            var named = network.OrderedSubnets.Select(s => s.ReplicaOf!).Concat(network.Vpc.LeftOut).ToHashSet(StringComparer.Ordinal);
            foreach (var extra in live.Subnets.Where(s => !named.Contains(s.Id)))
            {
                Add("subnet-extra", $"({extra.Id})", "(not in the stack file)", $"{extra.Blocks} in {extra.Zone}", $"{project}:subnets", extra.Id);
            }
        }

        CompareSecurityGroups(env, live, Add);
        CompareEndpoints(env, live, Add);
        var namedGroups = env.SecurityGroups.Where(g => g.ReplicaOf is not null && g.Role != SecurityGroupRole.EksManaged).Select(g => g.ReplicaOf!).ToHashSet(StringComparer.Ordinal);
        // Errors first, each kind in the order compared (OrderBy is stable).
        return new DriftResult(env.Stack, live.VpcId, live.Region, [.. findings.OrderBy(f => f.Severity == "error" ? 0 : 1)])
        {
            Compared =
            [
                "the VPC's primary and secondary IPv4 CIDRs, whether it has an IPv6 block (not the block: the replica's is its own)", "its internet gateway and egress-only internet gateway", "its flow logs",
                "its NAT gateways: each original natGateway.replicaOf names, in its zone, and no others when every zone names one (without originals, how many there are); each private and public NAT gateway stated by name by its original, of its kind, in its subnet, and no other private ones when each stated one names its original",
                "each subnet the stack names (CIDR, zone, load balancer discovery tag, its IPv6 /64 by its place in the VPC's block, assignIpv6, dns64), and subnets it does not name when it names all of its own",
                "each route table the stack names: its IPv4 routes and, with an IPv6 block, its IPv6 routes and their targets, its associations, which table is main",
                "each VPC endpoint the stack states: service, type, route tables, zones of its interfaces, groups the stack names, private DNS; and no others when it names all of its own",
                $"the ingress and egress rules of the {namedGroups.Count} security group(s) the stack names as replicas, its stated securityGroups among them (protocol, ports or ICMP type and code, and IPv4, IPv6, prefix-list or group peer; rule descriptions are not compared)",
            ],
            NotCompared = [.. NotCompared(env, live, namedGroups), .. DeclaredNotCompared(positions)],
        };
    }

    /// <summary>
    /// The keys the stack file sets whose declarations say drift leaves them alone, and why
    /// (`.NotCompared(why)` in src/Infra.StackConfig/Keys): never silent about what it skips.
    /// </summary>
    private static IEnumerable<string> DeclaredNotCompared(StackFilePositions? positions)
    {
        var given = positions?.Keys.Keys.Select(DeclaredPaths.Of).OfType<string>().ToHashSet(StringComparer.Ordinal) ?? [];
        return DeclaredPaths.All
            .Where(p => p.NotComparedAt is { } at && given.Any(g => g == at || g.StartsWith($"{at}.", StringComparison.Ordinal) || g.StartsWith($"{at}[", StringComparison.Ordinal)))
            .GroupBy(p => (At: p.NotComparedAt!, Why: p.NotCompared!))
            .Select(g => g.Key)
            .GroupBy(k => k.Why)
            .Select(g => $"{string.Join(", ", g.Select(k => k.At))}: {g.Key}");
    }

    /// <summary>
    /// A replica subnet's IPv6 side against its original's: the /64's index in the VPC's first block
    /// (the replica's block is its own, the index is what the two share), and the two flags. A block
    /// the stack cannot state (<see cref="LiveSubnet.Ipv6IndexIn"/>) is said as not compared instead.
    /// </summary>
    private static void CompareSubnetIpv6(SubnetSpec subnet, LiveSubnet original, LiveVpc live, Action<string, string, string, string, string, string?> add)
    {
        var (index, why) = original.Ipv6IndexIn(live);
        if (why is not null)
        {
            return;
        }

        var what = $"{subnet.Key} ({subnet.ReplicaOf})";
        var at = subnet.Ipv6?.At.Path ?? subnet.EntryAt.Child("ipv6Index").Path;
        if (subnet.Ipv6?.Index != index)
        {
            add("subnet-ipv6", what, subnet.Ipv6 is { } stated ? $"IPv6 /64 number {stated.Index}" : "no IPv6 block", index is { } liveIndex ? $"IPv6 /64 number {liveIndex} ({original.Ipv6Cidrs[0]})" : "no IPv6 block", at, subnet.ReplicaOf);
            return;
        }

        if (subnet.Ipv6 is not { } ipv6)
        {
            return;
        }

        foreach (var (key, stated, actual) in new[] { ("assignIpv6", ipv6.AssignOnCreation, original.AssignIpv6OnCreation), ("dns64", ipv6.Dns64, original.Dns64) }.Where(f => f.Item2 != f.Item3))
        {
            add("subnet-ipv6", what, $"{key}: {(stated ? "true" : "false")}", $"{key}: {(actual ? "true" : "false")}", subnet.EntryAt.Child(key).Path, subnet.ReplicaOf);
        }
    }

    /// <summary>
    /// The NAT gateways: each original the stack records must be there, in its zone; with an
    /// original for every zone, another live one is one more; without originals, their number.
    /// </summary>
    private static void CompareNatGateways(NetworkSpec network, string project, LiveVpc live, Func<LiveNatGateway, string?> zoneOf, Action<string, string, string, string, string, string?> add)
    {
        var key = $"{project}:natGateway";
        var nat = network.Nat;
        CompareNamedNatGateways(network, project, live, isPublic: false, add);
        CompareNamedNatGateways(network, project, live, isPublic: true, add);
        var zones = nat.ActiveZones;
        // The public NAT gateways publicNatGateways names by their originals are theirs to compare.
        var namedPublic = network.PublicNatGateways.Select(n => n.ReplicaOf).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var counted = live.NatGateways.Where(n => !n.IsPrivate && !network.Vpc.LeftOut.Contains(n.Id) && !namedPublic.Contains(n.Id)).ToList();
        if (nat.ReplicaOf.Count == 0)
        {
            if (zones.Count + network.PublicNatGateways.Count(n => n.ReplicaOf is null) != counted.Count)
            {
                add("nat-gateway", "NAT gateways", zones.Count == 0 ? "none" : $"{zones.Count} ({string.Join(", ", zones)})", counted.Count == 0 ? "none" : string.Join(", ", counted.Select(n => $"{n.Id} in {zoneOf(n)}")),
                    key, counted.FirstOrDefault()?.Id);
            }

            return;
        }

        var byId = live.NatGateways.ToDictionary(n => n.Id, StringComparer.Ordinal);
        foreach (var zone in zones.Where(nat.ReplicaOf.ContainsKey))
        {
            var id = nat.ReplicaOf[zone];
            if (!byId.TryGetValue(id, out var original))
            {
                add("nat-gateway", $"NAT gateway in {zone} ({id})", $"{id} in {zone}", "(no such NAT gateway in the VPC)", $"{key}.replicaOf.{zone}", id);
            }
            else if (zoneOf(original) != zone)
            {
                add("nat-gateway", $"NAT gateway in {zone} ({id})", $"{id} in {zone}", $"{id} in {zoneOf(original)}", $"{key}.replicaOf.{zone}", id);
            }
        }

        if (zones.All(nat.ReplicaOf.ContainsKey) && network.PublicNatGateways.All(n => n.ReplicaOf is not null))
        {
            var named = nat.ReplicaOf.Values.ToHashSet(StringComparer.Ordinal);
            foreach (var extra in counted.Where(n => !named.Contains(n.Id)))
            {
                // One more in a zone that has its NAT gateway is a further one, publicNatGateways' to state.
                var further = zoneOf(extra) is { } zone && zones.Contains(zone);
                add("nat-gateway", $"({extra.Id})", "(not in the stack file)", $"{extra.Id} in {zoneOf(extra)}", further ? $"{project}:publicNatGateways" : key, extra.Id);
            }
        }
    }

    /// <summary>
    /// The NAT gateways stated by name, private or public: each original the stack records must be
    /// there, of its kind, in the original of its stated subnet; when every private one records its
    /// original, another live private one is one more (another public one is <see cref="CompareNatGateways"/>'s).
    /// </summary>
    private static void CompareNamedNatGateways(NetworkSpec network, string project, LiveVpc live, bool isPublic, Action<string, string, string, string, string, string?> add)
    {
        var kind = isPublic ? "public" : "private";
        var stated = isPublic ? network.PublicNatGateways : network.PrivateNatGateways;
        var byId = live.NatGateways.ToDictionary(n => n.Id, StringComparer.Ordinal);
        foreach (var nat in stated.Where(n => n.ReplicaOf is not null))
        {
            var statedSubnet = network.FindSubnet(nat.Subnet)?.ReplicaOf;
            if (!byId.TryGetValue(nat.ReplicaOf!, out var original))
            {
                add("nat-gateway", $"{kind} NAT gateway {nat.Name} ({nat.ReplicaOf})", $"{nat.ReplicaOf} in {nat.Subnet}", "(no such NAT gateway in the VPC)", nat.At.Child("replicaOf").Path, nat.ReplicaOf);
            }
            else if (original.IsPrivate == isPublic)
            {
                add("nat-gateway", $"{kind} NAT gateway {nat.Name} ({nat.ReplicaOf})", $"a {kind} NAT gateway", $"a {(original.IsPrivate ? "private" : "public")} NAT gateway", nat.At.Child("replicaOf").Path, nat.ReplicaOf);
            }
            else if (statedSubnet is not null && original.SubnetId != statedSubnet)
            {
                add("nat-gateway", $"{kind} NAT gateway {nat.Name} ({nat.ReplicaOf})", $"in {nat.Subnet} ({statedSubnet})", $"in {original.SubnetId}", nat.At.Child("subnet").Path, nat.ReplicaOf);
            }
        }

        if (!isPublic && network.PrivateNatGateways.All(n => n.ReplicaOf is not null))
        {
            var named = network.PrivateNatGateways.Select(n => n.ReplicaOf!).ToHashSet(StringComparer.Ordinal);
            foreach (var extra in live.NatGateways.Where(n => n.IsPrivate && !named.Contains(n.Id) && !network.Vpc.LeftOut.Contains(n.Id)))
            {
                add("nat-gateway", $"({extra.Id})", "(not in the stack file)", $"private NAT gateway {extra.Id} in {extra.SubnetId}", $"{project}:privateNatGateways", extra.Id);
            }
        }
    }

    /// <summary>Whether any live subnet carries a role's load balancer discovery tag (the VPC uses the convention).</summary>
    private static bool TagInUse(LiveVpc live, string tag) => live.Subnets.Any(s => s.Tags.ContainsKey(tag));

    /// <summary>What the live VPC holds that the stack format cannot state, or that drift does not compare yet: said, with counts.</summary>
    private static List<string> NotCompared(ValidatedEnvironment env, LiveVpc live, IReadOnlySet<string> namedGroups)
    {
        var notCompared = new List<string>();
        void Note(int count, string what)
        {
            if (count > 0)
            {
                notCompared.Add($"{count} {what}");
            }
        }

        var routes = live.RouteTables.SelectMany(t => t.Routes).Where(r => r.Kind != LiveTargetKind.Local).ToList();
        if (!env.Network.Vpc.AmazonIpv6)
        {
            Note(routes.Count(r => r.Family == LiveDestination.Ipv6), "IPv6 route(s): the stack asks for no IPv6 block (vpc.amazonIpv6)");
        }

        var statedEndpoints = env.Network.VpcEndpoints.Select(e => e.ReplicaOf).OfType<string>().ToHashSet(StringComparer.Ordinal);
        Note(routes.Count(r => r.Family == LiveDestination.PrefixList && !statedEndpoints.Contains(r.TargetId)), "prefix-list route(s) to no endpoint the stack states (those of stated gateway endpoints are compared as the endpoints' route tables)");
        Note(routes.Count(r => r.Family == LiveDestination.Ipv4 && r.Kind == LiveTargetKind.Unsupported && !RouteTarget.IsExistingId(r.TargetId) && !statedEndpoints.Contains(r.TargetId)), "IPv4 route(s) to targets the stack has no key for (carrier or local gateways, endpoints it does not state; those discover left out are in vpc.leftOut, any other counts as an extra route where its table is named)");
        Note(live.Endpoints.Count(e => !statedEndpoints.Contains(e.Id)), "VPC endpoint(s) the stack does not state (vpcEndpoints)");
        Note(live.EgressOnlyGateways.Count(e => e != env.Network.EgressOnlyGateway?.ReplicaOf), "egress-only internet gateway(s) the stack does not name");
        Note(live.Subnets.Count(s => s.Ipv6IndexIn(live).Why is not null), "subnet IPv6 block(s) the stack cannot state (not a /64 of the VPC's first IPv6 block, or several)");
        Note(live.SecurityGroups.Count(g => g.Name != "default" && !namedGroups.Contains(g.Id)), "security group(s) the stack does not name as a replica");
        Note(live.SecurityGroups.Where(g => namedGroups.Contains(g.Id)).SelectMany(g => g.Ingress.Concat(g.Egress)).Count(r => r.KnownProtocol is null), "rule(s) of the named groups of a protocol the stack has no name for (ESP, GRE, ...)");
        Note(env.Network.Vpc.LeftOut.Count, $"object(s) discover left out, as vpc.leftOut records ({string.Join(", ", env.Network.Vpc.LeftOut)})");
        foreach (var tag in env.Network.OrderedSubnets.Select(s => s.Role.LoadBalancerDiscoveryTag()).OfType<string>().Distinct().Where(t => !TagInUse(live, t)).Order(StringComparer.Ordinal))
        {
            notCompared.Add($"the {tag} tag: no live subnet carries it, so the originals are not held to the tag the replica's subnets get");
        }

        Note(env.Network.OrderedSubnets.Count(s => s.ReplicaOf is null), "subnet(s) of the stack without a replicaOf, and so without an original to compare");
        Note(env.Network.RouteTables.Count(t => t.ReplicaOf is null), "route table(s) of the stack without a replicaOf");
        return notCompared;
    }

    /// <summary>Ingress and egress rules of the design's groups that name a live group as their original.</summary>
    private static void CompareSecurityGroups(ValidatedEnvironment env, LiveVpc live, Action<string, string, string, string, string, string?> add)
    {
        var design = env.SecurityGroups;
        var idOf = design.Where(g => g.ReplicaOf is not null).ToDictionary(g => g.Name, g => g.ReplicaOf!, StringComparer.Ordinal);
        // Groups both sides can name: the stack's originals, and the groups its stated rules name by id.
        var known = idOf.Values.Concat(design.SelectMany(g => g.Rules).Select(r => r.Peer.GroupId).OfType<string>()).ToHashSet(StringComparer.Ordinal);
        var liveGroups = live.SecurityGroups.ToDictionary(g => g.Id, StringComparer.Ordinal);
        foreach (var group in design.Where(g => g.ReplicaOf is not null && g.Role != SecurityGroupRole.EksManaged))
        {
            var name = $"{group.Name} ({group.ReplicaOf})";
            var key = ReplicaOfKey(env, group);
            if (!liveGroups.TryGetValue(group.ReplicaOf!, out var original))
            {
                add("security-group", name, $"{group.Rules.Count} rules", "(no such group in the VPC)", key, group.ReplicaOf);
                continue;
            }

            foreach (var direction in new[] { TrafficDirection.Ingress, TrafficDirection.Egress })
            {
                var word = direction == TrafficDirection.Ingress ? "from" : "to";
                // Only rules whose peer both sides can name: a CIDR, or a group the stack names as a replica.
                var expected = group.Rules.Where(r => r.Direction == direction && !r.CreatedByEks)
                    .Select(r => (r.Peer.Cidr?.ToString() ?? r.Peer.Ipv6Cidr ?? r.Peer.PrefixListId ?? r.Peer.GroupId ?? idOf.GetValueOrDefault(r.Peer.GroupName!)) is { } peer
                        ? RuleText(r.Protocol, r.FromPort, r.ToPort, word, peer)
                        : null)
                    .OfType<string>().ToHashSet(StringComparer.Ordinal);
                // Every live peer but a group the stack does not name: an IPv6 block or a prefix list the
                // stack never states is drift all the same. Egress counts as ingress does: the replica's
                // groups carry exactly the egress the design states: AWS gives every new group an
                // allow-all egress rule, and the provider revokes it on create before writing the
                // design's (terraform-provider-aws, internal/service/ec2/vpc_security_group.go,
                // resourceSecurityGroupCreate).
                var rules = direction == TrafficDirection.Ingress ? original.Ingress : original.Egress;
                // A rule of a protocol the stack has no name for (ESP, GRE) is said as not compared.
                var actual = rules.Where(r => r.KnownProtocol is not null && (!r.Peer.StartsWith("sg-", StringComparison.Ordinal) || known.Contains(r.Peer)))
                    .Select(r => RuleText(r.KnownProtocol!.Value, r.FromPort, r.ToPort, word, r.Peer))
                    .ToHashSet(StringComparer.Ordinal);
                foreach (var missing in expected.Except(actual).Order(StringComparer.Ordinal))
                {
                    add("security-group-rule", name, missing, "(no such rule)", key, group.ReplicaOf);
                }

                foreach (var extra in actual.Except(expected).Order(StringComparer.Ordinal))
                {
                    add("security-group-rule", name, "(no such rule)", extra, key, group.ReplicaOf);
                }
            }
        }
    }

    /// <summary>The VPC endpoints the stack states with their originals.</summary>
    private static void CompareEndpoints(ValidatedEnvironment env, LiveVpc live, Action<string, string, string, string, string, string?> add)
    {
        var network = env.Network;
        var byId = live.Endpoints.ToDictionary(e => e.Id, StringComparer.Ordinal);
        var tableIds = network.RouteTables.Where(t => t.ReplicaOf is not null).ToDictionary(t => t.Name, t => t.ReplicaOf!, StringComparer.Ordinal);
        var groupIds = env.SecurityGroups.Where(g => g.ReplicaOf is not null).ToDictionary(g => g.Name, g => g.ReplicaOf!, StringComparer.Ordinal);
        var zoneOf = live.Subnets.ToDictionary(s => s.Id, s => s.Zone, StringComparer.Ordinal);
        foreach (var endpoint in network.VpcEndpoints.Where(e => e.ReplicaOf is not null))
        {
            var name = $"{endpoint.Name} ({endpoint.ReplicaOf})";
            if (!byId.TryGetValue(endpoint.ReplicaOf!, out var original))
            {
                add("vpc-endpoint", name, $"{endpoint.Kind} {endpoint.Service}", "(no such endpoint in the VPC)", endpoint.At.Path, endpoint.ReplicaOf);
                continue;
            }

            void Differ(string what, string key, IEnumerable<string> stack, IEnumerable<string> liveValues)
            {
                var (stated, actual) = (stack.Order(StringComparer.Ordinal).ToList(), liveValues.Order(StringComparer.Ordinal).ToList());
                if (!stated.SequenceEqual(actual))
                {
                    add("vpc-endpoint", name, $"{what}: {Join(stated)}", $"{what}: {Join(actual)}", endpoint.At.Child(key).Path, original.Id);
                }
            }

            Differ("service", "service", [endpoint.Service], [original.ServiceName]);
            Differ("type", "type", [endpoint.Kind.ToString()], [original.Type]);
            if (endpoint.Kind == VpcEndpointKind.Gateway)
            {
                // Tables by their originals; a table the stack does not name is not compared.
                var named = tableIds.Values.ToHashSet(StringComparer.Ordinal);
                Differ("route tables", "routeTables", endpoint.RouteTables.Select(t => tableIds.GetValueOrDefault(t.Value)).OfType<string>(), original.RouteTableIds.Where(named.Contains));
            }
            else
            {
                // Its subnets by their originals where the stack names every one's, else by zone (one interface per zone).
                var stated = endpoint.Subnets.Select(s => network.FindSubnet(s.Value)).OfType<SubnetSpec>().ToList();
                if (stated.All(s => s.ReplicaOf is not null))
                {
                    Differ("subnets", "subnets", stated.Select(s => s.ReplicaOf!), original.SubnetIds);
                }
                else
                {
                    Differ("zones", "subnets", stated.Select(s => s.Zone).Distinct(), original.SubnetIds.Select(id => zoneOf.GetValueOrDefault(id) ?? id).Distinct());
                }

                var known = groupIds.Values.ToHashSet(StringComparer.Ordinal);
                Differ("security groups", "securityGroups", endpoint.SecurityGroups.Select(g => groupIds.GetValueOrDefault(g.Value)).OfType<string>(), original.GroupIds.Where(known.Contains));
                Differ("private DNS", "privateDns", [endpoint.PrivateDns ? "on" : "off"], [original.PrivateDns ? "on" : "off"]);
            }
        }

        if (network.VpcEndpoints.Count > 0 && network.VpcEndpoints.All(e => e.ReplicaOf is not null))
        {
            var stated = network.VpcEndpoints.Select(e => e.ReplicaOf!).ToHashSet(StringComparer.Ordinal);
            foreach (var extra in live.Endpoints.Where(e => !stated.Contains(e.Id) && !network.Vpc.LeftOut.Contains(e.Id) && e.Type is "Gateway" or "Interface" or "GatewayLoadBalancer"))
            {
                add("vpc-endpoint", $"({extra.Id})", "(not in the stack file)", $"{extra.Type} {extra.ServiceName}", $"{env.Project}:vpcEndpoints", extra.Id);
            }
        }
    }

    /// <summary>
    /// The key that names a group's original: the stack derives the group's rules from its design,
    /// so the place to look is where the stack says which live group it stands for.
    /// </summary>
    private static string ReplicaOfKey(ValidatedEnvironment env, SecurityGroupDesign group) => group.Role switch
    {
        SecurityGroupRole.Nodes when env.Cluster?.NodeGroups.FirstOrDefault(g => g.ReplicaOfSecurityGroup == group.ReplicaOf) is { } nodes => nodes.At.Child("replicaOf").Child("securityGroup").Path,
        SecurityGroupRole.LoadBalancer when env.Cluster?.Applications.FirstOrDefault(a => a.ReplicaOfSecurityGroup == group.ReplicaOf) is { } app => app.At.Child("replicaOf").Path,
        SecurityGroupRole.Stated when group.At is { } at => at.Child("replicaOf").Path,
        _ => $"{env.Project}:cluster.replicaOf.securityGroup",
    };

    /// <summary>A rule as both sides say it: a protocol by its name, ports (or an ICMP type and code), the peer.</summary>
    private static string RuleText(IpProtocol protocol, int from, int to, string word, string peer) =>
        protocol == IpProtocol.All ? $"all {word} {peer}"
        : protocol.HasIcmpTypes() ? $"{protocol.Ec2Name()} type {(from < 0 ? "any" : from)} code {(to < 0 ? "any" : to)} {word} {peer}"
        : RuleText(protocol.Ec2Name(), from, to, word, peer);

    /// <summary>A port rule: one port or a range.</summary>
    private static string RuleText(string protocol, int from, int to, string word, string peer) =>
        from == to ? $"{protocol} {from} {word} {peer}" : $"{protocol} {from}-{to} {word} {peer}";

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
            blocks.Add(new TableBlock(["what", "resource", "stack file (key to change)", "live"],
                result.Findings.Select(f => (IReadOnlyList<string>)[$"{f.Severity}: {f.Kind}", f.Resource, $"{f.Stack}\n{f.Key}{(f.Line is { } line ? $" (Pulumi.{result.Stack}.yaml:{line})" : "")}", f.Live]).ToList()));
            blocks.Add(new Paragraph("Follow the live VPC by changing the key named, or bring the original back to what the stack file states. error: it routes or admits traffic otherwise; warning: it records or labels otherwise, or holds more."));
        }

        blocks.Add(new Paragraph("Compared:"));
        blocks.Add(new Bullets(result.Compared));
        if (result.NotCompared.Count > 0)
        {
            blocks.Add(new Paragraph("Not compared (the live VPC has them; the stack cannot state them, or drift does not compare them yet):"));
            blocks.Add(new Bullets(result.NotCompared));
        }

        return new Report($"drift {result.Stack} <-> {result.VpcId}", blocks, ReportData.Of(result, DriftJson.Reports.DriftResult));
    }
}
