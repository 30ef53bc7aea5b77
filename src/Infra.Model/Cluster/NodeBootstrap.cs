using Infra.Model.Network;

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

/// <summary>
/// A managed node joins only if, at creation, it reaches the API server (to register), ECR and S3
/// (to pull the pause, aws-node and kube-proxy images), STS and EC2 (the VPC CNI attaches ENIs);
/// otherwise the node group fails after about 20 minutes (EKS User Guide, "Deploy private clusters
/// with limited internet access", which lists the VPC endpoints a node needs).
/// </summary>
public static class NodeBootstrap
{
    /// <summary>Interface endpoints (com.amazonaws.REGION.SERVICE) nodes need without internet egress.</summary>
    public static IReadOnlyList<string> InterfaceEndpointServices { get; } = ["ec2", "ecr.api", "ecr.dkr", "sts", "elasticloadbalancing"];

    /// <summary>The gateway endpoint: ECR keeps image layers in S3.</summary>
    public const string GatewayEndpointService = "s3";

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
            RouteTargetKind.NatGateway => (true, ""),
            // Node subnets do not give instances public addresses, so an internet gateway carries none of their traffic.
            RouteTargetKind.InternetGateway => (false, $"{subnet.Key}'s default route goes to the internet gateway, which carries nothing for instances without public addresses"),
            RouteTargetKind.Instance when egress == NodeEgress.Gateways => (true, ""),
            RouteTargetKind.Instance => (false, $"{subnet.Key}'s default route goes to {defaultRoute.Target.Name}, an appliance that forwards nothing until it is attached and running"),
            _ => (false, $"{subnet.Key}'s default route leads nowhere"),
        };
    }
}
