using System.Globalization;
using System.Text.RegularExpressions;
using Infra.Emit;
using Infra.Review;
using Infra.StackConfig;

namespace Infra.Discovery;

/// <summary>
/// Writes the stack file `discover` produces: the live VPC in the shipped stack format, every
/// original id as `replicaOf`, and a comment wherever something was inferred rather than read.
/// Deterministic: the same VPC gives the same bytes (ids sorted, no date).
/// </summary>
public static partial class StackFileWriter
{
    /// <summary>One kind of object discover read, and what became of each: written, or left out with why.</summary>
    public sealed record InventoryLine(string Kind, int Read, int Written, IReadOnlyList<string> LeftOut);

    /// <summary>The stack file, and the account of everything read (nothing is dropped without a word).</summary>
    public sealed record DiscoveredStack(StackDocument Document, string Project, IReadOnlyList<InventoryLine> Inventory)
    {
        /// <summary>The gate's findings on the original's own groups that the file accepts by waiver, said on stderr.</summary>
        public IReadOnlyList<string> Accepted { get; init; } = [];

        /// <summary>Config entries after the document's own (the waivers <see cref="AcceptingOriginalGroups"/> adds).</summary>
        private DocMap? Appended { get; init; }

        /// <summary>The declared places the file writes values at, and any key it writes that no declaration holds.</summary>
        public WrittenKeys Keys => WrittenKeys.Of(Project, Appended is null ? [Document.Config] : [Document.Config, Appended]);

        /// <summary>The stack file's text, through the one stack file writer.</summary>
        public string Text => YamlWriter.WriteStackFile(Document) + (Appended is null ? "" : YamlWriter.WriteStackFileEntries(Appended));

        /// <summary>
        /// The file accepting what the compiler's gate refuses in the original's own security
        /// groups (INFRA001, INFRA002: rules admitting the internet), by a waiver that says so:
        /// discover replicates what is there and says where it is open, rather than write nothing or
        /// drop the rules (drift would then see them as changes). Null when the gate refuses
        /// anything else, which discover reports as it is.
        /// </summary>
        public DiscoveredStack? AcceptingOriginalGroups(IReadOnlyList<ConfigProblem> problems)
        {
            var prefix = $"{Project}:securityGroups.";
            if (Accepted.Count > 0 || problems.Count == 0 || problems.Any(p => p.Value is not ("INFRA001" or "INFRA002") || !p.Key.StartsWith(prefix, StringComparison.Ordinal)))
            {
                return null;
            }

            var waivers = problems.GroupBy(p => p.Value).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => (Rule: g.Key, Groups: g.Select(p => p.Key[prefix.Length..].Split('.')[0]).Distinct().Order(StringComparer.Ordinal).ToList()))
                .ToList();
            var appended = new DocMap();
            appended.Comment("inferred: the original's own groups admit the internet as written above; accepted so that the replica is");
            appended.Comment("the original. Review each before `pulumi up`, and remove the waiver once the rules are narrowed.");
            var written = appended.Map($"{Project}:policy").Map("waivers");
            foreach (var (rule, groups) in waivers)
            {
                written.Add(rule, $"discovered as the original VPC has it: securityGroups {string.Join(", ", groups)} admit the internet; review before pulumi up");
            }

            return this with { Appended = appended, Accepted = [.. waivers.Select(w => $"{w.Rule} waived for securityGroups {string.Join(", ", w.Groups)}: they admit the internet as the original's do; review them before `pulumi up`")] };
        }

        /// <summary>One line per kind, as discover prints it on stderr.</summary>
        public IEnumerable<string> Summary() => Inventory.Where(l => l.Read > 0).Select(l =>
            $"{l.Kind}: {l.Read} read, {l.Written} written{(l.LeftOut.Count > 0 ? $", {l.LeftOut.Count} left out ({string.Join("; ", l.LeftOut.Take(3))}{(l.LeftOut.Count > 3 ? "; ..." : "")})" : "")}")
            .Concat(Unfilled().Select(u => $"not filled in: {u}"));

