using System.Text.RegularExpressions;

namespace Infra.Model.Routing;

/// <summary>Routing: the gateways routes target, the route tables, their routes, targets and associations.</summary>
public static partial class RoutingRules
{
    public static void Gateways(NetworkSpec network, List<ConfigProblem> problems)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var gateway in network.Gateways)
        {
            Rule.CheckName(problems, gateway.At, gateway.Name, "a gateway");
            if (gateway.Name is RouteTarget.LocalName or RouteTarget.InternetGatewayName or RouteTarget.NatGatewayName)
            {
                Rule.Add(problems, gateway.At, gateway.Name, "this name is reserved for a built-in route target");
            }

            if (!names.Add(gateway.Name))
            {
                Rule.Add(problems, gateway.At, gateway.Name, "gateway declared twice");
            }

            if (gateway.InstanceId is { } instanceId && !InstanceIdPattern().IsMatch(instanceId))
            {
                Rule.Add(problems, gateway.At.Child("existing").Child("instanceId"), instanceId, "not an EC2 instance id (i- followed by 8 or 17 hex digits)");
            }

            if (gateway.NetworkInterfaceId is { } eni && !EniIdPattern().IsMatch(eni))
            {
                Rule.Add(problems, gateway.At.Child("existing").Child("networkInterfaceId"), eni, "not a network interface id (eni- followed by 8 or 17 hex digits)");
            }

            if (gateway.ReplicaOf is { } replicaOf && !InstanceIdPattern().IsMatch(replicaOf) && !EniIdPattern().IsMatch(replicaOf))
            {
                Rule.Add(problems, gateway.At.Child("replicaOf"), replicaOf, "not an EC2 instance id or network interface id");
            }

            if (gateway.InterfaceSubnet is { } subnet && network.FindSubnet(subnet) is null)
            {
                Rule.Add(problems, gateway.At.Child("interface").Child("subnet"), subnet, $"no such subnet; expected role/zone, one of {string.Join(", ", network.OrderedSubnets.Select(s => s.Key))}");
            }
        }
    }

    /// <summary>
    /// Each NAT gateway stated by name sits in a subnet of the stack (EC2 CreateNatGateway takes one
    /// subnet); a public one in a public subnet, where its traffic reaches the internet gateway.
    /// </summary>
    public static void NamedNatGateways(NetworkSpec network, List<ConfigProblem> problems)
    {
        foreach (var nat in network.NamedNatGateways)
        {
            Rule.CheckName(problems, nat.At, nat.Name, nat.IsPublic ? "a public NAT gateway" : "a private NAT gateway");
            var subnet = network.FindSubnet(nat.Subnet);
            if (subnet is null)
            {
                Rule.Add(problems, nat.At.Child("subnet"), nat.Subnet, $"no such subnet; expected role/zone, one of {string.Join(", ", network.OrderedSubnets.Where(s => !nat.IsPublic || s.Role == SubnetRole.Public).Select(s => s.Key))}");
            }
            else if (nat.IsPublic && subnet.Role != SubnetRole.Public)
            {
                Rule.Add(problems, nat.At.Child("subnet"), nat.Subnet, "a public NAT gateway sits in a public subnet (its traffic leaves by the internet gateway); a NAT gateway elsewhere belongs in privateNatGateways");
            }

            if (nat.ReplicaOf is { } original && !NatIdPattern().IsMatch(original))
            {
                Rule.Add(problems, nat.At.Child("replicaOf"), original, "not a NAT gateway id (nat- followed by 8 or 17 hex digits)");
            }
        }
    }

    public static void RouteTables(NetworkSpec network, List<ConfigProblem> problems)
    {
        foreach (var table in network.RouteTables)
        {
            Rule.CheckName(problems, table.At, table.Name, "a route table");
        }

        var mains = network.RouteTables.Where(t => t.IsMain).ToList();
        if (mains.Count != 1)
        {
            var at = mains.Count > 1 ? mains[1].At.Child("main") : new Origin(network.RouteTables.FirstOrDefault()?.At.Path.Split('.')[0] ?? "routeTables");
            Rule.Add(problems, at, mains.Count, "exactly one route table must be the main table (it manages the VPC's default route table)");
        }

        var associated = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in network.RouteTables)
        {
            var destinations = new Dictionary<Cidr, RouteSpec>();
            foreach (var route in table.Routes)
            {
                if (destinations.TryGetValue(route.Destination, out var earlier))
                {
                    Rule.Add(problems, route.At.Child("destination"), route.Destination, $"duplicate destination in route table {table.Name} (also {earlier.At})");
                }
                else
                {
                    destinations[route.Destination] = route;
                }

                if (network.VpcCidrs.Contains(route.Destination))
                {
                    Rule.Add(problems, route.At.Child("destination"), route.Destination, "is a VPC CIDR: AWS routes it locally already");
                }
                else if (network.VpcCidrs.Any(v => v.Contains(route.Destination)) && !network.Subnets.Any(sub => sub.Cidr == route.Destination))
                {
                    // Amazon VPC route tables: a route more specific than the local route must
                    // match a subnet's CIDR exactly (subnet routing through a middlebox).
                    Rule.Add(problems, route.At.Child("destination"), route.Destination, $"lies inside the VPC; AWS accepts a route more specific than the local route only when it is exactly a subnet's CIDR ({string.Join(", ", network.Subnets.Select(sub => sub.Cidr))})");
                }

                ValidateTarget(network, route.At.Child("target"), route.Target, problems);
            }

            foreach (var key in table.SubnetKeys)
            {
                if (network.FindSubnet(key.Value) is null)
                {
                    Rule.Add(problems, key.At, key.Value, $"names no configured subnet (subnets: {string.Join(", ", network.Subnets.Select(s => s.Key))})");
                }
                else if (!associated.TryAdd(key.Value, table.Name))
                {
                    Rule.Add(problems, key.At, key.Value, $"subnet is already associated with route table {associated[key.Value]}; a subnet has one route table");
                }
            }
        }
    }

    /// <summary>A table's IPv6 routes: the VPC has an IPv6 block, the target exists, destinations are IPv6 blocks as EC2 writes them, once each.</summary>
    public static void Ipv6Routes(NetworkSpec network, List<ConfigProblem> problems)
    {
        foreach (var table in network.RouteTables)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var route in table.Ipv6Routes)
            {
                if (!network.Vpc.AmazonIpv6)
                {
                    Rule.Add(problems, route.At.Child("destination"), route.Destination, "the VPC has no IPv6 block (vpc.amazonIpv6)");
                }

                if (route.Target == Ipv6RouteTarget.EgressOnlyInternetGateway && network.EgressOnlyGateway is null)
                {
                    Rule.Add(problems, route.At.Child("target"), route.TargetName, "the stack has no egress-only internet gateway (egressOnlyInternetGateway)");
                }

                if (route.SharedTarget is { } shared)
                {
                    ValidateTarget(network, route.At.Child("target"), shared, problems);
                }

                if (!System.Net.IPNetwork.TryParse(route.Destination, out var block) || block.BaseAddress.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6 || block.ToString() != route.Destination)
                {
                    Rule.Add(problems, route.At.Child("destination"), route.Destination, "expected an IPv6 block in its shortest form, as EC2 writes it (::/0, 2001:db8::/32)");
                }
                else if (!seen.Add(route.Destination))
                {
                    Rule.Add(problems, route.At.Child("destination"), route.Destination, "a table holds one route per destination");
                }
            }
        }
    }

    /// <summary>A route's target, IPv4 or IPv6 (an IPv6 route's shared target: <see cref="Ipv6RouteSpec.SharedTarget"/>), against what the stack states.</summary>
    private static void ValidateTarget(NetworkSpec network, Origin at, RouteTarget target, List<ConfigProblem> problems)
    {
        switch (target.Kind)
        {
            case RouteTargetKind.Local:
                Rule.Add(problems, at, target, "local routes are added by AWS for the VPC CIDRs and cannot be declared");
                break;
            case RouteTargetKind.NatGateway when !network.Nat.Enabled:
                Rule.Add(problems, at, target, "the NAT gateway is switched off (natGateway.enabled)");
                break;
            case RouteTargetKind.NatGateway when target.GatewayName is { } zone && !network.Nat.Zones.Contains(zone):
                Rule.Add(problems, at, target, $"no NAT gateway in {zone} (natGateway zones: {string.Join(", ", network.Nat.Zones)})");
                break;
            case RouteTargetKind.NatGateway when target.GatewayName is null && network.Nat.PerZone:
                Rule.Add(problems, at, target, $"with a NAT gateway in each of several zones, name the zone's: {string.Join(", ", network.Nat.Zones.Select(z => $"nat-gateway/{z}"))}");
                break;
            case RouteTargetKind.Existing when !ExistingTargetPattern().IsMatch(target.GatewayName!):
                Rule.Add(problems, at, target, "not a transit gateway, peering connection or local gateway id (tgw-, pcx- or lgw- and 8 or 17 hexadecimal digits)");
                break;
            case RouteTargetKind.PrivateNat or RouteTargetKind.PublicNat when network.NamedNatGateways.All(n => n.Target != target):
                var (key, kind) = target.Kind == RouteTargetKind.PublicNat ? ("publicNatGateways", "public") : ("privateNatGateways", "private");
                var stated = network.NamedNatGateways.Where(n => n.Target.Kind == target.Kind).Select(n => n.Target.Name).ToList();
                Rule.Add(problems, at, target, $"not a {kind} NAT gateway of {key} ({(stated.Count == 0 ? "the stack states none" : string.Join(", ", stated))})");
                break;
            case RouteTargetKind.Endpoint when network.VpcEndpoints.FirstOrDefault(e => e.Name == target.GatewayName) is not { Kind: VpcEndpointKind.GatewayLoadBalancer }:
                var balancers = network.VpcEndpoints.Where(e => e.Kind == VpcEndpointKind.GatewayLoadBalancer).Select(e => $"{RouteTarget.EndpointPrefix}{e.Name}").ToList();
                Rule.Add(problems, at, target, $"not a Gateway Load Balancer endpoint of vpcEndpoints ({(balancers.Count == 0 ? "the stack states none" : string.Join(", ", balancers))})");
                break;
            case RouteTargetKind.Instance when network.FindGateway(target.GatewayName!) is null:
                var declared = network.Gateways.Select(g => g.Name).Append(RouteTarget.InternetGatewayName);
                Rule.Add(problems, at, target, $"not a declared route target (declared: {string.Join(", ", declared)})");
                break;
        }
    }

    /// <summary>A NAT gateway id; the config schema says it too.</summary>
    public const string NatIdRule = "^nat-([0-9a-f]{8}|[0-9a-f]{17})$";

    [GeneratedRegex(NatIdRule)]
    private static partial Regex NatIdPattern();

    [GeneratedRegex("^(tgw|pcx|lgw)-([0-9a-f]{8}|[0-9a-f]{17})$")]
    private static partial Regex ExistingTargetPattern();

    /// <summary>An EC2 instance id; the config schema says it too.</summary>
    public const string InstanceIdRule = "^i-([0-9a-f]{8}|[0-9a-f]{17})$";

    /// <summary>A network interface id; the config schema says it too.</summary>
    public const string EniIdRule = "^eni-([0-9a-f]{8}|[0-9a-f]{17})$";

    /// <summary>An appliance's original: its instance or its interface.</summary>
    public const string ApplianceIdRule = "^(i|eni)-([0-9a-f]{8}|[0-9a-f]{17})$";

    [GeneratedRegex(InstanceIdRule)]
    private static partial Regex InstanceIdPattern();

    [GeneratedRegex(EniIdRule)]
    private static partial Regex EniIdPattern();
}
