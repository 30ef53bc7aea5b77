using System.Text.Json.Nodes;

namespace Infra.StackConfig.Keys;

/// <summary>The subnets key: per role, a map of zone to CIDR or {cidr, replicaOf}.</summary>
internal static class SubnetKeys
{
    private static readonly ConfigKey<Located<Cidr>?> Cidr = Declare.Cidr("cidr", "the subnet's block", required: true);

    private static readonly ConfigKey<Located<string>?> SubnetReplicaOf = Declare.ReplicaOf("subnet");

    private static readonly ConfigType Subnet = new EitherType([Declare.CidrShape.Type, new ObjectType([Cidr.Field, SubnetReplicaOf.Field])]);

    private static readonly ConfigType ByRole = new MapType(
        "role",
        new MapType("zone", Subnet, "a subnet: its CIDR, or `{cidr, replicaOf}`"),
        "the role's subnets by zone",
        [.. SubnetRoles.All.Select(r => r.Key())]);

    public static ConfigKey<IReadOnlyList<SubnetSpec>> Subnets { get; } = Declare.Custom<IReadOnlyList<SubnetSpec>>(
        "subnets", "per role (public, nodes, pods), a map of zone to `CIDR` or `{cidr, replicaOf}`", ByRole, (node, required) =>
        {
            var subnets = new List<SubnetSpec>();
            foreach (var (roleKey, roleNode) in node.Entries(required))
            {
                if (!SubnetRoles.TryParse(roleKey, out var role))
                {
                    roleNode.Problem($"unknown subnet role (roles: {string.Join(", ", SubnetRoles.All.Select(x => x.Key()))})");
                    continue;
                }

                foreach (var (zone, subnetNode) in roleNode.Entries())
                {
                    // A subnet is either "zone: CIDR" or "zone: {cidr, replicaOf}".
                    var isShort = subnetNode.Value is JsonValue;
                    var cidrNode = isShort ? subnetNode : subnetNode.Child(Cidr.Name);
                    var cidr = cidrNode.Cidr();
                    var replica = isShort ? null : SubnetReplicaOf.Read(subnetNode.Child(SubnetReplicaOf.Name));
                    if (!isShort)
                    {
                        subnetNode.RejectUnknownKeys();
                    }

                    if (cidr is not null)
                    {
                        subnets.Add(new SubnetSpec(role, zone, cidr.Value, replica?.Value, cidrNode.At, subnetNode.At));
                    }
                }
            }

            return subnets;
        }, required: true);
}
