namespace Infra.Review;

/// <summary>Which destinations a finding is about.</summary>
public enum FindingScope
{
    /// <summary>Anything outside the VPC's CIDRs.</summary>
    OutsideVpc,

    /// <summary>Addresses in the node subnets, where internal load balancers live.</summary>
    InternalLoadBalancers,

    /// <summary>Addresses in one block (<see cref="GuideFinding.Block"/>).</summary>
    Block,
}

/// <summary>A place where the guide's prose claims one thing and its route tables do another.</summary>
public sealed record GuideFinding(string Id, string Text, IReadOnlyList<string> SourceRoles, FindingScope Scope, string? Block = null)
{
    /// <summary>Whether the finding concerns a trace from this source to this destination.</summary>
    public bool Applies(SubnetSpec? source, uint destination, NetworkSpec network)
    {
        var sourceRole = source?.Role.Key() ?? SubnetRoles.InternetSource;
        return SourceRoles.Contains(sourceRole) && Scope switch
        {
            FindingScope.OutsideVpc => !network.VpcCidrs.Any(c => c.Contains(destination)),
            FindingScope.InternalLoadBalancers => network.Subnets.Any(s => s.Role.Policy().HostsInternalLoadBalancers && s.Cidr.Contains(destination)),
            _ => Cidr.Parse(Block!).Contains(destination),
        };
    }
}

/// <summary>
/// Compares what the guide's prose claims (stack config `guideClaims`) with what the route tables
/// do. The route tables are the truth; each disagreement is said plainly.
/// </summary>
public static class GuideFindings
{
    /// <summary>An address far from any private or corporate range, standing for "the internet".</summary>
    private static readonly uint InternetProbe = Ipv4.Parse("8.8.8.8");

    public static IReadOnlyList<GuideFinding> For(ValidatedEnvironment env)
    {
        var claims = env.Claims;
        var network = env.Network;
        if (claims is null)
        {
            return [];
        }

        var findings = new List<GuideFinding>();
        var privateRoles = SubnetRoles.PrivateRoles.ToList();

        if (claims.PrivateInternetVia is { } claimedVia)
        {
            foreach (var role in privateRoles)
            {
                if (network.SubnetsOf(role).FirstOrDefault() is not { } subnet)
                {
                    continue;
                }

                var table = env.RouteTableOf(subnet);
                var route = RouteLookup.For(network, table).Match(InternetProbe);
                if (route is not null && route.Target.Name != claimedVia)
                {
                    findings.Add(new GuideFinding(
                        "default-route",
                        $"The prose says {role.Key()} subnets reach the internet through {claimedVia}; their route table {table.Name}{Replica(table)} sends {route.Destination} to {route.Target.Name}, so internet traffic from {role.Key()} goes {route.Target.Name}.",
                        [role.Key()],
                        FindingScope.OutsideVpc));
                }
            }
        }

        if (claims.InternetReachesInternalLoadBalancers)
        {
            var internalLoadBalancerSubnets = network.OrderedSubnets.Where(s => s.Role.Policy().HostsInternalLoadBalancers).ToList();
            var unreachable = internalLoadBalancerSubnets.Where(s => RouteLookup.For(network, network.RouteTableOf(s)!).Match(InternetProbe)?.Target.Kind != RouteTargetKind.InternetGateway).ToList();
            if (unreachable.Count > 0)
            {
                findings.Add(new GuideFinding(
                    "internal-load-balancers",
                    $"The prose draws internet users reaching the internal load balancers through the internet gateway. Internal load balancers have no public address and live in the subnets tagged kubernetes.io/role/internal-elb ({string.Join(", ", unreachable.Select(s => s.Key))}), whose route table does not send replies to the internet gateway: the internet cannot reach them.",
                    [SubnetRoles.InternetSource],
                    FindingScope.InternalLoadBalancers));
            }
        }

        foreach (var claimed in claims.CorporateNetworks)
        {
            foreach (var role in privateRoles.Concat(SubnetRoles.All.Except(privateRoles)))
            {
                var subnet = network.SubnetsOf(role).FirstOrDefault();
                if (subnet is null)
                {
                    continue;
                }

                var table = env.RouteTableOf(subnet);
                var route = RouteLookup.For(network, table).Match(claimed.Value.Network);
                var named = table.Routes.Any(r => r.Destination == claimed.Value || (r.Destination.Contains(claimed.Value) && r.Destination.PrefixLength > 0));
                if (route is null || route.Target.Kind != RouteTargetKind.Instance)
                {
                    findings.Add(new GuideFinding(
                        "corporate-network",
                        $"The prose lists {claimed.Value} among the corporate networks reached through the Aviatrix gateways; from {role.Key()} subnets (table {table.Name}) it goes to {route?.Target.Name ?? "nowhere"}{(route is null ? "" : $" by {route.Destination}")}.",
                        [role.Key()],
                        FindingScope.Block,
                        claimed.Value.ToString()));
                }
                else if (!named && role.Policy().Private)
                {
                    findings.Add(new GuideFinding(
                        "corporate-network",
                        $"The prose lists {claimed.Value} among the corporate networks with routes of their own; table {table.Name} has none, and it reaches {route.Target.Name} only through the default route {route.Destination}.",
                        [role.Key()],
                        FindingScope.Block,
                        claimed.Value.ToString()));
                }
            }
        }

        return findings.DistinctBy(f => f.Text).ToList();
    }

    private static string Replica(RouteTableSpec table) => table.ReplicaOf is null ? "" : $" ({table.ReplicaOf})";
}
