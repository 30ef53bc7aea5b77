namespace Infra.StackConfig;

/// <summary>The cluster, nodeGroup and bootstrap keys, and the cluster design they make together.</summary>
public static partial class StackConfigReader
{
    private static ClusterDesign? ReadCluster(Func<string, ConfigNode> key)
    {
        // Every key is read before giving up on a part (even when cluster is no mapping), so one run
        // reports every mistake.
        var cluster = ReadClusterSpec(key("cluster"));
        var cni = ReadCni(key("cni"));
        var nodeGroup = ReadNodeGroup(key("nodeGroup"));
        var apps = ReadLoadBalancers(key("loadBalancers"));
        var bootstrap = ReadBootstrap(key("bootstrap"));
        var controller = ReadLoadBalancerController(key("loadBalancerController"));
        return cluster is null || nodeGroup is null
            ? null
            : new ClusterDesign(cluster, cni, nodeGroup, apps) { Bootstrap = bootstrap, LoadBalancerController = controller };
    }

    private static ClusterSpec? ReadClusterSpec(ConfigNode clusterNode)
    {
        if (!clusterNode.IsObject())
        {
            return null;
        }

        var name = clusterNode.Child("name").String();
        var version = clusterNode.Child("kubernetesVersion").String();
        var serviceCidr = clusterNode.Child("serviceCidr").Cidr();
        var endpointNode = clusterNode.Child("endpoint");
        EndpointAccess? endpoint = null;
        if (endpointNode.IsObject())
        {
            endpoint = new EndpointAccess(
                endpointNode.Child("publicAccess").Bool() ?? true,
                endpointNode.Child("privateAccess").Bool() ?? false,
                endpointNode.Child("publicAccessCidrs").Cidrs(required: false));
            endpointNode.RejectUnknownKeys();
        }

        var logTypes = clusterNode.Child("logTypes").Strings(required: false).Select(l => l.Value).ToList();
        var retentionNode = clusterNode.Child("logRetentionDays");
        var retention = retentionNode.Int(ClusterSpec.DefaultLogRetentionDays);
        if (retention is { } days && !ClusterSpec.LogRetentionChoices.Contains(days))
        {
            retentionNode.Problem($"CloudWatch Logs keeps logs for one of {string.Join(", ", ClusterSpec.LogRetentionChoices)} days");
        }

        var keyNode = clusterNode.Child("secretsKmsKeyArn");
        var keyArn = keyNode.String(required: false);
        if (keyArn is not null && !System.Text.RegularExpressions.Regex.IsMatch(keyArn, @"^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]{36}$"))
        {
            keyNode.Problem("expected a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID); an alias cannot be used for EKS secrets encryption");
            keyArn = null;
        }

        var entries = new List<AccessEntrySpec>();
        foreach (var (entryName, entryNode) in clusterNode.Child("accessEntries").Entries(required: false))
        {
            if (!entryNode.IsObject())
            {
                continue;
            }

            var principalNode = entryNode.Child("principalArn");
            var principal = principalNode.String();
            var policyNode = entryNode.Child("policy");
            var policy = policyNode.String();
            var namespaces = entryNode.Child("namespaces").Strings(required: false).Select(n => n.Value).ToList();
            entryNode.RejectUnknownKeys();
            if (principal is not null && !System.Text.RegularExpressions.Regex.IsMatch(principal, AccessEntrySpec.PrincipalPattern))
            {
                principalNode.Problem("expected an IAM role or user ARN (arn:aws:iam::ACCOUNT:role/NAME)");
                principal = null;
            }

            if (policy is not null && !AccessEntrySpec.AccessPolicies.ContainsKey(policy))
            {
                policyNode.Problem($"expected one of {string.Join(", ", AccessEntrySpec.AccessPolicies.Keys)}");
                policy = null;
            }

            if (principal is not null && policy is not null)
            {
                entries.Add(new AccessEntrySpec(entryName, new Located<string>(principal, principalNode.At), new Located<string>(policy, policyNode.At), namespaces, entryNode.At));
            }
        }

        var addons = AddonVersions.None;
        var addonsNode = clusterNode.Child("addonVersions");
        if (addonsNode.IsObject(required: false))
        {
            Located<string>? Version(string key)
            {
                var node = addonsNode.Child(key);
                var text = node.String(required: false);
                return text is null ? null : new Located<string>(text, node.At);
            }

            addons = new AddonVersions(Version("vpcCni"), Version("coreDns"), Version("kubeProxy"));
            addonsNode.RejectUnknownKeys();
        }

        var replicaNode = clusterNode.Child("replicaOf");
        string? replicaSg = null, replicaEndpoint = null;
        if (replicaNode.IsObject(required: false))
        {
            replicaSg = replicaNode.Child("securityGroup").String(required: false);
            replicaEndpoint = replicaNode.Child("endpoint").String(required: false);
            replicaNode.RejectUnknownKeys();
        }

        clusterNode.RejectUnknownKeys();
        return name is null || version is null || serviceCidr is null || endpoint is null
            ? null
            : new ClusterSpec(name, version, serviceCidr, endpoint, logTypes, replicaSg, replicaEndpoint, clusterNode.At) { Addons = addons, AccessEntries = entries, LogRetentionDays = retention ?? ClusterSpec.DefaultLogRetentionDays, SecretsKeyArn = keyArn is null ? null : new Located<string>(keyArn, keyNode.At) };
    }

