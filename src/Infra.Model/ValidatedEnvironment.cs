namespace Infra.Model;

/// <summary>
/// A stack that passed validation, with every reference between its parts resolved once: the
/// NAT gateway's subnet, each gateway's interface subnet, each route table's associated subnets,
/// each route's gateway, each zone's ENIConfig subnet. Emitters work from this, so none of them
/// looks a name up and asserts that it exists.
/// </summary>
public sealed class ValidatedEnvironment
{
    private readonly Dictionary<string, SubnetSpec> _interfaceSubnets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NamedNatGatewaySpec> _namedNats = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SubnetSpec> _namedNatSubnets = new(StringComparer.Ordinal);
    private readonly Dictionary<RouteTableSpec, IReadOnlyList<SubnetSpec>> _associations = [];
    private readonly Dictionary<string, GatewayInstance> _gateways = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SubnetSpec> _eniConfigSubnets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RouteTableSpec> _tableOfSubnet = new(StringComparer.Ordinal);

    private ValidatedEnvironment(EnvironmentSpec spec)
    {
        Spec = spec;
        var network = spec.Network;
        NatSubnets = network.Nat.ActiveZones
            .Select(zone => Resolve(network.FindSubnet(SubnetRole.Public, zone), $"the public subnet of the NAT gateway in {zone}"))
            .ToList();

        foreach (var gateway in network.Gateways)
        {
            _gateways[gateway.Name] = gateway;
            if (gateway.Placement == GatewayPlacement.CreatedInterface)
            {
                _interfaceSubnets[gateway.Name] = Resolve(gateway.InterfaceSubnet is { } key ? network.FindSubnet(key) : null, $"the interface subnet of gateway {gateway.Name}");
            }
        }

        foreach (var nat in network.NamedNatGateways)
        {
            _namedNats[nat.Target.Name] = nat;
            _namedNatSubnets[nat.Target.Name] = Resolve(network.FindSubnet(nat.Subnet), $"the subnet of NAT gateway {nat.Target.Name}");
        }

        foreach (var table in network.RouteTables)
        {
            _associations[table] = [.. table.SubnetKeys.Select(k => k.Value).Order(StringComparer.Ordinal).Select(k => Resolve(network.FindSubnet(k), $"subnet {k} of route table {table.Name}"))];
            foreach (var route in table.Routes.Where(r => r.Target.Kind == RouteTargetKind.Instance))
            {
                Resolve(route.Target.GatewayName is { } name ? network.FindGateway(name) : null, $"the gateway of route {route.Destination} in {table.Name}");
            }

            foreach (var route in table.Routes.Where(r => r.Target.IsNamedNat))
            {
                Resolve(_namedNats.GetValueOrDefault(route.Target.Name), $"the NAT gateway of route {route.Destination} in {table.Name}");
            }
        }

        foreach (var subnet in network.Subnets)
        {
            _tableOfSubnet[subnet.Key] = Resolve(network.RouteTableOf(subnet), $"the route table of {subnet.Key}");
        }

        if (spec.Cluster is { Cni.CustomNetworking: true })
        {
            foreach (var zone in network.Zones.Select(z => z.Value))
            {
                _eniConfigSubnets[zone] = Resolve(network.FindSubnet(SubnetRoles.With(ClusterUse.EniConfigs), zone), $"the ENIConfig subnet of {zone}");
            }
        }
    }

    /// <summary>The stack as read; every rule of <see cref="Validation.EnvironmentValidator"/> holds for it.</summary>
    public EnvironmentSpec Spec { get; }

    public string Project => Spec.Project;

    public string Stack => Spec.Stack;

    /// <inheritdoc cref="EnvironmentSpec.Prefix"/>
    public string Prefix => Spec.Prefix;

    public NetworkSpec Network => Spec.Network;

    public ClusterDesign? Cluster => Spec.Cluster;

    public GuideClaims? Claims => Spec.Claims;

    /// <inheritdoc cref="EnvironmentSpec.ProviderDefaultTags"/>
    public IReadOnlyDictionary<string, string> ProviderDefaultTags => Spec.ProviderDefaultTags;

    /// <inheritdoc cref="EnvironmentSpec.Waivers"/>
    public IReadOnlyDictionary<string, Located<string>> Waivers => Spec.Waivers;

    /// <summary>Every security group the stack's design holds (<see cref="SecurityDesign.All"/>), built once.</summary>
    public IReadOnlyList<SecurityGroupDesign> SecurityGroups => _securityGroups ??= SecurityDesign.All(Network, Cluster);

