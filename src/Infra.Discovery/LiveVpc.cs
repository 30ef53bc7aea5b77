using Infra.Model.Addressing;
namespace Infra.Discovery;

/// <summary>
/// A VPC as the EC2 API describes it: what discover turns into a stack file and drift compares a
/// stack file with. Ids are the live ones; nothing here knows of Pulumi or of the stack format.
/// </summary>
public sealed record LiveVpc(
    string Region,
    string VpcId,
    string? Name,
    string PrimaryCidr,
    IReadOnlyList<string> SecondaryCidrs,
    IReadOnlyList<LiveSubnet> Subnets,
    string? InternetGatewayId,
    IReadOnlyList<LiveNatGateway> NatGateways,
    IReadOnlyList<LiveRouteTable> RouteTables,
    IReadOnlyList<LiveGateway> Gateways,
    IReadOnlyList<LiveSecurityGroup> SecurityGroups)
{
    /// <summary>The VPC's flow logs (those on the VPC itself, not on its subnets or interfaces).</summary>
    public IReadOnlyList<LiveFlowLog> FlowLogs { get; init; } = [];

    /// <summary>IPv6 CIDR blocks associated with the VPC (the stack format has none: listed, not written).</summary>
    public IReadOnlyList<string> Ipv6Cidrs { get; init; } = [];

    /// <summary>The VPC's endpoints (gateway and interface).</summary>
    public IReadOnlyList<LiveEndpoint> Endpoints { get; init; } = [];

    /// <summary>Egress-only internet gateways attached to the VPC.</summary>
    public IReadOnlyList<string> EgressOnlyGateways { get; init; } = [];

    public LiveRouteTable? MainTable => RouteTables.FirstOrDefault(t => t.Main);

    /// <summary>The table that routes a subnet: its explicit association, else the main table.</summary>
    public LiveRouteTable? TableOf(LiveSubnet subnet) => RouteTables.FirstOrDefault(t => t.SubnetIds.Contains(subnet.Id)) ?? MainTable;
}

/// <param name="Cidr">Its IPv4 block; empty for an IPv6-only subnet.</param>
public sealed record LiveSubnet(string Id, string Cidr, string Zone, IReadOnlyDictionary<string, string> Tags)
{
    /// <summary>An IPv6-only subnet (EC2 Ipv6Native): the stack's subnets each have an IPv4 block, so discover leaves it out, named.</summary>
    public bool IsIpv6Only => Cidr.Length == 0;

    /// <summary>Its blocks as reports show them: the IPv4 block, or the IPv6 ones of an IPv6-only subnet.</summary>
    public string Blocks => IsIpv6Only ? $"{string.Join(", ", Ipv6Cidrs)} (IPv6 only)" : Cidr;

    /// <summary>The subnet's IPv6 blocks (a subnet holds one at most; the stack writes it as its index in the VPC's first block).</summary>
    public IReadOnlyList<string> Ipv6Cidrs { get; init; } = [];

    /// <summary>EC2 AssignIpv6AddressOnCreation: new interfaces get an IPv6 address.</summary>
    public bool AssignIpv6OnCreation { get; init; }

    /// <summary>EC2 EnableDns64.</summary>
    public bool Dns64 { get; init; }

    /// <summary>
    /// Its IPv6 block's index in <paramref name="vpc"/>'s first IPv6 block (the one the stack asks
    /// for), or why the stack cannot say it.
    /// </summary>
    public (int? Index, string? Why) Ipv6IndexIn(LiveVpc vpc) => Ipv6Cidrs switch
    {
        [] => (null, null),
        [var block] when vpc.Ipv6Cidrs.Count == 0 => (null, $"{block}: the VPC has no IPv6 block of its own the stack could carve it from"),
        [var block] => Ipv6SubnetBlocks.IndexWithin(vpc.Ipv6Cidrs[0], block) is { } index
            ? (index, null)
            : (null, $"{block}: not a /64 of the VPC's first IPv6 block {vpc.Ipv6Cidrs[0]}, the one the stack asks for"),
        _ => (null, $"{string.Join(", ", Ipv6Cidrs)}: several IPv6 blocks"),
    };
}

/// <param name="IsPrivate">EC2 ConnectivityType private: no Elastic IP, no internet of its own.</param>
public sealed record LiveNatGateway(string Id, string SubnetId, bool IsPrivate = false);

/// <param name="DestinationType">cloud-watch-logs, s3 or kinesis-data-firehose (EC2 LogDestinationType).</param>
/// <param name="Destination">The log group's name, or the bucket's or stream's ARN.</param>
public sealed record LiveFlowLog(string Id, string TrafficType, string DestinationType, string Destination);

public enum LiveTargetKind
{
    Local,
    InternetGateway,
    NatGateway,

    /// <summary>An instance or a network interface: a gateway appliance.</summary>
    Appliance,

    /// <summary>Anything the stack format has no target for (peering, transit gateway, ...).</summary>
    Unsupported,
}

/// <summary>What a route's destination is: an IPv4 block (the stack format's only kind), an IPv6 block, or a managed prefix list.</summary>
public enum LiveDestination
{
    Ipv4,
    Ipv6,
    PrefixList,
}

/// <param name="TargetId">The live id of the target (the appliance's instance id, or its interface id when the route names only that).</param>
public sealed record LiveRoute(string Destination, LiveTargetKind Kind, string TargetId, LiveDestination Family = LiveDestination.Ipv4);

/// <param name="Type">Gateway, Interface or GatewayLoadBalancer (EC2 VpcEndpointType).</param>
public sealed record LiveEndpoint(string Id, string Type, string ServiceName)
{
    /// <summary>Gateway: the route tables that route the service's prefix list to it.</summary>
    public IReadOnlyList<string> RouteTableIds { get; init; } = [];

    /// <summary>Interface: the subnets it has an interface in.</summary>
    public IReadOnlyList<string> SubnetIds { get; init; } = [];

    /// <summary>Interface: the security groups on its interfaces.</summary>
    public IReadOnlyList<string> GroupIds { get; init; } = [];

    public bool PrivateDns { get; init; }
}

public sealed record LiveRouteTable(string Id, bool Main, string? Name, IReadOnlyList<string> SubnetIds, IReadOnlyList<LiveRoute> Routes);

/// <summary>An appliance that routes target: an instance, or an interface (attached to an instance or not).</summary>
public sealed record LiveGateway(string TargetId, string? InstanceId, string? NetworkInterfaceId, string? SubnetId, string? VpcId, IReadOnlyDictionary<string, string> Tags);

public sealed record LiveSecurityGroup(string Id, string Name, string Description, IReadOnlyDictionary<string, string> Tags, IReadOnlyList<LiveRule> Ingress)
{
    /// <summary>Outbound permissions (read and counted; drift does not compare them yet).</summary>
    public IReadOnlyList<LiveRule> Egress { get; init; } = [];
}

/// <summary>One permission toward one peer (an IPv4 or IPv6 CIDR, a prefix list or a group id); protocol "-1" is all.</summary>
public sealed record LiveRule(string Protocol, int FromPort, int ToPort, string Peer)
{
    /// <summary>The rule's description ("" without one).</summary>
    public string Description { get; init; } = "";

    /// <summary>The protocol by the stack's name for it; null for one the stack has no name for (ESP, GRE, ...).</summary>
    public IpProtocol? KnownProtocol => IpProtocolNames.FromEc2(Protocol);
}
