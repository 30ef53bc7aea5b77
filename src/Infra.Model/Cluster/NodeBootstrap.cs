namespace Infra.Model.Cluster;

/// <summary>How joining nodes reach the API server and AWS services while the node group is created.</summary>
public enum NodeEgress
{
    /// <summary>
    /// Through the route tables as configured: the user states that every appliance they route to
    /// already forwards (for example the Aviatrix spoke gateways are attached and up).
    /// </summary>
    Gateways,

    /// <summary>
    /// Through VPC endpoints this stack creates in the node subnets (interface endpoints for the
    /// services below, a gateway endpoint for S3), whatever the default route does.
    /// </summary>
    VpcEndpoints,
}

public sealed record BootstrapSpec(NodeEgress NodeEgress, Origin At);

/// <summary>What a node subnet cannot reach when the node group is created, and why.</summary>
public sealed record BootstrapGap(SubnetSpec Subnet, string Unreachable, string Why);

/// <summary>Something a workload the stack installs cannot reach in the bootstrap phase, and the key that decides it.</summary>
public sealed record WorkloadGap(Workload Workload, string Unreachable, string Why, Origin At);

/// <summary>
/// A workload the stack installs on the nodes: the registries it pulls images from and the AWS
/// services it calls (by endpoint service name) as it starts.
/// </summary>
/// <param name="InstalledBy">The config key that installs or configures it (where a finding points).</param>
public sealed record Workload(string Name, IReadOnlyList<string> ImageRepositories, IReadOnlyList<string> AwsServices, Origin InstalledBy);

/// <summary>
/// A managed node joins only if, at creation, it reaches the API server (to register), ECR and S3
/// (to pull the pause, aws-node and kube-proxy images), STS and EC2 (the VPC CNI attaches ENIs);
/// otherwise the node group fails after about 20 minutes (EKS User Guide, "Deploy private clusters
/// with limited internet access", which lists the VPC endpoints a node needs).
/// </summary>
public static class NodeBootstrap
{
    /// <summary>Interface endpoints (com.amazonaws.REGION.SERVICE) nodes need without internet egress.</summary>
    /// <remarks>ssm, ssmmessages and ec2messages carry Session Manager, the way onto a node without SSH
    /// (Systems Manager User Guide, "Use VPC endpoints to improve the security of EC2 instances").</remarks>
    public static IReadOnlyList<string> InterfaceEndpointServices { get; } = ["ec2", "ecr.api", "ecr.dkr", "sts", "elasticloadbalancing", "ssm", "ssmmessages", "ec2messages"];

    /// <summary>The gateway endpoint: ECR keeps image layers in S3.</summary>
    public const string GatewayEndpointService = "s3";

    /// <summary>
    /// The route tables the gateway endpoint is attached to: those of the node subnets. AWS adds to
    /// each a route from the service's prefix list to the endpoint (VPC User Guide, "Gateway
    /// endpoints": "routing"); pods' traffic to S3 leaves through their node (source NAT), so the
    /// node subnets' tables are the ones it meets.
    /// </summary>
    public static IReadOnlyList<RouteTableSpec> GatewayEndpointTables(NetworkSpec network) =>
        [.. network.SubnetsOf(SubnetRoles.With(ClusterUse.ClusterAndNodes)).Select(network.RouteTableOf).OfType<RouteTableSpec>().Distinct().OrderBy(t => t.Name, StringComparer.Ordinal)];

    /// <summary>The prefix list AWS names for a service's gateway endpoint (com.amazonaws.REGION.SERVICE).</summary>
    public static string PrefixListName(string region, string service) => $"com.amazonaws.{region}.{service}";

