using System.Text.RegularExpressions;

namespace Infra.StackConfig.Keys;

/// <summary>The cluster, nodeGroup and bootstrap keys: declared, and bound to the cluster's model.</summary>
internal static class ClusterKeys
{
    private static readonly ConfigKey<bool?> PublicAccess = Declare.Boolean("publicAccess", "the API endpoint is reachable from the internet", required: true);

    private static readonly ConfigKey<bool?> PrivateAccess = Declare.Boolean("privateAccess", "the API endpoint is reachable from inside the VPC", required: true);

    private static readonly ConfigKey<IReadOnlyList<Located<Cidr>>> PublicAccessCidrs = Declare.List("publicAccessCidrs", "blocks allowed to reach the public endpoint (none: 0.0.0.0/0)", Declare.CidrShape);

    private static readonly ConfigKey<EndpointAccess?> Endpoint = Declare.Key("endpoint", "API endpoint access", Declare.Object(
        [PublicAccess, PrivateAccess, PublicAccessCidrs],
        endpoint => new EndpointAccess(endpoint.Required(PublicAccess), endpoint.Required(PrivateAccess), endpoint.Get(PublicAccessCidrs))),
        required: true);

    private static readonly ConfigKey<Located<string>?> PrincipalArn = Declare.Matching(
        "principalArn", "the IAM role or user (arn:aws:iam::ACCOUNT:role/NAME); may be a secret (`pulumi config set --secret --path`), which the program refers to and nothing checks", AccessEntrySpec.PrincipalPattern, "expected an IAM role or user ARN (arn:aws:iam::ACCOUNT:role/NAME)", required: true, mayBeSecret: true);

    private static readonly ConfigKey<Located<string>?> AccessPolicy = Declare.OneOf(
        "policy", "the EKS access policy: clusterAdmin, admin, edit or view", [.. AccessEntrySpec.AccessPolicies.Keys], required: true,
        problem: $"expected one of {string.Join(", ", AccessEntrySpec.AccessPolicies.Keys)}");

    private static readonly ConfigKey<IReadOnlyList<Located<string>>> Namespaces = Declare.List("namespaces", "limit the policy to these namespaces (left out: the whole cluster)", Declare.TextShape());

    private static readonly ConfigKey<IReadOnlyList<AccessEntrySpec>> AccessEntries = Declare.Map(
        "accessEntries",
        "who besides the cluster's creator may use it (CI, teammates): with authenticationMode API nobody else can (`check` warns when none is given)",
        "name",
        Declare.Object(
            [PrincipalArn, AccessPolicy, Namespaces],
            entry => new AccessEntrySpec(entry.Name, entry.Required(PrincipalArn), entry.Required(AccessPolicy), [.. entry.Get(Namespaces).Select(n => n.Value)], entry.At)),
        "an IAM principal and what it may do")
        .NotDiscovered("access entries are `aws eks list-access-entries`', which --eks does not take: the file names none, and `check` warns");

    private static ConfigKey<Located<string>?> AddonVersion(string name, string description) =>
        Declare.Key(name, description, Declare.TextShape(new ScalarType(ScalarKind.String, Pattern: AddonVersions.Pattern)));

    private static readonly ConfigKey<Located<string>?> VpcCni = AddonVersion("vpcCni", "the vpc-cni add-on's version: `aws eks describe-addon-versions --addon-name vpc-cni --kubernetes-version 1.33 --query 'addons[0].addonVersions[0].addonVersion'`");

    private static readonly ConfigKey<Located<string>?> CoreDns = AddonVersion("coreDns", "the coredns add-on's version (same command, `--addon-name coredns`)");

    private static readonly ConfigKey<Located<string>?> KubeProxy = AddonVersion("kubeProxy", "the kube-proxy add-on's version (same command, `--addon-name kube-proxy`)");

    private static readonly ConfigKey<AddonVersions?> Addons = Declare.Key("addonVersions", "pinned add-on versions; one left out follows EKS's default of the day (`check` warns)", Declare.Object(
        [VpcCni, CoreDns, KubeProxy],
        addons => new AddonVersions(addons.Get(VpcCni), addons.Get(CoreDns), addons.Get(KubeProxy)),
        bindWhenAbsent: true))
        .NotDiscovered("add-on versions are `aws eks describe-addon`'s, which --eks does not take: the replica follows EKS's default, and `check` warns");

    private static readonly ConfigKey<Located<string>?> ReplicaSecurityGroup = Declare.Text("securityGroup", "the original's EKS-created cluster security group");

    private static readonly ConfigKey<Located<string>?> ReplicaEndpoint = Declare.Text("endpoint", "the original's API endpoint");

    private sealed record ClusterReplica(string? SecurityGroup, string? Endpoint);

