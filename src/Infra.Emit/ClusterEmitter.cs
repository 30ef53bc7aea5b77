namespace Infra.Emit;

/// <summary>
/// The cluster concern: the EKS cluster, the kubernetes provider, the managed node group (after the
/// CNI, the ENIConfigs and, for bootstrap, the VPC endpoints), CoreDNS, and the cluster's outputs;
/// the security, cni and load balancer parts come from their own emitters.
/// </summary>
internal static class ClusterEmitter
{
    public static void Emit(ValidatedEnvironment env, ClusterDesign design, IReadOnlyDictionary<string, int> maxPodsPerNode, ProgramContext program)
    {
        var network = env.Network;
        var groups = SecurityDesign.Build(network, design);
        SecurityEmitter.EmitGroups(env, groups, program);
        SecurityEmitter.EmitNodeRole(env, program);

        var cluster = design.Cluster;
        SecurityEmitter.EmitClusterRole(env, program);
        var secretsKey = SecurityEmitter.EmitSecretsKey(env, program);
        // Created before the cluster, so EKS writes into the stack's group (with its retention)
        // instead of creating an unmanaged one that never expires.
        program.Resource(ResourceNames.ControlPlaneLogGroup, ResourceTypes.LogGroup, P.Map(
            ("name", P.Text(cluster.LogGroupName)),
            ("retentionInDays", P.Number(cluster.LogRetentionDays)),
            ("tags", Tags.For(env, cluster.LogGroupName, null))));
        ProviderEmitter.EmitAws(env, program);
        var nodeSubnets = network.SubnetsOf(SubnetRoles.With(ClusterUse.ClusterAndNodes)).ToList();
        PValue SubnetIds() => P.List(nodeSubnets.Select(s => (PValue)P.Ref(ResourceNames.Subnet(s), "id")));
        program.Resource(ResourceNames.Cluster, ResourceTypes.EksCluster, P.Map(
            ("name", P.Text(cluster.Name)),
            ("version", P.Text(cluster.KubernetesVersion)),
            ("vpcId", P.Ref(ResourceNames.Vpc, "id")),
            ("subnetIds", SubnetIds()),
            ("endpointPublicAccess", P.Bool(cluster.Endpoint.PublicAccess)),
            ("endpointPrivateAccess", P.Bool(cluster.Endpoint.PrivateAccess)),
            ("publicAccessCidrs", cluster.Endpoint.PublicAccess ? P.List(cluster.Endpoint.PublicAccessCidrs.Select(c => (PValue)P.Text(c.Value.ToString()))) : null),
            ("kubernetesServiceIpAddressRange", P.Text(cluster.ServiceCidr.Value.ToString())),
            ("serviceRole", P.Ref(ResourceNames.ClusterRole)),
            ("encryptionConfigKeyArn", secretsKey),
            ("createOidcProvider", P.Bool(true)),
            ("enabledClusterLogTypes", P.List(cluster.LogTypes.Select(l => (PValue)P.Text(l)))),
            ("authenticationMode", P.Text("API")),
            // pulumi-eks v4.3.0 cluster/authenticationMode.ts creates an aws:eks:AccessEntry and its
            // AccessPolicyAssociations for each entry of this map.
            ("accessEntries", cluster.AccessEntries.Count == 0 ? null : AccessEntries(cluster)),
            // EKS refuses to delete the cluster while this is on. Always stated: pulumi-eks v4.3.0 passes
            // it to aws:eks:Cluster as given (nodejs/eks/cluster/cluster.ts), and an absent input leaves
            // AWS's current value, so leaving it out after protection would keep the cluster undeletable
            // (pulumi-eks's own examples/deletion-policy sets false explicitly before destroy).
            ("deletionProtection", P.Bool(env.Spec.Protection)),
            // Nodes come only from the managed node group below, after the CNI is configured.
            ("skipDefaultNodeGroup", P.Bool(true)),
            ("skipDefaultSecurityGroups", P.Bool(true)),
            ("clusterSecurityGroup", P.Ref(ResourceNames.SecurityGroup(SecurityDesign.ClusterGroup))),
            // The CNI is managed as its own add-on (vpc-cni) so that nodes can wait for its settings.
            ("useDefaultVpcCni", P.Bool(true)),
            // CoreDNS is its own add-on too, created after the nodes: an add-on created before any
            // node exists stays DEGRADED and the create times out.
            ("corednsAddonOptions", P.Map(("enabled", P.Bool(false)))),
            // Left without a version, the component asks for the most recent kube-proxy on every run
            // (pulumi-eks v4.3.0 cluster.ts, kubeProxyAddonOptions: getAddonVersionOutput with
            // mostRecent: true), so an EKS release would change a running cluster unreviewed.
            ("kubeProxyAddonOptions", cluster.Addons.KubeProxy is { } kubeProxy ? P.Map(("version", P.Text(kubeProxy.Value))) : null),
            ("tags", Tags.For(env, cluster.Name, cluster.ReplicaOfEndpoint))),
            dependsOn: [ResourceNames.ControlPlaneLogGroup, ResourceNames.ClusterRolePolicy],
            providers: [ResourceNames.AwsProvider]);

        CniEmitter.EmitAddon(env, design, program);

        program.Provider(ResourceNames.KubernetesProvider, ResourceTypes.KubernetesProvider, P.Map(
            ("kubeconfig", P.Ref(ResourceNames.Cluster, "kubeconfigJson")),
            ("enableServerSideApply", P.Bool(true))));

        var waitFor = new List<string> { ResourceNames.VpcCni };
        waitFor.AddRange(CniEmitter.EmitEniConfigs(env, design, groups, program));
        waitFor.AddRange(SecurityEmitter.NodePolicies.Select(p => ResourceNames.NodeRolePolicy(p.Key)));
        if (design.Bootstrap?.NodeEgress == NodeEgress.VpcEndpoints)
        {
            waitFor.AddRange(VpcEndpointEmitter.EmitBootstrap(env, program));
        }
        // Each group its own template and node group; they share the node role, subnets and security groups.
        foreach (var nodeGroup in design.NodeGroups)
        {
            NodeLaunchTemplateEmitter.Emit(env, design.Cluster, nodeGroup, maxPodsPerNode[nodeGroup.Name], program);
            var template = ResourceNames.NodeLaunchTemplateOf(nodeGroup);
            program.Resource(
                ResourceNames.NodeGroupOf(nodeGroup),
                ResourceTypes.ManagedNodeGroup,
                P.Map(
                    ("cluster", P.Ref(ResourceNames.Cluster)),
                    ("nodeGroupNamePrefix", P.Text(nodeGroup.NamePrefix(cluster))),
                    ("nodeRoleArn", P.Ref(ResourceNames.NodeRole, "arn")),
                    ("subnetIds", SubnetIds()),
                    ("instanceTypes", P.List(nodeGroup.InstanceTypes.Select(t => (PValue)P.Text(t.Value)))),
                    ("scalingConfig", P.Map(
                        ("minSize", P.Number(nodeGroup.MinSize)),
                        ("desiredSize", P.Number(nodeGroup.DesiredSize)),
                        ("maxSize", P.Number(nodeGroup.MaxSize)))),
                    // The stack's own template (AMI, security groups, max pods, IMDSv2, volume, tags).
                    // The node group takes a version number as text: latestVersion is a number, and a
                    // new version rolls the nodes through a reviewed diff. No `version`: the template
                    // names the AMI, whose SSM parameter carries the group's Kubernetes minor (EKS API
                    // CreateNodegroup, version: not with a launch template that names an AMI).
                    ("launchTemplate", P.Map(
                        ("id", P.Ref(template, "id")),
                        ("version", P.ToJson(P.Ref(template, "latestVersion"))))),
                    ("tags", Tags.For(env, nodeGroup.NameTag(cluster), null))),
                dependsOn: waitFor,
                providers: [ResourceNames.AwsProvider]);
        }

        program.Resource(
            ResourceNames.CoreDns,
            ResourceTypes.EksAddon,
            P.Map(
                ("clusterName", P.Ref(ResourceNames.Cluster, "eksCluster.name")),
                ("addonName", P.Text("coredns")),
                ("addonVersion", cluster.Addons.CoreDns is { } coreDns ? P.Text(coreDns.Value) : null),
                // Takes over the self-managed CoreDNS that EKS installs with the cluster.
                ("resolveConflictsOnCreate", P.Text("OVERWRITE")),
                ("resolveConflictsOnUpdate", P.Text("OVERWRITE")),
                ("tags", Tags.For(env, $"{cluster.Name}-coredns", null))),
            dependsOn: [.. design.NodeGroups.Select(ResourceNames.NodeGroupOf)]);

        if (design.LoadBalancerController is { } controller)
        {
            LoadBalancerEmitter.EmitController(env, controller, [.. design.NodeGroups.Select(ResourceNames.NodeGroupOf)], program);
        }

        var nodeGroupOf = groups.Single(g => g.Role == SecurityGroupRole.Nodes);
        program.Output("clusterName", P.Ref(ResourceNames.Cluster, "eksCluster.name"));
        program.Output("clusterEndpoint", P.Ref(ResourceNames.Cluster, "eksCluster.endpoint"));
        program.Output("kubeconfig", P.Secret(P.Ref(ResourceNames.Cluster, "kubeconfigJson")));
        program.Output("oidcProviderArn", P.Ref(ResourceNames.Cluster, "oidcProviderArn"));
        program.Output("clusterSecurityGroupId", P.Ref(ResourceNames.SecurityGroup(SecurityDesign.ClusterGroup), "id"));
        program.Output("eksManagedSecurityGroupId", P.Ref(ResourceNames.Cluster, "eksCluster.vpcConfig.clusterSecurityGroupId"));
        program.Output("nodeSecurityGroupId", P.Ref(ResourceNames.SecurityGroup(nodeGroupOf.Name), "id"));
        LoadBalancerEmitter.EmitOutputs(design, groups, program);
        // One group: a number, as before several existed; several: by group name.
        program.Output("maxPodsPerNode", design.NodeGroups.Count == 1
            ? P.Number(maxPodsPerNode[design.NodeGroups[0].Name])
            : P.Map([.. design.NodeGroups.Select(g => (g.Name, (PValue?)P.Number(maxPodsPerNode[g.Name])))]));
    }

