namespace Infra.Model.Security;

/// <summary>The groups a stack states rule by rule (`securityGroups`): names, references, port ranges.</summary>
public static class SecurityGroupRules
{
    /// <summary>The names of the groups the stack's own design creates; a load balancer's is lb-APP.</summary>
    public static IReadOnlyList<string> DesignNames { get; } =
        [SecurityDesign.ClusterGroup, SecurityDesign.EksManagedGroup, SecurityDesign.NodeGroup, SecurityDesign.GatewayInterfaceGroup, SecurityDesign.VpcEndpointGroup];

    /// <summary>Whether a stated group would take the name of one of the design's (their resources share a namespace).</summary>
    public static bool IsDesignName(string name) => DesignNames.Contains(name) || name.StartsWith(SecurityDesign.LoadBalancerGroup(""), StringComparison.Ordinal);

    /// <summary>EC2's limit on a group's and a rule's description (CreateSecurityGroup, GroupDescription); the keys declare it.</summary>
    public const int DescriptionLength = 255;

    /// <summary>
    /// One group of the stack stands for each original: a stated group whose replicaOf is also the
    /// original of a group the design derives (the node group's, a load balancer's) would be
    /// created twice and compared twice.
    /// </summary>
    public static void OneReplicaPerOriginal(NetworkSpec network, ClusterDesign? cluster, List<ConfigProblem> problems)
    {
        var derived = SecurityDesign.All(network with { SecurityGroups = [] }, cluster)
            .Where(g => g.ReplicaOf is not null)
            .GroupBy(g => g.ReplicaOf!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Name, StringComparer.Ordinal);
        foreach (var stated in network.SecurityGroups.Where(g => g.ReplicaOf is not null && g.At is not null))
        {
            if (derived.TryGetValue(stated.ReplicaOf!, out var other))
            {
                Rule.Add(problems, stated.At!.Value.Child("replicaOf"), stated.ReplicaOf, $"is also the original of the stack's {other} group: one group stands for an original; remove this securityGroups entry or the other replicaOf");
            }
        }
    }

    public static void Stated(NetworkSpec network, List<ConfigProblem> problems)
    {
        var names = network.SecurityGroups.Select(g => g.Name).ToList();
        foreach (var group in network.SecurityGroups)
        {
            var at = group.At ?? new Origin("securityGroups");
            if (IsDesignName(group.Name))
            {
                Rule.Add(problems, at, group.Name, $"is the name of one of the stack's own groups ({string.Join(", ", DesignNames)}, lb-APP): name it otherwise");
            }


            foreach (var rule in group.Rules)
            {
                var ruleAt = rule.At ?? at;
                if (rule.Peer.GroupName is { } peer && !names.Contains(peer))
                {
                    Rule.Add(problems, ruleAt.Child("group"), peer, $"not a group of securityGroups (groups: {string.Join(", ", names)}); a group the stack does not own is `groupId: sg-...`");
                }

                if (rule.Protocol.HasIcmpTypes())
                {
                    if (rule.FromPort is < -1 or > 255 || rule.ToPort is < -1 or > 255)
                    {
                        Rule.Add(problems, ruleAt.Child("fromPort"), $"{rule.FromPort}/{rule.ToPort}", "an ICMP type and code are from 0 to 255, or -1 for any");
                    }
                }
                else if (rule.Protocol != IpProtocol.All && (rule.FromPort < 0 || rule.ToPort > 65535 || rule.FromPort > rule.ToPort))
                {
                    Rule.Add(problems, ruleAt.Child("fromPort"), $"{rule.FromPort}-{rule.ToPort}", "ports are from 0 to 65535, fromPort no greater than toPort");
                }

            }
        }
    }
}
