using Infra.Emit;

namespace Infra.Review;

/// <summary>check's subnet rule: INFRA005 (the tags the load balancer controller and the cluster need, as the subnet-role policy says).</summary>
public static partial class PolicyCheck
{
    private static void CheckSubnetTags(ValidatedEnvironment env, ProgramSnapshot program, List<Finding> findings)
    {
        var specs = env.Network.Subnets.ToDictionary(s => ResourceNames.Subnet(s), StringComparer.Ordinal);
        foreach (var subnet in program.OfType(ResourceTypes.Subnet))
        {
            var spec = specs.GetValueOrDefault(subnet.Name);
            var key = spec?.EntryAt.Path;
            if (!SubnetRoles.TryParse(subnet["tags.Tier"] ?? "", out var role))
            {
                continue;
            }

            // The subnet's own tag (SubnetSpec.LoadBalancerDiscoveryTag): the zone's first of a role carries it, a further one goes without.
            if ((spec is null ? role.LoadBalancerDiscoveryTag() : spec.LoadBalancerDiscoveryTag) is { } tag && subnet[$"tags.{tag}"] != "1")
            {
                findings.Add(Found("INFRA005", subnet.Name, $"The {role.Key()} subnet lacks {tag}=1, so the AWS Load Balancer Controller will not place load balancers in it.", $"Tag the subnet {tag}: \"1\".", key));
            }

            if (env.Cluster is { } cluster && role.SharedWithCluster() && subnet[$"tags.kubernetes.io/cluster/{cluster.Cluster.Name}"] is null)
            {
                findings.Add(Found("INFRA005", subnet.Name, $"The {role.Key()} subnet lacks kubernetes.io/cluster/{cluster.Cluster.Name}.", $"Tag the subnet kubernetes.io/cluster/{cluster.Cluster.Name}: shared.", key));
            }
        }
    }
}
