namespace Infra.Emit;

/// <summary>
/// A Pulumi package the program uses, with the plugin version it pins: the versions
/// pulumi-typecheck verifies the program against, so that a preview runs the code the checks ran.
/// </summary>
public sealed record PulumiPackage(string Name, string Version)
{
    public static PulumiPackage Aws { get; } = new("aws", "7.48.0");

    public static PulumiPackage Eks { get; } = new("eks", "4.3.0");

    public static PulumiPackage Kubernetes { get; } = new("kubernetes", "4.34.2");

    public static IReadOnlyList<PulumiPackage> All { get; } = [Aws, Eks, Kubernetes];
}

/// <summary>What a resource is for, as `plan` groups resources.</summary>
public enum ResourceRole
{
    Network,
    Routing,
    Security,
    Cluster,
}

/// <summary>One Pulumi resource type: its token, its package (and so its pinned version) and its plan role.</summary>
/// <param name="Emitted">Whether our emitters produce it; false for types `check` recognises in a saved program only.</param>
public sealed record ResourceType(string Token, PulumiPackage Package, ResourceRole Role, bool Emitted = true)
{
    /// <summary>
    /// Stateful: what runs on or in it is lost with it (the VPC, subnets, the cluster, the node group,
    /// the interfaces appliances attach to), so the program gives it Pulumi's `protect` unless the
    /// stack lifts protection (leadertools:protection.enabled: false).
    /// </summary>
    public bool Protected { get; init; }

    /// <summary>It takes `tags` (with the project's required tags, which `check` INFRA015 looks for).</summary>
    public bool Taggable { get; init; }

    /// <summary>An appliance may still hold it when the stack is destroyed: Pulumi forgets it instead of deleting it (`retainOnDelete`).</summary>
    public bool RetainOnDelete { get; init; }

    public override string ToString() => Token;
}

/// <summary>
/// The one catalogue of the resource types: the emitters create resources of these, discovery lists
/// the emitted ones for Pulumi's first call, `plan` takes each one's role, and `check` finds
/// resources by them.
/// </summary>
public static class ResourceTypes
{
    private static ResourceType Aws(string token, ResourceRole role, bool emitted = true) => new($"aws:{token}", PulumiPackage.Aws, role, emitted);

    public static ResourceType Vpc { get; } = Aws("ec2:Vpc", ResourceRole.Network) with { Protected = true, Taggable = true };

    public static ResourceType VpcCidrBlock { get; } = Aws("ec2:VpcIpv4CidrBlockAssociation", ResourceRole.Network);

    public static ResourceType InternetGateway { get; } = Aws("ec2:InternetGateway", ResourceRole.Network) with { Taggable = true };

    public static ResourceType Subnet { get; } = Aws("ec2:Subnet", ResourceRole.Network) with { Protected = true, Taggable = true };

    public static ResourceType Eip { get; } = Aws("ec2:Eip", ResourceRole.Network) with { Taggable = true };

    public static ResourceType NatGateway { get; } = Aws("ec2:NatGateway", ResourceRole.Network) with { Taggable = true };

    public static ResourceType NetworkInterface { get; } = Aws("ec2:NetworkInterface", ResourceRole.Network) with { Protected = true, RetainOnDelete = true, Taggable = true };

    public static ResourceType VpcEndpoint { get; } = Aws("ec2:VpcEndpoint", ResourceRole.Network) with { Taggable = true };

    public static ResourceType DefaultRouteTable { get; } = Aws("ec2:DefaultRouteTable", ResourceRole.Routing) with { Taggable = true };

    public static ResourceType RouteTable { get; } = Aws("ec2:RouteTable", ResourceRole.Routing) with { Taggable = true };

    public static ResourceType Route { get; } = Aws("ec2:Route", ResourceRole.Routing);

    public static ResourceType RouteTableAssociation { get; } = Aws("ec2:RouteTableAssociation", ResourceRole.Routing);

    public static ResourceType SecurityGroup { get; } = Aws("ec2:SecurityGroup", ResourceRole.Security) with { Taggable = true };

