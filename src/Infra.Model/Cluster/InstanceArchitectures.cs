namespace Infra.Model.Cluster;

/// <summary>The EKS AL2023 AMI architecture an instance type boots, or why no such AMI boots it.</summary>
/// <param name="Architecture">"x86_64" or "arm64", as the AMI's SSM parameter names it; null when refused.</param>
/// <param name="Refusal">Why the stack cannot run nodes of this type (null when it can).</param>
public sealed record NodeArchitecture(string? Architecture, string? Refusal)
{
    public const string X86 = "x86_64";
    public const string Arm = "arm64";
}

/// <summary>
/// The CPU architectures EC2 reports per instance type (DescribeInstanceTypes,
/// ProcessorInfo.SupportedArchitectures), embedded from ec2-instance-architectures.csv, which
/// tests/refresh-instance-architectures regenerates. The AMI a node boots follows from it; nothing
/// is inferred from a type's name.
/// </summary>
public sealed class InstanceArchitectures
{
    private readonly Dictionary<string, IReadOnlyList<string>> _byType;

    private InstanceArchitectures(Dictionary<string, IReadOnlyList<string>> byType) => _byType = byType;

    public static InstanceArchitectures Embedded { get; } = LoadEmbedded();

    public int Count => _byType.Count;

    /// <summary>The architectures EC2 lists for the type, or null when the table does not know it.</summary>
    public IReadOnlyList<string>? Of(string instanceType) => _byType.GetValueOrDefault(instanceType);

    /// <summary>
    /// Which EKS-optimized AL2023 AMI boots the type. The EKS AMIs are built for x86_64 and arm64 only
    /// (EKS User Guide, "Retrieve recommended Amazon Linux AMI IDs": amazon-linux-2023/x86_64 and
    /// /arm64). AL2023 supports Graviton2 or later and not A1 instances, whose Graviton (first
    /// generation) lacks the ARMv8.2 its packages are built for (Amazon Linux 2023 User Guide, "AL2023
    /// system requirements"). Mac types ("x86_64_mac", "arm64_mac") boot macOS only.
    /// </summary>
    public NodeArchitecture AmiFor(string instanceType)
    {
        if (Of(instanceType) is not { } architectures)
        {
            return new(null, "EC2's instance data here has no CPU architecture for it, so the AMI to boot is unknown (regenerate src/Infra.Model/ec2-instance-architectures.csv with tests/refresh-instance-architectures)");
        }

        if (architectures.Contains(NodeArchitecture.X86))
        {
            return new(NodeArchitecture.X86, null);
        }

        if (architectures.Contains(NodeArchitecture.Arm))
        {
            return instanceType.Split('.')[0] == "a1"
                ? new(null, "is an A1 (first-generation Graviton) type: Amazon Linux 2023, which the EKS-optimized AMIs are built on, supports Graviton2 or later only (Amazon Linux 2023 User Guide, \"AL2023 system requirements\")")
                : new(NodeArchitecture.Arm, null);
        }

        return architectures.Any(a => a.EndsWith("_mac", StringComparison.Ordinal))
            ? new(null, "is a Mac instance type, which boots macOS on a dedicated host; no EKS-optimized Amazon Linux AMI runs on it")
            : new(null, $"EC2 lists its architecture as {string.Join(", ", architectures)}, for which no EKS-optimized Amazon Linux AMI exists");
    }

    public static InstanceArchitectures Parse(TextReader reader)
    {
        var byType = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var cells in EmbeddedTable.Rows(reader, "the instance architectures table", ["instance_type", "architectures"]))
        {
            byType[cells[0]] = cells[1].Split(';', StringSplitOptions.RemoveEmptyEntries);
        }

        return new InstanceArchitectures(byType);
    }

    private static InstanceArchitectures LoadEmbedded()
    {
        using var reader = EmbeddedTable.Open("ec2-instance-architectures.csv");
        return Parse(reader);
    }
}
