namespace Infra.Model.Routing;

/// <summary>
/// Longest-prefix-match over one route table, as the VPC router does it: the VPC's local routes
/// are implicit and always present, and the most specific matching destination wins.
/// </summary>
public sealed class RouteLookup
{
    // Routes sorted by prefix length, longest first, so the first match is the winner.
    private readonly (uint Network, uint Mask, int Index)[] _sorted;
    private readonly IReadOnlyList<ResolvedRoute> _routes;

    public RouteLookup(IEnumerable<Cidr> vpcCidrs, IEnumerable<RouteSpec> routes)
    {
        var all = new List<ResolvedRoute>();
        all.AddRange(vpcCidrs.Select(c => new ResolvedRoute(c, RouteTarget.Local, "VPC CIDR", IsImplicit: true)));
        all.AddRange(routes.Select(r => new ResolvedRoute(r.Destination, r.Target, r.Purpose, IsImplicit: false)));
        _routes = all;
        _sorted = all
            .Select((r, i) => (r.Destination.Network, r.Destination.Mask, Index: i, r.Destination.PrefixLength))
            .OrderByDescending(x => x.PrefixLength)
            .ThenBy(x => x.Index)
            .Select(x => (x.Network, x.Mask, x.Index))
            .ToArray();
    }

    public IReadOnlyList<ResolvedRoute> Routes => _routes;

    /// <summary>The winning route for a destination address, or null when nothing matches.</summary>
    public ResolvedRoute? Match(uint destination) => MatchIndex(destination) is var index and >= 0 ? _routes[index] : null;

    /// <summary>Index of the winning route (-1 for none); allocation-free for hot loops.</summary>
    public int MatchIndex(uint destination)
    {
        foreach (var (network, mask, index) in _sorted)
        {
            if ((destination & mask) == network)
            {
                return index;
            }
        }

        return -1;
    }

    public static RouteLookup For(NetworkSpec network, RouteTableSpec table) => new(network.VpcCidrs, table.Routes);
}

public sealed record ResolvedRoute(Cidr Destination, RouteTarget Target, string? Purpose, bool IsImplicit);
