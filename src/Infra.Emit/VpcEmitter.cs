namespace Infra.Emit;

/// <summary>The vpc concern: the VPC, its secondary CIDR blocks and its internet gateway.</summary>
internal static class VpcEmitter
{
    /// <summary>The VPC, its secondary CIDR blocks and its internet gateway.</summary>
    public static void Emit(ValidatedEnvironment env, ProgramContext program)
    {
        var network = env.Network;
        var vpc = network.Vpc;
        program.Resource(ResourceNames.Vpc, ResourceTypes.Vpc, P.Map(
            ("cidrBlock", P.Text(vpc.Primary.Value.ToString())),
            ("enableDnsSupport", P.Bool(true)),
            ("enableDnsHostnames", P.Bool(true)),
            ("tags", Tags.For(env, vpc.Name, vpc.ReplicaOf))));

        for (var i = 0; i < vpc.Secondary.Count; i++)
        {
            program.Resource(ResourceNames.SecondaryCidr(i), ResourceTypes.VpcCidrBlock, P.Map(
                ("vpcId", P.Ref(ResourceNames.Vpc, "id")),
                ("cidrBlock", P.Text(vpc.Secondary[i].Value.ToString()))));
        }

        program.Resource(ResourceNames.InternetGateway, ResourceTypes.InternetGateway, P.Map(
            ("vpcId", P.Ref(ResourceNames.Vpc, "id")),
            ("tags", Tags.For(env, $"{vpc.Name}-igw", network.InternetGatewayReplicaOf))));
    }
}

/// <summary>The names of what <see cref="VpcEmitter"/> emits (the naming rule: <see cref="ResourceNames"/>).</summary>
public static partial class ResourceNames
{
    public const string Vpc = "eks-vpc";

    public static string SecondaryCidr(int index) => $"vpc-secondary-cidr-{index}";

    public const string InternetGateway = "internet-gateway";
}