    private static readonly ConfigKey<ClusterReplica?> ClusterReplicaOf = Declare.Key("replicaOf", "ids of the original cluster's parts", Declare.Object(
        [ReplicaSecurityGroup, ReplicaEndpoint],
        replica => new ClusterReplica(replica.Get(ReplicaSecurityGroup)?.Value, replica.Get(ReplicaEndpoint)?.Value),
        bindWhenAbsent: true));

    private static readonly ConfigKey<Located<string>?> Name = Declare.Outlined("name", "the EKS cluster's name: 1-100 letters, digits, hyphens or underscores, starting with a letter or digit", ClusterRules.ClusterNameRule, required: true);

    private static readonly ConfigKey<Located<string>?> KubernetesVersion = Declare.OneOf("kubernetesVersion", "a version EKS creates clusters with, quoted (\"1.33\")", AwsQuotas.KubernetesVersions, required: true);

    private static readonly ConfigKey<Located<Cidr>?> ServiceCidr = Declare.Cidr("serviceCidr", "the Kubernetes service block", required: true);

    private static readonly ConfigKey<IReadOnlyList<Located<string>>> LogTypes = Declare.List("logTypes", "control-plane log types sent to CloudWatch", Declare.TextShape(), unique: true);

    private static readonly ConfigKey<int?> LogRetentionDays = Declare.LogRetentionDays(
        "logRetentionDays",
        "days CloudWatch keeps the control-plane logs; the stack creates /aws/eks/<name>/cluster before the cluster so EKS creates no unmanaged group")
        .NotDiscovered("the log group's retention is CloudWatch Logs', which discover does not read");

    private static readonly ConfigKey<Located<string>?> SecretsKmsKeyArn = Declare.Matching(
        "secretsKmsKeyArn",
        "a KMS key ARN to encrypt Kubernetes secrets with (left out: the stack creates a key with rotation on, usable by the cluster's role)",
        @"^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]{36}$",
        "expected a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID); an alias cannot be used for EKS secrets encryption");

    /// <summary>Discovered from `aws eks describe-cluster` output (`discover --eks`); drift reads EC2 only.</summary>
    public static ConfigKey<ClusterSpec?> Cluster { get; } = Declare.Key("cluster", "the EKS cluster; leave out for a network-only stack", Declare.Object(
        [Name, KubernetesVersion, ServiceCidr, Endpoint, LogTypes, LogRetentionDays, SecretsKmsKeyArn, AccessEntries, Addons, ClusterReplicaOf],
        cluster => new ClusterSpec(
            cluster.Required(Name).Value,
            cluster.Required(KubernetesVersion).Value,
            cluster.Required(ServiceCidr),
            cluster.Required(Endpoint),
            [.. cluster.Get(LogTypes).Select(l => l.Value)],
            cluster.Required(ClusterReplicaOf).SecurityGroup,
            cluster.Required(ClusterReplicaOf).Endpoint,
            cluster.At)
        {
            Addons = cluster.Required(Addons),
            AccessEntries = cluster.Get(AccessEntries),
            LogRetentionDays = cluster.Required(LogRetentionDays),
            SecretsKeyArn = cluster.Get(SecretsKmsKeyArn),
        })).NotCompared("drift reads the VPC through EC2; the cluster and its nodes are EKS's, which it does not read");

    private static readonly ConfigKey<int?> SizeGiB = Declare.Integer("sizeGiB", "size in GiB", @default: RootVolumeSpec.DefaultSizeGiB, minimum: RootVolumeSpec.DefaultSizeGiB, maximum: RootVolumeSpec.MaxSizeGiB);

    private static readonly ConfigKey<Located<string>?> VolumeType = Declare.OneOf("type", "EBS volume type", RootVolumeSpec.Types, @default: RootVolumeSpec.DefaultType)
        .NotDiscovered("describe-nodegroup gives the disk's size, not its type (a launch template's, named as left out)");

    private static readonly ConfigKey<RootVolumeSpec?> RootVolume = Declare.Key("rootVolume", "the nodes' root volume, always encrypted", Declare.Object(
        [SizeGiB, VolumeType],
        volume => new RootVolumeSpec(volume.Required(SizeGiB), volume.Required(VolumeType).Value),
        bindWhenAbsent: true));

    private static readonly ConfigKey<IReadOnlyList<Located<string>>> InstanceTypes = Declare.List("instanceTypes", "EC2 instance types (from the ENI limits table)", Declare.TextShape(), required: true, minItems: 1, unique: true);

    private static readonly ConfigKey<int?> MinSize = Declare.Integer("minSize", "fewest nodes", required: true);

    private static readonly ConfigKey<int?> DesiredSize = Declare.Integer("desiredSize", "nodes at creation", required: true);

    private static readonly ConfigKey<int?> MaxSize = Declare.Integer("maxSize", "most nodes", required: true);

    /// <summary>Absent: AWS's rule by vCPU count (MaxPods.AwsCap).</summary>
    private static readonly ConfigKey<int?> MaxPodsCap = Declare.Integer("maxPodsCap", "upper bound on max pods per node (default: AWS's rule, 110 for instance types of 30 vCPUs or fewer, 250 above)")
        .NotDiscovered("a kubelet setting inside the nodes' launch template, which describe-nodegroup does not show");

