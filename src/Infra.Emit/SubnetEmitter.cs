namespace Infra.Emit;

/// <summary>The subnets concern: each subnet, tagged as its role says.</summary>
internal static class SubnetEmitter
{
    public static void Emit(ValidatedEnvironment env, ProgramContext program)
    {
        var network = env.Network;
        if (network.Subnets.Any(s => s.Ipv6 is not null))
        {
            Ipv6SubnetBlockText.EmitVariables(program);
        }

        foreach (var subnet in network.OrderedSubnets)
        {
            var extraTags = new List<(string, string)> { ("Tier", subnet.Role.Key()) };
            // The load balancer controller finds the zone's first subnet of the role; a further one (an
            // adopted VPC's) carries only the role's tier, as the original's do.
            if (subnet.LoadBalancerDiscoveryTag is { } discovery)
            {
                extraTags.Add((discovery, "1"));
            }

            if (env.Cluster is { } cluster && subnet.Role.SharedWithCluster())
            {
                extraTags.Add(($"kubernetes.io/cluster/{cluster.Cluster.Name}", "shared"));
            }

            var secondary = network.SecondaryCidrIndexOf(subnet);
            program.Resource(
                ResourceNames.Subnet(subnet),
                ResourceTypes.Subnet,
                P.Map(
                    ("vpcId", P.Ref(ResourceNames.Vpc, "id")),
                    ("cidrBlock", P.Text(subnet.Cidr.ToString())),
                    ("availabilityZone", P.Text(subnet.Zone)),
                    ("ipv6CidrBlock", subnet.Ipv6 is { } ipv6 ? Ipv6SubnetBlockText.Block(ipv6.Index) : null),
                    ("assignIpv6AddressOnCreation", subnet.Ipv6 is { AssignOnCreation: true } ? P.Bool(true) : null),
                    ("enableDns64", subnet.Ipv6 is { Dns64: true } ? P.Bool(true) : null),
                    ("tags", Tags.For(env, $"{network.Vpc.Name}-{subnet.Role.Key()}-{subnet.Zone}{(subnet.IsZonesFirst ? "" : $"-{subnet.Ordinal}")}", subnet.ReplicaOf, extraTags.ToArray()))),
                dependsOn: secondary is { } index ? [ResourceNames.SecondaryCidr(index)] : []);
        }
    }
}

/// <summary>The names of what <see cref="SubnetEmitter"/> emits (the naming rule: <see cref="ResourceNames"/>).</summary>
public static partial class ResourceNames
{
    /// <summary>
    /// Role and zone are validated (a role word, an availability zone), so plain hyphens are
    /// unambiguous; a zone's second subnet of a role and on add "--2", ... (the naming rule's separator).
    /// </summary>
    public static string Subnet(SubnetSpec subnet) => $"subnet-{subnet.Role.Key()}-{subnet.Zone}{(subnet.IsZonesFirst ? "" : $"--{subnet.Ordinal}")}";
}
