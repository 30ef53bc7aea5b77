using Infra.Emit;

namespace Infra.Review;

/// <summary>check's cluster rules: INFRA003 (public endpoint open to all), INFRA007 (service CIDR inside a routed network), INFRA008 (nodes cannot join).</summary>
public static partial class PolicyCheck
{
    private static void CheckEndpoint(ValidatedEnvironment env, ProgramSnapshot program, List<Finding> findings)
    {
        var endpointKey = env.Cluster?.Cluster.At.Child("endpoint").Child("publicAccessCidrs").Path;
        // The eks component and the aws provider's own cluster resource both default to a public endpoint.
        var clusters = program.OfType(ResourceTypes.EksCluster).Select(c => (c.Name, Public: c["endpointPublicAccess"], Prefix: "publicAccessCidrs["))
            .Concat(program.OfType(ResourceTypes.AwsEksCluster).Select(c => (c.Name, Public: c["vpcConfig.endpointPublicAccess"], Prefix: "vpcConfig.publicAccessCidrs[")));
        foreach (var (name, publicAccess, prefix) in clusters)
        {
            if (program.Find(name) is not { } resource)
            {
                continue;
            }

            var cidrs = resource.Properties.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(kv => kv.Value).ToList();
            if (publicAccess != "false" && (cidrs.Count == 0 || cidrs.Any(IsAnywhereSource)))
            {
                var fix = env.Cluster?.Cluster.Endpoint.PrivateAccess == true
                    ? "List the corporate egress ranges in cluster.endpoint.publicAccessCidrs, or set cluster.endpoint.publicAccess: false and reach the API over the private endpoint (private access is already on)."
                    : "List the corporate egress ranges in cluster.endpoint.publicAccessCidrs, or turn on private access and reach the API over the Aviatrix network.";
                findings.Add(Found("INFRA003", name, "The Kubernetes API endpoint is public and open to 0.0.0.0/0.", fix, endpointKey));
            }
        }
    }

    /// <summary>INFRA011: each version AWS may change that the stack leaves to float.</summary>
    private static void CheckPinnedVersions(ValidatedEnvironment env, List<Finding> findings)
    {
        if (env.Cluster is not { } design)
        {
            return;
        }

        var cluster = design.Cluster;
        var addons = cluster.At.Child("addonVersions");
        foreach (var nodeGroup in design.NodeGroups.Where(g => g.AmiReleaseVersion is null))
        {
            var key = nodeGroup.At.Child("amiReleaseVersion").Path;
            findings.Add(Found("INFRA011", ResourceNames.NodeLaunchTemplateOf(nodeGroup),
                "The node AMI follows SSM's current recommendation: an AMI release replaces every node at the next `pulumi up`, whatever it was for.",
                $"Set {key} to the release in use: aws ssm get-parameter --name /aws/service/eks/optimized-ami/{nodeGroup.KubernetesVersionWith(cluster)}/amazon-linux-2023/x86_64/standard/recommended/release_version --query Parameter.Value --output text",
                key));
        }

        foreach (var (key, addon, resource, version) in new[]
        {
            ("vpcCni", "vpc-cni", ResourceNames.VpcCni, cluster.Addons.VpcCni),
            ("coreDns", "coredns", ResourceNames.CoreDns, cluster.Addons.CoreDns),
            ("kubeProxy", "kube-proxy", ResourceNames.Cluster, cluster.Addons.KubeProxy),
        })
        {
            if (version is null)
            {
                findings.Add(Found("INFRA011", resource,
                    $"The {addon} add-on's version is left to EKS: a new default (or, for kube-proxy, the most recent version) changes it at the next `pulumi up`.",
                    $"Set cluster.addonVersions.{key}: aws eks describe-addon-versions --addon-name {addon} --kubernetes-version {cluster.KubernetesVersion} --query 'addons[0].addonVersions[0].addonVersion' --output text",
                    addons.Child(key).Path));
            }
        }
    }

    /// <summary>
    /// INFRA014: a version past the end of standard support, billed at the extended rate, judged by
    /// the version catalogue (src/Infra.Model/Versions/kubernetes-versions.csv, EKS's calendar); the
    /// fix names the newest version in standard support and how long it stays there.
    /// </summary>
    private static void CheckSupportWindow(ValidatedEnvironment env, DateOnly today, List<Finding> findings)
    {
        var catalogue = VersionCatalogue.Embedded;
        if (env.Cluster?.Cluster is not { } cluster || catalogue.Release(cluster.KubernetesVersion) is not { } window || window.EndOfStandardSupport >= today)
        {
            return;
        }

        var target = catalogue.NewestInStandardSupport(today);
        var extended = window.EndOfExtendedSupport >= today
            ? $"is in extended support until {window.EndOfExtendedSupport:yyyy-MM-dd}, billed at the extended rate"
            : $"left extended support on {window.EndOfExtendedSupport:yyyy-MM-dd}: EKS upgrades such a cluster itself";
        findings.Add(Found("INFRA014", ResourceNames.Cluster,
            $"Kubernetes {cluster.KubernetesVersion} left EKS standard support on {window.EndOfStandardSupport:yyyy-MM-dd} and {extended}.",
            target is null
                ? $"The version catalogue lists no version in standard support on {today:yyyy-MM-dd}: refresh src/Infra.Model/Versions (README, \"Version catalogue\")."
                : $"Move to {target.Version} (in standard support until {target.EndOfStandardSupport:yyyy-MM-dd}) one minor at a time: `infra upgrade --stack {env.Spec.Stack} --to {target.Version}` plans each hop with its add-on versions, AMI release and controller chart.",
            cluster.At.Child("kubernetesVersion").Path));
    }

