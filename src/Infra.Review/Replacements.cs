using Infra.Emit;

namespace Infra.Review;

/// <summary>What forces one resource type to be replaced (deleted and created) instead of updated.</summary>
/// <param name="Forcing">Input paths whose change forces replacement ("vpcConfig.subnetIds" covers its items; "objs[].metadata.name" any item's).</param>
/// <param name="ForcingWhenAddedOrRemoved">Inputs whose appearing or disappearing forces it, but not a change of value.</param>
/// <param name="Source">Where the rule was read: file and version.</param>
public sealed record ReplacementRule(IReadOnlyList<string> Forcing, IReadOnlyList<string> ForcingWhenAddedOrRemoved, string Source)
{
    public static ReplacementRule Of(string source, params string[] forcing) => new(forcing, [], source);
}

/// <summary>
/// For every resource type the project emits, the inputs whose change makes Pulumi replace the
/// resource: for aws types the attributes terraform-provider-aws marks ForceNew (or
/// RequiresReplace), which pulumi-aws bridges; for the eks components the component inputs that
/// flow into such attributes of the resources they create; for kubernetes the provider's own Diff.
/// Every regional aws resource is also replaced when its `region` input changes (pulumi-aws v7,
/// forceNewIfRegionChanges); the program never sets it. `tags` never force replacement.
/// A test fails when an emitted type has no entry.
/// </summary>
public static class Replacements
{
    private const string Tf = "hashicorp/terraform-provider-aws internal/service/";

