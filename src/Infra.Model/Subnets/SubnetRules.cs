namespace Infra.Model.Subnets;

/// <summary>Subnets: each declared once (a zone's first of a role, and any further ones), inside exactly one VPC block (the pod subnets in a secondary one), no overlaps, the NAT gateway's public subnet.</summary>
public static class SubnetRules
{
    public static void Validate(NetworkSpec network, List<ConfigProblem> problems)
    {
        var zones = network.Zones.Select(z => z.Value).ToHashSet(StringComparer.Ordinal);
        var vpcBlocks = network.VpcCidrs.ToList();
        var accepted = new List<SubnetSpec>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var subnet in network.Subnets)
        {
            if (!keys.Add(subnet.Key))
            {
                Rule.Add(problems, subnet.EntryAt, subnet.Key, "this subnet is declared twice (a zone's further subnets of a role go in a list under the zone)");
                continue;
            }

            if (!zones.Contains(subnet.Zone))
            {
                Rule.Add(problems, subnet.EntryAt, subnet.Zone, $"the availability zone is not one of the stack's zones ({string.Join(", ", zones.Order(StringComparer.Ordinal))})");
            }

            if (!AwsAddressRules.IsValidBlockSize(subnet.Cidr))
            {
                Rule.Add(problems, subnet.At, subnet.Cidr, "a subnet must be between /16 and /28");
                continue;
            }

            var containers = vpcBlocks.Where(b => b.Contains(subnet.Cidr)).ToList();
            if (containers.Count != 1)
            {
                Rule.Add(problems, subnet.At, subnet.Cidr, $"must lie inside exactly one VPC CIDR ({string.Join(", ", vpcBlocks)})");
                continue;
            }

            if (subnet.Role.UsesSecondaryCidr() && network.SecondaryCidrIndexOf(subnet) is null)
            {
                Rule.Add(problems, subnet.At, subnet.Cidr, "pod subnets belong in a secondary VPC CIDR, apart from node addresses");
            }

            if (accepted.FirstOrDefault(a => a.Cidr.Overlaps(subnet.Cidr)) is { } clash)
            {
                Rule.Add(problems, subnet.At, subnet.Cidr, $"overlaps subnet {clash.Key} ({clash.Cidr})");
                continue;
            }

            accepted.Add(subnet);
        }

        ValidateIpv6(network, problems);

        if (network.Nat is { Enabled: true } nat)
        {
            var key = nat.PerZone ? "zones" : "zone";
            if (nat.Zones.Count == 0)
            {
                Rule.Add(problems, nat.At.Child("zone"), null, "the NAT gateway needs a public subnet in that availability zone");
            }

            foreach (var zone in nat.Zones.Where(z => network.FindSubnet(SubnetRole.Public, z) is null))
            {
                Rule.Add(problems, nat.At.Child(key), zone, "a NAT gateway needs a public subnet in that availability zone");
            }

            foreach (var zone in nat.ReplicaOf.Keys.Where(z => !nat.Zones.Contains(z)))
            {
                Rule.Add(problems, nat.At.Child("replicaOf").Child(zone), nat.ReplicaOf[zone], $"names the original of a NAT gateway in {zone}, where the stack has none (zones: {string.Join(", ", nat.Zones)})");
            }
        }
    }

    /// <summary>A subnet's IPv6 /64 is carved from the VPC's Amazon-provided /56: the VPC must ask for one, and no two subnets take the same /64.</summary>
    private static void ValidateIpv6(NetworkSpec network, List<ConfigProblem> problems)
    {
        var taken = new Dictionary<int, SubnetSpec>();
        foreach (var subnet in network.Subnets.Where(s => s.Ipv6 is not null))
        {
            var ipv6 = subnet.Ipv6!;
            if (!network.Vpc.AmazonIpv6)
            {
                Rule.Add(problems, ipv6.At, ipv6.Index, "a subnet's IPv6 block is a /64 of the VPC's: set vpc.amazonIpv6: true");
            }
            else if (!taken.TryAdd(ipv6.Index, subnet))
            {
                Rule.Add(problems, ipv6.At, ipv6.Index, $"subnet {taken[ipv6.Index].Key} takes this /64 already");
            }
        }
    }
}
