namespace Infra.Emit;

/// <summary>
/// The nodes' launch template, the stack's own so that a running node group changes only through a
/// reviewed diff: the pinned AMI (an SSM parameter that names one release), the guide's node group
/// beside the EKS-created cluster group on every node interface, max pods in the kubelet's own
/// configuration, IMDSv2, an encrypted root volume and tags that reach instances, volumes and
/// interfaces. The eks component then passes it through to the node group untouched (pulumi-eks
/// v4.3.0 nodegroup.ts createManagedNodeGroup: with `launchTemplate` and none of kubeletExtraArgs,
/// amiId, enableIMDSv2, userData..., it builds no template of its own and sets no amiType).
/// </summary>
internal static class NodeLaunchTemplateEmitter
{
    private const string Boundary = "//";

    public static void Emit(ValidatedEnvironment env, ClusterSpec cluster, NodeGroupSpec nodeGroup, int maxPodsPerNode, ProgramContext program)
    {
        var architecture = NodeLaunch.Architecture(nodeGroup.InstanceTypes[0].Value);
        var parameter = NodeLaunch.AmiParameter(nodeGroup.KubernetesVersionWith(cluster), architecture, nodeGroup.AmiReleaseVersion?.Value);
        var (function, package) = FunctionTypes.GetSsmParameter;

        // When a launch template names security groups, EKS no longer adds the cluster group by
        // itself (EKS User Guide, "Customize managed nodes with launch templates", security groups):
        // both are named here.
        var groups = P.List(
            P.Ref(ResourceNames.Cluster, "eksCluster.vpcConfig.clusterSecurityGroupId"),
            P.Ref(ResourceNames.SecurityGroup(SecurityDesign.NodeGroup), "id"));
        var tags = Tags.For(env, nodeGroup.NameTag(cluster), null);
        program.Resource(ResourceNames.NodeLaunchTemplateOf(nodeGroup), ResourceTypes.LaunchTemplate, P.Map(
            ("namePrefix", P.Text(nodeGroup.NamePrefix(cluster))),
            ("description", P.Text(nodeGroup.NamedApart ? $"Nodes of {cluster.Name}, group {nodeGroup.Name}" : $"Nodes of {cluster.Name}")),
            // insecureValue: the AMI id is public, and a secret would hide the image change in every diff.
            ("imageId", P.Invoke(function, P.Map(("name", P.Text(parameter))), package.Version, "insecureValue")),
            ("vpcSecurityGroupIds", groups),
            ("userData", P.Function("toBase64", UserData(cluster, maxPodsPerNode))),
            ("metadataOptions", P.Map(
                ("httpEndpoint", P.Text("enabled")),
                ("httpTokens", P.Text("required")),
                ("httpPutResponseHopLimit", P.Number(NodeLaunch.MetadataHopLimit)))),
            ("blockDeviceMappings", P.List(P.Map(
                ("deviceName", P.Text(NodeLaunch.RootDevice)),
                ("ebs", P.Map(
                    ("volumeSize", P.Number(nodeGroup.RootVolume.SizeGiB)),
                    ("volumeType", P.Text(nodeGroup.RootVolume.Type)),
                    ("encrypted", P.Text("true")),
                    ("deleteOnTermination", P.Text("true"))))))),
            ("tagSpecifications", P.List(new[] { "instance", "volume", "network-interface" }.Select(kind => (PValue)P.Map(
                ("resourceType", P.Text(kind)),
                ("tags", tags))))),
            ("tags", tags)));
    }

    /// <summary>
    /// nodeadm's NodeConfig (awslabs/amazon-eks-ami nodeadm/doc/api.md) in a MIME multi-part
    /// document: with an AMI id in the template, EKS merges no user data of its own (EKS User Guide,
    /// launch templates, "Specifying an AMI"), so the cluster's endpoint, certificate authority and
    /// service CIDR are given here; max pods goes to kubelet.config.maxPods, which nodeadm prefers
    /// over its own computed default.
    /// </summary>
    private static PString UserData(ClusterSpec cluster, int maxPodsPerNode) => P.Concat(
        P.Text($"MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"{Boundary}\"\n\n--{Boundary}\nContent-Type: application/node.eks.aws\n\n"),
        P.Text($"---\napiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig\nspec:\n  cluster:\n    name: {cluster.Name}\n    apiServerEndpoint: "),
        P.Ref(ResourceNames.Cluster, "eksCluster.endpoint"),
        P.Text("\n    certificateAuthority: "),
        P.Ref(ResourceNames.Cluster, "eksCluster.certificateAuthority.data"),
        P.Text($"\n    cidr: {cluster.ServiceCidr.Value}\n  kubelet:\n    config:\n      maxPods: {maxPodsPerNode}\n\n--{Boundary}--\n"));
}

/// <summary>The names of what <see cref="NodeLaunchTemplateEmitter"/> emits (the naming rule: <see cref="ResourceNames"/>).</summary>
public static partial class ResourceNames
{
    public const string NodeLaunchTemplate = "node-launch-template";

    /// <summary>As <see cref="NodeGroupOf"/>: a group named after the stack keeps the single group's template.</summary>
    public static string NodeLaunchTemplateOf(NodeGroupSpec nodeGroup) => nodeGroup.NamedApart ? Of(NodeLaunchTemplate, nodeGroup.Name) : NodeLaunchTemplate;
}
