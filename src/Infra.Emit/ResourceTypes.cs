namespace Infra.Emit;

/// <summary>
/// A Pulumi package the program uses, with the plugin version it pins: the versions
/// pulumi-typecheck verifies the program against, so that a preview runs the code the checks ran.
/// </summary>
public sealed record PulumiPackage(string Name, string Version)
{
    public static PulumiPackage Aws { get; } = new("aws", "7.48.0");

    public static PulumiPackage Eks { get; } = new("eks", "4.3.0");

    public static PulumiPackage Kubernetes { get; } = new("kubernetes", "4.34.2");

    public static IReadOnlyList<PulumiPackage> All { get; } = [Aws, Eks, Kubernetes];
}

/// <summary>What a resource is for, as `plan` groups resources.</summary>
public enum ResourceRole
{
    Network,
    Routing,
    Security,
    Cluster,
}

/// <summary>What forces one resource type to be replaced (deleted and created) instead of updated.</summary>
/// <param name="Forcing">Input paths whose change forces replacement ("vpcConfig.subnetIds" covers its items; "objs[].metadata.name" any item's).</param>
/// <param name="ForcingWhenAddedOrRemoved">Inputs whose appearing or disappearing forces it, but not a change of value.</param>
/// <param name="Source">Where the rule was read: file and version.</param>
public sealed record ReplacementRule(IReadOnlyList<string> Forcing, IReadOnlyList<string> ForcingWhenAddedOrRemoved, string Source)
{
    public static ReplacementRule Of(string source, params string[] forcing) => new(forcing, [], source);

    /// <summary>Inputs whose change forces replacement only while another input was true before the change (a provider's CustomizeDiff ForceNewIf).</summary>
    public IReadOnlyList<(string Input, string WhileWasTrue)> ForcingWhileWasTrue { get; init; } = [];
}

/// <summary>One Pulumi resource type: its token, its package (and so its pinned version) and its plan role.</summary>
/// <param name="Emitted">Whether our emitters produce it; false for types `check` recognises in a saved program only.</param>
public sealed record ResourceType(string Token, PulumiPackage Package, ResourceRole Role, bool Emitted = true)
{
    /// <summary>
    /// Stateful: what runs on or in it is lost with it (the VPC, subnets, the cluster, the node group,
    /// the interfaces appliances attach to), so the program gives it Pulumi's `protect` unless the
    /// stack lifts protection (leadertools:protection.enabled: false).
    /// </summary>
    public bool Protected { get; init; }

    /// <summary>It takes `tags` (with the project's required tags, which `check` INFRA015 looks for).</summary>
    public bool Taggable { get; init; }

    /// <summary>An appliance may still hold it when the stack is destroyed: Pulumi forgets it instead of deleting it (`retainOnDelete`).</summary>
    public bool RetainOnDelete { get; init; }

    /// <summary>
    /// What forces the type's replacement (null for types the program never emits): for aws types the
    /// attributes terraform-provider-aws marks ForceNew (or RequiresReplace), which pulumi-aws
    /// bridges; for the eks components the component inputs that flow into such attributes of the
    /// resources they create; for kubernetes the provider's own Diff. Every regional aws resource is
    /// also replaced when its `region` input changes (pulumi-aws v7, forceNewIfRegionChanges); the
    /// program never sets it. `tags` never force replacement. A test fails when an emitted type has none.
    /// </summary>
    public ReplacementRule? Replacement { get; init; }

    /// <summary>Outputs every in-place update recomputes (unknown at preview), which carry to each input that refers to them.</summary>
    public RecomputedOutputs? RecomputedOnUpdate { get; init; }

    /// <summary>
    /// Inputs the provider generates when they are left out (auto-naming). Given by the program, a
    /// replacement deletes the old resource first: its successor could not take the name beside it.
    /// </summary>
    public IReadOnlyList<string> AutoNamed { get; init; } = [];

    /// <summary>Where <see cref="AutoNamed"/> was read.</summary>
    public string? AutoNamedSource { get; init; }

    /// <summary>Why the program sets deleteBeforeReplace on this type, when it does.</summary>
    public string? DeleteBeforeReplace { get; init; }

    public override string ToString() => Token;
}

/// <summary>Outputs an in-place update recomputes, with where that was read.</summary>
/// <param name="Unless">Inputs whose change alone leaves the outputs known.</param>
public sealed record RecomputedOutputs(IReadOnlyList<string> Outputs, string Source, IReadOnlyList<string> Unless)
{
    /// <summary>Whether changes to these input paths recompute the outputs.</summary>
    public bool RecomputedBy(IEnumerable<string> changedPaths) =>
        changedPaths.Any(p => !p.StartsWith("(options)", StringComparison.Ordinal) && !Unless.Any(u => p == u || p.StartsWith(u + ".", StringComparison.Ordinal)));
}