    public static ResourceType Tag { get; } = Aws("ec2:Tag", ResourceRole.Security);

    public static ResourceType SecurityGroupIngressRule { get; } = Aws("vpc:SecurityGroupIngressRule", ResourceRole.Security);

    public static ResourceType SecurityGroupEgressRule { get; } = Aws("vpc:SecurityGroupEgressRule", ResourceRole.Security);

    /// <summary>The older rule resource (type ingress or egress); a saved program may use it.</summary>
    public static ResourceType SecurityGroupRule { get; } = Aws("ec2:SecurityGroupRule", ResourceRole.Security, emitted: false);

    public static ResourceType IamRole { get; } = Aws("iam:Role", ResourceRole.Security) with { Taggable = true };

    public static ResourceType IamRolePolicyAttachment { get; } = Aws("iam:RolePolicyAttachment", ResourceRole.Security);

    public static ResourceType IamRolePolicy { get; } = Aws("iam:RolePolicy", ResourceRole.Security);

    public static ResourceType LaunchTemplate { get; } = Aws("ec2:LaunchTemplate", ResourceRole.Cluster) with { Taggable = true };

    public static ResourceType KmsKey { get; } = Aws("kms:Key", ResourceRole.Security) with { Protected = true, Taggable = true };

    public static ResourceType LogGroup { get; } = Aws("cloudwatch:LogGroup", ResourceRole.Cluster) with { Taggable = true };

    public static ResourceType EksCluster { get; } = new("eks:Cluster", PulumiPackage.Eks, ResourceRole.Cluster) { Protected = true, Taggable = true };

    public static ResourceType ManagedNodeGroup { get; } = new("eks:ManagedNodeGroup", PulumiPackage.Eks, ResourceRole.Cluster) { Protected = true, Taggable = true };

    public static ResourceType EksAddon { get; } = Aws("eks:Addon", ResourceRole.Cluster) with { Taggable = true };

    /// <summary>The aws provider's own cluster resource; a saved program may use it.</summary>
    public static ResourceType AwsEksCluster { get; } = Aws("eks:Cluster", ResourceRole.Cluster, emitted: false) with { Protected = true };

    public static ResourceType KubernetesProvider { get; } = new("pulumi:providers:kubernetes", PulumiPackage.Kubernetes, ResourceRole.Cluster);

    public static ResourceType ConfigGroup { get; } = new("kubernetes:yaml/v2:ConfigGroup", PulumiPackage.Kubernetes, ResourceRole.Cluster);

    public static ResourceType HelmRelease { get; } = new("kubernetes:helm.sh/v3:Release", PulumiPackage.Kubernetes, ResourceRole.Cluster);

    public static IReadOnlyList<ResourceType> All { get; } =
    [
        Vpc, VpcCidrBlock, InternetGateway, Subnet, Eip, NatGateway, NetworkInterface, VpcEndpoint,
        DefaultRouteTable, RouteTable, Route, RouteTableAssociation,
        SecurityGroup, Tag, SecurityGroupIngressRule, SecurityGroupEgressRule, SecurityGroupRule, IamRole, IamRolePolicyAttachment, IamRolePolicy,
        LaunchTemplate, KmsKey, LogGroup, EksCluster, ManagedNodeGroup, EksAddon, AwsEksCluster, KubernetesProvider, ConfigGroup, HelmRelease,
    ];

    /// <summary>The catalogue's entry for a token, or null for a type it does not know (in a saved program).</summary>
    public static ResourceType? Find(string token) => All.FirstOrDefault(t => t.Token == token);
}

/// <summary>The provider functions the program invokes, pinned like resources.</summary>
public static class FunctionTypes
{
    public static (string Token, PulumiPackage Package) GetInstance { get; } = ("aws:ec2:getInstance", PulumiPackage.Aws);

    public static (string Token, PulumiPackage Package) GetSsmParameter { get; } = ("aws:ssm:getParameter", PulumiPackage.Aws);

    public static (string Token, PulumiPackage Package) GetCallerIdentity { get; } = ("aws:getCallerIdentity", PulumiPackage.Aws);
}
