using Infra.Model.Addressing;

namespace Infra.Model.Network;

public sealed record VpcSpec(string Name, Located<Cidr> Primary, IReadOnlyList<Located<Cidr>> Secondary, string? ReplicaOf);

/// <param name="At">Where the CIDR was given.</param>
/// <param name="EntryAt">Where the subnet itself was given (its role and zone).</param>
public sealed record SubnetSpec(SubnetRole Role, string Zone, Cidr Cidr, string? ReplicaOf, Origin At, Origin EntryAt)
{
    /// <summary>"role/zone", the way route table associations and reports refer to a subnet.</summary>
    public string Key => $"{Role.Key()}/{Zone}";
}

/// <summary>How a gateway exists in this stack's VPC. A route can only target an interface in its own VPC.</summary>
public enum GatewayPlacement
{
    /// <summary>
    /// This stack creates the network interface (source/destination check off) in one of its
    /// subnets, and exports its id; the appliance (an Aviatrix spoke gateway, for example) attaches
    /// it. In the VPC by construction: the deployable default.
    /// </summary>
    CreatedInterface,

    /// <summary>
    /// An instance or interface that exists already and that the user states is in this VPC (a
    /// second phase, after the appliance was launched into it).
    /// </summary>
    ExistingInThisVpc,
}

/// <summary>An appliance that routes traffic for the VPC (here: the Aviatrix gateways).</summary>
/// <param name="InterfaceSubnet">CreatedInterface: the subnet ("role/zone") the interface is created in.</param>
/// <param name="InstanceId">ExistingInThisVpc: the instance, whose primary interface routes target.</param>
/// <param name="NetworkInterfaceId">ExistingInThisVpc: the interface routes target, if given.</param>
/// <param name="ReplicaOf">The original appliance this one stands for (recorded as a tag, never used as a target).</param>
public sealed record GatewayInstance(
    string Name,
    string Description,
    GatewayPlacement Placement,
    string? InterfaceSubnet,
    string? InstanceId,
    string? NetworkInterfaceId,
    string? ReplicaOf,
    Origin At)
{
    /// <summary>How reports name what a route to this gateway reaches.</summary>
    public string Identity => Placement == GatewayPlacement.CreatedInterface
        ? $"interface in {InterfaceSubnet}{(ReplicaOf is null ? "" : $", replica of {ReplicaOf}")}"
        : NetworkInterfaceId ?? InstanceId ?? "";
}

public sealed record NatGatewaySpec(bool Enabled, string? Zone, Origin At);

public enum RouteTargetKind
{
    /// <summary>The VPC's own CIDRs; AWS adds these routes itself.</summary>
    Local,
    InternetGateway,
    NatGateway,
    Instance,
}

public sealed record RouteTarget(RouteTargetKind Kind, string? GatewayName = null)
{
    public const string InternetGatewayName = "internet-gateway";
    public const string NatGatewayName = "nat-gateway";
    public const string LocalName = "local";

    public static RouteTarget Local { get; } = new(RouteTargetKind.Local);
    public static RouteTarget InternetGateway { get; } = new(RouteTargetKind.InternetGateway);
    public static RouteTarget NatGateway { get; } = new(RouteTargetKind.NatGateway);

    public static RouteTarget Instance(string gatewayName) => new(RouteTargetKind.Instance, gatewayName);

    /// <summary>The name the target has in configuration and reports.</summary>
    public string Name => Kind switch
    {
        RouteTargetKind.Local => LocalName,
        RouteTargetKind.InternetGateway => InternetGatewayName,
        RouteTargetKind.NatGateway => NatGatewayName,
        _ => GatewayName!,
    };

    public override string ToString() => Name;
}

public sealed record RouteSpec(Cidr Destination, RouteTarget Target, string? Purpose, Origin At);

public sealed record RouteTableSpec(
    string Name,
    bool IsMain,
    string? ReplicaOf,
    IReadOnlyList<RouteSpec> Routes,
    IReadOnlyList<Located<string>> SubnetKeys,
    Origin At);

public sealed record NetworkSpec(
    string Region,
    VpcSpec Vpc,
    IReadOnlyList<Located<string>> Zones,
    IReadOnlyList<SubnetSpec> Subnets,
    string? InternetGatewayReplicaOf,
    NatGatewaySpec Nat,
    IReadOnlyList<GatewayInstance> Gateways,
    IReadOnlyList<RouteTableSpec> RouteTables)
{
    public IEnumerable<Cidr> VpcCidrs => Vpc.Secondary.Select(s => s.Value).Prepend(Vpc.Primary.Value);

    public SubnetSpec? FindSubnet(SubnetRole role, string zone) =>
        Subnets.FirstOrDefault(s => s.Role == role && s.Zone == zone);

    public SubnetSpec? FindSubnet(string key) => Subnets.FirstOrDefault(s => s.Key == key);

    public RouteTableSpec? MainRouteTable => RouteTables.FirstOrDefault(t => t.IsMain);

    /// <summary>The table a subnet uses: its explicit association, else the main table.</summary>
    public RouteTableSpec? RouteTableOf(SubnetSpec subnet) =>
        RouteTables.FirstOrDefault(t => t.SubnetKeys.Any(k => k.Value == subnet.Key)) ?? MainRouteTable;

    public GatewayInstance? FindGateway(string name) => Gateways.FirstOrDefault(g => g.Name == name);

    /// <summary>
    /// The index of the secondary VPC CIDR that holds a subnet, or null when it lies in the primary:
    /// such a subnet cannot be created before that CIDR is associated with the VPC.
    /// </summary>
    public int? SecondaryCidrIndexOf(SubnetSpec subnet)
    {
        for (var i = 0; i < Vpc.Secondary.Count; i++)
        {
            if (Vpc.Secondary[i].Value.Contains(subnet.Cidr))
            {
                return i;
            }
        }

        return null;
    }

    /// <summary>Subnets in a stable order: by role, then zone.</summary>
    public IEnumerable<SubnetSpec> OrderedSubnets =>
        Subnets.OrderBy(s => s.Role).ThenBy(s => s.Zone, StringComparer.Ordinal);

    /// <summary>The subnets of one role, by zone.</summary>
    public IEnumerable<SubnetSpec> SubnetsOf(SubnetRole role) => OrderedSubnets.Where(s => s.Role == role);

    /// <summary>Routes in a stable order whatever order the configuration lists them in.</summary>
    public static IEnumerable<RouteSpec> Ordered(IEnumerable<RouteSpec> routes) => routes.OrderBy(r => r.Destination);
}
