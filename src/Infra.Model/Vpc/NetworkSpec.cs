namespace Infra.Model.Vpc;

public sealed record VpcSpec(string Name, Located<Cidr> Primary, IReadOnlyList<Located<Cidr>> Secondary, string? ReplicaOf)
{
    /// <summary>The VPC's flow logs (null: none).</summary>
    public FlowLogSpec? FlowLogs { get; init; }

    /// <summary>The VPC has an IPv6 block from Amazon's pool (the replica's is its own: a block is not copied).</summary>
    public bool AmazonIpv6 { get; init; }

    /// <summary>Ids of the original's objects the stack does not hold (discover's record of what it left out).</summary>
    public IReadOnlyList<string> LeftOut { get; init; } = [];

    /// <summary>The group the flow logs go to, named after the VPC so that two stacks in one account never share one.</summary>
    public string FlowLogGroupName => $"/aws/vpc/{Name}/flow-logs";
}

/// <summary>
/// VPC flow logs to CloudWatch Logs (Amazon VPC User Guide, "Publish flow logs to CloudWatch
/// Logs"): which traffic they record, and how long the stack's log group keeps it.
/// </summary>
public sealed record FlowLogSpec(string TrafficType, int RetentionDays, Origin At)
{
    /// <summary>What a flow log can record (EC2 CreateFlowLogs, TrafficType).</summary>
    public static IReadOnlyList<string> TrafficTypes { get; } = ["ALL", "ACCEPT", "REJECT"];

    /// <summary>Rejected traffic alone misses what an incident needs most: what got through.</summary>
    public const string DefaultTrafficType = "ALL";
}

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

    /// <summary>
    /// Who writes the routes that target the gateways. Aviatrix's controller programs a spoke VPC's
    /// route tables itself once its gateways are attached; with both it and the program writing the
    /// same routes, each `pulumi up` and each controller sync would undo the other.
    /// </summary>
    public GatewayRouteOwner GatewayRoutesOwner { get; init; } = GatewayRouteOwner.Stack;

    /// <summary>The VPC's egress-only internet gateway (IPv6 out, nothing in); null: none.</summary>
    public EgressOnlyGatewaySpec? EgressOnlyGateway { get; init; }

    /// <summary>The private NAT gateways (`privateNatGateways`), by name: routes target them as `private-nat-gateway/NAME`.</summary>
    public IReadOnlyList<NamedNatGatewaySpec> PrivateNatGateways { get; init; } = [];

    /// <summary>The public NAT gateways stated by name (`publicNatGateways`), beside the zone's: routes target them as `public-nat-gateway/NAME`.</summary>
    public IReadOnlyList<NamedNatGatewaySpec> PublicNatGateways { get; init; } = [];

    /// <summary>Every NAT gateway stated by name, private ones first.</summary>
    public IEnumerable<NamedNatGatewaySpec> NamedNatGateways => PrivateNatGateways.Concat(PublicNatGateways);

    /// <summary>VPC endpoints the stack file states, as an original VPC has them (`vpcEndpoints`).</summary>
    public IReadOnlyList<VpcEndpointSpec> VpcEndpoints { get; init; } = [];

    /// <summary>Security groups the stack file states rule by rule, as an original VPC has them (`securityGroups`).</summary>
    public IReadOnlyList<SecurityGroupDesign> SecurityGroups { get; init; } = [];

    /// <summary>The role's subnet in the zone: the zone's first of the role, which the design uses.</summary>
    public SubnetSpec? FindSubnet(SubnetRole role, string zone) =>
        Subnets.FirstOrDefault(s => s.Role == role && s.Zone == zone && s.IsZonesFirst);

    public SubnetSpec? FindSubnet(string key) => Subnets.FirstOrDefault(s => s.Key == key);

    /// <summary>
    /// The subnet the NAT gateway a route target names sits in (the zone's public subnet, or the one
    /// a NAT gateway stated by name gives), where it sends on what it translates; null for another
    /// kind of target or a NAT gateway the stack does not state.
    /// </summary>
    public SubnetSpec? SubnetOfNat(RouteTarget target) => target.Kind switch
    {
        RouteTargetKind.NatGateway => target.NatZone(Nat) is { } zone ? FindSubnet(SubnetRole.Public, zone) : null,
        RouteTargetKind.PrivateNat or RouteTargetKind.PublicNat => NamedNatGateways.FirstOrDefault(n => n.Target == target) is { } nat ? FindSubnet(nat.Subnet) : null,
        _ => null,
    };

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

    /// <summary>Every subnet in a stable order: by role, then zone, then its place among the zone's of its role.</summary>
    public IEnumerable<SubnetSpec> OrderedSubnets =>
        Subnets.OrderBy(s => s.Role).ThenBy(s => s.Zone, StringComparer.Ordinal).ThenBy(s => s.Ordinal);

    /// <summary>The subnets of one role the design uses, one per zone (each zone's first), by zone.</summary>
    public IEnumerable<SubnetSpec> SubnetsOf(SubnetRole role) => OrderedSubnets.Where(s => s.Role == role && s.IsZonesFirst);

    /// <summary>Routes in a stable order whatever order the configuration lists them in.</summary>
    public static IEnumerable<RouteSpec> Ordered(IEnumerable<RouteSpec> routes) => routes.OrderBy(r => r.Destination);
}

/// <summary>Who writes the routes to the gateways: this program, or the appliance's own controller.</summary>
public enum GatewayRouteOwner
{
    /// <summary>The program creates them (phase 1 and 2 as the README gives them).</summary>
    Stack,

    /// <summary>The appliance's controller creates them: the program leaves them out, the model still traces them.</summary>
    Appliance,
}
