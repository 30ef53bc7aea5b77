namespace Infra.Model.Validation;

/// <summary>
/// Every rule a stack must meet before anything is emitted, run concern by concern (VpcRules,
/// SubnetRules, RoutingRules, ClusterRules with CniRules and LoadBalancerRules, AwsQuotas).
/// Problems name the configuration key and value that break the rule.
/// </summary>
public static class EnvironmentValidator
{
    public static IReadOnlyList<string> ClusterLogTypes { get; } = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

    /// <summary>EKS managed node groups hold at most 450 nodes.</summary>
    public const int MaxNodeGroupSize = 450;

    /// <summary>Kubelet max-pods above 250 is outside what EKS supports on any instance.</summary>
    public const int HighestMaxPodsCap = 250;

    public static IReadOnlyList<ConfigProblem> Validate(EnvironmentSpec environment, InstanceLimits catalogue)
    {
        // Rules run in phases, each only on a foundation the earlier ones accepted, so that one
        // mistake (say, a zone of the wrong region) yields one message, not one per subnet in it.
        var problems = new List<ConfigProblem>();
        var network = environment.Network;
        Action[] phases =
        [
            () =>
            {
                VpcRules.Blocks(network, problems);
                VpcRules.Zones(network, problems);
            },
            () =>
            {
                SubnetRules.Validate(network, problems);
                RoutingRules.Gateways(network, problems);
                RoutingRules.NamedNatGateways(network, problems);
                SecurityGroupRules.Stated(network, problems);
            },
            () =>
            {
                RoutingRules.RouteTables(network, problems);
                RoutingRules.Ipv6Routes(network, problems);
            },
            () =>
            {
                if (environment.Cluster is { } cluster)
                {
                    ClusterRules.Validate(network, cluster, catalogue, problems);
                }

                SecurityGroupRules.OneReplicaPerOriginal(network, environment.Cluster, problems);
                VpcEndpointRules.Validate(environment, SecurityDesign.All(network, environment.Cluster), problems);
            },
            () => AwsQuotas.Validate(environment, problems),
        ];
        foreach (var phase in phases)
        {
            phase();
            if (problems.Count > 0)
            {
                break;
            }
        }

        return problems;
    }

}
