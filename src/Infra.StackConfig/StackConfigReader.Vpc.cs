using System.Text.Json.Nodes;

namespace Infra.StackConfig;

/// <summary>The vpc, availabilityZones and internetGateway keys.</summary>
public static partial class StackConfigReader
{
    private static VpcSpec? ReadVpc(ConfigNode vpcNode)
    {
        VpcSpec? vpc = null;
        if (vpcNode.IsObject())
        {
            var name = vpcNode.Child("name").String();
            var primary = vpcNode.Child("primaryCidr").Cidr();
            var secondary = vpcNode.Child("secondaryCidrs").Cidrs(required: false);
            var replica = vpcNode.Child("replicaOf").String(required: false);
            vpcNode.RejectUnknownKeys();
            if (name is not null && primary is not null)
            {
                vpc = new VpcSpec(name, primary, secondary, replica);
            }
        }

        return vpc;
    }

    private static IReadOnlyList<Located<string>> ReadZones(ConfigNode zonesNode)
    {
        var zones = zonesNode.Strings();
        if (!zonesNode.IsMissing && zones.Count == 0 && zonesNode.Value is JsonArray)
        {
            zonesNode.Problem("the stack needs at least one availability zone");
        }

        return zones;
    }

    private static string? ReadInternetGateway(ConfigNode igwNode)
    {
        string? igwReplica = null;
        if (igwNode.IsObject(required: false))
        {
            igwReplica = igwNode.Child("replicaOf").String(required: false);
            igwNode.RejectUnknownKeys();
        }

        return igwReplica;
    }
}