    /// <summary>
    /// What the stack installs on the nodes: the node agents (kubelet's pause image), the VPC CNI
    /// (its IRSA role calls STS, then EC2), kube-proxy and CoreDNS, all from the region's EKS
    /// registry (EKS User Guide, add-on images), and the load balancer controller
    /// (<see cref="LoadBalancerController.AwsServices"/>) from its configured repository.
    /// </summary>
    public static IReadOnlyList<Workload> Workloads(EnvironmentSpec env)
    {
        if (env.Cluster is not { } design)
        {
            return [];
        }

        var region = env.Network.Region;
        var eksRegistry = EksImageRegistries.Host(region) is { } host ? $"{host}/eks" : $"(no EKS registry known for {region})";
        var clusterAt = design.Cluster.At;
        var workloads = new List<Workload>
        {
            new("nodes (kubelet, pause image)", [$"{eksRegistry}/pause"], ["ec2"], design.NodeGroupsAt),
            new("amazon-ssm-agent (Session Manager)", [], ["ssm", "ssmmessages", "ec2messages"], design.NodeGroupsAt),
            new("aws-node (VPC CNI)", [$"{eksRegistry}/amazon-k8s-cni"], ["sts", "ec2"], clusterAt.Child("addonVersions").Child("vpcCni")),
            new("kube-proxy", [$"{eksRegistry}/kube-proxy"], [], clusterAt.Child("addonVersions").Child("kubeProxy")),
            new("coredns", [$"{eksRegistry}/coredns"], [], clusterAt.Child("addonVersions").Child("coreDns")),
        };
        if (design.LoadBalancerController is { } controller)
        {
            workloads.Add(new("aws-load-balancer-controller", [LoadBalancerController.ImageOf(controller, region)], LoadBalancerController.AwsServices,
                controller.ImageRepository?.At ?? controller.At.Child("imageRepository")));
        }

        return workloads;
    }

    /// <summary>
    /// In the VPC-endpoint bootstrap phase (default route not forwarding), what each workload needs
    /// that the endpoints do not serve: images outside this region's private ECR (public.ecr.aws,
    /// Docker Hub...) and AWS services without an interface endpoint here.
    /// </summary>
    public static IReadOnlyList<WorkloadGap> WorkloadGaps(EnvironmentSpec env)
    {
        if (env.Cluster?.Bootstrap?.NodeEgress != NodeEgress.VpcEndpoints || env.Network.SubnetsOf(SubnetRole.Nodes).All(s => InternetAtCreation(env.Network, s, NodeEgress.VpcEndpoints).Works))
        {
            return [];
        }

        var region = env.Network.Region;
        var gaps = new List<WorkloadGap>();
        foreach (var workload in Workloads(env))
        {
            foreach (var image in workload.ImageRepositories.Where(i => !EksImageRegistries.IsRegionalEcr(i, region)))
            {
                gaps.Add(new WorkloadGap(workload, $"the image registry of {image}", $"only this region's private ECR registries are served by the ECR endpoints (com.amazonaws.{region}.ecr.api, ecr.dkr and the S3 gateway)", workload.InstalledBy));
            }

            foreach (var service in workload.AwsServices.Where(s => !InterfaceEndpointServices.Contains(s)))
            {
                gaps.Add(new WorkloadGap(workload, $"the {service} API", $"no interface endpoint for {service} is created", workload.InstalledBy));
            }
        }

        return gaps;
    }

    public static IReadOnlyList<BootstrapGap> Gaps(EnvironmentSpec env)
    {
        var design = env.Cluster;
        if (design is null)
        {
            return [];
        }

        // Without a stated bootstrap, an appliance is assumed not to forward yet: that is the state
        // of a VPC this stack has just created.
        var egress = design.Bootstrap?.NodeEgress;
        var gaps = new List<BootstrapGap>();
        foreach (var subnet in env.Network.SubnetsOf(SubnetRole.Nodes))
        {
            var (internet, why) = InternetAtCreation(env.Network, subnet, egress);
            if (!design.Cluster.Endpoint.PrivateAccess && !internet)
            {
                gaps.Add(new BootstrapGap(subnet, "the Kubernetes API endpoint", $"the endpoint is public only and {why}"));
            }

            if (egress != NodeEgress.VpcEndpoints && !internet)
            {
                gaps.Add(new BootstrapGap(subnet, "ECR, S3, STS and EC2", why));
            }
        }

        return gaps;
    }

