using System.Text.Json.Nodes;

namespace Infra.StackConfig;

/// <summary>The subnets key: per role, a map of zone to CIDR or {cidr, replicaOf}.</summary>
public static partial class StackConfigReader
{
    private static List<SubnetSpec> ReadSubnets(ConfigNode subnetsNode)
    {
        var subnets = new List<SubnetSpec>();
        foreach (var (roleKey, roleNode) in subnetsNode.Entries())
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
                var cidrNode = isShort ? subnetNode : subnetNode.Child("cidr");
                var cidr = cidrNode.Cidr();
                var replica = isShort ? null : subnetNode.Child("replicaOf").String(required: false);
                if (!isShort)
                {
                    subnetNode.RejectUnknownKeys();
                }

                if (cidr is not null)
                {
                    subnets.Add(new SubnetSpec(role, zone, cidr.Value, replica, cidrNode.At, subnetNode.At));
                }
            }
        }

        return subnets;
    }
}
