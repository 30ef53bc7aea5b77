namespace Infra.Model.Addressing;

/// <summary>
/// The commercial AWS regions (partition "aws"; AWS General Reference, "AWS Regions",
/// docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html, as of 2026-12) and
/// the availability-zone letters each offers. Used to reject an AZ that does not belong to the
/// configured region before a deploy discovers it. AWS maps zone letters to physical zones per
/// account, and older accounts see letters new ones do not (us-west-1c, ap-northeast-1b): the
/// letters here are those any account may be offered, so a valid zone is never refused. GovCloud
/// and China are other partitions, with other ARNs and endpoints, and are not offered.
/// To add a region: its zone letters here, its EKS add-on registry in
/// <see cref="Infra.Model.Cluster.EksImageRegistries"/> (RegionTests checks that both know it),
/// then regenerate the JSON Schema.
/// </summary>
public static class Regions
{
    private static readonly Dictionary<string, string> ZoneLetters = new(StringComparer.Ordinal)
    {
        ["af-south-1"] = "abc",
        ["ap-east-1"] = "abc",
        ["ap-east-2"] = "abc",
        ["ap-northeast-1"] = "abcd",
        ["ap-northeast-2"] = "abcd",
        ["ap-northeast-3"] = "abc",
        ["ap-south-1"] = "abc",
        ["ap-south-2"] = "abc",
        ["ap-southeast-1"] = "abc",
        ["ap-southeast-2"] = "abc",
        ["ap-southeast-3"] = "abc",
        ["ap-southeast-4"] = "abc",
        ["ap-southeast-5"] = "abc",
        ["ap-southeast-6"] = "abc",
        ["ap-southeast-7"] = "abc",
        ["ca-central-1"] = "abd",
        ["ca-west-1"] = "abc",
        ["eu-central-1"] = "abc",
        ["eu-central-2"] = "abc",
        ["eu-north-1"] = "abc",
        ["eu-south-1"] = "abc",
        ["eu-south-2"] = "abc",
        ["eu-west-1"] = "abc",
        ["eu-west-2"] = "abc",
        ["eu-west-3"] = "abc",
        ["il-central-1"] = "abc",
        ["me-central-1"] = "abc",
        ["me-south-1"] = "abc",
        ["mx-central-1"] = "abc",
        ["sa-east-1"] = "abc",
        ["us-east-1"] = "abcdef",
        ["us-east-2"] = "abc",
        ["us-west-1"] = "abc",
        ["us-west-2"] = "abcd",
    };

    public static bool IsKnownRegion(string region) => ZoneLetters.ContainsKey(region);

    /// <summary>
    /// Why a region is not one this tool plans for, in words: GovCloud (US) and China are partitions
    /// of their own (aws-us-gov, aws-cn: other ARNs, other EKS image registries, other accounts);
    /// anything else is not an AWS region name, with the closest known one suggested.
    /// </summary>
    public static string Refusal(string region) =>
        region.StartsWith("us-gov-", StringComparison.Ordinal) ? "an AWS GovCloud (US) region: a partition of its own (aws-us-gov, other ARNs, accounts and EKS registries) that this tool does not plan for; it plans the commercial regions"
        : region.StartsWith("cn-", StringComparison.Ordinal) ? "an AWS China region: a partition of its own (aws-cn, operated separately, other ARNs, accounts and EKS registries) that this tool does not plan for; it plans the commercial regions"
        : Text.Spelling.Closest(KnownRegions, region) is { } guess ? $"not an AWS commercial region; did you mean {guess}? (known: {string.Join(", ", KnownRegions)})"
        : $"not an AWS commercial region (known: {string.Join(", ", KnownRegions)})";

    public static IEnumerable<string> KnownRegions => ZoneLetters.Keys.Order(StringComparer.Ordinal);

    /// <summary>True when <paramref name="zone"/> is one of the region's availability zones.</summary>
    public static bool ZoneBelongsTo(string zone, string region) =>
        ZoneLetters.TryGetValue(region, out var letters)
        && zone.Length == region.Length + 1
        && zone.StartsWith(region, StringComparison.Ordinal)
        && letters.Contains(zone[^1], StringComparison.Ordinal);

    public static IEnumerable<string> ZonesOf(string region) =>
        ZoneLetters.TryGetValue(region, out var letters) ? letters.Select(l => region + l) : [];
}
