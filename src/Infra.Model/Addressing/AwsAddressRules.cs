namespace Infra.Model.Addressing;

/// <summary>
/// The addressing rules AWS enforces on VPCs and subnets, from the Amazon VPC User Guide
/// ("VPC CIDR blocks", "IPv4 CIDR block association restrictions", "Subnet CIDR blocks").
/// </summary>
public static class AwsAddressRules
{
    public const int LargestBlockPrefix = 16;
    public const int SmallestBlockPrefix = 28;

    /// <summary>AWS keeps the first four addresses and the last address of every subnet.</summary>
    public const int ReservedAddressesPerSubnet = 5;

    public static readonly Cidr Rfc1918Ten = Cidr.Parse("10.0.0.0/8");
    public static readonly Cidr Rfc1918OneSevenTwo = Cidr.Parse("172.16.0.0/12");
    public static readonly Cidr Rfc1918OneNineTwo = Cidr.Parse("192.168.0.0/16");
    public static readonly Cidr SharedAddressSpace = Cidr.Parse("100.64.0.0/10");
    public static readonly Cidr BenchmarkRange = Cidr.Parse("198.19.0.0/16");

    public static IReadOnlyList<Cidr> Rfc1918 { get; } = [Rfc1918Ten, Rfc1918OneSevenTwo, Rfc1918OneNineTwo];

    /// <summary>VPC and subnet blocks must be between /16 and /28.</summary>
    public static bool IsValidBlockSize(Cidr cidr) => cidr.PrefixLength is >= LargestBlockPrefix and <= SmallestBlockPrefix;

    /// <summary>
    /// The ranges a secondary VPC CIDR may not come from, given the primary CIDR's range
    /// (Amazon VPC User Guide, "IPv4 CIDR block association restrictions").
    /// </summary>
    public static IReadOnlyList<Cidr> RestrictedSecondaryRanges(Cidr primary)
    {
        if (Rfc1918Ten.Contains(primary))
        {
            return [Rfc1918OneSevenTwo, Rfc1918OneNineTwo, BenchmarkRange];
        }

        if (Rfc1918OneSevenTwo.Contains(primary))
        {
            return [Rfc1918Ten, Rfc1918OneNineTwo, BenchmarkRange];
        }

        if (Rfc1918OneNineTwo.Contains(primary))
        {
            return [Rfc1918Ten, Rfc1918OneSevenTwo, BenchmarkRange];
        }

        if (BenchmarkRange.Contains(primary))
        {
            return [Rfc1918Ten, Rfc1918OneSevenTwo, Rfc1918OneNineTwo];
        }

        // Publicly routable primary, or one in 100.64.0.0/10.
        return [Rfc1918Ten, Rfc1918OneSevenTwo, Rfc1918OneNineTwo, BenchmarkRange];
    }

    /// <summary>Usable addresses in a subnet (AWS reserves five in each).</summary>
    public static long UsableAddresses(Cidr subnet) => Math.Max(0, subnet.Size - ReservedAddressesPerSubnet);

    /// <summary>
    /// /28 prefixes the VPC CNI can assign from a subnet with prefix delegation: an aligned /28 is
    /// usable only if it holds none of the addresses AWS reserves (the first four and the last).
    /// </summary>
    public static long AssignablePrefixes(Cidr subnet, int prefixLength = 28)
    {
        if (subnet.PrefixLength > prefixLength)
        {
            return 0;
        }

        var total = 1L << (prefixLength - subnet.PrefixLength);
        // The first prefix holds network+1..+3, the last holds the broadcast; for a subnet the
        // size of one prefix both fall in the same one.
        var spoiled = total == 1 ? 1 : 2;
        return total - spoiled;
    }

    /// <summary>
    /// EKS service CIDR rules: inside one RFC 1918 range, /12 to /24, not overlapping the VPC.
    /// </summary>
    public static bool IsValidServiceCidrRange(Cidr cidr) =>
        Rfc1918.Any(r => r.Contains(cidr)) && cidr.PrefixLength is >= 12 and <= 24;
}
