namespace Infra.Emit;

/// <summary>The cni concern: the VPC CNI add-on (custom networking, prefix delegation) and the ENIConfigs.</summary>
internal static class CniEmitter
{
    /// <summary>The vpc-cni add-on with its IRSA role and the aws-node environment.</summary>
    public static void EmitAddon(ValidatedEnvironment env, ClusterDesign design, ProgramContext program)
    {
        var cluster = design.Cluster;
        // The VPC CNI as the EKS add-on of the aws provider, configured through the add-on's own
        // configurationValues (AWS: "Amazon EKS add-ons: advanced configuration"; the vpc-cni schema
        // takes an `env` map of strings). What is written here is what EKS puts on the aws-node
        // daemonset, with no component computing it in between: eks:VpcCniAddon (pulumi-eks v4.3.0,
        // nodejs/eks/addons/cni-addon.ts computeEnv) writes AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG twice and
        // the second, from `cniCustomNetworkCfg`, wins with "false" unless set, which silently turns
        // custom networking off.
        var cniRole = SecurityEmitter.EmitServiceAccountRole(env, VpcCni.Role, program);
        program.Resource(ResourceNames.VpcCni, ResourceTypes.EksAddon, P.Map(
            ("clusterName", P.Ref(ResourceNames.Cluster, "eksCluster.name")),
            ("addonName", P.Text("vpc-cni")),
            ("addonVersion", cluster.Addons.VpcCni is { } version ? P.Text(version.Value) : null),
            ("serviceAccountRoleArn", P.Ref(ResourceNames.ServiceAccountRole(VpcCni.Role.Key), "arn")),
            ("configurationValues", P.ToJson(P.Map(("env", P.Map(CniEnvironment(design.Cni).Select(e => (e.Key, (PValue?)P.Text(e.Value)))))))),
            ("resolveConflictsOnCreate", P.Text("OVERWRITE")),
            ("resolveConflictsOnUpdate", P.Text("OVERWRITE")),
            ("tags", Tags.For(env, $"{cluster.Name}-vpc-cni", null))),
            dependsOn: cniRole);
    }

    /// <summary>One ENIConfig per zone (custom networking); returns what the node group must wait for besides the add-on.</summary>
    public static IReadOnlyList<string> EmitEniConfigs(ValidatedEnvironment env, ClusterDesign design, IReadOnlyList<SecurityGroupDesign> groups, ProgramContext program)
    {
        var network = env.Network;
        if (!design.Cni.CustomNetworking)
        {
            return [];
        }

        // Pod interfaces carry the EKS-created cluster group (which admits all traffic from its
        // members: every managed node's primary interface and the control plane) and our node
        // group, as AWS's custom networking tutorial does. Without the cluster group, pods could
        // not reach the kubelet, nodes could not forward NodePort traffic to remote pods and the
        // control plane could not call webhooks on pods.
        var podGroups = P.List(SecurityDesign.PodInterfaceGroups.Select(g => (PValue)SecurityEmitter.GroupId(groups.Single(d => d.Name == g))));
        var eniConfigs = network.Zones.Select(z => z.Value).Order(StringComparer.Ordinal).Select(zone => (PValue)P.Map(
            ("apiVersion", P.Text("crd.k8s.amazonaws.com/v1alpha1")),
            ("kind", P.Text("ENIConfig")),
            // Named after the zone: nodes pick the ENIConfig named by their zone label.
            ("metadata", P.Map(("name", P.Text(zone)))),
            ("spec", P.Map(
                ("subnet", P.Ref(ResourceNames.Subnet(env.EniConfigSubnet(zone)), "id")),
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
        return [ResourceNames.EniConfigs];
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
}

/// <summary>The names of what <see cref="CniEmitter"/> emits (the naming rule: <see cref="ResourceNames"/>).</summary>
public static partial class ResourceNames
{
    public const string VpcCni = "vpc-cni-addon";

    public const string EniConfigs = "eni-configs";
}