/// <summary>
/// The one catalogue of the resource types: the emitters create resources of these, discovery lists
/// the emitted ones for Pulumi's first call, `plan` takes each one's role, and `check` finds
/// resources by them.
/// </summary>
public static class ResourceTypes
{
    private const string Tf = "hashicorp/terraform-provider-aws internal/service/";

    /// <summary>pulumi-terraform-bridge deletes first when the program gives a name the provider would generate.</summary>
    private const string BridgeAutoName = "pulumi-terraform-bridge pkg/tfbridge nameRequiresDeleteBeforeReplace; pulumi-aws auto-names `name`";

    private static ResourceType Aws(string token, ResourceRole role, bool emitted = true) => new($"aws:{token}", PulumiPackage.Aws, role, emitted);

    public static ResourceType Vpc { get; } = Aws("ec2:Vpc", ResourceRole.Network) with { Protected = true, Taggable = true, Replacement = ReplacementRule.Of($"{Tf}ec2/vpc_.go (v6)", "cidrBlock", "ipv4IpamPoolId", "ipv4NetmaskLength", "region") };

    public static ResourceType VpcCidrBlock { get; } = Aws("ec2:VpcIpv4CidrBlockAssociation", ResourceRole.Network) with { Replacement = ReplacementRule.Of($"{Tf}ec2/vpc_ipv4_cidr_block_association.go (v6)", "cidrBlock", "ipv4IpamPoolId", "ipv4NetmaskLength", "vpcId", "region") };

    public static ResourceType EgressOnlyInternetGateway { get; } = Aws("ec2:EgressOnlyInternetGateway", ResourceRole.Network) with { Taggable = true, Replacement = ReplacementRule.Of($"{Tf}ec2/vpc_egress_only_internet_gateway.go (v6)", "vpcId", "region") };

    public static ResourceType InternetGateway { get; } = Aws("ec2:InternetGateway", ResourceRole.Network) with { Taggable = true, Replacement = ReplacementRule.Of($"{Tf}ec2/vpc_internet_gateway.go (v6; vpcId changes attach and detach)", "region") };

    public static ResourceType Subnet { get; } = Aws("ec2:Subnet", ResourceRole.Network) with { Protected = true, Taggable = true, Replacement = ReplacementRule.Of($"{Tf}ec2/vpc_subnet.go (v6; its CustomizeDiff replaces the subnet when ipv6_cidr_block changes while assign_ipv6_address_on_creation was true)", "availabilityZone", "availabilityZoneId", "cidrBlock", "ipv4IpamPoolId", "ipv4NetmaskLength", "ipv6IpamPoolId", "ipv6Native", "ipv6NetmaskLength", "outpostArn", "vpcId", "region") with { ForcingWhileWasTrue = [("ipv6CidrBlock", "assignIpv6AddressOnCreation")] } };

    public static ResourceType Eip { get; } = Aws("ec2:Eip", ResourceRole.Network) with { Taggable = true, Replacement = ReplacementRule.Of($"{Tf}ec2/ec2_eip.go (v6)", "address", "domain", "ipamPoolId", "networkBorderGroup", "publicIpv4Pool", "region") };

    public static ResourceType NatGateway { get; } = Aws("ec2:NatGateway", ResourceRole.Network) with { Taggable = true, Replacement = ReplacementRule.Of($"{Tf}ec2/vpc_nat_gateway.go (v6)", "allocationId", "availabilityMode", "connectivityType", "privateIp", "subnetId", "vpcId", "region"), DeleteBeforeReplace = "an Elastic IP serves one NAT gateway at a time: a public successor made first could not take its allocation (EC2 fails it with Resource.AlreadyAssociated; pulumi/pulumi-aws issue 1483, closed as by design)" };

    public static ResourceType NetworkInterface { get; } = Aws("ec2:NetworkInterface", ResourceRole.Network) with { Protected = true, RetainOnDelete = true, Taggable = true, Replacement = ReplacementRule.Of($"{Tf}ec2/vpc_network_interface.go (v6; privateIps when the primary address goes)", "interfaceType", "subnetId", "region") };

