using Infra.Model;
using Infra.Model.Cluster;

namespace Infra.Emit;

/// <summary>Security groups and their rules, for the cluster's groups and the gateway interfaces' alike.</summary>
internal static class SecurityGroupEmitter
{
    /// <summary>A group's id: a resource of ours, or the group EKS created with the cluster.</summary>
    public static PString GroupId(SecurityGroupDesign group) => group.Role == SecurityGroupRole.EksManaged
        ? P.Ref(ResourceNames.Cluster, "eksCluster.vpcConfig.clusterSecurityGroupId")
        : P.Ref(ResourceNames.SecurityGroup(group.Name), "id");

    /// <summary>Every group with its rules as separate rule resources (never inline: the two fight).</summary>
    public static void Emit(EnvironmentSpec env, IReadOnlyList<SecurityGroupDesign> groups, ProgramContext program)
    {
        var groupIds = groups.ToDictionary(g => g.Name, GroupId, StringComparer.Ordinal);
        foreach (var group in groups)
        {
            if (group.Role == SecurityGroupRole.EksManaged)
            {
                // EKS owns this group; only a tag recording which original group it replicates is ours.
                if (group.ReplicaOf is { } replicaOf)
                {
                    program.Resource(ResourceNames.SecurityGroupTag(group.Name), ResourceTypes.Tag, P.Map(
                        ("resourceId", groupIds[group.Name]),
                        ("key", P.Text("ReplicaOf")),
                        ("value", P.Text(replicaOf))));
                }

                continue;
            }

            program.Resource(ResourceNames.SecurityGroup(group.Name), ResourceTypes.SecurityGroup, P.Map(
                ("vpcId", P.Ref(ResourceNames.Vpc, "id")),
                ("description", P.Text(group.Description)),
                ("tags", Tags.For(env, $"{env.Prefix}-{group.Name}", group.ReplicaOf))));
        }

        foreach (var group in groups)
        {
            foreach (var rule in group.Rules.Where(r => !r.CreatedByEks))
            {
                var type = rule.Direction == TrafficDirection.Ingress ? ResourceTypes.SecurityGroupIngressRule : ResourceTypes.SecurityGroupEgressRule;
                program.Resource(ResourceNames.SecurityGroupRule(group.Name, rule.Name), type, P.Map(
                    ("securityGroupId", groupIds[group.Name]),
                    ("description", P.Text(rule.Description)),
                    ("ipProtocol", P.Text(rule.Protocol switch { IpProtocol.Tcp => "tcp", IpProtocol.Udp => "udp", _ => "-1" })),
                    ("fromPort", rule.Protocol == IpProtocol.All ? null : P.Number(rule.FromPort)),
                    ("toPort", rule.Protocol == IpProtocol.All ? null : P.Number(rule.ToPort)),
                    ("cidrIpv4", rule.Peer.Cidr is { } cidr ? P.Text(cidr.ToString()) : null),
                    ("referencedSecurityGroupId", rule.Peer.GroupName is { } peer ? groupIds[peer] : null)));
            }
        }
    }
}
