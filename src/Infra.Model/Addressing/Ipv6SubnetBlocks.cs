using System.Net;
using System.Net.Sockets;

namespace Infra.Model.Addressing;

/// <summary>
/// A subnet's IPv6 /64 as a place in its VPC's /56: Amazon assigns the /56 (a replica's is its own),
/// so what a stack states, discover reads and drift compares is the index (the address's eighth
/// byte), never the block text.
/// </summary>
public static class Ipv6SubnetBlocks
{
    /// <summary>The prefix of the block Amazon assigns a VPC.</summary>
    public const int VpcPrefixLength = 56;

    /// <summary>The prefix of a subnet's block.</summary>
    public const int SubnetPrefixLength = 64;

    /// <summary>
    /// Which /64 of <paramref name="vpcBlock"/> <paramref name="subnetBlock"/> is (0-255), or null
    /// when either is not an IPv6 block of its size or the subnet's lies outside the VPC's.
    /// </summary>
    public static int? IndexWithin(string vpcBlock, string subnetBlock)
    {
        if (Parse(vpcBlock) is not { Length: VpcPrefixLength } vpc || Parse(subnetBlock) is not { Length: SubnetPrefixLength } subnet)
        {
            return null;
        }

        return vpc.Bytes.AsSpan(0, 7).SequenceEqual(subnet.Bytes.AsSpan(0, 7)) ? subnet.Bytes[7] : null;
    }

    /// <summary>The /64 at <paramref name="index"/> of <paramref name="vpcBlock"/>, in the shortest form (RFC 5952), as EC2 writes it.</summary>
    public static string BlockAt(string vpcBlock, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, 255);
        var vpc = Parse(vpcBlock) is { Length: VpcPrefixLength } parsed ? parsed : throw new ArgumentException($"not an IPv6 /{VpcPrefixLength}: {vpcBlock}", nameof(vpcBlock));
        var bytes = (byte[])vpc.Bytes.Clone();
        bytes[7] = (byte)index;
        return $"{new IPAddress(bytes)}/{SubnetPrefixLength}";
    }

    /// <summary>The network bytes and prefix length of an IPv6 block whose host bits are zero, or null.</summary>
    private static (byte[] Bytes, int Length)? Parse(string block)
    {
        var slash = block.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IPAddress.TryParse(block.AsSpan(0, slash), out var address) || address.AddressFamily != AddressFamily.InterNetworkV6
            || !int.TryParse(block.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var length) || length > 128)
        {
            return null;
        }

        var bytes = address.GetAddressBytes();
        for (var bit = length; bit < 128; bit++)
        {
            if ((bytes[bit / 8] & (0x80 >> (bit % 8))) != 0)
            {
                return null;
            }
        }

        return (bytes, length);
    }
}
