namespace Infra.Model.Cluster;

public enum PodNetworkingMode
{
    /// <summary>Pods take secondary IPs on every ENI, the primary included.</summary>
    Standard,

    /// <summary>Custom networking: the primary ENI stays in the node subnet and carries no pods.</summary>
    CustomNetworking,

    /// <summary>Custom networking with prefix delegation: each secondary address slot holds a /28 prefix.</summary>
    CustomNetworkingWithPrefixDelegation,

    /// <summary>Prefix delegation without custom networking: every ENI, the primary included, holds /28 prefixes.</summary>
    PrefixDelegation,
}

/// <summary>
/// Max pods per node, as the Amazon VPC CNI's max-pods calculator works it out. Every mode adds 2
/// for the pods that use host networking (aws-node and kube-proxy).
/// </summary>
public static class MaxPods
{
    public const int HostNetworkPods = 2;
    public const int AddressesPerPrefix = 16;

    /// <summary>
    /// AWS's rule (the EKS max-pods calculator, as the ENI limits table records it): at most 110
    /// pods on an instance with 30 vCPUs or fewer, 250 above, in every CNI setup.
    /// </summary>
    public const int SmallInstanceCap = 110;
    public const int LargeInstanceCap = 250;
    public const int LargeInstanceVcpus = 30;

    /// <summary>AWS's cap for this instance type, or null where its vCPU count is unknown.</summary>
    public static int? AwsCap(InstanceNetworking limits) =>
        limits.Vcpus is { } vcpus ? vcpus > LargeInstanceVcpus ? LargeInstanceCap : SmallInstanceCap : null;

    /// <summary>Whether a setup asks the CNI for /28 prefixes.</summary>
    public static bool UsesPrefixes(PodNetworkingMode mode) =>
        mode is PodNetworkingMode.PrefixDelegation or PodNetworkingMode.CustomNetworkingWithPrefixDelegation;

    /// <summary>
    /// The limit the ENIs allow, before any cap, as AWS's max-pods calculator works it out
    /// (awslabs/amazon-eks-ami, templates/al2/runtime/max-pods-calculator.sh, v20260304): custom
    /// networking leaves the primary ENI out; prefixes count 16 addresses a slot, and only where
    /// the hypervisor is "nitro" (elsewhere, bare metal included, the calculator silently falls
    /// back to secondary IPs); 2 host-network pods on top in every setup.
    /// </summary>
    public static int Uncapped(InstanceNetworking limits, PodNetworkingMode mode)
    {
        // One address on every ENI is the ENI's own primary address.
        var slotsPerEni = limits.Ipv4PerEni - 1;
        var enis = mode is PodNetworkingMode.CustomNetworking or PodNetworkingMode.CustomNetworkingWithPrefixDelegation ? limits.MaxEnis - 1 : limits.MaxEnis;
        var perSlot = UsesPrefixes(mode) && limits.SupportsPrefixDelegation ? AddressesPerPrefix : 1;
        return (enis * slotsPerEni * perSlot) + HostNetworkPods;
    }

    /// <summary>The cap that applies: the configured one, else AWS's rule by vCPU count.</summary>
    public static int Cap(InstanceNetworking limits, int? configuredCap) =>
        configuredCap ?? AwsCap(limits) ?? throw new InvalidOperationException($"the vCPU count of {limits.InstanceType} is unknown; a cap must be configured");

    /// <summary>
    /// The value to give the kubelet: what the ENIs allow, capped in every setup (prefix delegation
    /// lets small instances claim hundreds of pods, and the largest instances claim hundreds even
    /// without it, more than the kubelet and CPU can carry).
    /// </summary>
    public static int ForKubelet(InstanceNetworking limits, PodNetworkingMode mode, int? configuredCap) =>
        Math.Min(Uncapped(limits, mode), Cap(limits, configuredCap));

    public static PodNetworkingMode ModeOf(CniSpec cni) => (cni.CustomNetworking, cni.PrefixDelegation) switch
    {
        (true, true) => PodNetworkingMode.CustomNetworkingWithPrefixDelegation,
        (true, false) => PodNetworkingMode.CustomNetworking,
        (false, true) => PodNetworkingMode.PrefixDelegation,
        _ => PodNetworkingMode.Standard,
    };

    /// <summary>
    /// A node group with several instance types gets one max-pods value: the smallest, so that no
    /// node is promised more pods than its ENIs hold.
    /// </summary>
    public static int ForNodeGroup(NodeGroupSpec nodeGroup, CniSpec cni, InstanceLimits catalogue) =>
        nodeGroup.InstanceTypes.Min(t => ForKubelet(catalogue.Get(t.Value), ModeOf(cni), nodeGroup.MaxPodsCap));
}
