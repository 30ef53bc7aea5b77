using Infra.Emit;

namespace Infra.Review;

/// <summary>check's routing rules: INFRA004 (critical routes on one gateway), INFRA006 (overlapping or shadowed routes), INFRA017 (targets the stack does not own), INFRA018 (a private NAT gateway that sends nowhere), INFRA019 (DNS64 without NAT64).</summary>
public static partial class PolicyCheck
{
    private static void CheckSinglePointOfFailure(ValidatedEnvironment env, List<Finding> findings)
    {
        var network = env.Network;
        if (network.Gateways.Count == 0)
        {
            return;
        }

        foreach (var table in network.RouteTables)
        {
            var critical = table.Routes.Where(r => r.Destination.PrefixLength == 0 || AwsAddressRules.Rfc1918.Contains(r.Destination)).ToList();
            var instances = critical.Where(r => r.Target.Kind == RouteTargetKind.Instance).Select(r => env.GatewayOf(r.Target).Name).Distinct().ToList();
            if (critical.Count > 0 && instances.Count == 1)
            {
                var spare = network.Gateways.Where(g => g.Name != instances[0]).Select(g => g.Name).ToList();
                // In address order: the config's route order must not change the message (or the program's warnings output).
                var via = critical.Where(r => r.Target.GatewayName == instances[0]).OrderBy(r => r.Destination.Network).ThenBy(r => r.Destination.PrefixLength).Select(r => r.Destination.ToString());
                var standby = spare.Count > 0 ? $"while {string.Join(", ", spare)} stands by" : ", the only gateway";
                findings.Add(Found("INFRA004", ResourceNames.RouteTable(table),
                    $"Route table {table.Name} sends {string.Join(", ", via)} to {instances[0]} alone{(spare.Count > 0 ? " " : "")}{standby}: if {instances[0]} fails, those routes become blackholes (AWS does not fail over).",
                    spare.Count > 0
                        ? "Spread the RFC 1918 routes across both gateways, or let the Aviatrix controller manage failover of the route targets."
                        : "Add a second gateway in another zone and spread the routes, or accept the single point of failure knowingly.",
                    table.At.Child("routes").Path));
            }
        }
    }

    /// <summary>
    /// A route is shadowed when more specific routes cover all of it (it can never win); it is
    /// redundant when the route that would win without it goes to the same target.
    /// </summary>
    private static void CheckRoutes(NetworkSpec network, List<Finding> findings)
    {
        foreach (var table in network.RouteTables)
        {
            var routes = table.Routes;
            foreach (var route in routes)
            {
                var inside = routes.Where(r => r != route && route.Destination.Contains(r.Destination) && r.Destination != route.Destination).ToList();
                if (inside.Count > 0 && Covered(route.Destination, inside.Select(r => r.Destination).ToList()))
                {
                    findings.Add(Found("INFRA006", ResourceNames.Route(table, route.Destination),
                        $"{route.Destination} -> {route.Target} in {table.Name} is shadowed: more specific routes cover all of it, so it never wins.", "Remove it, or remove the more specific routes if they were meant to fall back to it.", route.At.Path));
                }

                var wider = routes.Where(r => r != route && r.Destination.Contains(route.Destination) && r.Destination != route.Destination)
                    .OrderByDescending(r => r.Destination.PrefixLength).FirstOrDefault();
                if (wider is not null && wider.Target == route.Target && wider.Destination.PrefixLength > 0)
                {
                    findings.Add(Found("INFRA006", ResourceNames.Route(table, route.Destination),
                        $"{route.Destination} -> {route.Target} in {table.Name} overlaps {wider.Destination}, which goes to the same target: the route is redundant.", "Remove the narrower route, or point it at another target if it was meant to differ.", route.At.Path));
                }
                else if (wider is not null && wider.Target != route.Target && wider.Destination.PrefixLength > 0)
                {
                    findings.Add(Found("INFRA010", ResourceNames.Route(table, route.Destination),
                        $"{route.Destination} -> {route.Target} in {table.Name} carves a part out of {wider.Destination} -> {wider.Target}.", "Nothing, if the exception is meant; say so in the route's purpose.", route.At.Path));
                }
            }
        }
    }