    private static readonly ConfigKey<Located<string>?> AmiReleaseVersion = Declare.Key(
        "amiReleaseVersion",
        "the EKS-optimised AL2023 AMI release, quoted (\"1.33.5-20251217\"): `aws ssm get-parameter --name /aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/recommended/release_version --query Parameter.Value --output text`; left out, every run reads SSM's current recommendation and a new release rolls the nodes (`check` warns)",
        Declare.TextShape(new ScalarType(ScalarKind.String, Pattern: NodeLaunch.ReleaseVersionPattern)));

    private static readonly ConfigKey<Located<string>?> NodeReplicaSecurityGroup = Declare.Text("securityGroup", "the original's node security group");

    private static readonly ConfigKey<Located<string>?> NodeGroupReplicaOf = Declare.Key("replicaOf", "ids of the original node group's parts", Declare.Object(
        [NodeReplicaSecurityGroup], replica => replica.Get(NodeReplicaSecurityGroup)))
        .NotDiscovered("a managed node group's nodes use the cluster group unless a launch template says otherwise, which discover names as left out");

    private static readonly ConfigKey<Located<string>?> NodeKubernetesVersion = Declare.Outlined(
        "kubernetesVersion",
        "the nodes' Kubernetes minor, quoted (\"1.35\"): at most three below the cluster's and never above it (EKS's version skew); left out, the cluster's. Selects the AMI parameter, so a change rolls the group",
        ClusterRules.KubernetesVersionRule);

    /// <summary>One node group's keys, alike under `nodeGroup` and each `nodeGroups` entry.</summary>
    private static ConfigShape<NodeGroupSpec?> NodeGroupShape() => Declare.Object(
        [InstanceTypes, MinSize, DesiredSize, MaxSize, MaxPodsCap, AmiReleaseVersion, NodeKubernetesVersion, RootVolume, NodeGroupReplicaOf],
        nodes => new NodeGroupSpec(
            nodes.Get(InstanceTypes),
            nodes.Required(MinSize),
            nodes.Required(DesiredSize),
            nodes.Required(MaxSize),
            nodes.Get(MaxPodsCap),
            nodes.Get(NodeGroupReplicaOf)?.Value,
            nodes.At)
        {
            AmiReleaseVersion = nodes.Get(AmiReleaseVersion),
            KubernetesVersion = nodes.Get(NodeKubernetesVersion),
            RootVolume = nodes.Required(RootVolume),
            Name = nodes.Name,
        });

    public static ConfigKey<NodeGroupSpec?> NodeGroup { get; } = Declare.Key(
        "nodeGroup",
        "the managed node group, named after the stack (or give `nodeGroups` instead)",
        NodeGroupShape(),
        requiredWith: "cluster",
        orInstead: "nodeGroups").NotCompared("drift reads the VPC through EC2; the cluster and its nodes are EKS's, which it does not read");

    /// <summary>Several groups, for a blue/green swap or different instance families.</summary>
    public static ConfigKey<IReadOnlyList<NodeGroupSpec>> NodeGroups { get; } = Declare.Map(
        "nodeGroups",
        "several managed node groups by name, each with its own launch template (instead of `nodeGroup`); a group named after the stack keeps `nodeGroup`'s resources. A blue/green swap: add the new group, let its nodes join, drain the old, remove it",
        "name",
        NodeGroupShape(),
        "a node group: the same keys as `nodeGroup`").NotCompared("drift reads the VPC through EC2; the cluster and its nodes are EKS's, which it does not read");

    private static readonly ConfigKey<NodeEgress?> NodeEgressKey = Declare.Choice(
        "nodeEgress",
        "how nodes reach the API server, ECR, S3, STS and EC2 while the node group is created: `vpcEndpoints` (the stack creates interface endpoints in the node subnets and the S3 gateway endpoint) or `gateways` (you state that the routed appliances already forward)",
        [("vpcEndpoints", NodeEgress.VpcEndpoints), ("gateways", NodeEgress.Gateways)],
        "expected gateways (the routed appliances already forward) or vpcEndpoints (the stack creates VPC endpoints for the nodes)",
        required: true);

    /// <summary>Absent: only a NAT gateway default route counts as the nodes' way out.</summary>
    public static ConfigKey<BootstrapSpec?> Bootstrap { get; } = Declare.Key(
        "bootstrap",
        "the nodes' path out while they join; left out, only a NAT gateway default route counts (`check` reports INFRA008 otherwise)",
        Declare.Object([NodeEgressKey], bootstrap => new BootstrapSpec(bootstrap.Required(NodeEgressKey), bootstrap.At)))
        .NotCompared("how the replica's nodes join is the replica's; the original shows nothing of it");
}