    private static PMap AccessEntries(ClusterSpec cluster) =>
        P.Map(cluster.AccessEntries.OrderBy(e => e.Name, StringComparer.Ordinal).Select(entry =>
        {
            var scope = entry.Namespaces.Count == 0
                ? P.Map(("type", P.Text("cluster")))
                : P.Map(("type", P.Text("namespace")), ("namespaces", P.List(entry.Namespaces.Select(n => (PValue)P.Text(n)))));
            var association = P.Map(
                ("policyArn", P.Text(AccessEntrySpec.AccessPolicies[entry.Policy.Value])),
                ("accessScope", scope));
            return (entry.Name, (PValue?)P.Map(
                ("principalArn", P.Config(entry.PrincipalArn)),
                ("accessPolicies", P.Map((entry.Policy.Value, (PValue?)association)))));
        }));
}

/// <summary>The names of what <see cref="ClusterEmitter"/> emits (the naming rule: <see cref="ResourceNames"/>).</summary>
public static partial class ResourceNames
{
    public const string Cluster = "eks-cluster";

    public const string KubernetesProvider = "kubernetes-provider";

    public const string NodeGroup = "node-group";

    /// <summary>A group named after the stack keeps the single group's name, so nothing moves when nodeGroup becomes nodeGroups.</summary>
    public static string NodeGroupOf(NodeGroupSpec nodeGroup) => nodeGroup.NamedApart ? Of(NodeGroup, nodeGroup.Name) : NodeGroup;

    public const string ControlPlaneLogGroup = "control-plane-log-group";

    public const string CoreDns = "coredns-addon";

    /// <summary>Service names are AWS's ("ecr.api"), fixed in the model; dots become hyphens.</summary>
}