    public static IReadOnlyDictionary<string, ReplacementRule> ByType { get; } = new Dictionary<string, ReplacementRule>(StringComparer.Ordinal)
    {
        [ResourceTypes.Vpc.Token] = ReplacementRule.Of($"{Tf}ec2/vpc_.go (v6)", "cidrBlock", "ipv4IpamPoolId", "ipv4NetmaskLength", "region"),
        [ResourceTypes.VpcCidrBlock.Token] = ReplacementRule.Of($"{Tf}ec2/vpc_ipv4_cidr_block_association.go (v6)", "cidrBlock", "ipv4IpamPoolId", "ipv4NetmaskLength", "vpcId", "region"),
        [ResourceTypes.InternetGateway.Token] = ReplacementRule.Of($"{Tf}ec2/vpc_internet_gateway.go (v6; vpcId changes attach and detach)", "region"),
        [ResourceTypes.Subnet.Token] = ReplacementRule.Of($"{Tf}ec2/vpc_subnet.go (v6)", "availabilityZone", "availabilityZoneId", "cidrBlock", "ipv4IpamPoolId", "ipv4NetmaskLength", "ipv6IpamPoolId", "ipv6Native", "ipv6NetmaskLength", "outpostArn", "vpcId", "region"),
        [ResourceTypes.Eip.Token] = ReplacementRule.Of($"{Tf}ec2/ec2_eip.go (v6)", "address", "domain", "ipamPoolId", "networkBorderGroup", "publicIpv4Pool", "region"),
        [ResourceTypes.NatGateway.Token] = ReplacementRule.Of($"{Tf}ec2/vpc_nat_gateway.go (v6)", "allocationId", "availabilityMode", "connectivityType", "privateIp", "subnetId", "vpcId", "region"),
        [ResourceTypes.NetworkInterface.Token] = ReplacementRule.Of($"{Tf}ec2/vpc_network_interface.go (v6; privateIps when the primary address goes)", "interfaceType", "subnetId", "region"),
        [ResourceTypes.VpcEndpoint.Token] = ReplacementRule.Of($"{Tf}ec2/vpc_endpoint.go (v6)", "resourceConfigurationArn", "serviceName", "serviceNetworkArn", "serviceRegion", "vpcEndpointType", "vpcId", "dnsOptions.privateDnsPreference", "dnsOptions.privateDnsSpecifiedDomains", "region"),
        [ResourceTypes.DefaultRouteTable.Token] = ReplacementRule.Of($"{Tf}ec2/vpc_default_route_table.go (v6)", "defaultRouteTableId", "region"),
        [ResourceTypes.RouteTable.Token] = ReplacementRule.Of($"{Tf}ec2/vpc_route_table.go (v6; routes change in place)", "vpcId", "region"),
        [ResourceTypes.Route.Token] = ReplacementRule.Of($"{Tf}ec2/vpc_route.go (v6; a new target is ReplaceRoute, in place)", "routeTableId", "destinationCidrBlock", "destinationIpv6CidrBlock", "destinationPrefixListId", "region"),
        [ResourceTypes.RouteTableAssociation.Token] = ReplacementRule.Of($"{Tf}ec2/vpc_route_table_association.go (v6; routeTableId changes in place)", "subnetId", "gatewayId", "region"),
        [ResourceTypes.SecurityGroup.Token] = ReplacementRule.Of($"{Tf}ec2/vpc_security_group.go (v6)", "description", "name", "namePrefix", "vpcId", "region"),
        [ResourceTypes.Tag.Token] = ReplacementRule.Of($"{Tf}ec2/ec2_tag.go (v6; value changes in place)", "resourceId", "key", "region"),
        [ResourceTypes.SecurityGroupIngressRule.Token] = ReplacementRule.Of($"{Tf}ec2/vpc_security_group_ingress_rule.go (v6, RequiresReplace; ModifyPlan also replaces when the source kind changes)", "securityGroupId", "region") with { ForcingWhenAddedOrRemoved = ["cidrIpv4", "cidrIpv6", "prefixListId", "referencedSecurityGroupId"] },
        [ResourceTypes.SecurityGroupEgressRule.Token] = ReplacementRule.Of($"{Tf}ec2/vpc_security_group_egress_rule.go (v6, shares the ingress rule's base)", "securityGroupId", "region") with { ForcingWhenAddedOrRemoved = ["cidrIpv4", "cidrIpv6", "prefixListId", "referencedSecurityGroupId"] },
        [ResourceTypes.SecurityGroupRule.Token] = ReplacementRule.Of($"{Tf}ec2/vpc_security_group_rule.go (v6)", "cidrBlocks", "fromPort", "ipv6CidrBlocks", "prefixListIds", "protocol", "securityGroupId", "self", "sourceSecurityGroupId", "toPort", "type", "region"),
        [ResourceTypes.IamRole.Token] = ReplacementRule.Of($"{Tf}iam/role.go (v6)", "name", "namePrefix", "path"),
        [ResourceTypes.IamRolePolicyAttachment.Token] = ReplacementRule.Of($"{Tf}iam/role_policy_attachment.go (v6)", "role", "policyArn"),
        [ResourceTypes.IamRolePolicy.Token] = ReplacementRule.Of($"{Tf}iam/role_policy.go (v6; the policy changes in place)", "name", "namePrefix", "role"),
        [ResourceTypes.LaunchTemplate.Token] = ReplacementRule.Of($"{Tf}ec2/ec2_launch_template.go (v6; every other change is a new template version)", "name", "namePrefix", "region"),
        [ResourceTypes.KmsKey.Token] = ReplacementRule.Of($"{Tf}kms/key.go (v6; the policy and rotation change in place)", "customKeyStoreId", "customerMasterKeySpec", "keyUsage", "multiRegion", "xksKeyId", "region"),
        [ResourceTypes.LogGroup.Token] = ReplacementRule.Of($"{Tf}logs/group.go (v6; retention changes in place)", "logGroupClass", "name", "namePrefix", "region"),
        [ResourceTypes.EksAddon.Token] = ReplacementRule.Of($"{Tf}eks/addon.go (v6)", "addonName", "clusterName", "region"),
        [ResourceTypes.AwsEksCluster.Token] = ReplacementRule.Of($"{Tf}eks/cluster.go (v6; subnets, security groups, version and endpoint access change in place)", "name", "roleArn", "bootstrapSelfManagedAddons", "accessConfig.bootstrapClusterCreatorAdminPermissions", "kubernetesNetworkConfig.ipFamily", "kubernetesNetworkConfig.serviceIpv4Cidr", "outpostConfig", "region") with { ForcingWhenAddedOrRemoved = ["encryptionConfig"] },
        [ResourceTypes.EksCluster.Token] = ReplacementRule.Of("pulumi/pulumi-eks v4.3.0 nodejs/eks/cluster/cluster.ts (inputs into aws:eks:Cluster name, roleArn, kubernetesNetworkConfig; removing encryptionConfigKeyArn replaces, adding it does not)", "name", "serviceRole", "kubernetesServiceIpAddressRange", "ipFamily") with { ForcingWhenAddedOrRemoved = ["encryptionConfigKeyArn"] },
        [ResourceTypes.ManagedNodeGroup.Token] = ReplacementRule.Of("pulumi/pulumi-eks v4.3.0 nodejs/eks/nodes/nodegroup.ts (inputs into aws:eks:NodeGroup, eks/node_group.go ForceNew: a template's version and the scaling config change in place)", "nodeGroupName", "nodeGroupNamePrefix", "instanceTypes", "capacityType", "diskSize", "remoteAccess", "amiType", "clusterName", "cluster", "nodeRole", "nodeRoleArn", "subnetIds", "launchTemplate.id", "launchTemplate.name", "operatingSystem", "gpu", "enableEfaSupport", "placementGroupAvailabilityZone") with
        {
            // Any of these makes the component build its own template: appearing or going switches the template id.
            ForcingWhenAddedOrRemoved = ["kubeletExtraArgs", "bootstrapExtraArgs", "bottlerocketSettings", "nodeadmExtraOptions", "enableIMDSv2", "userData", "amiId"],
        },
        [ResourceTypes.KubernetesProvider.Token] = ReplacementRule.Of("pulumi/pulumi-kubernetes v4.x provider/pkg/provider/provider.go DiffConfig (a kubeconfig for another cluster; every resource of a replaced provider is replaced)", "kubeconfig", "context", "cluster", "renderYamlToDirectory", "clusterIdentifier"),
        [ResourceTypes.ConfigGroup.Token] = ReplacementRule.Of("pulumi/pulumi-kubernetes v4.x provider/pkg/provider/yaml/v2/configgroup.go and provider.go (a component: its objects are replaced on metadata.name or namespace, all of them on resourcePrefix)", "resourcePrefix", "objs[].metadata.name", "objs[].metadata.namespace", "objs[].kind", "objs[].apiVersion"),
        [ResourceTypes.HelmRelease.Token] = ReplacementRule.Of("pulumi/pulumi-kubernetes v4.x provider/pkg/provider/helm_release.go Diff (forceNewFields)", "name", "namespace"),
    };

    /// <summary>Whether a changed property path is one a rule's path covers (itself, a part of it, or an item of a list it names).</summary>
    public static bool Covers(string rulePath, string propertyPath)
    {
        var normalised = System.Text.RegularExpressions.Regex.Replace(propertyPath, @"\[\d+\]", "[]");
        return normalised == rulePath
            || normalised.StartsWith(rulePath + ".", StringComparison.Ordinal)
            || normalised.StartsWith(rulePath + "[]", StringComparison.Ordinal)
            || rulePath.StartsWith(normalised + ".", StringComparison.Ordinal);
    }
}
