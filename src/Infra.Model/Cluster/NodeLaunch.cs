namespace Infra.Model.Cluster;

/// <summary>The nodes' root volume: always encrypted (with the account's EBS key), of a stated size and type.</summary>
public sealed record RootVolumeSpec(int SizeGiB, string Type)
{
    /// <summary>The smallest root volume: the EKS AL2023 AMI's own root snapshot.</summary>
    public const int DefaultSizeGiB = 20;

    /// <summary>The largest: EBS's limit for these volume types.</summary>
    public const int MaxSizeGiB = 16384;
    public const string DefaultType = "gp3";

    /// <summary>The volume types a root volume may be (EC2 EBS volume types that can boot).</summary>
    public static IReadOnlyList<string> Types { get; } = ["gp2", "gp3", "io1", "io2"];
}

/// <summary>
/// How the nodes boot: the stack's own launch template, so that nothing in it is chosen at deploy
/// time by anyone else. The eks component builds one itself when given kubelet arguments, with the
/// AMI read from SSM's floating "recommended" parameter on every run and no security groups
/// (pulumi-eks v4.3.0, nodejs/eks/nodes/nodegroup.ts, createMNGCustomLaunchTemplate and
/// getRecommendedAMI in nodes/ami.ts): an AMI release would roll every node on the next unrelated
/// `up`, and the nodes would carry only the EKS-created group.
/// </summary>
public static class NodeLaunch
{
    /// <summary>
    /// IMDSv2 only, with a hop limit of 2: pods with their own network namespace (not host-network)
    /// may still reach instance metadata, as terraform-aws-modules/eks's managed node groups and the
    /// eks component allow. Ours do not need it (the controller is given region and VPC, the CNI runs
    /// on the host network, every AWS caller uses IRSA), so 1 would also work; 2 keeps pods of teams
    /// that read the instance's region or zone from IMDS working.
    /// </summary>
    public const int MetadataHopLimit = 2;

    /// <summary>The root device of AL2023 EKS AMIs.</summary>
    public const string RootDevice = "/dev/xvda";

    /// <summary>
    /// AWS publishes every EKS-optimised AMI release under a fixed SSM name beside the floating
    /// "recommended" one (EKS User Guide, "Retrieve recommended Amazon Linux AMI IDs", where
    /// `recommended` may be replaced by an AMI's name; the form below is the one Karpenter resolves
    /// pinned al2023 aliases through, aws/karpenter-provider-aws pkg/providers/amifamily/al2023.go):
    /// a pinned release reads the same image id on every run.
    /// </summary>
    public static string AmiParameter(string kubernetesVersion, string architecture, string? releaseVersion)
    {
        var root = $"/aws/service/eks/optimized-ami/{kubernetesVersion}/amazon-linux-2023/{architecture}/standard";
        return releaseVersion is null
            ? $"{root}/recommended/image_id"
            : $"{root}/amazon-eks-node-al2023-{architecture}-standard-{kubernetesVersion}-v{ReleaseDate(releaseVersion)}/image_id";
    }

    /// <summary>The AMI release date of a release version as SSM prints it ("1.33.5-20251217" -> "20251217").</summary>
    public static string ReleaseDate(string releaseVersion) => releaseVersion[(releaseVersion.LastIndexOf('-') + 1)..];

    /// <summary>The Kubernetes minor version of a release version ("1.33.5-20251217" -> "1.33").</summary>
    public static string KubernetesMinor(string releaseVersion)
    {
        var parts = releaseVersion.Split('-')[0].Split('.');
        return parts.Length >= 2 ? $"{parts[0]}.{parts[1]}" : releaseVersion;
    }

    /// <summary>The form of a release version: Kubernetes x.y.z, a hyphen and the AMI's build date.</summary>
    public const string ReleaseVersionPattern = @"^[0-9]+\.[0-9]+\.[0-9]+-[0-9]{8}$";

    /// <summary>
    /// The AMI architecture of a node group whose types passed validation, from EC2's instance data
    /// (<see cref="InstanceArchitectures.AmiFor"/>); a refused type never reaches emission.
    /// </summary>
    public static string Architecture(string instanceType) =>
        InstanceArchitectures.Embedded.AmiFor(instanceType).Architecture
            ?? throw new InvalidOperationException($"{instanceType} has no EKS AMI architecture; validation should have refused it");
}

/// <summary>Versions of the EKS add-ons the stack installs; null leaves one to EKS's default of the day.</summary>
public sealed record AddonVersions(Located<string>? VpcCni, Located<string>? CoreDns, Located<string>? KubeProxy)
{
    public static AddonVersions None { get; } = new(null, null, null);

    /// <summary>The form EKS gives add-on versions ("v1.20.1-eksbuild.3").</summary>
    public const string Pattern = @"^v[0-9]+\.[0-9]+\.[0-9]+-eksbuild\.[0-9]+$";
}
