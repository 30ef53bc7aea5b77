namespace Infra.Model.Addressing;

/// <summary>
/// IPv4 blocks that never source traffic on the public internet: the IANA IPv4 Special-Purpose
/// Address Registry (RFC 6890 and the RFCs it lists), plus multicast (RFC 5771) and the reserved
/// 240.0.0.0/4 (RFC 1112). An allow-list made only of such blocks admits no internet client.
/// </summary>
public static class SpecialPurposeRanges
{
    // Declared before the lists below: static initialisers run in the order they are written.
    private static readonly Cidr Loopback = Cidr.Parse("127.0.0.0/8");
    private static readonly Cidr LinkLocal = Cidr.Parse("169.254.0.0/16");

    public static IReadOnlyList<(Cidr Block, string What)> All { get; } =
    [
        (Cidr.Parse("0.0.0.0/8"), "\"this network\" (RFC 791)"),
        (AwsAddressRules.Rfc1918Ten, "private (RFC 1918)"),
        (AwsAddressRules.SharedAddressSpace, "shared address space for carrier-grade NAT (RFC 6598)"),
        (Loopback, "loopback (RFC 1122)"),
        (LinkLocal, "link-local (RFC 3927)"),
        (AwsAddressRules.Rfc1918OneSevenTwo, "private (RFC 1918)"),
        (Cidr.Parse("192.0.0.0/24"), "IETF protocol assignments (RFC 6890)"),
        (Cidr.Parse("192.0.2.0/24"), "documentation, TEST-NET-1 (RFC 5737)"),
        (Cidr.Parse("192.88.99.0/24"), "deprecated 6to4 relay anycast (RFC 7526)"),
        (AwsAddressRules.Rfc1918OneNineTwo, "private (RFC 1918)"),
        (Cidr.Parse("198.18.0.0/15"), "benchmarking (RFC 2544)"),
        (Cidr.Parse("198.51.100.0/24"), "documentation, TEST-NET-2 (RFC 5737)"),
        (Cidr.Parse("203.0.113.0/24"), "documentation, TEST-NET-3 (RFC 5737)"),
        (Cidr.Parse("224.0.0.0/4"), "multicast (RFC 5771)"),
        (Cidr.Parse("240.0.0.0/4"), "reserved (RFC 1112)"),
    ];

    /// <summary>
    /// Private addresses (RFC 1918, carrier-grade NAT, loopback, link-local): a packet from one
    /// reaches a VPC only through a gateway, never from the internet.
    /// </summary>
    public static IReadOnlyList<Cidr> Private { get; } =
        [.. AwsAddressRules.Rfc1918, AwsAddressRules.SharedAddressSpace, Loopback, LinkLocal];

    public static bool IsPrivate(uint address) => Private.Any(block => block.Contains(address));

    /// <summary>What the block is when it lies wholly inside a special-purpose range, or null when internet clients can come from it.</summary>
    public static string? NotInternetRoutable(Cidr block) =>
        All.Where(r => r.Block.Contains(block)).Select(r => $"{r.Block} is {r.What}").FirstOrDefault();
}
