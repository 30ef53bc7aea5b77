namespace Infra.Model.Routing;

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

/// <summary>
/// The NAT gateways: one in each of <paramref name="Zones"/>' public subnets (none when not
/// enabled). The first zone's keeps the single NAT gateway's resource names, so moving from `zone`
/// to `zones` plans nothing for it.
/// </summary>
public sealed record NatGatewaySpec(bool Enabled, IReadOnlyList<string> Zones, Origin At)
{
    /// <summary>The first zone's, which the bare `nat-gateway` target names.</summary>
    public string? Zone => Zones.Count > 0 ? Zones[0] : null;

    /// <summary>The zones that have a NAT gateway: none when it is switched off.</summary>
    public IReadOnlyList<string> ActiveZones => Enabled ? Zones : [];

    /// <summary>The original NAT gateway each zone's stands for, by zone (recorded as a tag, never targeted).</summary>
    public IReadOnlyDictionary<string, string> ReplicaOf { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Whether the stack states NAT gateways in several zones (routes then name theirs: nat-gateway/ZONE).</summary>
    public bool PerZone => Zones.Count > 1;
}

/// <summary>
/// A NAT gateway stated by name, beside the one per zone of `natGateway`. A private one
/// (`privateNatGateways`, EC2 ConnectivityType private) rewrites the source to its own private
/// address in <paramref name="Subnet"/> and sends the packet on by that subnet's route table (to a
/// transit gateway or peering, typically); it has no Elastic IP and reaches no internet by itself.
/// A public one (`publicNatGateways`) sits in a public subnet with an Elastic IP of its own, as the
/// zone's does: a second one in a zone (more connections to one destination, or an address of its
/// own that a partner allows), which routes name instead of the zone's.
/// </summary>
/// <param name="Subnet">The subnet it sits in (`role/zone`, or `role/zone/N`).</param>
/// <param name="ReplicaOf">The original NAT gateway it stands for (recorded as a tag, never targeted).</param>
public sealed record NamedNatGatewaySpec(string Name, string Subnet, string? ReplicaOf, Origin At)
{
    /// <summary>Public (an Elastic IP, to the internet) rather than private.</summary>
    public bool IsPublic { get; init; }

    /// <summary>How routes name it: `public-nat-gateway/NAME` or `private-nat-gateway/NAME`.</summary>
    public RouteTarget Target => IsPublic ? RouteTarget.PublicNatTarget(Name) : RouteTarget.PrivateNatTarget(Name);
}

public enum RouteTargetKind
{
    /// <summary>The VPC's own CIDRs; AWS adds these routes itself.</summary>
    Local,
    InternetGateway,
    NatGateway,
    Instance,

    /// <summary>
    /// A transit gateway (tgw-...), VPC peering connection (pcx-...) or Outpost's local gateway
    /// (lgw-...) the stack does not own, named by its id: AWS accepts the route only once this VPC
    /// is attached to the transit gateway, is a side of the peering connection (EC2 API Reference,
    /// CreateRoute), or is associated with one of the local gateway's route tables (AWS Outposts
    /// User Guide, "Local gateway route tables": the subnet's VPC must be associated with it).
    /// </summary>
    Existing,

    /// <summary>A Gateway Load Balancer endpoint the stack states (`vpc-endpoint/NAME`): the appliances behind it inspect the traffic.</summary>
    Endpoint,

    /// <summary>A private NAT gateway the stack states (`private-nat-gateway/NAME`).</summary>
    PrivateNat,

    /// <summary>A public NAT gateway the stack states by name (`public-nat-gateway/NAME`), beside the zone's.</summary>
    PublicNat,
}

/// <summary>A target the stack names by id and does not own (<see cref="RouteTargetKind.Existing"/>).</summary>
public enum ExistingTargetType
{
    TransitGateway,
    PeeringConnection,

    /// <summary>An Outpost's local gateway: to the on-premises network beside the Outpost.</summary>
    LocalGateway,
}

public sealed record RouteTarget(RouteTargetKind Kind, string? GatewayName = null)
{
    public const string InternetGatewayName = "internet-gateway";
    public const string NatGatewayName = "nat-gateway";
    public const string LocalName = "local";

