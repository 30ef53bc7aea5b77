namespace Infra.Model.Addressing;

/// <summary>
/// AWS regions and the availability-zone letters they offer. Used to reject an AZ that does not
/// belong to the configured region before a deploy discovers it.
/// </summary>
public static class Regions
{
    private static readonly Dictionary<string, string> ZoneLetters = new(StringComparer.Ordinal)
    {
        ["us-east-1"] = "abcdef",
        ["us-east-2"] = "abc",
        ["us-west-1"] = "abc",
        ["us-west-2"] = "abcd",
        ["ca-central-1"] = "abd",
        ["eu-west-1"] = "abc",
        ["eu-west-2"] = "abc",
        ["eu-west-3"] = "abc",
        ["eu-central-1"] = "abc",
        ["eu-north-1"] = "abc",
        ["ap-southeast-1"] = "abc",
        ["ap-southeast-2"] = "abc",
        ["ap-northeast-1"] = "acd",
        ["ap-northeast-2"] = "abcd",
        ["ap-south-1"] = "abc",
        ["sa-east-1"] = "abc",
    };

    public static bool IsKnownRegion(string region) => ZoneLetters.ContainsKey(region);

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