    public static ResourceType VpcEndpoint { get; } = Aws("ec2:VpcEndpoint", ResourceRole.Network) with { Taggable = true, Replacement = ReplacementRule.Of($"{Tf}ec2/vpc_endpoint.go (v6)", "resourceConfigurationArn", "serviceName", "serviceNetworkArn", "serviceRegion", "vpcEndpointType", "vpcId", "dnsOptions.privateDnsPreference", "dnsOptions.privateDnsSpecifiedDomains", "region"), DeleteBeforeReplace = "AWS refuses a second interface endpoint with private DNS for the same service in one VPC (\"private-dns-enabled cannot be set because there is already a conflicting DNS domain\", hashicorp/terraform-provider-aws#17535)" };

    public static ResourceType FlowLog { get; } = Aws("ec2:FlowLog", ResourceRole.Network) with { Taggable = true, Replacement = ReplacementRule.Of($"{Tf}ec2/vpc_flow_log.go (v6; only tags change in place)", "vpcId", "subnetId", "eniId", "transitGatewayId", "transitGatewayAttachmentId", "regionalNatGatewayId", "trafficType", "logDestination", "logDestinationType", "logFormat", "iamRoleArn", "deliverCrossAccountRole", "destinationOptions", "maxAggregationInterval", "region") };

    public static ResourceType DefaultRouteTable { get; } = Aws("ec2:DefaultRouteTable", ResourceRole.Routing) with { Taggable = true, Replacement = ReplacementRule.Of($"{Tf}ec2/vpc_default_route_table.go (v6)", "defaultRouteTableId", "region") };

    public static ResourceType RouteTable { get; } = Aws("ec2:RouteTable", ResourceRole.Routing) with { Taggable = true, Replacement = ReplacementRule.Of($"{Tf}ec2/vpc_route_table.go (v6; routes change in place)", "vpcId", "region") };

    public static ResourceType Route { get; } = Aws("ec2:Route", ResourceRole.Routing) with { Replacement = ReplacementRule.Of($"{Tf}ec2/vpc_route.go (v6; a new target is ReplaceRoute, in place)", "routeTableId", "destinationCidrBlock", "destinationIpv6CidrBlock", "destinationPrefixListId", "region") };

    public static ResourceType RouteTableAssociation { get; } = Aws("ec2:RouteTableAssociation", ResourceRole.Routing) with { Replacement = ReplacementRule.Of($"{Tf}ec2/vpc_route_table_association.go (v6; routeTableId changes in place)", "subnetId", "gatewayId", "region") };

    public static ResourceType SecurityGroup { get; } = Aws("ec2:SecurityGroup", ResourceRole.Security) with { Taggable = true, Replacement = ReplacementRule.Of($"{Tf}ec2/vpc_security_group.go (v6)", "description", "name", "namePrefix", "vpcId", "region"), AutoNamed = ["name"], AutoNamedSource = BridgeAutoName };

    public static ResourceType Tag { get; } = Aws("ec2:Tag", ResourceRole.Security) with { Replacement = ReplacementRule.Of($"{Tf}ec2/ec2_tag.go (v6; value changes in place)", "resourceId", "key", "region") };

    public static ResourceType SecurityGroupIngressRule { get; } = Aws("vpc:SecurityGroupIngressRule", ResourceRole.Security) with { Replacement = ReplacementRule.Of($"{Tf}ec2/vpc_security_group_ingress_rule.go (v6, RequiresReplace; ModifyPlan also replaces when the source kind changes)", "securityGroupId", "region") with { ForcingWhenAddedOrRemoved = ["cidrIpv4", "cidrIpv6", "prefixListId", "referencedSecurityGroupId"] } };

    public static ResourceType SecurityGroupEgressRule { get; } = Aws("vpc:SecurityGroupEgressRule", ResourceRole.Security) with { Replacement = ReplacementRule.Of($"{Tf}ec2/vpc_security_group_egress_rule.go (v6, shares the ingress rule's base)", "securityGroupId", "region") with { ForcingWhenAddedOrRemoved = ["cidrIpv4", "cidrIpv6", "prefixListId", "referencedSecurityGroupId"] } };

    /// <summary>The older rule resource (type ingress or egress); a saved program may use it.</summary>
    public static ResourceType SecurityGroupRule { get; } = Aws("ec2:SecurityGroupRule", ResourceRole.Security, emitted: false) with { Replacement = ReplacementRule.Of($"{Tf}ec2/vpc_security_group_rule.go (v6)", "cidrBlocks", "fromPort", "ipv6CidrBlocks", "prefixListIds", "protocol", "securityGroupId", "self", "sourceSecurityGroupId", "toPort", "type", "region") };