    private IReadOnlyList<SecurityGroupDesign>? _securityGroups;

    /// <summary>The public subnet of the first (or only) NAT gateway; null when the stack has none.</summary>
    public SubnetSpec? NatSubnet => NatSubnets.Count > 0 ? NatSubnets[0] : null;

    /// <summary>The public subnets of the NAT gateways, in `zones` order; empty when the stack has none.</summary>
    public IReadOnlyList<SubnetSpec> NatSubnets { get; }

    /// <summary>The prefix-list routes AWS adds to a table for the gateway endpoints attached to it: the bootstrap's S3 endpoint, then the stated ones.</summary>
    public IReadOnlyList<GatewayEndpointRoute> GatewayEndpointRoutesOf(RouteTableSpec table)
    {
        var routes = new List<GatewayEndpointRoute>();
        if (Cluster?.Bootstrap?.NodeEgress == NodeEgress.VpcEndpoints && NodeBootstrap.GatewayEndpointTables(Network).Contains(table))
        {
            var service = NodeBootstrap.GatewayEndpointService;
            routes.Add(new(NodeBootstrap.PrefixListName(Network.Region, service), $"vpc-endpoint-{service}", "the S3 gateway endpoint (bootstrap)"));
        }

        routes.AddRange(Network.VpcEndpoints
            .Where(e => e.Kind == VpcEndpointKind.Gateway && e.RouteTables.Any(t => t.Value == table.Name))
            .Select(e => new GatewayEndpointRoute(e.Service, e.Name, $"vpcEndpoints.{e.Name}")));
        return routes;
    }

    /// <summary>
    /// Resolves a stack's references. A stack that has not passed validation, and so has a
    /// dangling one, is a bug of the caller: it fails here, naming the reference.
    /// </summary>
    public static ValidatedEnvironment From(EnvironmentSpec spec) => new(spec);

    /// <summary>The subnet the stack creates a gateway's interface in.</summary>
    public SubnetSpec InterfaceSubnetOf(GatewayInstance gateway) => _interfaceSubnets[gateway.Name];

    /// <summary>The subnet a NAT gateway stated by name sits in.</summary>
    public SubnetSpec SubnetOf(NamedNatGatewaySpec nat) => _namedNatSubnets[nat.Target.Name];

    /// <summary>The NAT gateway a `private-nat-gateway/NAME` or `public-nat-gateway/NAME` target names.</summary>
    public NamedNatGatewaySpec NamedNatOf(RouteTarget target) => _namedNats[target.IsNamedNat ? target.Name : throw new InvalidOperationException($"{target} is not a NAT gateway stated by name")];

    /// <summary>
    /// Where the NAT gateway a route target names (the zone's, or one stated by name) sends what it
    /// translates for <paramref name="address"/>: its own subnet's route table and the route that
    /// wins there (none when nothing matches).
    /// </summary>
    public (SubnetSpec Subnet, RouteTableSpec Table, ResolvedRoute? Route) OnwardFrom(RouteTarget nat, uint address)
    {
        var subnet = Network.SubnetOfNat(nat) ?? throw new InvalidOperationException($"{nat} is not a NAT gateway the stack states");
        var table = RouteTableOf(subnet);
        return (subnet, table, RouteLookup.For(Network, table).Match(address));
    }

    /// <summary>The gateways whose interface the stack creates in a subnet, in the stack's order.</summary>
    public IEnumerable<GatewayInstance> GatewaysWithInterfaceIn(SubnetSpec subnet) =>
        Network.Gateways.Where(g => _interfaceSubnets.TryGetValue(g.Name, out var at) && at.Key == subnet.Key);

    /// <summary>The subnets a table is associated with explicitly, in key order.</summary>
    public IReadOnlyList<SubnetSpec> AssociatedSubnets(RouteTableSpec table) => _associations[table];

    /// <summary>The table that routes a subnet's traffic: its explicit association, or the main table.</summary>
    public RouteTableSpec RouteTableOf(SubnetSpec subnet) => _tableOfSubnet[subnet.Key];

    /// <summary>The gateway an instance route targets.</summary>
    public GatewayInstance GatewayOf(RouteTarget target) => _gateways[target.GatewayName ?? throw new InvalidOperationException($"{target} is not a gateway target")];

    /// <summary>The pod subnet a zone's ENIConfig gives pods (custom networking).</summary>
    public SubnetSpec EniConfigSubnet(string zone) => _eniConfigSubnets[zone];

    private static T Resolve<T>(T? found, string what) where T : class =>
        found ?? throw new InvalidOperationException($"{what} does not resolve: the stack was not validated");
}