    /// <summary>How a route names a stated Gateway Load Balancer endpoint: `vpc-endpoint/NAME`.</summary>
    public const string EndpointPrefix = "vpc-endpoint/";

    /// <summary>How a route names a stated private NAT gateway: `private-nat-gateway/NAME`.</summary>
    public const string PrivateNatPrefix = "private-nat-gateway/";

    /// <summary>A stated private NAT gateway, by its name under `privateNatGateways`.</summary>
    public static RouteTarget PrivateNatTarget(string name) => new(RouteTargetKind.PrivateNat, name);

    /// <summary>How a route names a public NAT gateway stated by name: `public-nat-gateway/NAME`.</summary>
    public const string PublicNatPrefix = "public-nat-gateway/";

    /// <summary>A public NAT gateway stated by name, under `publicNatGateways`.</summary>
    public static RouteTarget PublicNatTarget(string name) => new(RouteTargetKind.PublicNat, name);

    /// <summary>A NAT gateway stated by name, public or private.</summary>
    public bool IsNamedNat => Kind is RouteTargetKind.PrivateNat or RouteTargetKind.PublicNat;

    /// <summary>Any NAT gateway: the zone's, or one stated by name.</summary>
    public bool IsNat => Kind == RouteTargetKind.NatGateway || IsNamedNat;

    /// <summary>A stated Gateway Load Balancer endpoint, by its name under `vpcEndpoints`.</summary>
    public static RouteTarget EndpointTarget(string endpointName) => new(RouteTargetKind.Endpoint, endpointName);

    public static RouteTarget Local { get; } = new(RouteTargetKind.Local);
    public static RouteTarget InternetGateway { get; } = new(RouteTargetKind.InternetGateway);
    public static RouteTarget NatGateway { get; } = new(RouteTargetKind.NatGateway);

    /// <summary>The NAT gateway of one zone (`nat-gateway/ZONE`).</summary>
    public static RouteTarget NatGatewayIn(string zone) => new(RouteTargetKind.NatGateway, zone);

    /// <summary>The zone whose NAT gateway a `nat-gateway` target names: its own, else the first NAT zone's.</summary>
    public string? NatZone(NatGatewaySpec nat) => Kind == RouteTargetKind.NatGateway ? GatewayName ?? nat.Zone : null;

    public static RouteTarget Instance(string gatewayName) => new(RouteTargetKind.Instance, gatewayName);

    /// <summary>A target as the stack file names it (<see cref="Name"/> read back); a bare name is a gateway's, which validation holds to the stated ones.</summary>
    public static RouteTarget Parse(string name) => name switch
    {
        LocalName => Local,
        InternetGatewayName => InternetGateway,
        NatGatewayName => NatGateway,
        _ when name.StartsWith(NatGatewayName + "/", StringComparison.Ordinal) => NatGatewayIn(name[(NatGatewayName.Length + 1)..]),
        _ when name.StartsWith(EndpointPrefix, StringComparison.Ordinal) => EndpointTarget(name[EndpointPrefix.Length..]),
        _ when name.StartsWith(PrivateNatPrefix, StringComparison.Ordinal) => PrivateNatTarget(name[PrivateNatPrefix.Length..]),
        _ when name.StartsWith(PublicNatPrefix, StringComparison.Ordinal) => PublicNatTarget(name[PublicNatPrefix.Length..]),
        _ when IsExistingId(name) => ExistingTarget(name),
        _ => Instance(name),
    };

    /// <summary>The kinds of target a route may name by id, each by its id's prefix.</summary>
    public static IReadOnlyList<(string Prefix, ExistingTargetType Type)> ExistingIdPrefixes { get; } =
        [("tgw-", ExistingTargetType.TransitGateway), ("pcx-", ExistingTargetType.PeeringConnection), ("lgw-", ExistingTargetType.LocalGateway)];

