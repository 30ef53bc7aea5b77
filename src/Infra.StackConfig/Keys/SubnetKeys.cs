using System.Text.Json.Nodes;

namespace Infra.StackConfig.Keys;

/// <summary>
/// The subnets key: per role, a map of zone to the zone's subnet of the role (its CIDR, or `{cidr,
/// replicaOf, ipv6Index, assignIpv6, dns64}`), or to a list of them where the zone holds several (an adopted VPC's: the first is
/// the one the design uses; `role/zone/2`, ... name the others).
/// </summary>
internal static class SubnetKeys
{
    private static readonly ConfigKey<Located<Cidr>?> Cidr = Declare.Cidr("cidr", "the subnet's block", required: true);

    private static readonly ConfigKey<Located<string>?> SubnetReplicaOf = Declare.ReplicaOf("subnet");

    private static readonly ConfigKey<int?> Ipv6Index = Declare.Integer(
        "ipv6Index",
        "which /64 of the VPC's Amazon-provided IPv6 block (`vpc.amazonIpv6`) the subnet takes, 0-255 (the block's eighth byte: 3 is `...:xx03::/64`); the replica takes the same /64 of its own block",
        check: n => n is >= 0 and < SubnetIpv6Spec.BlocksPerVpcBlock ? null : $"a /56 holds {SubnetIpv6Spec.BlocksPerVpcBlock} /64s: 0-{SubnetIpv6Spec.BlocksPerVpcBlock - 1}",
        minimum: 0,
        maximum: SubnetIpv6Spec.BlocksPerVpcBlock - 1);

    private static readonly ConfigKey<bool?> AssignIpv6 = Declare.Boolean("assignIpv6", "new network interfaces in the subnet get an IPv6 address (needs `ipv6Index`)", @default: false);

    private static readonly ConfigKey<bool?> Dns64 = Declare.Boolean("dns64", "the Amazon DNS server answers IPv6-only clients with 64:ff9b::/96 addresses, for NAT64 through a NAT gateway (needs `ipv6Index`)", @default: false);

    private static readonly ObjectType LongForm = new([Cidr.Field, SubnetReplicaOf.Field, Ipv6Index.Field, AssignIpv6.Field, Dns64.Field]);

    private static readonly ConfigType Subnet = new EitherType([Declare.CidrShape.Type, LongForm]);

    private static readonly ConfigType InZone = new EitherType([Declare.CidrShape.Type, LongForm, new ListType(Subnet, MinItems: 1)]);

    private static readonly ConfigType ByRole = new MapType(
        "role",
        new MapType("zone", InZone, "a subnet: its CIDR, or `{cidr, replicaOf, ipv6Index, assignIpv6, dns64}`; or a list of them, the first being the one the cluster, NAT gateway and endpoints use (`role/zone/2`, ... name the others)"),
        "the role's subnets by zone",
        [.. SubnetRoles.All.Select(r => r.Key())]);

    public static ConfigKey<IReadOnlyList<SubnetSpec>> Subnets { get; } = Declare.Custom<IReadOnlyList<SubnetSpec>>(
        "subnets", "per role (public, nodes, pods), a map of zone to `CIDR` or `{cidr, replicaOf, ipv6Index, assignIpv6, dns64}`, or a list of them for several in a zone", ByRole, (node, required) =>
        {
            var subnets = new List<SubnetSpec>();
            foreach (var (roleKey, roleNode) in node.Entries(required))
            {
                if (!SubnetRoles.TryParse(roleKey, out var role))
                {
                    roleNode.Problem($"unknown subnet role (roles: {string.Join(", ", SubnetRoles.All.Select(x => x.Key()))})");
                    continue;
                }

                foreach (var (zone, zoneNode) in roleNode.Entries())
                {
                    if (zoneNode.Value is JsonArray { Count: 0 })
                    {
                        zoneNode.Problem("is empty; give the zone's subnet of the role, or leave the zone out");
                        continue;
                    }

                    var entries = zoneNode.Value is JsonArray ? zoneNode.Items() : [zoneNode];
                    for (var i = 0; i < entries.Count; i++)
                    {
                        if (Read(role, zone, entries[i]) is { } subnet)
                        {
                            subnets.Add(subnet with { Ordinal = i + 1 });
                        }
                    }
                }
            }

            return subnets;
        }, required: true);

    /// <summary>One subnet: "CIDR" or "{cidr, replicaOf, ipv6Index, assignIpv6, dns64}".</summary>
    private static SubnetSpec? Read(SubnetRole role, string zone, ConfigNode subnetNode)
    {
        if (subnetNode.Value is JsonValue)
        {
            return subnetNode.Cidr() is { } shortCidr ? new SubnetSpec(role, zone, shortCidr.Value, null, subnetNode.At, subnetNode.At) : null;
        }

        var cidrNode = subnetNode.Child(Cidr.Name);
        var cidr = cidrNode.Cidr();
        var replica = SubnetReplicaOf.Read(subnetNode.Child(SubnetReplicaOf.Name));
        var index = Ipv6Index.Read(subnetNode.Child(Ipv6Index.Name));
        var assign = AssignIpv6.Read(subnetNode.Child(AssignIpv6.Name)) ?? false;
        var dns64 = Dns64.Read(subnetNode.Child(Dns64.Name)) ?? false;
        subnetNode.RejectUnknownKeys();
        if (index is null)
        {
            foreach (var (flag, _) in new[] { (AssignIpv6.Name, assign), (Dns64.Name, dns64) }.Where(f => f.Item2))
            {
                subnetNode.Child(flag).Problem($"needs `{Ipv6Index.Name}`: a subnet without an IPv6 block has no IPv6 address to give or to answer for");
            }
        }

        return cidr is null ? null : new SubnetSpec(role, zone, cidr.Value, replica?.Value, cidrNode.At, subnetNode.At)
        {
            Ipv6 = index is { } i ? new SubnetIpv6Spec(i, assign, dns64, subnetNode.Child(Ipv6Index.Name).At) : null,
        };
    }
}
