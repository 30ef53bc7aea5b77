namespace Infra.StackConfig;

/// <summary>What a configuration value is: the reader, the JSON Schema and the README's reference all derive from it.</summary>
public abstract record ConfigType;

/// <summary>A scalar: text, a CIDR block, a whole number or a boolean.</summary>
public sealed record ScalarType(ScalarKind Kind, IReadOnlyList<string>? Allowed = null, string? Pattern = null) : ConfigType;

public enum ScalarKind
{
    String,
    Cidr,
    Integer,
    Boolean,
}

/// <summary>A mapping with fixed keys.</summary>
/// <param name="ExactlyOneOf">Keys of which a value must give exactly one.</param>
/// <param name="AtLeastOneOf">Keys of which a value must give at least one.</param>
public sealed record ObjectType(IReadOnlyList<ConfigField> Fields, IReadOnlyList<string>? ExactlyOneOf = null, IReadOnlyList<string>? AtLeastOneOf = null) : ConfigType
{
    public ConfigField? Field(string name) => Fields.FirstOrDefault(f => f.Name == name);
}

/// <summary>A mapping whose keys are names the user chooses (or, with <paramref name="Keys"/>, one of a fixed set).</summary>
/// <param name="KeyName">What a key is, as the reference writes it: "zone", "name".</param>
/// <param name="ValueDescription">What each value is.</param>
public sealed record MapType(string KeyName, ConfigType Values, string ValueDescription, IReadOnlyList<string>? Keys = null) : ConfigType;

public sealed record ListType(ConfigType Items) : ConfigType;

/// <summary>A value that may take one of several shapes (a subnet is a CIDR or {cidr, replicaOf}).</summary>
public sealed record EitherType(IReadOnlyList<ConfigType> Variants) : ConfigType;

/// <summary>One configuration key: its type, whether a stack must give it, its default and what it means.</summary>
/// <param name="RequiredWith">A top-level key that makes this one required when it is set (nodeGroup with cluster).</param>
/// <param name="Default">The value the reader takes when the key is absent (a bool, an int or a string).</param>
public sealed record ConfigField(string Name, ConfigType Type, string Description, bool Required = false, object? Default = null, string? RequiredWith = null);

/// <summary>
/// The project's stack configuration keys, in one place. <see cref="StackConfigReader"/> walks
/// values through it (a key the reader reads must be declared here, and a declared key must be
/// read: <see cref="ConfigNode"/> enforces both on every read), `infra schema` turns it into the
/// JSON Schema editors validate Pulumi.&lt;stack&gt;.yaml with, and the README's configuration
/// reference is generated from it.
/// </summary>
public static class ConfigSchema
{
    private static ScalarType Text { get; } = new(ScalarKind.String);

    private static ScalarType Cidr { get; } = new(ScalarKind.Cidr);

    private static ScalarType Integer { get; } = new(ScalarKind.Integer);

    private static ScalarType Boolean { get; } = new(ScalarKind.Boolean);

    /// <summary>A subnet named as `role/zone`, the roles being the subnet-role table's keys.</summary>
    public static ScalarType SubnetReference { get; } = new(ScalarKind.String, Pattern: $"^({string.Join("|", SubnetRoles.All.Select(r => r.Key()))})/[a-z0-9-]+$");

    private static ConfigField ReplicaOf(string what) =>
        new("replicaOf", Text, $"id of the original {what} this one replicates; recorded as a `ReplicaOf` tag, nothing is imported");