    /// <summary>A transit gateway, peering connection or local gateway named by its id.</summary>
    public static RouteTarget ExistingTarget(string id) => new(RouteTargetKind.Existing, id);

    /// <summary>Whether a target name is an id of a kind a route may name directly.</summary>
    public static bool IsExistingId(string name) => ExistingIdPrefixes.Any(p => name.StartsWith(p.Prefix, StringComparison.Ordinal));

    /// <summary>What an existing target is, by its id's prefix.</summary>
    public ExistingTargetType ExistingType =>
        ExistingIdPrefixes.First(p => GatewayName?.StartsWith(p.Prefix, StringComparison.Ordinal) == true).Type;

    /// <summary>What an existing target is, for reports: "transit gateway", "peering connection" or "local gateway".</summary>
    public string ExistingKind => ExistingType switch
    {
        ExistingTargetType.TransitGateway => "transit gateway",
        ExistingTargetType.PeeringConnection => "peering connection",
        _ => "local gateway",
    };

    /// <summary>The name the target has in configuration and reports.</summary>
    public string Name => Kind switch
    {
        RouteTargetKind.Local => LocalName,
        RouteTargetKind.InternetGateway => InternetGatewayName,
        RouteTargetKind.NatGateway => GatewayName is null ? NatGatewayName : $"{NatGatewayName}/{GatewayName}",
        RouteTargetKind.Endpoint => $"{EndpointPrefix}{GatewayName}",
        RouteTargetKind.PrivateNat => $"{PrivateNatPrefix}{GatewayName}",
        RouteTargetKind.PublicNat => $"{PublicNatPrefix}{GatewayName}",
        _ => GatewayName!,
    };

    public override string ToString() => Name;
}

public sealed record RouteSpec(Cidr Destination, RouteTarget Target, string? Purpose, Origin At);

/// <summary>An egress-only internet gateway: IPv6 traffic out of the VPC, none in (EC2 CreateEgressOnlyInternetGateway).</summary>
public sealed record EgressOnlyGatewaySpec(string? ReplicaOf, Origin At);

/// <summary>Where an IPv6 route goes: the egress-only gateway (out only), the internet gateway (both ways), a stated Gateway Load Balancer endpoint (inspection), a gateway by id, an appliance, or a NAT gateway (NAT64).</summary>
public enum Ipv6RouteTarget
{
    EgressOnlyInternetGateway,
    InternetGateway,

    /// <summary>A Gateway Load Balancer endpoint of `vpcEndpoints` (`vpc-endpoint/NAME`), as an IPv4 route may name one.</summary>
    Endpoint,

    /// <summary>A transit gateway, peering connection or local gateway named by its id, as an IPv4 route may name one (<see cref="RouteTargetKind.Existing"/>).</summary>
    Existing,

    /// <summary>An appliance of `gateways`, by name (its interface), as an IPv4 route may name one.</summary>
    Instance,

    /// <summary>
    /// The stack's NAT gateway (`nat-gateway`, or `nat-gateway/ZONE` with one per zone): NAT64, for
    /// 64:ff9b::/96, the addresses DNS64 synthesizes for IPv4-only names (Amazon VPC User Guide,
    /// DNS64 and NAT64).
    /// </summary>
    NatGateway,

    /// <summary>A private NAT gateway of `privateNatGateways` (`private-nat-gateway/NAME`), NAT64 likewise.</summary>
    PrivateNatGateway,

    /// <summary>A public NAT gateway of `publicNatGateways` (`public-nat-gateway/NAME`), NAT64 likewise.</summary>
    PublicNatGateway,
}

/// <param name="Destination">An IPv6 block as EC2 writes it ("::/0", "2001:db8::/32").</param>
/// <param name="Reference">The endpoint's name under `vpcEndpoints` (<see cref="Ipv6RouteTarget.Endpoint"/>), the target's id (<see cref="Ipv6RouteTarget.Existing"/>), the gateway's name (<see cref="Ipv6RouteTarget.Instance"/>), the NAT gateway's zone (<see cref="Ipv6RouteTarget.NatGateway"/>, null for the one) or the private NAT gateway's name.</param>
public sealed record Ipv6RouteSpec(string Destination, Ipv6RouteTarget Target, string? Purpose, Origin At, string? Reference = null)
{
    public const string EgressOnlyName = "egress-only-internet-gateway";

