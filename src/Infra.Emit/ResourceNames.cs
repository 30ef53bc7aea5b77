namespace Infra.Emit;

/// <summary>
/// Logical names of the program's resources and variables, unique by construction:
/// <list type="bullet">
/// <item>every name contains a hyphen, and the project's stack config keys are camelCase words, so no
/// name can be taken for a config key's named value (the YAML runtime would let the config value
/// shadow the resource; see <see cref="PulumiProgram"/>);</item>
/// <item>a name is a fixed kind, then the parts a user chose, joined by "--"; configured names are
/// validated to hold no "--" and no ".", so two different (kind, parts) never give the same name,
/// and a name is always a valid ${name.path} root.</item>
/// </list>
/// </summary>
public static class ResourceNames
{
    private const string Separator = "--";

    public const string Vpc = "eks-vpc";
    public const string InternetGateway = "internet-gateway";
    public const string NatEip = "nat-eip";
    public const string NatGateway = "nat-gateway";
    public const string Cluster = "eks-cluster";
    public const string KubernetesProvider = "kubernetes-provider";
    public const string VpcCni = "vpc-cni-addon";
    public const string EniConfigs = "eni-configs";
    public const string NodeRole = "node-role";
    public const string NodeGroup = "node-group";
    public const string NodeLaunchTemplate = "node-launch-template";
    public const string ClusterRole = "cluster-role";
    public const string ClusterRolePolicy = "cluster-role-eks";
    public const string SecretsKey = "secrets-kms-key";
    public const string ControlPlaneLogGroup = "control-plane-log-group";
    public const string CallerIdentity = "caller-identity";
    public const string KubeProxy = "kube-proxy-addon";
    public const string CoreDns = "coredns-addon";
    public const string LoadBalancerController = "load-balancer-controller";

    private static string Of(string kind, params string[] parts) => string.Join(Separator, parts.Prepend(kind));

    public static string SecondaryCidr(int index) => $"vpc-secondary-cidr-{index}";

    /// <summary>Role and zone are validated (a role word, an availability zone), so plain hyphens are unambiguous.</summary>
    public static string Subnet(SubnetSpec subnet) => $"subnet-{subnet.Role.Key()}-{subnet.Zone}";

    public static string RouteTable(RouteTableSpec table) => Of("route-table", table.Name);

    public static string Route(RouteTableSpec table, Cidr destination) =>
        Of("route", table.Name, destination.ToString().Replace('.', '-').Replace('/', '-'));

    public static string Association(RouteTableSpec table, SubnetSpec subnet) => Of("route-table-association", table.Name, $"{subnet.Role.Key()}-{subnet.Zone}");

    public static string GatewayInterface(GatewayInstance gateway) => Of("gateway-interface", gateway.Name);

    public static string SecurityGroup(string group) => Of("security-group", group);

    public static string SecurityGroupRule(string group, string rule) => Of("security-group-rule", group, rule);

    public static string SecurityGroupTag(string group) => Of("security-group-tag", group);

    public static string NodeRolePolicy(string policy) => $"node-role-{policy}";

    /// <summary>Service names are AWS's ("ecr.api"), fixed in the model; dots become hyphens.</summary>
    public static string ServiceAccountRole(string key) => Of("irsa-role", key);

    public static string ServiceAccountRolePolicy(string key, string policy) => Of("irsa-role-policy", key, policy);

    public static string VpcEndpoint(string service) => Of("vpc-endpoint", service.Replace('.', '-'));
}
