namespace Infra.Model.Vpc;

/// <summary>The VPC and its zones: CIDR block sizes, AWS's secondary-CIDR restrictions, zones of the region.</summary>
public static class VpcRules
{
    public static void Blocks(NetworkSpec network, List<ConfigProblem> problems)
    {
        var vpc = network.Vpc;
        if (!AwsAddressRules.IsValidBlockSize(vpc.Primary.Value))
        {
            Rule.Add(problems, vpc.Primary.At, vpc.Primary.Value, "a VPC CIDR block must be between /16 and /28");
        }

        var restricted = AwsAddressRules.RestrictedSecondaryRanges(vpc.Primary.Value);
        var seenVpcBlocks = new List<Located<Cidr>> { vpc.Primary };
        foreach (var secondary in vpc.Secondary)
        {
            if (!AwsAddressRules.IsValidBlockSize(secondary.Value))
            {
                Rule.Add(problems, secondary.At, secondary.Value, "a VPC CIDR block must be between /16 and /28");
            }

            if (restricted.FirstOrDefault(r => r.Overlaps(secondary.Value)) is var range && range != default)
            {
                Rule.Add(problems, secondary.At, secondary.Value, $"AWS does not allow a secondary CIDR in {range} when the primary CIDR is {vpc.Primary.Value}");
            }

            if (seenVpcBlocks.FirstOrDefault(b => b.Value.Overlaps(secondary.Value)) is { } clash)
            {
                Rule.Add(problems, secondary.At, secondary.Value, $"overlaps the VPC CIDR {clash.Value} ({clash.At})");
            }

            seenVpcBlocks.Add(secondary);
        }
    }

    public static void Zones(NetworkSpec network, List<ConfigProblem> problems)
    {
        if (!Regions.IsKnownRegion(network.Region))
        {
            Rule.Add(problems, new Origin("aws:region"), network.Region, Regions.Refusal(network.Region));
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var zone in network.Zones)
        {
            if (!Regions.ZoneBelongsTo(zone.Value, network.Region))
            {
                Rule.Add(problems, zone.At, zone.Value, $"not an availability zone of {network.Region} (its zones: {string.Join(", ", Regions.ZonesOf(network.Region))})");
            }

            if (!seen.Add(zone.Value))
            {
                Rule.Add(problems, zone.At, zone.Value, "availability zone listed twice");
            }
        }
    }
}
