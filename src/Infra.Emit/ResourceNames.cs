using Infra.Model.Addressing;
using Infra.Model.Network;

namespace Infra.Emit;

/// <summary>Logical names of the program's resources: stable, readable, and unique per role.</summary>
public static class ResourceNames
{
    public const string Vpc = "vpc";
    public const string InternetGateway = "internet-gateway";
    public const string NatEip = "nat-eip";
    public const string NatGateway = "nat-gateway";
    public const string Cluster = "cluster";
    public const string KubernetesProvider = "kubernetes-provider";
    public const string VpcCni = "vpc-cni";
    public const string NodeRole = "node-role";
    public const string NodeGroup = "node-group";
    public const string CoreDns = "coredns";

    public static string SecondaryCidr(int index) => $"vpc-secondary-cidr-{index}";

    public static string Subnet(SubnetSpec subnet) => $"subnet-{subnet.Role.Key()}-{subnet.Zone}";

    public static string RouteTable(RouteTableSpec table) => $"route-table-{table.Name}";

    public static string Route(RouteTableSpec table, Cidr destination) =>
        $"route-{table.Name}-{destination.ToString().Replace('.', '-').Replace('/', '-')}";

    public static string Association(RouteTableSpec table, SubnetSpec subnet) => $"route-table-association-{table.Name}-{subnet.Role.Key()}-{subnet.Zone}";

    public static string GatewayInterface(GatewayInstance gateway) => $"{gateway.Name}-network-interface";

    public static string SecurityGroup(string group) => $"security-group-{group}";

    public static string SecurityGroupRule(string group, string rule) => $"security-group-{group}-{rule}";

    public static string SecurityGroupTag(string group) => $"security-group-{group}-replica-tag";

    public static string EniConfig(string zone) => $"eni-config-{zone}";

    public static string NodeRolePolicy(string policy) => $"node-role-{policy}";
}

/// <summary>
/// Provider plugin versions the program pins: the versions pulumi-typecheck verifies the program
/// against, so that a preview runs the code the checks ran.
/// </summary>
public static class ProviderVersions
{
    public static IReadOnlyDictionary<string, string> ByPackage { get; } = new Dictionary<string, string>
    {
        ["aws"] = "7.48.0",
        ["eks"] = "4.3.0",
        ["kubernetes"] = "4.34.2",
    };
}
