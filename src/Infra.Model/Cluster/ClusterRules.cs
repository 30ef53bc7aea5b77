using System.Text.RegularExpressions;

namespace Infra.Model.Cluster;

/// <summary>The EKS cluster and its node group: names, versions, the service CIDR, endpoint access, log types, instance types and sizes.</summary>
public static partial class ClusterRules
{
    public static void Validate(NetworkSpec network, ClusterDesign design, InstanceLimits catalogue, List<ConfigProblem> problems)
    {
        var cluster = design.Cluster;
        if (!ClusterNamePattern().IsMatch(cluster.Name))
        {
            Rule.Add(problems, cluster.At.Child("name"), cluster.Name, "an EKS cluster name is 1-100 letters, digits, hyphens or underscores, starting with a letter or digit");
        }

        if (!KubernetesVersionPattern().IsMatch(cluster.KubernetesVersion))
        {
            Rule.Add(problems, cluster.At.Child("kubernetesVersion"), cluster.KubernetesVersion, "expected a Kubernetes minor version such as 1.33");
        }

        var service = cluster.ServiceCidr;
        if (!AwsAddressRules.IsValidServiceCidrRange(service.Value))
        {
            Rule.Add(problems, service.At, service.Value, "EKS needs the service CIDR inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, between /12 and /24");
        }
        else if (network.VpcCidrs.FirstOrDefault(v => v.Overlaps(service.Value)) is var vpcBlock && vpcBlock != default)
        {
            Rule.Add(problems, service.At, service.Value, $"overlaps the VPC CIDR {vpcBlock}; service addresses must not be VPC addresses");
        }

        if (!cluster.Endpoint.PublicAccess && !cluster.Endpoint.PrivateAccess)
        {
            Rule.Add(problems, cluster.At.Child("endpoint.publicAccess"), false, "with private access off too, nothing could reach the API server");
        }

        var logTypes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (logType, index) in cluster.LogTypes.Select((l, i) => (l, i)))
        {
            if (!EnvironmentValidator.ClusterLogTypes.Contains(logType))
            {
                Rule.Add(problems, cluster.At.Child("logTypes").Index(index), logType, $"not an EKS log type ({string.Join(", ", EnvironmentValidator.ClusterLogTypes)})");
            }
            else if (!logTypes.Add(logType))
            {
                Rule.Add(problems, cluster.At.Child("logTypes").Index(index), logType, "log type listed twice");
            }
        }