    /// <summary>
    /// A NAT gateway sends on by its own subnet's default route. From a public one, a default route to
    /// the internet gateway is the internet (from the Elastic IP); a private one has no internet of its
    /// own, so there, as for a public one's other targets, that route decides as it would for the
    /// subnet itself. One hop: a public NAT gateway sending on to a NAT gateway, or a private one to a
    /// private one (or itself), is not followed.
    /// </summary>
    private static (bool Works, string Why) NatOnward(NetworkSpec network, SubnetSpec subnet, RouteTarget target, NodeEgress? egress)
    {
        var isPrivate = target.Kind == RouteTargetKind.PrivateNat;
        var natSubnet = network.SubnetOfNat(target);
        var onward = natSubnet is null ? null : network.RouteTableOf(natSubnet)?.Routes.FirstOrDefault(r => r.Destination.PrefixLength == 0)?.Target;
        if (isPrivate && (natSubnet is null || onward?.Kind == RouteTargetKind.PrivateNat))
        {
            return (false, $"{subnet.Key}'s default route goes to {target.Name}, a private NAT gateway with no internet of its own");
        }

        if (!isPrivate && (natSubnet is null || onward is null))
        {
            return (false, $"{subnet.Key}'s default route goes to {target.Name}, whose own subnet{(natSubnet is null ? "" : $" {natSubnet.Key}")} has no default route");
        }

        if (!isPrivate && onward!.IsNat)
        {
            return (false, $"{subnet.Key}'s default route goes to {target.Name}, whose subnet {natSubnet!.Key} sends it on to {onward.Name}, another NAT gateway");
        }

        if (!isPrivate && onward!.Kind == RouteTargetKind.InternetGateway)
        {
            return (true, "");
        }

        var (works, why) = InternetAtCreation(network, natSubnet!, egress);
        return works ? (true, "") : (false, $"{subnet.Key}'s default route goes to {target.Name}{(isPrivate ? ", a private NAT gateway" : "")} in {natSubnet!.Key}, and {why}");
    }

    /// <summary>Whether the subnet's default route leads to the internet while the node group is created.</summary>
    private static (bool Works, string Why) InternetAtCreation(NetworkSpec network, SubnetSpec subnet, NodeEgress? egress)
    {
        var table = network.RouteTableOf(subnet);
        var defaultRoute = table?.Routes.FirstOrDefault(r => r.Destination.PrefixLength == 0);
        if (defaultRoute is null)
        {
            return (false, $"{subnet.Key} has no default route");
        }

        return defaultRoute.Target.Kind switch
        {
            // A public NAT gateway reaches the internet by its own subnet's default route, to the internet gateway.
            RouteTargetKind.NatGateway or RouteTargetKind.PublicNat => NatOnward(network, subnet, defaultRoute.Target, egress),
            // A transit gateway or peering connection routes as soon as it is attached: not an appliance waiting to be set up.
            RouteTargetKind.Existing => (true, ""),
            // Node subnets do not give instances public addresses, so an internet gateway carries none of their traffic.
            RouteTargetKind.InternetGateway => (false, $"{subnet.Key}'s default route goes to the internet gateway, which carries nothing for instances without public addresses"),
            RouteTargetKind.Instance or RouteTargetKind.Endpoint when egress == NodeEgress.Gateways => (true, ""),
            RouteTargetKind.Endpoint => (false, $"{subnet.Key}'s default route goes to {defaultRoute.Target.Name}, a Gateway Load Balancer endpoint whose appliances forward nothing until they are running"),
            // A private NAT gateway has no internet of its own: the traffic goes on by its own subnet's default route.
            RouteTargetKind.PrivateNat => NatOnward(network, subnet, defaultRoute.Target, egress),
            RouteTargetKind.Instance => (false, $"{subnet.Key}'s default route goes to {defaultRoute.Target.Name}, an appliance that forwards nothing until it is attached and running"),
            _ => (false, $"{subnet.Key}'s default route leads nowhere"),
        };
    }
}
