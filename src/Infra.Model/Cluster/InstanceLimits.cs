using System.Globalization;

namespace Infra.Model.Cluster;

/// <param name="Vcpus">Default vCPU count, or null where the table does not know it.</param>
public sealed record InstanceNetworking(string InstanceType, int MaxEnis, int Ipv4PerEni, string Hypervisor, bool BareMetal, int PublishedDefaultMaxPods, int? Vcpus = null)
{
    /// <summary>
    /// Prefix delegation is available only on instances built on the Nitro system (AWS, "Assign more
    /// IP addresses to Amazon EKS nodes with prefixes"), and AWS's max-pods calculator grants
    /// prefixes only where EC2 reports the hypervisor "nitro": bare-metal types report none, so the
    /// calculator counts secondary IPs for them, and so do we (the stack is refused, as for Xen).
    /// </summary>
    public bool SupportsPrefixDelegation => Hypervisor == "nitro";
}

/// <summary>
/// ENI and IPv4-per-ENI limits per EC2 instance type, as the Amazon VPC CNI publishes them
/// (embedded copy of ec2-eni-limits.csv).
/// </summary>
public sealed class InstanceLimits
{
    private readonly Dictionary<string, InstanceNetworking> _byType;

    private InstanceLimits(Dictionary<string, InstanceNetworking> byType) => _byType = byType;

    public static InstanceLimits Embedded { get; } = LoadEmbedded();

    public int Count => _byType.Count;

    /// <summary>Every instance type of the table, in ordinal order.</summary>
    public IEnumerable<string> InstanceTypes => _byType.Keys.Order(StringComparer.Ordinal);

    public bool TryGet(string instanceType, out InstanceNetworking limits) => _byType.TryGetValue(instanceType, out limits!);

    public InstanceNetworking Get(string instanceType) =>
        TryGet(instanceType, out var limits) ? limits : throw new KeyNotFoundException($"unknown EC2 instance type '{instanceType}'");

    public static InstanceLimits Parse(TextReader reader)
    {
        var byType = new Dictionary<string, InstanceNetworking>(StringComparer.Ordinal);
        int[]? columns = null;
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var cells = line.Split(',');
            if (columns is null)
            {
                // The first line that is not a comment names the columns; find ours once.
                columns = ((string[])["instance_type", "max_enis", "ipv4_per_eni", "hypervisor", "bare_metal", "max_pods_default"])
                    .Select(name => Array.IndexOf(cells, name) is var i and >= 0 ? i : throw new FormatException($"ENI limits table has no '{name}' column"))
                    .Append(Array.IndexOf(cells, "vcpus"))
                    .ToArray();
                continue;
            }

            var row = new InstanceNetworking(
                cells[columns[0]],
                int.Parse(cells[columns[1]], CultureInfo.InvariantCulture),
                int.Parse(cells[columns[2]], CultureInfo.InvariantCulture),
                cells[columns[3]],
                bool.Parse(cells[columns[4]]),
                int.Parse(cells[columns[5]], CultureInfo.InvariantCulture),
                // The vcpus column is optional, and empty where the source does not know the count.
                columns[6] >= 0 && cells[columns[6]].Length > 0 ? int.Parse(cells[columns[6]], CultureInfo.InvariantCulture) : null);
            byType[row.InstanceType] = row;
        }

        return new InstanceLimits(byType);
    }

    private static InstanceLimits LoadEmbedded()
    {
        using var reader = EmbeddedTable.Open("ec2-eni-limits.csv");
        return Parse(reader);
    }
}