    public static ResourceType IamRole { get; } = Aws("iam:Role", ResourceRole.Security) with { Taggable = true, Replacement = ReplacementRule.Of($"{Tf}iam/role.go (v6)", "name", "namePrefix", "path"), AutoNamed = ["name"], AutoNamedSource = BridgeAutoName };

    public static ResourceType IamRolePolicyAttachment { get; } = Aws("iam:RolePolicyAttachment", ResourceRole.Security) with { Replacement = ReplacementRule.Of($"{Tf}iam/role_policy_attachment.go (v6)", "role", "policyArn") };

    public static ResourceType IamRolePolicy { get; } = Aws("iam:RolePolicy", ResourceRole.Security) with { Replacement = ReplacementRule.Of($"{Tf}iam/role_policy.go (v6; the policy changes in place)", "name", "namePrefix", "role") };

    public static ResourceType LaunchTemplate { get; } = Aws("ec2:LaunchTemplate", ResourceRole.Cluster) with { Taggable = true, Replacement = ReplacementRule.Of($"{Tf}ec2/ec2_launch_template.go (v6; every other change is a new template version)", "name", "namePrefix", "region"), AutoNamed = ["name"], AutoNamedSource = BridgeAutoName, RecomputedOnUpdate = new(["latestVersion"], $"{Tf}ec2/ec2_launch_template.go (v6, CustomizeDiff ComputedIf(\"latest_version\"): any change but name, name_prefix, description, default_version and update_default_version, tags included)", ["name", "namePrefix", "description", "defaultVersion", "updateDefaultVersion"]) };

    public static ResourceType KmsKey { get; } = Aws("kms:Key", ResourceRole.Security) with { Protected = true, Taggable = true, Replacement = ReplacementRule.Of($"{Tf}kms/key.go (v6; the policy and rotation change in place)", "customKeyStoreId", "customerMasterKeySpec", "keyUsage", "multiRegion", "xksKeyId", "region") };

    public static ResourceType LogGroup { get; } = Aws("cloudwatch:LogGroup", ResourceRole.Cluster) with { Taggable = true, Replacement = ReplacementRule.Of($"{Tf}logs/group.go (v6; retention changes in place)", "logGroupClass", "name", "namePrefix", "region"), AutoNamed = ["name"], AutoNamedSource = BridgeAutoName };

    public static ResourceType EksCluster { get; } = new("eks:Cluster", PulumiPackage.Eks, ResourceRole.Cluster) { Protected = true, Taggable = true, Replacement = ReplacementRule.Of("pulumi/pulumi-eks v4.3.0 nodejs/eks/cluster/cluster.ts (inputs into aws:eks:Cluster name, roleArn, kubernetesNetworkConfig; removing encryptionConfigKeyArn replaces, adding it does not)", "name", "serviceRole", "kubernetesServiceIpAddressRange", "ipFamily") with { ForcingWhenAddedOrRemoved = ["encryptionConfigKeyArn"] }, AutoNamed = ["name"], AutoNamedSource = "pulumi-eks v4.3.0 passes `name` to aws:eks:Cluster; " + BridgeAutoName };

    public static ResourceType ManagedNodeGroup { get; } = new("eks:ManagedNodeGroup", PulumiPackage.Eks, ResourceRole.Cluster)
    {
        Protected = true,
        Taggable = true,
        Replacement = ReplacementRule.Of("pulumi/pulumi-eks v4.3.0 nodejs/eks/nodes/nodegroup.ts (inputs into aws:eks:NodeGroup, eks/node_group.go ForceNew: a template's version and the scaling config change in place)", "nodeGroupName", "nodeGroupNamePrefix", "instanceTypes", "capacityType", "diskSize", "remoteAccess", "amiType", "clusterName", "cluster", "nodeRole", "nodeRoleArn", "subnetIds", "launchTemplate.id", "launchTemplate.name", "operatingSystem", "gpu", "enableEfaSupport", "placementGroupAvailabilityZone") with
        {
            // Any of these makes the component build its own template: appearing or going switches the template id.
            ForcingWhenAddedOrRemoved = ["kubeletExtraArgs", "bootstrapExtraArgs", "bottlerocketSettings", "nodeadmExtraOptions", "enableIMDSv2", "userData", "amiId"],
        }
    };

    public static ResourceType EksAddon { get; } = Aws("eks:Addon", ResourceRole.Cluster) with { Taggable = true, Replacement = ReplacementRule.Of($"{Tf}eks/addon.go (v6)", "addonName", "clusterName", "region") };

