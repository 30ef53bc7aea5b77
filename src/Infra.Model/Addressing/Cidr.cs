using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Infra.Model.Addressing;

/// <summary>
/// An IPv4 CIDR block. Parsing and set relations go through IPNetwork2; the network and mask are
/// also kept as 32-bit integers because route lookups run in hot loops (trace, property tests).
/// </summary>
public readonly record struct Cidr : IComparable<Cidr>
{
    private Cidr(uint network, int prefixLength)
    {
        Network = network;
        PrefixLength = prefixLength;
    }

    /// <summary>First address of the block, as a big-endian 32-bit integer.</summary>
    public uint Network { get; }

    public int PrefixLength { get; }

    public uint Mask => PrefixLength == 0 ? 0u : uint.MaxValue << (32 - PrefixLength);

    /// <summary>Number of addresses in the block (2^(32-prefix)).</summary>
    public long Size => 1L << (32 - PrefixLength);

    public uint LastAddress => Network | ~Mask;

    public bool Contains(uint address) => (address & Mask) == Network;

    public bool Contains(Cidr other) => other.PrefixLength >= PrefixLength && Contains(other.Network);

    public bool Overlaps(Cidr other) => Contains(other) || other.Contains(this);

    public static Cidr FromNetwork(uint network, int prefixLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, 32);
        var mask = prefixLength == 0 ? 0u : uint.MaxValue << (32 - prefixLength);
        return new Cidr(network & mask, prefixLength);
    }

    public static Cidr Parse(string text) =>
        TryParse(text, out var cidr, out var problem) ? cidr : throw new FormatException(problem);

    /// <summary>
    /// Strict parse: dotted-quad address with exactly four parts, a prefix from 0 to 32, and no host
    /// bits set. IPNetwork2 alone would quietly mask host bits away ("10.0.0.1/8" becomes
    /// "10.0.0.0/8"), which hides typos in configuration, so the address is compared with the
    /// network IPNetwork2 computes.
    /// </summary>
    public static bool TryParse(string? text, out Cidr cidr, out string problem)
    {
        cidr = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "is empty; expected an IPv4 CIDR block such as 10.0.0.0/16";
            return false;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || text.IndexOf('/', slash + 1) >= 0)
        {
            problem = "is not an IPv4 CIDR block (expected ADDRESS/PREFIX, e.g. 10.0.0.0/16)";
            return false;
        }

        var addressText = text[..slash];
        var prefixText = text[(slash + 1)..];
        if (!Ipv4.TryParse(addressText, out var address))
        {
            problem = $"has '{addressText}', which is not a dotted-quad IPv4 address";
            return false;
        }

        if (prefixText.Length is 0 or > 2 || !prefixText.All(char.IsAsciiDigit)
            || !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix > 32)
        {
            problem = $"has prefix length '/{prefixText}'; expected a number from 0 to 32";
            return false;
        }

        var network = new IPNetwork2(Ipv4.ToAddress(address), (byte)prefix);
        var networkAddress = Ipv4.FromAddress(network.Network);
        if (networkAddress != address)
        {
            problem = $"has host bits set; the network address for /{prefix} is {network.Network}/{prefix}";
            return false;
        }

        cidr = new Cidr(networkAddress, prefix);
        problem = string.Empty;
        return true;
    }

    public int CompareTo(Cidr other)
    {
        var byNetwork = Network.CompareTo(other.Network);
        return byNetwork != 0 ? byNetwork : PrefixLength.CompareTo(other.PrefixLength);
    }

    public override string ToString() => $"{Ipv4.Format(Network)}/{PrefixLength.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>IPv4 addresses as 32-bit integers, converted at the edges with System.Net.</summary>
public static class Ipv4
{
    public static bool TryParse(string? text, out uint address)
    {
        address = 0;
        if (string.IsNullOrEmpty(text) || text.Count(c => c == '.') != 3 || !text.All(c => c == '.' || char.IsAsciiDigit(c)))
        {
            return false;
        }

        // Reject leading zeros ("010.0.0.1"): some parsers read them as octal, so they are ambiguous.
        if (text.Split('.').Any(part => part.Length == 0 || part.Length > 3 || (part.Length > 1 && part[0] == '0')))
        {
            return false;
        }

        if (!IPAddress.TryParse(text, out var ip) || ip.AddressFamily != AddressFamily.InterNetwork)
        {
            return false;
        }

        address = FromAddress(ip);
        return true;
    }

    public static uint Parse(string text) =>
        TryParse(text, out var address) ? address : throw new FormatException($"'{text}' is not a dotted-quad IPv4 address");

    public static uint FromAddress(IPAddress ip)
    {
        var bytes = ip.GetAddressBytes();
        return ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
    }

    public static IPAddress ToAddress(uint address) =>
        new([(byte)(address >> 24), (byte)(address >> 16), (byte)(address >> 8), (byte)address]);

    public static string Format(uint address) =>
        string.Create(CultureInfo.InvariantCulture, $"{address >> 24}.{(address >> 16) & 0xFF}.{(address >> 8) & 0xFF}.{address & 0xFF}");
}