        ValidateAddonVersions(cluster, problems);
        CniRules.Validate(network, design, problems);
        ValidateNodeGroupCount(design, problems);
        foreach (var nodeGroup in design.NodeGroups)
        {
            ValidateNodeGroup(design, nodeGroup, catalogue, problems);
            ValidateNodeVersion(design.Cluster, nodeGroup, problems);
            ValidateNodeLaunch(design.Cluster, nodeGroup, problems);
        }
        if (design.LoadBalancerController is { ImageRepository: null } controller && !EksImageRegistries.Knows(network.Region))
        {
            Rule.Add(problems, controller.At.Child("imageRepository"), "(missing)", $"AWS lists no EKS image registry for {network.Region}; give the controller's image repository");
        }
        LoadBalancerRules.Validate(design, problems);
    }

    /// <summary>EKS's quota of managed node groups per cluster (EKS User Guide, "Amazon EKS service quotas").</summary>
    public const int MaxNodeGroups = 30;

    /// <summary>
    /// Kubernetes' version skew policy, which EKS applies to nodes: a kubelet may be up to three
    /// minors older than the API server, never newer (kubernetes.io "Version Skew Policy", kubelet;
    /// EKS User Guide, "Update existing cluster to new Kubernetes version").
    /// </summary>
    public const int MaxNodeSkew = 3;

    private static void ValidateNodeGroupCount(ClusterDesign design, List<ConfigProblem> problems)
    {
        if (design.NodeGroups.Count > MaxNodeGroups)
        {
            Rule.Add(problems, design.NodeGroupsAt, design.NodeGroups.Count, $"EKS allows {MaxNodeGroups} managed node groups per cluster");
        }

        // The groups share one node security group, so one original: groups naming different ones
        // would retag it at every swap.
        var originals = design.NodeGroups.Where(g => g.ReplicaOfSecurityGroup is not null).ToList();
        if (originals.Select(g => g.ReplicaOfSecurityGroup).Distinct().Count() > 1)
        {
            Rule.Add(problems, originals[1].At.Child("replicaOf").Child("securityGroup"), originals[1].ReplicaOfSecurityGroup!, $"the node groups share one node security group; {originals[0].Name} names {originals[0].ReplicaOfSecurityGroup} as its original");
        }

        foreach (var nodeGroup in design.NodeGroups.Where(g => g.NamedApart && !NodeGroupNamePattern().IsMatch(g.Name)))
        {
            Rule.Add(problems, nodeGroup.At, nodeGroup.Name, "a node group's name: lowercase letters, digits and hyphens, starting with a letter, at most 20 characters (it goes into the AWS name prefix and the resource names)");
        }
    }

    private static void ValidateNodeVersion(ClusterSpec cluster, NodeGroupSpec nodeGroup, List<ConfigProblem> problems)
    {
        if (nodeGroup.KubernetesVersion is not { } version)
        {
            return;
        }

        if (!KubernetesVersionPattern().IsMatch(version.Value) || !KubernetesVersionPattern().IsMatch(cluster.KubernetesVersion))
        {
            if (!KubernetesVersionPattern().IsMatch(version.Value))
            {
                Rule.Add(problems, version.At, version.Value, "expected a Kubernetes minor such as \"1.35\"");
            }

            return;
        }

        var behind = Minor(cluster.KubernetesVersion) - Minor(version.Value);
        if (behind < 0)
        {
            Rule.Add(problems, version.At, version.Value, $"nodes may not run a newer Kubernetes than the cluster's {cluster.KubernetesVersion} (version skew policy): upgrade the control plane first");
        }
        else if (behind > MaxNodeSkew)
        {
            Rule.Add(problems, version.At, version.Value, $"is {behind} minors behind the cluster's {cluster.KubernetesVersion}; nodes may be at most {MaxNodeSkew} behind (version skew policy)");
        }

        static int Minor(string version) => int.Parse(version[(version.IndexOf('.', StringComparison.Ordinal) + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void ValidateNodeGroup(ClusterDesign design, NodeGroupSpec nodeGroup, InstanceLimits catalogue, List<ConfigProblem> problems)
    {
        if (nodeGroup.InstanceTypes.Count == 0)
        {
            Rule.Add(problems, nodeGroup.At.Child("instanceTypes"), "[]", "the node group needs at least one instance type");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in nodeGroup.InstanceTypes)
        {
            if (!catalogue.TryGet(type.Value, out var limits))
            {
                Rule.Add(problems, type.At, type.Value, "unknown EC2 instance type (not in the VPC CNI's ENI limits table)");
            }
            else
            {
                if (design.Cni.PrefixDelegation && !limits.SupportsPrefixDelegation)
                {
                    var runsOn = limits.BareMetal ? "bare metal (EC2 reports no hypervisor, and AWS's max-pods calculator grants it no prefixes)" : limits.Hypervisor;
                    Rule.Add(problems, type.At, type.Value, $"prefix delegation needs a Nitro virtualised instance type; this one runs on {runsOn} (pick a Nitro type, or set cni.prefixDelegation to false to use secondary IPs)");
                }

                if (nodeGroup.MaxPodsCap is null && MaxPods.AwsCap(limits) is null)
                {
                    Rule.Add(problems, type.At, type.Value, "its vCPU count is unknown, so AWS's max-pods cap (110 up to 30 vCPUs, 250 above) cannot be worked out; set nodeGroup.maxPodsCap");
                }
            }

            if (!seen.Add(type.Value))
            {
                Rule.Add(problems, type.At, type.Value, "instance type listed twice");
            }
        }

        if (nodeGroup.MinSize < 0)
        {
            Rule.Add(problems, nodeGroup.At.Child("minSize"), nodeGroup.MinSize, "must not be negative");
        }

        if (nodeGroup.MaxSize < 1 || nodeGroup.MaxSize > EnvironmentValidator.MaxNodeGroupSize)
        {
            Rule.Add(problems, nodeGroup.At.Child("maxSize"), nodeGroup.MaxSize, $"must be from 1 to {EnvironmentValidator.MaxNodeGroupSize} (the EKS managed node group limit)");
        }
        else if (nodeGroup.MinSize > nodeGroup.DesiredSize || nodeGroup.DesiredSize > nodeGroup.MaxSize)
        {
            Rule.Add(problems, nodeGroup.At.Child("desiredSize"), nodeGroup.DesiredSize, $"sizes must be in order: minSize ({nodeGroup.MinSize}) <= desiredSize <= maxSize ({nodeGroup.MaxSize})");
        }

        // aws-node and kube-proxy run on every node and count against max pods: a cap at or under
        // them leaves no room for any other pod.
        if (nodeGroup.MaxPodsCap is { } cap && (cap <= MaxPods.HostNetworkPods || cap > EnvironmentValidator.HighestMaxPodsCap))
        {
            Rule.Add(problems, nodeGroup.At.Child("maxPodsCap"), cap, $"must be from {MaxPods.HostNetworkPods + 1} to {EnvironmentValidator.HighestMaxPodsCap} (the {MaxPods.HostNetworkPods} host-network pods, aws-node and kube-proxy, take a place on every node)");
        }
    }

    private static void ValidateAddonVersions(ClusterSpec cluster, List<ConfigProblem> problems)
    {
        foreach (var version in new[] { cluster.Addons.VpcCni, cluster.Addons.CoreDns, cluster.Addons.KubeProxy }.OfType<Located<string>>())
        {
            if (!AddonVersionPattern().IsMatch(version.Value))
            {
                Rule.Add(problems, version.At, version.Value, "expected an EKS add-on version such as v1.20.1-eksbuild.3 (aws eks describe-addon-versions lists them)");
            }
        }

        // kube-proxy must match the cluster's minor version (EKS User Guide, "Manage kube-proxy").
        // Compared only with a version EKS creates: otherwise that version is the one problem to report.
        var versionKnown = AwsQuotas.KubernetesVersions.Contains(cluster.KubernetesVersion);
        if (versionKnown && cluster.Addons.KubeProxy is { } proxy && AddonVersionPattern().IsMatch(proxy.Value) && !proxy.Value.StartsWith($"v{cluster.KubernetesVersion}.", StringComparison.Ordinal))
        {
            Rule.Add(problems, proxy.At, proxy.Value, $"kube-proxy's version must match the cluster's Kubernetes version {cluster.KubernetesVersion} (v{cluster.KubernetesVersion}.x-eksbuild.y)");
        }
    }

    private static void ValidateNodeLaunch(ClusterSpec cluster, NodeGroupSpec nodeGroup, List<ConfigProblem> problems)
    {
        var nodesRun = nodeGroup.KubernetesVersionWith(cluster);
        if (nodeGroup.AmiReleaseVersion is { } release)
        {
            if (!AmiReleasePattern().IsMatch(release.Value))
            {
                Rule.Add(problems, release.At, release.Value, "expected an AMI release version as SSM prints it, such as \"1.33.5-20251217\" (Kubernetes version, hyphen, build date)");
            }
            else if (AwsQuotas.KubernetesVersions.Contains(cluster.KubernetesVersion) && NodeLaunch.KubernetesMinor(release.Value) != nodesRun)
            {
                var runs = nodeGroup.KubernetesVersion is null ? $"the cluster runs {nodesRun}" : $"the group's nodes run {nodesRun}";
                Rule.Add(problems, release.At, release.Value, $"is an AMI release for Kubernetes {NodeLaunch.KubernetesMinor(release.Value)}, but {runs}");
            }
        }

        // Each type's architecture comes from EC2's instance data; one launch template boots one AMI.
        var architectures = new List<string>();
        foreach (var type in nodeGroup.InstanceTypes)
        {
            var ami = InstanceArchitectures.Embedded.AmiFor(type.Value);
            if (ami.Refusal is not null)
            {
                Rule.Add(problems, type.At, type.Value, ami.Refusal);
            }
            else if (!architectures.Contains(ami.Architecture!))
            {
                architectures.Add(ami.Architecture!);
            }
        }

        if (architectures.Count > 1)
        {
            Rule.Add(problems, nodeGroup.At.Child("instanceTypes"), string.Join(", ", nodeGroup.InstanceTypes.Select(t => t.Value)), $"mixes {string.Join(" and ", architectures.Order(StringComparer.Ordinal))} instance types (EC2's instance data); one launch template boots one AMI");
        }

        var volume = nodeGroup.RootVolume;
        var volumeAt = nodeGroup.At.Child("rootVolume");
        if (volume.SizeGiB < RootVolumeSpec.DefaultSizeGiB || volume.SizeGiB > RootVolumeSpec.MaxSizeGiB)
        {
            Rule.Add(problems, volumeAt.Child("sizeGiB"), volume.SizeGiB, $"must be from {RootVolumeSpec.DefaultSizeGiB} GiB (the EKS AL2023 AMI's own root snapshot) to {RootVolumeSpec.MaxSizeGiB} GiB (the EBS limit)");
        }

        if (!RootVolumeSpec.Types.Contains(volume.Type))
        {
            Rule.Add(problems, volumeAt.Child("type"), volume.Type, $"expected one of {string.Join(", ", RootVolumeSpec.Types)}");
        }
    }

    [GeneratedRegex(AddonVersions.Pattern)]
    private static partial Regex AddonVersionPattern();

    [GeneratedRegex(NodeLaunch.ReleaseVersionPattern)]
    private static partial Regex AmiReleasePattern();

    /// <summary>An EKS cluster name (CreateCluster's constraint); the config schema says it too.</summary>
    public const string ClusterNameRule = "^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$";

    /// <summary>A Kubernetes minor as EKS writes it; the config schema says it too.</summary>
    public const string KubernetesVersionRule = @"^1\.[0-9]{1,2}$";

    [GeneratedRegex(ClusterNameRule)]
    private static partial Regex ClusterNamePattern();

    [GeneratedRegex(NodeGroupSpec.NamePattern)]
    private static partial Regex NodeGroupNamePattern();

    [GeneratedRegex(KubernetesVersionRule)]
    private static partial Regex KubernetesVersionPattern();
}
