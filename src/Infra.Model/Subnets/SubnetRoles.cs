namespace Infra.Model.Subnets;

/// <summary>The three subnet tiers of the environment; <see cref="SubnetRoles"/> tells each one's whole story.</summary>
public enum SubnetRole
{
    /// <summary>Internet-facing load balancers, the gateway interfaces and the optional NAT gateway.</summary>
    Public,

    /// <summary>EKS worker nodes, the control plane's interfaces and internal load balancers.</summary>
    Nodes,

    /// <summary>Pod addresses under VPC CNI custom networking.</summary>
    Pods,
}

/// <summary>What the cluster does with subnets of a role.</summary>
public enum ClusterUse
{
    /// <summary>Nothing: the cluster neither runs in them nor gives pods addresses there.</summary>
    None,

    /// <summary>The cluster's own subnets: the control plane's interfaces and the node group.</summary>
    ClusterAndNodes,

    /// <summary>The ENIConfigs' subnets: pod interfaces under custom networking, one per zone.</summary>
    EniConfigs,
}

/// <summary>
/// The kinds of network interface the stack places in its subnets. Each carries its own security
/// groups (<see cref="Infra.Model.Security.SecurityDesign.GroupNamesOn"/>), which is what a packet
/// meets: not every group that some interface in the subnet carries.
/// </summary>
public enum InterfaceKind
{
    /// <summary>A managed node's primary interface (and the secondary ENIs the CNI attaches to it for its own use).</summary>
    Node,

    /// <summary>The cross-account interfaces EKS places in the cluster's subnets for the control plane.</summary>
    ControlPlane,

    /// <summary>A pod's interface under custom networking, in the subnet and with the groups its zone's ENIConfig names.</summary>
    Pod,

    /// <summary>An application load balancer's interface (the stack's are internal).</summary>
    LoadBalancer,

    /// <summary>A gateway appliance's interface the stack creates (where a gateway's interface.subnet says).</summary>
    Gateway,

    /// <summary>An interface VPC endpoint the bootstrap phase creates for the nodes.</summary>
    VpcEndpoint,
}

public static class InterfaceKinds
{
    /// <summary>The name of the kind on the command line and in reports.</summary>
    public static string Key(this InterfaceKind kind) => kind switch
    {
        InterfaceKind.Node => "node",
        InterfaceKind.ControlPlane => "control-plane",
        InterfaceKind.Pod => "pod",
        InterfaceKind.LoadBalancer => "load-balancer",
        InterfaceKind.Gateway => "gateway",
        _ => "endpoint",
    };

    public static bool TryParse(string key, out InterfaceKind kind)
    {
        foreach (var candidate in Enum.GetValues<InterfaceKind>())
        {
            if (candidate.Key() == key)
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }
}

/// <summary>
/// One subnet role's whole story, as terraform-aws-modules/vpc keeps each role in one section:
/// its key, the CIDR block it lives in, how it is tagged, what the cluster does with it, whether
/// it is private, and which security groups guard its interfaces. Emission, validation, trace,
/// check and the guide findings all ask this table.
/// </summary>
/// <param name="Key">The key used for the role in configuration, names, tags (Tier) and outputs.</param>
/// <param name="InSecondaryCidr">Subnets must lie in a secondary VPC block, apart from node addresses, and wait for its association.</param>
/// <param name="LoadBalancerDiscoveryTag">
/// The tag the AWS Load Balancer Controller discovers subnets by: internet-facing load balancers go
/// to kubernetes.io/role/elb, internal ones to kubernetes.io/role/internal-elb; null where load
/// balancers never go.
/// </param>
/// <param name="SharedWithCluster">Subnets carry kubernetes.io/cluster/&lt;name&gt;: shared.</param>
/// <param name="Private">No direct route to the internet is meant: the default route goes to a gateway appliance or NAT.</param>
/// <param name="HostsInternalLoadBalancers">Internal load balancers are placed here (no public address).</param>
/// <param name="Interfaces">
/// The kinds of interface the stack places in subnets of the role; the first is what an address
/// there stands for unless told otherwise. A gateway's created interface may also sit in any subnet
/// its interface.subnet names.
/// </param>
public sealed record SubnetRolePolicy(
    SubnetRole Role,
    string Key,
    bool InSecondaryCidr,
    string? LoadBalancerDiscoveryTag,
    bool SharedWithCluster,
    ClusterUse ClusterUse,
    bool Private,
    bool HostsInternalLoadBalancers,
    IReadOnlyList<InterfaceKind> Interfaces);

public static class SubnetRoles
{
    /// <summary>The source "role" of traffic from outside the VPC, beside the subnet roles, in traces and findings.</summary>
    public const string InternetSource = "internet";

    public static IReadOnlyList<SubnetRolePolicy> Policies { get; } =
    [
        new(SubnetRole.Public, "public", InSecondaryCidr: false, LoadBalancerDiscoveryTag: "kubernetes.io/role/elb", SharedWithCluster: true,
            ClusterUse.None, Private: false, HostsInternalLoadBalancers: false, [InterfaceKind.Gateway]),
        new(SubnetRole.Nodes, "nodes", InSecondaryCidr: false, LoadBalancerDiscoveryTag: "kubernetes.io/role/internal-elb", SharedWithCluster: true,
            ClusterUse.ClusterAndNodes, Private: true, HostsInternalLoadBalancers: true,
            [InterfaceKind.Node, InterfaceKind.ControlPlane, InterfaceKind.LoadBalancer, InterfaceKind.VpcEndpoint]),
        new(SubnetRole.Pods, "pods", InSecondaryCidr: true, LoadBalancerDiscoveryTag: null, SharedWithCluster: false,
            ClusterUse.EniConfigs, Private: true, HostsInternalLoadBalancers: false, [InterfaceKind.Pod]),
    ];

    public static IReadOnlyList<SubnetRole> All { get; } = [.. Policies.Select(p => p.Role)];

    /// <summary>Each role's policy, indexed by the role's value (asked on every name, tag and lookup).</summary>
    private static readonly SubnetRolePolicy[] ByRole = [.. Enum.GetValues<SubnetRole>().Select(r => Policies.Single(p => p.Role == r))];

    public static SubnetRolePolicy Policy(this SubnetRole role) => ByRole[(int)role];

    public static string Key(this SubnetRole role) => role.Policy().Key;

    public static bool TryParse(string key, out SubnetRole role)
    {
        var policy = Policies.FirstOrDefault(p => p.Key == key);
        role = policy?.Role ?? default;
        return policy is not null;
    }

    public static string? LoadBalancerDiscoveryTag(this SubnetRole role) => role.Policy().LoadBalancerDiscoveryTag;

    public static bool SharedWithCluster(this SubnetRole role) => role.Policy().SharedWithCluster;

    public static bool UsesSecondaryCidr(this SubnetRole role) => role.Policy().InSecondaryCidr;

    /// <summary>The one role whose subnets the cluster uses this way.</summary>
    public static SubnetRole With(ClusterUse use) => Policies.Single(p => p.ClusterUse == use).Role;

    /// <summary>The roles meant to reach the internet only through a gateway.</summary>
    public static IEnumerable<SubnetRole> PrivateRoles => Policies.Where(p => p.Private).Select(p => p.Role);
}
