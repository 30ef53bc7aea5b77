using Infra.Model.Addressing;
using Infra.Model.Network;

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
    /// <summary>What the managed node group's generated name starts with.</summary>
    public string NodeGroupNamePrefix => $"{Name}-nodes-";

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
}

public sealed record ClusterDesign(
    ClusterSpec Cluster,
    CniSpec Cni,
    NodeGroupSpec NodeGroup,
    IReadOnlyList<LoadBalancedApp> Applications)
{
    /// <summary>How nodes reach what they need while the node group is created (null: through the route tables).</summary>
    public BootstrapSpec? Bootstrap { get; init; }

    /// <summary>The AWS Load Balancer Controller's chart (null: the stack installs no controller).</summary>
    public LoadBalancerControllerSpec? LoadBalancerController { get; init; }
}
