namespace Infra.Model.Subnets;

/// <param name="At">Where the CIDR was given.</param>
/// <param name="EntryAt">Where the subnet itself was given (its role and zone).</param>
public sealed record SubnetSpec(SubnetRole Role, string Zone, Cidr Cidr, string? ReplicaOf, Origin At, Origin EntryAt)
{
    /// <summary>
    /// Which of its role's subnets in the zone this is, from 1: the first is the one the design uses
    /// (node group, ENIConfig, NAT gateway, endpoints); a VPC may hold more (an adopted one does), which
    /// are created, tagged by role and routed, and nothing else.
    /// </summary>
    public int Ordinal { get; init; } = 1;

    /// <summary>The first of its role in its zone.</summary>
    public bool IsZonesFirst => Ordinal == 1;

    /// <summary>
    /// The load balancer controller's discovery tag this subnet carries: its role's, on the zone's
    /// first subnet of the role only (a further one, an adopted VPC's, goes without, as the
    /// original's do). The emitter writes it, `check` and drift hold subnets to it.
    /// </summary>
    public string? LoadBalancerDiscoveryTag => IsZonesFirst ? Role.LoadBalancerDiscoveryTag() : null;

    /// <summary>Its IPv6 side, when it has one: a /64 of the VPC's Amazon-provided block.</summary>
    public SubnetIpv6Spec? Ipv6 { get; init; }

    /// <summary>"role/zone" ("role/zone/2" for a second), the way route table associations and reports refer to a subnet.</summary>
    public string Key => KeyOf(Role, Zone, Ordinal);

    /// <summary>How the stack file names a role's subnet in a zone by its place there: `role/zone`, `role/zone/2`, ....</summary>
    public static string KeyOf(SubnetRole role, string zone, int ordinal) => ordinal == 1 ? $"{role.Key()}/{zone}" : $"{role.Key()}/{zone}/{ordinal}";
}

/// <summary>
/// A subnet's IPv6 block and what it does with it. Amazon gives the VPC a /56 of its own choosing
/// (a replica's is not the original's), so a subnet states which of the 256 /64s in it it takes,
/// <paramref name="Index"/> (the block's eighth byte, 0-255): the original's index is the replica's,
/// whatever the two /56s are.
/// </summary>
/// <param name="AssignOnCreation">New network interfaces in the subnet get an IPv6 address.</param>
/// <param name="Dns64">The Amazon DNS server answers IPv6-only clients with synthesized 64:ff9b::/96 addresses (NAT64 through a NAT gateway).</param>
/// <param name="At">Where the index was given.</param>
public sealed record SubnetIpv6Spec(int Index, bool AssignOnCreation, bool Dns64, Origin At)
{
    /// <summary>How many /64s a VPC's /56 holds: the indexes run 0 to one less.</summary>
    public const int BlocksPerVpcBlock = 256;
}
