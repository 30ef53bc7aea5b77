using Infra.Model;
using Infra.Model.Cluster;
using Infra.Model.Network;

namespace Infra.Emit;

/// <summary>
/// The cluster half: security groups, the EKS cluster, the VPC CNI with custom networking, one
/// ENIConfig per zone, and a managed node group that waits for both.
/// </summary>
internal static class ClusterEmitter
{
    /// <summary>
    /// AWS-managed policies an EKS node needs to join and pull images; the VPC CNI's permissions are
    /// on its own IRSA role (<see cref="LoadBalancerController.VpcCniRole"/>), not on the node.
    /// </summary>
    private static readonly (string Key, string Arn)[] NodePolicies =
    [
        ("worker", "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"),
        ("registry", "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly"),
    ];

    public static void Emit(EnvironmentSpec env, ClusterDesign design, int maxPodsPerNode, ProgramContext program)
    {
        var network = env.Network;
        var groups = SecurityDesign.Build(network, design);
        SecurityGroupEmitter.Emit(env, groups, program);
        EmitNodeRole(env, program);

        var cluster = design.Cluster;
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
            ("createOidcProvider", P.Bool(true)),
            ("enabledClusterLogTypes", P.List(cluster.LogTypes.Select(l => (PValue)P.Text(l)))),
            ("authenticationMode", P.Text("API")),
            // Nodes come only from the managed node group below, after the CNI is configured.
            ("skipDefaultNodeGroup", P.Bool(true)),
            ("skipDefaultSecurityGroups", P.Bool(true)),
            ("clusterSecurityGroup", P.Ref(ResourceNames.SecurityGroup(SecurityDesign.ClusterGroup))),
            // The CNI is managed as its own add-on (vpc-cni) so that nodes can wait for its settings.
            ("useDefaultVpcCni", P.Bool(true)),
            // CoreDNS is its own add-on too, created after the nodes: an add-on created before any
            // node exists stays DEGRADED and the create times out.
            ("corednsAddonOptions", P.Map(("enabled", P.Bool(false)))),
            ("tags", Tags.For(env, cluster.Name, cluster.ReplicaOfEndpoint))));

        // The VPC CNI as the EKS add-on of the aws provider, configured through the add-on's own
        // configurationValues (AWS: "Amazon EKS add-ons: advanced configuration"; the vpc-cni schema
        // takes an `env` map of strings). What is written here is what EKS puts on the aws-node
        // daemonset, with no component computing it in between: eks:VpcCniAddon (pulumi-eks v4.3.0,
        // nodejs/eks/addons/cni-addon.ts computeEnv) writes AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG twice and
        // the second, from `cniCustomNetworkCfg`, wins with "false" unless set, which silently turns
        // custom networking off.
        var cniRole = EmitServiceAccountRole(env, LoadBalancerController.VpcCniRole, program);
        program.Resource(ResourceNames.VpcCni, ResourceTypes.EksAddon, P.Map(
            ("clusterName", P.Ref(ResourceNames.Cluster, "eksCluster.name")),
            ("addonName", P.Text("vpc-cni")),
            ("serviceAccountRoleArn", P.Ref(ResourceNames.ServiceAccountRole(LoadBalancerController.VpcCniRole.Key), "arn")),
            ("configurationValues", P.ToJson(P.Map(("env", P.Map(CniEnvironment(design.Cni).Select(e => (e.Key, (PValue?)P.Text(e.Value)))))))),
            ("resolveConflictsOnCreate", P.Text("OVERWRITE")),
            ("resolveConflictsOnUpdate", P.Text("OVERWRITE")),
            ("tags", Tags.For(env, $"{cluster.Name}-vpc-cni", null))),
            dependsOn: cniRole);

        program.Provider(ResourceNames.KubernetesProvider, ResourceTypes.KubernetesProvider, P.Map(
            ("kubeconfig", P.Ref(ResourceNames.Cluster, "kubeconfigJson")),
            ("enableServerSideApply", P.Bool(true))));

        var waitFor = new List<string> { ResourceNames.VpcCni };
        if (design.Cni.CustomNetworking)
        {
            // Pod interfaces carry the EKS-created cluster group (which admits all traffic from its
            // members: every managed node's primary interface and the control plane) and our node
            // group, as AWS's custom networking tutorial does. Without the cluster group, pods could
            // not reach the kubelet, nodes could not forward NodePort traffic to remote pods and the
            // control plane could not call webhooks on pods.
            var podGroups = P.List(SecurityDesign.PodInterfaceGroups.Select(g => (PValue)SecurityGroupEmitter.GroupId(groups.Single(d => d.Name == g))));
            var eniConfigs = network.Zones.Select(z => z.Value).Order(StringComparer.Ordinal).Select(zone => (PValue)P.Map(
                ("apiVersion", P.Text("crd.k8s.amazonaws.com/v1alpha1")),
                ("kind", P.Text("ENIConfig")),
                // Named after the zone: nodes pick the ENIConfig named by their zone label.
                ("metadata", P.Map(("name", P.Text(zone)))),
                ("spec", P.Map(
                    ("subnet", P.Ref(ResourceNames.Subnet(network.FindSubnet(SubnetRoles.With(ClusterUse.EniConfigs), zone)!), "id")),
                    ("securityGroups", podGroups)))));

            // Pulumi YAML refuses kubernetes:apiextensions.k8s.io:CustomResource (pulumi-yaml v1.38.1,
            // pkg/pulumiyaml/packages.go, kubernetesResourceNames), but accepts the yaml/v2 ConfigGroup
            // component, which applies arbitrary objects given in `objs`. Depending on it waits for
            // every object it creates: a dependency on a remote (multi-language) component waits on all
            // of its children (pulumi/pulumi#7541, #7542).
            program.Resource(
                ResourceNames.EniConfigs,
                ResourceTypes.ConfigGroup,
                P.Map(("objs", P.List(eniConfigs))),
                dependsOn: [ResourceNames.VpcCni],
                provider: ResourceNames.KubernetesProvider);
            waitFor.Add(ResourceNames.EniConfigs);
        }

        waitFor.AddRange(NodePolicies.Select(p => ResourceNames.NodeRolePolicy(p.Key)));
        if (design.Bootstrap?.NodeEgress == NodeEgress.VpcEndpoints)
        {
            waitFor.AddRange(EmitVpcEndpoints(env, program));
        }
        var nodeGroup = design.NodeGroup;
        program.Resource(
            ResourceNames.NodeGroup,
            ResourceTypes.ManagedNodeGroup,
            P.Map(
                ("cluster", P.Ref(ResourceNames.Cluster)),
                ("nodeGroupNamePrefix", P.Text(cluster.NodeGroupNamePrefix)),
                ("nodeRoleArn", P.Ref(ResourceNames.NodeRole, "arn")),
                ("subnetIds", SubnetIds()),
                ("instanceTypes", P.List(nodeGroup.InstanceTypes.Select(t => (PValue)P.Text(t.Value)))),
                ("operatingSystem", P.Text("AL2023")),
                ("scalingConfig", P.Map(
                    ("minSize", P.Number(nodeGroup.MinSize)),
                    ("desiredSize", P.Number(nodeGroup.DesiredSize)),
                    ("maxSize", P.Number(nodeGroup.MaxSize)))),
                // The AWS-computed default assumes pods on every ENI; custom networking with prefix
                // delegation changes that, so the value is worked out from the ENI limits.
                ("kubeletExtraArgs", P.Text($"--max-pods={maxPodsPerNode}")),
                ("tags", Tags.For(env, $"{cluster.Name}-nodes", null))),
            dependsOn: waitFor);

        program.Resource(
            ResourceNames.CoreDns,
            ResourceTypes.EksAddon,
            P.Map(
                ("clusterName", P.Ref(ResourceNames.Cluster, "eksCluster.name")),
                ("addonName", P.Text("coredns")),
                // Takes over the self-managed CoreDNS that EKS installs with the cluster.
                ("resolveConflictsOnCreate", P.Text("OVERWRITE")),
                ("resolveConflictsOnUpdate", P.Text("OVERWRITE")),
                ("tags", Tags.For(env, $"{cluster.Name}-coredns", null))),
            dependsOn: [ResourceNames.NodeGroup]);

        if (design.LoadBalancerController is { } controller)
        {
            EmitLoadBalancerController(env, controller, program);
        }

        var nodeGroupOf = groups.Single(g => g.Role == SecurityGroupRole.Nodes);
        program.Output("clusterName", P.Ref(ResourceNames.Cluster, "eksCluster.name"));
        program.Output("clusterEndpoint", P.Ref(ResourceNames.Cluster, "eksCluster.endpoint"));
        program.Output("kubeconfig", P.Secret(P.Ref(ResourceNames.Cluster, "kubeconfigJson")));
        program.Output("oidcProviderArn", P.Ref(ResourceNames.Cluster, "oidcProviderArn"));
        program.Output("clusterSecurityGroupId", P.Ref(ResourceNames.SecurityGroup(SecurityDesign.ClusterGroup), "id"));
        program.Output("eksManagedSecurityGroupId", P.Ref(ResourceNames.Cluster, "eksCluster.vpcConfig.clusterSecurityGroupId"));
        program.Output("nodeSecurityGroupId", P.Ref(ResourceNames.SecurityGroup(nodeGroupOf.Name), "id"));
        program.Output("loadBalancerSecurityGroupIds", P.Map(groups
            .Where(g => g.Role == SecurityGroupRole.LoadBalancer)
            .Select(g => (g.Name, (PValue?)P.Ref(ResourceNames.SecurityGroup(g.Name), "id")))));
        if (design.LoadBalancerController is not null)
        {
            // What an application's Ingress carries so the controller builds its internal ALB with
            // the application's own security group, targeting NodePorts (which the EKS-created
            // cluster group admits from every load balancer group; see SecurityDesign).
            program.Output("ingressAnnotations", P.Map(design.Applications
                .OrderBy(app => app.Name, StringComparer.Ordinal)
                .Select(app => (app.Name, (PValue?)P.Map(
                    ("alb.ingress.kubernetes.io/scheme", P.Text("internal")),
                    ("alb.ingress.kubernetes.io/target-type", P.Text("instance")),
                    ("alb.ingress.kubernetes.io/security-groups", P.Ref(ResourceNames.SecurityGroup(SecurityDesign.LoadBalancerGroup(app.Name)), "id")))))));
            program.Output("loadBalancerControllerRoleArn", P.Ref(ResourceNames.ServiceAccountRole(LoadBalancerController.Role.Key), "arn"));
        }

        program.Output("maxPodsPerNode", P.Number(maxPodsPerNode));
    }

    /// <summary>
    /// The controller as its Helm release (Pulumi YAML refuses the Helm Chart types: pulumi-yaml
    /// v1.38.1, pkg/pulumiyaml/packages.go, helmResourceNames), installed once nodes exist to run it,
    /// with the cluster name, region and VPC id it would otherwise look up from instance metadata.
    /// </summary>
    private static void EmitLoadBalancerController(EnvironmentSpec env, LoadBalancerControllerSpec controller, ProgramContext program)
    {
        var role = LoadBalancerController.Role;
        var roleResources = EmitServiceAccountRole(env, role, program);
        program.Resource(
            ResourceNames.LoadBalancerController,
            ResourceTypes.HelmRelease,
            P.Map(
                ("name", P.Text(LoadBalancerController.Chart)),
                ("chart", P.Text(LoadBalancerController.Chart)),
                ("version", P.Text(controller.ChartVersion)),
                ("namespace", P.Text(role.Namespace)),
                ("repositoryOpts", P.Map(("repo", P.Text(controller.ChartRepository)))),
                ("values", P.Map(
                    ("clusterName", P.Ref(ResourceNames.Cluster, "eksCluster.name")),
                    ("region", P.Text(env.Network.Region)),
                    ("vpcId", P.Ref(ResourceNames.Vpc, "id")),
                    ("serviceAccount", P.Map(
                        ("create", P.Bool(true)),
                        ("name", P.Text(role.ServiceAccount)),
                        ("annotations", P.Map(("eks.amazonaws.com/role-arn", P.Ref(ResourceNames.ServiceAccountRole(role.Key), "arn"))))))))),
            dependsOn: [ResourceNames.NodeGroup, .. roleResources],
            provider: ResourceNames.KubernetesProvider);
    }

    /// <summary>
    /// An IAM role that only the given service account of this cluster can assume, through the
    /// cluster's OIDC provider (EKS User Guide, "Assign IAM roles to Kubernetes service accounts":
    /// the trust policy's `sub` and `aud` conditions on the issuer). Returns the names of the role
    /// and its policies, which whatever runs as the account must wait for.
    /// </summary>
    private static IReadOnlyList<string> EmitServiceAccountRole(EnvironmentSpec env, ServiceAccountRole role, ProgramContext program)
    {
        var name = ResourceNames.ServiceAccountRole(role.Key);
        var issuer = P.Ref(ResourceNames.Cluster, "oidcIssuer");
        // Condition keys name the issuer; Pulumi YAML evaluates object keys as expressions
        // (pulumi-yaml v1.38.1, pkg/pulumiyaml/run.go, evaluateObject), so the key is interpolated.
        program.Resource(name, ResourceTypes.IamRole, P.Map(
            ("assumeRolePolicy", P.ToJson(P.Map(
                ("Version", P.Text("2012-10-17")),
                ("Statement", P.List(P.Map(
                    ("Effect", P.Text("Allow")),
                    ("Principal", P.Map(("Federated", P.Ref(ResourceNames.Cluster, "oidcProviderArn")))),
                    ("Action", P.Text("sts:AssumeRoleWithWebIdentity")),
                    ("Condition", P.Map(("StringEquals", P.Map(
                        (P.Concat(issuer, P.Text(":sub")).Value, P.Text(role.Subject)),
                        (P.Concat(issuer, P.Text(":aud")).Value, P.Text("sts.amazonaws.com")))))))))))),
            ("tags", Tags.For(env, $"{env.Prefix}-{role.Key}", null))));
        var names = new List<string> { name };
        foreach (var arn in role.ManagedPolicyArns)
        {
            var attachment = ResourceNames.ServiceAccountRolePolicy(role.Key, arn.Split('/')[^1]);
            program.Resource(attachment, ResourceTypes.IamRolePolicyAttachment, P.Map(
                ("role", P.Ref(name, "name")),
                ("policyArn", P.Text(arn))));
            names.Add(attachment);
        }

        if (role.InlineStatements.Count > 0)
        {
            var inline = ResourceNames.ServiceAccountRolePolicy(role.Key, "inline");
            program.Resource(inline, ResourceTypes.IamRolePolicy, P.Map(
                ("role", P.Ref(name, "name")),
                ("policy", P.ToJson(P.Map(
                    ("Version", P.Text("2012-10-17")),
                    ("Statement", P.List(role.InlineStatements.Select(PolicyStatement))))))));
            names.Add(inline);
        }

        return names;
    }

    private static PValue PolicyStatement(IamStatement statement)
    {
        static PValue OneOrMany(IReadOnlyList<string> values) =>
            values.Count == 1 ? Value(values[0]) : P.List(values.Select(Value));

        static PValue Value(string value) =>
            value == IamCondition.ThisVpcArn ? P.Ref(ResourceNames.Vpc, "arn") : P.Text(value);

        return P.Map(
            ("Sid", P.Text(statement.Sid)),
            ("Effect", P.Text("Allow")),
            ("Action", OneOrMany(statement.Actions)),
            ("Resource", OneOrMany(statement.Resources)),
            ("Condition", statement.Conditions.Count == 0 ? null : P.Map(statement.Conditions
                .GroupBy(c => c.Operator, StringComparer.Ordinal)
                .Select(g => (g.Key, (PValue?)P.Map(g.Select(c => (c.Key, (PValue?)OneOrMany(c.Values)))))))));
    }

    /// <summary>
    /// The aws-node environment the add-on sets: custom networking always stated (true or false), the
    /// label that picks a node's ENIConfig, and prefix delegation with one warm prefix.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> CniEnvironment(CniSpec cni)
    {
        var envVars = new List<KeyValuePair<string, string>> { new("AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG", cni.CustomNetworking ? "true" : "false") };
        if (cni.CustomNetworking)
        {
            envVars.Add(new("ENI_CONFIG_LABEL_DEF", cni.EniConfigLabel));
        }

        envVars.Add(new("ENABLE_PREFIX_DELEGATION", cni.PrefixDelegation ? "true" : "false"));
        if (cni.PrefixDelegation)
        {
            envVars.Add(new("WARM_PREFIX_TARGET", "1"));
        }

        return envVars;
    }

    /// <summary>
    /// The VPC endpoints nodes need to join without internet egress (NodeBootstrap): interface
    /// endpoints with private DNS in the node subnets, and the S3 gateway endpoint on the node
    /// subnets' route tables. Returns the names the node group waits for.
    /// </summary>
    private static IReadOnlyList<string> EmitVpcEndpoints(EnvironmentSpec env, ProgramContext program)
    {
        var network = env.Network;
        SecurityGroupEmitter.Emit(env, [SecurityDesign.VpcEndpoints(network)], program);
        var nodeSubnets = network.SubnetsOf(SubnetRoles.With(ClusterUse.ClusterAndNodes)).ToList();
        var names = new List<string>();
        foreach (var service in NodeBootstrap.InterfaceEndpointServices)
        {
            var name = ResourceNames.VpcEndpoint(service);
            program.Resource(name, ResourceTypes.VpcEndpoint, P.Map(
                ("vpcId", P.Ref(ResourceNames.Vpc, "id")),
                ("serviceName", P.Text($"com.amazonaws.{network.Region}.{service}")),
                ("vpcEndpointType", P.Text("Interface")),
                ("privateDnsEnabled", P.Bool(true)),
                ("subnetIds", P.List(nodeSubnets.Select(s => (PValue)P.Ref(ResourceNames.Subnet(s), "id")))),
                ("securityGroupIds", P.List(P.Ref(ResourceNames.SecurityGroup(SecurityDesign.VpcEndpointGroup), "id"))),
                ("tags", Tags.For(env, $"{network.Vpc.Name}-{service}", null))));
            names.Add(name);
        }

        var tables = nodeSubnets.Select(network.RouteTableOf).OfType<RouteTableSpec>().Distinct().OrderBy(t => t.Name, StringComparer.Ordinal);
        var s3 = ResourceNames.VpcEndpoint(NodeBootstrap.GatewayEndpointService);
        program.Resource(s3, ResourceTypes.VpcEndpoint, P.Map(
            ("vpcId", P.Ref(ResourceNames.Vpc, "id")),
            ("serviceName", P.Text($"com.amazonaws.{network.Region}.{NodeBootstrap.GatewayEndpointService}")),
            ("vpcEndpointType", P.Text("Gateway")),
            ("routeTableIds", P.List(tables.Select(t => (PValue)P.Ref(ResourceNames.RouteTable(t), "id")))),
            ("tags", Tags.For(env, $"{network.Vpc.Name}-{NodeBootstrap.GatewayEndpointService}", null))));
        names.Add(s3);
        return names;
    }

    private static void EmitNodeRole(EnvironmentSpec env, ProgramContext program)
    {
        program.Resource(ResourceNames.NodeRole, ResourceTypes.IamRole, P.Map(
            ("assumeRolePolicy", P.ToJson(P.Map(
                ("Version", P.Text("2012-10-17")),
                ("Statement", P.List(P.Map(
                    ("Effect", P.Text("Allow")),
                    ("Principal", P.Map(("Service", P.Text("ec2.amazonaws.com")))),
                    ("Action", P.Text("sts:AssumeRole")))))))),
            ("tags", Tags.For(env, $"{env.Prefix}-node-role", null))));
        foreach (var (key, arn) in NodePolicies)
        {
            program.Resource(ResourceNames.NodeRolePolicy(key), ResourceTypes.IamRolePolicyAttachment, P.Map(
                ("role", P.Ref(ResourceNames.NodeRole, "name")),
                ("policyArn", P.Text(arn))));
        }
    }
}