    /// <summary>INFRA017: each route to a transit gateway, peering connection or local gateway named by its id.</summary>
    private static void CheckExistingTargets(NetworkSpec network, List<Finding> findings)
    {
        foreach (var table in network.RouteTables)
        {
            var existing = table.Routes.Where(r => r.Target.Kind == RouteTargetKind.Existing)
                .Select(r => (Resource: ResourceNames.Route(table, r.Destination), Destination: r.Destination.ToString(), r.Target, r.At))
                .Concat(table.Ipv6Routes.Where(r => r.Target == Ipv6RouteTarget.Existing)
                    .Select(r => (Resource: ResourceNames.Ipv6Route(table, r.Destination), r.Destination, Target: r.SharedTarget!, r.At)));
            foreach (var (resource, destination, target, at) in existing)
            {
                var (joined, fix) = target.ExistingType switch
                {
                    ExistingTargetType.TransitGateway => ("attached to", "Attach the VPC to the transit gateway (and accept the attachment) before `pulumi up` creates this route."),
                    ExistingTargetType.PeeringConnection => ("a side of", "Create and accept a peering connection of this VPC, and name its id here: the original VPC's peering cannot carry another VPC's traffic."),
                    _ => ("associated with a route table of", "Associate the VPC with the local gateway's route table on the Outpost (CreateLocalGatewayRouteTableVpcAssociation) before `pulumi up` creates this route."),
                };
                findings.Add(Found("INFRA017", resource,
                    $"{destination} -> {target} in {table.Name}: AWS creates the route only while this stack's VPC is {joined} {target.ExistingKind} {target}, which the stack does not arrange.",
                    fix,
                    at.Child("target").Path));
            }
        }
    }

    /// <summary>
    /// INFRA018: each route to a private NAT gateway, looked up again in the route table of the NAT
    /// gateway's subnet (for the route's first address): no route there, another private NAT gateway,
    /// or the internet gateway means the traffic goes nowhere.
    /// </summary>
    private static void CheckPrivateNatOnward(ValidatedEnvironment env, List<Finding> findings)
    {
        var network = env.Network;
        foreach (var table in network.RouteTables)
        {
            foreach (var route in table.Routes.Where(r => r.Target.Kind == RouteTargetKind.PrivateNat))
            {
                var nat = env.NamedNatOf(route.Target);
                var (natSubnet, natTable, onward) = env.OnwardFrom(route.Target, route.Destination.Network);
                var nowhere = onward switch
                {
                    null => $"{natTable.Name} has no route for it",
                    { Target.Kind: RouteTargetKind.PrivateNat } => $"{natTable.Name} sends it to {onward.Target.Name}{(onward.Target.GatewayName == nat.Name ? ", the same NAT gateway: a loop" : ", another private NAT gateway")}",
                    { Target.Kind: RouteTargetKind.InternetGateway } => $"{natTable.Name} sends it to the internet gateway, which drops what a private NAT gateway sends",
                    _ => null,
                };
                if (nowhere is not null)
                {
                    findings.Add(Found("INFRA018", ResourceNames.Route(table, route.Destination),
                        $"{route.Destination} -> {route.Target} in {table.Name}: the NAT gateway sits in {natSubnet.Key}, and {nowhere}.",
                        "Put the private NAT gateway in a subnet whose route table sends the destination on (to a transit gateway, peering or appliance), or route the destination there directly.",
                        route.At.Child("target").Path));
                }
            }
        }
    }

    /// <summary>
    /// INFRA019: a subnet with DNS64 whose route table sends no IPv6 block holding 64:ff9b::/96 to a
    /// NAT gateway (its longest match for the prefix must be a NAT gateway's route).
    /// </summary>
    private static void CheckNat64(ValidatedEnvironment env, List<Finding> findings)
    {
        var nat64 = System.Net.IPNetwork.Parse(Ipv6RouteSpec.Nat64Prefix);
        foreach (var subnet in env.Network.OrderedSubnets.Where(s => s.Ipv6 is { Dns64: true }))
        {
            var table = env.RouteTableOf(subnet);
            var match = table.Ipv6Routes
                .Select(r => (Route: r, Block: System.Net.IPNetwork.Parse(r.Destination)))
                .Where(r => r.Block.PrefixLength <= nat64.PrefixLength && r.Block.Contains(nat64.BaseAddress))
                .OrderByDescending(r => r.Block.PrefixLength)
                .Select(r => r.Route)
                .FirstOrDefault();
            if (match is not { Target: Ipv6RouteTarget.NatGateway or Ipv6RouteTarget.PrivateNatGateway or Ipv6RouteTarget.PublicNatGateway })
            {
                findings.Add(Found("INFRA019", ResourceNames.Subnet(subnet),
                    $"Subnet {subnet.Key} has DNS64 on, but its route table {table.Name} sends {Ipv6RouteSpec.Nat64Prefix} {(match is null ? "nowhere" : $"to {match.TargetName} (by {match.Destination})")}: names with only IPv4 addresses resolve to addresses no NAT gateway translates.",
                    $"Add {{ destination: \"{Ipv6RouteSpec.Nat64Prefix}\", target: nat-gateway }} to {table.Name}'s ipv6Routes, or turn dns64 off.",
                    subnet.EntryAt.Child("dns64").Path));
            }
        }
    }

    private static bool Covered(Cidr outer, IReadOnlyList<Cidr> inner)
    {
        // Addresses covered by the union of the inner blocks, counted without double counting.
        var maximal = inner.Where(c => !inner.Any(o => o != c && o.Contains(c))).Distinct();
        return maximal.Sum(c => c.Size) >= outer.Size;
    }
}