    /// <summary>The aws provider's own cluster resource; a saved program may use it.</summary>
    public static ResourceType AwsEksCluster { get; } = Aws("eks:Cluster", ResourceRole.Cluster, emitted: false) with { Protected = true, Replacement = ReplacementRule.Of($"{Tf}eks/cluster.go (v6; subnets, security groups, version and endpoint access change in place)", "name", "roleArn", "bootstrapSelfManagedAddons", "accessConfig.bootstrapClusterCreatorAdminPermissions", "kubernetesNetworkConfig.ipFamily", "kubernetesNetworkConfig.serviceIpv4Cidr", "outpostConfig", "region") with { ForcingWhenAddedOrRemoved = ["encryptionConfig"] } };

    /// <summary>
    /// The program's own aws provider, which the eks components are given so that their children use
    /// aws 7.48.0 and not the 7.25.0 pulumi-eks bundles. A change of its region replaces every
    /// resource it serves (pulumi-aws v7 provider/region.go copies the region into each resource,
    /// whose forceNewIfRegionChanges replaces it); default tags change the tagsAll of each tagged
    /// resource in place (pulumi-aws provider/tags.go applyTags merges them during Check).
    /// </summary>
    public static ResourceType AwsProvider { get; } = new("pulumi:providers:aws", PulumiPackage.Aws, ResourceRole.Cluster) { Replacement = ReplacementRule.Of("pulumi/pulumi-aws v7 provider/region.go (nothing replaces the provider itself since v7, pulumi-aws#5656: a new region replaces each resource through its own region input, forceNewIfRegionChanges)") };

    public static ResourceType KubernetesProvider { get; } = new("pulumi:providers:kubernetes", PulumiPackage.Kubernetes, ResourceRole.Cluster) { Replacement = ReplacementRule.Of("pulumi/pulumi-kubernetes v4.x provider/pkg/provider/provider.go DiffConfig (a kubeconfig for another cluster; every resource of a replaced provider is replaced)", "kubeconfig", "context", "cluster", "renderYamlToDirectory", "clusterIdentifier") };

    public static ResourceType ConfigGroup { get; } = new("kubernetes:yaml/v2:ConfigGroup", PulumiPackage.Kubernetes, ResourceRole.Cluster) { Replacement = ReplacementRule.Of("pulumi/pulumi-kubernetes v4.x provider/pkg/provider/yaml/v2/configgroup.go and provider.go (a component: its objects are replaced on metadata.name or namespace, all of them on resourcePrefix)", "resourcePrefix", "objs[].metadata.name", "objs[].metadata.namespace", "objs[].kind", "objs[].apiVersion") };

    public static ResourceType HelmRelease { get; } = new("kubernetes:helm.sh/v3:Release", PulumiPackage.Kubernetes, ResourceRole.Cluster) { Replacement = ReplacementRule.Of("pulumi/pulumi-kubernetes v4.x provider/pkg/provider/helm_release.go Diff (forceNewFields)", "name", "namespace") };

    public static IReadOnlyList<ResourceType> All { get; } =
    [
        Vpc, VpcCidrBlock, InternetGateway, EgressOnlyInternetGateway, Subnet, Eip, NatGateway, NetworkInterface, VpcEndpoint, FlowLog,
        DefaultRouteTable, RouteTable, Route, RouteTableAssociation,
        SecurityGroup, Tag, SecurityGroupIngressRule, SecurityGroupEgressRule, SecurityGroupRule, IamRole, IamRolePolicyAttachment, IamRolePolicy,
        LaunchTemplate, KmsKey, LogGroup, EksCluster, ManagedNodeGroup, EksAddon, AwsEksCluster, AwsProvider, KubernetesProvider, ConfigGroup, HelmRelease,
    ];

    /// <summary>The catalogue's entry for a token, or null for a type it does not know (in a saved program).</summary>
    public static ResourceType? Find(string token) => All.FirstOrDefault(t => t.Token == token);
}

/// <summary>The provider functions the program invokes, pinned like resources.</summary>
public static class FunctionTypes
{
    public static (string Token, PulumiPackage Package) GetInstance { get; } = ("aws:ec2:getInstance", PulumiPackage.Aws);

    public static (string Token, PulumiPackage Package) GetSsmParameter { get; } = ("aws:ssm:getParameter", PulumiPackage.Aws);

    public static (string Token, PulumiPackage Package) GetCallerIdentity { get; } = ("aws:getCallerIdentity", PulumiPackage.Aws);
}