    /// <summary>When INFRA014 will first speak for the stack's version (null: it speaks already, or the catalogue does not know the version).</summary>
    public static DateOnly? SupportWarningFrom(ValidatedEnvironment env, DateOnly today) =>
        env.Cluster?.Cluster is { } cluster && VersionCatalogue.Embedded.Release(cluster.KubernetesVersion) is { } window && window.EndOfStandardSupport >= today
            ? window.EndOfStandardSupport.AddDays(1)
            : null;

    /// <summary>INFRA013: nobody but the cluster's creator can use it.</summary>
    private static void CheckAccessEntries(ValidatedEnvironment env, List<Finding> findings)
    {
        if (env.Cluster?.Cluster is { AccessEntries.Count: 0 } cluster)
        {
            findings.Add(Found("INFRA013", ResourceNames.Cluster,
                "No access entries: with authenticationMode API only the identity that created the cluster can use it, so CI or a teammate running the next `pulumi up` gets Unauthorized from the kubernetes provider.",
                "Add cluster.accessEntries for the CI role and the platform team's role (principalArn, policy clusterAdmin/admin/edit/view, optional namespaces).",
                cluster.At.Child("accessEntries").Path));
        }
    }

    /// <summary>INFRA012: public endpoint access only from ranges no internet client comes from.</summary>
    private static void CheckPublicAccessRanges(ValidatedEnvironment env, List<Finding> findings)
    {
        if (env.Cluster?.Cluster is not { Endpoint.PublicAccess: true } cluster)
        {
            return;
        }

        foreach (var block in cluster.Endpoint.PublicAccessCidrs)
        {
            if (SpecialPurposeRanges.NotInternetRoutable(block.Value) is { } what)
            {
                findings.Add(Found("INFRA012", ResourceNames.Cluster,
                    $"The public API endpoint admits {block.Value}, but {what}: no machine reaches the endpoint from it over the internet, so the machine running `pulumi up` cannot either.",
                    "List the public egress ranges of the machines that run Pulumi and kubectl.",
                    block.At.Path));
            }
        }
    }

    private static void CheckServiceCidr(ValidatedEnvironment env, List<Finding> findings)
    {
        if (env.Cluster is not { } design)
        {
            return;
        }

        var service = design.Cluster.ServiceCidr.Value;
        foreach (var table in env.Network.RouteTables)
        {
            foreach (var route in table.Routes.Where(r => r.Destination.PrefixLength > 0 && r.Destination.Overlaps(service)))
            {
                findings.Add(Found("INFRA007", ResourceNames.Route(table, route.Destination),
                    $"The service CIDR {service} lies inside {route.Destination}, routed by {table.Name} to {route.Target}: pods cannot reach hosts of that network whose addresses collide with service IPs.",
                    "Pick a service CIDR that no corporate route names, or make sure no host the pods must reach uses addresses in it.",
                    design.Cluster.ServiceCidr.At.Path));
            }
        }
    }

    private static void CheckBootstrap(ValidatedEnvironment env, List<Finding> findings)
    {
        foreach (var gap in NodeBootstrap.WorkloadGaps(env.Spec))
        {
            findings.Add(Found("INFRA008", gap.Workload.Name,
                $"{gap.Workload.Name} cannot reach {gap.Unreachable} while the bootstrap phase lasts: {gap.Why}. Its pods would not start (a Helm release fails after its 300 s wait).",
                "Pull the image from the region's EKS registry (leave loadBalancerController.imageRepository out), or install it once the gateways forward.",
                gap.At.Path));
        }

        foreach (var gap in NodeBootstrap.Gaps(env.Spec))
        {
            findings.Add(Found("INFRA008", ResourceNames.Subnet(gap.Subnet),
                $"Nodes in {gap.Subnet.Key} cannot reach {gap.Unreachable} while the node group is created: {gap.Why}. The node group would fail after about 20 minutes.",
                "Set leadertools:bootstrap.nodeEgress to vpcEndpoints (with cluster.endpoint.privateAccess: true), give the node subnets a NAT gateway default route, or set nodeEgress: gateways once the appliances forward.",
                env.Cluster?.Bootstrap?.At.Path ?? gap.Subnet.EntryAt.Path));
        }
    }
}
