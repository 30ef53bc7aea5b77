using Infra.Emit;
using Infra.Model;
using Infra.Model.Cluster;

namespace Infra.Review;

/// <summary>check's cluster rules: INFRA003 (public endpoint open to all), INFRA007 (service CIDR inside a routed network), INFRA008 (nodes cannot join).</summary>
public static partial class PolicyCheck
{
    private static void CheckEndpoint(EnvironmentSpec env, ProgramSnapshot program, List<Finding> findings)
    {
        var endpointKey = env.Cluster?.Cluster.At.Child("endpoint").Child("publicAccessCidrs").Path;
        // The eks component and the aws provider's own cluster resource both default to a public endpoint.
        var clusters = program.OfType(ResourceTypes.EksCluster).Select(c => (c.Name, Public: c["endpointPublicAccess"], Prefix: "publicAccessCidrs["))
            .Concat(program.OfType(ResourceTypes.AwsEksCluster).Select(c => (c.Name, Public: c["vpcConfig.endpointPublicAccess"], Prefix: "vpcConfig.publicAccessCidrs[")));
        foreach (var (name, publicAccess, prefix) in clusters)
        {
            var resource = program.Find(name)!;
            var cidrs = resource.Properties.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(kv => kv.Value).ToList();
            if (publicAccess != "false" && (cidrs.Count == 0 || cidrs.Any(IsAnywhereSource)))
            {
                findings.Add(new Finding("INFRA003", Severity.Warning, name, "The Kubernetes API endpoint is public and open to 0.0.0.0/0.", "List the corporate egress ranges in cluster.endpoint.publicAccessCidrs, or turn on private access and reach the API over the Aviatrix network.", endpointKey));
            }
        }
    }

    private static void CheckServiceCidr(EnvironmentSpec env, List<Finding> findings)
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
                findings.Add(new Finding("INFRA007", Severity.Warning, ResourceNames.Route(table, route.Destination),
                    $"The service CIDR {service} lies inside {route.Destination}, routed by {table.Name} to {route.Target}: pods cannot reach hosts of that network whose addresses collide with service IPs.",
                    "Pick a service CIDR that no corporate route names, or make sure no host the pods must reach uses addresses in it.",
                    design.Cluster.ServiceCidr.At.Path));
            }
        }
    }

    private static void CheckBootstrap(EnvironmentSpec env, List<Finding> findings)
    {
        foreach (var gap in NodeBootstrap.Gaps(env))
        {
            findings.Add(new Finding("INFRA008", Severity.Error, ResourceNames.Subnet(gap.Subnet),
                $"Nodes in {gap.Subnet.Key} cannot reach {gap.Unreachable} while the node group is created: {gap.Why}. The node group would fail after about 20 minutes.",
                "Set leadertools:bootstrap.nodeEgress to vpcEndpoints (with cluster.endpoint.privateAccess: true), give the node subnets a NAT gateway default route, or set nodeEgress: gateways once the appliances forward.",
                env.Cluster?.Bootstrap?.At.Path ?? gap.Subnet.EntryAt.Path));
        }
    }
}
