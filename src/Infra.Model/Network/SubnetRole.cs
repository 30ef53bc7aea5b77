namespace Infra.Model.Network;

/// <summary>
/// The three subnet tiers of the environment. This is the one place that says what each role is
/// for, which route table it gets and how the AWS Load Balancer Controller discovers it.
/// </summary>
public enum SubnetRole
{
    /// <summary>Internet-facing load balancers and the optional NAT gateway; routed to the internet gateway.</summary>
    Public,

    /// <summary>EKS worker nodes and internal load balancers, in the primary CIDR; on the main route table.</summary>
    Nodes,

    /// <summary>Pod addresses under VPC CNI custom networking, in the secondary CIDR; on the main route table.</summary>
    Pods,
}

public static class SubnetRoles
{
    public static IReadOnlyList<SubnetRole> All { get; } = [SubnetRole.Public, SubnetRole.Nodes, SubnetRole.Pods];

    /// <summary>The key used for the role in configuration, names and outputs.</summary>
    public static string Key(this SubnetRole role) => role switch
    {
        SubnetRole.Public => "public",
        SubnetRole.Nodes => "nodes",
        SubnetRole.Pods => "pods",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    public static bool TryParse(string key, out SubnetRole role)
    {
        foreach (var candidate in All)
        {
            if (candidate.Key() == key)
            {
                role = candidate;
                return true;
            }
        }

        role = default;
        return false;
    }

    /// <summary>
    /// The tag the AWS Load Balancer Controller discovers subnets by: internet-facing load balancers
    /// go to subnets tagged kubernetes.io/role/elb, internal ones to kubernetes.io/role/internal-elb.
    /// Pod subnets carry neither: load balancers never go there.
    /// </summary>
    public static string? LoadBalancerDiscoveryTag(this SubnetRole role) => role switch
    {
        SubnetRole.Public => "kubernetes.io/role/elb",
        SubnetRole.Nodes => "kubernetes.io/role/internal-elb",
        _ => null,
    };

    /// <summary>Whether subnets of the role carry kubernetes.io/cluster/&lt;name&gt;: shared.</summary>
    public static bool SharedWithCluster(this SubnetRole role) => role is SubnetRole.Public or SubnetRole.Nodes;

    /// <summary>Pod subnets live in the secondary CIDR and must wait for its association.</summary>
    public static bool UsesSecondaryCidr(this SubnetRole role) => role == SubnetRole.Pods;
}