    /// <summary>The keys in the project's namespace (`leadertools:vpc`, ...), in the order the reference lists them.</summary>
    public static IReadOnlyList<ConfigField> ProjectKeys { get; } =
    [
        new("vpc", new ObjectType(
        [
            new("name", Text, "the VPC's Name tag", Required: true),
            new("primaryCidr", Cidr, "the VPC's primary IPv4 block (/16 to /28)", Required: true),
            new("secondaryCidrs", new ListType(Cidr), "further IPv4 blocks associated with the VPC (the pod subnets live in one)"),
            ReplicaOf("VPC"),
        ]), "the VPC", Required: true),
        new("availabilityZones", new ListType(Text), "the zones subnets may use; they must belong to aws:region", Required: true),
        new("subnets", new MapType("role", new MapType("zone", new EitherType(
        [
            Cidr,
            new ObjectType([new("cidr", Cidr, "the subnet's block", Required: true), ReplicaOf("subnet")]),
        ]), "a subnet: its CIDR, or `{cidr, replicaOf}`"), "the role's subnets by zone", [.. SubnetRoles.All.Select(r => r.Key())]), "per role (public, nodes, pods), a map of zone to `CIDR` or `{cidr, replicaOf}`", Required: true),
        new("internetGateway", new ObjectType([ReplicaOf("internet gateway")]), "the VPC's internet gateway"),
        new("natGateway", new ObjectType(
        [
            new("enabled", Boolean, "create a NAT gateway (a route may then target `nat-gateway`)", Default: false),
            new("zone", Text, "the zone of the public subnet that holds it"),
        ]), "an optional NAT gateway"),
        new("gateways", new MapType("name", new ObjectType(
        [
            new("description", Text, "what the gateway is, for reports (default: its name)"),
            ReplicaOf("instance"),
            new("interface", new ObjectType([new("subnet", SubnetReference, "`role/zone` of the subnet the interface goes in", Required: true)]),
                "the stack creates a network interface (source/destination check off) for the appliance to attach, and exports its id in `gatewayInterfaceIds`"),
            new("existing", new ObjectType(
            [
                new("instanceId", Text, "the appliance's instance (routes target its primary interface)"),
                new("networkInterfaceId", Text, "the appliance's interface"),
                new("inThisVpc", new ScalarType(ScalarKind.Boolean, ["true"]), "must be true: a route can only target an interface in its own VPC, so state that the appliance was launched into this stack's VPC", Required: true),
            ], ExactlyOneOf: ["instanceId", "networkInterfaceId"]), "an appliance already running in this stack's VPC"),
        ], ExactlyOneOf: ["interface", "existing"]), "a gateway: give `interface` or `existing`"), "route targets other than the internet and NAT gateways (the Aviatrix gateways)"),
        new("gatewayRoutes", new ObjectType(
        [
            new("managedBy", new ScalarType(ScalarKind.String, ["stack", "appliance"]), "`stack`: the program writes the routes that target the gateways; `appliance`: the appliance's controller (Aviatrix programs its spoke VPCs' route tables) does, and the program leaves them out", Default: "stack"),
        ]), "who writes the routes to the gateways"),
        new("routeTables", new MapType("name", new ObjectType(
        [
            new("main", Boolean, "this table is the VPC's main route table (exactly one table is)", Default: false),
            ReplicaOf("route table"),
            new("subnets", new ListType(SubnetReference), "`role/zone` of each subnet associated explicitly; others use the main table"),
            new("routes", new ListType(new ObjectType(
            [
                new("destination", Cidr, "the destination block; inside the VPC only a subnet's exact CIDR", Required: true),
                new("target", Text, "`internet-gateway`, `nat-gateway` or a gateway's name", Required: true),
                new("purpose", Text, "why the route exists, for reports"),
            ])), "the table's routes (the local routes are implied)"),
        ]), "a route table"), "route tables by name", Required: true),
        new("cluster", new ObjectType(
        [
            new("name", Text, "the EKS cluster's name (at most 30 characters)", Required: true),
            new("kubernetesVersion", new ScalarType(ScalarKind.String, Infra.Model.Validation.AwsQuotas.KubernetesVersions), "a version EKS creates clusters with, quoted (\"1.33\")", Required: true),
            new("serviceCidr", Cidr, "the Kubernetes service block", Required: true),
            new("endpoint", new ObjectType(
            [
                new("publicAccess", Boolean, "the API endpoint is reachable from the internet", Required: true),
                new("privateAccess", Boolean, "the API endpoint is reachable from inside the VPC", Required: true),
                new("publicAccessCidrs", new ListType(Cidr), "blocks allowed to reach the public endpoint (none: 0.0.0.0/0)"),
            ]), "API endpoint access", Required: true),
            new("logTypes", new ListType(Text), "control-plane log types sent to CloudWatch"),
            new("logRetentionDays", Integer, "days CloudWatch keeps the control-plane logs; the stack creates /aws/eks/<name>/cluster before the cluster so EKS creates no unmanaged group", Default: ClusterSpec.DefaultLogRetentionDays),
            new("secretsKmsKeyArn", Text, "a KMS key ARN to encrypt Kubernetes secrets with (left out: the stack creates a key with rotation on, usable by the cluster's role)"),
            new("accessEntries", new MapType("name", new ObjectType(
            [
                new("principalArn", new ScalarType(ScalarKind.String, Pattern: AccessEntrySpec.PrincipalPattern), "the IAM role or user (arn:aws:iam::ACCOUNT:role/NAME)", Required: true),
                new("policy", new ScalarType(ScalarKind.String, [.. AccessEntrySpec.AccessPolicies.Keys]), "the EKS access policy: clusterAdmin, admin, edit or view", Required: true),
                new("namespaces", new ListType(Text), "limit the policy to these namespaces (left out: the whole cluster)"),
            ]), "an IAM principal and what it may do"), "who besides the cluster's creator may use it (CI, teammates): with authenticationMode API nobody else can (`check` warns when none is given)"),
            new("addonVersions", new ObjectType(
            [
                new("vpcCni", new ScalarType(ScalarKind.String, Pattern: AddonVersions.Pattern), "the vpc-cni add-on's version: `aws eks describe-addon-versions --addon-name vpc-cni --kubernetes-version 1.33 --query 'addons[0].addonVersions[0].addonVersion'`"),
                new("coreDns", new ScalarType(ScalarKind.String, Pattern: AddonVersions.Pattern), "the coredns add-on's version (same command, `--addon-name coredns`)"),
                new("kubeProxy", new ScalarType(ScalarKind.String, Pattern: AddonVersions.Pattern), "the kube-proxy add-on's version (same command, `--addon-name kube-proxy`)"),
            ]), "pinned add-on versions; one left out follows EKS's default of the day (`check` warns)"),
            new("replicaOf", new ObjectType(
            [
                new("securityGroup", Text, "the original's EKS-created cluster security group"),
                new("endpoint", Text, "the original's API endpoint"),
            ]), "ids of the original cluster's parts"),
        ]), "the EKS cluster; leave out for a network-only stack"),
        new("cni", new ObjectType(
        [
            new("customNetworking", Boolean, "pods take addresses from the pod subnets through one ENIConfig per zone", Default: true),
            new("eniConfigLabel", Text, "the node label that picks a node's ENIConfig", Default: "topology.kubernetes.io/zone"),
            new("prefixDelegation", Boolean, "assign /28 prefixes to interfaces instead of single addresses", Default: true),
        ]), "the VPC CNI add-on's settings"),
        new("nodeGroup", new ObjectType(
        [
            new("instanceTypes", new ListType(Text), "EC2 instance types (from the ENI limits table)", Required: true),
            new("minSize", Integer, "fewest nodes", Required: true),
            new("desiredSize", Integer, "nodes at creation", Required: true),
            new("maxSize", Integer, "most nodes", Required: true),
            new("maxPodsCap", Integer, "upper bound on max pods per node (default: AWS's rule, 110 for instance types of 30 vCPUs or fewer, 250 above)"),
            new("amiReleaseVersion", new ScalarType(ScalarKind.String, Pattern: NodeLaunch.ReleaseVersionPattern),
                "the EKS-optimised AL2023 AMI release, quoted (\"1.33.5-20251217\"): `aws ssm get-parameter --name /aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/recommended/release_version --query Parameter.Value --output text`; left out, every run reads SSM's current recommendation and a new release rolls the nodes (`check` warns)"),
            new("rootVolume", new ObjectType(
            [
                new("sizeGiB", Integer, "size in GiB", Default: RootVolumeSpec.DefaultSizeGiB),
                new("type", new ScalarType(ScalarKind.String, RootVolumeSpec.Types), "EBS volume type", Default: RootVolumeSpec.DefaultType),
            ]), "the nodes' root volume, always encrypted"),
            new("replicaOf", new ObjectType([new("securityGroup", Text, "the original's node security group")]), "ids of the original node group's parts"),
        ]), "the managed node group", RequiredWith: "cluster"),
        new("loadBalancers", new ListType(new ObjectType(
        [
            new("name", Text, "the application's name (lower-case words joined by hyphens)", Required: true),
            new("replicaOf", Text, "id of the original load balancer's security group"),
            new("certificateArn", new ScalarType(ScalarKind.String, Pattern: LoadBalancedApp.CertificateArnPattern), "the ACM certificate of the application's HTTPS listener (left out: the controller finds one in ACM by the Ingress's host names)"),
        ])), "one load balancer security group per application"),
        new("bootstrap", new ObjectType(
        [
            new("nodeEgress", new ScalarType(ScalarKind.String, [nameof(NodeEgress.VpcEndpoints).ToCamel(), nameof(NodeEgress.Gateways).ToCamel()]),
                "how nodes reach the API server, ECR, S3, STS and EC2 while the node group is created: `vpcEndpoints` (the stack creates interface endpoints in the node subnets and the S3 gateway endpoint) or `gateways` (you state that the routed appliances already forward)", Required: true),
        ]), "the nodes' path out while they join; left out, only a NAT gateway default route counts (`check` reports INFRA008 otherwise)"),
        new("loadBalancerController", new ObjectType(
        [
            new("chartRepository", Text, "the chart repository's https:// or oci:// URL", Required: true),
            new("chartVersion", new ScalarType(ScalarKind.String, Pattern: @"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$"), "an exact chart version", Required: true),
            new("imageRepository", Text, "the controller's image repository (default: the region's EKS registry, ACCOUNT.dkr.ecr.REGION.amazonaws.com/amazon/aws-load-balancer-controller, which the bootstrap phase's ECR endpoints serve; the chart's public.ecr.aws default is not)"),
        ]), "install the AWS Load Balancer Controller with its IRSA role; left out, none is installed"),
        new("protection", new ObjectType(
        [
            new("enabled", Boolean, "stateful resources (VPC, subnets, cluster, node group, gateway interfaces) carry Pulumi's `protect`, gateway interfaces `retainOnDelete`, and the cluster EKS's deletion protection; set false, `pulumi up`, then replace or destroy deliberately", Default: true),
        ]), "what stops one careless `pulumi up` or `destroy` from deleting what runs the environment"),
        new("policy", new ObjectType(
        [
            new("waivers", new MapType("rule", Text, "why the finding is accepted (at least 20 characters)"), "error-level `check` rules (INFRA...) this stack accepts; without a waiver an error-level finding fails the compiler, and so `pulumi preview`"),
        ]), "the policy gate the compiler applies"),
        new("guideClaims", new ObjectType(
        [
            new("corporateNetworks", new ListType(Cidr), "networks the guide's prose says are reached through the gateways"),
            new("privateInternetVia", Text, "where the prose says private subnets reach the internet (`internet-gateway`, ...)"),
            new("internetReachesInternalLoadBalancers", Boolean, "the prose draws internet users reaching the internal load balancers", Default: false),
            new("podsPerNode", Integer, "pods per node the prose claims with prefix delegation"),
            new("traditionalPodsPerNode", Integer, "pods per node the prose claims without it"),
            new("concurrentPods", Integer, "concurrent pods the prose claims the pod subnets hold"),
        ]), "what the guide's prose claims; the review commands check it against the route tables"),
    ];

    /// <summary>The project's keys as one mapping, where the reader starts its walk.</summary>
    public static ObjectType Project { get; } = new(ProjectKeys);

    /// <summary>Keys that only mean something with a cluster (read by nothing without one).</summary>
    public static IReadOnlyList<string> ClusterOnlyKeys { get; } = ["cni", "nodeGroup", "loadBalancers", "bootstrap", "loadBalancerController"];

    private static string ToCamel(this string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