        /// <summary>
        /// Keys of the sections the file writes that discover cannot fill in, with why (their
        /// declarations' `.NotDiscovered(why)`): the user learns what to add by hand.
        /// </summary>
        public IEnumerable<string> Unfilled()
        {
            // A key declared not discovered whose mapping the file writes (cluster.accessEntries with cluster).
            var written = Keys.Written;
            bool MappingWritten(string at) => at.LastIndexOf('.') is var dot and > 0 && at[..dot] is var parent
                && written.Any(w => w.StartsWith($"{parent}.", StringComparison.Ordinal) || w.StartsWith($"{parent}[", StringComparison.Ordinal));
            return DeclaredPaths.All
                .Where(p => p.NotDiscoveredAt is { } at && MappingWritten(at))
                .Select(p => (At: p.NotDiscoveredAt!, Why: p.NotDiscovered!))
                .Distinct()
                .GroupBy(k => k.Why)
                .Select(g => $"{string.Join(", ", g.Select(k => k.At))} ({g.Key})");
        }
    }

    /// <summary>Why a subnet was given its role; <see cref="Ordinal"/> is its place among its role's in its zone (1: the one the design uses).</summary>
    public sealed record SubnetRoleReading(LiveSubnet Subnet, SubnetRole Role, string Why)
    {
        public int Ordinal { get; init; } = 1;

        /// <summary>How the stack file names the subnet: `role/zone`, or `role/zone/2` for a zone's second of the role.</summary>
        public string Key => SubnetSpec.KeyOf(Role, Subnet.Zone, Ordinal);
    }

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NotNameCharacters();

    /// <summary>A name the stack format accepts (lower-case words joined by hyphens), from a tag.</summary>
    /// <remarks>
    /// A name is a key and a reference in the file (a table, a gateway a route targets): one a YAML
    /// reader would resolve to a boolean, a number or null ("yes", "true", "1e3", "null") gets an
    /// "x-" in front, so that Pulumi's reader and ours both read it back as the name.
    /// </remarks>
    public static string Slug(string text) => NotNameCharacters().Replace(text.ToLowerInvariant(), "-").Trim('-') switch
    {
        { Length: 0 } => "unnamed",
        var slug when YamlScalars.NeedsQuotes(slug) => $"x-{slug}",
        var slug => slug,
    };

    /// <summary>The name, or the name with the first free "-2", "-3", ... suffix; taken from then on.</summary>
    internal static string Unique(string name, HashSet<string> taken)
    {
        var unique = name;
        for (var n = 2; !taken.Add(unique); n++)
        {
            unique = $"{name}-{n}";
        }

        return unique;
    }

    /// <summary>Each subnet's role, and why: the stack's roles from what AWS shows of them.</summary>
    public static IReadOnlyList<SubnetRoleReading> Roles(LiveVpc vpc)
    {
        var secondary = vpc.SecondaryCidrs.Select(Cidr.Parse).ToList();
        var podRole = SubnetRoles.With(ClusterUse.EniConfigs);
        var nodeRole = SubnetRoles.With(ClusterUse.ClusterAndNodes);
        var publicRole = SubnetRoles.Policies.Single(p => !p.Private).Role;
        var readings = new List<SubnetRoleReading>();
        // An IPv6-only subnet has no IPv4 block, which every subnet of the stack has: left out (see Write).
        foreach (var subnet in vpc.Subnets.Where(s => !s.IsIpv6Only))
        {
            var cidr = Cidr.Parse(subnet.Cidr);
            var table = vpc.TableOf(subnet);
            var defaultToIgw = table?.Routes.Any(r => r.Destination == "0.0.0.0/0" && r.Kind == LiveTargetKind.InternetGateway) == true;
            readings.Add(
                secondary.Where(c => c.Contains(cidr)).Select(c => (Cidr?)c).FirstOrDefault() is { } block ? new(subnet, podRole, $"in the secondary CIDR {block}")
                : publicRole.LoadBalancerDiscoveryTag() is { } elb && subnet.Tags.ContainsKey(elb) ? new(subnet, publicRole, $"tagged {elb}")
                : defaultToIgw ? new(subnet, publicRole, "its default route goes to the internet gateway")
                : nodeRole.LoadBalancerDiscoveryTag() is { } internalElb && subnet.Tags.ContainsKey(internalElb) ? new(subnet, nodeRole, $"tagged {internalElb}")
                : new(subnet, nodeRole, "private, in the primary CIDR"));
        }

        return readings;
    }

    /// <summary>
    /// Every subnet with its place among its role's in its zone: first the one a NAT gateway or an
    /// appliance sits in (the replica creates its NAT gateway in the zone's first), then the one
    /// carrying the role's load balancer discovery tag (the replica tags the zone's first so; drift
    /// compares the tag), then by id.
    /// </summary>
    public static IReadOnlyList<SubnetRoleReading> InZoneOrder(IReadOnlyList<SubnetRoleReading> readings, IReadOnlySet<string>? holding = null) =>
        [.. readings.GroupBy(r => (r.Role, r.Subnet.Zone))
            .SelectMany(g => g.OrderBy(r => holding?.Contains(r.Subnet.Id) == true ? 0 : 1)
                .ThenBy(r => r.Role.LoadBalancerDiscoveryTag() is { } tag && r.Subnet.Tags.ContainsKey(tag) ? 0 : 1)
                .ThenBy(r => r.Subnet.Id, StringComparer.Ordinal)
                .Select((r, i) => r with { Ordinal = i + 1 }))];

    /// <summary>The appliances' names in the stack: their Name tags as names, unique, in id order.</summary>
    public static IReadOnlyDictionary<string, string> GatewayNames(LiveVpc vpc)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var taken = new HashSet<string>(StringComparer.Ordinal) { RouteTarget.InternetGatewayName, RouteTarget.NatGatewayName, RouteTarget.LocalName };
        foreach (var gateway in vpc.Gateways)
        {
            var unique = Unique(Slug(gateway.Tags.GetValueOrDefault("Name") ?? $"gateway-{gateway.TargetId}"), taken);
            names[gateway.TargetId] = unique;
            if (gateway.InstanceId is { } instance)
            {
                names.TryAdd(instance, unique);
            }

            if (gateway.NetworkInterfaceId is { } eni)
            {
                names.TryAdd(eni, unique);
            }
        }

        return names;
    }

    /// <summary>The route tables' names in the stack: "main" for the main table, else the Name tag, unique.</summary>
    public static IReadOnlyDictionary<string, string> TableNames(LiveVpc vpc)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var table in vpc.RouteTables.OrderBy(t => !t.Main).ThenBy(t => t.Id, StringComparer.Ordinal))
        {
            names[table.Id] = Unique(table.Main ? "main" : Slug(table.Name ?? table.Id), taken);
        }

        return names;
    }

    public static DiscoveredStack Write(LiveVpc vpc, string project, EksFacts? eks = null)
    {
        // A subnet an appliance or a NAT gateway sits in is kept first: the replica creates them there.
        var holding = vpc.Gateways.Select(g => g.SubnetId).OfType<string>().Concat(vpc.NatGateways.Select(n => n.SubnetId)).ToHashSet(StringComparer.Ordinal);
        var roles = InZoneOrder(Roles(vpc), holding);
        var inventory = new List<InventoryLine>();
        var roleOf = roles.ToDictionary(r => r.Subnet.Id, r => r, StringComparer.Ordinal);
        var (nats, privateNats, publicNats, natsLeftOut) = NatGateways(vpc, roleOf);
        var endpointNames = EndpointNames(vpc);
        var balancerEndpoints = vpc.Endpoints.Where(e => e.Type == "GatewayLoadBalancer" && endpointNames.ContainsKey(e.Id)).ToDictionary(e => e.Id, e => endpointNames[e.Id], StringComparer.Ordinal);
        string KeyOf(string subnetId) => roleOf[subnetId].Key;
        var gatewayNames = GatewayNames(vpc);
        var tableNames = TableNames(vpc);
        var document = new StackDocument();
        document.Header.Add("yaml-language-server: $schema=./schema/stack-config.schema.json");
        document.Header.Add($"Discovered by `infra discover` from {vpc.VpcId} in {vpc.Region}. `replicaOf` records each original id");
        document.Header.Add("(tagged on the new resource, never imported). Comments say what was inferred and why.");
        var config = document.Config;
        DocMap Key(string name, string? comment = null) => config.Map($"{project}:{name}", comment);
        config.Add("aws:region", vpc.Region);

        var vpcKey = Key("vpc");
        vpcKey.Add("name", vpc.Name ?? vpc.VpcId, vpc.Name is null ? "inferred: the VPC has no Name tag" : null);
        vpcKey.Add("primaryCidr", vpc.PrimaryCidr);
        if (vpc.SecondaryCidrs.Count > 0)
        {
            var secondary = vpcKey.List("secondaryCidrs");
            foreach (var cidr in vpc.SecondaryCidrs)
            {
                secondary.Add(cidr);
            }
        }

        vpcKey.Add("replicaOf", vpc.VpcId);
        // Filled as the tables are written (their left-out routes), and removed if nothing was left out.
        var leftOut = vpcKey.List("leftOut", "the original's subnets, NAT gateways and routes (TABLE:DESTINATION) the stack format cannot hold (where they would stand: why); drift does not count them");
        foreach (var id in natsLeftOut.Select(n => n.Nat.Id))
        {
            leftOut.Add(id);
        }

        // An IPv6 block from Amazon's pool is the VPC's own: the replica asks for one of its own.
        if (vpc.Ipv6Cidrs.Count > 0)
        {
            vpcKey.Add("amazonIpv6", DocScalar.Of(true), $"inferred: the original has {vpc.Ipv6Cidrs[0]}; the replica gets its own block from Amazon's pool");
        }

        foreach (var block in vpc.Ipv6Cidrs.Skip(1))
        {
            vpcKey.Comment($"not in the stack format, left out: a second IPv6 block {block} (the stack asks for one)");
        }

        inventory.Add(new("secondary IPv4 CIDR blocks", vpc.SecondaryCidrs.Count, vpc.SecondaryCidrs.Count, []));
        inventory.Add(new("IPv6 CIDR blocks", vpc.Ipv6Cidrs.Count, Math.Min(1, vpc.Ipv6Cidrs.Count), [.. vpc.Ipv6Cidrs.Skip(1).Select(b => $"{b}: the stack asks for one IPv6 block")]));
        // The stack keeps one flow log, to CloudWatch Logs, in a group of its own: the widest one there.
        var replicated = vpc.FlowLogs.Where(f => f.DestinationType == "cloud-watch-logs").OrderBy(f => f.TrafficType != "ALL").ThenBy(f => f.Id, StringComparer.Ordinal).FirstOrDefault();
        if (replicated is not null)
        {
            vpcKey.Map("flowLogs", $"inferred: from {replicated.Id} into {replicated.Destination}; the replica writes into its own group, kept 90 days unless retentionDays says otherwise (the original's retention is not read)")
                .Add("trafficType", replicated.TrafficType);
        }

        foreach (var other in vpc.FlowLogs.Where(f => f != replicated))
        {
            vpcKey.Comment($"not replicated: flow log {other.Id} ({other.TrafficType}) into {other.DestinationType} {other.Destination}; the stack keeps one flow log, to CloudWatch Logs");
        }

        inventory.Add(new("flow logs", vpc.FlowLogs.Count, replicated is null ? 0 : 1, [.. vpc.FlowLogs.Where(f => f != replicated).Select(f => $"{f.Id}: the stack keeps one flow log, to CloudWatch Logs")]));
        var zones = config.List($"{project}:availabilityZones");
        foreach (var zone in roles.Select(r => r.Subnet.Zone).Distinct().Order(StringComparer.Ordinal))
        {
            zones.Add(zone);
        }

        var subnets = Key("subnets");
        var subnetBlocksWritten = 0;
        var subnetBlocksLeftOut = new List<string>();
        foreach (var role in SubnetRoles.All)
        {
            var ofRole = roles.Where(r => r.Role == role).OrderBy(r => r.Subnet.Zone, StringComparer.Ordinal).ToList();
            if (ofRole.Count == 0)
            {
                continue;
            }

            // A zone with one subnet of the role holds it; one with several, a list of them, the first the design's.
            var byZone = subnets.Map(role.Key());
            foreach (var inZone in ofRole.GroupBy(r => r.Subnet.Zone))
            {
                var several = inZone.Count() > 1 ? byZone.List(inZone.Key, "the first is the one the cluster, NAT gateway and endpoints use; the others are role/zone/2, ...") : null;
                foreach (var reading in inZone.OrderBy(r => r.Ordinal))
                {
                    var subnet = several is null
                        ? byZone.Add(reading.Subnet.Zone, new DocMap(flow: true), $"inferred: {reading.Why}")
                        : several.Add(new DocMap(flow: true), $"inferred: {reading.Why}");
                    subnet.Add("cidr", reading.Subnet.Cidr);
                    subnet.Add("replicaOf", reading.Subnet.Id);
                    var (index, why) = reading.Subnet.Ipv6IndexIn(vpc);
                    if (index is not null)
                    {
                        subnet.Add("ipv6Index", DocScalar.Of(index.Value));
                        subnetBlocksWritten++;
                        if (reading.Subnet.AssignIpv6OnCreation)
                        {
                            subnet.Add("assignIpv6", DocScalar.Of(true));
                        }

                        if (reading.Subnet.Dns64)
                        {
                            subnet.Add("dns64", DocScalar.Of(true));
                        }
                    }
                    else if (why is not null)
                    {
                        ((DocContainer?)several ?? byZone).Comment($"not in the stack format, left out: {reading.Subnet.Id}'s IPv6 block {why}");
                        subnetBlocksLeftOut.Add($"{reading.Subnet.Id} {why}");
                    }
                }
            }
        }

        var ipv6Only = vpc.Subnets.Where(s => s.IsIpv6Only).ToList();
        foreach (var subnet in ipv6Only)
        {
            subnets.Comment($"not in the stack format, left out: {subnet.Id} in {subnet.Zone}, IPv6 only ({string.Join(", ", subnet.Ipv6Cidrs)}); every subnet of the stack has an IPv4 block");
            leftOut.Add(subnet.Id);
        }

        inventory.Add(new("subnets", vpc.Subnets.Count, roles.Count, [.. ipv6Only.Select(s => $"{s.Id}: IPv6 only; every subnet of the stack has an IPv4 block")]));
        var subnetBlocks = roles.Sum(r => r.Subnet.Ipv6Cidrs.Count);
        inventory.Add(new("subnet IPv6 blocks", subnetBlocks, subnetBlocksWritten, subnetBlocksLeftOut));

        if (vpc.InternetGatewayId is { } igw)
        {
            Key("internetGateway").Add("replicaOf", igw);
        }

        inventory.Add(new("internet gateways", vpc.InternetGatewayId is null ? 0 : 1, vpc.InternetGatewayId is null ? 0 : 1, []));
        var egressOnly = vpc.EgressOnlyGateways.FirstOrDefault();
        if (egressOnly is not null)
        {
            Key("egressOnlyInternetGateway").Add("replicaOf", egressOnly);
        }

        foreach (var eigw in vpc.EgressOnlyGateways.Skip(1))
        {
            config.Comment($"not in the stack format, left out: a second egress-only internet gateway {eigw} (a VPC has one)");
        }

        inventory.Add(new("egress-only internet gateways", vpc.EgressOnlyGateways.Count, egressOnly is null ? 0 : 1, [.. vpc.EgressOnlyGateways.Skip(1).Select(e => $"{e}: a second egress-only gateway")]));

        var natGateway = Key("natGateway");
        natGateway.Add("enabled", DocScalar.Of(nats.Count > 0));
        if (nats.Count == 1)
        {
            natGateway.Add("zone", nats[0].Zone);
        }
        else if (nats.Count > 1)
        {
            natGateway.List("zones", nats.Select(n => n.Zone));
        }

        if (nats.Count > 0)
        {
            var originals = natGateway.Map("replicaOf", flow: true);
            foreach (var kept in nats)
            {
                originals.Add(kept.Zone, kept.Nat.Id);
            }
        }

        foreach (var (left, why) in natsLeftOut)
        {
            natGateway.Comment($"not in the stack format, left out: the NAT gateway {left.Id}, {why}");
        }

        // A private NAT gateway is named by its original's id: EC2 gives it no name of its own.
        if (privateNats.Count > 0)
        {
            var stated = Key("privateNatGateways");
            foreach (var nat in privateNats)
            {
                var entry = stated.Map(nat.Id, flow: true);
                entry.Add("subnet", KeyOf(nat.SubnetId));
                entry.Add("replicaOf", nat.Id);
            }
        }

        // A further public NAT gateway in a zone, likewise by its original's id.
        if (publicNats.Count > 0)
        {
            var stated = Key("publicNatGateways");
            foreach (var nat in publicNats)
            {
                var entry = stated.Map(nat.Id, flow: true, comment: $"inferred: a further NAT gateway in {roleOf[nat.SubnetId].Subnet.Zone}, beside natGateway's");
                entry.Add("subnet", KeyOf(nat.SubnetId));
                entry.Add("replicaOf", nat.Id);
            }
        }

        inventory.Add(new("NAT gateways", vpc.NatGateways.Count, nats.Count + privateNats.Count + publicNats.Count, [.. natsLeftOut.Select(n => $"{n.Nat.Id}: {n.Why}")]));
        var natTargets = nats.ToDictionary(n => n.Nat.Id, n => nats.Count == 1 ? RouteTarget.NatGatewayName : $"{RouteTarget.NatGatewayName}/{n.Zone}", StringComparer.Ordinal);
        foreach (var nat in privateNats)
        {
            natTargets[nat.Id] = $"{RouteTarget.PrivateNatPrefix}{nat.Id}";
        }

        foreach (var nat in publicNats)
        {
            natTargets[nat.Id] = $"{RouteTarget.PublicNatPrefix}{nat.Id}";
        }

        inventory.Add(new("appliances (route targets)", vpc.Gateways.Count, vpc.Gateways.Count, []));

        if (vpc.Gateways.Count > 0)
        {
            config.Comment("The appliances routes target live in the original VPC: the replica creates one interface per");
            config.Comment("appliance in the same subnet (source/destination check off) for the new appliances to attach.");
            var gateways = Key("gateways");
            foreach (var gateway in vpc.Gateways.OrderBy(g => gatewayNames[g.TargetId], StringComparer.Ordinal))
            {
                var entry = gateways.Map(gatewayNames[gateway.TargetId]);
                entry.Add("description", gateway.Tags.GetValueOrDefault("Description") ?? gateway.Tags.GetValueOrDefault("Name") ?? $"appliance {gateway.TargetId}");
                entry.Add("replicaOf", gateway.TargetId);
                if (gateway.SubnetId is { } subnet && roleOf.ContainsKey(subnet))
                {
                    entry.Map("interface", flow: true).Add("subnet", KeyOf(subnet));
                }
            }
        }

        var tables = Key("routeTables");
        var routesRead = 0;
        var routesLeftOut = new List<string>();
        foreach (var table in vpc.RouteTables.OrderBy(t => tableNames[t.Id], StringComparer.Ordinal))
        {
            var entry = tables.Map(tableNames[table.Id]);
            if (table.Main)
            {
                entry.Add("main", DocScalar.Of(true));
            }

            entry.Add("replicaOf", table.Id);
            if (table.SubnetIds.Count > 0)
            {
                var associated = entry.List("subnets");
                foreach (var key in table.SubnetIds.Where(roleOf.ContainsKey).Select(KeyOf).Order(StringComparer.Ordinal))
                {
                    associated.Add(key);
                }
            }

            var nonLocal = table.Routes.Where(r => r.Kind != LiveTargetKind.Local).ToList();
            routesRead += nonLocal.Count;
            var ipv4 = nonLocal.Where(r => r.Family == LiveDestination.Ipv4).OrderBy(r => Cidr.Parse(r.Destination)).ToList();
            // A target IPv4 and IPv6 routes may both have, as the file names it.
            string? SharedTarget(LiveRoute route) => route.Kind switch
            {
                LiveTargetKind.InternetGateway => RouteTarget.InternetGatewayName,
                LiveTargetKind.Appliance => gatewayNames[route.TargetId],
                // A NAT gateway the file keeps (an IPv6 route to one is NAT64's).
                LiveTargetKind.NatGateway => natTargets.GetValueOrDefault(route.TargetId),
                // A transit gateway, peering connection or local gateway keeps its id: the replica routes to the same one once attached, peered or associated.
                LiveTargetKind.Unsupported when RouteTarget.IsExistingId(route.TargetId) => route.TargetId,
                // A Gateway Load Balancer endpoint the file states: the replica's own.
                LiveTargetKind.Unsupported when balancerEndpoints.TryGetValue(route.TargetId, out var endpointName) => $"{RouteTarget.EndpointPrefix}{endpointName}",
                _ => null,
            };
            var routes = ipv4.Count > 0 ? entry.List("routes") : null;
            foreach (var route in ipv4)
            {
                var target = SharedTarget(route);
                if (target is null)
                {
                    var why = route.Kind == LiveTargetKind.NatGateway ? "a NAT gateway the stack left out" : "a target the stack format has no key for (an endpoint it does not state, a carrier gateway)";
                    routesLeftOut.Add($"{tableNames[table.Id]}: {route.Destination} -> {route.TargetId}, {why}");
                    leftOut.Add(Drift.LeftOutRoute(table.Id, route.Destination));
                    routes!.Comment($"not in the stack format, left out: {route.Destination} -> {route.TargetId}, {why}");
                    continue;
                }

                var written = routes!.Add(new DocMap(flow: true));
                written.Add("destination", route.Destination);
                written.Add("target", target);
            }

            // IPv6 routes to the egress-only gateway the file states, or to any target IPv4 routes may have.
            string? Ipv6Target(LiveRoute route) =>
                route.Family != LiveDestination.Ipv6 || vpc.Ipv6Cidrs.Count == 0 ? null
                : route.TargetId == egressOnly ? Ipv6RouteSpec.EgressOnlyName
                : SharedTarget(route);
            var ipv6 = nonLocal.Where(r => Ipv6Target(r) is not null).OrderBy(r => r.Destination, StringComparer.Ordinal).ToList();
            if (ipv6.Count > 0)
            {
                var ipv6Routes = entry.List("ipv6Routes");
                foreach (var route in ipv6)
                {
                    var written = ipv6Routes.Add(new DocMap(flow: true));
                    written.Add("destination", route.Destination);
                    written.Add("target", Ipv6Target(route)!);
                }
            }

            foreach (var route in nonLocal.Where(r => r.Family != LiveDestination.Ipv4 && Ipv6Target(r) is null).OrderBy(r => r.Destination, StringComparer.Ordinal))
            {
                if (route.Family == LiveDestination.PrefixList && endpointNames.TryGetValue(route.TargetId, out var endpointName))
                {
                    // AWS adds it for the gateway endpoint, which the file states with this table.
                    entry.Comment($"{route.Destination} -> {route.TargetId}: added by AWS for vpcEndpoints.{endpointName}");
                    continue;
                }

                var what = route.Family == LiveDestination.PrefixList ? "a prefix-list route (a gateway endpoint's, or a managed prefix list)"
                    : route.Kind == LiveTargetKind.NatGateway ? "an IPv6 route to a NAT gateway the stack left out"
                    : "an IPv6 route to a target the stack format has no key for";
                routesLeftOut.Add($"{tableNames[table.Id]}: {route.Destination} -> {route.TargetId}, {what}");
                leftOut.Add(Drift.LeftOutRoute(table.Id, route.Destination));
                entry.Comment($"not in the stack format, left out: {route.Destination} -> {route.TargetId}, {what}");
            }
        }

        if (leftOut.Items.Count == 0)
        {
            vpcKey.Remove("leftOut");
        }

        inventory.Add(new("route tables", vpc.RouteTables.Count, vpc.RouteTables.Count, []));
        inventory.Add(new("routes", routesRead, routesRead - routesLeftOut.Count, routesLeftOut));

        if (eks is not null)
        {
            var notHeld = eks.WriteTo(config, project, vpc, [.. roles.Where(r => r.Ordinal == 1)]);
            inventory.Add(new("EKS node group settings the stack format has no key for", notHeld.Count, 0, notHeld));
        }

        var groupNames = WriteSecurityGroups(vpc, project, eks, config, inventory);
        WriteEndpoints(vpc, project, endpointNames, groupNames, tableNames, subnetId =>
            roleOf.ContainsKey(subnetId) ? KeyOf(subnetId) : null, config, inventory);
        var discovered = new DiscoveredStack(document, project, inventory);
        // The declarations are the stack format: a key none holds is the writer's mistake, never the user's.
        return discovered.Keys.Undeclared is { Count: > 0 } undeclared
            ? throw new InvalidOperationException($"discover writes {string.Join(", ", undeclared)}, which no key declaration holds (src/Infra.StackConfig/Keys)")
            : discovered;
    }

    /// <summary>
    /// The VPC's security groups, each with every rule (`securityGroups`), but its default group
    /// (every VPC gets its own), the EKS cluster group (`--eks` names it; EKS creates the replica's)
    /// and the groups EKS or the load balancer controller create for themselves, which are left out
    /// and said. A rule of a protocol the stack has no name for (ESP, GRE, ...) is left out and said.
    /// </summary>
    private static IReadOnlyDictionary<string, string> WriteSecurityGroups(LiveVpc vpc, string project, EksFacts? eks, DocMap config, List<InventoryLine> inventory)
    {
        string? Skipped(LiveSecurityGroup g) =>
            g.Name == "default" ? "the VPC's default group (the replica's VPC gets its own)"
            : g.Id == eks?.ClusterSecurityGroup ? "the EKS cluster group (cluster.replicaOf.securityGroup; EKS creates the replica's)"
            : g.Tags.ContainsKey("aws:eks:cluster-name") ? "created by EKS for a cluster (the replica's cluster creates its own)"
            : g.Tags.Keys.Any(k => k.StartsWith("elbv2.k8s.aws/", StringComparison.Ordinal)) ? "created by the load balancer controller for an Ingress (the replica's controller creates its own)"
            : null;
        var written = vpc.SecurityGroups.Where(g => Skipped(g) is null).OrderBy(g => g.Name, StringComparer.Ordinal).ThenBy(g => g.Id, StringComparer.Ordinal).ToList();
        var leftOut = vpc.SecurityGroups.Where(g => Skipped(g) is not null && g.Name != "default").Select(g => $"{g.Id} {g.Name}: {Skipped(g)}").ToList();
        var taken = new HashSet<string>(SecurityGroupRules.DesignNames, StringComparer.Ordinal) { "default" };
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var group in written)
        {
            var slug = Slug(group.Name);
            names[group.Id] = Unique(SecurityGroupRules.IsDesignName(slug) ? $"original-{slug}" : slug, taken);
        }

        inventory.Add(new("security groups", vpc.SecurityGroups.Count(g => g.Name != "default"), written.Count, leftOut));
        if (written.Count == 0)
        {
            return names;
        }

        var rulesRead = 0;
        var rulesLeftOut = new List<string>();
        config.Comment("The VPC's security groups, rule by rule (created in the replica's VPC with exactly these rules).");
        var groups = config.Map($"{project}:securityGroups");
        foreach (var group in written)
        {
            var entry = groups.Map(names[group.Id]);
            if (group.Description.Length > 0)
            {
                entry.Add("description", group.Description);
            }
            else
            {
                entry.Add("description", $"replica of {group.Name}", "inferred: the original has no description, which EC2 requires");
            }

            entry.Add("replicaOf", group.Id);
            foreach (var (key, rules) in new[] { ("ingress", group.Ingress), ("egress", group.Egress) })
            {
                if (rules.Count == 0)
                {
                    continue;
                }

                var list = entry.List(key);
                foreach (var rule in rules)
                {
                    rulesRead++;
                    if (rule.KnownProtocol is not { } protocol)
                    {
                        rulesLeftOut.Add($"{group.Id} {key}: protocol {rule.Protocol} from {rule.Peer}, which the stack has no name for");
                        list.Comment($"not in the stack format, left out: protocol {rule.Protocol} {(key == "ingress" ? "from" : "to")} {rule.Peer} (the stack names tcp, udp, icmp, icmpv6 and all)");
                        continue;
                    }

                    var fields = list.Add(new DocMap(flow: true));
                    fields.Add("protocol", protocol == IpProtocol.All ? "all" : protocol.Ec2Name());
                    if (protocol != IpProtocol.All)
                    {
                        fields.Add("fromPort", DocScalar.Of(rule.FromPort));
                        fields.Add("toPort", DocScalar.Of(rule.ToPort));
                    }

                    var (peerKey, peer) = rule.Peer switch
                    {
                        var p when p.StartsWith("sg-", StringComparison.Ordinal) => names.TryGetValue(p, out var name) ? ("group", name) : ("groupId", p),
                        var p when p.StartsWith("pl-", StringComparison.Ordinal) => ("prefixList", p),
                        var p when p.Contains(':', StringComparison.Ordinal) => ("ipv6Cidr", p),
                        var p => ("cidr", p),
                    };
                    fields.Add(peerKey, peer);
                    if (rule.Description.Length > 0)
                    {
                        fields.Add("description", rule.Description);
                    }
                }
            }
        }

        inventory.Add(new("security group rules", rulesRead, rulesRead - rulesLeftOut.Count, rulesLeftOut));
        return names;
    }

    /// <summary>The endpoints the stack format holds (gateway and interface), named by their service's last words, unique.</summary>
    private static IReadOnlyDictionary<string, string> EndpointNames(LiveVpc vpc)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        return vpc.Endpoints.Where(e => e.Type is "Gateway" or "Interface" or "GatewayLoadBalancer").OrderBy(e => e.ServiceName, StringComparer.Ordinal).ThenBy(e => e.Id, StringComparer.Ordinal)
            .ToDictionary(e => e.Id, e => Unique(Slug(ShortName(e.ServiceName)), taken), StringComparer.Ordinal);
    }

    /// <summary>An endpoint's name from its service: an AWS service's last words (ecr.api), an endpoint service's id (vpce-svc-...).</summary>
    private static string ShortName(string service) =>
        service.StartsWith("com.amazonaws.vpce.", StringComparison.Ordinal) ? service.Split('.')[^1]
        : service.StartsWith("com.amazonaws.", StringComparison.Ordinal) ? string.Join('-', service.Split('.').Skip(3))
        : service;

    /// <summary>
    /// The VPC's endpoints (`vpcEndpoints`): a gateway endpoint with its route tables, an interface
    /// endpoint with its subnets (a subnet the file left out stands as the kept one of its role and
    /// zone, said), its groups and private DNS. Gateway Load Balancer endpoints, and a group the file
    /// does not state, are left out and said.
    /// </summary>
    private static void WriteEndpoints(LiveVpc vpc, string project, IReadOnlyDictionary<string, string> names, IReadOnlyDictionary<string, string> groupNames,
        IReadOnlyDictionary<string, string> tableNames, Func<string, string?> subnetKey, DocMap config, List<InventoryLine> inventory)
    {
        var leftOut = vpc.Endpoints.Where(e => !names.ContainsKey(e.Id)).Select(e => $"{e.Id} ({e.Type} {e.ServiceName}): the stack format holds gateway, interface and Gateway Load Balancer endpoints").ToList();
        inventory.Add(new("VPC endpoints", vpc.Endpoints.Count, names.Count, leftOut));
        if (names.Count == 0)
        {
            return;
        }

        var endpoints = config.Map($"{project}:vpcEndpoints");
        foreach (var endpoint in vpc.Endpoints.Where(e => names.ContainsKey(e.Id)).OrderBy(e => names[e.Id], StringComparer.Ordinal))
        {
            var entry = endpoints.Map(names[endpoint.Id]);
            entry.Add("service", endpoint.ServiceName);
            entry.Add("type", endpoint.Type);
            if (endpoint.Type == "Gateway")
            {
                entry.List("routeTables", endpoint.RouteTableIds.Where(tableNames.ContainsKey).Select(t => tableNames[t]).Order(StringComparer.Ordinal));
            }
            else if (endpoint.Type == "GatewayLoadBalancer")
            {
                // One interface, in one subnet; routes that target it name it `vpc-endpoint/NAME`.
                entry.List("subnets", endpoint.SubnetIds.Select(subnetKey).OfType<string>());
            }
            else
            {
                var subnets = endpoint.SubnetIds.Select(id => (Id: id, Key: subnetKey(id))).ToList();
                entry.List("subnets", subnets.Select(s => s.Key).OfType<string>().Distinct().Order(StringComparer.Ordinal));
                foreach (var (id, _) in subnets.Where(s => s.Key is null))
                {
                    entry.Comment($"not in the stack format, left out: its interface in {id}, a subnet the file does not hold");
                }

                var groups = endpoint.GroupIds.Select(id => (Id: id, Name: groupNames.GetValueOrDefault(id))).ToList();
                if (groups.Any(g => g.Name is not null))
                {
                    entry.List("securityGroups", groups.Select(g => g.Name).OfType<string>().Order(StringComparer.Ordinal));
                }

                foreach (var (id, _) in groups.Where(g => g.Name is null))
                {
                    entry.Comment($"left out: the group {id}, which the file does not state (see securityGroups)");
                }

                entry.Add("privateDns", DocScalar.Of(endpoint.PrivateDns));
            }

            entry.Add("replicaOf", endpoint.Id);
        }
    }

    /// <summary>A NAT gateway the stack holds, in the zone of the public subnet it sits in.</summary>
    private sealed record KeptNat(LiveNatGateway Nat, string Zone);

    /// <summary>
    /// The NAT gateways the stack format holds: one public per zone, in a public subnet the file
    /// keeps (the first by id when a zone has several); every private one in a subnet the file keeps;
    /// the others, with why.
    /// </summary>
    /// <summary>
    /// The VPC's NAT gateways as the file holds them: the first public one of each zone under
    /// natGateway, further public ones under publicNatGateways, private ones under
    /// privateNatGateways; one in a subnet the file leaves out (or public in a private subnet) is left out.
    /// </summary>
    private static (IReadOnlyList<KeptNat> Kept, IReadOnlyList<LiveNatGateway> Private, IReadOnlyList<LiveNatGateway> FurtherPublic, IReadOnlyList<(LiveNatGateway Nat, string Why)> LeftOut) NatGateways(LiveVpc vpc, IReadOnlyDictionary<string, SubnetRoleReading> roleOf)
    {
        var kept = new List<KeptNat>();
        var privates = new List<LiveNatGateway>();
        var furtherPublic = new List<LiveNatGateway>();
        var leftOut = new List<(LiveNatGateway, string)>();
        foreach (var nat in vpc.NatGateways.OrderBy(n => n.Id, StringComparer.Ordinal))
        {
            if (nat.IsPrivate && roleOf.ContainsKey(nat.SubnetId))
            {
                privates.Add(nat);
            }
            else if (nat.IsPrivate)
            {
                leftOut.Add((nat, $"a private NAT gateway in {nat.SubnetId}, a subnet the file leaves out"));
            }
            else if (!roleOf.TryGetValue(nat.SubnetId, out var reading) || reading.Role.Policy().Private)
            {
                leftOut.Add((nat, $"in {nat.SubnetId}, not a public subnet of the file (one in a subnet left out); the stack's public NAT gateways sit in public subnets"));
            }
            else if (kept.Any(k => k.Zone == reading.Subnet.Zone))
            {
                furtherPublic.Add(nat);
            }
            else
            {
                kept.Add(new KeptNat(nat, reading.Subnet.Zone));
            }
        }

        return ([.. kept.OrderBy(k => k.Zone, StringComparer.Ordinal)], privates, furtherPublic, leftOut);
    }
}