    private static NodeGroupSpec? ReadNodeGroup(ConfigNode nodeGroupNode)
    {
        NodeGroupSpec? nodeGroup = null;
        if (nodeGroupNode.IsObject())
        {
            var types = nodeGroupNode.Child("instanceTypes").Strings();
            var min = nodeGroupNode.Child("minSize").Int();
            var desired = nodeGroupNode.Child("desiredSize").Int();
            var max = nodeGroupNode.Child("maxSize").Int();
            // Absent: AWS's rule by vCPU count (MaxPods.AwsCap).
            var capNode = nodeGroupNode.Child("maxPodsCap");
            var cap = capNode.Value is null ? null : capNode.Int();
            var amiNode = nodeGroupNode.Child("amiReleaseVersion");
            var ami = amiNode.String(required: false);
            var volumeNode = nodeGroupNode.Child("rootVolume");
            RootVolumeSpec? volume = new(RootVolumeSpec.DefaultSizeGiB, RootVolumeSpec.DefaultType);
            if (volumeNode.IsObject(required: false))
            {
                var size = volumeNode.Child("sizeGiB").Int(RootVolumeSpec.DefaultSizeGiB);
                var volumeType = volumeNode.Child("type").String();
                volumeNode.RejectUnknownKeys();
                volume = size is null || volumeType is null ? null : new RootVolumeSpec(size.Value, volumeType);
            }

            var replica = nodeGroupNode.Child("replicaOf");
            string? replicaNodeSg = null;
            if (replica.IsObject(required: false))
            {
                replicaNodeSg = replica.Child("securityGroup").String(required: false);
                replica.RejectUnknownKeys();
            }

            nodeGroupNode.RejectUnknownKeys();
            if (min is not null && desired is not null && max is not null && (cap is not null || capNode.Value is null) && volume is not null)
            {
                nodeGroup = new NodeGroupSpec(types, min.Value, desired.Value, max.Value, cap, replicaNodeSg, nodeGroupNode.At)
                {
                    AmiReleaseVersion = ami is null ? null : new Located<string>(ami, amiNode.At),
                    RootVolume = volume,
                };
            }
        }

        return nodeGroup;
    }

    private static BootstrapSpec? ReadBootstrap(ConfigNode bootstrapNode)
    {
        BootstrapSpec? bootstrap = null;
        if (bootstrapNode.IsObject(required: false))
        {
            var egressNode = bootstrapNode.Child("nodeEgress");
            var egress = egressNode.String();
            bootstrapNode.RejectUnknownKeys();
            switch (egress)
            {
                case "gateways":
                    bootstrap = new BootstrapSpec(NodeEgress.Gateways, bootstrapNode.At);
                    break;
                case "vpcEndpoints":
                    bootstrap = new BootstrapSpec(NodeEgress.VpcEndpoints, bootstrapNode.At);
                    break;
                case not null:
                    egressNode.Problem("expected gateways (the routed appliances already forward) or vpcEndpoints (the stack creates VPC endpoints for the nodes)");
                    break;
            }
        }

        return bootstrap;
    }
}
