using System.Text.Json.Nodes;

namespace Infra.StackConfig.Keys;

/// <summary>
/// The subnets key: per role, a map of zone to the zone's subnet of the role (its CIDR, or `{cidr,
/// replicaOf}`), or to a list of them where the zone holds several (an adopted VPC's: the first is
/// the one the design uses; `role/zone/2`, ... name the others).
/// </summary>
internal static class SubnetKeys
{
    private static readonly ConfigKey<Located<Cidr>?> Cidr = Declare.Cidr("cidr", "the subnet's block", required: true);

    private static readonly ConfigKey<Located<string>?> SubnetReplicaOf = Declare.ReplicaOf("subnet");

    private static readonly ObjectType LongForm = new([Cidr.Field, SubnetReplicaOf.Field]);

    private static readonly ConfigType Subnet = new EitherType([Declare.CidrShape.Type, LongForm]);

    private static readonly ConfigType InZone = new EitherType([Declare.CidrShape.Type, LongForm, new ListType(Subnet, MinItems: 1)]);

    private static readonly ConfigType ByRole = new MapType(
        "role",
        new MapType("zone", InZone, "a subnet: its CIDR, or `{cidr, replicaOf}`; or a list of them, the first being the one the cluster, NAT gateway and endpoints use (`role/zone/2`, ... name the others)"),
        "the role's subnets by zone",
        [.. SubnetRoles.All.Select(r => r.Key())]);

    public static ConfigKey<IReadOnlyList<SubnetSpec>> Subnets { get; } = Declare.Custom<IReadOnlyList<SubnetSpec>>(
        "subnets", "per role (public, nodes, pods), a map of zone to `CIDR` or `{cidr, replicaOf}`, or a list of them for several in a zone", ByRole, (node, required) =>
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

    /// <summary>One subnet: "CIDR" or "{cidr, replicaOf}".</summary>
    private static SubnetSpec? Read(SubnetRole role, string zone, ConfigNode subnetNode)
    {
        var isShort = subnetNode.Value is JsonValue;
        var cidrNode = isShort ? subnetNode : subnetNode.Child(Cidr.Name);
        var cidr = cidrNode.Cidr();
        var replica = isShort ? null : SubnetReplicaOf.Read(subnetNode.Child(SubnetReplicaOf.Name));
        if (!isShort)
        {
            subnetNode.RejectUnknownKeys();
        }

        return cidr is null ? null : new SubnetSpec(role, zone, cidr.Value, replica?.Value, cidrNode.At, subnetNode.At);
    }
}
