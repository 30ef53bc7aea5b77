namespace Infra.Model.Cluster;

public sealed record EndpointAccess(bool PublicAccess, bool PrivateAccess, IReadOnlyList<Located<Cidr>> PublicAccessCidrs);

public sealed record ClusterSpec(
    string Name,
    string KubernetesVersion,
    Located<Cidr> ServiceCidr,
    EndpointAccess Endpoint,
    IReadOnlyList<string> LogTypes,
    string? ReplicaOfSecurityGroup,
    string? ReplicaOfEndpoint,
    Origin At)
{
    /// <summary>
    /// The cluster DNS service's address: the service CIDR's ".10" (amazon-eks-ami,
    /// nodeadm/internal/api/net.go, GetClusterDns, which gives it to every kubelet as clusterDNS).
    /// </summary>
    public uint DnsServiceAddress => ServiceCidr.Value.Network + 10;

    /// <summary>What the managed node group's generated name starts with.</summary>
    public string NodeGroupNamePrefix => $"{Name}-nodes-";

    /// <summary>Who may use the cluster besides the identity that created it (EKS access entries).</summary>
    public IReadOnlyList<AccessEntrySpec> AccessEntries { get; init; } = [];

    /// <summary>A KMS key ARN for secrets encryption from the stack file; null: the stack creates the key.</summary>
    public Located<string>? SecretsKeyArn { get; init; }

    /// <summary>Days CloudWatch keeps the control-plane logs (the stack creates the log group).</summary>
    public int LogRetentionDays { get; init; } = LogRetention.DefaultDays;

    /// <summary>The log group EKS writes control-plane logs to (EKS User Guide, "Send control plane logs to CloudWatch Logs").</summary>
    public string LogGroupName => $"/aws/eks/{Name}/cluster";

    /// <summary>The versions of the vpc-cni, coredns and kube-proxy add-ons.</summary>
    public AddonVersions Addons { get; init; } = AddonVersions.None;
}

public sealed record NodeGroupSpec(
    IReadOnlyList<Located<string>> InstanceTypes,
    int MinSize,
    int DesiredSize,
    int MaxSize,
    int? MaxPodsCap,
    string? ReplicaOfSecurityGroup,
    Origin At)
{
    /// <summary>The EKS-optimised AL2023 AMI release ("1.33.5-20251217"); null follows SSM's floating recommendation.</summary>
    public Located<string>? AmiReleaseVersion { get; init; }

    public RootVolumeSpec RootVolume { get; init; } = new(RootVolumeSpec.DefaultSizeGiB, RootVolumeSpec.DefaultType);

    /// <summary>
    /// The group's name: a key of `nodeGroups`, or the stack's name for the single `nodeGroup`. A
    /// group named after the stack keeps the single group's resource names, so moving `nodeGroup`
    /// into `nodeGroups` under the stack's name plans no change.
    /// </summary>
    public string Name { get; init; } = "";

    /// <summary>True when the group takes its own resource names (a `nodeGroups` key other than the stack's name).</summary>
    public bool NamedApart { get; init; }

    /// <summary>The nodes' Kubernetes minor (within EKS's skew below the control plane); null: the cluster's.</summary>
    public Located<string>? KubernetesVersion { get; init; }

    /// <summary>The Kubernetes minor the nodes run: the group's own, else the cluster's.</summary>
    public string KubernetesVersionWith(ClusterSpec cluster) => KubernetesVersion?.Value ?? cluster.KubernetesVersion;

    /// <summary>What the managed node group's generated name starts with.</summary>
    public string NamePrefix(ClusterSpec cluster) => NamedApart ? $"{cluster.Name}-{Name}-" : cluster.NodeGroupNamePrefix;

    /// <summary>The Name tag of the group's nodes and template.</summary>
    public string NameTag(ClusterSpec cluster) => NamedApart ? $"{cluster.Name}-{Name}" : $"{cluster.Name}-nodes";

    /// <summary>
    /// A `nodeGroups` key: lowercase letters, digits and hyphens, starting with a letter, short
    /// enough to leave room in the node group name prefix, and usable in a resource name.
    /// </summary>
    public const string NamePattern = "^[a-z][a-z0-9-]{0,19}$";
}

public sealed record ClusterDesign(
    ClusterSpec Cluster,
    CniSpec Cni,
    IReadOnlyList<NodeGroupSpec> NodeGroups,
    IReadOnlyList<LoadBalancedApp> Applications)
{
    /// <summary>Where the node groups are declared (the first group's place).</summary>
    public Origin NodeGroupsAt => NodeGroups[0].At;

    /// <summary>How nodes reach what they need while the node group is created (null: through the route tables).</summary>
    public BootstrapSpec? Bootstrap { get; init; }

    /// <summary>The AWS Load Balancer Controller's chart (null: the stack installs no controller).</summary>
    public LoadBalancerControllerSpec? LoadBalancerController { get; init; }
}

/// <summary>
/// An IAM principal granted an EKS access policy (EKS User Guide, "Grant IAM users access to
/// Kubernetes with EKS access entries"): with authenticationMode API only these and the cluster's
/// creator can use the cluster, so CI and teammates need one each.
/// </summary>
/// <param name="Policy">One of <see cref="AccessPolicies"/>' keys.</param>
/// <param name="Namespaces">Empty: the whole cluster; else the policy applies in these namespaces only.</param>
public sealed record AccessEntrySpec(string Name, Located<string> PrincipalArn, Located<string> Policy, IReadOnlyList<string> Namespaces, Origin At)
{
    /// <summary>The EKS access policies by the short name the stack file uses (EKS User Guide, "Review access policy permissions").</summary>
    public static IReadOnlyDictionary<string, string> AccessPolicies { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["clusterAdmin"] = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
        ["admin"] = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy",
        ["edit"] = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy",
        ["view"] = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
    };

    /// <summary>An IAM role or user ARN (access entries take no groups).</summary>
    public const string PrincipalPattern = @"^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/[A-Za-z0-9+=,.@_/-]+$";
}