    public string TargetName => Target switch
    {
        Ipv6RouteTarget.EgressOnlyInternetGateway => EgressOnlyName,
        Ipv6RouteTarget.InternetGateway => RouteTarget.InternetGatewayName,
        Ipv6RouteTarget.Endpoint => $"{RouteTarget.EndpointPrefix}{Reference}",
        Ipv6RouteTarget.NatGateway => Reference is null ? RouteTarget.NatGatewayName : $"{RouteTarget.NatGatewayName}/{Reference}",
        Ipv6RouteTarget.PrivateNatGateway => $"{RouteTarget.PrivateNatPrefix}{Reference}",
        Ipv6RouteTarget.PublicNatGateway => $"{RouteTarget.PublicNatPrefix}{Reference}",
        _ => Reference!,
    };

    /// <summary>The route's target as an IPv4 route would name it: every target but the egress-only gateway, which only IPv6 routes have.</summary>
    public RouteTarget? SharedTarget => Target switch
    {
        Ipv6RouteTarget.InternetGateway => RouteTarget.InternetGateway,
        Ipv6RouteTarget.Endpoint => RouteTarget.EndpointTarget(Reference!),
        Ipv6RouteTarget.Existing => RouteTarget.ExistingTarget(Reference!),
        Ipv6RouteTarget.Instance => RouteTarget.Instance(Reference!),
        Ipv6RouteTarget.NatGateway => Reference is null ? RouteTarget.NatGateway : RouteTarget.NatGatewayIn(Reference),
        Ipv6RouteTarget.PrivateNatGateway => RouteTarget.PrivateNatTarget(Reference!),
        Ipv6RouteTarget.PublicNatGateway => RouteTarget.PublicNatTarget(Reference!),
        _ => null,
    };

    /// <summary>The well-known prefix NAT64 translates (RFC 6052), where DNS64's synthesized addresses lie.</summary>
    public const string Nat64Prefix = "64:ff9b::/96";

    /// <summary>
    /// An IPv6 route's target as the stack file names it: the egress-only gateway, which only IPv6
    /// routes have, or any target an IPv4 route may name (<see cref="RouteTarget.Parse"/>; "local",
    /// which no IPv6 route may name, reads as a gateway's name that validation then refuses).
    /// </summary>
    public static (Ipv6RouteTarget Target, string? Reference) ParseTarget(string name)
    {
        if (name == EgressOnlyName)
        {
            return (Ipv6RouteTarget.EgressOnlyInternetGateway, null);
        }

        var target = RouteTarget.Parse(name);
        return target.Kind switch
        {
            RouteTargetKind.InternetGateway => (Ipv6RouteTarget.InternetGateway, null),
            RouteTargetKind.NatGateway => (Ipv6RouteTarget.NatGateway, target.GatewayName),
            RouteTargetKind.PrivateNat => (Ipv6RouteTarget.PrivateNatGateway, target.GatewayName),
            RouteTargetKind.PublicNat => (Ipv6RouteTarget.PublicNatGateway, target.GatewayName),
            RouteTargetKind.Endpoint => (Ipv6RouteTarget.Endpoint, target.GatewayName),
            RouteTargetKind.Existing => (Ipv6RouteTarget.Existing, target.GatewayName),
            _ => (Ipv6RouteTarget.Instance, name),
        };
    }
}

public sealed record RouteTableSpec(
    string Name,
    bool IsMain,
    string? ReplicaOf,
    IReadOnlyList<RouteSpec> Routes,
    IReadOnlyList<Located<string>> SubnetKeys,
    Origin At)
{
    /// <summary>The table's IPv6 routes (the VPC's own IPv6 block is routed locally by AWS).</summary>
    public IReadOnlyList<Ipv6RouteSpec> Ipv6Routes { get; init; } = [];
}
