using System.Text.Json.Nodes;

namespace Infra.StackConfig.Keys;

/// <summary>The vpc, availabilityZones and internetGateway keys: declared, and bound to the VPC's model.</summary>
internal static class VpcKeys
{
    private static readonly ConfigKey<Located<string>?> Name = Declare.Text("name", "the VPC's Name tag", required: true);

    private static readonly ConfigKey<Located<Cidr>?> PrimaryCidr = Declare.Cidr("primaryCidr", "the VPC's primary IPv4 block (/16 to /28)", required: true);

    private static readonly ConfigKey<IReadOnlyList<Located<Cidr>>> SecondaryCidrs = Declare.List("secondaryCidrs", "further IPv4 blocks associated with the VPC (the pod subnets live in one)", Declare.CidrShape);

    private static readonly ConfigKey<Located<string>?> VpcReplicaOf = Declare.ReplicaOf("VPC");

    public static ConfigKey<VpcSpec?> Vpc { get; } = Declare.Key("vpc", "the VPC", Declare.Object(
        [Name, PrimaryCidr, SecondaryCidrs, VpcReplicaOf],
        vpc => new VpcSpec(vpc.Required(Name).Value, vpc.Required(PrimaryCidr), vpc.Get(SecondaryCidrs), vpc.Get(VpcReplicaOf)?.Value)),
        required: true);

    public static ConfigKey<IReadOnlyList<Located<string>>> AvailabilityZones { get; } = Declare.Custom<IReadOnlyList<Located<string>>>(
        "availabilityZones", "the zones subnets may use; they must belong to aws:region", new ListType(new ScalarType(ScalarKind.String)), (node, required) =>
        {
            var zones = node.Strings(required);
            if (!node.IsMissing && zones.Count == 0 && node.Value is JsonArray)
            {
                node.Problem("the stack needs at least one availability zone");
            }

            return zones;
        }, required: true);

    private static readonly ConfigKey<Located<string>?> InternetGatewayReplicaOf = Declare.ReplicaOf("internet gateway");

    /// <summary>The internet gateway's original, if the stack names one.</summary>
    public static ConfigKey<Located<string>?> InternetGateway { get; } = Declare.Key("internetGateway", "the VPC's internet gateway", Declare.Object(
        [InternetGatewayReplicaOf], igw => igw.Get(InternetGatewayReplicaOf)));
}
